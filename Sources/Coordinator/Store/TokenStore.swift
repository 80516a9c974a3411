import Crypto
import Foundation
import Logging
import PostgresNIO
import Protocol

/// Bearer tokens with roles. Only SHA-256 hashes are stored: a leaked database does not leak
/// tokens, and a token is shown once, when it is created.
public struct TokenStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A new random token (`sk_` + 43 URL-safe base64 characters, 256 bits) for the role.
    public func create(role: TokenRole, name: String) async throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = generator.next() }
        let token = "sk_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try await store(token, role: role, name: name)
        return token
    }

    /// Makes a token given from outside (the bootstrap admin token) valid, once.
    public func ensure(_ token: String, role: TokenRole, name: String) async throws {
        try await client.query("""
            INSERT INTO tokens (hash, role, name) VALUES (\(Self.hash(token)), \(role.rawValue), \(name))
            ON CONFLICT (hash) DO NOTHING
            """, logger: logger)
    }

    /// The role of a valid, unrevoked token; nil otherwise.
    public func role(of token: String) async throws -> TokenRole? {
        try await identity(of: token)?.role
    }

    /// The role and name of a valid, unrevoked token; nil otherwise.
    public func identity(of token: String) async throws -> (role: TokenRole, name: String)? {
        let rows = try await client.query("""
            SELECT role, name FROM tokens WHERE hash = \(Self.hash(token)) AND revoked_at IS NULL
            """, logger: logger)
        for try await (role, name) in rows.decode((String, String).self) {
            if let role = TokenRole(rawValue: role) { return (role, name) }
        }
        return nil
    }

    /// Revokes a token; false when it was unknown or already revoked.
    public func revoke(_ token: String) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE tokens SET revoked_at = clock_timestamp() WHERE hash = \(Self.hash(token)) AND revoked_at IS NULL RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(UUID.self) { return true }
        return false
    }

    private func store(_ token: String, role: TokenRole, name: String) async throws {
        try await client.query("""
            INSERT INTO tokens (hash, role, name) VALUES (\(Self.hash(token)), \(role.rawValue), \(name))
            """, logger: logger)
    }

    static func hash(_ token: String) -> ByteBuffer {
        ByteBuffer(bytes: SHA256.hash(data: Data(token.utf8)))
    }
}
