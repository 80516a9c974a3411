import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Protocol

/// A failed call to the coordinator: the HTTP status and the coordinator's message, or why it
/// could not be reached.
public enum CoordinatorError: Error, CustomStringConvertible {
    case status(Int, String, route: String)
    case unreachable(String, route: String)
    case badAnswer(String, route: String)

    public var description: String {
        switch self {
        case .status(let code, let message, let route): return "\(route): HTTP \(code): \(message)"
        case .unreachable(let why, let route): return "\(route): cannot reach the coordinator (\(why))"
        case .badAnswer(let why, let route): return "\(route): unexpected answer (\(why))"
        }
    }

    /// 409: a report with a lease that is no longer current.
    public var isConflict: Bool {
        if case .status(409, _, _) = self { return true }
        return false
    }

    /// Worth retrying: the coordinator (or its database) is down or restarting.
    public var isTransient: Bool {
        switch self {
        case .unreachable: return true
        case .status(let code, _, _): return code >= 500 || code == 429
        case .badAnswer: return false
        }
    }
}

/// The coordinator's API as typed calls (used by workers and by the CLI).
public struct CoordinatorClient: Sendable {
    public let baseURL: String
    let token: String
    let http: HTTPClient

    public init(url: String, token: String, http: HTTPClient = .shared) {
        baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.token = token
        self.http = http
    }

    // MARK: leases

    public func claim(_ request: ClaimRequest) async throws -> [LeaseGrant] {
        let timeout = TimeAmount.seconds(Int64((request.waitSeconds ?? 0) + 30))
        return try await send(.POST, "/v1/leases/claim", body: request, timeout: timeout, as: ClaimResponse.self).leases
    }

    public func heartbeat(_ request: HeartbeatRequest) async throws -> [Int64] {
        try await send(.POST, "/v1/leases/heartbeat", body: request, as: HeartbeatResponse.self).lost
    }

    public func release(_ request: ReleaseRequest) async throws {
        _ = try await raw(.POST, "/v1/leases/release", body: .json(request))
    }

    public func complete(shard: Int64, _ request: CompleteRequest) async throws {
        _ = try await raw(.POST, "/v1/shards/\(shard)/complete", body: .json(request), timeout: .seconds(300))
    }

    public func fail(shard: Int64, _ request: FailRequest) async throws {
        _ = try await raw(.POST, "/v1/shards/\(shard)/fail", body: .json(request))
    }

    // MARK: jobs

    public func submit(_ request: SubmitRequest) async throws -> SubmitResponse {
        try await send(.POST, "/v1/jobs", body: request, timeout: .seconds(600), as: SubmitResponse.self)
    }

    public func status(_ job: UUID) async throws -> JobStatus {
        try await send(.GET, "/v1/jobs/\(job.uuidString.lowercased())", as: JobStatus.self)
    }

    public func jobs(limit: Int = 50) async throws -> [JobStatus] {
        try await send(.GET, "/v1/jobs?limit=\(limit)", as: JobList.self).jobs
    }

    public func spec(_ job: UUID) async throws -> Data {
        try await raw(.GET, "/v1/jobs/\(job.uuidString.lowercased())/spec")
    }

    public func summary(_ job: UUID) async throws -> Data {
        try await raw(.GET, "/v1/jobs/\(job.uuidString.lowercased())/summary")
    }

    /// The accepted results in plan order, each as its JSON bytes.
    public func results(_ job: UUID) async throws -> [Data] {
        let data = try await raw(.GET, "/v1/jobs/\(job.uuidString.lowercased())/results", timeout: .seconds(600))
        guard let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
            throw CoordinatorError.badAnswer("results are not a JSON array", route: "GET /v1/jobs/\(job.uuidString.lowercased())/results")
        }
        return try array.map { try JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]) }
    }

    public func cancel(_ job: UUID) async throws {
        _ = try await raw(.POST, "/v1/jobs/\(job.uuidString.lowercased())/cancel")
    }

    public func workers() async throws -> [WorkerStatus] {
        try await send(.GET, "/v1/workers", as: WorkerList.self).workers
    }

    public func createToken(_ request: TokenRequest) async throws -> TokenResponse {
        try await send(.POST, "/v1/tokens", body: request, as: TokenResponse.self)
    }

    // MARK: artifacts

    public func hasArtifact(_ sha256: String) async throws -> Bool {
        do {
            _ = try await raw(.HEAD, "/v1/artifacts/\(sha256)")
            return true
        } catch CoordinatorError.status(404, _, _) {
            return false
        }
    }

    public func upload(_ artifact: ArtifactReference, bytes: Data) async throws {
        _ = try await raw(.PUT, "/v1/artifacts/\(artifact.sha256)", body: .bytes(bytes), headers: ["X-Seismo-Name": artifact.name],
                          timeout: .seconds(3600))
    }

    public func artifactChunk(_ sha256: String, index: Int) async throws -> Data {
        try await raw(.GET, "/v1/artifacts/\(sha256)/chunks/\(index)", timeout: .seconds(300))
    }

    // MARK: transport

    enum Body {
        case json(Encodable)
        case bytes(Data)
    }

    private func send<Request: Encodable, Reply: Decodable>(_ method: HTTPMethod, _ path: String, body: Request,
                                                            timeout: TimeAmount = .seconds(60), as _: Reply.Type) async throws -> Reply {
        try decode(Reply.self, try await raw(method, path, body: .json(body), timeout: timeout), route: "\(method) \(path)")
    }

    private func send<Reply: Decodable>(_ method: HTTPMethod, _ path: String, as _: Reply.Type) async throws -> Reply {
        try decode(Reply.self, try await raw(method, path), route: "\(method) \(path)")
    }

    private func decode<Reply: Decodable>(_: Reply.Type, _ data: Data, route: String) throws -> Reply {
        do {
            return try SeismoJSON.decoder().decode(Reply.self, from: data)
        } catch {
            throw CoordinatorError.badAnswer("\(error)", route: route)
        }
    }

    /// One request; the answer's body on 2xx, a `CoordinatorError` otherwise.
    func raw(_ method: HTTPMethod, _ path: String, body: Body? = nil, headers: [String: String] = [:],
             timeout: TimeAmount = .seconds(60)) async throws -> Data {
        let route = "\(method) \(path.split(separator: "?").first ?? "")"
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        switch body {
        case .json(let value):
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try SeismoJSON.encoder(pretty: false).encode(value)))
        case .bytes(let data):
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            request.body = .bytes(ByteBuffer(bytes: data))
        case nil:
            break
        }
        let response: HTTPClientResponse
        let buffer: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            buffer = try await response.body.collect(upTo: 2 << 30)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw CoordinatorError.unreachable("\(error)", route: route)
        }
        let data = Data(buffer.readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw CoordinatorError.status(Int(response.status.code), Self.message(data, status: response.status), route: route)
        }
        return data
    }

    /// The coordinator's error message (Hummingbird answers `{"error": {"message": …}}`).
    private static func message(_ data: Data, status: HTTPResponseStatus) -> String {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let error = object["error"] as? [String: Any], let message = error["message"] as? String {
            return message
        }
        let text = String(decoding: data.prefix(500), as: UTF8.self)
        return text.isEmpty ? status.reasonPhrase : text
    }
}
