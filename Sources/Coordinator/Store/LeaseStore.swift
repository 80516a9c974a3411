import Foundation
import Logging
import PostgresNIO
import Protocol

/// Shard leasing in PostgreSQL (the pattern of River, Oban and pg-boss, plus fencing):
///
/// - `claim` takes up to `slots` available shards with `FOR UPDATE SKIP LOCKED`, highest priority
///   first, then oldest job; each gets a fresh lease id and an expiry.
/// - `heartbeat` extends the leases a worker still holds and names the ones it lost.
/// - `complete` flips a shard to done only while its lease is current, and stores its result in
///   the same transaction (`ON CONFLICT DO NOTHING`): a late or duplicate report changes nothing.
/// - `fail` records a shard's error and requeues it with backoff, or fails it (and its job)
///   after `max_attempts`; `rescue` does the same for leases that expired.
///
/// A shard is executed at least once; its result is accepted exactly once.
public struct LeaseStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    public var backoff: Backoff

    public init(client: PostgresClient, logger: Logger, backoff: Backoff = Backoff()) {
        self.client = client
        self.logger = logger
        self.backoff = backoff
    }

    /// One statement (one round trip): records the worker as seen, leases the shards and marks
    /// their jobs running.
    public func claim(worker: String, slots: Int, ttl seconds: Double) async throws -> [LeaseGrant] {
        guard slots > 0 else { return [] }
        let rows = try await client.query("""
            WITH seen AS (
                INSERT INTO workers (name, slots) VALUES (\(worker), \(slots))
                ON CONFLICT (name) DO UPDATE SET last_seen = clock_timestamp(), slots = excluded.slots
            ), candidates AS (
                SELECT id FROM shards
                WHERE state = 'available' AND run_at <= clock_timestamp()
                ORDER BY priority DESC, job_created, id
                LIMIT \(slots)
                FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE shards s
                SET state = 'leased', attempt = s.attempt + 1, worker = \(worker), lease = gen_random_uuid(),
                    lease_expires = clock_timestamp() + make_interval(secs => \(seconds))
                FROM candidates c WHERE s.id = c.id
                RETURNING s.id, s.job_id, s.lease, s.attempt, s.index, s.spec, s.priority, s.job_created
            ), started AS (
                UPDATE jobs SET state = 'running', updated_at = clock_timestamp()
                WHERE state = 'pending' AND id IN (SELECT job_id FROM claimed)
            )
            SELECT c.id, c.job_id, c.lease, c.attempt, c.index, j.kind, c.spec::text
            FROM claimed c JOIN jobs j ON j.id = c.job_id
            ORDER BY c.priority DESC, c.job_created, c.id
            """, logger: logger)
        var leases: [LeaseGrant] = []
        for try await (shard, job, lease, attempt, index, kind, spec) in rows.decode((Int64, UUID, UUID, Int, Int, String, String).self) {
            leases.append(LeaseGrant(shard: shard, job: job, lease: lease, attempt: attempt, index: index, kind: kind, spec: spec))
        }
        return leases
    }

    /// Extends the worker's current leases by `ttl`; returns the shards among `held` whose lease
    /// is no longer the worker's (expired and re-leased, cancelled, or never valid).
    public func heartbeat(worker: String, held: [(shard: Int64, lease: UUID)], ttl seconds: Double) async throws -> [Int64] {
        guard !held.isEmpty else { return [] }
        let rows = try await client.query("""
            UPDATE shards s SET lease_expires = clock_timestamp() + make_interval(secs => \(seconds))
            FROM unnest(\(held.map(\.shard))::bigint[], \(held.map(\.lease))::uuid[]) AS h(id, lease)
            WHERE s.id = h.id AND s.lease = h.lease AND s.state = 'leased' AND s.worker = \(worker)
            RETURNING s.id
            """, logger: logger)
        var kept = Set<Int64>()
        for try await id in rows.decode(Int64.self) { kept.insert(id) }
        let lost = held.map(\.shard).filter { !kept.contains($0) }
        try await client.query("""
            UPDATE workers SET last_seen = clock_timestamp(), leases_lost = leases_lost + \(lost.count) WHERE name = \(worker)
            """, logger: logger)
        return lost
    }

    /// Returns leases unused to the queue, as if they had never been granted (no attempt spent).
    public func release(_ held: [(shard: Int64, lease: UUID)], worker: String) async throws {
        guard !held.isEmpty else { return }
        try await client.query("""
            UPDATE shards s SET state = 'available', attempt = s.attempt - 1, worker = NULL, lease = NULL, lease_expires = NULL
            FROM unnest(\(held.map(\.shard))::bigint[], \(held.map(\.lease))::uuid[]) AS h(id, lease)
            WHERE s.id = h.id AND s.lease = h.lease AND s.state = 'leased' AND s.worker = \(worker)
            """, logger: logger)
        try await client.query("SELECT pg_notify(\(JobStore.shardsChannel), '')", logger: logger)
    }

    /// Accepts a shard's result if `lease` is its current lease; false (HTTP 409) otherwise.
    /// One statement, so one round trip and one short transaction: the shard turns done, its
    /// result is stored and its worker credited, or nothing happens. The job's own row is not
    /// touched (every completion of a job would queue on its lock): progress is counted from the
    /// results, and the aggregator moves the job on.
    public func complete(shard: Int64, lease: UUID, result: String) async throws -> Bool {
        let rows = try await client.query("""
            WITH done AS (
                UPDATE shards SET state = 'done', lease_expires = NULL
                WHERE id = \(shard) AND lease = \(lease) AND state = 'leased'
                RETURNING id, job_id, worker
            ), stored AS (
                INSERT INTO results (shard_id, job_id, body) SELECT id, job_id, \(result)::jsonb FROM done
                ON CONFLICT (shard_id) DO NOTHING
            ), credited AS (
                UPDATE workers SET shards_done = shards_done + 1, last_seen = clock_timestamp()
                WHERE name IN (SELECT worker FROM done)
            )
            SELECT count(*)::int FROM done
            """, logger: logger)
        var accepted = 0
        for try await n in rows.decode(Int.self) { accepted = n }
        return accepted == 1
    }

    /// Records that the leased shard threw `error`: requeued after a backoff, or failed (with its
    /// job) once it has used its attempts. False when the lease is not current.
    public func fail(shard: Int64, lease: UUID, error: String) async throws -> Bool {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("""
                WITH failing AS (SELECT id, worker FROM shards WHERE id = \(shard) AND lease = \(lease) AND state = 'leased' FOR UPDATE)
                UPDATE shards s SET errors = errors || jsonb_build_array(jsonb_build_object(
                        'attempt', attempt, 'worker', s.worker, 'error', \(error)::text, 'at', clock_timestamp())),
                    \(unescaped: requeue)
                FROM failing WHERE s.id = failing.id
                RETURNING s.job_id, s.state, failing.worker
                """, logger: logger)
            var outcome: (UUID, String, String?)?
            for try await row in rows.decode((UUID, String, String?).self) { outcome = row }
            guard let (job, state, worker) = outcome else { return false }
            try await connection.query("""
                UPDATE workers SET shards_failed = shards_failed + 1, last_seen = clock_timestamp() WHERE name = \(worker)
                """, logger: logger)
            if state == "available" { try await connection.query("SELECT pg_notify(\(JobStore.shardsChannel), '')", logger: logger) }
            if state == "failed" { try await failJob(job, error: error, on: connection) }
            return true
        }
    }

    /// Requeues (or fails) every shard whose lease expired; returns how many of each.
    public func rescue() async throws -> (requeued: Int, failed: Int) {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("""
                WITH expired AS (
                    SELECT id FROM shards
                    WHERE state = 'leased' AND lease_expires < clock_timestamp()
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE shards s SET errors = errors || jsonb_build_array(jsonb_build_object(
                        'attempt', attempt, 'worker', worker,
                        'error', 'lease expired on worker ' || coalesce(worker, '?'), 'at', clock_timestamp())),
                    \(unescaped: requeue)
                FROM expired WHERE s.id = expired.id
                RETURNING s.job_id, s.state
                """, logger: logger)
            var requeued = 0
            var failedJobs = Set<UUID>()
            for try await (job, state) in rows.decode((UUID, String).self) {
                if state == "failed" { failedJobs.insert(job) } else { requeued += 1 }
            }
            for job in failedJobs {
                try await failJob(job, error: "a shard's lease expired on every attempt", on: connection)
            }
            if requeued > 0 { try await connection.query("SELECT pg_notify(\(JobStore.shardsChannel), '')", logger: logger) }
            return (requeued, failedJobs.count)
        }
    }

    /// The SET assignments that requeue a shard with backoff, or fail it once `attempt` reaches
    /// `max_attempts` (the attempt's error is appended by the caller).
    private var requeue: String {
        """
        state = CASE WHEN attempt >= max_attempts THEN 'failed' ELSE 'available' END,
            run_at = clock_timestamp() + make_interval(secs =>
                least(\(backoff.cap)::float8, \(backoff.base)::float8 * power(2, least(attempt - 1, 30))) * (0.5 + random() / 2)),
            worker = NULL, lease_expires = NULL
        """
    }

    /// A shard used its attempts: the job fails with that error, its other shards stop.
    private func failJob(_ job: UUID, error: String, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE jobs SET state = 'failed', error = \(error), shards_failed = shards_failed + 1,
                finished_at = clock_timestamp(), updated_at = clock_timestamp()
            WHERE id = \(job) AND state IN ('pending', 'running', 'aggregating')
            """, logger: logger)
        try await connection.query("""
            UPDATE shards SET state = 'cancelled', lease_expires = NULL WHERE job_id = \(job) AND state IN ('available', 'leased')
            """, logger: logger)
    }
}
