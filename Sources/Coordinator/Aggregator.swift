import Engine
import Foundation
import Logging
import ServiceLifecycle

/// Turns accepted results into summaries in the background (never on the completion path):
/// partial summaries while a job runs, the final one when its last shard is in. One
/// coordinator at a time aggregates (an advisory lock); a summary is a pure function of the
/// accepted results, so a pass repeated after a crash gives the same bytes.
struct Aggregator: Service {
    let summaries: SummaryStore
    let jobs: JobStore
    let interval: Duration
    let logger: Logger
    /// Where the artifacts results refer to (weight vectors) are copied to be read.
    var artifacts: StoredArtifacts?

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        _ = try await summaries.exclusively { try await pass() }
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        logger.warning("aggregation pass failed", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Aggregates every job that is due.
    func pass() async throws {
        for job in try await summaries.due() {
            let results = try await jobs.results(job.id)
            do {
                let summary = try await aggregate(job, results: results)
                try await summaries.save(job.id, summary: summary, shards: results.count, final: job.final)
                if job.final { logger.info("job succeeded", metadata: ["job": "\(job.id)", "shards": "\(results.count)"]) }
            } catch let error as CancellationError {
                throw error
            } catch {
                logger.error("cannot aggregate job", metadata: ["job": "\(job.id)", "error": "\(error)"])
                try await summaries.fail(job.id, error: "aggregation: \(error)")
            }
        }
    }

    /// Runs the kind's `aggregate` off the cooperative pool (it is CPU work), with the artifacts
    /// its results refer to copied to the disk cache first.
    func aggregate(_ job: SummaryStore.Due, results: [String]) async throws -> String {
        let analysis = try AnalysisCatalog.kind(named: job.kind)
        let data = results.map { Data($0.utf8) }
        var resolver: ArtifactResolver?
        if let artifacts {
            try await artifacts.fetch(try analysis.artifacts(of: data))
            resolver = artifacts.cache
        }
        return try await OffloadedWork.run { [resolver] in
            try analysis.aggregate(spec: Data(job.spec.utf8), results: data, artifacts: resolver)
        }
    }
}
