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

    public init(database: DatabaseURL, host: String, port: Int, adminToken: String?, rescueInterval: Duration = .seconds(5)) {
        (self.database, self.host, self.port, self.adminToken, self.rescueInterval) = (database, host, port, adminToken, rescueInterval)
    }
}

/// A coordinator process: migrates the database, then serves the API and runs the rescuer
/// until SIGTERM or SIGINT, which end it gracefully. All its state is in PostgreSQL, so it can
/// be killed and restarted at any time, and several can serve one database.
public enum CoordinatorServer {
    public static func run(_ configuration: CoordinatorConfiguration, logger: Logger) async throws {
        let client = PostgresClient(configuration: configuration.database.configuration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await Migrations.run(on: client, logger: logger)
            if let token = configuration.adminToken {
                try await TokenStore(client: client, logger: logger).ensure(token, role: .admin, name: "bootstrap (SEISMO_ADMIN_TOKEN)")
            }
            let api = CoordinatorAPI(client: client, logger: logger)
            let app = Application(router: api.router(),
                                  configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "seismo"),
                                  logger: logger)
            let rescuer = Rescuer(leases: LeaseStore(client: client, logger: logger), interval: configuration.rescueInterval, logger: logger)
            let services = ServiceGroup(configuration: .init(services: [.init(service: app), .init(service: rescuer)],
                                                             gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            logger.info("coordinator starting", metadata: ["database": "\(configuration.database)", "listen": "\(configuration.host):\(configuration.port)"])
            try await services.run()
        }
    }
}
