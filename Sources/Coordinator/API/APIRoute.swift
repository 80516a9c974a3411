import HTTPTypes
import Protocol

/// One endpoint and the roles that may call it (`admin` may call every one; nil = open to all).
/// The router is built from `APIRoute.all`, and the authorization test walks the same table.
public struct APIRoute: Sendable, Hashable, CustomStringConvertible {
    public var method: HTTPRequest.Method
    public var path: String
    public var roles: Set<TokenRole>?

    public var description: String { "\(method) \(path)" }

    public static let healthz = APIRoute(method: .get, path: "/healthz", roles: nil)
    public static let readyz = APIRoute(method: .get, path: "/readyz", roles: nil)
    public static let createToken = APIRoute(method: .post, path: "/v1/tokens", roles: [])
    public static let jobStatus = APIRoute(method: .get, path: "/v1/jobs/:id", roles: [.submit, .read])
    public static let cancelJob = APIRoute(method: .post, path: "/v1/jobs/:id/cancel", roles: [.submit])
    public static let claim = APIRoute(method: .post, path: "/v1/leases/claim", roles: [.worker])
    public static let heartbeat = APIRoute(method: .post, path: "/v1/leases/heartbeat", roles: [.worker])
    public static let complete = APIRoute(method: .post, path: "/v1/shards/:id/complete", roles: [.worker])
    public static let fail = APIRoute(method: .post, path: "/v1/shards/:id/fail", roles: [.worker])
    public static let artifactExists = APIRoute(method: .head, path: "/v1/artifacts/:sha256", roles: [.submit, .worker, .read])
    public static let uploadArtifact = APIRoute(method: .put, path: "/v1/artifacts/:sha256", roles: [.submit])
    public static let artifactChunk = APIRoute(method: .get, path: "/v1/artifacts/:sha256/chunks/:index", roles: [.worker, .submit, .read])

    public static let all: [APIRoute] = [
        healthz, readyz, createToken, jobStatus, cancelJob, claim, heartbeat, complete, fail,
        artifactExists, uploadArtifact, artifactChunk,
    ]

    /// Whether a token of `role` may call this endpoint.
    public func allows(_ role: TokenRole) -> Bool {
        guard let roles else { return true }
        return role == .admin || roles.contains(role)
    }
}
