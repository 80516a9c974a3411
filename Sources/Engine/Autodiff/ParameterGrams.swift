extension Network {
    /// Per sample, the K×K Gram matrix A_S = J_S J_Sᵀ of the logits' Jacobian J_S with respect
    /// to each layer's parameters (`model.layers`), then to all parameters together:
    /// `[N, L + 1, K, K]`, in Double.
    ///
    /// The reduction happens inside the backward pass: each parameter tensor's K × n rows are
    /// folded into its layer's Gram matrix as soon as the pass produces them and then dropped,
    /// so the K × (all parameters) Jacobian is never held.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func parameterGrams(_ input: Tensor<S>, threads: Int = availableCores,
                               progress: ((Int) -> Void)? = nil) -> Tensor<Double> {
        let n = input.shape[0], k = model.classes, layers = model.layers.count
        let perSample = (layers + 1) * k * k
        var layerOf = [Int](repeating: -1, count: model.parameters.count)
        for (l, layer) in model.layers.enumerated() { for p in layer.parameters { layerOf[p] = l } }
        var result = [Double](repeating: 0, count: n * perSample)
        result.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            parallelChunks(count: n, threads: threads) { range in
                for sample in range {
                    gramsOfOneSample(input.items(sample..<(sample + 1)), layerOf: layerOf, into: base + sample * perSample)
                    progress?(1)
                }
            }
        }
        return Tensor(shape: [n, layers + 1, k, k], scalars: result)
    }

    /// The L + 1 Gram matrices of one sample, written to `out` (row-major, layer by layer);
    /// `layerOf[p]` is the layer of parameter p, −1 for none.
    private func gramsOfOneSample(_ x: Tensor<S>, layerOf: [Int], into out: UnsafeMutablePointer<Double>) {
        let k = model.classes, layers = model.layers
        let wanted = Set(layerOf.indices.filter { layerOf[$0] >= 0 })
        var gram = [S](repeating: 0, count: k * k)
        let fold = { (parameter: Int, rows: Tensor<S>) in
            let width = rows.count / k
            rows.scalars.withUnsafeBufferPointer { r in
                gram.withUnsafeMutableBufferPointer { g in
                    S.gemm(transA: false, transB: true, m: k, n: k, k: width, alpha: 1, a: r.baseAddress!, lda: width,
                           b: r.baseAddress!, ldb: width, beta: 0, c: g.baseAddress!, ldc: k)
                }
            }
            let layer = out + layerOf[parameter] * k * k, all = out + layers.count * k * k
            for i in 0..<(k * k) {
                layer[i] += Double(gram[i])
                all[i] += Double(gram[i])
            }
        }
        _ = backward(forward(x), seed: oneHotSeeds(samples: 1), replication: k, input: false,
                     parameters: .perCotangent(wanted, consume: fold))
    }
}
