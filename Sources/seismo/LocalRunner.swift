import Engine
import Foundation
import Protocol

/// Runs an analysis in this process: load and check the inputs, plan, execute every shard with
/// a progress bar, aggregate.
struct LocalRunner<A: Analysis> {
    var job: JobSpec<A.Options>
    var inputs: AnalysisInputs
    var threads: Int
    var shardSize: Int

    /// Hashes and loads the files, validates the options, and fills data-dependent defaults —
    /// every bad input is reported here, before any work starts.
    init(_: A.Type, model: String, data: String, labels: String?, comparison: (data: String, labels: String?)? = nil,
         outlierLabels: String? = nil, options: A.Options, threads: Int, shardSize: Int) throws {
        var artifacts = LocalArtifacts()
        let modelReference = try artifacts.add(model)
        let dataReference = try artifacts.add(data)
        let labelsReference = try labels.map { try artifacts.add($0) }
        let comparisonData = try comparison.map { try artifacts.add($0.data) }
        let comparisonLabels = try comparison?.labels.map { try artifacts.add($0) }
        let outliers = try outlierLabels.map { try artifacts.add($0) }
        // Counts are filled once the data is read.
        var jobInputs = JobInputs(model: modelReference, primary: DatasetReference(data: dataReference, labels: labelsReference, count: 0),
                                  comparison: comparisonData.map { DatasetReference(data: $0, labels: comparisonLabels, count: 0) },
                                  outlierLabels: outliers)
        let loaded = try AnalysisInputs.load(jobInputs, resolver: artifacts)
        jobInputs.primary.count = loaded.primary.count
        jobInputs.comparison?.count = loaded.comparison?.count ?? 0
        var job = JobSpec(inputs: jobInputs, options: options)
        try A.validate(job, inputs: loaded)
        A.prepare(&job, inputs: loaded)
        self.job = job
        inputs = loaded
        self.threads = threads
        self.shardSize = shardSize
    }

    /// Executes every shard and aggregates.
    func run(label: String) throws -> (summary: A.Summary, results: [A.ShardResult]) {
        let shards = A.plan(job, shardSize: shardSize)
        let total = shards.reduce(0) { $0 + $1.count }
        let bar = ProgressBar(total: total, label: label)
        var results: [A.ShardResult] = []
        for shard in shards {
            let before = bar.completed
            let context = ExecutionContext(threads: threads) { bar.advance(by: $0) }
            results.append(try A.execute(job, shard: shard, inputs: inputs, context: context))
            // Kinds that report no progress of their own still advance by whole shards.
            bar.advance(by: max(0, before + shard.count - bar.completed))
        }
        bar.finish()
        return (A.aggregate(job, results: results), results)
    }
}
