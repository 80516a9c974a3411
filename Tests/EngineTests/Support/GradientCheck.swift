import XCTest
@testable import Engine

/// Central finite differences in Double against reverse mode, for the input and every parameter
/// tensor, along seeded random directions of f = Σ w ⊙ logits.
///
/// Every op is smooth except at kinks (ReLU at 0, Clip at its bounds, ties of a max-pool), so
/// along a direction the objective is smooth between kinks. The difference uses the largest
/// step of {1e-2 … 1e-6} whose ends keep the kink pattern of the base point — rounding of f
/// shrinks as the step grows — and is Richardson-extrapolated from steps h and h/2, so that the
/// curvature of sigmoid, tanh and softmax costs O(h⁴) only. With a kink close on one side, the
/// second-order one-sided difference on the other side is used (exact on a linear piece).
struct GradientCheck {
    var tolerance = 1e-6
    /// `.training` checks BatchNorm with batch statistics (the objective then couples the samples).
    var mode: ForwardMode = .inference

    func run(_ model: Model, input: Tensor<Double>, seed: UInt64 = 1, file: StaticString = #filePath, line: UInt = #line) {
        var network = Network<Double>(model)
        let n = input.shape[0], k = model.classes
        let weights = randomTensor([n, k], seed: seed)
        let grads = network.backward(network.forward(input, mode: mode), seed: weights, input: true,
                                     parameters: .sum(Set(model.parameters.indices)))

        let v = randomTensor(input.shape, seed: seed + 1)
        let alongInput = Direction(model: model) { h in network.forward(shifted(input, v, h), mode: mode) }
        assertClose(dot(grads.input!.scalars, v.scalars), alongInput.derivative(weights), "input", file: file, line: line)

        for p in model.parameters.indices {
            let u = randomTensor(model.parameters[p].shape, seed: seed + 2 + UInt64(p))
            let original = network.parameters[p]
            let alongParameter = Direction(model: model) { h in
                var moved = network
                moved.parameters[p] = shifted(original, u, h)
                return moved.forward(input, mode: mode)
            }
            assertClose(dot(grads.parameters[p]!.scalars, u.scalars), alongParameter.derivative(weights),
                        "parameter \(model.parameters[p].name)", file: file, line: line)
        }
    }

    private func shifted(_ t: Tensor<Double>, _ d: Tensor<Double>, _ h: Double) -> Tensor<Double> {
        Tensor(shape: t.shape, scalars: zip(t.scalars, d.scalars).map { $0 + h * $1 })
    }

    private func assertClose(_ analytic: Double, _ numeric: Double?, _ what: String, file: StaticString, line: UInt) {
        guard let numeric else {
            XCTFail("\(what): every step crosses a kink; choose another input", file: file, line: line)
            return
        }
        let error = abs(analytic - numeric) / max(abs(analytic), abs(numeric), 1e-12)
        XCTAssertLessThanOrEqual(error, tolerance, "\(what): reverse mode \(analytic), finite differences \(numeric)", file: file, line: line)
    }
}

/// The forward pass along a line `h ↦ pass(base + h·direction)`.
struct Direction {
    var model: Model
    var pass: (Double) -> ForwardPass<Double>

    func derivative(_ weights: Tensor<Double>) -> Double? {
        let base = kinkPattern(pass(0), model)
        let f = { (h: Double) -> (value: Double, pattern: [Int32]) in
            let p = pass(h)
            return (dot(p.logits.scalars, weights.scalars), kinkPattern(p, model))
        }
        let origin = f(0).value
        for h in [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6] {
            let (plus, halfPlus, minus, halfMinus) = (f(h), f(h / 2), f(-h), f(-h / 2))
            let forward = plus.pattern == base && halfPlus.pattern == base
            let backward = minus.pattern == base && halfMinus.pattern == base
            if forward && backward {
                let wide = (plus.value - minus.value) / (2 * h)
                let narrow = (halfPlus.value - halfMinus.value) / h
                return (4 * narrow - wide) / 3
            }
            // A kink on one side only: the second-order one-sided difference on the other.
            if forward { return (4 * halfPlus.value - plus.value - 3 * origin) / h }
            if backward { return -(4 * halfMinus.value - minus.value - 3 * origin) / h }
        }
        return nil
    }
}

/// Which side of every kink a pass is on: the sign of each ReLU/LeakyReLU input, the position
/// relative to Clip bounds, and every max-pool's chosen element.
func kinkPattern(_ pass: ForwardPass<Double>, _ model: Model) -> [Int32] {
        var pattern: [Int32] = []
        for (k, node) in model.nodes.enumerated() {
            if case .indices(let chosen)? = pass.memos[k] { pattern += chosen }
            guard case .activation(let op) = node.operation, case .activation(let a) = node.inputs[0],
                  let x = pass.values[a] else { continue }
            switch op.function {
            case .relu, .leakyRelu: pattern += x.scalars.map { $0 > 0 ? 1 : 0 }
            case .clip(let lo, let hi): pattern += x.scalars.map { $0 < lo ? 0 : ($0 > hi ? 2 : 1) }
            case .sigmoid, .tanh: break
            }
        }
        return pattern
}
