/// 3×3 stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3): each 2×2 output tile
/// costs 16 multiplications per channel pair instead of 36, so the GEMM work of the network's
/// dominant layers drops 2.25× (Lavin & Gray, 2016). Inputs are cut into overlapping 4×4 tiles
/// (zero outside the plane, which is how padding enters), transformed (Bᵀ d B), multiplied with
/// the transformed filters (G g Gᵀ) as 16 GEMMs over channels, and transformed back (Aᵀ m A).
///
/// The input gradient of such a convolution is again one: a correlation of dY with the filters
/// rotated by 180° and channels swapped, padded by 2 − pad, so one plan type serves both passes.
struct WinogradPlan: Sendable, Equatable {
    var inputChannels: Int
    var outputChannels: Int
    var height: Int
    var width: Int
    var padTop: Int
    var padLeft: Int
    var outputHeight: Int
    var outputWidth: Int

    var tileRows: Int { (outputHeight + 1) / 2 }
    var tileColumns: Int { (outputWidth + 1) / 2 }
    var tiles: Int { tileRows * tileColumns }

    /// Whether Winograd computes this convolution: 3×3, stride 1, no dilation, one group, pads
    /// at most 2 (so the input-gradient correlation has non-negative pads too), and enough
    /// channels that the GEMMs, not the transforms, dominate.
    static func applies(to g: ConvolutionGeometry, groups: Int, outputChannels: Int) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideH == 1 && g.strideW == 1
            && g.dilationH == 1 && g.dilationW == 1 && groups == 1
            && [g.padTop, g.padLeft, g.padBottom, g.padRight].allSatisfy { (0...2).contains($0) }
            && g.channels >= minimumChannels && outputChannels >= minimumChannels
    }

    /// Below this, im2col + GEMM is as fast and the transforms are not worth it.
    nonisolated(unsafe) static var minimumChannels = 16

    /// The forward convolution.
    init(forward g: ConvolutionGeometry, outputChannels: Int) {
        self.init(inputChannels: g.channels, outputChannels: outputChannels, height: g.height, width: g.width,
                  padTop: g.padTop, padLeft: g.padLeft, outputHeight: g.outputHeight, outputWidth: g.outputWidth)
    }

    /// The input gradient of the forward convolution `g`: from dY (outputChannels × oh × ow) to dX.
    init(inputGradientOf g: ConvolutionGeometry, outputChannels: Int) {
        self.init(inputChannels: outputChannels, outputChannels: g.channels, height: g.outputHeight, width: g.outputWidth,
                  padTop: 2 - g.padTop, padLeft: 2 - g.padLeft, outputHeight: g.height, outputWidth: g.width)
    }

    init(inputChannels: Int, outputChannels: Int, height: Int, width: Int, padTop: Int, padLeft: Int,
         outputHeight: Int, outputWidth: Int) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.height = height
        self.width = width
        self.padTop = padTop
        self.padLeft = padLeft
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
    }

    /// U = G g Gᵀ for every filter, laid out [16][outputChannels][inputChannels]. `w` is the
    /// ONNX weight [M][C][3][3] of the forward convolution; with `forInputGradient` the plan is
    /// the adjoint one, whose filter (c, m) is w[m][c] rotated by 180°.
    func transformedFilters<S: EngineScalar>(_ w: UnsafePointer<S>, forInputGradient: Bool) -> [S] {
        let (m, c) = (outputChannels, inputChannels)
        return [S](unsafeUninitializedCapacity: 16 * m * c) { out, initialized in
            withUnsafeTemporaryAllocation(of: S.self, capacity: 9 + 12 + 16) { scratch in
                let g = scratch.baseAddress!, rows = g + 9, t = rows + 12
                for o in 0..<m {
                    for i in 0..<c {
                        let source = forInputGradient ? w + (i * m + o) * 9 : w + (o * c + i) * 9
                        for k in 0..<9 { g[k] = source[forInputGradient ? 8 - k : k] }
                        Self.filterTransform(g, rows, t)
                        for xi in 0..<16 { out[(xi * m + o) * c + i] = t[xi] }
                    }
                }
            }
            initialized = 16 * m * c
        }
    }

    /// t = G g Gᵀ with G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]]; `rows` holds G g (4×3).
    @inline(__always)
    private static func filterTransform<S: EngineScalar>(_ g: UnsafePointer<S>, _ rows: UnsafeMutablePointer<S>,
                                                         _ t: UnsafeMutablePointer<S>) {
        for j in 0..<3 {
            let (a, b, c) = (g[j], g[3 + j], g[6 + j])
            rows[j] = a
            rows[3 + j] = (a + b + c) / 2
            rows[6 + j] = (a - b + c) / 2
            rows[9 + j] = c
        }
        for r in 0..<4 {
            let (a, b, c) = (rows[r * 3], rows[r * 3 + 1], rows[r * 3 + 2])
            t[r * 4] = a
            t[r * 4 + 1] = (a + b + c) / 2
            t[r * 4 + 2] = (a - b + c) / 2
            t[r * 4 + 3] = c
        }
    }

    /// y = conv(x) for `batch` items: x [batch][C][H][W] → y [batch][M][OH][OW] (overwritten).
    /// Items go through in groups whose transformed tiles fit in a few megabytes, so the
    /// buffers stay in the heap and in cache, while the GEMMs stay wide.
    func run<S: EngineScalar>(_ x: UnsafePointer<S>, batch: Int, filters u: [S], into y: UnsafeMutablePointer<S>) {
        let bytesPerColumn = 16 * max(inputChannels, outputChannels) * MemoryLayout<S>.size
        let group = max(1, min(batch, (4 << 20) / max(1, bytesPerColumn * tiles)))
        var v = [S](repeating: 0, count: 16 * inputChannels * group * tiles)
        var products = [S](repeating: 0, count: 16 * outputChannels * group * tiles)
        v.withUnsafeMutableBufferPointer { pv in
            products.withUnsafeMutableBufferPointer { pm in
                u.withUnsafeBufferPointer { pu in
                    var start = 0
                    while start < batch {
                        let count = min(group, batch - start)
                        transformInput(x + start * inputChannels * height * width, batch: count, into: pv.baseAddress!)
                        multiply(pu.baseAddress!, pv.baseAddress!, columns: count * tiles, into: pm.baseAddress!)
                        transformOutput(pm.baseAddress!, batch: count, into: y + start * outputChannels * outputHeight * outputWidth)
                        start += count
                    }
                }
            }
        }
    }

    /// M_ξ = U_ξ · V_ξ for the 16 positions ξ of a tile.
    private func multiply<S: EngineScalar>(_ u: UnsafePointer<S>, _ v: UnsafePointer<S>, columns: Int,
                                           into m: UnsafeMutablePointer<S>) {
        for xi in 0..<16 {
            S.gemm(transA: false, transB: false, m: outputChannels, n: columns, k: inputChannels, alpha: 1,
                   a: u + xi * outputChannels * inputChannels, lda: inputChannels,
                   b: v + xi * inputChannels * columns, ldb: columns, beta: 0,
                   c: m + xi * outputChannels * columns, ldc: columns)
        }
    }

    /// V[ξ][c][item·tiles + tile] = (Bᵀ d B)ξ with Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]].
    /// A row of tiles at a time: the vertical half of the transform runs along whole (zero-
    /// padded) input rows, the horizontal half writes each ξ's values for the row contiguously.
    private func transformInput<S: EngineScalar>(_ x: UnsafePointer<S>, batch: Int, into v: UnsafeMutablePointer<S>) {
        let columns = batch * tiles
        let stride = inputChannels * columns
        let span = 2 * tileColumns + 2
        withUnsafeTemporaryAllocation(of: S.self, capacity: 8 * span) { scratch in
            let rows = scratch.baseAddress!, mixed = rows + 4 * span
            for item in 0..<batch {
                for c in 0..<inputChannels {
                    let plane = x + (item * inputChannels + c) * height * width
                    for ti in 0..<tileRows {
                        for r in 0..<4 { loadRow(plane, y: 2 * ti - padTop + r, into: rows + r * span, span: span) }
                        let (d0, d1, d2, d3) = (rows, rows + span, rows + 2 * span, rows + 3 * span)
                        let (m0, m1, m2, m3) = (mixed, mixed + span, mixed + 2 * span, mixed + 3 * span)
                        for k in 0..<span {
                            m0[k] = d0[k] - d2[k]
                            m1[k] = d1[k] + d2[k]
                            m2[k] = d2[k] - d1[k]
                            m3[k] = d1[k] - d3[k]
                        }
                        let base = v + c * columns + item * tiles + ti * tileColumns
                        for r in 0..<4 {
                            let m = mixed + r * span
                            let (o0, o1, o2, o3) = (base + (4 * r) * stride, base + (4 * r + 1) * stride,
                                                    base + (4 * r + 2) * stride, base + (4 * r + 3) * stride)
                            for j in 0..<tileColumns {
                                let (a, b, cc, e) = (m[2 * j], m[2 * j + 1], m[2 * j + 2], m[2 * j + 3])
                                o0[j] = a - cc
                                o1[j] = b + cc
                                o2[j] = cc - b
                                o3[j] = b - e
                            }
                        }
                    }
                }
            }
        }
    }

    /// Input row `y` from column −padLeft on, `span` values, zero outside the plane.
    @inline(__always)
    private func loadRow<S: EngineScalar>(_ plane: UnsafePointer<S>, y: Int, into row: UnsafeMutablePointer<S>, span: Int) {
        guard y >= 0 && y < height else {
            row.update(repeating: 0, count: span)
            return
        }
        let first = max(0, padLeft), available = max(0, min(span - first, width - max(0, -padLeft)))
        if first > 0 { row.update(repeating: 0, count: first) }
        row.advanced(by: first).update(from: plane + y * width + max(0, -padLeft), count: available)
        if first + available < span { row.advanced(by: first + available).update(repeating: 0, count: span - first - available) }
    }

    /// Y tile = Aᵀ m A with Aᵀ = [[1,1,1,0],[0,1,−1,−1]], a row of tiles at a time, clipped at
    /// the plane's edge.
    private func transformOutput<S: EngineScalar>(_ m: UnsafePointer<S>, batch: Int, into y: UnsafeMutablePointer<S>) {
        let columns = batch * tiles
        let stride = outputChannels * columns
        let span = 2 * tileColumns
        withUnsafeTemporaryAllocation(of: S.self, capacity: 2 * span) { scratch in
            let top = scratch.baseAddress!, bottom = top + span
            for item in 0..<batch {
                for o in 0..<outputChannels {
                    let plane = y + (item * outputChannels + o) * outputHeight * outputWidth
                    for ti in 0..<tileRows {
                        let src = m + o * columns + item * tiles + ti * tileColumns
                        for j in 0..<tileColumns {
                            var t0 = (S(0), S(0), S(0), S(0)), t1 = t0
                            // Aᵀ m: the two rows of the 2×4 intermediate, column by column.
                            t0.0 = src[j] + src[4 * stride + j] + src[8 * stride + j]
                            t0.1 = src[stride + j] + src[5 * stride + j] + src[9 * stride + j]
                            t0.2 = src[2 * stride + j] + src[6 * stride + j] + src[10 * stride + j]
                            t0.3 = src[3 * stride + j] + src[7 * stride + j] + src[11 * stride + j]
                            t1.0 = src[4 * stride + j] - src[8 * stride + j] - src[12 * stride + j]
                            t1.1 = src[5 * stride + j] - src[9 * stride + j] - src[13 * stride + j]
                            t1.2 = src[6 * stride + j] - src[10 * stride + j] - src[14 * stride + j]
                            t1.3 = src[7 * stride + j] - src[11 * stride + j] - src[15 * stride + j]
                            top[2 * j] = t0.0 + t0.1 + t0.2
                            top[2 * j + 1] = t0.1 - t0.2 - t0.3
                            bottom[2 * j] = t1.0 + t1.1 + t1.2
                            bottom[2 * j + 1] = t1.1 - t1.2 - t1.3
                        }
                        let y0 = 2 * ti
                        (plane + y0 * outputWidth).update(from: top, count: outputWidth)
                        if y0 + 1 < outputHeight { (plane + (y0 + 1) * outputWidth).update(from: bottom, count: outputWidth) }
                    }
                }
            }
        }
    }
}
