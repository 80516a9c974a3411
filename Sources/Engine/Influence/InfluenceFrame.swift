/// One sample's FI problem written in the K − 1 coordinates orthogonal to the structural null
/// vector of its metric factor (MATH.md §1.1–1.2).
///
/// The factor F (D for the exact mode, D_ε for the reference mode) satisfies `1ᵀF = 0`, so
/// `C = Fᵀ A_S F` always has the null vector u ∝ F⁻¹-preimage of p: `u = √p` (exact) or
/// `u ∝ √p + ε` (reference). With Q (K × (K−1)) an orthonormal basis of u⊥ from one Householder
/// reflection, turned so that q_y lies along the first axis, `C = Q C' Qᵀ` where
/// `C' = F'ᵀ A_S F'` and `F' = F Q`, and
///
///     FI = scale · Σ_{kept j} (w_jᵀ q_y)²        (w_j eigenvectors of C', q_y = Qᵀ e_y)
///
/// Transforming the Jacobian once, `J̃ = F'ᵀ J`, makes every window's C' a plain Gram matrix of
/// J̃'s columns. When every eigenvalue of C' is kept, the sum is `scale · (1 − u_y²)`, the
/// saturated value, which `WindowSolver` returns after certifying it.
struct InfluenceFrame: Sendable {
    enum Cutoff: Sendable {
        /// Keep eigenvalues above `tolerance · λ_max` (exact mode).
        case relative(Double)
        /// Keep eigenvalues above a fixed value (reference mode: ε²).
        case absolute(Double)
    }

    /// K − 1.
    let rank: Int
    let k: Int
    /// F' = F Q, K × (K−1), row-major.
    let factor: [Double]
    /// q_y = Qᵀ e_y.
    let labelDirection: [Double]
    let scale: Double
    /// FI when every non-structural eigenvalue is kept.
    let saturated: Double
    let cutoff: Cutoff

    init(geometry: OutputGeometry, label y: Int, referenceEpsilon epsilon: Double? = nil) {
        let k = geometry.k
        self.k = k
        rank = k - 1
        let f: [Double], u: [Double], others: Double
        if let epsilon {
            f = geometry.referenceFactor(epsilon: epsilon)
            let shifted = geometry.p.map { $0.squareRoot() + epsilon }
            let norm2 = shifted.reduce(0) { $0 + $1 * $1 }
            u = shifted.map { $0 / norm2.squareRoot() }
            others = shifted.indices.reduce(0.0) { $1 == y ? $0 : $0 + shifted[$1] * shifted[$1] } / norm2
            let py = geometry.p[y]
            let c = (py.squareRoot() + epsilon) / (py + epsilon)
            scale = c * c
            cutoff = .absolute(epsilon * epsilon)
        } else {
            f = geometry.fisherFactor
            u = geometry.p.map { $0.squareRoot() }
            others = geometry.complements[y]
            scale = 1 / geometry.p[y]
            cutoff = .relative(InfluenceMeasure.exactTolerance)
        }
        saturated = scale * others
        let q = Self.aligningLabel(Self.complementBasis(of: u), k: k, y: y)
        var fq = [Double](repeating: 0, count: k * (k - 1))
        for i in 0..<k {
            for j in 0..<(k - 1) {
                var s = 0.0
                for l in 0..<k { s += f[i * k + l] * q[l * (k - 1) + j] }
                fq[i * (k - 1) + j] = s
            }
        }
        factor = fq
        labelDirection = Array(q[(y * (k - 1))..<((y + 1) * (k - 1))])
    }

    /// Q: the K − 1 columns of the Householder reflection that maps the unit vector `u` to a
    /// multiple of its largest coordinate axis, with that axis's column left out. K × (K−1).
    static func complementBasis(of u: [Double]) -> [Double] {
        let k = u.count
        let pivot = u.indices.max { abs(u[$0]) < abs(u[$1]) }!
        var v = u
        v[pivot] += u[pivot] >= 0 ? 1 : -1
        let vv = v.reduce(0) { $0 + $1 * $1 }
        var q = [Double](repeating: 0, count: k * (k - 1))
        for i in 0..<k {
            var column = 0
            for j in 0..<k where j != pivot {
                q[i * (k - 1) + column] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv
                column += 1
            }
        }
        return q
    }

    /// Q turned within its column space so that q_y = Qᵀ e_y lies along the first axis, by one
    /// Householder reflection H of those K − 1 coordinates (Q ← Q H). Any orthonormal basis of u⊥
    /// gives the same FI; this one saves the spectral measure its first reflection, once per
    /// window.
    static func aligningLabel(_ q: [Double], k: Int, y: Int) -> [Double] {
        let r = k - 1
        var v = Array(q[(y * r)..<((y + 1) * r)])
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return q }
        v[0] += v[0] >= 0 ? norm : -norm
        let vv = v.reduce(0) { $0 + $1 * $1 }
        var turned = q
        for i in 0..<k {
            var dot = 0.0
            for j in 0..<r { dot += q[i * r + j] * v[j] }
            let f = 2 * dot / vv
            for j in 0..<r { turned[i * r + j] = q[i * r + j] - f * v[j] }
        }
        // Row y is exactly ∓‖q_y‖ e₀; rounding would leave traces in the other coordinates.
        for j in 1..<r { turned[y * r + j] = 0 }
        return turned
    }

    /// `J̃ = F'ᵀ J`: (K−1) × D from the K × D Jacobian (row-major).
    func transform(jacobian: [Double]) -> [Double] {
        InfluenceMeasure.transposedTimes(factor, jacobian, k: k, m: jacobian.count / k, factorColumns: rank)
    }
}
