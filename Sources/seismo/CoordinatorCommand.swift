import ArgumentParser
import Coordinator
import Foundation
import Logging

struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a coordinator: the cluster's API over a PostgreSQL database.",
        discussion: """
            Migrates the database (versioned steps, under an advisory lock, so several \
            coordinators may start at once), then serves the HTTP API and returns expired \
            shard leases to the queue. All state lives in PostgreSQL: a coordinator can be \
            killed and restarted at any time. SIGTERM or SIGINT stops it gracefully.

            Set SEISMO_ADMIN_TOKEN to a secret of your choice to make it an admin token, then \
            create tokens for workers and users with `seismo token create`.

              SEISMO_ADMIN_TOKEN=… seismo coordinator --database-url postgres://seismo@127.0.0.1:5432/seismo
            """)

    @Option(help: "PostgreSQL URL postgres://user[:password]@host[:port]/database (or SEISMO_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen: String = "0.0.0.0:8080"

    @Option(help: "Seconds between passes that return expired leases to the queue.")
    var rescueInterval: Double = 5

    @Option(help: "Seconds between aggregation passes (partial summaries while jobs run).")
    var aggregateInterval: Double = 1

    @Option(help: "Where artifacts are cached to validate jobs against (default: a directory under the system's temporary directory).")
    var cacheDir: String?

    func validate() throws {
        guard databaseURL ?? ProcessInfo.processInfo.environment["SEISMO_DATABASE_URL"] != nil else {
            throw ValidationError("give --database-url or set SEISMO_DATABASE_URL")
        }
        guard address != nil else { throw ValidationError("--listen must be HOST:PORT with a port 0–65535, got '\(listen)'") }
        guard rescueInterval > 0 else { throw ValidationError("--rescue-interval must be positive, got \(rescueInterval)") }
        guard aggregateInterval > 0 else { throw ValidationError("--aggregate-interval must be positive, got \(aggregateInterval)") }
    }

    private var address: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        let host = String(listen[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        let text = databaseURL ?? ProcessInfo.processInfo.environment["SEISMO_DATABASE_URL"]!
        let database: DatabaseURL
        do { database = try DatabaseURL(text) } catch { throw ValidationError("\(error)") }
        var logger = Logger(label: "seismo.coordinator")
        logger.logLevel = .info
        let (host, port) = address!
        try await CoordinatorServer.run(.init(database: database, host: host, port: port,
                                              adminToken: ProcessInfo.processInfo.environment["SEISMO_ADMIN_TOKEN"],
                                              rescueInterval: .milliseconds(Int(rescueInterval * 1000)),
                                              aggregateInterval: .milliseconds(Int(aggregateInterval * 1000)),
                                              cacheDirectory: cacheDir.map { URL(fileURLWithPath: $0) }), logger: logger)
    }
}
