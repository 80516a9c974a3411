import ONNX

/// Strides, pads and dilations of a Conv or pooling node, with auto_pad resolved.
struct WindowAttributes {
    var strides: (Int, Int)
    var pads: (top: Int, left: Int, bottom: Int, right: Int)
    var dilations: (Int, Int)

    init(_ node: OnnxNode, kernel: (Int, Int), height: Int, width: Int) throws {
        let s = try node.ints("strides", default: [1, 1])
        let d = try node.ints("dilations", default: [1, 1])
        let p = try node.ints("pads", default: [0, 0, 0, 0])
        guard s.count == 2, d.count == 2, p.count == 4, s.allSatisfy({ $0 > 0 }), d.allSatisfy({ $0 > 0 }), p.allSatisfy({ $0 >= 0 }) else {
            throw ModelError.node(node.name, node.opType, "strides \(s), dilations \(d) and pads \(p) must have 2, 2 and 4 valid entries")
        }
        strides = (s[0], s[1])
        dilations = (d[0], d[1])
        pads = (p[0], p[1], p[2], p[3])
        switch try node.string("auto_pad", default: "NOTSET") {
        case "NOTSET": break
        case "VALID": pads = (0, 0, 0, 0)
        case let mode where mode == "SAME_UPPER" || mode == "SAME_LOWER":
            let (top, bottom) = Self.samePadding(height, kernel.0, strides.0, dilations.0, upper: mode == "SAME_UPPER")
            let (left, right) = Self.samePadding(width, kernel.1, strides.1, dilations.1, upper: mode == "SAME_UPPER")
            pads = (top, left, bottom, right)
        case let mode:
            throw ModelError.node(node.name, node.opType, "auto_pad '\(mode)' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER")
        }
    }

    /// Padding so that output = ceil(input / stride); the odd pixel goes to the end for SAME_UPPER.
    static func samePadding(_ n: Int, _ k: Int, _ s: Int, _ d: Int, upper: Bool) -> (Int, Int) {
        let out = (n + s - 1) / s
        let total = max(0, (out - 1) * s + (k - 1) * d + 1 - n)
        return upper ? (total / 2, total - total / 2) : (total - total / 2, total / 2)
    }
}
