/// The sample set a shard reads.
public enum SampleSet: String, Codable, Sendable {
    case primary
    case comparison
}

/// One unit of work: a contiguous range of positions in one sample set's list of samples — or,
/// for sweeps, a range of draws at one ε (`epsilon`, an index into the job's grid) for one layer
/// selection (`selection`).
public struct ShardSpec: Codable, Equatable, Hashable, Sendable {
    /// Position in the plan (0-based).
    public var index: Int
    public var set: SampleSet
    /// Positions `lower..<upper` in the set's sample list (all samples, or the job's chosen
    /// indices), or draws `lower..<upper` of a sweep.
    public var lower: Int
    public var upper: Int
    public var epsilon: Int?
    public var selection: Int?

    public init(index: Int, set: SampleSet, lower: Int, upper: Int, epsilon: Int? = nil, selection: Int? = nil) {
        self.index = index
        self.set = set
        self.lower = lower
        self.upper = upper
        self.epsilon = epsilon
        self.selection = selection
    }

    public var positions: Range<Int> { lower..<upper }
    public var count: Int { upper - lower }
}
