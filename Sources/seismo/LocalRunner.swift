import Engine
import Foundation
import Protocol

extension LocalJob {
    /// Executes every shard with a progress bar and aggregates; files the shards write (weight
    /// vectors) go to `outputs`, a content-addressed directory.
    func run(label: String, threads: Int, shardSize: Int, outputs: ArtifactCache? = nil) throws -> (summary: A.Summary, results: [A.ShardResult]) {
        let total = A.plan(job, shardSize: shardSize).reduce(0) { $0 + $1.count }
        let bar = ProgressBar(total: total, label: label)
        var finished = 0
        let context = ExecutionContext(threads: threads, outputs: outputs) { bar.advance(by: $0) }
        let results = try results(shardSize: shardSize, context: context) { shard in
            // Kinds that report no progress of their own still advance by whole shards.
            finished += shard.count
            bar.advance(by: max(0, finished - bar.completed))
        }
        bar.finish()
        guard let outputs else { return (A.aggregate(job, results: results), results) }
        return (try A.aggregate(job, results: results, artifacts: outputs), results)
    }
}
