/// The sample set a shard reads.
public enum SampleSet: String, Codable, Sendable {
    case primary
    case comparison
}

/// One unit of work: a contiguous range of positions in one sample set's list of samples.
public struct ShardSpec: Codable, Equatable, Hashable, Sendable {
    /// Position in the plan (0-based).
    public var index: Int
    public var set: SampleSet
    /// Positions `lower..<upper` in the set's sample list (all samples, or the job's chosen indices).
    public var lower: Int
    public var upper: Int

    public init(index: Int, set: SampleSet, lower: Int, upper: Int) {
        self.index = index
        self.set = set
        self.lower = lower
        self.upper = upper
    }

    public var positions: Range<Int> { lower..<upper }
    public var count: Int { upper - lower }
}
