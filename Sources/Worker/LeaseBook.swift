import Foundation
import Protocol

/// The leases a worker holds, which of them it has lost, and its free slots.
actor LeaseBook {
    struct Held: Sendable {
        var grant: LeaseGrant
        var lost = false
    }

    let slots: Int
    private var held: [Int64: Held] = [:]
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []

    init(slots: Int) { self.slots = slots }

    var freeSlots: Int { slots - held.count }
    var isEmpty: Bool { held.isEmpty }

    func add(_ grant: LeaseGrant) { held[grant.shard] = Held(grant: grant) }

    func remove(_ shard: Int64) {
        held[shard] = nil
        let waiters = slotWaiters
        slotWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// The leases to heartbeat: every one not yet known lost.
    func current() -> [HeartbeatRequest.Held] {
        held.values.filter { !$0.lost }.map { .init(shard: $0.grant.shard, lease: $0.grant.lease) }
    }

    func markLost(_ shards: [Int64]) {
        for shard in shards { held[shard]?.lost = true }
    }

    func isLost(_ shard: Int64) -> Bool { held[shard]?.lost ?? true }

    /// Returns once a slot is free.
    func waitForFreeSlot() async {
        while freeSlots <= 0 {
            await withCheckedContinuation { slotWaiters.append($0) }
        }
    }
}
