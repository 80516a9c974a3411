/// Multi-scale per-pixel FI maps of one sample (MATH.md §1.3): for every pixel and odd scale k,
/// the FI of perturbing the k×k window centred on it (clipped at the border).
///
/// All windows share the sample's input Jacobian J (K × C·H·W). A window's Gram matrix
/// `A_S = Σ_{d∈S} j_d j_dᵀ` is a difference of 2-D prefix sums of the per-pixel outer products,
/// accumulated in Double (a window's sum can be much smaller than the prefix sums it is taken
/// from), so a whole map costs O(H·W·K²) plus one K×K eigenproblem per window — never an SVD of
/// a window's K×m Jacobian. Single-coordinate windows use the m = 1 closed form.
public struct InfluenceMaps: Sendable {
    public enum ChannelMode: String, Sendable, CaseIterable, Codable {
        /// One map per channel; the window lies within one channel (the reference).
        case separate
        /// One map; the window spans all channels.
        case joint
        /// One map: the mean over channels of the separate maps.
        case mean
    }

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

    /// Maps `[scales][mapChannels][H][W]` (flattened), exact FI, or reference FI when `epsilon`
    /// is given. `jacobian` is K × (C·H·W), row-major, in Double.
    public func compute(jacobian: [Double], geometry: OutputGeometry, label y: Int, referenceEpsilon epsilon: Double? = nil) -> [Double] {
        let prefix = PrefixGrams(jacobian: jacobian, k: geometry.k, channels: channels, height: height, width: width)
        let plane = height * width
        var maps = [Double](repeating: 0, count: scales.count * mapChannels * plane)
        for (s, scale) in scales.enumerated() {
            let h = (scale - 1) / 2
            for i in 0..<height {
                for j in 0..<width {
                    let rows = max(0, i - h)..<min(height, i + h + 1), cols = max(0, j - h)..<min(width, j + h + 1)
                    let perChannel = (0..<channels).map { c -> Double in
                        guard mode != .joint else { return 0 }
                        return influence(prefix, channels: c..<(c + 1), rows: rows, cols: cols, jacobian: jacobian,
                                         geometry: geometry, label: y, epsilon: epsilon)
                    }
                    let base = s * mapChannels * plane + i * width + j
                    switch mode {
                    case .separate: for c in 0..<channels { maps[base + c * plane] = perChannel[c] }
                    case .mean: maps[base] = perChannel.reduce(0, +) / Double(channels)
                    case .joint:
                        maps[base] = influence(prefix, channels: 0..<channels, rows: rows, cols: cols, jacobian: jacobian,
                                               geometry: geometry, label: y, epsilon: epsilon)
                    }
                }
            }
        }
        return maps
    }

    private func influence(_ prefix: PrefixGrams, channels: Range<Int>, rows: Range<Int>, cols: Range<Int>,
                           jacobian: [Double], geometry: OutputGeometry, label y: Int, epsilon: Double?) -> Double {
        if epsilon == nil, channels.count * rows.count * cols.count == 1 {
            let d = (channels.lowerBound * height + rows.lowerBound) * width + cols.lowerBound
            let column = (0..<geometry.k).map { jacobian[$0 * self.channels * height * width + d] }
            return InfluenceMeasure.singleCoordinate(column: column, geometry: geometry, label: y)
        }
        let gram = prefix.window(channels: channels, rows: rows, cols: cols)
        if let epsilon { return InfluenceMeasure.reference(gram: gram, geometry: geometry, label: y, epsilon: epsilon).fi }
        return InfluenceMeasure.exact(gram: gram, geometry: geometry, label: y).fi
    }
}

/// 2-D prefix sums, per channel, of the per-pixel outer products j jᵀ (upper triangles).
struct PrefixGrams {
    let k: Int, channels: Int, height: Int, width: Int
    /// [channel][(H+1)·(W+1)][K(K+1)/2]
    private var sums: [Double]
    private var triangle: Int { k * (k + 1) / 2 }

    init(jacobian: [Double], k: Int, channels: Int, height: Int, width: Int) {
        (self.k, self.channels, self.height, self.width) = (k, channels, height, width)
        let t = k * (k + 1) / 2, stride = width + 1, d = channels * height * width
        sums = [Double](repeating: 0, count: channels * (height + 1) * stride * t)
        var column = [Double](repeating: 0, count: k)
        for c in 0..<channels {
            let base = c * (height + 1) * stride * t
            for i in 0..<height {
                for j in 0..<width {
                    let pixel = (c * height + i) * width + j
                    for a in 0..<k { column[a] = jacobian[a * d + pixel] }
                    // P[i+1][j+1] = P[i][j+1] + P[i+1][j] − P[i][j] + j jᵀ
                    let (up, left, diagonal) = (base + (i * stride + j + 1) * t, base + ((i + 1) * stride + j) * t, base + (i * stride + j) * t)
                    let here = base + ((i + 1) * stride + j + 1) * t
                    var e = 0
                    for a in 0..<k {
                        for b in a..<k {
                            sums[here + e] = sums[up + e] + sums[left + e] - sums[diagonal + e] + column[a] * column[b]
                            e += 1
                        }
                    }
                }
            }
        }
    }

    /// The full K×K Gram matrix of a window, summed over `channels`.
    func window(channels: Range<Int>, rows: Range<Int>, cols: Range<Int>) -> [Double] {
        let t = triangle, stride = width + 1
        var upper = [Double](repeating: 0, count: t)
        for c in channels {
            let base = c * (height + 1) * stride * t
            let (r0, r1, c0, c1) = (rows.lowerBound, rows.upperBound, cols.lowerBound, cols.upperBound)
            let (a, b, cc, d) = (base + (r1 * stride + c1) * t, base + (r0 * stride + c1) * t, base + (r1 * stride + c0) * t, base + (r0 * stride + c0) * t)
            for e in 0..<t { upper[e] += sums[a + e] - sums[b + e] - sums[cc + e] + sums[d + e] }
        }
        var gram = [Double](repeating: 0, count: k * k)
        var e = 0
        for i in 0..<k {
            for j in i..<k {
                gram[i * k + j] = upper[e]
                gram[j * k + i] = upper[e]
                e += 1
            }
        }
        return gram
    }
}
