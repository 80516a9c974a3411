import ONNX

/// ONNX Slice resolved against a known shape: per axis a start, a step and a length.
struct SliceSpec {
    var starts: [Int]
    var steps: [Int]
    var outputShape: [Int]

    init(_ node: OnnxNode, inputs: [StaticTensor?], shape: [Int], opset: Int) throws {
        func list(_ i: Int, _ attr: String) throws -> [Int]? {
            if opset >= 10 { return i < inputs.count ? inputs[i]?.ints : nil }
            return try node.attributes[attr] == nil ? nil : node.ints(attr, default: [])
        }
        guard let s = try list(1, "starts"), let e = try list(2, "ends") else {
            throw ModelError.node(node.name, node.opType, "starts and ends must be known at load")
        }
        let axes = try list(3, "axes") ?? Array(0..<s.count)
        let steps = try list(4, "steps") ?? Array(repeating: 1, count: s.count)
        starts = Array(repeating: 0, count: shape.count)
        self.steps = Array(repeating: 1, count: shape.count)
        outputShape = shape
        for (k, rawAxis) in axes.enumerated() {
            let a = try ConstantFolding.normalizedAxis(rawAxis, rank: shape.count, node)
            let dim = shape[a], step = steps[k]
            guard step != 0 else { throw ModelError.node(node.name, node.opType, "step 0 on axis \(a)") }
            func clamp(_ v: Int, _ lo: Int, _ hi: Int) -> Int { max(lo, min(hi, v < 0 ? v + dim : v)) }
            let start = step > 0 ? clamp(s[k], 0, dim) : clamp(s[k], -1, dim - 1)
            let end = step > 0 ? clamp(e[k], 0, dim) : clamp(e[k], -1, dim - 1)
            let length = step > 0 ? max(0, (end - start + step - 1) / step) : max(0, (start - end - step - 1) / -step)
            starts[a] = start
            self.steps[a] = step
            outputShape[a] = length
        }
    }

    /// Source index of every output element.
    func sourceTable(shape: [Int]) -> [Int32] {
        var strides = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        return ConstantFolding.indexTable(shape: outputShape) { idx in
            idx.indices.reduce(0) { $0 + (starts[$1] + idx[$1] * steps[$1]) * strides[$1] }
        }
    }
}
