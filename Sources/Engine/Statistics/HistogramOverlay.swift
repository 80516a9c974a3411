import Foundation
import Protocol

/// Histograms of several sets on one grid, to draw them over each other. Each summary histogram
/// has bins of its own range (and 50 of them, too many for a set of a few samples), so their
/// counts move to common bins: a source bin's count goes whole to the common bin holding its
/// centre (a count lands at most half a source bin from where it was), and each set is shown
/// as the fraction of its samples per bin, so sets of different sizes compare.
public enum HistogramOverlay {
    public struct Grid: Equatable, Sendable {
        public var scale: Histogram.Scale
        /// `bins + 1` edges, in the data's units.
        public var edges: [Double]
        /// Per set, per bin: the fraction of the set's samples (values ≤ 0 on a log scale count
        /// in the denominator, not in a bin).
        public var fractions: [[Double]]
    }

    /// Coarser for smaller sets: about 2√n bins for the smallest set's n, from 6 to 25.
    public static func suggestedBins(_ histograms: [Histogram]) -> Int {
        let smallest = histograms.map { $0.counts.reduce(0, +) + $0.nonPositive }.min() ?? 0
        return min(25, max(6, Int((2 * Double(smallest).squareRoot()).rounded())))
    }

    /// nil when no histogram has a bin (or their scales differ).
    public static func grid(_ histograms: [Histogram], bins: Int) -> Grid? {
        guard let scale = histograms.first?.scale, histograms.allSatisfy({ $0.scale == scale }), bins > 0 else { return nil }
        let axis = { (v: Double) in scale == .logarithmic ? log10(v) : v }
        let usable = histograms.filter { $0.edges.count == $0.counts.count + 1 && !$0.counts.isEmpty }
        guard let lo = usable.map({ axis($0.edges.first!) }).min(), let top = usable.map({ axis($0.edges.last!) }).max() else { return nil }
        let width = top > lo ? (top - lo) / Double(bins) : 1
        let fractions = histograms.map { h -> [Double] in
            var counts = [Int](repeating: 0, count: bins)
            guard h.edges.count == h.counts.count + 1 else { return counts.map(Double.init) }
            for (i, count) in h.counts.enumerated() where count > 0 {
                let centre = (axis(h.edges[i]) + axis(h.edges[i + 1])) / 2
                counts[min(bins - 1, max(0, Int((centre - lo) / width)))] += count
            }
            let total = Double(h.counts.reduce(0, +) + h.nonPositive)
            return counts.map { total > 0 ? Double($0) / total : 0 }
        }
        let edges = (0...bins).map { i -> Double in
            let edge = lo + Double(i) * width
            return scale == .logarithmic ? pow(10, edge) : edge
        }
        return Grid(scale: scale, edges: edges, fractions: fractions)
    }
}
