import Foundation
import Hummingbird
import PostgresNIO

/// Counters of this coordinator process and gauges read from the database, in Prometheus'
/// text format at `/metrics`.
final class CoordinatorMetrics: @unchecked Sendable {
    final class Counter: @unchecked Sendable {
        let name: String
        let help: String
        private let lock = NSLock()
        private var value = 0.0
        init(_ name: String, _ help: String) { (self.name, self.help) = (name, help) }
        func add(_ amount: Int) { add(Double(amount)) }
        func add(_ amount: Double) { lock.withLock { value += amount } }
        var current: Double { lock.withLock { value } }
    }

    let jobsSubmitted = Counter("seismo_jobs_submitted_total", "Jobs accepted by this coordinator.")
    let shardsLeased = Counter("seismo_shards_leased_total", "Shard leases granted.")
    let shardsCompleted = Counter("seismo_shards_completed_total", "Shard results accepted.")
    let shardsFailed = Counter("seismo_shards_failed_total", "Shard failures reported by workers.")
    let reportsRejected = Counter("seismo_reports_rejected_total", "Reports answered 409 (stale or foreign lease).")
    let leasesExpired = Counter("seismo_leases_expired_total", "Expired leases returned to the queue or failed by the rescuer.")
    let requests = Counter("seismo_http_requests_total", "HTTP requests served.")
    let requestSeconds = Counter("seismo_http_request_seconds_sum", "Total seconds spent serving HTTP requests.")

    private var counters: [Counter] {
        [jobsSubmitted, shardsLeased, shardsCompleted, shardsFailed, reportsRejected, leasesExpired, requests, requestSeconds]
    }

    /// The exposition: this process's counters, then shards and jobs by state from the database.
    func exposition(client: PostgresClient) async throws -> String {
        var text = ""
        for counter in counters {
            text += "# HELP \(counter.name) \(counter.help)\n# TYPE \(counter.name) counter\n\(counter.name) \(counter.current)\n"
        }
        text += "# HELP seismo_shards Shards by state (queue depth is state=\"available\").\n# TYPE seismo_shards gauge\n"
        for try await (state, count) in try await client.query("SELECT state, count(*)::int FROM shards GROUP BY state ORDER BY state").decode((String, Int).self) {
            text += "seismo_shards{state=\"\(state)\"} \(count)\n"
        }
        text += "# HELP seismo_jobs Jobs by state.\n# TYPE seismo_jobs gauge\n"
        for try await (state, count) in try await client.query("SELECT state, count(*)::int FROM jobs GROUP BY state ORDER BY state").decode((String, Int).self) {
            text += "seismo_jobs{state=\"\(state)\"} \(count)\n"
        }
        return text
    }
}

/// Counts requests and the time spent serving them.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = CoordinatorContext
    let metrics: CoordinatorMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - start
            metrics.requests.add(1)
            metrics.requestSeconds.add(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return try await next(request, context)
    }
}
