/// Margin lower bounds from logit bounds: for each sample, min over j ≠ y of
/// lower(z_y) − upper(z_j) — the plain bound, not a tighter one through the last layer. A sample
/// is certified when it is positive.
public enum CertifiedMargins {
    public static func lowerBounds(_ logits: Interval, labels: [Int], classes k: Int) -> [Double] {
        labels.enumerated().map { i, y in
            var worst = Double.infinity
            for j in 0..<k where j != y {
                worst = Swift.min(worst, logits.lower.scalars[i * k + y] - logits.upper.scalars[i * k + j])
            }
            return worst
        }
    }
}
