/// The distribution of one per-sample score over a set of samples (MATH.md §4).
public struct ScoreSummary: Codable, Equatable, Sendable {
    public var count: Int
    public var mean: Double
    /// Sample standard deviation (n − 1); 0 for fewer than two values.
    public var sd: Double
    public var min: Double
    public var max: Double
    /// At `ScoreSummary.quantileLevels`, by linear interpolation between order statistics.
    public var quantiles: [Double]
    public var histogram: Histogram
    /// The largest values, largest first (ties by sample index).
    public var top: [RankedSample]

    public static let quantileLevels = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]

    public init(count: Int, mean: Double, sd: Double, min: Double, max: Double, quantiles: [Double],
                histogram: Histogram, top: [RankedSample]) {
        self.count = count
        self.mean = mean
        self.sd = sd
        self.min = min
        self.max = max
        self.quantiles = quantiles
        self.histogram = histogram
        self.top = top
    }
}

/// Counts of values in consecutive bins; `edges` has one more entry than `counts`.
public struct Histogram: Codable, Equatable, Sendable {
    public enum Scale: String, Codable, Sendable { case linear, logarithmic }

    public var scale: Scale
    public var edges: [Double]
    public var counts: [Int]
    /// Values a logarithmic histogram cannot place (≤ 0).
    public var nonPositive: Int

    public init(scale: Scale, edges: [Double], counts: [Int], nonPositive: Int = 0) {
        self.scale = scale
        self.edges = edges
        self.counts = counts
        self.nonPositive = nonPositive
    }
}

/// One sample's score, with its index in the data set and its label when known.
public struct RankedSample: Codable, Equatable, Sendable {
    public var index: Int
    public var value: Double
    public var label: Int?

    public init(index: Int, value: Double, label: Int? = nil) {
        self.index = index
        self.value = value
        self.label = label
    }
}

/// Two sets of samples compared (e.g. training against test set).
public struct TwoSampleComparison: Codable, Equatable, Sendable {
    /// mean(first) − mean(second).
    public var meanDifference: Double
    /// Kolmogorov–Smirnov statistic: the largest distance between the empirical distributions.
    public var ksStatistic: Double
    /// Two-sided asymptotic p-value of the KS statistic.
    public var ksPValue: Double

    public init(meanDifference: Double, ksStatistic: Double, ksPValue: Double) {
        self.meanDifference = meanDifference
        self.ksStatistic = ksStatistic
        self.ksPValue = ksPValue
    }
}

/// How well a score separates outliers (label 1) from the rest (label 0).
public struct OutlierDetection: Codable, Equatable, Sendable {
    /// Area under the ROC curve (ties count one half).
    public var rocAUC: Double
    /// Average precision: Σ (recallₙ − recallₙ₋₁) · precisionₙ over descending thresholds.
    public var averagePrecision: Double
    /// The ROC curve from (0, 0) to (1, 1), thinned to vertices at least 0.01 apart (nil in
    /// summaries written before curves were kept).
    public var roc: [CurvePoint]?
    /// The precision–recall curve, (recall, precision) at descending thresholds, thinned alike.
    public var precisionRecall: [CurvePoint]?

    public init(rocAUC: Double, averagePrecision: Double, roc: [CurvePoint]? = nil, precisionRecall: [CurvePoint]? = nil) {
        self.rocAUC = rocAUC
        self.averagePrecision = averagePrecision
        self.roc = roc
        self.precisionRecall = precisionRecall
    }
}
