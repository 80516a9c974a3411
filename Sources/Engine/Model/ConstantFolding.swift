import ONNX

/// Evaluates at load the nodes whose inputs are all known: the static shape arithmetic that
/// exporters emit (Shape, Gather, Unsqueeze, Squeeze, Concat, ReduceMean, ConstantOfShape, Cast,
/// Reshape, Slice, arithmetic) and Constant nodes.
enum ConstantFolding {
    static let foldableOps: Set<String> = [
        "Constant", "Identity", "Dropout", "Cast", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat",
        "Reshape", "Flatten", "ReduceMean", "ConstantOfShape", "Add", "Sub", "Mul", "Div", "Transpose",
        "Slice", "Neg", "Sqrt",
    ]

    static func evaluate(_ node: OnnxNode, _ inputs: [StaticTensor?], opset: Int) throws -> StaticTensor {
        func input(_ i: Int) throws -> StaticTensor {
            guard i < inputs.count, let t = inputs[i] else {
                throw ModelError.node(node.name, node.opType, "input \(i) is missing")
            }
            return t
        }
        func optionalInput(_ i: Int) -> StaticTensor? { i < inputs.count ? inputs[i] : nil }

        switch node.opType {
        case "Constant": return try constant(node)
        case "Identity", "Dropout": return try input(0)
        case "Cast": return try cast(input(0), to: node.int("to", default: 1))
        case "Shape": return try shapeOf(input(0), node)
        case "Gather": return try gather(input(0), input(1), axis: node.int("axis", default: 0), node)
        case "Unsqueeze":
            let axes = try optionalInput(1)?.ints ?? node.ints("axes", default: [])
            return try unsqueeze(input(0), axes: axes, node)
        case "Squeeze":
            let axes = try optionalInput(1)?.ints ?? node.ints("axes", default: [])
            return try squeeze(input(0), axes: axes, node)
        case "Concat": return try concat(inputs.map { try requireStatic($0, node) }, axis: node.int("axis", default: 0), node)
        case "Reshape": return try reshape(input(0), to: input(1).ints, allowZero: node.int("allowzero", default: 0) != 0, node)
        case "Flatten":
            let x = try input(0)
            let axis = try normalizedAxis(node.int("axis", default: 1), rank: x.shape.count, inclusive: true, node)
            var t = x
            t.shape = [x.shape[..<axis].reduce(1, *), x.shape[axis...].reduce(1, *)]
            return t
        case "ReduceMean":
            let axes = try optionalInput(1)?.ints ?? node.ints("axes", default: [])
            return try reduceMean(input(0), axes: axes, keepDims: node.int("keepdims", default: 1) != 0, node)
        case "ConstantOfShape":
            let shape = try input(0).ints
            let fill = try node.attributes["value"].map { attr -> StaticTensor in
                guard case .tensor(let t) = attr else { throw ModelError.node(node.name, node.opType, "attribute 'value' must be a tensor") }
                return try StaticTensor(t, initializer: false)
            }
            return StaticTensor(shape: shape, values: Array(repeating: fill?.values.first ?? 0, count: shape.reduce(1, *)),
                                isInteger: fill?.isInteger ?? false)
        case "Add", "Sub", "Mul", "Div": return try arithmetic(node.opType, input(0), input(1), node)
        case "Neg": var t = try input(0); t.values = t.values.map { -$0 }; t.initializerName = nil; return t
        case "Sqrt": var t = try input(0); t.values = t.values.map { $0.squareRoot() }; t.initializerName = nil; return t
        case "Transpose":
            let x = try input(0)
            let perm = try node.ints("perm", default: Array((0..<x.shape.count).reversed()))
            let table = try transposeTable(shape: x.shape, perm: perm, node)
            return StaticTensor(shape: perm.map { x.shape[$0] }, values: table.map { x.values[Int($0)] }, isInteger: x.isInteger)
        case "Slice": return try slice(input(0), node, inputs: inputs, opset: opset)
        default:
            throw ModelError.node(node.name, node.opType, "cannot be evaluated at load")
        }
    }

    private static func requireStatic(_ t: StaticTensor?, _ node: OnnxNode) throws -> StaticTensor {
        guard let t else { throw ModelError.node(node.name, node.opType, "an input is missing") }
        return t
    }

    private static func constant(_ node: OnnxNode) throws -> StaticTensor {
        for (name, attr) in node.attributes {
            switch (name, attr) {
            case ("value", .tensor(let t)): return try StaticTensor(t, initializer: false)
            case ("value_float", .float(let f)): return StaticTensor(shape: [], values: [Double(f)], isInteger: false)
            case ("value_floats", .floats(let f)): return StaticTensor(shape: [f.count], values: f.map(Double.init), isInteger: false)
            case ("value_int", .int(let i)): return .integers([i], shape: [])
            case ("value_ints", .ints(let i)): return .integers(i)
            default: continue
            }
        }
        throw ModelError.node(node.name, node.opType, "has no supported value attribute (value, value_float(s), value_int(s))")
    }

    private static func cast(_ x: StaticTensor, to code: Int) -> StaticTensor {
        var t = x
        t.initializerName = nil
        // ONNX codes: 1 float, 10 float16, 11 double, 16 bfloat16; everything else is integral or bool.
        if [1, 10, 11, 16].contains(code) {
            t.isInteger = false
        } else {
            t.values = x.values.map { $0 == StaticTensor.batchMarker ? $0 : ($0.rounded(.towardZero)) }
            if code == 9 { t.values = t.values.map { $0 != 0 ? 1 : 0 } }
            t.isInteger = true
        }
        return t
    }

    private static func shapeOf(_ x: StaticTensor, _ node: OnnxNode) throws -> StaticTensor {
        try shapeSlice(x.shape.map(Double.init), node)
    }

    /// The shape of a batched activation: the batch axis stands as `StaticTensor.batchMarker`.
    static func shapeOfActivation(_ itemShape: [Int], _ node: OnnxNode) throws -> StaticTensor {
        try shapeSlice([StaticTensor.batchMarker] + itemShape.map(Double.init), node)
    }

    /// Shape's `start`/`end` attributes (opset 15), clamped as the specification says.
    private static func shapeSlice(_ dims: [Double], _ node: OnnxNode) throws -> StaticTensor {
        let r = dims.count
        let start = try node.int("start", default: 0), end = try node.int("end", default: r)
        let lo = max(0, min(r, start < 0 ? start + r : start)), hi = max(lo, min(r, end < 0 ? end + r : end))
        return StaticTensor(shape: [hi - lo], values: Array(dims[lo..<hi]), isInteger: true)
    }

    static func normalizedAxis(_ axis: Int, rank: Int, inclusive: Bool = false, _ node: OnnxNode) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank + (inclusive ? 1 : 0) else {
            throw ModelError.node(node.name, node.opType, "axis \(axis) is out of range for rank \(rank)")
        }
        return a
    }

    private static func gather(_ data: StaticTensor, _ indices: StaticTensor, axis: Int, _ node: OnnxNode) throws -> StaticTensor {
        let a = try normalizedAxis(axis, rank: data.shape.count, node)
        let outer = data.shape[..<a].reduce(1, *), dim = data.shape[a], inner = data.shape[(a + 1)...].reduce(1, *)
        var values: [Double] = []
        for o in 0..<outer {
            for raw in indices.ints {
                let i = raw < 0 ? raw + dim : raw
                guard i >= 0, i < dim else { throw ModelError.node(node.name, node.opType, "index \(raw) is out of range for size \(dim)") }
                values += data.values[((o * dim + i) * inner)..<((o * dim + i + 1) * inner)]
            }
        }
        return StaticTensor(shape: Array(data.shape[..<a]) + indices.shape + Array(data.shape[(a + 1)...]),
                            values: values, isInteger: data.isInteger)
    }

    static func unsqueeze(_ x: StaticTensor, axes: [Int], _ node: OnnxNode) throws -> StaticTensor {
        var t = x
        t.shape = try unsqueezedShape(x.shape, axes: axes, node)
        return t
    }

    static func unsqueezedShape(_ shape: [Int], axes: [Int], _ node: OnnxNode) throws -> [Int] {
        let rank = shape.count + axes.count
        let normalized = try Set(axes.map { try normalizedAxis($0, rank: rank, node) })
        var out: [Int] = []
        var it = shape.makeIterator()
        for d in 0..<rank { out.append(normalized.contains(d) ? 1 : (it.next() ?? 1)) }
        return out
    }

    static func squeeze(_ x: StaticTensor, axes: [Int], _ node: OnnxNode) throws -> StaticTensor {
        var t = x
        t.shape = try squeezedShape(x.shape, axes: axes, node)
        return t
    }

    static func squeezedShape(_ shape: [Int], axes: [Int], _ node: OnnxNode) throws -> [Int] {
        let normalized = try Set(axes.map { try normalizedAxis($0, rank: shape.count, node) })
        for a in normalized where shape[a] != 1 {
            throw ModelError.node(node.name, node.opType, "cannot squeeze axis \(a) of size \(shape[a])")
        }
        return shape.enumerated().filter { axes.isEmpty ? $0.element != 1 : !normalized.contains($0.offset) }.map(\.element)
    }

    private static func concat(_ parts: [StaticTensor], axis: Int, _ node: OnnxNode) throws -> StaticTensor {
        guard let first = parts.first else { throw ModelError.node(node.name, node.opType, "has no inputs") }
        let a = try normalizedAxis(axis, rank: first.shape.count, node)
        let outer = first.shape[..<a].reduce(1, *)
        var values: [Double] = []
        for o in 0..<outer {
            for p in parts {
                guard p.shape.count == first.shape.count else { throw ModelError.node(node.name, node.opType, "inputs have different ranks") }
                let block = p.shape[a...].reduce(1, *)
                values += p.values[(o * block)..<((o + 1) * block)]
            }
        }
        var shape = first.shape
        shape[a] = parts.reduce(0) { $0 + $1.shape[a] }
        return StaticTensor(shape: shape, values: values, isInteger: parts.allSatisfy(\.isInteger))
    }

    private static func reshape(_ x: StaticTensor, to target: [Int], allowZero: Bool, _ node: OnnxNode) throws -> StaticTensor {
        var t = x
        t.shape = try resolvedReshape(from: x.shape, to: target, allowZero: allowZero, node)
        return t
    }

    /// ONNX Reshape target resolution: 0 copies the input dimension (unless allowzero), −1 is inferred.
    static func resolvedReshape(from shape: [Int], to target: [Int], allowZero: Bool, _ node: OnnxNode) throws -> [Int] {
        let total = shape.reduce(1, *)
        var out = target.enumerated().map { i, d in d == 0 && !allowZero && i < shape.count ? shape[i] : d }
        let known = out.filter { $0 != -1 }.reduce(1, *)
        if let inferred = out.firstIndex(of: -1) {
            guard known > 0, total % known == 0 else {
                throw ModelError.node(node.name, node.opType, "cannot reshape \(shape) to \(target)")
            }
            out[inferred] = total / known
        }
        guard out.reduce(1, *) == total, out.allSatisfy({ $0 >= 0 }) else {
            throw ModelError.node(node.name, node.opType, "cannot reshape \(shape) (\(total) elements) to \(target)")
        }
        return out
    }

    private static func reduceMean(_ x: StaticTensor, axes: [Int], keepDims: Bool, _ node: OnnxNode) throws -> StaticTensor {
        let table = try meanTable(shape: x.shape, axes: axes, keepDims: keepDims, node)
        var values = [Double](repeating: 0, count: table.counts.count)
        for (i, t) in table.target.enumerated() { values[Int(t)] += x.values[i] / table.counts[Int(t)] }
        return StaticTensor(shape: table.shape, values: values, isInteger: false)
    }

    /// For ReduceMean over `axes`: the output index of every input element, output counts and shape.
    static func meanTable(shape: [Int], axes: [Int], keepDims: Bool, _ node: OnnxNode) throws -> (target: [Int32], counts: [Double], shape: [Int]) {
        let reduced = axes.isEmpty ? Set(shape.indices) : try Set(axes.map { try normalizedAxis($0, rank: shape.count, node) })
        let kept = shape.enumerated().map { reduced.contains($0.offset) ? 1 : $0.element }
        let outCount = kept.reduce(1, *)
        let offsets = broadcastOffsets(from: kept, to: shape)
        var counts = [Double](repeating: 0, count: outCount)
        for o in offsets { counts[Int(o)] += 1 }
        let outShape = keepDims ? kept : shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
        return (offsets, counts, outShape)
    }

    private static func arithmetic(_ op: String, _ a: StaticTensor, _ b: StaticTensor, _ node: OnnxNode) throws -> StaticTensor {
        let shape = try broadcastShape(a.shape, b.shape)
        let oa = broadcastOffsets(from: a.shape, to: shape), ob = broadcastOffsets(from: b.shape, to: shape)
        let integer = a.isInteger && b.isInteger
        let values = zip(oa, ob).map { i, j -> Double in
            let (x, y) = (a.values[Int(i)], b.values[Int(j)])
            switch op {
            case "Add": return x + y
            case "Sub": return x - y
            case "Mul": return x * y
            default: return integer ? (x / y).rounded(.towardZero) : x / y
            }
        }
        return StaticTensor(shape: shape, values: values, isInteger: integer)
    }

    /// Source index of every output element of a transpose by `perm`.
    static func transposeTable(shape: [Int], perm: [Int], _ node: OnnxNode) throws -> [Int32] {
        guard perm.sorted() == Array(shape.indices) else {
            throw ModelError.node(node.name, node.opType, "perm \(perm) is not a permutation of the \(shape.count) axes")
        }
        var strides = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        let outShape = perm.map { shape[$0] }
        let outStrides = perm.map { strides[$0] }
        return indexTable(shape: outShape) { idx in zip(idx, outStrides).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    /// Evaluates `source(index)` for every multi-index of `shape` in row-major order.
    static func indexTable(shape: [Int], _ source: ([Int]) -> Int) -> [Int32] {
        let total = shape.reduce(1, *)
        var result = [Int32](repeating: 0, count: total)
        var idx = [Int](repeating: 0, count: shape.count)
        for i in 0..<total {
            result[i] = Int32(source(idx))
            var d = shape.count - 1
            while d >= 0 {
                idx[d] += 1
                if idx[d] < shape[d] { break }
                idx[d] = 0
                d -= 1
            }
        }
        return result
    }

    private static func slice(_ x: StaticTensor, _ node: OnnxNode, inputs: [StaticTensor?], opset: Int) throws -> StaticTensor {
        let spec = try SliceSpec(node, inputs: inputs, shape: x.shape, opset: opset)
        let table = spec.sourceTable(shape: x.shape)
        return StaticTensor(shape: spec.outputShape, values: table.map { x.values[Int($0)] }, isInteger: x.isInteger)
    }
}
