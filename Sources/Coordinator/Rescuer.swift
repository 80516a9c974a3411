import Logging
import ServiceLifecycle

/// Returns expired leases to the queue (or fails their shards after `max_attempts`) every
/// `interval`. Any number of coordinators may run one: `SKIP LOCKED` keeps them apart.
struct Rescuer: Service {
    let leases: LeaseStore
    let interval: Duration
    let metrics: CoordinatorMetrics
    let logger: Logger

    func run() async throws {
        // Graceful shutdown cancels the loop; ending by cancellation is a clean stop.
        do {
            try await loop()
        } catch is CancellationError {
            return
        }
    }

    private func loop() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let (requeued, failed) = try await leases.rescue()
                    metrics.leasesExpired.add(requeued + failed)
                    if requeued + failed > 0 {
                        logger.info("rescued expired leases", metadata: ["requeued": "\(requeued)", "failed jobs": "\(failed)"])
                    }
                } catch {
                    // The database may be restarting; the next pass tries again.
                    logger.warning("rescue pass failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
