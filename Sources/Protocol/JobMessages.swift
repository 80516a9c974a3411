import Foundation

/// `POST /v1/jobs`: a job spec (`{"kind": …, "inputs": …, "options": …}`, its artifacts uploaded
/// before) and how to run it.
public struct SubmitRequest: Codable, Equatable, Sendable {
    public var job: JSONValue
    /// Samples (or draws, solves) per shard; results do not depend on it.
    public var shardSize: Int?
    /// Higher runs first.
    public var priority: Int?
    /// Executions of a shard before the job fails.
    public var maxAttempts: Int?

    public init(job: JSONValue, shardSize: Int? = nil, priority: Int? = nil, maxAttempts: Int? = nil) {
        (self.job, self.shardSize, self.priority, self.maxAttempts) = (job, shardSize, priority, maxAttempts)
    }

    public static let defaultShardSize = 256
    public static let defaultMaxAttempts = 3
}

public struct SubmitResponse: Codable, Equatable, Sendable {
    public var id: UUID
    public var shards: Int
    public init(id: UUID, shards: Int) { (self.id, self.shards) = (id, shards) }
}

/// One failed attempt of a shard.
public struct ShardError: Codable, Equatable, Sendable {
    public var shard: Int
    public var attempt: Int
    public var worker: String?
    public var error: String
    public init(shard: Int, attempt: Int, worker: String?, error: String) {
        (self.shard, self.attempt, self.worker, self.error) = (shard, attempt, worker, error)
    }
}

/// A job's state and progress (`GET /v1/jobs/{id}`, and the list `GET /v1/jobs`).
public struct JobStatus: Codable, Equatable, Sendable {
    public var id: UUID
    public var kind: String
    /// pending → running → aggregating → succeeded | failed | cancelled
    public var state: String
    public var shardsTotal: Int
    public var shardsDone: Int
    public var shardsFailed: Int
    /// Shards the stored summary covers (a partial summary while the job runs).
    public var summaryShards: Int
    public var priority: Int
    public var maxAttempts: Int
    /// Name of the token that submitted the job.
    public var owner: String
    /// ISO 8601.
    public var createdAt: String
    public var finishedAt: String?
    public var error: String?
    /// Every failed attempt (only in `GET /v1/jobs/{id}`).
    public var shardErrors: [ShardError]?

    public init(id: UUID, kind: String, state: String, shardsTotal: Int, shardsDone: Int, shardsFailed: Int, summaryShards: Int = 0,
                priority: Int = 0, maxAttempts: Int = 1, owner: String = "", createdAt: String = "", finishedAt: String? = nil,
                error: String?, shardErrors: [ShardError]? = nil) {
        (self.id, self.kind, self.state, self.shardsTotal, self.shardsDone, self.shardsFailed) = (id, kind, state, shardsTotal, shardsDone, shardsFailed)
        (self.summaryShards, self.priority, self.maxAttempts, self.owner, self.createdAt, self.finishedAt) = (summaryShards, priority, maxAttempts, owner, createdAt, finishedAt)
        (self.error, self.shardErrors) = (error, shardErrors)
    }

    /// Whether the job can change no more.
    public var isFinished: Bool { ["succeeded", "failed", "cancelled"].contains(state) }
}

/// A worker as the coordinator last saw it (`GET /v1/workers`).
public struct WorkerStatus: Codable, Equatable, Sendable {
    public var name: String
    public var slots: Int
    public var leased: Int
    public var shardsDone: Int
    public var shardsFailed: Int
    public var leasesLost: Int
    public var firstSeen: String
    public var lastSeen: String
    public var secondsSinceSeen: Double

    public init(name: String, slots: Int, leased: Int, shardsDone: Int, shardsFailed: Int, leasesLost: Int,
                firstSeen: String, lastSeen: String, secondsSinceSeen: Double) {
        (self.name, self.slots, self.leased, self.shardsDone, self.shardsFailed, self.leasesLost) = (name, slots, leased, shardsDone, shardsFailed, leasesLost)
        (self.firstSeen, self.lastSeen, self.secondsSinceSeen) = (firstSeen, lastSeen, secondsSinceSeen)
    }
}

/// `GET /v1/jobs`: the most recent jobs first.
public struct JobList: Codable, Equatable, Sendable {
    public var jobs: [JobStatus]
    public init(jobs: [JobStatus]) { self.jobs = jobs }
}

/// `GET /v1/workers`: workers seen lately, most recent first.
public struct WorkerList: Codable, Equatable, Sendable {
    public var workers: [WorkerStatus]
    public init(workers: [WorkerStatus]) { self.workers = workers }
}
