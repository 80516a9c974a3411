import Coordinator
import PostgresNIO
import XCTest

final class MigrationTests: XCTestCase {
    /// Coordinators starting together against one database apply each step exactly once.
    func testConcurrentMigratorsApplyEachStepOnce() async throws {
        try await TestDatabase.withFreshDatabase { client, url in
            // The fresh database is already migrated once; drop everything to start over, then
            // race four migrators, each with a client of its own.
            try await client.query("DROP SCHEMA public CASCADE", logger: TestDatabase.logger)
            try await client.query("CREATE SCHEMA public", logger: TestDatabase.logger)
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask { try await TestDatabase.withClient(url) { try await Migrations.run(on: $0, logger: TestDatabase.logger) } }
                }
                var all: [[Int]] = []
                for try await versions in group { all.append(versions) }
                return all
            }
            XCTAssertEqual(applied.flatMap { $0 }.sorted(), Migrations.steps.map(\.version), "each step applied by exactly one migrator")
            let again = try await Migrations.run(on: client, logger: TestDatabase.logger)
            XCTAssertEqual(again, [])
            var versions: [Int] = []
            for try await v in try await client.query("SELECT version FROM schema_migrations ORDER BY version").decode(Int.self) { versions.append(v) }
            XCTAssertEqual(versions, Migrations.steps.map(\.version))
        }
    }

    func testDatabaseURLsAreParsedOrRefusedWithTheReason() throws {
        let url = try DatabaseURL("postgres://alice:s%40cret@db.example:6543/seismo?sslmode=require")
        XCTAssertEqual([url.host, url.username, url.password, url.database], ["db.example", "alice", "s@cret", "seismo"])
        XCTAssertEqual(url.port, 6543)
        XCTAssertTrue(url.requireTLS)
        XCTAssertEqual(url.description, "postgres://alice:***@db.example:6543/seismo")
        XCTAssertEqual(try DatabaseURL("postgresql://bob@localhost/x").port, 5432)
        for (bad, reason) in [("mysql://a@b/c", "scheme"), ("postgres://a@b", "no database"), ("postgres://b:5432/c", "no user"), ("nonsense", "not a URL")] {
            XCTAssertThrowsError(try DatabaseURL(bad), bad) { XCTAssertTrue("\($0)".contains(reason), "\($0)") }
        }
    }
}
