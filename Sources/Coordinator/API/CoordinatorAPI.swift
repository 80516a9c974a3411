import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PostgresNIO
import Protocol

/// The coordinator's HTTP API over its PostgreSQL store. Handlers only translate between HTTP
/// and the stores: leasing, fencing and retries live in `LeaseStore`, nothing about an analysis
/// lives here.
public struct CoordinatorAPI: Sendable {
    let client: PostgresClient
    let jobs: JobStore
    let leases: LeaseStore
    let tokens: TokenStore
    let artifacts: ArtifactStore
    /// Lease length when a worker does not ask for one.
    public var defaultLeaseSeconds = 60.0

    public init(client: PostgresClient, logger: Logger, backoff: Backoff = Backoff()) {
        self.client = client
        jobs = JobStore(client: client, logger: logger)
        leases = LeaseStore(client: client, logger: logger, backoff: backoff)
        tokens = TokenStore(client: client, logger: logger)
        artifacts = ArtifactStore(client: client, logger: logger)
    }

    public func router() -> Router<CoordinatorContext> {
        let router = Router(context: CoordinatorContext.self)
        add(.healthz, to: router) { _, _ in "ok\n" }
        add(.readyz, to: router) { _, _ in
            do {
                try await client.query("SELECT 1")
                return "ready\n"
            } catch {
                throw HTTPError(.serviceUnavailable, message: "the database does not answer: \(error)")
            }
        }
        add(.createToken, to: router) { request, context in
            let body = try await request.decode(as: TokenRequest.self, context: context)
            try Validation.name(body.name, field: "name")
            return TokenResponse(token: try await tokens.create(role: body.role, name: body.name), role: body.role)
        }
        add(.jobStatus, to: router) { _, context in
            let id = try context.parameters.require("id", as: UUID.self)
            guard let status = try await jobs.status(id) else { throw HTTPError(.notFound, message: "no job \(id)") }
            return status
        }
        add(.cancelJob, to: router) { _, context in
            let id = try context.parameters.require("id", as: UUID.self)
            guard try await jobs.status(id) != nil else { throw HTTPError(.notFound, message: "no job \(id)") }
            guard try await jobs.cancel(id) else { throw HTTPError(.conflict, message: "job \(id) has already ended") }
            return HTTPResponse.Status.ok
        }
        addLeaseRoutes(to: router)
        addArtifactRoutes(to: router)
        return router
    }

    private func addLeaseRoutes(to router: Router<CoordinatorContext>) {
        add(.claim, to: router) { request, context in
            let body = try await request.decode(as: ClaimRequest.self, context: context)
            try Validation.name(body.worker, field: "worker")
            try Validation.range(body.slots, 1...256, field: "slots")
            let ttl = body.ttlSeconds ?? defaultLeaseSeconds
            try Validation.range(ttl, 0.1...3600, field: "ttlSeconds")
            return ClaimResponse(leases: try await leases.claim(worker: body.worker, slots: body.slots, ttl: ttl))
        }
        add(.heartbeat, to: router) { request, context in
            let body = try await request.decode(as: HeartbeatRequest.self, context: context)
            try Validation.name(body.worker, field: "worker")
            let ttl = body.ttlSeconds ?? defaultLeaseSeconds
            try Validation.range(ttl, 0.1...3600, field: "ttlSeconds")
            let lost = try await leases.heartbeat(worker: body.worker, held: body.leases.map { ($0.shard, $0.lease) }, ttl: ttl)
            return HeartbeatResponse(lost: lost)
        }
        add(.complete, to: router) { request, context in
            let shard = try context.parameters.require("id", as: Int64.self)
            let body = try await request.decode(as: CompleteRequest.self, context: context)
            guard try await leases.complete(shard: shard, lease: body.lease, result: body.result) else {
                throw HTTPError(.conflict, message: "shard \(shard): lease \(body.lease) is not current (expired and re-leased, cancelled, already reported, or never granted); the result was not counted")
            }
            return HTTPResponse.Status.ok
        }
        add(.fail, to: router) { request, context in
            let shard = try context.parameters.require("id", as: Int64.self)
            let body = try await request.decode(as: FailRequest.self, context: context)
            guard try await leases.fail(shard: shard, lease: body.lease, error: body.error) else {
                throw HTTPError(.conflict, message: "shard \(shard): lease \(body.lease) is not current; the failure was not counted")
            }
            return HTTPResponse.Status.ok
        }
    }

    private func addArtifactRoutes(to router: Router<CoordinatorContext>) {
        add(.artifactExists, to: router) { _, context in
            let sha = try Validation.sha256(context.parameters.require("sha256"))
            guard try await artifacts.contains(sha) else { throw HTTPError(.notFound) }
            return HTTPResponse.Status.ok
        }
        add(.uploadArtifact, to: router) { request, context in
            let sha = try Validation.sha256(context.parameters.require("sha256"))
            let name = request.headers[HTTPField.Name("X-Seismo-Name")!] ?? "artifact"
            try Validation.name(name, field: "X-Seismo-Name")
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let bytes = Data(body.readableBytesView)
            do {
                try await artifacts.put(ArtifactReference(sha256: sha, name: name, bytes: bytes.count), bytes: bytes)
            } catch let error as ArtifactStore.UploadError {
                throw HTTPError(.unprocessableContent, message: "artifact \(sha): \(error)")
            }
            return HTTPResponse.Status.created
        }
        add(.artifactChunk, to: router) { _, context in
            let sha = try Validation.sha256(context.parameters.require("sha256"))
            let index = try context.parameters.require("index", as: Int.self)
            guard let chunk = try await artifacts.chunk(sha, index: index) else { throw HTTPError(.notFound, message: "artifact \(sha) has no chunk \(index)") }
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: chunk)))
        }
    }

    /// Registers a handler behind the route's authorization.
    private func add(_ route: APIRoute, to router: Router<CoordinatorContext>,
                     _ handler: @escaping @Sendable (Request, CoordinatorContext) async throws -> some ResponseGenerator) {
        router.on(RouterPath(route.path), method: route.method) { request, context in
            try await authorize(request, for: route)
            return try await handler(request, context)
        }
    }

    /// 401 without a valid token, 403 when its role may not call the route.
    func authorize(_ request: Request, for route: APIRoute) async throws {
        guard route.roles != nil else { return }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "\(route) needs a bearer token (Authorization: Bearer …)")
        }
        guard let role = try await tokens.role(of: String(header.dropFirst("Bearer ".count))) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "unknown or revoked token")
        }
        guard route.allows(role) else {
            throw HTTPError(.forbidden, message: "a \(role.rawValue) token may not call \(route)")
        }
    }
}

extension ClaimResponse: ResponseEncodable {}
extension HeartbeatResponse: ResponseEncodable {}
extension JobStatus: ResponseEncodable {}
extension TokenResponse: ResponseEncodable {}
