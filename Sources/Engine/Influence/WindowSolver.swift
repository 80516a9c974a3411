/// The FI of many perturbation windows of one sample, from their (K−1)-dimensional metric
/// matrices C' (see `InfluenceFrame`), at a fraction of the cost of an eigenproblem each.
///
/// A Cholesky factor of `C' − 2σI` (σ the cut-off, bounded by `tol · tr C'` in exact mode)
/// proves every eigenvalue is kept, so the FI is the frame's saturated value — exactly what the
/// eigen route would sum to. Windows with fewer coordinates than K − 1 use the m × m Gram matrix
/// `G = J̃_Sᵀ J̃_S` (same non-zero eigenvalues): `FI = scale · ‖L_G⁻¹ J̃_Sᵀ q_y‖²` once
/// `λ_min(G) ≥ 1/‖L_G⁻¹‖²_F` clears the cut-off. Anything a certificate cannot decide goes to the
/// spectral measure of q_y, four windows at a time (`SpectralMeasure`), so every value is the
/// eigen route's value; only the time differs.
///
/// Results are written through the destination pointers given with each window; windows queued
/// for the eigen route are written by the time `finish()` returns.
final class WindowSolver {
    let frame: InfluenceFrame
    private let r: Int
    private let matrix: UnsafeMutablePointer<Double>
    private let lower: UnsafeMutablePointer<Double>
    private let vector: UnsafeMutablePointer<Double>
    private var work: [Double]
    private var batch: SpectralMeasure
    /// Up to a batch of r × r matrices waiting for the eigen route, interleaved (lane l of entry
    /// k is the l-th queued window's), and where their FI goes.
    private let queued: UnsafeMutablePointer<SpectralMeasure.Lanes>
    private var destinations = [UnsafeMutablePointer<Double>?](repeating: nil, count: SpectralMeasure.width)
    private var queuedCount = 0
    /// Certificates failed in a row: on samples whose windows are all rank-deficient the attempt
    /// is wasted work, so after a run of failures it is tried only now and then.
    private var failedInARow = 0

    init(frame: InfluenceFrame) {
        self.frame = frame
        r = frame.rank
        matrix = .allocate(capacity: r * r)
        lower = .allocate(capacity: r * r)
        vector = .allocate(capacity: r)
        queued = .allocate(capacity: r * r)
        work = [Double](repeating: 0, count: r)
        batch = SpectralMeasure(n: r)
    }

    deinit {
        matrix.deallocate()
        lower.deallocate()
        vector.deallocate()
        queued.deallocate()
    }

    /// FI of a window whose C' is given as its packed upper triangle (row by row, `r(r+1)/2`).
    func solve(packedGram packed: UnsafePointer<Double>, into destination: UnsafeMutablePointer<Double>) {
        let saturated = attemptCertificate {
            var e = 0
            for i in 0..<r {
                for j in i..<r {
                    matrix[i * r + j] = packed[e]
                    matrix[j * r + i] = packed[e]
                    e += 1
                }
            }
            return certifiedAboveCut(matrix)
        }
        if saturated {
            destination.pointee = frame.saturated
            return
        }
        var e = 0
        for i in 0..<r {
            for j in i..<r {
                queued[j * r + i][queuedCount] = packed[e]
                e += 1
            }
        }
        enqueued(destination)
    }

    /// FI of a window of `columns` (indices into the transformed Jacobian J̃, (K−1) × `stride`).
    func solve(columns: UnsafeBufferPointer<Int>, transformed: UnsafePointer<Double>, stride d: Int,
               into destination: UnsafeMutablePointer<Double>) {
        let m = columns.count
        if m < r, let value = smallWindow(columns: columns, transformed: transformed, stride: d) {
            destination.pointee = value
            return
        }
        // C' = J̃_S J̃_Sᵀ of the columns.
        for i in 0..<r {
            for j in i..<r {
                var s = 0.0
                for c in columns { s += transformed[i * d + c] * transformed[j * d + c] }
                matrix[i * r + j] = s
                matrix[j * r + i] = s
            }
        }
        solveFull(into: destination)
    }

    /// Runs the windows still queued for the eigen route (the free lanes repeat the first).
    func finish() {
        guard queuedCount > 0 else { return }
        let count = queuedCount
        for slot in count..<SpectralMeasure.width {
            for k in 0..<(r * r) { queued[k][slot] = queued[k][0] }
            destinations[slot] = nil
        }
        runQueue(count: count)
    }

    /// The certified saturated value, or the window queued for the eigen route.
    private func solveFull(into destination: UnsafeMutablePointer<Double>) {
        if attemptCertificate({ certifiedAboveCut(matrix) }) {
            destination.pointee = frame.saturated
            return
        }
        for i in 0..<r {
            for j in 0...i { queued[i * r + j][queuedCount] = matrix[i * r + j] }
        }
        enqueued(destination)
    }

    private func enqueued(_ destination: UnsafeMutablePointer<Double>) {
        destinations[queuedCount] = destination
        queuedCount += 1
        if queuedCount == SpectralMeasure.width { runQueue(count: queuedCount) }
    }

    private func runQueue(count: Int) {
        let kept = frame.labelDirection.withUnsafeBufferPointer {
            batch.keptMass(interleaved: queued, q: $0.baseAddress!, relativeTolerance: relativeTolerance, absoluteCut: absoluteCut)
        }
        for slot in 0..<count { destinations[slot]!.pointee = frame.scale * kept[slot] }
        queuedCount = 0
    }

    private var relativeTolerance: Double? {
        if case .relative(let tolerance) = frame.cutoff { return tolerance }
        return nil
    }

    private var absoluteCut: Double? {
        if case .absolute(let value) = frame.cutoff { return value }
        return nil
    }

    /// An upper bound of the cut-off for a matrix with this trace (λ_max ≤ trace).
    private func cutBound(trace: Double) -> Double {
        switch frame.cutoff {
        case .relative(let tolerance): return tolerance * trace
        case .absolute(let value): return value
        }
    }

    /// True when `a − 2σI` has a Cholesky factor: every eigenvalue of `a` exceeds twice the
    /// cut-off σ. Its rounding (~n·ulp·tr a) must stay far below σ for the margin to hold.
    private func certifiedAboveCut(_ a: UnsafeMutablePointer<Double>) -> Bool {
        let n = r
        let trace = trace(a, n: n)
        let shift = 2 * cutBound(trace: trace)
        guard trace > 0, shift > 1e-12 * trace else { return false }
        for j in 0..<n {
            var d = a[j * n + j] - shift
            for t in 0..<j { d -= lower[j * n + t] * lower[j * n + t] }
            guard d > 0 else { return false }
            let s = d.squareRoot()
            lower[j * n + j] = s
            for i in (j + 1)..<n {
                var v = a[i * n + j]
                for t in 0..<j { v -= lower[i * n + t] * lower[j * n + t] }
                lower[i * n + j] = v / s
            }
        }
        return true
    }

    /// FI of a window with m < K − 1 coordinates by its m × m Gram matrix, when certified.
    private func smallWindow(columns: UnsafeBufferPointer<Int>, transformed: UnsafePointer<Double>, stride d: Int) -> Double? {
        let m = columns.count
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
        guard attemptCertificate({ certifiedFullRank(matrix, n: m) }) else { return nil }
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

    private func trace(_ a: UnsafeMutablePointer<Double>, n: Int) -> Double {
        var t = 0.0
        for i in 0..<n { t += a[i * n + i] }
        return t
    }

    /// Runs a certificate unless they have failed many times in a row (then only now and then).
    private func attemptCertificate(_ certificate: () -> Bool) -> Bool {
        guard failedInARow < 32 || failedInARow % 16 == 0 else {
            failedInARow += 1
            return false
        }
        if certificate() {
            failedInARow = 0
            return true
        }
        failedInARow += 1
        return false
    }

    /// True, with the Cholesky factor of the n × n matrix `a` in `lower`, when its smallest
    /// eigenvalue provably clears the cut-off: `λ_min ≥ 1/‖L⁻¹‖²_F > 2σ`.
    private func certifiedFullRank(_ a: UnsafeMutablePointer<Double>, n: Int) -> Bool {
        let trace = trace(a, n: n)
        guard trace > 0 else { return false }
        for j in 0..<n {
            var d = a[j * n + j]
            for t in 0..<j { d -= lower[j * n + t] * lower[j * n + t] }
            guard d > 0 else { return false }  // not positive definite in rounding: undecided
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
        return 1 / frobenius > 2 * cutBound(trace: trace)
    }
}
