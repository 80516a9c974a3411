/// FI of one sample for one perturbation set S (MATH.md §1), from the logit Jacobian
/// restricted to S (`J_S`, K×m) or from its Gram matrix `A_S = J_S J_Sᵀ` (K×K).
public enum InfluenceMeasure {
    /// Exact mode keeps eigenvalues of C above `exactTolerance · λ_max`.
    public static let exactTolerance = 1e-9

    public struct Value: Sendable, Equatable {
        public var fi: Double
        /// Number of kept eigenvalues (exact) or singular values above ε (reference).
        public var rank: Int
    }

    /// Exact FI by the SVD of `Lᵀ = Dᵀ J_S`: `(1/p_y) Σ_kept U_yj²` with `s_j > √tol · s_max`.
    public static func exact(jacobian: [Double], columns m: Int, geometry: OutputGeometry, label y: Int) -> Value {
        let svd = LeftSingularVectors(transposedTimes(geometry.fisherFactor, jacobian, k: geometry.k, m: m), rows: geometry.k, columns: m)
        let cut = exactTolerance.squareRoot() * (svd.values.first ?? 0)
        return projection(svd, row: y, keep: { $0 > cut }, scale: 1 / geometry.p[y])
    }

    /// Reference FI by the SVD of `L_εᵀ = D_εᵀ J_S`: `c_y² Σ_{s_j > ε} V_yj²`.
    public static func reference(jacobian: [Double], columns m: Int, geometry: OutputGeometry, label y: Int, epsilon: Double) -> Value {
        let factor = geometry.referenceFactor(epsilon: epsilon)
        let svd = LeftSingularVectors(transposedTimes(factor, jacobian, k: geometry.k, m: m), rows: geometry.k, columns: m)
        let py = geometry.p[y]
        let c = (py.squareRoot() + epsilon) / (py + epsilon)
        return projection(svd, row: y, keep: { $0 > epsilon }, scale: c * c)
    }

    /// Exact FI from the Gram matrix: eigenvalues of `C = Dᵀ A_S D` above `tol · λ_max`.
    public static func exact(gram: [Double], geometry: OutputGeometry, label y: Int) -> Value {
        let eigen = SymmetricEigen(congruence(gram, geometry.fisherFactor, k: geometry.k), n: geometry.k)
        let cut = exactTolerance * max(eigen.values.last ?? 0, 0)
        return projection(eigen, row: y, keep: { $0 > cut }, scale: 1 / geometry.p[y])
    }

    /// Reference FI from the Gram matrix: eigenvalues of `D_εᵀ A_S D_ε` above ε² (exact for
    /// ε ≥ 1e-4 in Double, MATH.md §1.2).
    public static func reference(gram: [Double], geometry: OutputGeometry, label y: Int, epsilon: Double) -> Value {
        let eigen = SymmetricEigen(congruence(gram, geometry.referenceFactor(epsilon: epsilon), k: geometry.k), n: geometry.k)
        let py = geometry.p[y]
        let c = (py.squareRoot() + epsilon) / (py + epsilon)
        return projection(eigen, row: y, keep: { $0 > epsilon * epsilon }, scale: c * c)
    }

    /// `FI = (jᵀ(e_y − p))² / (jᵀ M j)` for one coordinate with Jacobian column `j` (m = 1).
    public static func singleCoordinate(column j: [Double], geometry: OutputGeometry, label y: Int) -> Double {
        let r = geometry.residual(label: y)
        let g = zip(j, r).reduce(0) { $0 + $1.0 * $1.1 }
        var quadratic = 0.0
        for a in 0..<geometry.k { quadratic += geometry.p[a] * j[a] * j[a] }
        let mean = zip(geometry.p, j).reduce(0) { $0 + $1.0 * $1.1 }
        quadratic -= mean * mean
        return quadratic > 0 ? g * g / quadratic : 0
    }

    /// `‖J_Sᵀ(e_y − p)‖₂`: the gradient norm of log p_y (the Jacobian-norm baseline).
    public static func gradientNorm(jacobian: [Double], columns m: Int, geometry: OutputGeometry, label y: Int) -> Double {
        let r = geometry.residual(label: y)
        var sum = 0.0
        for c in 0..<m {
            var g = 0.0
            for a in 0..<geometry.k { g += jacobian[a * m + c] * r[a] }
            sum += g * g
        }
        return sum.squareRoot()
    }

    /// Σ_{kept j} w_{row, j}² · scale over a decomposition's vectors.
    private static func projection(_ svd: LeftSingularVectors, row: Int, keep: (Double) -> Bool, scale: Double) -> Value {
        let r = svd.values.count
        var sum = 0.0, rank = 0
        for j in 0..<r where keep(svd.values[j]) {
            sum += svd.u[row * r + j] * svd.u[row * r + j]
            rank += 1
        }
        return Value(fi: scale * sum, rank: rank)
    }

    private static func projection(_ eigen: SymmetricEigen, row: Int, keep: (Double) -> Bool, scale: Double) -> Value {
        let n = eigen.n
        var sum = 0.0, rank = 0
        for j in 0..<n where keep(eigen.values[j]) {
            sum += eigen.vectors[row * n + j] * eigen.vectors[row * n + j]
            rank += 1
        }
        return Value(fi: scale * sum, rank: rank)
    }

    /// `Fᵀ X` for a K×r factor F (r = K unless given) and a K×m matrix X (row-major): r × m.
    static func transposedTimes(_ f: [Double], _ x: [Double], k: Int, m: Int, factorColumns r: Int? = nil) -> [Double] {
        let r = r ?? k
        var out = [Double](repeating: 0, count: r * m)
        f.withUnsafeBufferPointer { pf in
            x.withUnsafeBufferPointer { px in
                out.withUnsafeMutableBufferPointer { po in
                    Double.gemm(transA: true, transB: false, m: r, n: m, k: k, alpha: 1, a: pf.baseAddress!, lda: r,
                                b: px.baseAddress!, ldb: m, beta: 0, c: po.baseAddress!, ldc: m)
                }
            }
        }
        return out
    }

    /// `Fᵀ A F` for K×K matrices, symmetrised against rounding.
    static func congruence(_ a: [Double], _ f: [Double], k: Int) -> [Double] {
        let fa = transposedTimes(f, a, k: k, m: k)
        var c = [Double](repeating: 0, count: k * k)
        for i in 0..<k { for j in 0..<k { for l in 0..<k { c[i * k + j] += fa[i * k + l] * f[l * k + j] } } }
        for i in 0..<k { for j in 0..<i { let s = (c[i * k + j] + c[j * k + i]) / 2; c[i * k + j] = s; c[j * k + i] = s } }
        return c
    }
}
