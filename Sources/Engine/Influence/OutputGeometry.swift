/// The softmax output of one sample and the K×K factors of its Fisher metric, in Double.
///
/// `M = diag(p) − ppᵀ = D Dᵀ` with `D = (I − p1ᵀ) diag(√p)`; the reference mode's
/// `D_ε = (I − p1ᵀ) diag(p / (√p + ε))`. Every `1 − p_k` is the sum of the other probabilities:
/// by subtraction it is 17 % off in Float32 on a confident digit model and exactly 0 on a more
/// confident one (MATH.md §1.1).
public struct OutputGeometry: Sendable {
    public var p: [Double]
    /// `1 − p_k`, as sums.
    public var complements: [Double]
    public var k: Int { p.count }

    public init<C: Collection>(logits: C) where C.Element: BinaryFloatingPoint {
        p = Probabilities.softmax(logits.map { Double($0) }[...])
        complements = Probabilities.complements(p)
    }

    public var predicted: Int { Probabilities.argmax(p) }

    /// `(I − p1ᵀ) diag(scale)`, row-major K×K.
    public func centred(scale: [Double]) -> [Double] {
        var d = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            for j in 0..<k { d[i * k + j] = (i == j ? complements[i] : -p[i]) * scale[j] }
        }
        return d
    }

    /// D with the exact mode's scale √p.
    public var fisherFactor: [Double] { centred(scale: p.map { $0.squareRoot() }) }

    /// D_ε of the reference mode.
    public func referenceFactor(epsilon: Double) -> [Double] { centred(scale: p.map { $0 / ($0.squareRoot() + epsilon) }) }

    /// `e_y − p` with its y-entry as a sum.
    public func residual(label y: Int) -> [Double] {
        (0..<k).map { $0 == y ? complements[y] : -p[$0] }
    }

    /// The upper bound of FI, `(1 − p_y)/p_y`.
    public func bound(label y: Int) -> Double { complements[y] / p[y] }
}
