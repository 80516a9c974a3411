/// Probabilities formed in Double from logits, whatever precision the network ran in:
/// log-sum-exp softmax, and 1 − p_k as the sum of the other probabilities (never by subtraction,
/// which is 17 % off in Float32 on a confident digit model and exactly 0 on a more confident one).
public enum Probabilities {
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func softmax<S: EngineScalar>(_ logits: ArraySlice<S>) -> [Double] {
        let z = logits.map(Double.init)
        let m = z.max() ?? 0
        let e = z.map { Foundation_exp($0 - m) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    /// `1 − p_k` for every k, as Σ_{j≠k} p_j.
    public static func complements(_ p: [Double]) -> [Double] {
        p.indices.map { k in p.indices.reduce(0.0) { $1 == k ? $0 : $0 + p[$1] } }
    }

    /// Index of the largest value (the first on ties).
    public static func argmax<C: Collection>(_ v: C) -> Int where C.Element: Comparable, C.Index == Int {
        var best = v.startIndex
        for i in v.indices where v[i] > v[best] { best = i }
        return best - v.startIndex
    }
}
