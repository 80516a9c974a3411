import Foundation
import Protocol

/// A job over files on this host, as `seismo analyze` runs it: the files are hashed and loaded,
/// the options validated and their data-dependent defaults filled — every bad input is reported
/// here, before any work starts.
public struct LocalJob<A: Analysis> {
    public private(set) var job: JobSpec<A.Options>
    public let inputs: AnalysisInputs
    /// Where each of the job's artifacts is on this host.
    public let artifacts: LocalArtifacts

    public init(_: A.Type, model: String, data: String, labels: String? = nil, comparison: (data: String, labels: String?)? = nil,
                outlierLabels: String? = nil, initialSolutions: [String] = [], directions: String? = nil, options: A.Options) throws {
        var artifacts = LocalArtifacts()
        let modelReference = try artifacts.add(model)
        let dataReference = try artifacts.add(data)
        let labelsReference = try labels.map { try artifacts.add($0) }
        let comparisonData = try comparison.map { try artifacts.add($0.data) }
        let comparisonLabels = try comparison?.labels.map { try artifacts.add($0) }
        let outliers = try outlierLabels.map { try artifacts.add($0) }
        let solutions = try initialSolutions.map { try artifacts.add($0) }
        let directionsReference = try directions.map { try artifacts.add($0) }
        // Counts are filled once the data is read.
        var jobInputs = JobInputs(model: modelReference, primary: DatasetReference(data: dataReference, labels: labelsReference, count: 0),
                                  comparison: comparisonData.map { DatasetReference(data: $0, labels: comparisonLabels, count: 0) },
                                  outlierLabels: outliers, initialSolutions: solutions.isEmpty ? nil : solutions,
                                  directions: directionsReference)
        let loaded = try AnalysisInputs.load(jobInputs, resolver: artifacts)
        jobInputs.primary.count = loaded.primary.count
        jobInputs.comparison?.count = loaded.comparison?.count ?? 0
        var job = JobSpec(inputs: jobInputs, options: options)
        try A.validate(job, inputs: loaded)
        A.prepare(&job, inputs: loaded)
        self.job = job
        inputs = loaded
        self.artifacts = artifacts
    }

    /// Executes every shard of the plan, in plan order, calling `shardDone` after each.
    public func results(shardSize: Int, context: ExecutionContext = ExecutionContext(),
                        shardDone: ((ShardSpec) -> Void)? = nil) throws -> [A.ShardResult] {
        try A.plan(job, shardSize: shardSize).map { shard in
            let result = try A.execute(job, shard: shard, inputs: inputs, context: context)
            shardDone?(shard)
            return result
        }
    }
}
