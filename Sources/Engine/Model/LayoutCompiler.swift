import ONNX

/// Reshape-like and index-map nodes on batched values: the batch axis must stay where it is.
extension GraphBuilder {
    mutating func compileReshape(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let x = try activation(inputs[0], node)
        let item = activationShapes[x]
        let full = [1] + item
        let fail = { (m: String) in ModelError.node(node.name, node.opType, m) }
        var out: [Int]
        switch node.opType {
        case "Flatten":
            let axis = try ConstantFolding.normalizedAxis(node.int("axis", default: 1), rank: full.count, inclusive: true, node)
            guard axis >= 1, full[1..<axis].reduce(1, *) == 1 else { throw fail("flattening into the batch axis is not supported (axis \(axis))") }
            out = [item.reduce(1, *)]
        case "Reshape":
            guard let target = try fixed(inputs, 1, node) else { throw fail("the target shape must be known at load") }
            out = try reshapedItem(item, target: target.ints, allowZero: node.int("allowzero", default: 0) != 0, node)
        case "Squeeze":
            let axes = try fixed(inputs, 1, node)?.ints ?? node.ints("axes", default: [])
            if axes.isEmpty {
                out = item.filter { $0 != 1 }
            } else {
                let normalized = try axes.map { try ConstantFolding.normalizedAxis($0, rank: full.count, node) }
                guard !normalized.contains(0) else { throw fail("cannot squeeze the batch axis") }
                out = try ConstantFolding.squeezedShape(full, axes: normalized, node).dropFirst().map { $0 }
            }
        default:  // Unsqueeze
            let axes = try fixed(inputs, 1, node)?.ints ?? node.ints("axes", default: [])
            let shape = try ConstantFolding.unsqueezedShape(full, axes: axes, node)
            let normalized = try axes.map { try ConstantFolding.normalizedAxis($0, rank: shape.count, node) }
            guard !normalized.contains(0) else { throw fail("cannot insert an axis before the batch axis") }
            out = Array(shape.dropFirst())
        }
        addNode(node, .reshape(itemShape: out), [.activation(x)], itemShape: out)
    }

    /// Resolves a Reshape target whose first entry stands for the batch.
    private func reshapedItem(_ item: [Int], target: [Int], allowZero: Bool, _ node: OnnxNode) throws -> [Int] {
        let marker = Int(StaticTensor.batchMarker)
        guard let first = target.first else { throw ModelError.node(node.name, node.opType, "empty target shape") }
        let keepsBatch = first == marker || (first == 0 && !allowZero) || first == -1 || (fixedBatch != nil && first == fixedBatch)
        guard keepsBatch, !target.dropFirst().contains(marker) else {
            throw ModelError.node(node.name, node.opType, "target shape \(target) does not keep the batch axis first")
        }
        // Resolve the item part: 0 copies the input dimension at the same position.
        let rest = target.dropFirst().enumerated().map { i, d in d == 0 && !allowZero && i < item.count ? item[i] : d }
        if first == -1, !rest.contains(-1) {
            guard rest.reduce(1, *) == item.reduce(1, *) else {
                throw ModelError.node(node.name, node.opType, "cannot reshape items \(item) to \(target)")
            }
            return rest
        }
        return try ConstantFolding.resolvedReshape(from: item, to: rest, allowZero: allowZero, node)
    }

    mutating func compileGather(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let x = try activation(inputs[0], node)
        let item = activationShapes[x]
        let fail = { (m: String) in ModelError.node(node.name, node.opType, m) }
        let table: [Int32], outShape: [Int]
        var fill = 0.0
        switch node.opType {
        case "Transpose":
            let perm = try node.ints("perm", default: Array((0...item.count).reversed()))
            guard perm.first == 0 else { throw fail("perm \(perm) moves the batch axis") }
            let itemPerm = perm.dropFirst().map { $0 - 1 }
            table = try ConstantFolding.transposeTable(shape: item, perm: itemPerm, node)
            outShape = itemPerm.map { item[$0] }
        case "Pad":
            (table, outShape, fill) = try padTable(node, inputs, item: item)
        default:  // Slice
            var statics: [StaticTensor?] = [nil]
            for i in 1..<inputs.count { statics.append(try fixed(inputs, i, node)) }
            // Slice on the full shape with batch 1, then require the batch axis untouched.
            let spec = try SliceSpec(node, inputs: statics, shape: [1] + item, opset: opset)
            guard spec.outputShape[0] == 1, spec.starts[0] == 0 else { throw fail("slicing the batch axis is not supported") }
            table = spec.sourceTable(shape: [1] + item)
            outShape = Array(spec.outputShape.dropFirst())
        }
        let op = IndexMap(table: .gather(source: table, fill: fill), inputItemCount: item.reduce(1, *), outputItemShape: outShape)
        addNode(node, .indexMap(op), [.activation(x)], itemShape: outShape)
    }

    private func padTable(_ node: OnnxNode, _ inputs: [Value?], item: [Int]) throws -> ([Int32], [Int], Double) {
        let fail = { (m: String) in ModelError.node(node.name, node.opType, m) }
        let mode = try node.string("mode", default: "constant")
        guard mode == "constant" else { throw fail("pad mode '\(mode)' is not supported (only constant)") }
        let rank = item.count + 1
        var pads: [Int], value = 0.0
        if opset < 11 {
            pads = try node.ints("pads", default: [])
            value = Double(try node.float("value", default: 0))
        } else {
            guard let p = try fixed(inputs, 1, node) else { throw fail("pads must be known at load") }
            pads = p.ints
            value = try fixed(inputs, 2, node)?.values.first ?? 0
            if let axesTensor = try fixed(inputs, 3, node) {
                let axes = try axesTensor.ints.map { try ConstantFolding.normalizedAxis($0, rank: rank, node) }
                var full = [Int](repeating: 0, count: 2 * rank)
                for (k, a) in axes.enumerated() { full[a] = pads[k]; full[a + rank] = pads[k + axes.count] }
                pads = full
            }
        }
        guard pads.count == 2 * rank else { throw fail("pads has \(pads.count) entries, expected \(2 * rank)") }
        guard pads[0] == 0, pads[rank] == 0 else { throw fail("padding the batch axis is not supported") }
        let begin = Array(pads[1..<rank]), end = Array(pads[(rank + 1)...])
        let outShape = item.indices.map { item[$0] + begin[$0] + end[$0] }
        guard outShape.allSatisfy({ $0 > 0 }) else { throw fail("pads \(pads) leave an empty tensor") }
        var strides = [Int](repeating: 1, count: item.count)
        for d in stride(from: item.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * item[d + 1] }
        let table = ConstantFolding.indexTable(shape: outShape) { idx in
            var offset = 0
            for d in idx.indices {
                let s = idx[d] - begin[d]
                if s < 0 || s >= item[d] { return -1 }
                offset += s * strides[d]
            }
            return offset
        }
        return (table, outShape, value)
    }

    mutating func compileReduceMean(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let x = try activation(inputs[0], node)
        let item = activationShapes[x]
        let axes = try fixed(inputs, 1, node)?.ints ?? node.ints("axes", default: [])
        let normalized = try axes.map { try ConstantFolding.normalizedAxis($0, rank: item.count + 1, node) }
        guard !normalized.isEmpty, !normalized.contains(0) else {
            throw ModelError.node(node.name, node.opType, "reducing over the batch axis is not supported")
        }
        let table = try ConstantFolding.meanTable(shape: item, axes: normalized.map { $0 - 1 },
                                                  keepDims: node.int("keepdims", default: 1) != 0, node)
        let op = IndexMap(table: .mean(target: table.target, counts: table.counts), inputItemCount: item.reduce(1, *),
                          outputItemShape: table.shape)
        addNode(node, .indexMap(op), [.activation(x)], itemShape: table.shape)
    }
}
