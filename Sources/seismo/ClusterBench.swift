import ArgumentParser
import AsyncHTTPClient
import Coordinator
import Engine
import Foundation
import Hummingbird
import Logging
import NIOCore
import PostgresNIO
import Protocol
import ServiceLifecycle
import Worker

struct ClusterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Coordinator throughput with trivial shards and W concurrent worker loops over real HTTP on loopback.",
        discussion: """
            Creates a scratch database on the given server and serves the coordinator's API on \
            a loopback port in this process (dropped afterwards).

            First, --busy-workers loops drain shards that take one second each, started 1/W s \
            apart; the line gives overhead_fraction_mean and overhead_fraction_max, each loop's \
            1 − (seconds of work) / (wall seconds): the coordinator's share of wall time.

            Then, for each W, W loops (claim a batch, complete each shard with an empty result) \
            drain a job of --shards trivial shards; one JSON object per W: workers, shards, \
            seconds, shards_per_second, overhead_ms_p50 and overhead_ms_p99 (coordinator time per \
            shard: its share of the claim plus its completion), pg_update_rate (single-row UPDATE \
            transactions per second of the same server with W concurrent connections, measured \
            in the same run) and ratio_to_pg_update_rate.

              seismo bench cluster --database-url postgres://seismo@127.0.0.1:5432/seismo --workers 1,4,16,64
            """)

    @Option(help: "A PostgreSQL server to create the scratch database on (its user must be allowed CREATE DATABASE).")
    var databaseURL: String
    @Option(help: "Concurrent worker loops to measure, comma-separated.") var workers: String = "1,4,16,64"
    @Option(help: "Shards per measurement.") var shards: Int = 4000
    @Option(help: "Shards each loop claims at once.") var batch: Int = 4
    @Option(help: "Worker loops of the 1-second-shard measurement (0 skips it).") var busyWorkers: Int = 16

    func validate() throws {
        _ = try parseIntegers(workers, option: "--workers")
        guard shards >= 1 else { throw ValidationError("--shards must be at least 1, got \(shards)") }
        guard (1...256).contains(batch) else { throw ValidationError("--batch must be in 1…256, got \(batch)") }
    }

    func run() async throws {
        let logger = Self.quietLogger
        let server = try DatabaseURL(databaseURL)
        let scratch = "seismo_bench_\(UInt32.random(in: 0...UInt32.max))"
        try await Self.withClient(server, logger: logger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(scratch)"), logger: logger)
        }
        defer {
            // Drop the scratch database whatever happened (a fresh connection: the pool is gone).
            let semaphore = DispatchSemaphore(value: 0)
            Task {
                _ = try? await Self.withClient(server, logger: logger) { admin in
                    try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(scratch) WITH (FORCE)"), logger: logger)
                }
                semaphore.signal()
            }
            semaphore.wait()
        }
        var database = server
        database.database = scratch
        let counts = try parseIntegers(workers, option: "--workers")
        try await Self.withClient(database, connections: max(20, (counts.max() ?? 1) + 4), logger: logger) { client in
            try await Migrations.run(on: client, logger: logger)
            let token = try await TokenStore(client: client, logger: logger).create(role: .admin, name: "bench")
            try await Self.serving(try CoordinatorAPI(client: client, logger: logger), logger: logger) { url in
                let http = HTTPClient(eventLoopGroupProvider: .singleton,
                                      configuration: .init(connectionPool: .init(idleTimeout: .seconds(60),
                                                                                 concurrentHTTP1ConnectionsPerHostSoftLimit: (counts.max() ?? 1) + 4)))
                let coordinator = CoordinatorClient(url: url, token: token, http: http)
                defer { Task { try? await http.shutdown() } }
                if busyWorkers > 0 {
                    let line = try await measureBusy(workers: busyWorkers, client: client, coordinator: coordinator, logger: logger)
                    print(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
                }
                for w in counts {
                    let measurement = try await measure(workers: w, client: client, coordinator: coordinator, logger: logger)
                    let pg = try await Self.updateRate(client: client, connections: w, logger: logger)
                    var line = measurement
                    line["pg_update_rate"] = pg
                    line["ratio_to_pg_update_rate"] = (measurement["shards_per_second"] as! Double) / pg
                    let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                }
            }
        }
    }

    private static var quietLogger: Logger {
        var logger = Logger(label: "seismo.bench")
        logger.logLevel = .error
        return logger
    }

    /// One job of `shards` trivial shards, drained by `workers` loops.
    private func measure(workers: Int, client: PostgresClient, coordinator: CoordinatorClient, logger: Logger) async throws -> [String: Any] {
        let specs = (0..<shards).map { #"{"bench":\#($0)}"# }
        _ = try await JobStore(client: client, logger: logger).create(NewJob(kind: "bench", spec: "{}", shards: specs))
        let start = ContinuousClock.now
        let overheads = try await withThrowingTaskGroup(of: [Double].self) { group in
            for w in 0..<workers {
                group.addTask { try await Self.loop(name: "bench-\(w)", batch: batch, coordinator: coordinator) }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        let seconds = (ContinuousClock.now - start).seconds
        guard overheads.count == shards else { throw CommandFailure("\(overheads.count) of \(shards) shards were completed") }
        let p50 = overheads[overheads.count / 2], p99 = overheads[min(overheads.count - 1, overheads.count * 99 / 100)]
        return ["workers": workers, "shards": shards, "batch": batch, "seconds": seconds, "shards_per_second": Double(shards) / seconds,
                "overhead_ms_p50": p50 * 1000, "overhead_ms_p99": p99 * 1000]
    }

    /// Shards that take one second each (a sleep, as a computation would), 10 per loop. Loops
    /// start a 1/W second apart, as workers whose shards do not all end at the same instant; each
    /// loop's coordinator share is 1 − (its seconds of work) / (its wall time), and the line
    /// reports their mean and maximum.
    private func measureBusy(workers: Int, client: PostgresClient, coordinator: CoordinatorClient, logger: Logger) async throws -> [String: Any] {
        let count = workers * Self.busyShardsPerLoop
        // Open every loop's connection first, as a long-running worker has.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<workers { group.addTask { _ = try await coordinator.claim(ClaimRequest(worker: "busy-\(w)", slots: 1)) } }
            try await group.waitForAll()
        }
        _ = try await JobStore(client: client, logger: logger).create(NewJob(kind: "bench", spec: "{}", shards: (0..<count).map { #"{"busy":\#($0)}"# }))
        let fractions = try await withThrowingTaskGroup(of: Double.self) { group in
            for w in 0..<workers {
                group.addTask {
                    try await Task.sleep(for: .milliseconds(1000 * w / workers))
                    return try await Self.busyLoop(name: "busy-\(w)", coordinator: coordinator)
                }
            }
            return try await group.reduce(into: [Double]()) { $0.append($1) }
        }
        return ["mode": "1s-shards", "workers": workers, "shards": count, "overhead_fraction_mean": fractions.reduce(0, +) / Double(fractions.count),
                "overhead_fraction_max": fractions.max() ?? 0]
    }

    static let busyShardsPerLoop = 10

    /// A worker loop whose shards take a second: it asks for the next shard while reporting the
    /// last, as `seismo worker` does. Returns the share of its wall time not spent working.
    private static func busyLoop(name: String, coordinator: CoordinatorClient) async throws -> Double {
        let start = ContinuousClock.now
        var worked = 0.0
        var current = try await coordinator.claim(ClaimRequest(worker: name, slots: 1)).first
        while let grant = current {
            try await Task.sleep(for: .seconds(1))
            worked += 1
            async let next = coordinator.claim(ClaimRequest(worker: name, slots: 1))
            try await coordinator.complete(shard: grant.shard, CompleteRequest(lease: grant.lease, result: "{}"))
            current = try await next.first
        }
        return 1 - worked / (ContinuousClock.now - start).seconds
    }

    /// A worker loop with nothing to compute: claim, complete, until the queue is empty. Returns
    /// each shard's coordinator time (seconds).
    private static func loop(name: String, batch: Int, coordinator: CoordinatorClient) async throws -> [Double] {
        var overheads: [Double] = []
        while true {
            let claimStart = ContinuousClock.now
            let grants = try await coordinator.claim(ClaimRequest(worker: name, slots: batch, ttlSeconds: 60))
            if grants.isEmpty { return overheads }
            let claimShare = (ContinuousClock.now - claimStart).seconds / Double(grants.count)
            for grant in grants {
                let completeStart = ContinuousClock.now
                try await coordinator.complete(shard: grant.shard, CompleteRequest(lease: grant.lease, result: "{}"))
                overheads.append(claimShare + (ContinuousClock.now - completeStart).seconds)
            }
        }
    }

    /// Single-row UPDATE transactions per second with `connections` concurrent loops (each on
    /// its own row), for about a second: the database's own ceiling for work like a completion.
    private static func updateRate(client: PostgresClient, connections: Int, logger: Logger) async throws -> Double {
        try await client.query("CREATE TABLE IF NOT EXISTS bench_rows (id int PRIMARY KEY, n bigint NOT NULL)", logger: logger)
        try await client.query("INSERT INTO bench_rows SELECT g, 0 FROM generate_series(0, 255) g ON CONFLICT DO NOTHING", logger: logger)
        let deadline = ContinuousClock.now + .seconds(1)
        let start = ContinuousClock.now
        let updates = try await withThrowingTaskGroup(of: Int.self) { group in
            for c in 0..<connections {
                group.addTask {
                    var n = 0
                    while ContinuousClock.now < deadline {
                        try await client.query("UPDATE bench_rows SET n = n + 1 WHERE id = \(c % 256)", logger: logger)
                        n += 1
                    }
                    return n
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(updates) / (ContinuousClock.now - start).seconds
    }

    @discardableResult
    private static func withClient<T: Sendable>(_ url: DatabaseURL, connections: Int = 4, logger: Logger,
                                                 _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        var configuration = url.configuration
        configuration.options.maximumConnections = connections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Serves the API on a free loopback port while `body` runs with its URL.
    private static func serving(_ api: CoordinatorAPI, logger: Logger, _ body: @Sendable (String) async throws -> Void) async throws {
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "seismo-bench"),
                              onServerRunning: { channel in
                                  announce.yield(channel.localAddress?.port ?? 0)
                                  announce.finish()
                              }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw CommandFailure("the benchmark's API server did not start") }
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
