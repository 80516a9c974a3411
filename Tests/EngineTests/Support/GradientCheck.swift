import XCTest
@testable import Engine

/// Central finite differences in Double against reverse mode, for the input and every parameter
/// tensor, along seeded random directions of f = Σ w ⊙ logits.
struct GradientCheck {
    var tolerance = 1e-6
    var step = 1e-5

    func run(_ model: Model, input: Tensor<Double>, seed: UInt64 = 1, file: StaticString = #filePath, line: UInt = #line) {
        var network = Network<Double>(model)
        let n = input.shape[0], k = model.classes
        let weights = randomTensor([n, k], seed: seed)
        let objective = { (net: Network<Double>, x: Tensor<Double>) in dot(net.logits(x).scalars, weights.scalars) }
        let grads = network.backward(network.forward(input), seed: weights, input: true,
                                     parameters: .sum(Set(model.parameters.indices)))

        let v = randomTensor(input.shape, seed: seed + 1)
        let fd = (objective(network, shifted(input, v, step)) - objective(network, shifted(input, v, -step))) / (2 * step)
        assertClose(dot(grads.input!.scalars, v.scalars), fd, "input", file: file, line: line)

        for p in model.parameters.indices {
            let u = randomTensor(model.parameters[p].shape, seed: seed + 2 + UInt64(p))
            let original = network.parameters[p]
            network.parameters[p] = shifted(original, u, step)
            let plus = objective(network, input)
            network.parameters[p] = shifted(original, u, -step)
            let minus = objective(network, input)
            network.parameters[p] = original
            assertClose(dot(grads.parameters[p]!.scalars, u.scalars), (plus - minus) / (2 * step),
                        "parameter \(model.parameters[p].name)", file: file, line: line)
        }
    }

    private func shifted(_ t: Tensor<Double>, _ d: Tensor<Double>, _ h: Double) -> Tensor<Double> {
        Tensor(shape: t.shape, scalars: zip(t.scalars, d.scalars).map { $0 + h * $1 })
    }

    private func assertClose(_ analytic: Double, _ numeric: Double, _ what: String, file: StaticString, line: UInt) {
        let error = abs(analytic - numeric) / max(abs(analytic), abs(numeric), 1e-12)
        XCTAssertLessThanOrEqual(error, tolerance, "\(what): reverse mode \(analytic), finite differences \(numeric)", file: file, line: line)
    }
}
