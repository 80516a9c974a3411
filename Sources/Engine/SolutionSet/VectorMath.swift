/// The few vector operations the solvers need, on plain `[Double]`.
enum VectorMath {
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    static func norm(_ a: [Double]) -> Double {
        // Scaled, so that tiny or huge vectors neither underflow nor overflow.
        let m = a.reduce(0) { max($0, abs($1)) }
        guard m > 0, m.isFinite else { return m }
        var s = 0.0
        for x in a { let y = x / m; s += y * y }
        return m * s.squareRoot()
    }

    /// a + alpha · b
    static func axpy(_ alpha: Double, _ b: [Double], _ a: [Double]) -> [Double] {
        precondition(a.count == b.count)
        var out = a
        for i in out.indices { out[i] += alpha * b[i] }
        return out
    }

    static func scaled(_ a: [Double], _ alpha: Double) -> [Double] { a.map { $0 * alpha } }

    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        var s = 0.0
        for i in a.indices { let d = a[i] - b[i]; s += d * d }
        return s.squareRoot()
    }
}
