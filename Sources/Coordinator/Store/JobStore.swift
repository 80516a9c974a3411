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

    public init(kind: String, spec: String, shards: [String], priority: Int = 0, maxAttempts: Int = 3) {
        (self.kind, self.spec, self.shards, self.priority, self.maxAttempts) = (kind, spec, shards, priority, maxAttempts)
    }
}

/// Jobs in PostgreSQL: created with all their shards in one transaction, cancelled, read.
public struct JobStore: Sendable {
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
                INSERT INTO jobs (kind, spec, state, priority, max_attempts, shards_total)
                VALUES (\(job.kind), \(job.spec)::jsonb, 'pending', \(job.priority), \(job.maxAttempts), \(job.shards.count))
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

    public func status(_ id: UUID) async throws -> JobStatus? {
        let rows = try await client.query("""
            SELECT id, kind, state, shards_total, shards_done, shards_failed, error FROM jobs WHERE id = \(id)
            """, logger: logger)
        for try await (id, kind, state, total, done, failed, error) in rows.decode((UUID, String, String, Int, Int, Int, String?).self) {
            return JobStatus(id: id, kind: kind, state: state, shardsTotal: total, shardsDone: done, shardsFailed: failed, error: error)
        }
        return nil
    }

    /// Every recorded error of the job's shards, oldest first: `(shard index, attempt, error)`.
    public func shardErrors(_ id: UUID) async throws -> [(index: Int, attempt: Int, error: String)] {
        let rows = try await client.query("""
            SELECT s.index, (e ->> 'attempt')::int, e ->> 'error'
            FROM shards s, jsonb_array_elements(s.errors) WITH ORDINALITY AS x(e, n)
            WHERE s.job_id = \(id) ORDER BY s.index, x.n
            """, logger: logger)
        var errors: [(index: Int, attempt: Int, error: String)] = []
        for try await (index, attempt, error) in rows.decode((Int, Int, String).self) { errors.append((index, attempt, error)) }
        return errors
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
