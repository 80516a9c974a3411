/// The windows of a 2-D pooling over one channel plane, resolved at load: for every output
/// position, the in-bounds input offsets in row-major scan order and the averaging divisor.
/// Padding and ceil_mode follow ONNX/PyTorch (a last window that starts in the padding is dropped).
struct PoolingWindows: Sendable {
    var height: Int
    var width: Int
    var outputHeight: Int
    var outputWidth: Int
    /// Offsets of window o are `offsets[starts[o]..<starts[o + 1]]`.
    var starts: [Int32]
    var offsets: [Int32]
    var divisors: [Double]

    struct Attributes: Sendable {
        var kernel: (Int, Int)
        var strides: (Int, Int) = (1, 1)
        var pads: (top: Int, left: Int, bottom: Int, right: Int) = (0, 0, 0, 0)
        var dilations: (Int, Int) = (1, 1)
        var ceilMode = false
        var countIncludePad = false
    }

    init(height: Int, width: Int, _ a: Attributes) throws {
        self.height = height
        self.width = width
        outputHeight = Self.outputSize(height, a.kernel.0, a.strides.0, a.pads.top, a.pads.bottom, a.dilations.0, a.ceilMode)
        outputWidth = Self.outputSize(width, a.kernel.1, a.strides.1, a.pads.left, a.pads.right, a.dilations.1, a.ceilMode)
        guard outputHeight > 0, outputWidth > 0 else {
            throw ModelError(place: "", "pooling window \(a.kernel) does not fit a \(height)×\(width) input")
        }
        starts = [0]
        offsets = []
        divisors = []
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth { addWindow(oy, ox, a) }
        }
    }

    private mutating func addWindow(_ oy: Int, _ ox: Int, _ a: Attributes) {
        let y0 = oy * a.strides.0 - a.pads.top, x0 = ox * a.strides.1 - a.pads.left
        var inside = 0
        for ki in 0..<a.kernel.0 {
            for kj in 0..<a.kernel.1 {
                let y = y0 + ki * a.dilations.0, x = x0 + kj * a.dilations.1
                if y >= 0, y < height, x >= 0, x < width {
                    offsets.append(Int32(y * width + x))
                    inside += 1
                }
            }
        }
        starts.append(Int32(offsets.count))
        if a.countIncludePad {
            // Positions inside the padded input count; those past the padding (ceil mode) do not.
            let yEnd = min(y0 + (a.kernel.0 - 1) * a.dilations.0 + 1, height + a.pads.bottom)
            let xEnd = min(x0 + (a.kernel.1 - 1) * a.dilations.1 + 1, width + a.pads.right)
            let rows = (yEnd - y0 + a.dilations.0 - 1) / a.dilations.0
            let cols = (xEnd - x0 + a.dilations.1 - 1) / a.dilations.1
            divisors.append(Double(rows * cols))
        } else {
            divisors.append(Double(max(inside, 1)))
        }
    }

    static func outputSize(_ n: Int, _ k: Int, _ s: Int, _ p0: Int, _ p1: Int, _ d: Int, _ ceil: Bool) -> Int {
        let span = n + p0 + p1 - d * (k - 1) - 1
        guard span >= 0 else { return 0 }
        var out = (ceil ? (span + s - 1) / s : span / s) + 1
        if ceil, (out - 1) * s >= n + p0 { out -= 1 }
        return out
    }

    var outputPlane: Int { outputHeight * outputWidth }
    var inputPlane: Int { height * width }
}
