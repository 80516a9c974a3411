import HTTPTypes
import Protocol

/// One endpoint, the roles that may call it (`admin` may call every one; nil = open to all), and
/// the largest request body it takes. The router is built from `APIRoute.all`, and the
/// authorization test walks the same table.
public struct APIRoute: Sendable, Hashable, CustomStringConvertible {
    public var method: HTTPRequest.Method
    public var path: String
    public var roles: Set<TokenRole>?
    public var bodyLimit: Int = 64 << 10

    public var description: String { "\(method) \(path)" }

    public static let healthz = APIRoute(method: .get, path: "/healthz", roles: nil)
    public static let readyz = APIRoute(method: .get, path: "/readyz", roles: nil)
    public static let metrics = APIRoute(method: .get, path: "/metrics", roles: [.read])
    public static let createToken = APIRoute(method: .post, path: "/v1/tokens", roles: [])
    public static let submitJob = APIRoute(method: .post, path: "/v1/jobs", roles: [.submit], bodyLimit: 16 << 20)
    public static let listJobs = APIRoute(method: .get, path: "/v1/jobs", roles: [.submit, .read])
    public static let jobStatus = APIRoute(method: .get, path: "/v1/jobs/:id", roles: [.submit, .read])
    public static let jobSpec = APIRoute(method: .get, path: "/v1/jobs/:id/spec", roles: [.submit, .read, .worker])
    public static let jobSummary = APIRoute(method: .get, path: "/v1/jobs/:id/summary", roles: [.submit, .read])
    public static let jobResults = APIRoute(method: .get, path: "/v1/jobs/:id/results", roles: [.submit, .read])
    public static let cancelJob = APIRoute(method: .post, path: "/v1/jobs/:id/cancel", roles: [.submit])
    public static let workers = APIRoute(method: .get, path: "/v1/workers", roles: [.submit, .read])
    public static let claim = APIRoute(method: .post, path: "/v1/leases/claim", roles: [.worker])
    public static let heartbeat = APIRoute(method: .post, path: "/v1/leases/heartbeat", roles: [.worker], bodyLimit: 1 << 20)
    public static let release = APIRoute(method: .post, path: "/v1/leases/release", roles: [.worker], bodyLimit: 1 << 20)
    public static let complete = APIRoute(method: .post, path: "/v1/shards/:id/complete", roles: [.worker], bodyLimit: 256 << 20)
    public static let fail = APIRoute(method: .post, path: "/v1/shards/:id/fail", roles: [.worker], bodyLimit: 1 << 20)
    public static let artifactExists = APIRoute(method: .head, path: "/v1/artifacts/:sha256", roles: [.submit, .worker, .read])
    public static let uploadArtifact = APIRoute(method: .put, path: "/v1/artifacts/:sha256", roles: [.submit, .worker], bodyLimit: 4 << 30)
    public static let artifactChunk = APIRoute(method: .get, path: "/v1/artifacts/:sha256/chunks/:index", roles: [.worker, .submit, .read])

    public static let all: [APIRoute] = [
        healthz, readyz, metrics, createToken, submitJob, listJobs, jobStatus, jobSpec, jobSummary, jobResults, cancelJob, workers,
        claim, heartbeat, release, complete, fail, artifactExists, uploadArtifact, artifactChunk,
    ]

    /// Whether a token of `role` may call this endpoint.
    public func allows(_ role: TokenRole) -> Bool {
        guard let roles else { return true }
        return role == .admin || roles.contains(role)
    }
}
