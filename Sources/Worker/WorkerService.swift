import Engine
import Foundation
import Logging
import Protocol
import ServiceLifecycle

/// How a worker process runs.
public struct WorkerConfiguration: Sendable {
    public var name: String
    /// Shards computed at once.
    public var slots: Int
    /// Threads each shard computes with.
    public var threadsPerShard: Int
    public var leaseSeconds: Double
    /// How long a claim waits at the coordinator for work before asking again (a notification
    /// ends the wait at once; this bounds how long a draining worker waits for its last claim).
    public var claimWaitSeconds: Double
    public var cacheDirectory: URL

    public init(name: String, slots: Int, threadsPerShard: Int, leaseSeconds: Double = 60, claimWaitSeconds: Double = 5, cacheDirectory: URL) {
        (self.name, self.slots, self.threadsPerShard, self.leaseSeconds) = (name, slots, threadsPerShard, leaseSeconds)
        (self.claimWaitSeconds, self.cacheDirectory) = (claimWaitSeconds, cacheDirectory)
    }
}

/// A stateless worker: claims shards up to its free slots (long-polling when there are none),
/// computes each with the Engine beside a heartbeat that keeps its leases, and reports results
/// or errors. A shard whose lease was lost (expired, cancelled) is dropped, not reported. On
/// graceful shutdown it stops claiming, finishes and reports the shards in hand, then returns.
public struct WorkerService: Service {
    let configuration: WorkerConfiguration
    let client: CoordinatorClient
    let logger: Logger

    public init(configuration: WorkerConfiguration, client: CoordinatorClient, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        let book = LeaseBook(slots: configuration.slots)
        let jobs = JobCache(client: client, cacheDirectory: configuration.cacheDirectory)
        let (grants, delivery) = AsyncStream<LeaseGrant>.makeStream()
        let stopping = StopFlag()
        logger.info("worker starting", metadata: ["name": "\(configuration.name)", "slots": "\(configuration.slots)",
                                                  "coordinator": "\(client.baseURL)"])
        await withDiscardingTaskGroup { group in
            group.addTask {
                let draining = StopFlag()
                await withGracefulShutdownHandler {
                    await claimLoop(book: book, delivery: delivery, draining: draining)
                } onGracefulShutdown: {
                    draining.set()
                }
                delivery.finish()
            }
            group.addTask { await heartbeatLoop(book: book, stopping: stopping) }
            for await grant in grants {
                group.addTask { await process(grant, book: book, jobs: jobs) }
            }
            logger.info("worker draining: no new claims; finishing the shards in hand")
            stopping.set()
        }
        logger.info("worker stopped")
    }

    /// Claims whenever a slot is free; retries with backoff while the coordinator is away. Once
    /// draining, it lets the claim in flight return (a claim abandoned mid-wait could still be
    /// granted) and hands what it brings straight back.
    private func claimLoop(book: LeaseBook, delivery: AsyncStream<LeaseGrant>.Continuation, draining: StopFlag) async {
        var delay = Duration.milliseconds(250)
        while !draining.isSet {
            await book.waitForFreeSlot()
            if draining.isSet { break }
            do {
                let free = await book.freeSlots
                let grants = try await client.claim(ClaimRequest(worker: configuration.name, slots: free, ttlSeconds: configuration.leaseSeconds,
                                                                 waitSeconds: configuration.claimWaitSeconds))
                delay = .milliseconds(250)
                if draining.isSet {
                    await release(grants)
                    break
                }
                for grant in grants {
                    await book.add(grant)
                    delivery.yield(grant)
                }
            } catch {
                logger.warning("claim failed; retrying", metadata: ["error": "\(error)", "in": "\(delay)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
        }
    }

    private func release(_ grants: [LeaseGrant]) async {
        guard !grants.isEmpty else { return }
        do {
            try await client.release(ReleaseRequest(worker: configuration.name, leases: grants.map { .init(shard: $0.shard, lease: $0.lease) }))
            logger.info("released shards claimed while draining", metadata: ["shards": "\(grants.map(\.shard))"])
        } catch {
            logger.warning("could not release shards; they return to the queue when their leases expire", metadata: ["error": "\(error)"])
        }
    }

    /// Extends the leases in hand every third of a lease; learns which were lost.
    private func heartbeatLoop(book: LeaseBook, stopping: StopFlag) async {
        let interval = Duration.milliseconds(Int(configuration.leaseSeconds * 1000 / 3))
        var last = ContinuousClock.now
        while true {
            if stopping.isSet, await book.isEmpty { return }
            try? await Task.sleep(for: .milliseconds(100))
            guard ContinuousClock.now - last >= interval else { continue }
            last = ContinuousClock.now
            let held = await book.current()
            guard !held.isEmpty else { continue }
            do {
                let lost = try await client.heartbeat(HeartbeatRequest(worker: configuration.name, leases: held, ttlSeconds: configuration.leaseSeconds))
                if !lost.isEmpty {
                    logger.warning("leases lost; dropping their shards", metadata: ["shards": "\(lost)"])
                    await book.markLost(lost)
                }
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func process(_ grant: LeaseGrant, book: LeaseBook, jobs: JobCache) async {
        let metadata: Logger.Metadata = ["job": "\(grant.job)", "shard": "\(grant.index)", "attempt": "\(grant.attempt)"]
        let started = ContinuousClock.now
        let outcome: Result<String, Error>
        do {
            let job = try await jobs.job(grant.job, kind: grant.kind)
            // Files a result refers to (weight vectors) go to the artifact cache, uploaded before the report.
            let context = ExecutionContext(threads: configuration.threadsPerShard, outputs: try ArtifactCache(directory: configuration.cacheDirectory))
            let spec = Data(grant.spec.utf8)
            outcome = .success(try await OffloadedWork.run { try job.execute(shard: spec, context: context) })
        } catch {
            outcome = .failure(error)
        }
        if await book.isLost(grant.shard) {
            logger.warning("shard dropped: its lease was lost", metadata: metadata)
        } else {
            switch outcome {
            case .success(let result):
                await report(grant, metadata: metadata) {
                    try await uploadOutputs(of: result, kind: grant.kind)
                    try await client.complete(shard: grant.shard, CompleteRequest(lease: grant.lease, result: result))
                }
                logger.info("shard done", metadata: metadata.merging(["seconds": "\((ContinuousClock.now - started).seconds)"]) { $1 })
            case .failure(let error):
                logger.error("shard failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                await report(grant, metadata: metadata) { try await client.fail(shard: grant.shard, FailRequest(lease: grant.lease, error: "\(error)")) }
            }
        }
        await book.remove(grant.shard)
    }

    /// Uploads the artifacts a result refers to that the coordinator lacks, from the cache the
    /// shard wrote them to.
    private func uploadOutputs(of result: String, kind: String) async throws {
        let references = try AnalysisCatalog.kind(named: kind).artifacts(of: [Data(result.utf8)])
        guard !references.isEmpty else { return }
        let cache = try ArtifactCache(directory: configuration.cacheDirectory)
        for artifact in references where try await !client.hasArtifact(artifact.sha256) {
            try await client.upload(artifact, bytes: try Data(contentsOf: cache.url(for: artifact)))
        }
    }

    /// Sends a report, retrying while the coordinator is unreachable; a 409 means the lease
    /// is no longer ours and the report is dropped.
    private func report(_ grant: LeaseGrant, metadata: Logger.Metadata, _ send: () async throws -> Void) async {
        var delay = Duration.milliseconds(250)
        for _ in 0..<40 {
            do {
                try await send()
                return
            } catch let error as CoordinatorError where error.isConflict {
                logger.warning("report refused: the lease is no longer current", metadata: metadata)
                return
            } catch let error as CoordinatorError where error.isTransient {
                logger.warning("report failed; retrying", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            } catch {
                logger.error("report rejected", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                return
            }
        }
    }
}

/// Set once, read from any task.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
