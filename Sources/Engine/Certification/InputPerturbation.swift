import Foundation
import Protocol

/// Draws one random perturbation of every sample's input: uniform in the ℓ∞ ball of radius ε,
/// uniform in the ℓ2 ball (a Gaussian direction, radius ε·U^(1/d)), or Gaussian with standard
/// deviation ε per coordinate; then clipped to the data's valid range.
enum InputPerturbation {
    static func apply<S: EngineScalar>(_ images: Tensor<S>, noise: WeightNoise, norm: InputNorm, epsilon: Double,
                                       validRange: ClosedRange<Double>, generator: inout SeededGenerator) -> Tensor<S> {
        guard epsilon > 0 else { return images }
        let d = images.itemCount, n = images.shape[0]
        var values = images.scalars
        var step = [Double](repeating: 0, count: d)
        for i in 0..<n {
            switch (noise, norm) {
            case (.gaussian, _):
                for j in 0..<d { step[j] = epsilon * generator.normal() }
            case (_, .linf):
                for j in 0..<d { step[j] = epsilon * (2 * generator.unit() - 1) }
            case (_, .l2):
                for j in 0..<d { step[j] = generator.normal() }
                let length = step.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let radius = epsilon * Foundation.pow(generator.unit(), 1 / Double(d))
                for j in 0..<d { step[j] *= length > 0 ? radius / length : 0 }
            }
            for j in 0..<d {
                let moved = Double(values[i * d + j]) + step[j]
                values[i * d + j] = S(Swift.min(Swift.max(moved, validRange.lowerBound), validRange.upperBound))
            }
        }
        return Tensor(shape: images.shape, scalars: values)
    }
}
