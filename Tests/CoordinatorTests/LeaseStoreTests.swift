import Coordinator
import Foundation
import PostgresNIO
import Protocol
import XCTest

/// Leasing semantics against a real PostgreSQL: disjoint concurrent claims, fencing by lease,
/// exactly-once results, rescue of expired leases, attempts and failure, cancel, priorities.
final class LeaseStoreTests: XCTestCase {
    private let logger = TestDatabase.logger

    private func job(_ shards: Int, priority: Int = 0, maxAttempts: Int = 3) -> NewJob {
        NewJob(kind: "influence", spec: #"{"kind":"influence"}"#, shards: (0..<shards).map { #"{"index":\#($0)}"# },
               priority: priority, maxAttempts: maxAttempts)
    }

    func testConcurrentClaimsAreDisjointAndCoverEveryShard() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let jobs = JobStore(client: client, logger: self.logger), leases = LeaseStore(client: client, logger: self.logger)
            _ = try await jobs.create(self.job(300))
            let claimed = try await withThrowingTaskGroup(of: [LeaseGrant].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var mine: [LeaseGrant] = []
                        while true {
                            let batch = try await leases.claim(worker: "w\(worker)", slots: 7, ttl: 60)
                            if batch.isEmpty { return mine }
                            mine += batch
                        }
                    }
                }
                var all: [LeaseGrant] = []
                for try await batch in group { all += batch }
                return all
            }
            XCTAssertEqual(claimed.count, 300)
            XCTAssertEqual(Set(claimed.map(\.index)), Set(0..<300))
            XCTAssertEqual(Set(claimed.map(\.lease)).count, 300, "every lease id is fresh")
            XCTAssertTrue(claimed.allSatisfy { $0.attempt == 1 && $0.kind == "influence" })
        }
    }

    func testOnlyTheCurrentLeaseCompletesAndAResultIsAcceptedOnce() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let jobs = JobStore(client: client, logger: self.logger), leases = LeaseStore(client: client, logger: self.logger)
            let id = try await jobs.create(self.job(2))
            let held = try await leases.claim(worker: "a", slots: 2, ttl: 60)
            XCTAssertEqual(held.count, 2)
            let status = try await jobs.status(id)
            XCTAssertEqual(status?.state, "running")
            let foreign = try await leases.complete(shard: held[0].shard, lease: UUID(), result: #"{"v":0}"#)
            XCTAssertFalse(foreign, "a foreign lease is refused")
            let first = try await leases.complete(shard: held[0].shard, lease: held[0].lease, result: #"{"v":1}"#)
            let duplicate = try await leases.complete(shard: held[0].shard, lease: held[0].lease, result: #"{"v":2}"#)
            XCTAssertTrue(first)
            XCTAssertFalse(duplicate, "a duplicate report changes nothing")
            var bodies: [String] = []
            for try await body in try await client.query("SELECT body::text FROM results").decode(String.self) { bodies.append(body) }
            XCTAssertEqual(bodies, [#"{"v": 1}"#])
            let halfway = try await jobs.status(id)
            XCTAssertEqual(halfway?.shardsDone, 1)
            XCTAssertEqual(halfway?.state, "running")
            _ = try await leases.complete(shard: held[1].shard, lease: held[1].lease, result: #"{"v":3}"#)
            let finished = try await jobs.status(id)
            XCTAssertEqual(finished?.shardsDone, 2)
            XCTAssertEqual(finished?.state, "running", "all shards done: the aggregator moves the job on")
        }
    }

    func testExpiredLeasesAreRescuedAndTheOldHolderIsFencedOut() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let jobs = JobStore(client: client, logger: self.logger)
            let leases = LeaseStore(client: client, logger: self.logger, backoff: Backoff(base: 0, cap: 0))
            _ = try await jobs.create(self.job(1))
            let old = try await leases.claim(worker: "a", slots: 1, ttl: 0.2)
            XCTAssertEqual(old.count, 1)
            let early = try await leases.rescue()
            XCTAssertEqual(early.requeued, 0, "a live lease is left alone")
            try await Task.sleep(for: .milliseconds(400))
            let rescued = try await leases.rescue()
            XCTAssertEqual(rescued.requeued, 1)
            let lost = try await leases.heartbeat(worker: "a", held: [(old[0].shard, old[0].lease)], ttl: 60)
            XCTAssertEqual(lost, [old[0].shard], "the old holder learns it lost the shard")
            let new = try await leases.claim(worker: "b", slots: 1, ttl: 60)
            XCTAssertEqual(new.first?.attempt, 2)
            let late = try await leases.complete(shard: old[0].shard, lease: old[0].lease, result: "{}")
            XCTAssertFalse(late, "the expired lease's report is refused")
            let current = try await leases.complete(shard: new[0].shard, lease: new[0].lease, result: "{}")
            XCTAssertTrue(current)
            let errors = try await jobs.shardErrors(old[0].job)
            XCTAssertEqual(errors.count, 1)
            XCTAssertTrue(errors[0].error.contains("lease expired on worker a"), errors[0].error)
        }
    }

    func testHeartbeatExtendsOnlyTheWorkersOwnLeases() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let jobs = JobStore(client: client, logger: self.logger), leases = LeaseStore(client: client, logger: self.logger)
            _ = try await jobs.create(self.job(2))
            let a = try await leases.claim(worker: "a", slots: 1, ttl: 0.5)
            let b = try await leases.claim(worker: "b", slots: 1, ttl: 0.5)
            // b reports a's shard as its own: not extended, reported lost.
            let lostByB = try await leases.heartbeat(worker: "b", held: [(a[0].shard, a[0].lease), (b[0].shard, b[0].lease)], ttl: 60)
            XCTAssertEqual(lostByB, [a[0].shard])
            try await Task.sleep(for: .milliseconds(700))
            let rescued = try await leases.rescue()
            XCTAssertEqual(rescued.requeued, 1, "a's lease expired, b's was extended")
            let bDone = try await leases.complete(shard: b[0].shard, lease: b[0].lease, result: "{}")
            XCTAssertTrue(bDone)
        }
    }

    func testAShardThatAlwaysThrowsFailsItsJobAfterMaxAttemptsWithEveryError() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let jobs = JobStore(client: client, logger: self.logger)
            let leases = LeaseStore(client: client, logger: self.logger, backoff: Backoff(base: 0, cap: 0))
            let id = try await jobs.create(self.job(3, maxAttempts: 3))
            var failures = 0
            while failures < 3 {
                let batch = try await leases.claim(worker: "w", slots: 3, ttl: 60)
                guard let bad = batch.first(where: { $0.index == 1 }) else {
                    for lease in batch { _ = try await leases.complete(shard: lease.shard, lease: lease.lease, result: "{}") }
                    continue
                }
                let failed = try await leases.fail(shard: bad.shard, lease: bad.lease, error: "boom \(bad.attempt)")
                XCTAssertTrue(failed)
                failures += 1
                for lease in batch where lease.index != 1 { _ = try await leases.complete(shard: lease.shard, lease: lease.lease, result: "{}") }
            }
            let status = try await jobs.status(id)
            XCTAssertEqual(status?.state, "failed")
            XCTAssertEqual(status?.error, "boom 3")
            let errors = try await jobs.shardErrors(id)
            XCTAssertEqual(errors.map(\.error), ["boom 1", "boom 2", "boom 3"])
            XCTAssertEqual(errors.map(\.attempt), [1, 2, 3])
            let nothingLeft = try await leases.claim(worker: "w", slots: 3, ttl: 60)
            XCTAssertEqual(nothingLeft, [])
        }
    }

    func testFailedShardsWaitForTheirBackoff() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let jobs = JobStore(client: client, logger: self.logger)
            let leases = LeaseStore(client: client, logger: self.logger, backoff: Backoff(base: 30, cap: 60))
            _ = try await jobs.create(self.job(1))
            let first = try await leases.claim(worker: "w", slots: 1, ttl: 60)
            _ = try await leases.fail(shard: first[0].shard, lease: first[0].lease, error: "transient")
            let tooSoon = try await leases.claim(worker: "w", slots: 1, ttl: 60)
            XCTAssertEqual(tooSoon, [], "requeued, but not before 15–30 s")
            var delay = 0.0
            for try await d in try await client.query("SELECT extract(epoch FROM run_at - clock_timestamp())::float8 FROM shards").decode(Double.self) { delay = d }
            XCTAssertGreaterThan(delay, 14)
            XCTAssertLessThan(delay, 31)
        }
    }

    func testCancelStopsClaimsAndRevokesLeases() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let jobs = JobStore(client: client, logger: self.logger), leases = LeaseStore(client: client, logger: self.logger)
            let id = try await jobs.create(self.job(4))
            let held = try await leases.claim(worker: "w", slots: 2, ttl: 60)
            let cancelled = try await jobs.cancel(id)
            XCTAssertTrue(cancelled)
            let again = try await jobs.cancel(id)
            XCTAssertFalse(again, "an ended job stays as it is")
            let claimed = try await leases.claim(worker: "w", slots: 4, ttl: 60)
            XCTAssertEqual(claimed, [])
            let lost = try await leases.heartbeat(worker: "w", held: held.map { ($0.shard, $0.lease) }, ttl: 60)
            XCTAssertEqual(Set(lost), Set(held.map(\.shard)), "the worker drops them at its next heartbeat")
            let late = try await leases.complete(shard: held[0].shard, lease: held[0].lease, result: "{}")
            XCTAssertFalse(late)
            let status = try await jobs.status(id)
            XCTAssertEqual(status?.state, "cancelled")
        }
    }

    func testHigherPriorityJobsAreClaimedFirstThenOlderJobs() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let jobs = JobStore(client: client, logger: self.logger), leases = LeaseStore(client: client, logger: self.logger)
            let older = try await jobs.create(self.job(2))
            let newer = try await jobs.create(self.job(2))
            let urgent = try await jobs.create(self.job(2, priority: 5))
            let first = try await leases.claim(worker: "w", slots: 3, ttl: 60).map(\.job)
            let rest = try await leases.claim(worker: "w", slots: 3, ttl: 60).map(\.job)
            XCTAssertEqual(first, [urgent, urgent, older])
            XCTAssertEqual(rest, [older, newer, newer])
        }
    }
}
