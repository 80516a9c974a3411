import Foundation
import Protocol

/// Comparison of a score between two sets of samples (e.g. training against test set).
public enum TwoSampleTest {
    public static func compare(_ first: [Double], _ second: [Double]) -> TwoSampleComparison {
        let (a, b) = (first.sorted(), second.sorted())
        let meanDifference = mean(a) - mean(b)
        let d = ksStatistic(a, b)
        let n = Double(a.count * b.count) / Double(a.count + b.count)
        return TwoSampleComparison(meanDifference: meanDifference, ksStatistic: d, ksPValue: kolmogorovTail(n.squareRoot() * d))
    }

    /// sup |F_a − F_b| over the pooled values, both inputs sorted.
    static func ksStatistic(_ a: [Double], _ b: [Double]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return .nan }
        var (i, j, d) = (0, 0, 0.0)
        while i < a.count && j < b.count {
            let x = min(a[i], b[j])
            while i < a.count && a[i] == x { i += 1 }  // step past ties in both before comparing
            while j < b.count && b[j] == x { j += 1 }
            d = max(d, abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
        }
        return d
    }

    /// P(K > t) of the Kolmogorov distribution: 2 Σ (−1)^{k−1} e^{−2k²t²} (asymptotic two-sided
    /// p-value, as `scipy.stats.ks_2samp(method="asymp")`).
    static func kolmogorovTail(_ t: Double) -> Double {
        guard t > 0 else { return 1 }
        if t < 0.2 { return 1 }  // the series converges slowly there and the tail is 1 to 1e-9
        var sum = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * t * t)
            sum += (k % 2 == 1 ? 1 : -1) * term
            if term < 1e-16 { break }
        }
        return min(1, max(0, 2 * sum))
    }

    private static func mean(_ v: [Double]) -> Double { v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count) }
}
