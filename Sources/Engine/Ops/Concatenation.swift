/// Concat of batched tensors along an item axis (axis ≥ 1 of the full NCHW shape).
struct Concatenation: Sendable {
    /// For each input: elements per outer block along the axis (size along axis × inner size).
    var blocks: [Int]
    /// Product of the item axes before the concatenation axis.
    var outer: Int
    var outputItemShape: [Int]

    var outputBlock: Int { blocks.reduce(0, +) }

    func forward<S: EngineScalar>(_ inputs: [Tensor<S>], batch: Int) -> Tensor<S> {
        var y = Tensor<S>(zeros: [batch] + outputItemShape)
        y.scalars.withUnsafeMutableBufferPointer { py in
            var start = 0
            for (k, x) in inputs.enumerated() {
                x.scalars.withUnsafeBufferPointer { px in
                    for o in 0..<(batch * outer) {
                        (py.baseAddress! + o * outputBlock + start).update(from: px.baseAddress! + o * blocks[k], count: blocks[k])
                    }
                }
                start += blocks[k]
            }
        }
        return y
    }

    func backward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>) -> [Tensor<S>?] {
        let cotangents = dy.shape[0]
        var start = 0
        return step.inputs.enumerated().map { k, x in
            defer { start += blocks[k] }
            guard step.needs[k] != .none else { return nil }
            var dx = Tensor<S>(zeros: [cotangents] + x.shape.dropFirst())
            dx.scalars.withUnsafeMutableBufferPointer { out in
                dy.scalars.withUnsafeBufferPointer { g in
                    for o in 0..<(cotangents * outer) {
                        (out.baseAddress! + o * blocks[k]).update(from: g.baseAddress! + o * outputBlock + start, count: blocks[k])
                    }
                }
            }
            return dx
        }
    }
}
