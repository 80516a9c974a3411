import Logging
import PostgresNIO

/// The schema, as numbered steps applied in order and recorded in `schema_migrations`. Every
/// coordinator runs them at start under an advisory lock, so several coordinators starting at
/// once against one database apply each step exactly once.
public enum Migrations {
    /// Serialises migrators across processes (an arbitrary constant: "seismo" in ASCII).
    static let lockKey: Int64 = 0x7365_6973_6d6f

    /// One schema version: statements run in one transaction (one per string: the extended
    /// query protocol takes a single statement at a time).
    public struct Step: Sendable {
        public var version: Int
        public var statements: [String]
    }

    public static let steps: [Step] = [
        Step(version: 1, statements: [
            """
                CREATE TABLE jobs (
                    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                    kind text NOT NULL,
                    spec jsonb NOT NULL,
                    state text NOT NULL DEFAULT 'running'
                        CHECK (state IN ('pending', 'running', 'aggregating', 'succeeded', 'failed', 'cancelled')),
                    priority int NOT NULL DEFAULT 0,
                    max_attempts int NOT NULL CHECK (max_attempts >= 1),
                    shards_total int NOT NULL,
                    shards_done int NOT NULL DEFAULT 0,
                    shards_failed int NOT NULL DEFAULT 0,
                    summary jsonb,
                    error text,
                    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    finished_at timestamptz
                )
            """,
            """
                CREATE TABLE shards (
                    id bigserial PRIMARY KEY,
                    job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    index int NOT NULL,
                    spec jsonb NOT NULL,
                    state text NOT NULL DEFAULT 'available'
                        CHECK (state IN ('available', 'leased', 'done', 'failed', 'cancelled')),
                    priority int NOT NULL,
                    job_created timestamptz NOT NULL,
                    run_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    attempt int NOT NULL DEFAULT 0,
                    max_attempts int NOT NULL,
                    worker text,
                    lease uuid,
                    lease_expires timestamptz,
                    errors jsonb NOT NULL DEFAULT '[]',
                    UNIQUE (job_id, index)
                )
            """,
            """
                CREATE INDEX shards_claimable ON shards (priority DESC, job_created, id) WHERE state = 'available'
            """,
            """
                CREATE INDEX shards_leased ON shards (lease_expires) WHERE state = 'leased'
            """,
            """
                CREATE INDEX shards_by_worker ON shards (worker) WHERE state = 'leased'
            """,
            """
                CREATE TABLE results (
                    shard_id bigint PRIMARY KEY REFERENCES shards (id) ON DELETE CASCADE,
                    job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    body jsonb NOT NULL,
                    accepted_at timestamptz NOT NULL DEFAULT clock_timestamp()
                )
            """,
            """
                CREATE INDEX results_by_job ON results (job_id, shard_id)
            """,
        ]),
        Step(version: 2, statements: [
            """
                CREATE TABLE tokens (
                    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                    hash bytea NOT NULL UNIQUE,
                    role text NOT NULL CHECK (role IN ('admin', 'submit', 'read', 'worker')),
                    name text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    revoked_at timestamptz
                )
            """,
            """
                CREATE TABLE artifacts (
                    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                    name text NOT NULL,
                    bytes bigint NOT NULL CHECK (bytes >= 0),
                    chunks int NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
                )
            """,
            """
                CREATE TABLE artifact_chunks (
                    sha256 text NOT NULL REFERENCES artifacts (sha256) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                    index int NOT NULL,
                    data bytea NOT NULL,
                    PRIMARY KEY (sha256, index)
                )
            """,
        ]),
        Step(version: 3, statements: [
            """
                CREATE TABLE workers (
                    name text PRIMARY KEY,
                    slots int NOT NULL,
                    first_seen timestamptz NOT NULL DEFAULT clock_timestamp(),
                    last_seen timestamptz NOT NULL DEFAULT clock_timestamp(),
                    shards_done bigint NOT NULL DEFAULT 0,
                    shards_failed bigint NOT NULL DEFAULT 0,
                    leases_lost bigint NOT NULL DEFAULT 0
                )
            """,
            """
                ALTER TABLE jobs ADD COLUMN owner text NOT NULL DEFAULT '',
                    ADD COLUMN shard_size int NOT NULL DEFAULT 0,
                    ADD COLUMN summary_shards int NOT NULL DEFAULT 0
            """,
            """
                CREATE INDEX jobs_to_aggregate ON jobs (state) WHERE state IN ('running', 'aggregating')
            """,
        ]),
    ]

    /// Applies the steps this database has not seen; returns the versions applied.
    @discardableResult
    public static func run(on client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            do {
                let applied = try await apply(on: connection, logger: logger)
                try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                throw error
            }
        }
    }

    private static func apply(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version int PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
            )
            """, logger: logger)
        var done = Set<Int>()
        for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) {
            done.insert(version)
        }
        var applied: [Int] = []
        for step in steps where !done.contains(step.version) {
            try await connection.withTransaction(logger: logger) { transaction in
                for statement in step.statements {
                    try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await transaction.query("INSERT INTO schema_migrations (version) VALUES (\(step.version))", logger: logger)
            }
            logger.info("applied schema migration", metadata: ["version": "\(step.version)"])
            applied.append(step.version)
        }
        return applied
    }
}
