/// Training losses on `[B, K]` logits: the mean loss over the batch and its gradient.
public enum Loss: String, Sendable, CaseIterable {
    /// Mean cross-entropy of softmax(z) against integer labels.
    case crossEntropy = "cross-entropy"
    /// Mean squared error against one-hot targets, averaged over all B·K entries (as PyTorch's MSELoss).
    case mse

    /// Sum of per-sample losses of a chunk and the gradient of `total / batchSize` w.r.t. the logits.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func evaluate<S: EngineScalar>(_ logits: Tensor<S>, labels: ArraySlice<Int>, batchSize: Int) -> (sum: Double, gradient: Tensor<S>) {
        let n = logits.shape[0], k = logits.shape[1]
        var gradient = Tensor<S>(zeros: [n, k])
        var sum = 0.0
        for i in 0..<n {
            let y = labels[labels.startIndex + i]
            let row = logits.scalars[(i * k)..<((i + 1) * k)]
            switch self {
            case .crossEntropy:
                let p = Probabilities.softmax(row)
                let (loss, rest) = Self.crossEntropy(p, label: y)
                sum += loss
                for j in 0..<k { gradient.scalars[i * k + j] = S((j == y ? -rest : p[j]) / Double(batchSize)) }
            case .mse:
                for j in 0..<k {
                    let diff = Double(row[row.startIndex + j]) - (j == y ? 1 : 0)
                    sum += diff * diff / Double(k)
                    gradient.scalars[i * k + j] = S(2 * diff / Double(batchSize * k))
                }
            }
        }
        return (sum, gradient)
    }

    /// −log p_y and 1 − p_y, the latter as the sum of the other probabilities: a confident
    /// sample's loss and gradient keep their digits (1 − p_y by subtraction loses them).
    static func crossEntropy(_ p: [Double], label y: Int) -> (loss: Double, rest: Double) {
        let rest = p.indices.reduce(0.0) { $1 == y ? $0 : $0 + p[$1] }
        let loss = rest < 0.5 ? -Foundation_log1p(-rest) : -Foundation_log(max(p[y], .leastNonzeroMagnitude))
        return (loss, rest)
    }
}
