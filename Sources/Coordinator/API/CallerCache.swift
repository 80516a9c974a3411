import Foundation
import Protocol

/// Who is calling: the role and name of a bearer token.
struct Caller: Sendable {
    var role: TokenRole
    var name: String
}

/// Token lookups remembered for a few seconds, so that a busy worker's requests do not each cost
/// a database round trip. A revoked token stops working within `lifetime`.
final class CallerCache: @unchecked Sendable {
    private let tokens: TokenStore
    private let lifetime: Duration
    private let lock = NSLock()
    private var entries: [String: (caller: Caller, expires: ContinuousClock.Instant)] = [:]

    init(tokens: TokenStore, lifetime: Duration = .seconds(5)) {
        self.tokens = tokens
        self.lifetime = lifetime
    }

    func caller(token: String) async throws -> Caller? {
        let now = ContinuousClock.now
        let cached = lock.withLock { entries[token] }
        if let cached, cached.expires > now { return cached.caller }
        guard let (role, name) = try await tokens.identity(of: token) else { return nil }
        let caller = Caller(role: role, name: name)
        lock.withLock {
            if entries.count > 10_000 { entries = [:] }
            entries[token] = (caller, now + lifetime)
        }
        return caller
    }
}
