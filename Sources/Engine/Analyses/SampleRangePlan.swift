import Protocol

/// Plans shards over contiguous ranges of sample positions, the primary set first.
enum SampleRangePlan {
    static func shards(primary: Int, comparison: Int?, shardSize: Int) -> [ShardSpec] {
        let size = max(1, shardSize)
        var shards: [ShardSpec] = []
        for (set, count) in [(SampleSet.primary, primary), (.comparison, comparison ?? 0)] {
            var lower = 0
            while lower < count {
                let upper = min(count, lower + size)
                shards.append(ShardSpec(index: shards.count, set: set, lower: lower, upper: upper))
                lower = upper
            }
        }
        return shards
    }
}
