/// 3×3 stride-1 convolution by Winograd's minimal filtering (Lavin & Gray, 2016): F(2×2, 3×3)
/// costs 16 multiplications per 2×2 output tile and channel pair instead of 36, F(4×4, 3×3) 36
/// per 4×4 tile instead of 144 (`WinogradTile`). Inputs are cut into overlapping tiles (zero
/// outside the plane, which is how padding enters), transformed (Bᵀ d B), multiplied with the
/// transformed filters (G g Gᵀ) as one GEMM over channels per tile position, and transformed
/// back (Aᵀ m A).
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
    var tile: WinogradTile

    var tileRows: Int { (outputHeight + tile.step - 1) / tile.step }
    var tileColumns: Int { (outputWidth + tile.step - 1) / tile.step }
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

    /// F(4×4, 3×3) from this output side on. Smaller planes (a ResNet's last stage, 4×4) keep
    /// F(2×2): their 512-channel filters are most of the weights, and 6×6 transformed filters
    /// (2.25× the 4×4 ones, cached in both directions) would take the Jacobian past 500 MB.
    nonisolated(unsafe) static var largeTileMinimumSide = 8

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
        tile = min(outputHeight, outputWidth) >= Self.largeTileMinimumSide ? .f4 : .f2
    }

    /// U = G g Gᵀ for every filter, laid out [positions][outputChannels][inputChannels]. `w` is
    /// the ONNX weight [M][C][3][3] of the forward convolution; with `forInputGradient` the plan
    /// is the adjoint one, whose filter (c, m) is w[m][c] rotated by 180°.
    func transformedFilters<S: EngineScalar>(_ w: UnsafePointer<S>, forInputGradient: Bool) -> [S] {
        let (m, c, positions, g) = (outputChannels, inputChannels, tile.positions, tile.filterMatrix)
        return [S](unsafeUninitializedCapacity: positions * m * c) { out, initialized in
            withUnsafeTemporaryAllocation(of: S.self, capacity: positions) { scratch in
                let t = scratch.baseAddress!
                for o in 0..<m {
                    for i in 0..<c {
                        let source = forInputGradient ? w + (i * m + o) * 9 : w + (o * c + i) * 9
                        tile.transformFilter(g, { Double(source[forInputGradient ? 8 - $0 : $0]) }, into: t)
                        for xi in 0..<positions { out[(xi * m + o) * c + i] = t[xi] }
                    }
                }
            }
            initialized = positions * m * c
        }
    }

    /// Whether this input-gradient plan runs on the forward convolution's F(2×2) filters instead
    /// of its own: with F(2×2), G J = P G (J reverses a filter row, P swaps rows 0 and 3 of the
    /// transform), so the transform of a filter rotated by 180° is the forward one with
    /// positions 0 and 3 swapped along each axis, and the adjoint GEMMs take it transposed. No
    /// second copy is cached: a ResNet-18's 512-channel filters alone would take 50 MB.
    var sharesForwardFilters: Bool { tile == .f2 }

    /// The forward plan whose F(2×2) filters an input-gradient plan shares.
    static func forwardFilterPlan(of g: ConvolutionGeometry, outputChannels: Int) -> WinogradPlan {
        var plan = WinogradPlan(forward: g, outputChannels: outputChannels)
        plan.tile = .f2
        return plan
    }

    /// y = conv(x) for `batch` items: x [batch][C][H][W] → y [batch][M][OH][OW] (overwritten).
    /// Items go through in groups whose transformed tiles fit in a few megabytes, so the
    /// buffers stay in the heap and in cache, while the GEMMs stay wide. With `adjoint`, `u`
    /// holds the forward filters of the convolution this plan is the input gradient of.
    func run<S: EngineScalar>(_ x: UnsafePointer<S>, batch: Int, filters u: [S], adjoint: Bool = false,
                              into y: UnsafeMutablePointer<S>) {
        let positions = tile.positions
        let bytesPerColumn = positions * max(inputChannels, outputChannels) * MemoryLayout<S>.size
        let group = max(1, min(batch, (4 << 20) / max(1, bytesPerColumn * tiles)))
        // Every element read is written first (transforms and GEMMs cover their groups whole).
        var v = [S](unsafeUninitializedCapacity: positions * inputChannels * group * tiles) { $1 = $0.count }
        var products = [S](unsafeUninitializedCapacity: positions * outputChannels * group * tiles) { $1 = $0.count }
        v.withUnsafeMutableBufferPointer { pv in
            products.withUnsafeMutableBufferPointer { pm in
                u.withUnsafeBufferPointer { pu in
                    var start = 0
                    while start < batch {
                        let count = min(group, batch - start)
                        transformInput(x + start * inputChannels * height * width, batch: count, into: pv.baseAddress!)
                        multiply(pu.baseAddress!, pv.baseAddress!, columns: count * tiles, adjoint: adjoint, into: pm.baseAddress!)
                        transformOutput(pm.baseAddress!, batch: count, into: y + start * outputChannels * outputHeight * outputWidth)
                        start += count
                    }
                }
            }
        }
    }

    /// M_ξ = U_ξ · V_ξ for the positions ξ of a tile, M laid out [o][ξ][column] like V; for the
    /// adjoint, U_ξ is the forward U_π(ξ) transposed, π swapping 0 and 3 along each axis.
    private func multiply<S: EngineScalar>(_ u: UnsafePointer<S>, _ v: UnsafePointer<S>, columns: Int, adjoint: Bool,
                                           into m: UnsafeMutablePointer<S>) {
        let swap = [3, 1, 2, 0]
        for xi in 0..<tile.positions {
            let source = adjoint ? swap[xi / 4] * 4 + swap[xi % 4] : xi
            S.gemm(transA: adjoint, transB: false, m: outputChannels, n: columns, k: inputChannels, alpha: 1,
                   a: u + source * outputChannels * inputChannels, lda: adjoint ? outputChannels : inputChannels,
                   b: v + xi * columns, ldb: tile.positions * columns, beta: 0,
                   c: m + xi * columns, ldc: tile.positions * columns)
        }
    }

    /// V[c][ξ][item·tiles + tile] = (Bᵀ d B)ξ, a row of tiles at a time: the vertical half of
    /// the transform runs along whole (zero-padded) input rows, the horizontal half writes each
    /// ξ's values for the row contiguously. Each channel's positions sit together (as do the
    /// products'), so a transform writes or reads one compact block per channel: measured 12 %
    /// faster on the whole Jacobian than [ξ][c].
    private func transformInput<S: EngineScalar>(_ x: UnsafePointer<S>, batch: Int, into v: UnsafeMutablePointer<S>) {
        let columns = batch * tiles
        let (size, step) = (tile.size, tile.step)
        let span = step * tileColumns + 2
        // 16 spare values: `WinogradTile.mixColumns` loads whole vectors past a row's last tile.
        withUnsafeTemporaryAllocation(of: S.self, capacity: 2 * size * span + 16) { scratch in
            let rows = scratch.baseAddress!, mixed = rows + size * span
            for item in 0..<batch {
                for c in 0..<inputChannels {
                    let plane = x + (item * inputChannels + c) * height * width
                    for ti in 0..<tileRows {
                        for r in 0..<size { loadRow(plane, y: step * ti - padTop + r, into: rows + r * span, span: span) }
                        tile.mixRows(rows, into: mixed, span: span)
                        let base = v + c * tile.positions * columns + item * tiles + ti * tileColumns
                        for r in 0..<size {
                            tile.mixColumns(mixed + r * span, into: base + size * r * columns, stride: columns, tiles: tileColumns)
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

    /// Y tile = Aᵀ m A: down the columns for all tiles of a channel at once, then along the
    /// rows a row of tiles at a time, clipped at the plane's edge.
    private func transformOutput<S: EngineScalar>(_ m: UnsafePointer<S>, batch: Int, into y: UnsafeMutablePointer<S>) {
        let columns = batch * tiles
        let (size, step) = (tile.size, tile.step)
        let span = step * tileColumns
        withUnsafeTemporaryAllocation(of: S.self, capacity: span + step * size * columns) { scratch in
            let row = scratch.baseAddress!, intermediate = row + span
            for o in 0..<outputChannels {
                tile.inverseColumns(m + o * tile.positions * columns, stride: columns, count: columns, into: intermediate)
                for item in 0..<batch {
                    let plane = y + (item * outputChannels + o) * outputHeight * outputWidth
                    for ti in 0..<tileRows {
                        for i in 0..<min(step, outputHeight - step * ti) {
                            let target = plane + (step * ti + i) * outputWidth
                            let direct = span == outputWidth
                            tile.inverseRow(intermediate, i: i, count: columns, first: item * tiles + ti * tileColumns,
                                            tiles: tileColumns, into: direct ? target : row)
                            if !direct { target.update(from: row, count: outputWidth) }
                        }
                    }
                }
            }
        }
    }
}
