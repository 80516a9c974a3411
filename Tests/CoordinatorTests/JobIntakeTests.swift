@testable import Coordinator
import Crypto
import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Protocol
import XCTest

/// Submitting jobs over the API: validation against the real files, nothing left behind by a
/// rejected job, strict bodies; and the aggregator turning accepted results into the summary
/// `seismo analyze` would compute.
final class JobIntakeTests: XCTestCase {
    private let logger = TestDatabase.logger
    private static let golden = TestDatabase.repositoryRoot.appendingPathComponent("Tests/Fixtures/golden/cnn_digits")

    private struct Server: Sendable {
        var http: any TestClientProtocol
        var client: PostgresClient
        var submitter: HTTPFields
        var worker: HTTPFields
    }

    private func withServer(_ body: @escaping @Sendable (Server) async throws -> Void) async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let tokens = TokenStore(client: client, logger: self.logger)
            let submit = try await tokens.create(role: .submit, name: "alice")
            let worker = try await tokens.create(role: .worker, name: "workers")
            let api = try CoordinatorAPI(client: client, logger: self.logger)
            let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: self.logger)
            try await app.test(.live) { http in
                try await body(Server(http: http, client: client, submitter: Self.headers(submit), worker: Self.headers(worker)))
            }
        }
    }

    private static func headers(_ token: String) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.authorization] = "Bearer \(token)"
        return fields
    }

    /// The golden CNN's files as a local job, uploaded to the server.
    private func upload(_ server: Server, options: InfluenceOptions = InfluenceOptions(referenceEpsilon: 1e-3)) async throws -> LocalJob<InfluenceAnalysis> {
        let local = try LocalJob(InfluenceAnalysis.self, model: Self.golden.appendingPathComponent("model.onnx").path,
                                 data: Self.golden.appendingPathComponent("inputs.npy").path,
                                 labels: Self.golden.appendingPathComponent("labels.npy").path, options: options)
        for artifact in local.job.inputs.artifacts {
            var headers = server.submitter
            headers[HTTPField.Name("X-Seismo-Name")!] = artifact.name
            let bytes = try Data(contentsOf: local.artifacts.url(for: artifact))
            let put = try await server.http.execute(uri: "/v1/artifacts/\(artifact.sha256)", method: .put, headers: headers, body: ByteBuffer(bytes: bytes))
            XCTAssertEqual(put.status, .created)
        }
        return local
    }

    private func submitBody(_ job: some Encodable, shardSize: Int = 4, extra: String = "") throws -> ByteBuffer {
        let spec = String(decoding: try SeismoJSON.encoder(pretty: false).encode(job), as: UTF8.self)
        return ByteBuffer(string: #"{"job":\#(spec),"shardSize":\#(shardSize)\#(extra)}"#)
    }

    private func count(_ table: String, _ client: PostgresClient) async throws -> Int {
        var n = 0
        for try await c in try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)")).decode(Int.self) { n = c }
        return n
    }

    func testRejectedJobsNameTheProblemAndLeaveNothingBehind() async throws {
        try await withServer { server in
            let local = try await self.upload(server)
            var badTop = local.job
            badTop.options.top = 0
            var missingArtifact = local.job
            missingArtifact.inputs.model.sha256 = String(repeating: "ab", count: 32)
            let unknownKind = #"{"job":{"kind":"astrology","inputs":{},"options":{}}}"#
            let cases: [(ByteBuffer, HTTPResponse.Status, String)] = [
                (try self.submitBody(badTop), .unprocessableContent, "top"),
                (try self.submitBody(missingArtifact), .unprocessableContent, "has not been uploaded"),
                (ByteBuffer(string: unknownKind), .badRequest, "astrology"),
                (try self.submitBody(local.job, extra: #","color":"red""#), .badRequest, "body.color: unknown field"),
                (try self.submitBody(local.job, shardSize: 0), .badRequest, "shardSize"),
                (ByteBuffer(string: #"{"job":{"kind":"influence","inputs":{},"options":{}},"priority":"high"}"#), .badRequest, "body.priority"),
                (try self.submitBody(JSONValue.object(["kind": .string("influence"), "inputs": try self.value(local.job.inputs),
                                                       "options": .object(["labelMode": .string("sideways")])])), .badRequest, "job.options"),
            ]
            for (body, status, text) in cases {
                let response = try await server.http.execute(uri: "/v1/jobs", method: .post, headers: server.submitter, body: body)
                XCTAssertEqual(response.status, status, String(buffer: response.body))
                XCTAssertTrue(String(buffer: response.body).contains(text), "expected '\(text)' in \(String(buffer: response.body))")
            }
            let jobs = try await self.count("jobs", server.client)
            let shards = try await self.count("shards", server.client)
            XCTAssertEqual(jobs, 0, "a rejected job leaves no job behind")
            XCTAssertEqual(shards, 0, "a rejected job leaves no shards behind")
            let workerSubmits = try await server.http.execute(uri: "/v1/jobs", method: .post, headers: server.worker, body: try self.submitBody(local.job))
            XCTAssertEqual(workerSubmits.status, .forbidden, "a worker token cannot submit")
        }
    }

    private func value(_ encodable: some Encodable) throws -> JSONValue {
        try SeismoJSON.decoder().decode(JSONValue.self, from: SeismoJSON.encoder().encode(encodable))
    }

    /// A job submitted over HTTP, its shards executed by the catalog (as a worker would) and
    /// reported, then aggregated by the aggregator: the stored summary decodes to exactly the
    /// summary of the same job run locally.
    func testAcceptedJobRunsAndAggregatesToTheLocalSummary() async throws {
        try await withServer { server in
            let local = try await self.upload(server)
            let submitted = try await server.http.execute(uri: "/v1/jobs", method: .post, headers: server.submitter, body: try self.submitBody(local.job))
            XCTAssertEqual(submitted.status, .created, String(buffer: submitted.body))
            let response = try SeismoJSON.decoder().decode(SubmitResponse.self, from: Data(submitted.body.readableBytesView))
            XCTAssertEqual(response.shards, (local.job.inputs.primary.count + 3) / 4)

            let leases = LeaseStore(client: server.client, logger: self.logger)
            let grants = try await leases.claim(worker: "w", slots: 256, ttl: 60)
            XCTAssertEqual(grants.count, response.shards)
            let analysis = try AnalysisCatalog.kind(named: "influence")
            let stored = try await JobStore(client: server.client, logger: self.logger).spec(response.id)
            let open = try analysis.open(spec: Data(try XCTUnwrap(stored).spec.utf8), resolver: local.artifacts)
            let workerRead = try await server.http.execute(uri: "/v1/jobs/\(response.id)/results", method: .get, headers: server.worker)
            XCTAssertEqual(workerRead.status, .forbidden, "a worker token cannot read results")
            let aggregator = Aggregator(summaries: SummaryStore(client: server.client, logger: self.logger),
                                        jobs: JobStore(client: server.client, logger: self.logger), interval: .seconds(1), logger: self.logger)
            for (n, grant) in grants.reversed().enumerated() {
                let result = try open.execute(shard: Data(grant.spec.utf8), context: ExecutionContext(threads: 1))
                let accepted = try await leases.complete(shard: grant.shard, lease: grant.lease, result: result)
                XCTAssertTrue(accepted)
                if n == 0 {
                    try await aggregator.pass()
                    let partial = try await JobStore(client: server.client, logger: self.logger).status(response.id)
                    XCTAssertEqual(partial?.summaryShards, 1, "a partial summary while the job runs")
                    XCTAssertEqual(partial?.state, "running")
                }
            }
            try await aggregator.pass()
            let status = try await JobStore(client: server.client, logger: self.logger).status(response.id)
            XCTAssertEqual(status?.state, "succeeded")
            let summaryResponse = try await server.http.execute(uri: "/v1/jobs/\(response.id)/summary", method: .get, headers: server.submitter)
            let summary = try SeismoJSON.decoder().decode(InfluenceSummary.self, from: Data(summaryResponse.body.readableBytesView))
            let expected = InfluenceAnalysis.aggregate(local.job, results: try local.results(shardSize: 7))
            XCTAssertEqual(try SeismoJSON.encoder().encode(summary), try SeismoJSON.encoder().encode(expected),
                           "the cluster's summary is byte for byte the local one, whatever the sharding")
        }
    }
}
