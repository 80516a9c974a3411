import Coordinator
import Foundation
import Logging
import PostgresNIO
import XCTest

/// A real PostgreSQL for the tests: the server named by `SEISMO_TEST_DATABASE_URL`, or else a
/// throwaway one started once per test process with `deploy/postgres.sh` (stopped at exit).
/// Every test gets a database of its own, migrated.
enum TestDatabase {
    static let logger = Logger(label: "seismo.tests")

    /// The server's URL (its `seismo` database).
    static let serverURL: String = {
        if let url = ProcessInfo.processInfo.environment["SEISMO_TEST_DATABASE_URL"] { return url }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-test-postgres-\(getpid())")
        let url = try! script("start", directory.path)
        atexit {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-test-postgres-\(getpid())")
            _ = try? TestDatabase.script("stop", directory.path)
            try? FileManager.default.removeItem(at: directory)
        }
        return url
    }()

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `deploy/postgres.sh` and returns its standard output (trimmed). posix_spawn and
    /// waitpid rather than Foundation's Process, whose waitUntilExit can hang inside async tests.
    @discardableResult
    static func script(_ arguments: String...) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-postgres-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let quoted = ([repositoryRoot.appendingPathComponent("deploy/postgres.sh").path] + arguments + [">", output.path])
            .map { $0 == ">" ? $0 : "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        let words: [String] = ["/bin/bash", "-c", quoted]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { word in word.withCString { strdup($0) } } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", nil, nil, argv, environ) == 0 else {
            throw NSError(domain: "TestDatabase", code: 1, userInfo: [NSLocalizedDescriptionKey: "could not start deploy/postgres.sh"])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw NSError(domain: "TestDatabase", code: Int(status),
                          userInfo: [NSLocalizedDescriptionKey: "deploy/postgres.sh \(arguments.joined(separator: " ")) failed (status \(status))"])
        }
        return (try String(contentsOf: output, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A fresh, migrated database for one test, with a running client; dropped afterwards.
    static func withFreshDatabase<T: Sendable>(_ body: @Sendable (PostgresClient, DatabaseURL) async throws -> T) async throws -> T {
        var url = try DatabaseURL(serverURL)
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        _ = try await withClient(url) { admin in
            try await admin.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
        url.database = name
        let testURL = url
        let result = try await withClient(testURL) { client in
            try await Migrations.run(on: client, logger: logger)
            return try await body(client, testURL)
        }
        var server = try DatabaseURL(serverURL)
        server.database = "seismo"
        _ = try await withClient(server) { admin in
            try await admin.query("DROP DATABASE \(unescaped: name) WITH (FORCE)", logger: logger)
        }
        return result
    }

    /// Runs `body` with a client for `url` whose `run()` goes on beside it.
    static func withClient<T: Sendable>(_ url: DatabaseURL, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: url.configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
