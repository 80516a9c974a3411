import Foundation
import Logging
import PostgresNIO
import Protocol

/// A job as it is submitted: its spec and its shards' specs (JSON texts from `Protocol` values).
public struct NewJob: Sendable {
    public var kind: String
    public var spec: String
    public var shards: [String]
    public var priority: Int
    public var maxAttempts: Int
    public var owner: String
    public var shardSize: Int

    public init(kind: String, spec: String, shards: [String], priority: Int = 0, maxAttempts: Int = 3, owner: String = "", shardSize: Int = 0) {
        (self.kind, self.spec, self.shards, self.priority, self.maxAttempts) = (kind, spec, shards, priority, maxAttempts)
        (self.owner, self.shardSize) = (owner, shardSize)
    }
}

/// Jobs in PostgreSQL: created with all their shards in one transaction, cancelled, read.
public struct JobStore: Sendable {
    /// The channel a new or requeued shard is announced on (long-poll claims listen to it).
    public static let shardsChannel = "seismo_shards"

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores the job and its shards; nothing is stored if any part fails.
    public func create(_ job: NewJob) async throws -> UUID {
        precondition(job.maxAttempts >= 1 && !job.shards.isEmpty)
        return try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("""
                INSERT INTO jobs (kind, spec, state, priority, max_attempts, shards_total, owner, shard_size)
                VALUES (\(job.kind), \(job.spec)::jsonb, 'pending', \(job.priority), \(job.maxAttempts), \(job.shards.count),
                        \(job.owner), \(job.shardSize))
                RETURNING id, created_at
                """, logger: logger)
            var created: (UUID, Date)?
            for try await row in rows.decode((UUID, Date).self) { created = row }
            guard let (id, createdAt) = created else { throw StoreError.noRowReturned("INSERT INTO jobs") }
            try await connection.query("""
                INSERT INTO shards (job_id, index, spec, priority, job_created, max_attempts)
                SELECT \(id), (t.ordinal - 1)::int, t.spec::jsonb, \(job.priority), \(createdAt), \(job.maxAttempts)
                FROM unnest(\(job.shards)::text[]) WITH ORDINALITY AS t(spec, ordinal)
                """, logger: logger)
            try await connection.query("SELECT pg_notify(\(Self.shardsChannel), '')", logger: logger)
            return id
        }
    }

    /// Stops new claims of the job's shards and revokes their leases (a worker learns at its
    /// next heartbeat). False when the job had already ended.
    public func cancel(_ id: UUID) async throws -> Bool {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE jobs SET state = 'cancelled', finished_at = clock_timestamp(), updated_at = clock_timestamp()
                WHERE id = \(id) AND state IN ('pending', 'running', 'aggregating')
                RETURNING id
                """, logger: logger)
            var changed = false
            for try await _ in rows.decode(UUID.self) { changed = true }
            guard changed else { return false }
            try await connection.query("""
                UPDATE shards SET state = 'cancelled', lease_expires = NULL
                WHERE job_id = \(id) AND state IN ('available', 'leased')
                """, logger: logger)
            return true
        }
    }

    /// Progress is counted from the accepted results (an index-only scan), not kept in the job's
    /// row, so completions never wait on one another.
    private static let statusColumns = """
        id, kind, state, shards_total, (SELECT count(*)::int FROM results r WHERE r.job_id = jobs.id), shards_failed, summary_shards, priority, max_attempts, owner,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), error
        """

    private typealias StatusRow = (UUID, String, String, Int, Int, Int, Int, Int, Int, String, String, String?, String?)

    private static func status(_ r: StatusRow) -> JobStatus {
        JobStatus(id: r.0, kind: r.1, state: r.2, shardsTotal: r.3, shardsDone: r.4, shardsFailed: r.5, summaryShards: r.6,
                  priority: r.7, maxAttempts: r.8, owner: r.9, createdAt: r.10, finishedAt: r.11, error: r.12)
    }

    /// The job's state, progress and every failed attempt of its shards.
    public func status(_ id: UUID) async throws -> JobStatus? {
        let rows = try await client.query("SELECT \(unescaped: Self.statusColumns) FROM jobs WHERE id = \(id)", logger: logger)
        for try await row in rows.decode(StatusRow.self) {
            var status = Self.status(row)
            status.shardErrors = try await shardErrors(id)
            return status
        }
        return nil
    }

    /// The most recent jobs first.
    public func list(limit: Int) async throws -> [JobStatus] {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.statusColumns) FROM jobs ORDER BY created_at DESC LIMIT \(limit)
            """, logger: logger)
        var jobs: [JobStatus] = []
        for try await row in rows.decode(StatusRow.self) { jobs.append(Self.status(row)) }
        return jobs
    }

    /// Every recorded error of the job's shards, by shard then attempt.
    public func shardErrors(_ id: UUID) async throws -> [ShardError] {
        let rows = try await client.query("""
            SELECT s.index, (e ->> 'attempt')::int, e ->> 'worker', e ->> 'error'
            FROM shards s, jsonb_array_elements(s.errors) WITH ORDINALITY AS x(e, n)
            WHERE s.job_id = \(id) ORDER BY s.index, x.n
            """, logger: logger)
        var errors: [ShardError] = []
        for try await (index, attempt, worker, error) in rows.decode((Int, Int, String?, String).self) {
            errors.append(ShardError(shard: index, attempt: attempt, worker: worker, error: error))
        }
        return errors
    }

    /// The job's spec as stored (JSON text).
    public func spec(_ id: UUID) async throws -> (kind: String, spec: String)? {
        let rows = try await client.query("SELECT kind, spec::text FROM jobs WHERE id = \(id)", logger: logger)
        for try await row in rows.decode((String, String).self) { return row }
        return nil
    }

    /// The stored summary (final, or partial while the job runs) and how many shards it covers.
    public func summary(_ id: UUID) async throws -> (summary: String, shards: Int)? {
        let rows = try await client.query("SELECT summary::text, summary_shards FROM jobs WHERE id = \(id) AND summary IS NOT NULL", logger: logger)
        for try await row in rows.decode((String, Int).self) { return row }
        return nil
    }

    /// The accepted results of the job's shards, in plan order (JSON texts).
    public func results(_ id: UUID) async throws -> [String] {
        let rows = try await client.query("""
            SELECT r.body::text FROM results r JOIN shards s ON s.id = r.shard_id WHERE r.job_id = \(id) ORDER BY s.index
            """, logger: logger)
        var results: [String] = []
        for try await body in rows.decode(String.self) { results.append(body) }
        return results
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case noRowReturned(String)
    public var description: String {
        switch self {
        case .noRowReturned(let statement): return "\(statement) returned no row"
        }
    }
}
