import Protocol

/// One analysis kind as three pure steps over `Protocol` values (DESIGN.md): the coordinator
/// stores and moves them, a worker runs `execute`, `seismo analyze` runs all three in one process.
public protocol Analysis {
    associatedtype Options: AnalysisOptions
    associatedtype ShardResult: Codable & Sendable & Equatable
    associatedtype Summary: Codable & Sendable & Equatable

    /// Checks the options against the loaded inputs before any work starts; throws an
    /// `AnalysisError` naming the option or file.
    static func validate(_ job: JobSpec<Options>, inputs: AnalysisInputs) throws

    /// Fills options that default to something read from the data, so that every shard (on any
    /// host) sees the same value and the job records it. Called after `validate`.
    static func prepare(_ job: inout JobSpec<Options>, inputs: AnalysisInputs)

    /// The shards of a job, each at most `shardSize` samples.
    static func plan(_ job: JobSpec<Options>, shardSize: Int) -> [ShardSpec]

    /// Computes one shard.
    static func execute(_ job: JobSpec<Options>, shard: ShardSpec, inputs: AnalysisInputs,
                        context: ExecutionContext) throws -> ShardResult

    /// The summary of any set of shard results: results are ordered by sample index first, so
    /// the summary does not depend on sharding or delivery order.
    static func aggregate(_ job: JobSpec<Options>, results: [ShardResult]) -> Summary

    /// Whether results refer to artifacts (weight vectors); when not, nobody decodes results to look.
    static var resultsReferToArtifacts: Bool { get }

    /// The artifacts a result refers to (weight vectors), fetched before aggregating.
    static func artifacts(of result: ShardResult) -> [ArtifactReference]

    /// The summary with the results' artifacts at hand; kinds without any aggregate as above.
    static func aggregate(_ job: JobSpec<Options>, results: [ShardResult], artifacts: ArtifactResolver) throws -> Summary
}

extension Analysis {
    public static func prepare(_ job: inout JobSpec<Options>, inputs: AnalysisInputs) {}

    public static var resultsReferToArtifacts: Bool { false }

    public static func artifacts(of result: ShardResult) -> [ArtifactReference] { [] }

    public static func aggregate(_ job: JobSpec<Options>, results: [ShardResult], artifacts: ArtifactResolver) throws -> Summary {
        aggregate(job, results: results)
    }
}

/// How a shard runs: threads to use, a progress callback (samples finished), and where to put
/// the files a result refers to.
public struct ExecutionContext: Sendable {
    public var threads: Int
    public var progress: (@Sendable (Int) -> Void)?
    public var outputs: (any ShardOutputs)?

    public init(threads: Int = availableCores, outputs: (any ShardOutputs)? = nil, progress: (@Sendable (Int) -> Void)? = nil) {
        self.threads = threads
        self.outputs = outputs
        self.progress = progress
    }
}

/// Bad options or inputs, found before any work starts.
public struct AnalysisError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
