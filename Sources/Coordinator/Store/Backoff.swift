/// When a failed or abandoned shard may run again: `min(cap, base · 2^(attempt−1))` seconds,
/// scaled by a uniform draw in [1/2, 1] (jitter, so that shards failing together do not come
/// back together). Evaluated inside the UPDATE that requeues the shard.
public struct Backoff: Sendable {
    public var base: Double
    public var cap: Double

    public init(base: Double = 1, cap: Double = 300) {
        self.base = base
        self.cap = cap
    }
}
