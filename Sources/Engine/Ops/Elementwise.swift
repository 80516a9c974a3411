/// Add, Sub, Mul and Div with NumPy broadcasting. At least one operand carries the batch;
/// the other may be a parameter or constant (a bias, a scale). Broadcasting is resolved at load
/// into per-operand offset tables, so the hot loops only gather and scatter.
struct Elementwise: Sendable {
    enum Function: String, Sendable { case add = "Add", sub = "Sub", mul = "Mul", div = "Div" }

    struct Operand: Sendable {
        var batched: Bool
        /// Elements per item (batched) or in total (static).
        var count: Int
        /// Offset of each output-item element within the operand item; nil when identical.
        var offsets: [Int32]?
    }

    var function: Function
    var operands: [Operand]
    var outputItemCount: Int

    /// Builds the offset tables. `shapes` are per-item shapes for batched operands and full
    /// shapes (already stripped of a leading batch 1) for static ones.
    init(function: Function, shapes: [[Int]], batched: [Bool]) throws {
        self.function = function
        let out = try broadcastShape(shapes[0], shapes[1])
        outputItemCount = out.reduce(1, *)
        operands = zip(shapes, batched).map { shape, isBatched in
            Operand(batched: isBatched, count: shape.reduce(1, *),
                    offsets: shape == out ? nil : broadcastOffsets(from: shape, to: out))
        }
        outputShape = out
    }

    var outputShape: [Int]

    func forward<S: EngineScalar>(_ a: Tensor<S>, _ b: Tensor<S>, batch: Int) -> Tensor<S> {
        let (oa, ob) = (operands[0], operands[1])
        return Tensor<S>(uninitialized: [batch] + outputShape) { py in
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    for n in 0..<batch {
                        let baseA = oa.batched ? n * oa.count : 0
                        let baseB = ob.batched ? n * ob.count : 0
                        let baseY = n * outputItemCount
                        for i in 0..<outputItemCount {
                            let x0 = pa[baseA + oa.offset(i)]
                            let x1 = pb[baseB + ob.offset(i)]
                            py[baseY + i] = apply(x0, x1)
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func apply<S: EngineScalar>(_ x: S, _ z: S) -> S {
        switch function {
        case .add: x + z
        case .sub: x - z
        case .mul: x * z
        case .div: x / z
        }
    }

    /// ∂y/∂operand k at one element, given both operand values.
    @inline(__always)
    private func partial<S: EngineScalar>(_ k: Int, _ x: S, _ z: S) -> S {
        switch (function, k) {
        case (.add, _): 1
        case (.sub, 0): 1
        case (.sub, _): -1
        case (.mul, 0): z
        case (.mul, _): x
        case (.div, 0): 1 / z
        case (.div, _): -x / (z * z)
        }
    }

    func backward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>) -> [Tensor<S>?] {
        let cotangents = dy.shape[0]
        return (0..<2).map { k -> Tensor<S>? in
            let need = step.needs[k]
            guard need != .none else { return nil }
            // A residual Add passes the gradient through unchanged: share it, do not copy it.
            if function == .add && need == .perItem && operands[k].batched && operands[k].offsets == nil {
                return dy
            }
            let op = operands[k]
            let perRow = need == .perItem || need == .perCotangent
            let rows = perRow ? cotangents : 1
            let shape = op.batched ? Array(step.inputs[k].shape.dropFirst()) : step.inputs[k].shape
            var grad = Tensor<S>(zeros: [rows] + shape)
            accumulate(k, dy, step, into: &grad, perRow: perRow)
            if !perRow { grad = grad.reshaped(shape) }
            return grad
        }
    }

    private func accumulate<S: EngineScalar>(
        _ k: Int, _ dy: Tensor<S>, _ step: BackwardStep<S>, into grad: inout Tensor<S>, perRow: Bool
    ) {
        let (oa, ob) = (operands[0], operands[1])
        let target = operands[k]
        let r = step.replication
        let linear = function == .add || function == .sub
        step.inputs[0].scalars.withUnsafeBufferPointer { pa in
            step.inputs[1].scalars.withUnsafeBufferPointer { pb in
                dy.scalars.withUnsafeBufferPointer { g in
                    grad.scalars.withUnsafeMutableBufferPointer { out in
                        for c in 0..<dy.shape[0] {
                            let n = c / r
                            let baseA = oa.batched ? n * oa.count : 0
                            let baseB = ob.batched ? n * ob.count : 0
                            let baseOut = perRow ? c * target.count : 0
                            let baseG = c * outputItemCount
                            for i in 0..<outputItemCount {
                                let d: S = linear
                                    ? partial(k, S.zero, S.zero)
                                    : partial(k, pa[baseA + oa.offset(i)], pb[baseB + ob.offset(i)])
                                out[baseOut + target.offset(i)] += g[baseG + i] * d
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Elementwise.Operand {
    @inline(__always) func offset(_ i: Int) -> Int { offsets.map { Int($0[i]) } ?? i }
}

/// NumPy broadcasting of two shapes (right-aligned).
func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
    let rank = max(a.count, b.count)
    let pa = Array(repeating: 1, count: rank - a.count) + a
    let pb = Array(repeating: 1, count: rank - b.count) + b
    return try zip(pa, pb).map { x, y in
        if x == y || y == 1 { return x }
        if x == 1 { return y }
        throw ModelError(place: "", "shapes \(a) and \(b) cannot be broadcast together")
    }
}

/// For each element of `target` (row-major), the flat index of the element of `source` it reads
/// under broadcasting.
func broadcastOffsets(from source: [Int], to target: [Int]) -> [Int32] {
    let rank = target.count
    let src = Array(repeating: 1, count: rank - source.count) + source
    var strides = [Int](repeating: 0, count: rank)
    var s = 1
    for d in stride(from: rank - 1, through: 0, by: -1) {
        strides[d] = src[d] == 1 ? 0 : s
        s *= src[d]
    }
    let total = target.reduce(1, *)
    var result = [Int32](repeating: 0, count: total)
    var index = [Int](repeating: 0, count: rank)
    for i in 0..<total {
        var off = 0
        for d in 0..<rank { off += index[d] * strides[d] }
        result[i] = Int32(off)
        var d = rank - 1
        while d >= 0 {
            index[d] += 1
            if index[d] < target[d] { break }
            index[d] = 0
            d -= 1
        }
    }
    return result
}
