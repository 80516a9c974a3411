import Protocol

/// Multi-scale per-pixel FI maps of one sample (MATH.md §1.3): for every pixel and odd scale k,
/// the FI of perturbing the k×k window centred on it (clipped at the border).
///
/// All windows share the sample's input Jacobian J (K × C·H·W), transformed once into the
/// frame's K − 1 coordinates (`InfluenceFrame`). A window's metric matrix is then a difference of
/// 2-D prefix sums of the per-pixel outer products j̃ j̃ᵀ, accumulated in Double (a window's sum
/// can be much smaller than the prefix sums it is taken from), and `WindowSolver` turns it into
/// FI — never an SVD of a window's K×m Jacobian.
public struct InfluenceMaps: Sendable {
    /// `separate`: one map per channel, the window within one channel (the reference); `joint`:
    /// one map, the window across all channels; `mean`: the mean over channels of the separate maps.
    public typealias ChannelMode = InfluenceMapsOptions.ChannelMode

    public var channels: Int
    public var height: Int
    public var width: Int
    public var scales: [Int]
    public var mode: ChannelMode

    public init(inputShape: [Int], scales: [Int], mode: ChannelMode) {
        precondition(inputShape.count == 3, "maps need an image input C×H×W")
        (channels, height, width) = (inputShape[0], inputShape[1], inputShape[2])
        self.scales = scales
        self.mode = mode
    }

    /// Channels of the output: C for `separate`, 1 otherwise.
    public var mapChannels: Int { mode == .separate ? channels : 1 }

    /// Values per sample: scales × map channels × H × W.
    public var count: Int { scales.count * mapChannels * height * width }

    /// Maps `[scales][mapChannels][H][W]` (flattened), exact FI, or reference FI when `epsilon`
    /// is given. `jacobian` is K × (C·H·W), row-major, in Double.
    public func compute(jacobian: [Double], geometry: OutputGeometry, label y: Int, referenceEpsilon epsilon: Double? = nil) -> [Double] {
        let frame = InfluenceFrame(geometry: geometry, label: y, referenceEpsilon: epsilon)
        let transformed = frame.transform(jacobian: jacobian)
        let prefix = PrefixGrams(rows: transformed, k: frame.rank, channels: channels, height: height, width: width)
        return compute(frame: frame, transformed: transformed, prefix: prefix)
    }

    /// The windows' FI, given the frame, J̃ and its prefix sums.
    func compute(frame: InfluenceFrame, transformed: [Double], prefix: PrefixGrams) -> [Double] {
        let solver = WindowSolver(frame: frame)
        let plane = height * width, d = channels * plane, r = frame.rank
        // One value per window: [scale][channel group][pixel], channel groups C for `separate`
        // and `mean` (averaged below), 1 for `joint`.
        let groups = mode == .joint ? 1 : channels
        var windows = [Double](repeating: 0, count: scales.count * groups * plane)
        var packed = [Double](repeating: 0, count: r * (r + 1) / 2)
        var columns = [Int](repeating: 0, count: r)
        transformed.withUnsafeBufferPointer { jt in
            windows.withUnsafeMutableBufferPointer { out in
                for (s, scale) in scales.enumerated() {
                    let h = (scale - 1) / 2
                    for i in 0..<height {
                        let rows = max(0, i - h)..<min(height, i + h + 1)
                        for j in 0..<width {
                            let cols = max(0, j - h)..<min(width, j + h + 1)
                            for g in 0..<groups {
                                let channelRange = mode == .joint ? 0..<channels : g..<(g + 1)
                                let destination = out.baseAddress! + (s * groups + g) * plane + i * width + j
                                let m = channelRange.count * rows.count * cols.count
                                if m < r {
                                    var n = 0
                                    for c in channelRange { for a in rows { for b in cols { columns[n] = (c * height + a) * width + b; n += 1 } } }
                                    columns.withUnsafeBufferPointer {
                                        solver.solve(columns: UnsafeBufferPointer(rebasing: $0[0..<m]), transformed: jt.baseAddress!, stride: d, into: destination)
                                    }
                                } else {
                                    packed.withUnsafeMutableBufferPointer { prefix.window(channels: channelRange, rows: rows, cols: cols, into: $0.baseAddress!) }
                                    packed.withUnsafeBufferPointer { solver.solve(packedGram: $0.baseAddress!, into: destination) }
                                }
                            }
                        }
                    }
                }
                solver.finish()
            }
        }
        guard mode == .mean else { return windows }
        var maps = [Double](repeating: 0, count: count)
        for s in 0..<scales.count {
            for pixel in 0..<plane {
                var sum = 0.0
                for c in 0..<channels { sum += windows[(s * channels + c) * plane + pixel] }
                maps[s * plane + pixel] = sum / Double(channels)
            }
        }
        return maps
    }

    /// The same maps by one SVD of each window's K×m Jacobian: the definition, kept as the
    /// yardstick for tests and benchmarks (tens of times slower).
    public func computeByWindowSVD(jacobian: [Double], geometry: OutputGeometry, label y: Int, referenceEpsilon epsilon: Double? = nil) -> [Double] {
        let k = geometry.k, plane = height * width, d = channels * plane
        var maps = [Double](repeating: 0, count: count)
        for (s, scale) in scales.enumerated() {
            let h = (scale - 1) / 2
            for i in 0..<height {
                for j in 0..<width {
                    let rows = max(0, i - h)..<min(height, i + h + 1), cols = max(0, j - h)..<min(width, j + h + 1)
                    let window = { (channelRange: Range<Int>) -> Double in
                        let columns = channelRange.flatMap { c in rows.flatMap { a in cols.map { (c * self.height + a) * self.width + $0 } } }
                        let sub = (0..<k).flatMap { a in columns.map { jacobian[a * d + $0] } }
                        if let epsilon {
                            return InfluenceMeasure.reference(jacobian: sub, columns: columns.count, geometry: geometry, label: y, epsilon: epsilon).fi
                        }
                        return InfluenceMeasure.exact(jacobian: sub, columns: columns.count, geometry: geometry, label: y).fi
                    }
                    let base = s * mapChannels * plane + i * width + j
                    switch mode {
                    case .separate: for c in 0..<channels { maps[base + c * plane] = window(c..<(c + 1)) }
                    case .mean: maps[base] = (0..<channels).reduce(0.0) { $0 + window($1..<($1 + 1)) } / Double(channels)
                    case .joint: maps[base] = window(0..<channels)
                    }
                }
            }
        }
        return maps
    }
}

/// 2-D prefix sums, per channel, of the per-pixel outer products of a k × (C·H·W) matrix's
/// columns (packed upper triangles).
struct PrefixGrams {
    let k: Int, channels: Int, height: Int, width: Int
    /// [channel][(H+1)·(W+1)][k(k+1)/2]
    private var sums: [Double]
    private var triangle: Int { k * (k + 1) / 2 }

    init(rows matrix: [Double], k: Int, channels: Int, height: Int, width: Int) {
        (self.k, self.channels, self.height, self.width) = (k, channels, height, width)
        let t = k * (k + 1) / 2, stride = width + 1, d = channels * height * width
        sums = [Double](repeating: 0, count: channels * (height + 1) * stride * t)
        var column = [Double](repeating: 0, count: k)
        sums.withUnsafeMutableBufferPointer { p in
            for c in 0..<channels {
                let base = c * (height + 1) * stride * t
                for i in 0..<height {
                    for j in 0..<width {
                        let pixel = (c * height + i) * width + j
                        for a in 0..<k { column[a] = matrix[a * d + pixel] }
                        // P[i+1][j+1] = P[i][j+1] + P[i+1][j] − P[i][j] + j jᵀ
                        let (up, left, diagonal) = (base + (i * stride + j + 1) * t, base + ((i + 1) * stride + j) * t, base + (i * stride + j) * t)
                        let here = base + ((i + 1) * stride + j + 1) * t
                        var e = 0
                        for a in 0..<k {
                            for b in a..<k {
                                p[here + e] = p[up + e] + p[left + e] - p[diagonal + e] + column[a] * column[b]
                                e += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// The packed upper triangle of a window's Gram matrix, summed over `channels`, into `out`.
    func window(channels: Range<Int>, rows: Range<Int>, cols: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let t = triangle, stride = width + 1
        let (r0, r1, c0, c1) = (rows.lowerBound, rows.upperBound, cols.lowerBound, cols.upperBound)
        sums.withUnsafeBufferPointer { p in
            if channels.count == 1 {
                let base = channels.lowerBound * (height + 1) * stride * t
                let (a, b, cc, d) = (base + (r1 * stride + c1) * t, base + (r0 * stride + c1) * t, base + (r1 * stride + c0) * t, base + (r0 * stride + c0) * t)
                for e in 0..<t { out[e] = p[a + e] - p[b + e] - p[cc + e] + p[d + e] }
                return
            }
            for e in 0..<t { out[e] = 0 }
            for c in channels {
                let base = c * (height + 1) * stride * t
                let (a, b, cc, d) = (base + (r1 * stride + c1) * t, base + (r0 * stride + c1) * t, base + (r1 * stride + c0) * t, base + (r0 * stride + c0) * t)
                for e in 0..<t { out[e] += p[a + e] - p[b + e] - p[cc + e] + p[d + e] }
            }
        }
    }
}
