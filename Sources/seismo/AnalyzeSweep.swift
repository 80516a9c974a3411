import ArgumentParser
import Engine
import Foundation
import Protocol

struct AnalyzeSweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perturbation-sweep",
        abstract: "Accuracy, flips and margins under random weight perturbations, with certified margins.",
        discussion: """
            For every ε of the grid and every layer selection, --draws random perturbations of the \
            weights (and biases, unless --weights-only) of the Conv/Gemm/MatMul layers: uniform in \
            [w − ε, w + ε], Gaussian with sd ε, or relative (uniform in [w − ε|w|, w + ε|w|]). Per draw: \
            accuracy, flip rate against the unperturbed predictions, mean cross-entropy, margin \
            z_y − max_{j≠y} z_j (mean and quantiles). For uniform and relative noise, certified margins \
            by interval bound propagation with interval weights: a sample is certified at ε when no \
            perturbation in the box can change its prediction (Tsai, Hsu, Yu & Chen, NeurIPS 2021). \
            Every draw is seeded from (seed, ε, layer, draw): results do not depend on sharding.

            Writes DIR/summary.json, DIR/curves.csv (layer,epsilon,metric,mean,sd,q05,q50,q95), \
            DIR/bounds.csv (per sample its margin lower bound at each ε) and DIR/accuracy.png.

              seismo analyze perturbation-sweep --model m.onnx --data x.npy --labels y.npy \\
                  --epsilon-range 1e-4:1e-1:7 --draws 20 --layers each --out runs/sweep
            """)

    @OptionGroup var arguments: SweepArguments
    @OptionGroup var run: LocalRunOptions

    func run() async throws {
        let runner = try arguments.localJob()
        let dir = try makeOutputDirectory(run.out)
        let (summary, results) = try runner.run(label: "perturbation-sweep", threads: run.threads, shardSize: arguments.shardSize)
        let files = try PerturbationSweepExport.write(summary: summary, results: results, to: dir)
        print(SummaryReport.sweep(summary))
        note("wrote \(files.map { dir.appendingPathComponent($0).path }.joined(separator: ", "))")
    }
}

extension WeightNoise: ExpressibleByArgument {}
extension PerturbationTarget: ExpressibleByArgument {}
extension InputNorm: ExpressibleByArgument {}

struct SweepArguments: KindArguments {
    @Option(help: "The ONNX classifier.") var model: String
    @Option(help: "The evaluation samples (.npy, .npz, IDX, CIFAR binary).") var data: String
    @Option(help: "Their labels (needed for accuracy with --label-mode true).") var labels: String?
    @Option(help: ArgumentHelp("Perturbation sizes, comma-separated (0 = the unperturbed network).", valueName: "ε,ε,…"))
    var epsilons: String?
    @Option(help: ArgumentHelp("Log-spaced sizes instead of --epsilons.", valueName: "min:max:count")) var epsilonRange: String?
    @Option(help: "Random perturbations per ε and layer selection.") var draws: Int = 20
    @Option(help: "uniform, gaussian or relative.") var noise: WeightNoise = .uniform
    @Option(help: ArgumentHelp("all (together), each (one at a time), or layer names NAME,NAME (together).", valueName: "layers"))
    var layers: String = "all"
    @Flag(help: "Leave the biases fixed.") var weightsOnly = false
    @Option(help: "Seed of the draws.") var seed: UInt64 = 0
    @Option(help: "Label accuracy and margins use: true or predicted (default: true with --labels).") var labelMode: LabelMode?
    @Option(help: "Arithmetic of the network: float or double (bounds are always double).") var precision: NetworkPrecision = .float
    @Flag(help: "Skip the certified margins.") var noCertify = false
    @Option(help: "Draws per shard (results do not depend on it).") var shardSize: Int = 10
    @Option(help: "weights, or input: perturb each sample's input instead.") var target: PerturbationTarget = .weights
    @Option(help: "Input sweeps: the ball, linf or l2.") var norm: InputNorm = .linf
    @Option(help: ArgumentHelp("Input sweeps: the data's valid range (default: its smallest and largest value).", valueName: "min:max"))
    var validRange: String?
    @Option(help: ArgumentHelp("Input sweeps: an `influence` output directory of the same data; its FI and Jacobian norms are rank-correlated with 1 / flip radius.",
                               valueName: "dir"))
    var influence: String?

    func validate() throws {
        guard (epsilons == nil) != (epsilonRange == nil) else { throw ValidationError("give --epsilons or --epsilon-range (one of them)") }
        _ = try grid()
        guard draws >= 1 else { throw ValidationError("--draws must be at least 1, got \(draws)") }
        guard shardSize >= 1 else { throw ValidationError("--shard-size must be at least 1, got \(shardSize)") }
    }

    private func parsedValidRange() throws -> ClosedRange<Double>? {
        try validRange.map { try parseRange($0, option: "--valid-range") }
    }

    private func grid() throws -> [Double] {
        let values = try epsilons.map { try parseNumbers($0, option: "--epsilons") } ?? parseLogRange(epsilonRange!, option: "--epsilon-range")
        if let bad = values.first(where: { !($0.isFinite && $0 >= 0) }) {
            throw ValidationError("--epsilons: every ε must be a finite number ≥ 0, got \(bad)")
        }
        return values
    }

    func localJob() throws -> LocalJob<PerturbationSweepAnalysis> {
        let names = layers == "all" || layers == "each" ? nil : layers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let weightTarget = target == .weights
        let options = PerturbationSweepOptions(
            target: target, epsilons: try grid(), draws: draws, noise: noise, layers: weightTarget ? names : nil,
            eachLayer: weightTarget && layers == "each", weightsOnly: weightsOnly, seed: seed,
            labelMode: labelMode ?? (labels == nil ? .predicted : .true), precision: precision, certify: !noCertify, norm: norm,
            validRange: try parsedValidRange(), influence: try influence.map(InfluenceColumns.read))
        return try LocalJob(PerturbationSweepAnalysis.self, model: model, data: data, labels: labels, options: options)
    }
}

/// FI and Jacobian norm per sample from an `influence` output directory's samples.csv.
enum InfluenceColumns {
    static func read(directory: String) throws -> InfluenceScores {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("samples.csv").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandFailure("--influence: cannot read \(path) (the output directory of `seismo analyze influence`)")
        }
        let lines = text.split(separator: "\n")
        let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) ?? []
        guard let index = header.firstIndex(of: "index"), let fi = header.firstIndex(of: "fi"), let jn = header.firstIndex(of: "jacobian_norm") else {
            throw CommandFailure("--influence: \(path) has no index, fi and jacobian_norm columns")
        }
        var rows: [(Int, Double, Double)] = []
        for (n, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count > max(index, fi, jn), let i = Int(cells[index]), let f = Double(cells[fi]), let j = Double(cells[jn]) else {
                throw CommandFailure("--influence: \(path) line \(n + 2) is not a sample row")
            }
            rows.append((i, f, j))
        }
        rows.sort { $0.0 < $1.0 }
        guard rows.map(\.0) == Array(0..<rows.count) else {
            throw CommandFailure("--influence: \(path) must list every sample 0…N−1 once (run influence on the whole --data)")
        }
        return InfluenceScores(fi: rows.map(\.1), jacobianNorm: rows.map(\.2))
    }
}
