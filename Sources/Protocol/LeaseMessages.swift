import Foundation

/// `POST /v1/leases/claim`: up to `slots` shards for `worker`, leased for `ttlSeconds`.
public struct ClaimRequest: Codable, Equatable, Sendable {
    public var worker: String
    public var slots: Int
    public var ttlSeconds: Double?
    /// Long poll: when nothing is available, wait up to this long for work (0 = answer at once).
    public var waitSeconds: Double?

    public init(worker: String, slots: Int, ttlSeconds: Double? = nil, waitSeconds: Double? = nil) {
        (self.worker, self.slots, self.ttlSeconds, self.waitSeconds) = (worker, slots, ttlSeconds, waitSeconds)
    }
}

/// One leased shard: report about it with `lease`.
public struct LeaseGrant: Codable, Equatable, Sendable {
    public var shard: Int64
    public var job: UUID
    public var lease: UUID
    public var attempt: Int
    public var index: Int
    public var kind: String
    /// The shard's spec, as JSON text (the analysis kind's `ShardSpec`).
    public var spec: String

    public init(shard: Int64, job: UUID, lease: UUID, attempt: Int, index: Int, kind: String, spec: String) {
        (self.shard, self.job, self.lease, self.attempt, self.index, self.kind, self.spec) = (shard, job, lease, attempt, index, kind, spec)
    }
}

public struct ClaimResponse: Codable, Equatable, Sendable {
    public var leases: [LeaseGrant]
    public init(leases: [LeaseGrant]) { self.leases = leases }
}

/// `POST /v1/leases/heartbeat`: the leases a worker holds; the answer names those it lost.
public struct HeartbeatRequest: Codable, Equatable, Sendable {
    public struct Held: Codable, Equatable, Sendable {
        public var shard: Int64
        public var lease: UUID
        public init(shard: Int64, lease: UUID) { (self.shard, self.lease) = (shard, lease) }
    }

    public var worker: String
    public var leases: [Held]
    public var ttlSeconds: Double?

    public init(worker: String, leases: [Held], ttlSeconds: Double? = nil) {
        (self.worker, self.leases, self.ttlSeconds) = (worker, leases, ttlSeconds)
    }
}

public struct HeartbeatResponse: Codable, Equatable, Sendable {
    public var lost: [Int64]
    public init(lost: [Int64]) { self.lost = lost }
}

/// `POST /v1/leases/release`: leases a worker will not use (it is shutting down), returned to
/// the queue without spending an attempt.
public struct ReleaseRequest: Codable, Equatable, Sendable {
    public var worker: String
    public var leases: [HeartbeatRequest.Held]
    public init(worker: String, leases: [HeartbeatRequest.Held]) { (self.worker, self.leases) = (worker, leases) }
}

/// `POST /v1/shards/{id}/complete`: the shard's result (JSON text of its `ShardResult`).
public struct CompleteRequest: Codable, Equatable, Sendable {
    public var lease: UUID
    public var result: String
    public init(lease: UUID, result: String) { (self.lease, self.result) = (lease, result) }
}

/// `POST /v1/shards/{id}/fail`: the error a shard's execution threw.
public struct FailRequest: Codable, Equatable, Sendable {
    public var lease: UUID
    public var error: String
    public init(lease: UUID, error: String) { (self.lease, self.error) = (lease, error) }
}

/// `POST /v1/tokens` (admin): a new token for a role; the token is shown only in this answer.
public struct TokenRequest: Codable, Equatable, Sendable {
    public var role: TokenRole
    public var name: String
    public init(role: TokenRole, name: String) { (self.role, self.name) = (role, name) }
}

public struct TokenResponse: Codable, Equatable, Sendable {
    public var token: String
    public var role: TokenRole
    public init(token: String, role: TokenRole) { (self.token, self.role) = (token, role) }
}
