import Foundation
import Logging
import PostgresNIO

/// The aggregator's view of the jobs table: which summaries are due, and storing them.
struct SummaryStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A job whose summary is behind its accepted results.
    struct Due: Sendable {
        var id: UUID
        var kind: String
        var spec: String
        var final: Bool
        var shardsDone: Int
    }

    /// Running jobs with results newer than their partial summary, and jobs whose results are
    /// all in (`final`; they move to 'aggregating' here).
    func due() async throws -> [Due] {
        let rows = try await client.query("""
            SELECT j.id, j.kind, j.spec::text, c.done = j.shards_total, c.done
            FROM jobs j CROSS JOIN LATERAL (SELECT count(*)::int AS done FROM results r WHERE r.job_id = j.id) c
            WHERE j.state IN ('running', 'aggregating') AND (c.done > j.summary_shards OR c.done = j.shards_total)
            ORDER BY c.done = j.shards_total DESC, j.created_at
            """, logger: logger)
        var jobs: [Due] = []
        for try await (id, kind, spec, final, done) in rows.decode((UUID, String, String, Bool, Int).self) {
            jobs.append(Due(id: id, kind: kind, spec: spec, final: final, shardsDone: done))
        }
        for job in jobs where job.final {
            try await client.query("""
                UPDATE jobs SET state = 'aggregating', shards_done = \(job.shardsDone), updated_at = clock_timestamp()
                WHERE id = \(job.id) AND state = 'running'
                """, logger: logger)
        }
        return jobs
    }

    /// Stores a summary of `shards` results; a final one ends the job (unless it was cancelled
    /// or failed meanwhile).
    func save(_ job: UUID, summary: String, shards: Int, final: Bool) async throws {
        if final {
            try await client.query("""
                UPDATE jobs SET summary = \(summary)::jsonb, summary_shards = \(shards), shards_done = \(shards), state = 'succeeded',
                    finished_at = clock_timestamp(), updated_at = clock_timestamp()
                WHERE id = \(job) AND state = 'aggregating'
                """, logger: logger)
        } else {
            try await client.query("""
                UPDATE jobs SET summary = \(summary)::jsonb, summary_shards = \(shards), shards_done = \(shards), updated_at = clock_timestamp()
                WHERE id = \(job) AND state = 'running' AND summary_shards < \(shards)
                """, logger: logger)
        }
    }

    /// The results cannot be aggregated (a defect, or results from an incompatible version).
    func fail(_ job: UUID, error: String) async throws {
        try await client.query("""
            UPDATE jobs SET state = 'failed', error = \(error), finished_at = clock_timestamp(), updated_at = clock_timestamp()
            WHERE id = \(job) AND state IN ('running', 'aggregating')
            """, logger: logger)
    }

    /// Runs `body` only if no other coordinator holds the aggregation lock (else returns false).
    func exclusively(_ body: @Sendable () async throws -> Void) async throws -> Bool {
        try await client.withConnection { connection in
            var locked = false
            for try await ok in try await connection.query("SELECT pg_try_advisory_lock(\(Self.lockKey))", logger: logger).decode(Bool.self) {
                locked = ok
            }
            guard locked else { return false }
            do {
                try await body()
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
            return true
        }
    }

    /// "seismo aggregate" in ASCII, cut to 63 bits.
    static let lockKey: Int64 = 0x7365_6973_6d6f_6167 & 0x7fff_ffff_ffff_ffff
}
