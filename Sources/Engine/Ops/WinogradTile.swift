/// The two Winograd tile sizes for 3×3 filters and their transforms (Lavin & Gray, 2016):
/// F(2×2, 3×3) on 4×4 input tiles (16 products for 4 outputs) and F(4×4, 3×3) on 6×6 input
/// tiles (36 products for 16 outputs, 1.78× fewer than F(2×2), and 1.78× less transformed data
/// per output). A tile at position ξ = size·r + k holds row r, column k of the transformed tile.
enum WinogradTile: Sendable, Equatable {
    case f2
    case f4

    /// Output rows and columns per tile; tiles overlap by 2 in the input.
    var step: Int { self == .f2 ? 2 : 4 }
    var size: Int { step + 2 }
    var positions: Int { size * size }

    /// G (size × 3): the filter transform is G g Gᵀ.
    private var g: [[Double]] {
        switch self {
        case .f2: [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]]
        case .f4: [[1.0 / 4, 0, 0], [-1.0 / 6, -1.0 / 6, -1.0 / 6], [-1.0 / 6, 1.0 / 6, -1.0 / 6],
                   [1.0 / 24, 1.0 / 12, 1.0 / 6], [1.0 / 24, -1.0 / 12, 1.0 / 6], [0, 0, 1]]
        }
    }

    /// G w Gᵀ of one 3×3 filter `w` (row-major, `w(i)` is entry i) into `out` (`positions`
    /// values), computed in Double. `g` is `self.g`, passed in so it is built once per network.
    @inline(__always)
    func transformFilter<S: EngineScalar>(_ g: [[Double]], _ w: (Int) -> Double, into out: UnsafeMutablePointer<S>) {
        for r in 0..<size {
            let row = g[r]
            let (gw0, gw1, gw2) = ((0..<3).reduce(0.0) { $0 + row[$1] * w($1 * 3) },
                                   (0..<3).reduce(0.0) { $0 + row[$1] * w($1 * 3 + 1) },
                                   (0..<3).reduce(0.0) { $0 + row[$1] * w($1 * 3 + 2) })
            for k in 0..<size { out[r * size + k] = S(gw0 * g[k][0] + gw1 * g[k][1] + gw2 * g[k][2]) }
        }
    }

    /// G of the filter transform, for `transformFilter`.
    var filterMatrix: [[Double]] { g }

    /// Bᵀ down the columns of `size` input rows `d` of `span` values each (consecutive), into
    /// `size` mixed rows `m`.
    @inline(__always)
    func mixRows<S: EngineScalar>(_ d: UnsafePointer<S>, into m: UnsafeMutablePointer<S>, span: Int) {
        switch self {
        case .f2:
            for k in 0..<span {
                let (d0, d1, d2, d3) = (d[k], d[span + k], d[2 * span + k], d[3 * span + k])
                m[k] = d0 - d2
                m[span + k] = d1 + d2
                m[2 * span + k] = d2 - d1
                m[3 * span + k] = d1 - d3
            }
        case .f4:
            for k in 0..<span {
                let (d0, d1, d2) = (d[k], d[span + k], d[2 * span + k])
                let (d3, d4, d5) = (d[3 * span + k], d[4 * span + k], d[5 * span + k])
                let (a, b, c, e) = (d4 - 4 * d2, d3 - 4 * d1, d4 - d2, 2 * (d3 - d1))
                m[k] = 4 * d0 - 5 * d2 + d4
                m[span + k] = a + b
                m[2 * span + k] = a - b
                m[3 * span + k] = c + e
                m[4 * span + k] = c - e
                m[5 * span + k] = 4 * d1 - 5 * d3 + d5
            }
        }
    }

    /// B applied along one mixed row: tile j's `size` values become the row's positions
    /// o[k·stride + j], so each position's values for a row of tiles are contiguous.
    @inline(__always)
    func mixColumns<S: EngineScalar>(_ m: UnsafePointer<S>, into o: UnsafeMutablePointer<S>, stride: Int, tiles: Int) {
        switch self {
        case .f2:
            let (o0, o1, o2, o3) = (o, o + stride, o + 2 * stride, o + 3 * stride)
            for j in 0..<tiles {
                let (a, b, c, e) = (m[2 * j], m[2 * j + 1], m[2 * j + 2], m[2 * j + 3])
                o0[j] = a - c
                o1[j] = b + c
                o2[j] = c - b
                o3[j] = b - e
            }
        case .f4:
            let (o0, o1, o2) = (o, o + stride, o + 2 * stride)
            let (o3, o4, o5) = (o + 3 * stride, o + 4 * stride, o + 5 * stride)
            // Four tiles at a time: their 16 + 4 values, split by phase into vectors (the
            // second load reaches 2 values past the row; the caller leaves room for them).
            var j = 0
            while j + 4 <= tiles {
                let here = UnsafeRawPointer(m + 4 * j).loadUnaligned(as: SIMD16<S>.self)
                let next = UnsafeRawPointer(m + 4 * j + 4).loadUnaligned(as: SIMD16<S>.self)
                let (even, odd) = (here.evenHalf, here.oddHalf)
                let (d0, d1, d2, d3) = (even.evenHalf, odd.evenHalf, even.oddHalf, odd.oddHalf)
                let (d4, d5) = (next.evenHalf.evenHalf, next.oddHalf.evenHalf)
                let (a, b, c, e) = (d4 - 4 * d2, d3 - 4 * d1, d4 - d2, 2 * (d3 - d1))
                store(4 * d0 - 5 * d2 + d4, o0 + j)
                store(a + b, o1 + j)
                store(a - b, o2 + j)
                store(c + e, o3 + j)
                store(c - e, o4 + j)
                store(4 * d1 - 5 * d3 + d5, o5 + j)
                j += 4
            }
            for j in j..<tiles {
                let x = m + 4 * j
                let (d0, d1, d2, d3, d4, d5) = (x[0], x[1], x[2], x[3], x[4], x[5])
                let (a, b, c, e) = (d4 - 4 * d2, d3 - 4 * d1, d4 - d2, 2 * (d3 - d1))
                o0[j] = 4 * d0 - 5 * d2 + d4
                o1[j] = a + b
                o2[j] = a - b
                o3[j] = c + e
                o4[j] = c - e
                o5[j] = 4 * d1 - 5 * d3 + d5
            }
        }
    }

    @inline(__always)
    private func store<S: EngineScalar>(_ v: SIMD4<S>, _ p: UnsafeMutablePointer<S>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<S>.self)
    }

    /// The first half of Aᵀ M A, down the tile's columns, for `count` tiles at once: position
    /// (i, k) of the step × size intermediate goes to t[(size·i + k)·count + n] from the products
    /// p[(size·r + k)·stride + n]. One output stream per loop, so each vectorises.
    @inline(__always)
    func inverseColumns<S: EngineScalar>(_ p: UnsafePointer<S>, stride: Int, count: Int, into t: UnsafeMutablePointer<S>) {
        switch self {
        case .f2:
            // Aᵀ = [[1,1,1,0],[0,1,−1,−1]].
            for k in 0..<4 {
                let (q0, q1, q2, q3) = (p + k * stride, p + (4 + k) * stride, p + (8 + k) * stride, p + (12 + k) * stride)
                let (t0, t1) = (t + k * count, t + (4 + k) * count)
                for n in 0..<count { t0[n] = q0[n] + q1[n] + q2[n] }
                for n in 0..<count { t1[n] = q1[n] - q2[n] - q3[n] }
            }
        case .f4:
            // Aᵀ = [[1,1,1,1,1,0],[0,1,−1,2,−2,0],[0,1,1,4,4,0],[0,1,−1,8,−8,1]].
            for k in 0..<6 {
                let (q0, q1, q2) = (p + k * stride, p + (6 + k) * stride, p + (12 + k) * stride)
                let (q3, q4, q5) = (p + (18 + k) * stride, p + (24 + k) * stride, p + (30 + k) * stride)
                let (t0, t1, t2, t3) = (t + k * count, t + (6 + k) * count, t + (12 + k) * count, t + (18 + k) * count)
                for n in 0..<count { t0[n] = q0[n] + (q1[n] + q2[n]) + (q3[n] + q4[n]) }
                for n in 0..<count { t1[n] = (q1[n] - q2[n]) + 2 * (q3[n] - q4[n]) }
                for n in 0..<count { t2[n] = (q1[n] + q2[n]) + 4 * (q3[n] + q4[n]) }
                for n in 0..<count { t3[n] = (q1[n] - q2[n]) + 8 * (q3[n] - q4[n]) + q5[n] }
            }
        }
    }

    /// The second half, along intermediate row i of `tiles` consecutive tiles starting at column
    /// `first`: `step` outputs per tile into `row`.
    @inline(__always)
    func inverseRow<S: EngineScalar>(_ t: UnsafePointer<S>, i: Int, count: Int, first: Int, tiles: Int,
                                     into row: UnsafeMutablePointer<S>) {
        let q = t + size * i * count + first
        switch self {
        case .f2:
            let (q0, q1, q2, q3) = (q, q + count, q + 2 * count, q + 3 * count)
            for j in 0..<tiles {
                row[2 * j] = q0[j] + q1[j] + q2[j]
                row[2 * j + 1] = q1[j] - q2[j] - q3[j]
            }
        case .f4:
            let (q0, q1, q2, q3, q4, q5) = (q, q + count, q + 2 * count, q + 3 * count, q + 4 * count, q + 5 * count)
            // Four tiles at a time in vector registers, their outputs interleaved on the way out.
            var j = 0
            while j + 4 <= tiles {
                let v = { (p: UnsafePointer<S>) in UnsafeRawPointer(p + j).loadUnaligned(as: SIMD4<S>.self) }
                let (s12, d12, s34, d34) = (v(q1) + v(q2), v(q1) - v(q2), v(q3) + v(q4), v(q3) - v(q4))
                let (r0, r1) = (v(q0) + s12 + s34, d12 + 2 * d34)
                let (r2, r3) = (s12 + 4 * s34, d12 + 8 * d34 + v(q5))
                let low = SIMD8<S>(r0[0], r1[0], r2[0], r3[0], r0[1], r1[1], r2[1], r3[1])
                let high = SIMD8<S>(r0[2], r1[2], r2[2], r3[2], r0[3], r1[3], r2[3], r3[3])
                UnsafeMutableRawPointer(row + 4 * j).storeBytes(of: SIMD16(lowHalf: low, highHalf: high), as: SIMD16<S>.self)
                j += 4
            }
            for j in j..<tiles {
                let (s12, d12, s34, d34) = (q1[j] + q2[j], q1[j] - q2[j], q3[j] + q4[j], q3[j] - q4[j])
                row[4 * j] = q0[j] + s12 + s34
                row[4 * j + 1] = d12 + 2 * d34
                row[4 * j + 2] = s12 + 4 * s34
                row[4 * j + 3] = d12 + 8 * d34 + q5[j]
            }
        }
    }
}
