import ArgumentParser
import Engine
import Foundation
import Protocol

struct AnalyzeMaps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "influence-maps",
        abstract: "Multi-scale per-pixel FI maps: the FI of perturbing the k×k window around every pixel.",
        discussion: """
            For every pixel and odd scale k, the window is the k×k square centred on it, clipped at the \
            border. Channel modes: separate (one map per channel, the window within one channel), joint \
            (the window across all channels), mean (the mean of the separate maps). Windows come from \
            2-D prefix sums of per-pixel K×K outer products of one input Jacobian per sample — no SVD \
            per window. For K = 10, windows of 3×3 and more usually saturate at (1 − p_y)/p_y: most \
            spatial information of an exact map is at scale 1.

            The one-pixel check moves one input coordinate toward lower log p_ŷ within the valid range \
            (--valid-range, default: the data's range) and reports the smallest move that flips the \
            prediction, for the pixel of largest scale-1 FI, of largest |gradient|, and a random one.

            Writes DIR/summary.json, DIR/maps.npy (float32, N × S × C' × H × W: S scales, C' = C for \
            separate, 1 for joint/mean; rows in the order of the samples mapped), DIR/maps_reference.npy \
            with --reference-epsilon, DIR/maps_samples.csv (row → sample, FI, one-pixel results) and \
            DIR/heatmaps/*.png for the most influential samples.

              seismo analyze influence-maps --model m.onnx --data test.npy --indices 0,5,9 --out runs/maps
              seismo analyze influence-maps --model m.onnx --data test.npy --top-of runs/influence --count 20 --out runs/maps
            """)

    @OptionGroup var arguments: MapsArguments
    @OptionGroup var run: LocalRunOptions
    @Option(help: "Heatmap pictures of the most influential samples.") var pictures: Int = 20

    func validate() throws {
        guard pictures >= 0 else { throw ValidationError("--pictures must be 0 or more, got \(pictures)") }
    }

    func run() async throws {
        let runner = try arguments.localJob()
        let dir = try makeOutputDirectory(run.out)
        let (summary, results) = try runner.run(label: "influence-maps", threads: run.threads, shardSize: arguments.shardSize)
        let files = try InfluenceMapsExport.write(job: runner.job, summary: summary, results: results, inputShape: runner.inputs.model.inputShape,
                                                  images: runner.inputs.primary.images, pictures: pictures, to: dir)
        print(SummaryReport.maps(summary))
        reportMapFiles(files, in: dir)
    }
}

/// Prints where the files of an `influence-maps` run are.
func reportMapFiles(_ files: [String], in dir: URL) {
    let pngs = files.filter { $0.hasSuffix(".png") }
    note("wrote \(files.filter { !$0.hasSuffix(".png") }.map { dir.appendingPathComponent($0).path }.joined(separator: ", "))")
    if !pngs.isEmpty { note("heatmaps: \(pngs.count) pictures in \(dir.appendingPathComponent("heatmaps").path)/") }
}

struct MapsArguments: KindArguments, InfluenceKindArguments {
    @OptionGroup var common: InfluenceCommonOptions
    @Option(help: "Odd window sides.") var scales: String = "1,3,5,7"
    @Option(help: "separate, joint or mean.") var channelMode: InfluenceMaps.ChannelMode = .separate
    @Option(help: "Map only these samples (comma-separated indices).") var indices: String?
    @Option(help: ArgumentHelp("Map the --count samples of largest FI in this `influence` output directory.", valueName: "dir"))
    var topOf: String?
    @Option(help: "With --top-of: how many samples.") var count: Int = 20
    @Flag(help: "Skip the one-pixel check.") var noOnePixelCheck = false
    @Option(help: ArgumentHelp("Valid range of input values for the one-pixel check.", valueName: "min:max")) var validRange: String?
    @Option(help: "Seed of the one-pixel check's random pixel.") var seed: UInt64 = 0

    func validate() throws {
        if indices != nil, topOf != nil { throw ValidationError("give --indices or --top-of, not both") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
        _ = try parseIntegers(scales, option: "--scales")
        _ = try parsedValidRange()
    }

    func localJob() throws -> LocalJob<InfluenceMapsAnalysis> {
        let options = InfluenceMapsOptions(
            labelMode: common.labelMode ?? .predicted, referenceEpsilon: common.referenceEpsilon, precision: common.precision,
            top: common.top, scales: try parseIntegers(scales, option: "--scales"), channelMode: channelMode,
            indices: try selectedIndices(), onePixelCheck: !noOnePixelCheck, validRange: try parsedValidRange(), seed: seed)
        return try LocalJob(InfluenceMapsAnalysis.self, model: common.model, data: common.data, labels: common.labels, options: options)
    }

    private func parsedValidRange() throws -> ClosedRange<Double>? {
        try validRange.map { try parseRange($0, option: "--valid-range") }
    }

    private func selectedIndices() throws -> [Int]? {
        if let indices { return try parseIntegers(indices, option: "--indices") }
        guard let topOf else { return nil }
        return try TopSamples.read(directory: topOf, count: count)
    }
}

/// The samples of largest FI in an `influence` output directory's samples.csv.
enum TopSamples {
    static func read(directory: String, count: Int) throws -> [Int] {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("samples.csv").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandFailure("--top-of: cannot read \(path) (the output directory of `seismo analyze influence`)")
        }
        let lines = text.split(separator: "\n")
        let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) ?? []
        guard let indexColumn = header.firstIndex(of: "index"), let fiColumn = header.firstIndex(of: "fi") else {
            throw CommandFailure("--top-of: \(path) has no index and fi columns")
        }
        var rows: [(index: Int, fi: Double)] = []
        for (n, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count > max(indexColumn, fiColumn), let index = Int(cells[indexColumn]), let fi = Double(cells[fiColumn]) else {
                throw CommandFailure("--top-of: \(path) line \(n + 2) is not a sample row")
            }
            rows.append((index, fi))
        }
        return rows.sorted { ($0.fi, -$0.index) > ($1.fi, -$1.index) }.prefix(count).map(\.index)
    }
}
