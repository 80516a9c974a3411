import XCTest
@testable import Engine

/// Reverse mode on the golden models against finite differences, and the batched backward's adjoint identity.
final class GoldenGradientTests: XCTestCase {
    /// The first golden inputs nudged off exact MaxPool ties and ReLU kinks: finite differences
    /// need a smooth piece around the point wider than the steps where rounding is negligible.
    private func nudgedInputs(_ name: String) throws -> Tensor<Double> {
        let x: Tensor<Double> = try Golden.inputs(name).items(0..<4)
        let noise = randomTensor(x.shape, seed: 12, low: 0.1, high: 0.5)
        return Tensor(shape: x.shape, scalars: zip(x.scalars, noise.scalars).map { $0 + $1 })
    }

    func testFiniteDifferencesOnGoldenModels() throws {
        // One sample at a time: fewer units near a kink leave wider smooth pieces, so the
        // differences can use steps where rounding of the logits is negligible.
        for name in Golden.networkCases {
            let model = try Golden.model(name), inputs = try nudgedInputs(name)
            for sample in 0..<3 {
                GradientCheck().run(model, input: inputs.items(sample..<(sample + 1)), seed: 5 + UInt64(sample))
            }
        }
    }

    /// ⟨Jᵀw, v⟩ = ⟨w, J v⟩ for a batch of cotangents w, with J v by central differences, and the
    /// batched pass equals one pass per cotangent.
    func testBatchedBackwardIsTheAdjoint() throws {
        for name in Golden.networkCases {
            let model = try Golden.model(name)
            let network = Network<Double>(model)
            let x = try nudgedInputs(name).items(0..<2)
            let k = model.classes, r = 4
            let seeds = randomTensor([2 * r, k], seed: 9)
            let batched = network.backward(network.forward(x), seed: seeds, replication: r).input!
            let v = randomTensor([1] + model.inputShape, seed: 10)
            let h = 1e-5
            for sample in 0..<2 {
                let xs = x.items(sample..<(sample + 1))
                let plus = network.logits(Tensor(shape: xs.shape, scalars: zip(xs.scalars, v.scalars).map { $0 + h * $1 }))
                let minus = network.logits(Tensor(shape: xs.shape, scalars: zip(xs.scalars, v.scalars).map { $0 - h * $1 }))
                let jv = zip(plus.scalars, minus.scalars).map { ($0 - $1) / (2 * h) }
                for c in (sample * r)..<((sample + 1) * r) {
                    let w = Array(seeds.scalars[(c * k)..<((c + 1) * k)])
                    let g = Array(batched.scalars[(c * model.inputCount)..<((c + 1) * model.inputCount)])
                    let lhs = dot(g, v.scalars), rhs = dot(w, jv)
                    XCTAssertEqual(lhs, rhs, accuracy: 1e-6 * max(abs(lhs), abs(rhs), 1e-12), "\(name) cotangent \(c)")
                    let single = network.backward(network.forward(xs), seed: Tensor(shape: [1, k], scalars: w)).input!
                    for i in 0..<model.inputCount {
                        XCTAssertEqual(single.scalars[i], g[i], accuracy: 1e-12 * max(1, abs(g[i])), "\(name) batched vs single")
                    }
                }
            }
        }
    }
}
