/// Softmax or LogSoftmax over the last axis of each item (as inside a network; the engine's
/// probabilities for analysis are formed in Double from the logits, see `Probabilities`).
struct Softmax: Sendable {
    var logarithmic: Bool
    /// Length of the normalised (last) axis.
    var width: Int

    func forward<S: EngineScalar>(_ x: Tensor<S>) -> Tensor<S> {
        var y = x
        let rows = x.count / width
        for r in 0..<rows {
            let base = r * width
            var m = -S.infinity
            for j in 0..<width { m = max(m, x.scalars[base + j]) }
            var sum: S = 0
            for j in 0..<width { sum += S.exp(x.scalars[base + j] - m) }
            let logSum = S.log(sum)
            for j in 0..<width {
                let logP = x.scalars[base + j] - m - logSum
                y.scalars[base + j] = logarithmic ? logP : S.exp(logP)
            }
        }
        return y
    }

    func backward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>) -> [Tensor<S>?] {
        guard step.needs[0] != .none else { return [nil] }
        var dx = dy
        let rowsPerItem = step.output.itemCount / width
        let item = step.output.itemCount
        for c in 0..<dy.shape[0] {
            for r in 0..<rowsPerItem {
                let g = c * item + r * width, y = (c / step.replication) * item + r * width
                if logarithmic {  // dx = dy − softmax · Σ dy
                    var s: S = 0
                    for j in 0..<width { s += dy.scalars[g + j] }
                    for j in 0..<width { dx.scalars[g + j] = dy.scalars[g + j] - S.exp(step.output.scalars[y + j]) * s }
                } else {          // dx = y ⊙ (dy − ⟨dy, y⟩)
                    var s: S = 0
                    for j in 0..<width { s += dy.scalars[g + j] * step.output.scalars[y + j] }
                    for j in 0..<width { dx.scalars[g + j] = step.output.scalars[y + j] * (dy.scalars[g + j] - s) }
                }
            }
        }
        return [dx]
    }
}
