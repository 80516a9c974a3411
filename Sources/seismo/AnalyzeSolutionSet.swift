import ArgumentParser
import Engine
import Foundation
import Protocol

struct AnalyzeSolutionSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solution-set",
        abstract: "How the set of solutions of training moves when training points are perturbed.",
        discussion: """
            Set-valued sensitivity (Wang, Wang & Ban, AAAI 2025). The perturbed points x_i (i in P) move by \
            δΔx_i along unit directions; the graphical derivative estimates the new solution set without \
            retraining: Ŝ(δ) = { w̄ + δv : v ≈ argmin ‖Hv + b‖² + μ²‖v − v₀‖² }, H the Hessian of the mean \
            training loss at w̄ and b the mixed term (1/|P| or 1/n) Σ ∇x∇w ℓ · Δx. Each solve is damped LSQR on \
            Hessian-vector products (central differences of Double gradients, kinks frozen at w̄) from a start \
            v₀: start 0 from v₀ = 0, the others from N(0, σ²I) — their null-space components survive, so the \
            starts sample the set. One solve serves every δ. Ground truth: --retrain-runs fine-tuning runs of \
            SGD per δ (and at δ = 0) → R(δ). Reported per δ: distances from w̄, diameters, h(Ŝ, R), e(R, Ŝ), \
            e(Ŝ, R), losses at w̄, over Ŝ and over R; the empirical modulus sup h(·(0), ·(δ)) / (δ‖Δx‖), and \
            with --kappa-iterations the linearised κ = ‖H⁺B‖₂. A solve that misses --tolerance is listed as \
            unconverged with its residual and left out of Ŝ.

            Writes DIR/summary.json, DIR/distances.csv, DIR/solves.csv, DIR/distances.png, and the weight \
            vectors (Float64 displacements from w̄) under DIR/vectors/, named by SHA-256 as in solves.csv.

              seismo analyze solution-set --model m.onnx --data train.npy --labels train-labels.npy \\
                  --train-count 1000 --perturb-count 10 --deltas 0.01,0.03,0.1 --seeds 4 \\
                  --retrain-runs 2 --out runs/solution-set
            """)

    @OptionGroup var arguments: SolutionSetArguments
    @OptionGroup var run: LocalRunOptions

    func run() async throws {
        let runner = try arguments.localJob()
        let dir = try makeOutputDirectory(run.out)
        let vectors = try ArtifactCache(directory: dir.appendingPathComponent("vectors"))
        let (summary, results) = try runner.run(label: "solution-set", threads: run.threads, shardSize: 1, outputs: vectors)
        let files = try SolutionSetExport.write(summary: summary, results: results, to: dir)
        print(SummaryReport.solutionSet(summary))
        note("wrote \(files.map { dir.appendingPathComponent($0).path }.joined(separator: ", ")) and the vectors under \(vectors.directory.path)")
    }
}

extension PerturbationDirection: ExpressibleByArgument {}
extension MixedTermScaling: ExpressibleByArgument {}

struct SolutionSetArguments: KindArguments {
    @Option(help: "The trained ONNX classifier (w̄).") var model: String
    @Option(help: "The training samples (.npy, .npz, IDX, CIFAR binary).") var data: String
    @Option(help: "Their labels (the training loss uses them).") var labels: String
    @Option(help: "Use the first N samples as the training set (default: all).") var trainCount: Int?
    @Option(help: ArgumentHelp("Perturbed points, comma-separated indices into the training set.", valueName: "i,j,…")) var points: String?
    @Option(help: "Or: perturb this many points chosen at random (seeded).") var perturbCount: Int?
    @Option(help: "Direction of each point's move: gradient, sign, random or file.") var direction: PerturbationDirection = .gradient
    @Option(help: ArgumentHelp("With --direction file: an NPY of one row per perturbed point.", valueName: "file.npy")) var directions: String?
    @Option(help: ArgumentHelp("Perturbation sizes δ > 0, comma-separated.", valueName: "δ,δ,…")) var deltas: String = "0.01,0.03,0.1"
    @Option(help: "Solves: start 0 from v₀ = 0, the others from N(0, σ²I).") var seeds: Int = 4
    @Option(help: "σ of the random starts: their components where |λ| ≲ μ survive, so Ŝ spreads with σ.") var sigma: Double = 1e-4
    @Option(help: "Scaling of the mixed term: paper (1/|P|) or influence (1/n).") var scaling: MixedTermScaling = .paper
    @Option(help: "LSQR damping μ.") var damping: Double = 0.01
    @Option(help: "LSQR relative tolerance (its atol and btol).") var tolerance: Double = 1e-10
    @Option(help: "LSQR iteration cap (each iteration: two Hessian-vector products).") var maxIterations: Int = 5_000
    @Option(help: "Power iterations for κ = ‖H⁺B‖₂, each two solves (0: skip).") var kappaIterations: Int = 0
    @Option(help: "Fine-tuning runs per δ and at δ = 0 (0: no ground truth).") var retrainRuns: Int = 0
    @Option(help: "Epochs of each fine-tuning run.") var retrainEpochs: Int = 1
    @Option(help: "SGD learning rate of fine-tuning.") var retrainLearningRate: Double = 0.01
    @Option(help: "Mini-batch size of fine-tuning.") var retrainBatchSize: Int = 32
    @Option(help: ArgumentHelp("Further trained solutions (ONNX, same network): fine-tuning starts from w̄ and these in turn.",
                               valueName: "m.onnx,…"))
    var initialSolutions: String?
    @Option(help: "Seed of the points, random directions and starts.") var seed: UInt64 = 0

    /// Every shard is one solve, run or κ estimate.
    var shardSize: Int { 1 }

    func validate() throws {
        if points != nil, perturbCount != nil { throw ValidationError("give --points or --perturb-count, not both") }
        if points == nil, perturbCount == nil { throw ValidationError("give the perturbed points: --points INDICES or --perturb-count N") }
        _ = try parseNumbers(deltas, option: "--deltas")
    }

    func localJob() throws -> LocalJob<SolutionSetAnalysis> {
        let options = SolutionSetOptions(
            points: try points.map { try parseIntegers($0, option: "--points") }, perturbCount: perturbCount, trainCount: trainCount,
            direction: direction, deltas: try parseNumbers(deltas, option: "--deltas"), starts: seeds, sigma: sigma, scaling: scaling,
            damping: damping, tolerance: tolerance, maxIterations: maxIterations, kappaIterations: kappaIterations,
            retrainRuns: retrainRuns, retrainEpochs: retrainEpochs, retrainLearningRate: retrainLearningRate,
            retrainBatchSize: retrainBatchSize, seed: seed)
        let solutions = initialSolutions?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        return try LocalJob(SolutionSetAnalysis.self, model: model, data: data, labels: labels, initialSolutions: solutions,
                            directions: directions, options: options)
    }
}

struct SubmitSolutionSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "solution-set", abstract: AnalyzeSolutionSet.configuration.abstract)
    @OptionGroup var arguments: SolutionSetArguments
    @OptionGroup var settings: SubmitSettings
    @OptionGroup var connection: ClusterConnection
    func run() async throws { try await submitJob(arguments, settings, connection) }
}
