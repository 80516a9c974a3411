import Foundation
import PostgresNIO

/// A PostgreSQL connection URL, `postgres://user[:password]@host[:port]/database[?sslmode=…]`,
/// turned into a client configuration. TLS is off unless `sslmode` asks for it (`require`,
/// `verify-full`): coordinators usually reach their database on loopback or a private network.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool

    public enum ParseError: Error, CustomStringConvertible {
        case invalid(String, reason: String)
        public var description: String {
            switch self {
            case .invalid(let url, let reason): return "database URL '\(url)': \(reason) (expected postgres://user[:password]@host[:port]/database)"
            }
        }
    }

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme else {
            throw ParseError.invalid(text, reason: "not a URL")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw ParseError.invalid(text, reason: "the scheme must be postgres or postgresql, not \(scheme)")
        }
        guard let host = components.host, !host.isEmpty else { throw ParseError.invalid(text, reason: "no host") }
        guard let user = components.user, !user.isEmpty else { throw ParseError.invalid(text, reason: "no user name") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw ParseError.invalid(text, reason: "no database name") }
        self.host = host
        port = components.port ?? 5432
        username = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database
        let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        requireTLS = ["require", "verify-ca", "verify-full"].contains(mode)
    }

    /// The URL with the password hidden, for logs and messages.
    public var description: String { "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)" }

    public var configuration: PostgresClient.Configuration {
        var tls = PostgresClient.Configuration.TLS.disable
        if requireTLS { tls = .require(.makeClientConfiguration()) }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = 40
        return configuration
    }
}
