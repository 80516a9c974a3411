/// Distances between finite sets of weight vectors (MATH.md §3): d(w, C) = min_c ‖w − c‖,
/// the excess e(C, D) = max_{c∈C} d(c, D), the Pompeiu–Hausdorff distance
/// h(C, D) = max(e(C, D), e(D, C)), and the diameter. Empty sets have no distance (nil).
public enum SetDistances {
    public static func distance(_ w: [Double], to set: [[Double]]) -> Double? {
        set.map { VectorMath.distance(w, $0) }.min()
    }

    public static func excess(_ c: [[Double]], over d: [[Double]]) -> Double? {
        guard !c.isEmpty, !d.isEmpty else { return nil }
        return c.map { distance($0, to: d)! }.max()
    }

    public static func hausdorff(_ c: [[Double]], _ d: [[Double]]) -> Double? {
        guard let a = excess(c, over: d), let b = excess(d, over: c) else { return nil }
        return max(a, b)
    }

    public static func diameter(_ c: [[Double]]) -> Double? {
        guard !c.isEmpty else { return nil }
        var largest = 0.0
        for i in c.indices { for j in c.indices where j > i { largest = max(largest, VectorMath.distance(c[i], c[j])) } }
        return largest
    }
}
