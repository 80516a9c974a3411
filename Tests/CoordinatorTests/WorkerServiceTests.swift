@testable import Coordinator
import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Protocol
import ServiceLifecycle
import Worker
import XCTest

/// The worker library against a live coordinator API on loopback and a real PostgreSQL: it
/// fetches the artifacts into its cache, executes and reports every shard, and stops cleanly on
/// graceful shutdown; the aggregated summary is the one `seismo analyze` computes.
final class WorkerServiceTests: XCTestCase {
    private let logger = TestDatabase.logger
    private static let golden = TestDatabase.repositoryRoot.appendingPathComponent("Tests/Fixtures/golden/mlp_digits")

    func testAWorkerRunsEveryShardOfAJobAndDrainsOnShutdown() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let tokens = TokenStore(client: client, logger: self.logger)
            let submitToken = try await tokens.create(role: .submit, name: "alice")
            let workerToken = try await tokens.create(role: .worker, name: "workers")
            let api = try CoordinatorAPI(client: client, logger: self.logger)
            let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: self.logger)
            try await app.test(.live) { http in
                let url = "http://127.0.0.1:\(try XCTUnwrap(http.port))"
                let submitter = CoordinatorClient(url: url, token: submitToken)
                let local = try LocalJob(InfluenceAnalysis.self, model: Self.golden.appendingPathComponent("model.onnx").path,
                                         data: Self.golden.appendingPathComponent("inputs.npy").path,
                                         labels: Self.golden.appendingPathComponent("labels.npy").path,
                                         options: InfluenceOptions(labelMode: .true, referenceEpsilon: 1e-3))
                for artifact in local.job.inputs.artifacts {
                    try await submitter.upload(artifact, bytes: Data(contentsOf: local.artifacts.url(for: artifact)))
                }
                let spec = try SeismoJSON.decoder().decode(JSONValue.self, from: SeismoJSON.encoder().encode(local.job))
                let submitted = try await submitter.submit(SubmitRequest(job: spec, shardSize: 5))

                let cache = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-worker-test-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: cache) }
                let worker = WorkerService(configuration: WorkerConfiguration(name: "test-worker", slots: 2, threadsPerShard: 1, leaseSeconds: 10,
                                                                              claimWaitSeconds: 1, cacheDirectory: cache),
                                           client: CoordinatorClient(url: url, token: workerToken), logger: self.logger)
                let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: self.logger))
                let running = Task { try await group.run() }
                let aggregator = Aggregator(summaries: SummaryStore(client: client, logger: self.logger), jobs: JobStore(client: client, logger: self.logger),
                                            interval: .seconds(1), logger: self.logger)
                var status = try await submitter.status(submitted.id)
                for _ in 0..<300 where status.state != "succeeded" {
                    try await Task.sleep(for: .milliseconds(100))
                    try await aggregator.pass()
                    status = try await submitter.status(submitted.id)
                }
                await group.triggerGracefulShutdown()
                try await running.value
                XCTAssertEqual(status.state, "succeeded", "\(status)")
                XCTAssertEqual(status.shardsDone, submitted.shards)
                let workers = try await submitter.workers()
                XCTAssertEqual(workers.first { $0.name == "test-worker" }?.shardsDone, submitted.shards)
                XCTAssertEqual(workers.first { $0.name == "test-worker" }?.leased, 0, "nothing left leased after the drain")
                let summary = try SeismoJSON.decoder().decode(InfluenceSummary.self, from: try await submitter.summary(submitted.id))
                let expected = InfluenceAnalysis.aggregate(local.job, results: try local.results(shardSize: 64))
                XCTAssertEqual(try SeismoJSON.encoder().encode(summary), try SeismoJSON.encoder().encode(expected))
                let cached = try FileManager.default.subpathsOfDirectory(atPath: cache.path).filter { $0.count > 60 }
                XCTAssertEqual(Set(cached.map { String($0.suffix(64)) }), Set(local.job.inputs.artifacts.map(\.sha256)),
                               "every artifact cached under its SHA-256")
            }
        }
    }
}
