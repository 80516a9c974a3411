import Foundation
import Protocol

/// Set-level statistics of per-sample scores (MATH.md §4). Every function first orders its input
/// by sample index, so a summary depends only on the set of (index, value) pairs — not on the
/// order in which shards delivered them.
public enum ScoreStatistics {
    /// The summary of `samples`; `top` largest values, a `bins`-bin histogram.
    public static func summarize(_ samples: [RankedSample], top: Int = 20, bins: Int = 50,
                                 scale: Histogram.Scale = .linear) -> ScoreSummary {
        let ordered = samples.sorted { $0.index < $1.index }
        let values = ordered.map(\.value)
        let sorted = values.sorted()
        let n = values.count
        let mean = n > 0 ? values.reduce(0, +) / Double(n) : .nan
        let variance = n > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1) : 0
        let largest = ordered.sorted { ($0.value, -$0.index) > ($1.value, -$1.index) }.prefix(top)
        return ScoreSummary(
            count: n, mean: mean, sd: variance.squareRoot(), min: sorted.first ?? .nan, max: sorted.last ?? .nan,
            quantiles: ScoreSummary.quantileLevels.map { quantile(sorted, $0) },
            histogram: histogram(sorted, bins: bins, scale: scale), top: Array(largest))
    }

    /// Summaries per label, keyed by label.
    public static func perClass(_ samples: [RankedSample], top: Int = 5, bins: Int = 20) -> [Int: ScoreSummary] {
        Dictionary(grouping: samples.filter { $0.label != nil }) { $0.label! }
            .mapValues { summarize($0, top: top, bins: bins) }
    }

    /// The q-quantile of sorted values, interpolating linearly between order statistics
    /// (NumPy's default): position (n − 1)·q.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = Double(sorted.count - 1) * q
        let lower = Int(position.rounded(.down)), upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower])
    }

    /// Equal-width bins over [min, max] (of log₁₀ values for `.logarithmic`, which leaves out
    /// values ≤ 0 and counts them apart). The last bin includes its upper edge.
    public static func histogram(_ sorted: [Double], bins: Int, scale: Histogram.Scale) -> Histogram {
        let placed = scale == .linear ? sorted : sorted.filter { $0 > 0 }.map { log10($0) }
        let skipped = sorted.count - placed.count
        guard let low = placed.first, let high = placed.last, bins > 0 else {
            return Histogram(scale: scale, edges: [], counts: [], nonPositive: skipped)
        }
        let width = high > low ? (high - low) / Double(bins) : 1
        var counts = [Int](repeating: 0, count: bins)
        for v in placed { counts[Swift.min(bins - 1, Int((v - low) / width))] += 1 }
        let edges = (0...bins).map { i -> Double in
            let edge = i == bins ? (high > low ? high : low + 1) : low + Double(i) * width
            return scale == .linear ? edge : pow(10, edge)
        }
        return Histogram(scale: scale, edges: edges, counts: counts, nonPositive: skipped)
    }
}
