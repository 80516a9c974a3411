extension Network {
    /// Logits `[N, K]` of a whole data set: batches of `batchSize` samples spread over `threads`
    /// threads (forward passes only keep one batch of activations at a time).
    /// `progress` gets the number of samples each finished batch held.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func logits(_ images: Tensor<S>, threads: Int, batchSize: Int = 256,
                       progress: ((Int) -> Void)? = nil) -> Tensor<S> {
        let n = images.shape[0], k = model.classes
        var result = [S](repeating: 0, count: n * k)
        result.withUnsafeMutableBufferPointer { out in
            parallelChunks(count: (n + batchSize - 1) / batchSize, threads: threads) { range in
                for b in range {
                    let lo = b * batchSize, hi = min(n, lo + batchSize)
                    let z = logits(images.items(lo..<hi))
                    z.scalars.withUnsafeBufferPointer { (out.baseAddress! + lo * k).update(from: $0.baseAddress!, count: $0.count) }
                    progress?(hi - lo)
                }
            }
        }
        return Tensor(shape: [n, k], scalars: result)
    }

    /// The predicted class (argmax of the logits) of every sample.
    public func predictions(_ images: Tensor<S>, threads: Int = availableCores) -> [Int] {
        let z = logits(images, threads: threads), k = model.classes
        return (0..<images.shape[0]).map { Probabilities.argmax(z.scalars[($0 * k)..<(($0 + 1) * k)]) }
    }
}
