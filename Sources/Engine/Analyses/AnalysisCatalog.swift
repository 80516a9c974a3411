import Foundation
import Protocol

/// Every analysis kind by its name, type-erased over JSON: the coordinator and the workers run
/// any kind through this table without knowing one from another.
public enum AnalysisCatalog {
    public static let kinds: [AnalysisKind: AnyAnalysis] = [
        .influence: AnyAnalysis(InfluenceAnalysis.self) { job, summary, results, inputs, pictures, directory in
            try InfluenceExport.write(summary: summary, results: results, to: directory)
        },
        .influenceMaps: AnyAnalysis(InfluenceMapsAnalysis.self) { job, summary, results, inputs, pictures, directory in
            try InfluenceMapsExport.write(job: job, summary: summary, results: results, inputShape: inputs.model.inputShape,
                                          images: inputs.primary.images, pictures: pictures, to: directory)
        },
        .influenceParams: AnyAnalysis(InfluenceParamsAnalysis.self) { job, summary, results, inputs, pictures, directory in
            try InfluenceParamsExport.write(summary: summary, results: results, to: directory)
        },
        .perturbationSweep: AnyAnalysis(PerturbationSweepAnalysis.self) { job, summary, results, inputs, pictures, directory in
            try PerturbationSweepExport.write(summary: summary, results: results, to: directory)
        },
        .solutionSet: AnyAnalysis(SolutionSetAnalysis.self) { job, summary, results, inputs, pictures, directory in
            try SolutionSetExport.write(summary: summary, results: results, to: directory)
        },
    ]

    /// The kind named `name`, or an error listing the kinds there are.
    public static func kind(named name: String) throws -> AnyAnalysis {
        guard let kind = AnalysisKind(rawValue: name), let analysis = kinds[kind] else {
            let known = kinds.keys.map(\.rawValue).sorted().joined(separator: ", ")
            throw AnalysisError("kind: unknown analysis '\(name)'; expected one of \(known)")
        }
        return analysis
    }
}

/// A job accepted for the cluster: its spec with the counts read from its data and the defaults
/// filled, and its shards — all as compact JSON.
public struct AcceptedJob: Sendable {
    public var spec: String
    public var shards: [String]
}

/// One analysis kind's steps over JSON texts.
public struct AnyAnalysis: Sendable {
    public let kind: AnalysisKind
    private let acceptJob: @Sendable (_ spec: Data, _ resolver: ArtifactResolver, _ shardSize: Int) throws -> AcceptedJob
    private let openJob: @Sendable (_ spec: Data, _ resolver: ArtifactResolver) throws -> OpenJob
    private let aggregateResults: @Sendable (_ spec: Data, _ results: [Data], _ artifacts: ArtifactResolver?) throws -> String
    private let referencedArtifacts: @Sendable (_ results: [Data]) throws -> [ArtifactReference]
    private let exportFiles: @Sendable (_ spec: Data, _ summary: Data, _ results: [Data], _ inputs: AnalysisInputs, _ pictures: Int, _ directory: URL) throws -> [String]

    init<A: Analysis>(_: A.Type,
                      export: @escaping @Sendable (JobSpec<A.Options>, A.Summary, [A.ShardResult], AnalysisInputs, Int, URL) throws -> [String]) {
        kind = A.Options.kind
        acceptJob = { spec, resolver, shardSize in
            var job = try WireJSON.decode(JobSpec<A.Options>.self, from: spec, field: "job")
            let inputs = try AnalysisInputs.load(job.inputs, resolver: resolver)
            // The data decides the counts, whatever the request said.
            job.inputs.primary.count = inputs.primary.count
            job.inputs.comparison?.count = inputs.comparison?.count ?? 0
            try A.validate(job, inputs: inputs)
            A.prepare(&job, inputs: inputs)
            return AcceptedJob(spec: try WireJSON.text(job), shards: try A.plan(job, shardSize: shardSize).map(WireJSON.text))
        }
        openJob = { spec, resolver in
            let job = try WireJSON.decode(JobSpec<A.Options>.self, from: spec, field: "job", strict: false)
            let inputs = try AnalysisInputs.load(job.inputs, resolver: resolver)
            return OpenJob(inputs: inputs) { shard, context in
                let shard = try WireJSON.decode(ShardSpec.self, from: shard, field: "shard", strict: false)
                return try WireJSON.text(A.execute(job, shard: shard, inputs: inputs, context: context))
            }
        }
        aggregateResults = { spec, results, artifacts in
            let job = try WireJSON.decode(JobSpec<A.Options>.self, from: spec, field: "job", strict: false)
            let decoded = try results.map { try WireJSON.decode(A.ShardResult.self, from: $0, field: "result", strict: false) }
            guard let artifacts else { return try WireJSON.text(A.aggregate(job, results: decoded)) }
            return try WireJSON.text(A.aggregate(job, results: decoded, artifacts: artifacts))
        }
        referencedArtifacts = { results in
            // Results that never refer to artifacts (large maps, for one) are not decoded again.
            guard A.resultsReferToArtifacts else { return [] }
            return try results.flatMap { A.artifacts(of: try WireJSON.decode(A.ShardResult.self, from: $0, field: "result", strict: false)) }
        }
        exportFiles = { spec, summary, results, inputs, pictures, directory in
            let job = try WireJSON.decode(JobSpec<A.Options>.self, from: spec, field: "job", strict: false)
            let summary = try WireJSON.decode(A.Summary.self, from: summary, field: "summary", strict: false)
            let decoded = try results.map { try WireJSON.decode(A.ShardResult.self, from: $0, field: "result", strict: false) }
            return try export(job, summary, decoded, inputs, pictures, directory)
        }
    }

    /// Loads the job's inputs through `resolver`, checks them and the options, and plans the
    /// shards; throws an `AnalysisError` naming the field or file when the job cannot run.
    public func accept(spec: Data, resolver: ArtifactResolver, shardSize: Int) throws -> AcceptedJob {
        try acceptJob(spec, resolver, shardSize)
    }

    /// The job with its inputs loaded, ready to execute shards (load once, run many).
    public func open(spec: Data, resolver: ArtifactResolver) throws -> OpenJob {
        try openJob(spec, resolver)
    }

    /// The summary (compact JSON) of any set of results, reading the artifacts they refer to
    /// through `artifacts` (without it, a kind that needs them summarises what it can).
    public func aggregate(spec: Data, results: [Data], artifacts: ArtifactResolver? = nil) throws -> String {
        try aggregateResults(spec, results, artifacts)
    }

    /// The artifacts the results refer to, each once, in order.
    public func artifacts(of results: [Data]) throws -> [ArtifactReference] {
        var seen = Set<String>()
        return try referencedArtifacts(results).filter { seen.insert($0.sha256).inserted }
    }

    /// Writes the files `seismo analyze` writes for this kind (`pictures`: how many heatmaps).
    public func export(spec: Data, summary: Data, results: [Data], inputs: AnalysisInputs, pictures: Int = 20, to directory: URL) throws -> [String] {
        try exportFiles(spec, summary, results, inputs, pictures, directory)
    }

    /// The artifacts a job spec reads (to fetch them before `open`).
    public static func artifacts(spec: Data) throws -> JobInputs {
        try WireJSON.decode(JobInputsOnly.self, from: spec, field: "job", strict: false).inputs
    }

    private struct JobInputsOnly: Codable { var inputs: JobInputs }
}

/// A job whose inputs are loaded: executes shards given as JSON, returns results as JSON.
public final class OpenJob: @unchecked Sendable {
    public let inputs: AnalysisInputs
    private let run: (Data, ExecutionContext) throws -> String

    init(inputs: AnalysisInputs, run: @escaping (Data, ExecutionContext) throws -> String) {
        self.inputs = inputs
        self.run = run
    }

    public func execute(shard: Data, context: ExecutionContext) throws -> String {
        try run(shard, context)
    }
}
