/// The spectral measure of a vector q under a small symmetric matrix A: the eigenvalues λ_j of A
/// and the weights `(w_jᵀ q)²` of q on their unit eigenvectors — all an FI window needs, at a
/// fraction of the cost of a full eigendecomposition.
///
/// Householder reflections reduce A to a tridiagonal T = Zᵀ A Z with `Z e₀ = q/‖q‖` (the first
/// reflection maps q to e₀, the others leave e₀ alone), so `(w_jᵀ q)² = ‖q‖² s_j[0]²` for T's
/// eigenvectors s_j. Implicit QL with Wilkinson shifts then finds T's eigenvalues while
/// rotating only the first components of its eigenvectors (the Golub–Welsch scheme).
/// Both steps are orthogonal transformations, backward stable like LAPACK's `dsyevd`.
struct SpectralMeasure {
    let n: Int
    /// Eigenvalues (unordered) and the matching weights, valid after `compute`.
    private(set) var values: [Double]
    private(set) var weights: [Double]
    private var a: [Double]
    private var v: [Double]
    private var p: [Double]
    private var subdiagonal: [Double]

    init(n: Int) {
        self.n = n
        values = [Double](repeating: 0, count: n)
        weights = [Double](repeating: 0, count: n)
        a = [Double](repeating: 0, count: n * n)
        v = [Double](repeating: 0, count: n)
        p = [Double](repeating: 0, count: n)
        subdiagonal = [Double](repeating: 0, count: n)
    }

    /// Decomposes the n × n symmetric `matrix` (row-major) for the vector `q`.
    mutating func compute(matrix: UnsafePointer<Double>, q: UnsafePointer<Double>) {
        let n = self.n
        var qNorm2 = 0.0
        for i in 0..<n { qNorm2 += q[i] * q[i] }
        a.withUnsafeMutableBufferPointer { a in
            v.withUnsafeMutableBufferPointer { v in
                p.withUnsafeMutableBufferPointer { p in
                    let (a, v, p) = (a.baseAddress!, v.baseAddress!, p.baseAddress!)
                    for i in 0..<(n * n) { a[i] = matrix[i] }
                    // Reflect q onto e₀, then tridiagonalise column by column below the diagonal.
                    for i in 0..<n { v[i] = q[i] }
                    if Self.reflector(v, count: n) != nil { Self.reflect(a, n: n, from: 0, v: v, p: p) }
                    for k in 0..<max(0, n - 2) {
                        let length = n - k - 1
                        for i in 0..<length { v[i] = a[(k + 1 + i) * n + k] }
                        if let alpha = Self.reflector(v, count: length) {
                            Self.reflect(a, n: n, from: k + 1, v: v, p: p)
                            a[(k + 1) * n + k] = alpha
                        }
                    }
                }
            }
        }
        for i in 0..<n {
            values[i] = a[i * n + i]
            subdiagonal[i] = i + 1 < n ? a[(i + 1) * n + i] : 0
            weights[i] = i == 0 ? 1 : 0
        }
        values.withUnsafeMutableBufferPointer { d in
            subdiagonal.withUnsafeMutableBufferPointer { e in
                weights.withUnsafeMutableBufferPointer { z in
                    Self.implicitQL(d.baseAddress!, e.baseAddress!, z.baseAddress!, n: n)
                }
            }
        }
        for i in 0..<n { weights[i] = qNorm2 * weights[i] * weights[i] }
    }

    /// Kept mass `Σ_{λ_j > cut} (w_jᵀ q)²` of the n × n symmetric `matrix` (row-major). Exactly one
    /// of `relativeTolerance` (cut = tolerance · max(λ_max, 0)) and `absoluteCut` is given.
    mutating func keptMass(matrix: UnsafePointer<Double>, q: UnsafePointer<Double>, relativeTolerance: Double?, absoluteCut: Double?) -> Double {
        precondition((relativeTolerance == nil) != (absoluteCut == nil), "give exactly one cut-off")
        compute(matrix: matrix, q: q)
        let cut = relativeTolerance.map { $0 * max(values.max() ?? 0, 0) } ?? absoluteCut!
        var sum = 0.0
        for j in 0..<n where values[j] > cut { sum += weights[j] }
        return sum
    }

    /// Overwrites x with the Householder vector v such that H = I − 2vvᵀ/vᵀv maps x to α e₀,
    /// and returns α; nil when x is already a multiple of e₀ (nothing to do).
    private static func reflector(_ x: UnsafeMutablePointer<Double>, count: Int) -> Double? {
        var tail = 0.0
        for i in 1..<max(count, 1) { tail += x[i] * x[i] }
        if tail == 0 { return nil }
        let norm = (x[0] * x[0] + tail).squareRoot()
        let alpha = x[0] >= 0 ? -norm : norm
        x[0] -= alpha
        return alpha
    }

    /// The trailing block `from`..<n of A ← H A H for H = I − 2vvᵀ/vᵀv on those indices: the
    /// symmetric rank-2 update A − v wᵀ − w vᵀ with w = p − (β/2)(vᵀp) v, p = β A v. Entries
    /// outside the block are the caller's (the column just reduced gets α).
    private static func reflect(_ a: UnsafeMutablePointer<Double>, n: Int, from s: Int, v: UnsafeMutablePointer<Double>,
                                p: UnsafeMutablePointer<Double>) {
        let length = n - s
        let block = a + s * n + s
        var vv = 0.0
        for i in 0..<length { vv += v[i] * v[i] }
        let beta = 2 / vv
        var vp = 0.0
        for i in 0..<length {
            var sum = 0.0
            for j in 0..<length { sum += block[i * n + j] * v[j] }
            p[i] = beta * sum
            vp += v[i] * p[i]
        }
        let half = beta * vp / 2
        for i in 0..<length { p[i] -= half * v[i] }
        for i in 0..<length {
            for j in 0..<length { block[i * n + j] -= v[i] * p[j] + p[i] * v[j] }
        }
    }

    /// Eigenvalues of the symmetric tridiagonal (d, e) by implicit QL with shifts, rotating the
    /// first components z of the eigenvectors along (d and z overwritten, e destroyed).
    private static func implicitQL(_ d: UnsafeMutablePointer<Double>, _ e: UnsafeMutablePointer<Double>,
                                   _ z: UnsafeMutablePointer<Double>, n: Int) {
        guard n > 1 else { return }
        e[n - 1] = 0
        // Deflate against the whole matrix's size, not each entry's neighbours: the reduction's
        // backward error is already ulp · ‖T‖, and graded matrices then need far fewer sweeps.
        var norm = 0.0
        for i in 0..<n { norm = max(norm, abs(d[i]) + abs(e[i]) + (i > 0 ? abs(e[i - 1]) : 0)) }
        let negligible = Double.ulpOfOne * norm
        for l in 0..<n {
            var iterations = 0
            while true {
                var m = l
                while m < n - 1 {
                    if abs(e[m]) <= negligible { break }
                    m += 1
                }
                if m == l { break }
                iterations += 1
                if iterations > 60 { break }  // never seen; the values stay as accurate as they got
                var g = (d[l + 1] - d[l]) / (2 * e[l])
                var r = abs(g) > 1e150 ? abs(g) : (g * g + 1).squareRoot()
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? abs(r) : -abs(r)))
                var (s, c, shift) = (1.0, 1.0, 0.0)
                var i = m - 1
                var underflow = false
                while i >= l {
                    let f = s * e[i], b = c * e[i]
                    r = (f * f + g * g).squareRoot()  // glibc's hypot costs a quarter of a window; these never overflow
                    e[i + 1] = r
                    if r == 0 {
                        d[i + 1] -= shift
                        e[m] = 0
                        underflow = true
                        break
                    }
                    s = f / r
                    c = g / r
                    g = d[i + 1] - shift
                    r = (d[i] - g) * s + 2 * c * b
                    shift = s * r
                    d[i + 1] = g + shift
                    g = c * r - b
                    let zf = z[i + 1]
                    z[i + 1] = s * z[i] + c * zf
                    z[i] = c * z[i] - s * zf
                    i -= 1
                }
                if underflow { continue }
                d[l] -= shift
                e[l] = g
                e[m] = 0
            }
        }
    }
}
