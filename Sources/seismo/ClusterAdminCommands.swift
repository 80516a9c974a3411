import ArgumentParser
import Foundation
import Protocol
import Worker

struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "List the workers seen lately: slots, shards in hand, done and failed, leases lost, last seen.")
    @Option(help: "Only workers seen within this many seconds.") var within: Double = 300
    @OptionGroup var connection: ClusterConnection

    func run() async throws {
        let workers = try await connection.client.workers()
        let header = ["WORKER", "SLOTS", "LEASED", "DONE", "FAILED", "LOST", "LAST SEEN"]
        var rows = [header]
        for w in workers where w.secondsSinceSeen <= within {
            rows.append([w.name, "\(w.slots)", "\(w.leased)", "\(w.shardsDone)", "\(w.shardsFailed)", "\(w.leasesLost)",
                         String(format: "%.0fs ago", w.secondsSinceSeen)])
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max()! }
        for row in rows {
            print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        if rows.count == 1 { note("no worker seen in the last \(Int(within)) s") }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage the cluster's bearer tokens (needs an admin token).",
        subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a token and print it alone on stdout (it is shown only once).",
            discussion: """
                Roles: admin (everything), submit (submit, read and cancel jobs; upload artifacts), \
                read (read jobs, results, workers and /metrics), worker (claim shards and report them).

                  export SEISMO_TOKEN=$(seismo token create --role submit --name alice)
                """)
        @Option(help: "admin, submit, read or worker.") var role: TokenRole
        @Option(help: "A name to recognise the token by (shown as a job's owner).") var name: String?
        @OptionGroup var connection: ClusterConnection

        func run() async throws {
            let name = self.name ?? "\(role.rawValue) token created \(ISO8601DateFormatter().string(from: Date()))"
            let response = try await connection.client.createToken(TokenRequest(role: role, name: name))
            print(response.token)
        }
    }
}

extension TokenRole: ExpressibleByArgument {}
