/// A linear map of one item defined by an index table, resolved at load. Covers Transpose, Pad
/// (constant mode), Slice and ReduceMean:
/// - `.gather`: out[i] = source[i] < 0 ? fill : in[source[i]]  (Transpose, Pad, Slice)
/// - `.mean`:   out[target[i]] += in[i] / count[target[i]]     (ReduceMean)
struct IndexMap: Sendable {
    enum Table: Sendable {
        case gather(source: [Int32], fill: Double)
        case mean(target: [Int32], counts: [Double])
    }

    var table: Table
    var inputItemCount: Int
    var outputItemShape: [Int]
    var outputItemCount: Int { outputItemShape.reduce(1, *) }

    func forward<S: EngineScalar>(_ x: Tensor<S>, batch: Int) -> Tensor<S> {
        var y = Tensor<S>(zeros: [batch] + outputItemShape)
        apply(x.scalars, into: &y.scalars, items: batch, adjoint: false)
        return y
    }

    func backward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>) -> [Tensor<S>?] {
        guard step.needs[0] != .none else { return [nil] }
        let cotangents = dy.shape[0]
        var dx = Tensor<S>(zeros: [cotangents] + step.inputs[0].shape.dropFirst())
        apply(dy.scalars, into: &dx.scalars, items: cotangents, adjoint: true)
        return [dx]
    }

    /// The map (or its adjoint, which scatters where the map gathers) on `items` items.
    private func apply<S: EngineScalar>(_ src: [S], into dst: inout [S], items: Int, adjoint: Bool) {
        let (nIn, nOut) = (inputItemCount, outputItemCount)
        dst.withUnsafeMutableBufferPointer { out in
            src.withUnsafeBufferPointer { x in
                for n in 0..<items {
                    switch table {
                    case .gather(let source, let fill):
                        for i in 0..<nOut {
                            let s = Int(source[i])
                            if adjoint {
                                if s >= 0 { out[n * nIn + s] += x[n * nOut + i] }
                            } else {
                                out[n * nOut + i] = s < 0 ? S(fill) : x[n * nIn + s]
                            }
                        }
                    case .mean(let target, let counts):
                        for i in 0..<nIn {
                            let t = Int(target[i])
                            if adjoint {
                                out[n * nIn + i] = x[n * nOut + t] / S(counts[t])
                            } else {
                                out[n * nOut + t] += x[n * nIn + i] / S(counts[t])
                            }
                        }
                    }
                }
            }
        }
    }
}
