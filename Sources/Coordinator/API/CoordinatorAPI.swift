import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PostgresNIO
import Protocol

/// The coordinator's HTTP API over its PostgreSQL store. Handlers only translate between HTTP
/// and the stores: leasing, fencing and retries live in `LeaseStore`, analyses in the Engine's
/// catalog; nothing about an analysis lives here.
public struct CoordinatorAPI: Sendable {
    let client: PostgresClient
    let jobs: JobStore
    let leases: LeaseStore
    let tokens: TokenStore
    let artifacts: ArtifactStore
    let workers: WorkerStore
    let intake: JobIntake
    let callers: CallerCache
    let signal: ShardSignal?
    let pictures: JobInputsCache
    let metrics: CoordinatorMetrics
    /// Lease length when a worker does not ask for one.
    public var defaultLeaseSeconds = 60.0
    /// The longest a claim may wait for work.
    public static let longestWait = 30.0

    init(client: PostgresClient, logger: Logger, backoff: Backoff = Backoff(), cache: ArtifactCache, signal: ShardSignal?,
         metrics: CoordinatorMetrics = CoordinatorMetrics()) {
        self.client = client
        jobs = JobStore(client: client, logger: logger)
        leases = LeaseStore(client: client, logger: logger, backoff: backoff)
        tokens = TokenStore(client: client, logger: logger)
        artifacts = ArtifactStore(client: client, logger: logger)
        workers = WorkerStore(client: client, logger: logger)
        intake = JobIntake(jobs: jobs, artifacts: artifacts, cache: cache)
        callers = CallerCache(tokens: tokens)
        pictures = JobInputsCache(artifacts: artifacts, cache: cache)
        self.signal = signal
        self.metrics = metrics
    }

    /// An API for tests: artifacts cached in a fresh temporary directory, claims poll.
    public init(client: PostgresClient, logger: Logger, backoff: Backoff = Backoff()) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-coordinator-\(UUID().uuidString)")
        self.init(client: client, logger: logger, backoff: backoff, cache: try ArtifactCache(directory: directory), signal: nil)
    }

    public func router() -> Router<CoordinatorContext> {
        let router = Router(context: CoordinatorContext.self)
        router.middlewares.add(RequestMetricsMiddleware(metrics: metrics))
        addServiceRoutes(to: router)
        addJobRoutes(to: router)
        addLeaseRoutes(to: router)
        addArtifactRoutes(to: router)
        Dashboard(jobs: jobs, workers: workers, callers: callers, pictures: pictures).register(on: router)
        return router
    }

    private func addServiceRoutes(to router: Router<CoordinatorContext>) {
        add(.healthz, to: router) { _, _, _ in "ok\n" }
        add(.readyz, to: router) { _, _, _ in
            do {
                try await client.query("SELECT 1")
                return "ready\n"
            } catch {
                throw HTTPError(.serviceUnavailable, message: "the database does not answer: \(error)")
            }
        }
        add(.metrics, to: router) { _, _, _ in
            let text = try await metrics.exposition(client: client)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        add(.createToken, to: router) { request, context, _ in
            let body = try await decode(TokenRequest.self, request, context, .createToken)
            try Validation.name(body.name, field: "name")
            return TokenResponse(token: try await tokens.create(role: body.role, name: body.name), role: body.role)
        }
        add(.workers, to: router) { request, _, _ in
            let within = request.uri.queryParameters.get("within", as: Double.self) ?? 300
            return WorkerList(workers: try await workers.list(within: within))
        }
    }

    private func addJobRoutes(to router: Router<CoordinatorContext>) {
        add(.submitJob, to: router) { request, context, caller in
            let body = try await decode(SubmitRequest.self, request, context, .submitJob)
            let response = try await intake.submit(body, owner: caller.name)
            metrics.jobsSubmitted.add(1)
            return EditedResponse(status: .created, response: response)
        }
        add(.listJobs, to: router) { request, _, _ in
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 50
            try Validation.range(limit, 1...1000, field: "limit")
            return JobList(jobs: try await jobs.list(limit: limit))
        }
        add(.jobStatus, to: router) { _, context, _ in
            let id = try jobID(context)
            guard let status = try await jobs.status(id) else { throw HTTPError(.notFound, message: "no job \(id.uuidString.lowercased())") }
            return status
        }
        add(.jobSpec, to: router) { _, context, _ in
            let id = try jobID(context)
            guard let (_, spec) = try await jobs.spec(id) else { throw HTTPError(.notFound, message: "no job \(id.uuidString.lowercased())") }
            return Self.json(spec)
        }
        add(.jobSummary, to: router) { _, context, _ in
            let id = try jobID(context)
            guard let (summary, shards) = try await jobs.summary(id) else {
                guard try await jobs.spec(id) != nil else { throw HTTPError(.notFound, message: "no job \(id.uuidString.lowercased())") }
                throw HTTPError(.notFound, message: "job \(id.uuidString.lowercased()) has no summary yet (no shard has finished, or the aggregator has not run)")
            }
            var response = Self.json(summary)
            response.headers[HTTPField.Name("X-Seismo-Summary-Shards")!] = String(shards)
            return response
        }
        add(.jobResults, to: router) { _, context, _ in
            let id = try jobID(context)
            guard try await jobs.spec(id) != nil else { throw HTTPError(.notFound, message: "no job \(id.uuidString.lowercased())") }
            return Self.json("[" + (try await jobs.results(id)).joined(separator: ",") + "]")
        }
        add(.cancelJob, to: router) { _, context, _ in
            let id = try jobID(context)
            guard try await jobs.spec(id) != nil else { throw HTTPError(.notFound, message: "no job \(id.uuidString.lowercased())") }
            guard try await jobs.cancel(id) else { throw HTTPError(.conflict, message: "job \(id.uuidString.lowercased()) has already ended") }
            return HTTPResponse.Status.ok
        }
    }

    private func addLeaseRoutes(to router: Router<CoordinatorContext>) {
        add(.claim, to: router) { request, context, _ in
            let body = try await decode(ClaimRequest.self, request, context, .claim)
            try Validation.name(body.worker, field: "worker")
            try Validation.range(body.slots, 1...256, field: "slots")
            let ttl = body.ttlSeconds ?? defaultLeaseSeconds
            try Validation.range(ttl, 0.1...3600, field: "ttlSeconds")
            let wait = body.waitSeconds ?? 0
            try Validation.range(wait, 0...Self.longestWait, field: "waitSeconds")
            let grants = try await claim(worker: body.worker, slots: body.slots, ttl: ttl, wait: wait, context: context)
            metrics.shardsLeased.add(grants.count)
            return ClaimResponse(leases: grants)
        }
        add(.heartbeat, to: router) { request, context, _ in
            let body = try await decode(HeartbeatRequest.self, request, context, .heartbeat)
            try Validation.name(body.worker, field: "worker")
            let ttl = body.ttlSeconds ?? defaultLeaseSeconds
            try Validation.range(ttl, 0.1...3600, field: "ttlSeconds")
            let lost = try await leases.heartbeat(worker: body.worker, held: body.leases.map { ($0.shard, $0.lease) }, ttl: ttl)
            return HeartbeatResponse(lost: lost)
        }
        add(.release, to: router) { request, context, _ in
            let body = try await decode(ReleaseRequest.self, request, context, .release)
            try Validation.name(body.worker, field: "worker")
            try await leases.release(body.leases.map { ($0.shard, $0.lease) }, worker: body.worker)
            return HTTPResponse.Status.ok
        }
        add(.complete, to: router) { request, context, _ in
            let shard = try context.parameters.require("id", as: Int64.self)
            let body = try await decode(CompleteRequest.self, request, context, .complete)
            guard try await leases.complete(shard: shard, lease: body.lease, result: body.result) else {
                metrics.reportsRejected.add(1)
                throw HTTPError(.conflict, message: "shard \(shard): lease \(body.lease) is not current (expired and re-leased, cancelled, already reported, or never granted); the result was not counted")
            }
            metrics.shardsCompleted.add(1)
            return HTTPResponse.Status.ok
        }
        add(.fail, to: router) { request, context, _ in
            let shard = try context.parameters.require("id", as: Int64.self)
            let body = try await decode(FailRequest.self, request, context, .fail)
            guard try await leases.fail(shard: shard, lease: body.lease, error: String(body.error.prefix(8000))) else {
                metrics.reportsRejected.add(1)
                throw HTTPError(.conflict, message: "shard \(shard): lease \(body.lease) is not current; the failure was not counted")
            }
            metrics.shardsFailed.add(1)
            return HTTPResponse.Status.ok
        }
    }

    /// Claims at once; when nothing is available and the worker may wait, waits for a
    /// notification (or polls each second) until work arrives or the wait is over. A worker
    /// that hung up meanwhile (it is shutting down) gets nothing: what was claimed for it goes
    /// straight back to the queue.
    private func claim(worker: String, slots: Int, ttl: Double, wait: Double, context: CoordinatorContext) async throws -> [LeaseGrant] {
        let deadline = ContinuousClock.now + .milliseconds(Int(wait * 1000))
        while true {
            guard context.clientConnected else { return [] }
            let grants = try await leases.claim(worker: worker, slots: slots, ttl: ttl)
            if !grants.isEmpty, !context.clientConnected {
                try await leases.release(grants.map { ($0.shard, $0.lease) }, worker: worker)
                return []
            }
            let left = deadline - ContinuousClock.now
            if !grants.isEmpty || left <= .zero || Task.isCancelled { return grants }
            if let signal {
                await signal.wait(upTo: min(left, .seconds(1)))
            } else {
                try await Task.sleep(for: min(left, .milliseconds(200)))
            }
        }
    }

    private func addArtifactRoutes(to router: Router<CoordinatorContext>) {
        add(.artifactExists, to: router) { _, context, _ in
            let sha = try Validation.sha256(context.parameters.require("sha256"))
            guard try await artifacts.contains(sha) else { throw HTTPError(.notFound) }
            return HTTPResponse.Status.ok
        }
        add(.uploadArtifact, to: router) { request, context, _ in
            let sha = try Validation.sha256(context.parameters.require("sha256"))
            let name = request.headers[HTTPField.Name("X-Seismo-Name")!] ?? "artifact"
            try Validation.name(name, field: "X-Seismo-Name")
            let body = try await request.body.collect(upTo: APIRoute.uploadArtifact.bodyLimit)
            let bytes = Data(body.readableBytesView)
            do {
                try await artifacts.put(ArtifactReference(sha256: sha, name: name, bytes: bytes.count), bytes: bytes)
            } catch let error as ArtifactStore.UploadError {
                throw HTTPError(.unprocessableContent, message: "artifact \(sha): \(error)")
            }
            return HTTPResponse.Status.created
        }
        add(.artifactChunk, to: router) { _, context, _ in
            let sha = try Validation.sha256(context.parameters.require("sha256"))
            let index = try context.parameters.require("index", as: Int.self)
            guard let chunk = try await artifacts.chunk(sha, index: index) else { throw HTTPError(.notFound, message: "artifact \(sha) has no chunk \(index)") }
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: chunk)))
        }
    }

    private func jobID(_ context: CoordinatorContext) throws -> UUID {
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw HTTPError(.badRequest, message: "id: expected a job id (UUID), got '\(text.prefix(80))'") }
        return id
    }

    /// Reads a JSON body of at most the route's limit, strictly: unknown fields, wrong types and
    /// malformed JSON answer 400 naming the field.
    private func decode<T: Codable>(_: T.Type, _ request: Request, _ context: CoordinatorContext, _ route: APIRoute) async throws -> T {
        let buffer = try await request.body.collect(upTo: route.bodyLimit)
        do {
            return try WireJSON.decode(T.self, from: Data(buffer.readableBytesView), field: "body")
        } catch let error as WireJSON.Failure {
            throw HTTPError(.badRequest, message: error.description)
        }
    }

    private static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Registers a handler behind the route's authorization.
    private func add(_ route: APIRoute, to router: Router<CoordinatorContext>,
                     _ handler: @escaping @Sendable (Request, CoordinatorContext, Caller) async throws -> some ResponseGenerator) {
        router.on(RouterPath(route.path), method: route.method) { request, context in
            let caller = try await authorize(request, for: route)
            return try await handler(request, context, caller)
        }
    }

    /// 401 without a valid token, 403 when its role may not call the route.
    func authorize(_ request: Request, for route: APIRoute) async throws -> Caller {
        guard route.roles != nil else { return Caller(role: .read, name: "anonymous") }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "\(route) needs a bearer token (Authorization: Bearer …)")
        }
        guard let caller = try await callers.caller(token: String(header.dropFirst("Bearer ".count))) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "unknown or revoked token")
        }
        guard route.allows(caller.role) else {
            throw HTTPError(.forbidden, message: "a \(caller.role.rawValue) token may not call \(route)")
        }
        return caller
    }
}

extension ClaimResponse: ResponseEncodable {}
extension HeartbeatResponse: ResponseEncodable {}
extension JobStatus: ResponseEncodable {}
extension TokenResponse: ResponseEncodable {}
extension SubmitResponse: ResponseEncodable {}
extension JobList: ResponseEncodable {}
extension WorkerList: ResponseEncodable {}
