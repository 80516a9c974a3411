import Coordinator
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Protocol
import XCTest

/// The coordinator's HTTP API on a live server on loopback, over a real PostgreSQL.
final class APITests: XCTestCase {
    private let logger = TestDatabase.logger

    /// Runs `body` with a live server and one token per role.
    private func withServer(_ body: @escaping @Sendable (any TestClientProtocol, [TokenRole: String], JobStore) async throws -> Void) async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let tokens = TokenStore(client: client, logger: self.logger)
            var issued: [TokenRole: String] = [:]
            for role in TokenRole.allCases { issued[role] = try await tokens.create(role: role, name: "test \(role)") }
            let api = try CoordinatorAPI(client: client, logger: self.logger)
            let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: self.logger)
            let roles = issued
            try await app.test(.live) { http in
                try await body(http, roles, JobStore(client: client, logger: self.logger))
            }
        }
    }

    private func headers(_ token: String?) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        if let token { fields[.authorization] = "Bearer \(token)" }
        return fields
    }

    private func json<T: Encodable>(_ value: T) throws -> ByteBuffer {
        ByteBuffer(data: try JSONEncoder().encode(value))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    }

    /// Every endpoint but health and readiness: 401 without a token (or with an unknown one),
    /// 403 with a token of a role it does not allow, and past authorization with every role
    /// it allows (admin included).
    func testEveryEndpointChecksTokenAndRole() async throws {
        try await withServer { http, tokens, _ in
            for route in APIRoute.all {
                let uri = route.path
                    .replacingOccurrences(of: ":id/c", with: "\(UUID())/c")
                    .replacingOccurrences(of: "jobs/:id", with: "jobs/\(UUID())")
                    .replacingOccurrences(of: "shards/:id", with: "shards/1")
                    .replacingOccurrences(of: ":sha256", with: String(repeating: "0", count: 64))
                    .replacingOccurrences(of: ":index", with: "0")
                let body = ByteBuffer(string: "{}")
                if route.roles == nil {
                    let open = try await http.execute(uri: uri, method: route.method, headers: self.headers(nil))
                    XCTAssertEqual(open.status, .ok, "\(route) is open")
                    continue
                }
                let anonymous = try await http.execute(uri: uri, method: route.method, headers: self.headers(nil), body: body)
                XCTAssertEqual(anonymous.status, .unauthorized, "\(route) without a token")
                let unknown = try await http.execute(uri: uri, method: route.method, headers: self.headers("sk_unknown"), body: body)
                XCTAssertEqual(unknown.status, .unauthorized, "\(route) with an unknown token")
                for role in TokenRole.allCases {
                    let response = try await http.execute(uri: uri, method: route.method, headers: self.headers(tokens[role]), body: body)
                    if route.allows(role) {
                        XCTAssertFalse([.unauthorized, .forbidden].contains(response.status), "\(route) with \(role): \(response.status)")
                    } else {
                        XCTAssertEqual(response.status, .forbidden, "\(route) with \(role)")
                    }
                }
            }
        }
    }

    func testAWorkerClaimsHeartbeatsAndReportsAndStaleReportsAnswer409() async throws {
        try await withServer { http, tokens, jobs in
            let id = try await jobs.create(NewJob(kind: "influence", spec: "{}", shards: [#"{"i":0}"#, #"{"i":1}"#]))
            let worker = self.headers(tokens[.worker])
            let claimed = try self.decode(ClaimResponse.self, try await http.execute(
                uri: "/v1/leases/claim", method: .post, headers: worker, body: try self.json(ClaimRequest(worker: "w1", slots: 5))))
            XCTAssertEqual(claimed.leases.map(\.index), [0, 1])
            let first = claimed.leases[0], second = claimed.leases[1]

            let beat = try self.decode(HeartbeatResponse.self, try await http.execute(
                uri: "/v1/leases/heartbeat", method: .post, headers: worker,
                body: try self.json(HeartbeatRequest(worker: "w1", leases: [.init(shard: first.shard, lease: first.lease), .init(shard: 999, lease: UUID())]))))
            XCTAssertEqual(beat.lost, [999])

            let foreign = try await http.execute(uri: "/v1/shards/\(first.shard)/complete", method: .post, headers: worker,
                                                 body: try self.json(CompleteRequest(lease: UUID(), result: "{}")))
            XCTAssertEqual(foreign.status, .conflict)
            XCTAssertTrue(String(buffer: foreign.body).contains("not current"), String(buffer: foreign.body))
            let done = try await http.execute(uri: "/v1/shards/\(first.shard)/complete", method: .post, headers: worker,
                                              body: try self.json(CompleteRequest(lease: first.lease, result: #"{"ok":true}"#)))
            XCTAssertEqual(done.status, .ok)
            let again = try await http.execute(uri: "/v1/shards/\(first.shard)/complete", method: .post, headers: worker,
                                               body: try self.json(CompleteRequest(lease: first.lease, result: "{}")))
            XCTAssertEqual(again.status, .conflict, "a duplicate report is not counted")
            let failed = try await http.execute(uri: "/v1/shards/\(second.shard)/fail", method: .post, headers: worker,
                                                body: try self.json(FailRequest(lease: second.lease, error: "division by zero")))
            XCTAssertEqual(failed.status, .ok)

            let status = try self.decode(JobStatus.self, try await http.execute(uri: "/v1/jobs/\(id)", method: .get, headers: self.headers(tokens[.read])))
            XCTAssertEqual(status.shardsDone, 1)
            XCTAssertEqual(status.state, "running", "the failed shard waits for its retry")
        }
    }

    func testBadRequestsNameTheField() async throws {
        try await withServer { http, tokens, _ in
            let worker = self.headers(tokens[.worker])
            let cases: [(String, String)] = [
                (#"{"worker":"w","slots":0}"#, "slots"),
                (#"{"worker":"","slots":1}"#, "worker"),
                (#"{"worker":"w","slots":1,"ttlSeconds":99999}"#, "ttlSeconds"),
                (#"{"worker":"w"}"#, "slots"),
                (#"{"worker":"w","slots":"two"}"#, "slots"),
                ("not json", "JSON"),
            ]
            for (body, field) in cases {
                let response = try await http.execute(uri: "/v1/leases/claim", method: .post, headers: worker, body: ByteBuffer(string: body))
                XCTAssertEqual(response.status, .badRequest, body)
                XCTAssertTrue(String(buffer: response.body).contains(field), "\(body) → \(String(buffer: response.body))")
            }
            let badSha = try await http.execute(uri: "/v1/artifacts/XYZ", method: .head, headers: worker)
            XCTAssertEqual(badSha.status, .badRequest)
        }
    }

    func testArtifactsUploadOnceAndStreamBackInChunks() async throws {
        try await withServer { http, tokens, _ in
            let bytes = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let sha = sha256Hex(bytes)
            var upload = self.headers(tokens[.submit])
            upload[HTTPField.Name("X-Seismo-Name")!] = "x.npy"
            let missing = try await http.execute(uri: "/v1/artifacts/\(sha)", method: .head, headers: upload)
            XCTAssertEqual(missing.status, .notFound)
            let put = try await http.execute(uri: "/v1/artifacts/\(sha)", method: .put, headers: upload, body: ByteBuffer(data: bytes))
            XCTAssertEqual(put.status, .created)
            let present = try await http.execute(uri: "/v1/artifacts/\(sha)", method: .head, headers: self.headers(tokens[.worker]))
            XCTAssertEqual(present.status, .ok)
            let chunk = try await http.execute(uri: "/v1/artifacts/\(sha)/chunks/0", method: .get, headers: self.headers(tokens[.worker]))
            XCTAssertEqual(Data(chunk.body.readableBytesView), bytes)
            let wrong = try await http.execute(uri: "/v1/artifacts/\(String(repeating: "a", count: 64))", method: .put, headers: upload, body: ByteBuffer(data: bytes))
            XCTAssertEqual(wrong.status, .unprocessableContent)
        }
    }

    func testBodiesOverTheRouteLimitAnswer413AndMetricsAreExposedToReaders() async throws {
        try await withServer { http, tokens, _ in
            let huge = ByteBuffer(string: #"{"worker":"w","slots":1,"pad":""# + String(repeating: "x", count: APIRoute.claim.bodyLimit) + #""}"#)
            let tooLarge = try await http.execute(uri: "/v1/leases/claim", method: .post, headers: self.headers(tokens[.worker]), body: huge)
            XCTAssertEqual(tooLarge.status, .contentTooLarge)
            let unknown = try await http.execute(uri: "/v1/leases/claim", method: .post, headers: self.headers(tokens[.worker]),
                                                 body: ByteBuffer(string: #"{"worker":"w","slots":1,"slot":2}"#))
            XCTAssertEqual(unknown.status, .badRequest)
            XCTAssertTrue(String(buffer: unknown.body).contains("body.slot: unknown field"), String(buffer: unknown.body))
            let metrics = try await http.execute(uri: "/metrics", method: .get, headers: self.headers(tokens[.read]))
            XCTAssertEqual(metrics.status, .ok)
            let text = String(buffer: metrics.body)
            XCTAssertTrue(text.contains("# TYPE seismo_shards_completed_total counter"), text)
            XCTAssertTrue(text.contains("seismo_http_requests_total"), text)
        }
    }
}

private func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
