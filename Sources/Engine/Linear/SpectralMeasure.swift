/// The spectral measure of a vector q under small symmetric matrices, reduced to what an FI
/// window needs: the kept mass `Σ_{λ_j > cut} (w_jᵀ q)²` (w_j the unit eigenvectors) — for four
/// matrices at once, one per lane of `SIMD4<Double>`.
///
/// Householder reflections reduce A to a tridiagonal T = Zᵀ A Z with `Z e₀ = q/‖q‖`, so the
/// weights are `‖q‖² s_j[0]²` for T's eigenvectors s_j; implicit QL with Wilkinson shifts finds
/// T's eigenvalues while rotating only those first components (the Golub–Welsch scheme). Both
/// steps are orthogonal transformations, backward stable like LAPACK's `dsyevd`.
///
/// Two things make it cheap. QL is a serial chain of a square root and two divisions per
/// rotation, so four independent chains in lanes cost little more than one (eight lanes spill
/// x86-64's sixteen vector registers and gain nothing). And only the eigenvalues near and below
/// the cut matter: QL runs on the reversed tridiagonal, where the small eigenvalues settle first,
/// and a lane stops as soon as it has converged as many eigenvalues below the cut as a Sturm
/// count (one LDLᵀ before QL) finds in the whole matrix: everything still unconverged lies above
/// the cut, and its whole weight is kept without resolving it (`LaneQL.settle`). The cut
/// itself, tol · λ_max, is bracketed before λ_max is known (Temple's bound); a lane with an
/// eigenvalue inside that bracket runs to the end and is judged against the exact cut.
///
/// Where the lanes' control flow differs — a reflection a lane does not need, a sub-problem that
/// has split, an eigenvalue that has converged — a lane's update is masked away instead of
/// branched around, so each lane's numbers do not depend on the other lanes.
///
/// Only the lower triangle of each matrix is read.
struct SpectralMeasure {
    typealias Lanes = SIMD4<Double>
    /// Problems per call.
    static var width: Int { Lanes.scalarCount }

    let n: Int
    /// The matrices (n × n), then the vectors v and p of the reflections, the tridiagonal d and
    /// e, the first components z of its eigenvectors, and the lane masks of a QL sweep (n each).
    private var storage: [Lanes]

    init(n: Int) {
        precondition(n >= 1)
        self.n = n
        storage = [Lanes](repeating: .zero, count: n * n + 6 * n)
    }

    /// Kept mass `Σ_{λ_j > cut} (w_jᵀ q)²` of `width` n × n symmetric matrices for the same q,
    /// interleaved: `matrices[i · n + j]` holds entry (i, j) of every problem, lane l for problem
    /// l (only j ≤ i is read). Exactly one of `relativeTolerance` (cut = tolerance · max(λ_max, 0)
    /// per lane) and `absoluteCut` is given.
    mutating func keptMass(interleaved matrices: UnsafePointer<Lanes>,
                           q: UnsafePointer<Double>, relativeTolerance: Double?, absoluteCut: Double?) -> Lanes {
        precondition((relativeTolerance == nil) != (absoluteCut == nil), "give exactly one cut-off")
        let n = self.n
        return storage.withUnsafeMutableBufferPointer { buffer in
            // Ten classes (n = 9) is the common case: a copy with n a constant lets the compiler
            // unroll the short loops.
            if n == 9 {
                return Self.keptMass(matrices, n: 9, q: q, work: buffer.baseAddress!, relativeTolerance: relativeTolerance, absoluteCut: absoluteCut)
            }
            return Self.keptMass(matrices, n: n, q: q, work: buffer.baseAddress!, relativeTolerance: relativeTolerance, absoluteCut: absoluteCut)
        }
    }

    @inline(__always)
    private static func keptMass(_ matrices: UnsafePointer<Lanes>, n: Int, q: UnsafePointer<Double>, work a: UnsafeMutablePointer<Lanes>,
                                 relativeTolerance: Double?, absoluteCut: Double?) -> Lanes {
        var qNorm2 = 0.0
        for i in 0..<n { qNorm2 += q[i] * q[i] }
        let (v, p, d) = (a + n * n, a + n * n + n, a + n * n + 2 * n)
        let (e, z, masks) = (a + n * n + 3 * n, a + n * n + 4 * n, a + n * n + 5 * n)
        for i in 0..<n {
            for j in 0...i { a[i * n + j] = matrices[i * n + j] }
        }
        Self.tridiagonalise(a, n: n, q: q, v: v, p: p)
        let band: CutBand
        if let tolerance = relativeTolerance {
            let (low, high) = Self.largestEigenvalueBounds(a, n: n)
            band = CutBand(low: tolerance * low * (1 - 1e-6), high: tolerance * high * (1 + 1e-6))
        } else {
            band = CutBand(low: Lanes(repeating: absoluteCut!), high: Lanes(repeating: absoluteCut!))
        }
        // Reversed, so that QL (which settles the top of the matrix first) settles the small
        // eigenvalues — which Householder leaves at the bottom — before the large ones.
        for i in 0..<n {
            let o = n - 1 - i
            d[i] = a[o * n + o]
            e[i] = o >= 1 ? a[o * n + o - 1] : .zero
            z[i] = o == 0 ? Lanes(repeating: 1) : .zero
        }
        let early = LaneQL(d: d, e: e, z: z, masks: masks, n: n, band: band).run()
        let full = Self.keptMass(values: d, firstComponents: z, n: n, relativeTolerance: relativeTolerance, absoluteCut: absoluteCut)
        return qNorm2 * select(early.settled, early.mass, full)
    }

    /// `Σ_{d_j > cut} z_j²` once every eigenvalue has converged.
    @inline(__always)
    private static func keptMass(values d: UnsafeMutablePointer<Lanes>, firstComponents z: UnsafeMutablePointer<Lanes>, n: Int,
                                 relativeTolerance: Double?, absoluteCut: Double?) -> Lanes {
        let cut: Lanes
        if let tolerance = relativeTolerance {
            var top = d[0]
            for i in 1..<n { top = select(LaneMask(d[i] .> top), d[i], top) }
            cut = tolerance * select(LaneMask(top .<= 0), .zero, top)
        } else {
            cut = Lanes(repeating: absoluteCut!)
        }
        var sum = Lanes.zero
        for j in 0..<n { sum += select(LaneMask(d[j] .> cut), z[j] * z[j], .zero) }
        return sum
    }

    /// Bounds on λ_max of the tridiagonal in `a` (diagonal and subdiagonal): below, the largest
    /// diagonal entry; above, Temple's bound `ρ + e₀²/(ρ − b)` around the Rayleigh quotient
    /// ρ = d₀ of q (b a Gershgorin bound of the rest of the matrix, hence of λ₂), tight when q
    /// lies mostly along the top eigenvector as FI windows' q does; else Gershgorin's bound.
    @inline(__always)
    private static func largestEigenvalueBounds(_ a: UnsafeMutablePointer<Lanes>, n: Int) -> (low: Lanes, high: Lanes) {
        let diagonal = { (i: Int) in a[i * n + i] }
        let off = { (i: Int) in i >= 0 && i + 1 < n ? magnitude(a[(i + 1) * n + i]) : Lanes.zero }
        var low = diagonal(0), gershgorin = diagonal(0) + off(0), rest = Lanes(repeating: -.infinity)
        for i in 1..<max(n, 1) {
            low = maximum(low, diagonal(i))
            gershgorin = maximum(gershgorin, diagonal(i) + off(i) + off(i - 1))
            rest = maximum(rest, diagonal(i) + off(i) + (i >= 2 ? off(i - 1) : .zero))
        }
        let rho = diagonal(0), gap = rho - rest
        let temple = rho + off(0) * off(0) / gap
        let high = select(LaneMask(gap .> 0) & LaneMask(temple .< gershgorin), temple, gershgorin)
        return (maximum(low, .zero), maximum(high, .zero))
    }

    /// Householder reduction to tridiagonal form with q mapped to e₀ (the first reflection maps
    /// q to e₀, the others leave e₀ alone), on the lower triangle.
    @inline(__always)
    private static func tridiagonalise(_ a: UnsafeMutablePointer<Lanes>, n: Int, q: UnsafePointer<Double>,
                                       v: UnsafeMutablePointer<Lanes>, p: UnsafeMutablePointer<Lanes>) {
        for i in 0..<n { v[i] = Lanes(repeating: q[i]) }
        let (_, first) = reflector(v, count: n)
        if first.any { reflect(a, n: n, from: 0, v: v, p: p, where: first) }
        for k in 0..<max(0, n - 2) {
            let length = n - k - 1
            for i in 0..<length { v[i] = a[(k + 1 + i) * n + k] }
            let (alpha, apply) = reflector(v, count: length)
            guard apply.any else { continue }
            reflect(a, n: n, from: k + 1, v: v, p: p, where: apply)
            a[(k + 1) * n + k] = select(apply, alpha, a[(k + 1) * n + k])
        }
    }

    /// The Householder vector of x (in place) and α, per lane; the mask says which lanes have
    /// anything to reflect (x not already a multiple of e₀).
    @inline(__always)
    private static func reflector(_ x: UnsafeMutablePointer<Lanes>, count: Int) -> (alpha: Lanes, apply: LaneMask) {
        var tail = Lanes.zero
        for i in 1..<max(count, 1) { tail += x[i] * x[i] }
        let norm = (x[0] * x[0] + tail).squareRoot()
        let alpha = select(LaneMask(x[0] .>= 0), -norm, norm)
        x[0] -= alpha
        return (alpha, LaneMask(tail .!= 0))
    }

    /// A ← H A H on the trailing block, on the lower triangle: the symmetric rank-2 update
    /// A − v wᵀ − w vᵀ with w = p − (β/2)(vᵀp) v, p = β A v. Lanes outside `apply` get β = 0,
    /// which makes p = 0 and the update an exact no-op.
    @inline(__always)
    private static func reflect(_ a: UnsafeMutablePointer<Lanes>, n: Int, from s: Int, v: UnsafeMutablePointer<Lanes>,
                                p: UnsafeMutablePointer<Lanes>, where apply: LaneMask) {
        let length = n - s
        let block = a + (s * n + s)
        var vv = Lanes.zero
        for i in 0..<length { vv += v[i] * v[i] }
        let beta = select(apply, 2 / vv, .zero)
        // p = A v in one pass over the lower triangle, row by row (contiguous entries).
        for i in 0..<length { p[i] = .zero }
        var row = block
        for i in 0..<length {
            let vi = v[i]
            var sum = row[i] * vi
            for j in 0..<i {
                let entry = row[j]
                sum += entry * v[j]
                p[j] += entry * vi
            }
            p[i] += sum
            row += n
        }
        var vp = Lanes.zero
        for i in 0..<length {
            p[i] *= beta
            vp += v[i] * p[i]
        }
        let half = beta * vp / 2
        for i in 0..<length { p[i] -= half * v[i] }
        row = block
        for i in 0..<length {
            let (vi, pi) = (v[i], p[i])
            for j in 0...i { row[j] -= vi * p[j] + pi * v[j] }
            row += n
        }
    }
}

/// Implicit QL in lanes.
///
/// Each lane keeps its own top index l, split point m and sweep count, found as a scalar loop
/// would find them; so a lane whose eigenvalue at l has converged moves on without waiting for
/// the others. A sweep chases the bulge over the union of the active lanes' ranges [l, m], and a
/// lane takes the rotations only inside its own range.
private struct LaneQL {
    typealias Lanes = SpectralMeasure.Lanes
    let d: UnsafeMutablePointer<Lanes>, e: UnsafeMutablePointer<Lanes>, z: UnsafeMutablePointer<Lanes>
    /// Per index i of a sweep, the lanes that rotate at i.
    let masks: UnsafeMutablePointer<Lanes>
    let n: Int
    let band: CutBand

    /// Runs until every lane has converged or settled early; returns the settled lanes and
    /// their kept mass `Σ z²` (the caller sums the rest from the converged eigenvalues).
    @inline(__always)
    func run() -> (settled: LaneMask, mass: Lanes) {
        var settled = LaneMask.none, mass = Lanes.zero, undecided = LaneMask.none
        guard n > 1 else { return (settled, mass) }
        e[n - 1] = .zero
        var norm = Lanes.zero
        for i in 0..<n {
            let row = magnitude(d[i]) + magnitude(e[i]) + (i > 0 ? magnitude(e[i - 1]) : .zero)
            norm = select(LaneMask(row .>= norm), row, norm)
        }
        let negligible = Double.ulpOfOne * norm
        let below = count(atMost: band.high)
        // Indices in Doubles: lane compares then need no 64-bit integer vector compares.
        var l = Lanes.zero, sweeps = Lanes.zero
        let last = Lanes(repeating: Double(n - 1))
        var first = true
        while true {
            // Each lane skips the indices where it has split (a scalar loop's `m == l`).
            var (top, m) = range(from: l, negligible: negligible)
            let advanced = ~LaneMask(top .== l)
            sweeps = select(advanced, .zero, sweeps)
            l = top
            if first || (advanced & ~settled).any {
                first = false
                let check = settle(from: l, below: below, undecided: &undecided)
                let now = check.settled & ~settled
                mass = select(now, check.mass, mass)
                settled = settled | now
                l = select(now, last, l)
            }
            // A lane out of sweeps moves on to the next index (never seen; the values stay as accurate as they got).
            while true {
                let capped = LaneMask(sweeps .>= 60) & LaneMask(l .< last)
                guard capped.any else { break }
                (l, m) = range(from: select(capped, l + 1, l), negligible: negligible)
                sweeps = select(capped, .zero, sweeps)
            }
            let active = LaneMask(l .< last)
            guard active.any else { return (settled, mass) }
            sweeps = select(active, sweeps + 1, sweeps)
            sweep(l: l, m: m, active: active)
        }
    }

    /// Lanes whose answer no longer depends on the unconverged block [l, n): every eigenvalue
    /// that has converged (indices below l) lies clear of the cut band, and as many of them lie
    /// below it as T has in all (`below`, a Sturm count), so every eigenvalue of the block lies
    /// above it. Their kept mass is the converged eigenvalues' above the band plus the block's
    /// whole weight. A converged eigenvalue inside the band makes its lane undecided: it runs to
    /// the end and is judged against the exact cut.
    @inline(__always)
    private func settle(from l: Lanes, below: Lanes, undecided: inout LaneMask) -> (settled: LaneMask, mass: Lanes) {
        var mass = Lanes.zero, counted = Lanes.zero
        for i in 0..<n {
            let converged = LaneMask(Lanes(repeating: Double(i)) .< l)
            let low = converged & ~LaneMask(d[i] .> band.high)
            undecided = undecided | (low & LaneMask(d[i] .> band.low))
            counted += select(low, Lanes(repeating: 1), .zero)
            mass += select(low, .zero, z[i] * z[i])
        }
        return (LaneMask(counted .== below) & ~undecided, mass)
    }

    /// Per lane, how many eigenvalues of T are at most `shift`: the pivots of LDLᵀ of T − shift
    /// that are not positive (Sylvester's inertia; a zero or NaN pivot can only overcount, which
    /// never settles a lane early).
    @inline(__always)
    private func count(atMost shift: Lanes) -> Lanes {
        var count = Lanes.zero, pivot = Lanes(repeating: 1)
        for i in 0..<n {
            let coupling = i > 0 ? e[i - 1] * e[i - 1] / pivot : .zero
            pivot = d[i] - shift - coupling
            count += select(LaneMask(pivot .> 0), .zero, Lanes(repeating: 1))
        }
        return count
    }

    /// Per lane, the first index l' ≥ l with a non-negligible e_l' (n − 1 when there is none:
    /// the lane is done) and the first index m > l' with a negligible e_m (else n − 1), in one
    /// pass down the indices without branches.
    @inline(__always)
    private func range(from l: Lanes, negligible: Lanes) -> (l: Lanes, m: Lanes) {
        let none = Lanes(repeating: Double(n - 1))
        var (top, m, split) = (none, none, none)
        var i = n - 2
        while i >= 0 {
            let index = Lanes(repeating: Double(i))
            let small = LaneMask(magnitude(e[i]) .<= negligible)
            let take = ~small & LaneMask(index .>= l)
            top = select(take, index, top)
            m = select(take, split, m)
            split = select(small, index, split)
            i -= 1
        }
        return (top, m)
    }

    /// One QL sweep with a Wilkinson-type shift on each active lane's [l, m].
    @inline(__always)
    private func sweep(l: Lanes, m: Lanes, active: LaneMask) {
        var (dl, dl1, el, dm) = (Lanes.zero, Lanes.zero, Lanes.zero, Lanes.zero)
        var (top, bottom) = (0, n)
        for lane in 0..<Lanes.scalarCount where active[lane] {
            let (li, mi) = (Int(l[lane]), Int(m[lane]))
            (dl[lane], dl1[lane], el[lane], dm[lane]) = (d[li][lane], d[li + 1][lane], e[li][lane], d[mi][lane])
            (top, bottom) = (max(top, mi), min(bottom, li))
        }
        for i in bottom..<top {
            let index = Lanes(repeating: Double(i))
            masks[i] = (LaneMask(index .< m) & LaneMask(index .>= l) & active).lanes
        }
        var g = (dl1 - dl) / (2 * el)
        let r = magnitude(g)
        let root = select(LaneMask(r .> 1e150), r, (g * g + 1).squareRoot())
        g = dm - dl + el / (g + select(LaneMask(g .>= 0), root, -root))
        var (s, c, shift) = (Lanes(repeating: 1), Lanes(repeating: 1), Lanes.zero)
        var stopped = LaneMask.none
        var i = top - 1
        while i >= bottom {
            var on = LaneMask(masks[i])
            let f = s * e[i], b = c * e[i]
            let r = (f * f + g * g).squareRoot()
            e[i + 1] = select(on, r, e[i + 1])
            let underflow = on & LaneMask(r .== 0)
            if underflow.any {
                // f² + g² underflowed: these lanes' sweeps end here, without closing (as EISPACK's tql1).
                d[i + 1] = select(underflow, d[i + 1] - shift, d[i + 1])
                for lane in 0..<Lanes.scalarCount where underflow[lane] { e[Int(m[lane])][lane] = 0 }
                for j in bottom..<i { masks[j] = (LaneMask(masks[j]) & ~underflow).lanes }
                stopped = stopped | underflow
                on = on & ~underflow
            }
            let sNew = f / r, cNew = g / r
            let gNew = d[i + 1] - shift
            // c · 2b is 2c · b exactly (doubling is exact), one step shorter.
            let rNew = (d[i] - gNew) * sNew + cNew * (b + b)
            let shiftNew = sNew * rNew
            d[i + 1] = select(on, gNew + shiftNew, d[i + 1])
            let (z0, z1) = (z[i], z[i + 1])
            z[i + 1] = select(on, sNew * z0 + cNew * z1, z1)
            z[i] = select(on, cNew * z0 - sNew * z1, z0)
            g = select(on, cNew * rNew - b, g)
            s = select(on, sNew, s)
            c = select(on, cNew, c)
            shift = select(on, shiftNew, shift)
            i -= 1
        }
        let closing = active & ~stopped
        for lane in 0..<Lanes.scalarCount where closing[lane] {
            let (li, mi) = (Int(l[lane]), Int(m[lane]))
            d[li][lane] -= shift[lane]
            e[li][lane] = g[lane]
            e[mi][lane] = 0
        }
    }
}

/// A lane mask as all-ones / all-zeros bit patterns, combined and applied with plain bitwise
/// operations (the standard library's mask selects compile to a branch per lane).
private typealias LaneBits = SIMD4<UInt64>

private struct LaneMask {
    var bits: LaneBits

    static var none: LaneMask { LaneMask(bits: .zero) }

    @inline(__always) init(bits: LaneBits) { self.bits = bits }
    @inline(__always) init(_ mask: SIMDMask<SIMD4<Int64>>) { bits = unsafeBitCast(mask, to: LaneBits.self) }
    /// The bit patterns kept in a `SpectralMeasure.Lanes` buffer.
    @inline(__always) init(_ lanes: SpectralMeasure.Lanes) { bits = unsafeBitCast(lanes, to: LaneBits.self) }

    @inline(__always) var lanes: SpectralMeasure.Lanes { unsafeBitCast(bits, to: SpectralMeasure.Lanes.self) }
    @inline(__always) var any: Bool {
        (bits[0] | bits[1] | bits[2] | bits[3]) != 0
    }
    @inline(__always) subscript(lane: Int) -> Bool { bits[lane] != 0 }

    @inline(__always) static func & (a: LaneMask, b: LaneMask) -> LaneMask { LaneMask(bits: a.bits & b.bits) }
    @inline(__always) static func | (a: LaneMask, b: LaneMask) -> LaneMask { LaneMask(bits: a.bits | b.bits) }
    @inline(__always) static prefix func ~ (a: LaneMask) -> LaneMask { LaneMask(bits: ~a.bits) }
}

/// `mask ? a : b` lane by lane.
@inline(__always)
private func select(_ mask: LaneMask, _ a: SpectralMeasure.Lanes, _ b: SpectralMeasure.Lanes) -> SpectralMeasure.Lanes {
    let (x, y) = (unsafeBitCast(a, to: LaneBits.self), unsafeBitCast(b, to: LaneBits.self))
    return unsafeBitCast(y ^ ((x ^ y) & mask.bits), to: SpectralMeasure.Lanes.self)
}

/// The lanes' larger values (NaN-free inputs).
@inline(__always)
private func maximum(_ a: SpectralMeasure.Lanes, _ b: SpectralMeasure.Lanes) -> SpectralMeasure.Lanes {
    select(LaneMask(a .>= b), a, b)
}

/// Where the cut-off may lie, per lane: exactly at one value (an absolute cut-off), or within
/// tolerance × the bounds of λ_max (widened against rounding).
private struct CutBand {
    var low: SpectralMeasure.Lanes
    var high: SpectralMeasure.Lanes
}

/// |x| lane by lane (the sign bit cleared).
@inline(__always)
private func magnitude(_ x: SpectralMeasure.Lanes) -> SpectralMeasure.Lanes {
    unsafeBitCast(unsafeBitCast(x, to: LaneBits.self) & LaneBits(repeating: ~(1 << 63)), to: SpectralMeasure.Lanes.self)
}
