import Foundation
@testable import Engine
import Protocol
import XCTest

/// Certified margins by interval bound propagation with interval weights (MATH.md §2): the
/// golden bounds, and soundness against sampled perturbations.
final class CertificationTests: XCTestCase {
    private func bounds(_ network: Network<Double>, _ selection: PerturbedParameters, epsilon: Double, noise: WeightNoise = .uniform,
                        inputs: Tensor<Double>) throws -> Interval {
        let radii = selection.radii(network, noise: noise, epsilon: epsilon)!
        return try IntervalPropagation(network: network, radii: radii).logitBounds(Interval(point: inputs))
    }

    func testGoldenLogitBoundsAndCertifiedFlags() throws {
        for name in ["mlp_digits", "cnn_digits"] {
            let model = try Golden.model(name)
            let network = Network<Double>(model)
            let inputs: Tensor<Double> = try Golden.inputs(name)
            let labels = try Golden.doubles(name, "labels.npy").map { Int($0) }
            let golden = try Golden.json(name, "weight_sweep.json")
            let variants = golden["variants"] as! [String: [String: [String: Any]]]
            let k = model.classes
            for (variant, weightsOnly) in [("weights", true), ("weights_and_biases", false)] {
                let selection = try PerturbedParameters.select(model, layers: nil, weightsOnly: weightsOnly)
                let expectedNames = Set((golden["perturbed"] as! [String: [String]])[variant]!)
                XCTAssertEqual(Set(selection.indices.map { model.parameters[$0].name }), expectedNames, "\(name) \(variant)")
                for epsilon in golden["epsilons"] as! [Double] {
                    let key = String(format: "%g", epsilon)
                    let expected = variants[variant]![key]!
                    let bound = try bounds(network, selection, epsilon: epsilon, inputs: inputs)
                    let lower = (expected["logits_lower"] as! [[Double]]).flatMap { $0 }
                    let upper = (expected["logits_upper"] as! [[Double]]).flatMap { $0 }
                    let scale = zip(lower, upper).map { $1 - $0 }.max()! + upper.map(abs).max()!
                    for i in lower.indices {
                        XCTAssertEqual(bound.lower.scalars[i], lower[i], accuracy: 1e-4 * scale, "\(name) \(variant) ε=\(key) lower[\(i)]")
                        XCTAssertEqual(bound.upper.scalars[i], upper[i], accuracy: 1e-4 * scale, "\(name) \(variant) ε=\(key) upper[\(i)]")
                    }
                    let certified = CertifiedMargins.lowerBounds(bound, labels: labels, classes: k).map { $0 > 0 }
                    XCTAssertEqual(certified, expected["certified"] as! [Bool], "\(name) \(variant) ε=\(key)")
                }
            }
        }
    }

    /// Random models of every op the bounds cover, random inputs and perturbations inside the
    /// ε-box (corners and interior): every logit stays inside its bounds and no certified sample
    /// changes its prediction — 10,120 draws (most on the MLP: convolutions are slow in debug builds).
    func testNoSampledPerturbationEscapesTheBoundsOrFlipsACertifiedSample() throws {
        var generator = SeededGenerator(seed: 2024)
        var draws = 0, certifiedSeen = 0
        var escapes: [String] = [], flips: [String] = []
        let cases: [(String, [Int], [Double], draws: Int)] = [
            ("small mlp", [1, 6, 6], [1e-4, 1e-3, 1e-2], 810), ("cnn", [1, 8, 8], [1e-4, 1e-3, 5e-3], 20), ("resnet", [2, 8, 8], [1e-4, 1e-3], 20),
        ]
        for (architecture, shape, epsilons, drawsPerBound) in cases {
            let model = try Self.model(architecture, shape: shape, seed: generator.next())
            let network = Network<Double>(model)
            let n = 6
            let x = Tensor<Double>(shape: [n] + shape, scalars: (0..<(n * shape.reduce(1, *))).map { _ in generator.unit() * 2 - 1 })
            let clean = network.logits(x).scalars
            let predicted = (0..<n).map { i in (0..<5).max { clean[i * 5 + $0] < clean[i * 5 + $1] }! }
            for weightsOnly in [true, false] {
                let selection = try PerturbedParameters.select(model, layers: nil, weightsOnly: weightsOnly)
                for epsilon in epsilons {
                    for noise in [WeightNoise.uniform, .relative] {
                        let bound = try bounds(network, selection, epsilon: epsilon, noise: noise, inputs: x)
                        let certified = CertifiedMargins.lowerBounds(bound, labels: predicted, classes: 5).map { $0 > 0 }
                        certifiedSeen += certified.filter { $0 }.count
                        let radii = selection.radii(network, noise: noise, epsilon: epsilon)!
                        for draw in 0..<drawsPerBound {
                            var perturbed = network
                            for (p, radius) in radii {
                                // Half the draws at the corners of the box, half inside it.
                                perturbed.parameters[p] = network.parameters[p].zipped(radius) { w, r in
                                    w + r * (draw % 2 == 0 ? (generator.next() & 1 == 0 ? -1 : 1) : generator.unit() * 2 - 1)
                                }
                            }
                            let z = perturbed.logits(x).scalars
                            for i in 0..<(n * 5) {
                                let slack = 1e-9 * (1 + abs(z[i]))
                                if z[i] < bound.lower.scalars[i] - slack || z[i] > bound.upper.scalars[i] + slack {
                                    escapes.append("\(architecture) ε=\(epsilon) \(noise) logit \(i): \(z[i]) outside [\(bound.lower.scalars[i]), \(bound.upper.scalars[i])]")
                                }
                            }
                            for i in 0..<n where certified[i] {
                                let argmax = (0..<5).max { z[i * 5 + $0] < z[i * 5 + $1] }!
                                if argmax != predicted[i] { flips.append("\(architecture) ε=\(epsilon) \(noise) sample \(i)") }
                            }
                            draws += 1
                        }
                    }
                }
            }
        }
        XCTAssertEqual(escapes, [], "logits outside their bounds")
        XCTAssertEqual(flips, [], "certified samples that flipped")
        XCTAssertGreaterThanOrEqual(draws, 10_000)
        XCTAssertGreaterThan(certifiedSeen, 0, "the test must see certified samples")
    }

    /// A zoo model, or an MLP small enough that thousands of draws stay quick in a debug build.
    private static func model(_ name: String, shape: [Int], seed: UInt64) throws -> Model {
        guard name == "small mlp" else {
            return try ModelLoader.build(ModelZoo.build(.init(architecture: Architecture(rawValue: name)!, inputShape: shape, classes: 5, seed: seed)))
        }
        var g = GraphAssembler(seed: seed)
        let hidden = g.relu(g.gemm(g.relu(g.gemm(g.flatten("input"), shape.reduce(1, *), 16)), 16, 8))
        let spec = ModelZoo.Specification(architecture: .mlp, inputShape: shape, classes: 5, seed: seed)
        let logits = g.gemm(hidden, 8, 5)
        return try ModelLoader.build(ModelZoo.model(g, spec, logits: logits))
    }

    func testUnknownLayersAreNamedWithTheValidOnes() throws {
        let model = try Golden.model("cnn_digits")
        XCTAssertThrowsError(try PerturbedParameters.select(model, layers: ["conv9"], weightsOnly: false)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("conv9"), text)
            for layer in PerturbedParameters.perturbableLayers(of: model) { XCTAssertTrue(text.contains(layer.name), text) }
        }
    }
}
