
/// The FI of many perturbation windows of one sample, from their (K−1)-dimensional metric
/// matrices C' (see `InfluenceFrame`), at a fraction of the cost of an eigenproblem each.
///
/// A Cholesky factor `C' = L Lᵀ` certifies that every eigenvalue is kept: `λ_min ≥ 1/‖L⁻¹‖²_F`
/// and `λ_max ≤ tr C'`, so when `1/‖L⁻¹‖²_F` clears the cut-off (twice over, against rounding)
/// the FI is the frame's saturated value, exactly what the eigen route would sum to. Windows
/// with fewer coordinates than K − 1 use the m × m Gram matrix `G = J̃_Sᵀ J̃_S` (same non-zero
/// eigenvalues), and `FI = scale · ‖L_G⁻¹ J̃_Sᵀ q_y‖²` once certified. Anything the certificate
/// cannot decide — rank-deficient or ill-conditioned windows — goes to the spectral measure of q_y (`SpectralMeasure`), so every
/// value is the eigen route's value; only the time differs.
final class WindowSolver {
    let frame: InfluenceFrame
    private let r: Int
    private let matrix: UnsafeMutablePointer<Double>
    private let lower: UnsafeMutablePointer<Double>
    private let vector: UnsafeMutablePointer<Double>
    private var work: [Double]
    private var spectrum: SpectralMeasure
    /// How many windows needed the eigen route (for tests and benchmarks).
    private(set) var eigenFallbacks = 0
    /// Certificates failed in a row: on samples whose windows are all rank-deficient the attempt
    /// is wasted work, so after a run of failures it is tried only now and then.
    private var failedInARow = 0

    init(frame: InfluenceFrame) {
        self.frame = frame
        r = frame.rank
        matrix = .allocate(capacity: r * r)
        lower = .allocate(capacity: r * r)
        vector = .allocate(capacity: r)
        work = [Double](repeating: 0, count: r)
        spectrum = SpectralMeasure(n: r)
    }

    deinit {
        matrix.deallocate()
        lower.deallocate()
        vector.deallocate()
    }

    /// FI of a window whose C' is given as its packed upper triangle (row by row, `r(r+1)/2`).
    func influence(packedGram packed: UnsafePointer<Double>) -> Double {
        var e = 0
        for i in 0..<r {
            for j in i..<r {
                matrix[i * r + j] = packed[e]
                matrix[j * r + i] = packed[e]
                e += 1
            }
        }
        if certifiedFullRank(matrix, n: r, trace: trace(matrix, n: r)) != nil { return frame.saturated }
        return eigenRoute()
    }

    /// FI of a window of `columns` (indices into the transformed Jacobian J̃, (K−1) × `stride`).
    func influence(columns: UnsafeBufferPointer<Int>, transformed: UnsafePointer<Double>, stride d: Int) -> Double {
        let m = columns.count
        if m >= r { return influence(gramOf: columns, transformed: transformed, stride: d) }
        // G = J̃_Sᵀ J̃_S (m × m) into `matrix` (as m × m), b = J̃_Sᵀ q_y into `vector`.
        let q = frame.labelDirection
        for a in 0..<m {
            var b = 0.0
            for t in 0..<r { b += transformed[t * d + columns[a]] * q[t] }
            vector[a] = b
            for c in 0...a {
                var s = 0.0
                for t in 0..<r { s += transformed[t * d + columns[a]] * transformed[t * d + columns[c]] }
                matrix[a * m + c] = s
                matrix[c * m + a] = s
            }
        }
        if certifiedFullRank(matrix, n: m, trace: trace(matrix, n: m)) != nil {
            // z = L⁻¹ b by forward substitution; FI = scale · ‖z‖².
            var sum = 0.0
            for i in 0..<m {
                var z = vector[i]
                for t in 0..<i { z -= lower[i * m + t] * vector[t] }
                z /= lower[i * m + i]
                vector[i] = z
                sum += z * z
            }
            return frame.scale * sum
        }
        return influence(gramOf: columns, transformed: transformed, stride: d)
    }

    /// C' = J̃_S J̃_Sᵀ of the columns, then the certificate or the eigen route.
    private func influence(gramOf columns: UnsafeBufferPointer<Int>, transformed: UnsafePointer<Double>, stride d: Int) -> Double {
        for i in 0..<r {
            for j in i..<r {
                var s = 0.0
                for c in columns { s += transformed[i * d + c] * transformed[j * d + c] }
                matrix[i * r + j] = s
                matrix[j * r + i] = s
            }
        }
        if certifiedFullRank(matrix, n: r, trace: trace(matrix, n: r)) != nil { return frame.saturated }
        return eigenRoute()
    }

    private func trace(_ a: UnsafeMutablePointer<Double>, n: Int) -> Double {
        var t = 0.0
        for i in 0..<n { t += a[i * n + i] }
        return t
    }

    /// The Cholesky factor of the n × n matrix `a` (in `lower`) when its smallest eigenvalue
    /// provably clears the cut-off; nil otherwise.
    private func certifiedFullRank(_ a: UnsafeMutablePointer<Double>, n: Int, trace: Double) -> UnsafeMutablePointer<Double>? {
        guard trace > 0, failedInARow < 32 || failedInARow % 16 == 0 else {
            failedInARow += 1
            return nil
        }
        failedInARow += 1
        for j in 0..<n {
            var d = a[j * n + j]
            for t in 0..<j { d -= lower[j * n + t] * lower[j * n + t] }
            guard d > 0 else { return nil }  // not positive definite in rounding: undecided
            let s = d.squareRoot()
            lower[j * n + j] = s
            for i in (j + 1)..<n {
                var v = a[i * n + j]
                for t in 0..<j { v -= lower[i * n + t] * lower[j * n + t] }
                lower[i * n + j] = v / s
            }
        }
        // ‖L⁻¹‖²_F column by column of L⁻¹ (forward substitution on unit vectors), in `work`.
        var frobenius = 0.0
        for j in 0..<n {
            for i in 0..<j { work[i] = 0 }
            for i in j..<n {
                var v = i == j ? 1.0 : 0.0
                for t in j..<i { v -= lower[i * n + t] * work[t] }
                v /= lower[i * n + i]
                work[i] = v
                frobenius += v * v
            }
        }
        let smallest = 1 / frobenius
        let cut: Double
        switch frame.cutoff {
        case .relative(let tolerance): cut = tolerance * trace
        case .absolute(let value): cut = value
        }
        guard smallest > 2 * cut else { return nil }
        failedInARow = 0
        return lower
    }

    /// `scale · Σ_kept (w_jᵀ q_y)²` from the spectral measure of q_y under the r × r `matrix`.
    private func eigenRoute() -> Double {
        eigenFallbacks += 1
        frame.labelDirection.withUnsafeBufferPointer { spectrum.compute(matrix: matrix, q: $0.baseAddress!) }
        let cut: Double
        switch frame.cutoff {
        case .relative(let tolerance): cut = tolerance * max(spectrum.values.max() ?? 0, 0)
        case .absolute(let value): cut = value
        }
        var sum = 0.0
        for j in 0..<r where spectrum.values[j] > cut { sum += spectrum.weights[j] }
        return frame.scale * sum
    }
}
