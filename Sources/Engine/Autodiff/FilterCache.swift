import Foundation

/// Transformed convolution filters (Winograd's G g Gᵀ) of one network, computed once and shared
/// by every pass and thread: a Jacobian of a ResNet-18 would otherwise re-transform 11 M
/// weights twice per batch of samples. The network replaces the cache whenever its parameters
/// change, so an entry can never be stale.
final class FilterCache<S: EngineScalar>: @unchecked Sendable {
    struct Key: Hashable {
        var node: Int
        var forInputGradient: Bool
        var tile: WinogradTile
    }

    private var entries: [Key: [S]] = [:]
    private let lock = NSLock()

    func filters(_ key: Key, make: () -> [S]) -> [S] {
        if let hit = lock.withLock({ entries[key] }) { return hit }
        let made = make()  // outside the lock: two threads may both make it; both results are equal
        lock.withLock { entries[key] = made }
        return made
    }
}

/// One node's view of its network's filter cache, handed to the operation with each pass.
struct FilterLookup<S: EngineScalar> {
    var cache: FilterCache<S>
    var node: Int

    func filters(forInputGradient: Bool, tile: WinogradTile, make: () -> [S]) -> [S] {
        cache.filters(.init(node: node, forInputGradient: forInputGradient, tile: tile), make: make)
    }
}
