/// Gemm and MatMul with a batched left operand and a fixed right operand (a weight):
/// Y = alpha · A · op(B) + beta · C, one GEMM over every row of every sample.
struct Dense: Sendable {
    /// Rows of A per sample: 1 for Gemm, the product of the leading item axes for MatMul.
    var rowsPerItem: Int
    var inner: Int
    var outer: Int
    var transB: Bool
    var alpha: Double
    var beta: Double
    /// Offsets of C broadcast to one row of Y (nil when C has exactly `outer` elements or is absent).
    var biasOffsets: [Int32]?
    var hasBias: Bool
    var outputItemShape: [Int]

    func forward<S: EngineScalar>(_ a: Tensor<S>, _ b: Tensor<S>, _ c: Tensor<S>?, batch: Int) -> Tensor<S> {
        let rows = batch * rowsPerItem
        var y = Tensor<S>(zeros: [batch] + outputItemShape)
        if let c, hasBias { fillRows(&y, with: c, rows: rows) }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                y.scalars.withUnsafeMutableBufferPointer { py in
                    S.gemm(transA: false, transB: transB, m: rows, n: outer, k: inner,
                           alpha: S(alpha), a: pa.baseAddress!, lda: inner,
                           b: pb.baseAddress!, ldb: transB ? inner : outer,
                           beta: hasBias ? 1 : 0, c: py.baseAddress!, ldc: outer)
                }
            }
        }
        return y
    }

    private func fillRows<S: EngineScalar>(_ y: inout Tensor<S>, with c: Tensor<S>, rows: Int) {
        let scale = S(beta)
        y.scalars.withUnsafeMutableBufferPointer { py in
            c.scalars.withUnsafeBufferPointer { pc in
                for r in 0..<rows {
                    for j in 0..<outer {
                        py[r * outer + j] = scale * pc[biasOffsets.map { Int($0[j]) } ?? j]
                    }
                }
            }
        }
    }

    func backward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>) -> [Tensor<S>?] {
        let cotangents = dy.shape[0]
        var grads: [Tensor<S>?] = [nil, nil, nil]
        if step.needs[0] != .none { grads[0] = inputGradient(dy, weight: step.inputs[1], cotangents: cotangents) }
        if step.needs[1] != .none {
            grads[1] = weightGradient(dy, a: step.inputs[0], shape: step.inputs[1].shape,
                                      need: step.needs[1], replication: step.replication)
        }
        if step.needs.count > 2, step.needs[2] != .none {
            grads[2] = biasGradient(dy, shape: step.inputs[2].shape, need: step.needs[2])
        }
        return grads
    }

    /// dA = alpha · dY · op(B)ᵀ for every cotangent at once.
    private func inputGradient<S: EngineScalar>(_ dy: Tensor<S>, weight: Tensor<S>, cotangents: Int) -> Tensor<S> {
        var da = Tensor<S>(zeros: [cotangents] + inputItemShape)
        dy.scalars.withUnsafeBufferPointer { g in
            weight.scalars.withUnsafeBufferPointer { w in
                da.scalars.withUnsafeMutableBufferPointer { out in
                    S.gemm(transA: false, transB: !transB, m: cotangents * rowsPerItem, n: inner, k: outer,
                           alpha: S(alpha), a: g.baseAddress!, lda: outer,
                           b: w.baseAddress!, ldb: transB ? inner : outer,
                           beta: 0, c: out.baseAddress!, ldc: inner)
                }
            }
        }
        return da
    }

    var inputItemShape: [Int] { Array(outputItemShape.dropLast()) + [inner] }

    /// The weight's gradient in its stored layout (out×in when transB), summed or per cotangent.
    private func weightGradient<S: EngineScalar>(
        _ dy: Tensor<S>, a: Tensor<S>, shape: [Int], need: GradientNeed, replication r: Int
    ) -> Tensor<S> {
        let cotangents = dy.shape[0]
        let size = inner * outer
        let perRow = need == .perCotangent
        var grad = Tensor<S>(zeros: (perRow ? [cotangents] : []) + shape)
        let itemA = rowsPerItem * inner, itemY = rowsPerItem * outer
        a.scalars.withUnsafeBufferPointer { pa in
            dy.scalars.withUnsafeBufferPointer { g in
                grad.scalars.withUnsafeMutableBufferPointer { out in
                    if !perRow && r == 1 {
                        gemmWeight(a: pa.baseAddress!, dy: g.baseAddress!, rows: cotangents * rowsPerItem,
                                   into: out.baseAddress!, accumulate: false)
                        return
                    }
                    for c in 0..<cotangents {
                        gemmWeight(a: pa.baseAddress! + (c / r) * itemA, dy: g.baseAddress! + c * itemY,
                                   rows: rowsPerItem, into: out.baseAddress! + (perRow ? c * size : 0),
                                   accumulate: !perRow && c > 0)
                    }
                }
            }
        }
        return grad
    }

    /// op(B)-gradient alpha · Aᵀ dY over `rows` rows, written in B's stored layout.
    private func gemmWeight<S: EngineScalar>(
        a: UnsafePointer<S>, dy: UnsafePointer<S>, rows: Int, into out: UnsafeMutablePointer<S>, accumulate: Bool
    ) {
        if transB {  // B is outer×inner: dB = dYᵀ · A
            S.gemm(transA: true, transB: false, m: outer, n: inner, k: rows, alpha: S(alpha),
                   a: dy, lda: outer, b: a, ldb: inner, beta: accumulate ? 1 : 0, c: out, ldc: inner)
        } else {     // B is inner×outer: dB = Aᵀ · dY
            S.gemm(transA: true, transB: false, m: inner, n: outer, k: rows, alpha: S(alpha),
                   a: a, lda: inner, b: dy, ldb: outer, beta: accumulate ? 1 : 0, c: out, ldc: outer)
        }
    }

    private func biasGradient<S: EngineScalar>(_ dy: Tensor<S>, shape: [Int], need: GradientNeed) -> Tensor<S> {
        let cotangents = dy.shape[0]
        let perRow = need == .perCotangent
        let size = shape.reduce(1, *)
        var grad = Tensor<S>(zeros: (perRow ? [cotangents] : []) + shape)
        let scale = S(beta)
        dy.scalars.withUnsafeBufferPointer { g in
            grad.scalars.withUnsafeMutableBufferPointer { out in
                for c in 0..<cotangents {
                    let base = perRow ? c * size : 0
                    for r in 0..<rowsPerItem {
                        let row = (c * rowsPerItem + r) * outer
                        for j in 0..<outer {
                            out[base + (biasOffsets.map { Int($0[j]) } ?? j)] += scale * g[row + j]
                        }
                    }
                }
            }
        }
        return grad
    }
}
