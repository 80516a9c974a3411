import ArgumentParser
import Engine
import Foundation
import Protocol

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run an analysis in this process on all cores: plan, execute every shard, aggregate.",
        discussion: """
            The same analyses a cluster runs (`seismo submit KIND`), with the same options and the same \
            output files. Definitions of every number: FI, its reference mode, the Jacobian norm and \
            Cook's local influence follow Shu & Zhu, "Sensitivity Analysis of Deep Neural Networks" \
            (AAAI 2019).
            """,
        subcommands: [AnalyzeInfluence.self, AnalyzeMaps.self, AnalyzeParams.self, AnalyzeSweep.self, AnalyzeSolutionSet.self])
}

extension LabelMode: ExpressibleByArgument {}
extension NetworkPrecision: ExpressibleByArgument {}

/// Options every influence kind shares.
struct InfluenceCommonOptions: ParsableArguments {
    @Option(help: "The ONNX classifier.") var model: String
    @Option(help: "Samples (.npy, .npz, IDX, CIFAR binary).") var data: String
    @Option(help: "True labels of the samples (needed for --label-mode true and for accuracy).") var labels: String?
    @Option(help: ArgumentHelp("Label FI is taken for: true or predicted (default: predicted; true for influence-params).",
                               valueName: "mode"))
    var labelMode: LabelMode?
    @Option(help: ArgumentHelp("Also compute the reference-mode FI (the authors' code) with this ε, e.g. 1e-3.", valueName: "ε"))
    var referenceEpsilon: Double?
    @Option(help: "Arithmetic of the network: float or double (the K×K algebra is always double).") var precision: NetworkPrecision = .float
    @Option(help: "How many of the largest values summaries list.") var top: Int = 20
    @Option(help: "Samples per shard (results do not depend on it).") var shardSize: Int = SubmitRequest.defaultShardSize

    func validate() throws {
        guard shardSize >= 1 else { throw ValidationError("--shard-size must be at least 1, got \(shardSize)") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
        if let e = referenceEpsilon, !(e > 0 && e.isFinite) {
            throw ValidationError("--reference-epsilon must be a positive finite number, got \(e)")
        }
    }
}

/// Where and how `seismo analyze` runs a job in this process.
struct LocalRunOptions: ParsableArguments {
    @Option(help: "Output directory.") var out: String
    @Option(help: "Worker threads.") var threads: Int = availableCores

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }
}

/// The options of one analysis kind, shared by `seismo analyze KIND` and `seismo submit KIND`:
/// they make a job over files on this host, loaded and validated.
protocol KindArguments: ParsableArguments {
    associatedtype A: Analysis
    /// Samples (or draws) per shard.
    var shardSize: Int { get }
    func localJob() throws -> LocalJob<A>
}

extension KindArguments where Self: InfluenceKindArguments {
    var shardSize: Int { common.shardSize }
}

/// The influence kinds share their common options.
protocol InfluenceKindArguments {
    var common: InfluenceCommonOptions { get }
}
