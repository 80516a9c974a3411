import Foundation

/// Runs blocking CPU work on a thread of its own, so the few threads of Swift's cooperative pool
/// stay free for networking (a 2-core host has only two of them).
public enum OffloadedWork {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try work() })
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}
