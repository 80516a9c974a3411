/// Cook's local influence of a perturbation set (MATH.md §1.3), the baseline for small m:
/// `C_max = σ_max(G_f^{-1/2} H_f G_f^{-1/2}) / √(1 + ‖∇f‖²)` with `G_f = I + ∇f∇fᵀ` and, for a
/// network that is piecewise linear in its input, `H_f = −J_Sᵀ M J_S = −L Lᵀ` (L = J_Sᵀ D).
///
/// `G^{-1/2} = I + α ggᵀ` is a rank-one update, so with `Q = G^{-1/2} L` (m×K) the m×m matrix
/// is `−Q Qᵀ`, whose largest singular value is the largest eigenvalue of the K×K `Qᵀ Q`.
public enum CookInfluence {
    public static func maximum(jacobian: [Double], columns m: Int, geometry: OutputGeometry, label y: Int) -> Double {
        let k = geometry.k
        let r = geometry.residual(label: y)
        var g = [Double](repeating: 0, count: m)
        for c in 0..<m { for a in 0..<k { g[c] += jacobian[a * m + c] * r[a] } }
        let norm2 = g.reduce(0) { $0 + $1 * $1 }
        // Lᵀ = Dᵀ J_S (K×m); Q = G^{-1/2} L, column a of Q is G^{-1/2} (row a of Lᵀ).
        var lt = InfluenceMeasure.transposedTimes(geometry.fisherFactor, jacobian, k: k, m: m)
        let alpha = norm2 > 0 ? (1 / (1 + norm2).squareRoot() - 1) / norm2 : 0
        for a in 0..<k {
            let dot = (0..<m).reduce(0) { $0 + lt[a * m + $1] * g[$1] }
            for c in 0..<m { lt[a * m + c] += alpha * dot * g[c] }
        }
        var qtq = [Double](repeating: 0, count: k * k)
        for a in 0..<k { for b in 0...a {
            let s = (0..<m).reduce(0) { $0 + lt[a * m + $1] * lt[b * m + $1] }
            qtq[a * k + b] = s
            qtq[b * k + a] = s
        } }
        let largest = SymmetricEigen(qtq, n: k).values.last ?? 0
        return max(largest, 0) / (1 + norm2).squareRoot()
    }
}
