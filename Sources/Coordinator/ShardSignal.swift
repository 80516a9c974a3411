import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Wakes long-poll claims when shards become available: it LISTENs on `JobStore.shardsChannel`
/// (notified when a job is created or shards are requeued), so an idle worker's claim returns
/// within milliseconds of new work. Claims also poll, so a lost notification only delays work.
final class ShardSignal: Service, @unchecked Sendable {
    private let client: PostgresClient
    private let logger: Logger
    private let lock = NSLock()
    private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter: UInt64 = 0

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        try await self.client.withConnection { connection in
                            try await connection.listen(on: JobStore.shardsChannel) { notifications in
                                // Listening now: work may have arrived while it was not.
                                self.fire()
                                for try await _ in notifications { self.fire() }
                            }
                        }
                    } catch is CancellationError {
                        return
                    } catch {
                        self.logger.warning("LISTEN failed; long-poll claims fall back to polling", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: .seconds(1))
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Wakes every waiting claim.
    func fire() {
        let woken = lock.withLock {
            defer { waiters = [:] }
            return waiters
        }
        for continuation in woken.values { continuation.resume() }
    }

    /// Returns when shards may have become available, or after `timeout`.
    func wait(upTo timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.notified() }
            await group.next()
            group.cancelAll()
        }
    }

    private func notified() async {
        let id = lock.withLock {
            defer { nextWaiter += 1 }
            return nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let cancelled = lock.withLock {
                    if Task.isCancelled { return true }
                    waiters[id] = continuation
                    return false
                }
                if cancelled { continuation.resume() }
            }
        } onCancel: {
            let continuation = lock.withLock { waiters.removeValue(forKey: id) }
            continuation?.resume()
        }
    }
}
