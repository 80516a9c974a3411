import Protocol

/// The one-pixel check (MATH.md §1.3): move one input coordinate toward lower log p_ŷ, within
/// the data's valid range, and find the smallest move that changes the prediction.
struct OnePixelSearch<S: EngineScalar> {
    let network: Network<S>
    let validRange: ClosedRange<Double>
    /// Moves tried on the first pass, as fractions of the room to the range's edge; the flip
    /// found is then narrowed by a second, finer pass.
    let steps = 32

    /// `gradient[d]` = ∂ log p_ŷ / ∂x_d; `x` is the sample (C·H·W values).
    func attempt(x: [S], coordinate d: Int, gradient g: Double, predicted: Int) -> OnePixelCheck.Attempt {
        // Toward lower log p_ŷ; with no gradient, toward the farther edge.
        let up = g < 0 || (g == 0 && validRange.upperBound - Double(x[d]) >= Double(x[d]) - validRange.lowerBound)
        let room = up ? validRange.upperBound - Double(x[d]) : Double(x[d]) - validRange.lowerBound
        guard room > 0 else { return .init(coordinate: d, flipped: false, magnitude: nil, newPrediction: predicted) }
        let coarse = (1...steps).map { room * Double($0) / Double(steps) }
        let coarsePredictions = predictions(x: x, coordinate: d, up: up, magnitudes: coarse)
        guard let first = coarsePredictions.firstIndex(where: { $0 != predicted }) else {
            return .init(coordinate: d, flipped: false, magnitude: nil, newPrediction: coarsePredictions.last!)
        }
        let low = first == 0 ? 0 : coarse[first - 1], high = coarse[first]
        let fine = (1...steps).map { low + (high - low) * Double($0) / Double(steps) }
        let finePredictions = predictions(x: x, coordinate: d, up: up, magnitudes: fine)
        let flip = finePredictions.firstIndex { $0 != predicted } ?? (steps - 1)
        return .init(coordinate: d, flipped: true, magnitude: fine[flip], newPrediction: finePredictions[flip])
    }

    private func predictions(x: [S], coordinate d: Int, up: Bool, magnitudes: [Double]) -> [Int] {
        let size = x.count
        var batch = [S](repeating: 0, count: magnitudes.count * size)
        for (n, t) in magnitudes.enumerated() {
            for e in 0..<size { batch[n * size + e] = x[e] }
            let moved = Double(x[d]) + (up ? t : -t)
            batch[n * size + d] = S(min(max(moved, validRange.lowerBound), validRange.upperBound))
        }
        let shape = [magnitudes.count] + network.model.inputShape
        let z = network.logits(Tensor(shape: shape, scalars: batch))
        let k = network.model.classes
        return (0..<magnitudes.count).map { Probabilities.argmax(z.scalars[($0 * k)..<(($0 + 1) * k)]) }
    }
}
