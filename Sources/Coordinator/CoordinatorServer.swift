import Engine
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

/// How a coordinator process is set up.
public struct CoordinatorConfiguration: Sendable {
    public var database: DatabaseURL
    public var host: String
    public var port: Int
    /// Made valid as an admin token at start (from `SEISMO_ADMIN_TOKEN`), so the first real
    /// tokens can be created.
    public var adminToken: String?
    public var rescueInterval: Duration
    public var aggregateInterval: Duration
    /// Where artifacts are kept to validate submitted jobs against (a disposable cache).
    public var cacheDirectory: URL

    public init(database: DatabaseURL, host: String, port: Int, adminToken: String?, rescueInterval: Duration = .seconds(5),
                aggregateInterval: Duration = .seconds(1), cacheDirectory: URL? = nil) {
        (self.database, self.host, self.port, self.adminToken) = (database, host, port, adminToken)
        (self.rescueInterval, self.aggregateInterval) = (rescueInterval, aggregateInterval)
        self.cacheDirectory = cacheDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("seismo-coordinator-cache")
    }
}

/// A coordinator process: migrates the database, then serves the API, returns expired leases
/// to the queue and aggregates results until SIGTERM or SIGINT, which end it gracefully. All its
/// state is in PostgreSQL, so it can be killed and restarted at any time, and several can serve
/// one database.
public enum CoordinatorServer {
    public static func run(_ configuration: CoordinatorConfiguration, logger: Logger) async throws {
        let client = PostgresClient(configuration: configuration.database.configuration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await migrate(client, logger: logger)
            if let token = configuration.adminToken {
                try await TokenStore(client: client, logger: logger).ensure(token, role: .admin, name: "bootstrap (SEISMO_ADMIN_TOKEN)")
            }
            let signal = ShardSignal(client: client, logger: logger)
            let metrics = CoordinatorMetrics()
            let cache = try ArtifactCache(directory: configuration.cacheDirectory)
            let api = CoordinatorAPI(client: client, logger: logger, cache: cache, signal: signal, metrics: metrics)
            let app = Application(router: api.router(),
                                  configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "seismo"),
                                  logger: logger)
            let rescuer = Rescuer(leases: LeaseStore(client: client, logger: logger), interval: configuration.rescueInterval,
                                  metrics: metrics, logger: logger)
            let aggregator = Aggregator(summaries: SummaryStore(client: client, logger: logger), jobs: JobStore(client: client, logger: logger),
                                        interval: configuration.aggregateInterval, logger: logger,
                                        artifacts: StoredArtifacts(artifacts: ArtifactStore(client: client, logger: logger), cache: cache))
            let services: [ServiceGroupConfiguration.ServiceConfiguration] = [
                .init(service: app), .init(service: rescuer), .init(service: aggregator), .init(service: signal),
            ]
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            logger.info("coordinator starting", metadata: ["database": "\(configuration.database)", "listen": "\(configuration.host):\(configuration.port)"])
            try await group.run()
        }
    }

    /// Migrates, waiting for the database while it starts up (a coordinator and its PostgreSQL
    /// often start together).
    private static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        var delay = Duration.milliseconds(250)
        for attempt in 1... {
            do {
                try await Migrations.run(on: client, logger: logger)
                return
            } catch {
                guard attempt < 20 else { throw error }
                logger.warning("database not reachable yet; retrying", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
