import Foundation
import Logging
import PostgresNIO
import Protocol

/// The workers the coordinator has seen (each claim and heartbeat records one), for
/// `seismo workers` and the dashboard. Nothing depends on it: workers are stateless.
public struct WorkerStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Workers seen within `within` seconds, most recently seen first.
    public func list(within seconds: Double) async throws -> [WorkerStatus] {
        let rows = try await client.query("""
            SELECT w.name, w.slots, (SELECT count(*) FROM shards s WHERE s.state = 'leased' AND s.worker = w.name)::int,
                   w.shards_done::int, w.shards_failed::int, w.leases_lost::int,
                   to_char(w.first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   to_char(w.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   extract(epoch FROM clock_timestamp() - w.last_seen)::float8
            FROM workers w
            WHERE w.last_seen > clock_timestamp() - make_interval(secs => \(seconds))
            ORDER BY w.last_seen DESC, w.name
            """, logger: logger)
        var workers: [WorkerStatus] = []
        for try await (name, slots, leased, done, failed, lost, first, last, age) in rows.decode((String, Int, Int, Int, Int, Int, String, String, Double).self) {
            workers.append(WorkerStatus(name: name, slots: slots, leased: leased, shardsDone: done, shardsFailed: failed, leasesLost: lost,
                                        firstSeen: first, lastSeen: last, secondsSinceSeen: age))
        }
        return workers
    }
}
