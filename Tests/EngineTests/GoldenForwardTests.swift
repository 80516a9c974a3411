import XCTest
@testable import Engine

/// Logits, probabilities and input Jacobians against the golden numbers, in Float and Double.
final class GoldenForwardTests: XCTestCase {
    func testLogitsAndProbabilitiesMatchGolden() throws {
        for name in Golden.networkCases {
            let model = try Golden.model(name)
            let expectedLogits = try Golden.doubles(name, "logits.npy")
            let expectedProbs = try Golden.doubles(name, "probs.npy")
            let k = model.classes
            try check(name, Network<Float>(model).logits(Golden.inputs(name)), expectedLogits, expectedProbs, k)
            try check(name, Network<Double>(model).logits(Golden.inputs(name)), expectedLogits, expectedProbs, k)
        }
    }

    private func check<S: EngineScalar>(_ name: String, _ logits: Tensor<S>, _ z: [Double], _ p: [Double], _ k: Int) {
        XCTAssertEqual(logits.shape, [8, k], name)
        for s in 0..<8 {
            let row = z[(s * k)..<((s + 1) * k)]
            let scale = row.map(abs).max()!
            let probs = Probabilities.softmax(logits.scalars[(s * k)..<((s + 1) * k)])
            for j in 0..<k {
                XCTAssertEqual(Double(logits.scalars[s * k + j]), z[s * k + j], accuracy: 1e-4 * scale, "\(name) \(S.self) logits[\(s), \(j)]")
                XCTAssertEqual(probs[j], p[s * k + j], accuracy: 1e-4 * p[s * k + j], "\(name) \(S.self) probs[\(s), \(j)]")
            }
        }
    }

    func testInputJacobiansMatchGolden() throws {
        for name in Golden.networkCases {
            let model = try Golden.model(name)
            let expected = try Golden.doubles(name, "jacobian_input.npy")
            let float = Network<Float>(model).inputJacobians(try Golden.inputs(name), threads: 2)
            let double = Network<Double>(model).inputJacobians(try Golden.inputs(name), threads: 1)
            assertJacobian(float, expected, name)
            assertJacobian(double, expected, name)
        }
    }

    func assertJacobian<S: EngineScalar>(_ j: Tensor<S>, _ expected: [Double], _ name: String) {
        let perSample = j.count / 8
        XCTAssertEqual(j.count, expected.count, name)
        for s in 0..<8 {
            let slice = expected[(s * perSample)..<((s + 1) * perSample)]
            let scale = slice.map(abs).max()!
            let worst = (0..<perSample).map { abs(Double(j.scalars[s * perSample + $0]) - slice[slice.startIndex + $0]) }.max()!
            XCTAssertLessThanOrEqual(worst, 1e-3 * scale, "\(name) \(S.self) sample \(s): max error \(worst) of \(scale)")
        }
    }

    func testGoldenModelStructure() throws {
        let expected: [String: (ops: [String], parameters: Int, opset: Int, logits: String)] = [
            "mlp_digits": (["Flatten", "Gemm", "Relu"], 2410, 17, "logits"),
            "cnn_digits": (["Add", "BatchNormalization", "Conv", "Flatten", "Gemm", "GlobalAveragePool", "MaxPool", "Relu"], 0, 17, ""),
            "dense_rgb": (["AveragePool", "BatchNormalization", "Concat", "Conv", "Gemm", "Relu", "Reshape"], 5834, 20, "linear"),
        ]
        for name in Golden.networkCases {
            let model = try Golden.model(name)
            let info = try Golden.json(name, "model.json")
            XCTAssertEqual(model.parameterCount, info["n_trainable_parameters"] as? Int, name)
            XCTAssertEqual(model.opset, info["opset"] as? Int, name)
            XCTAssertEqual(model.logitsName, info["logits_tensor"] as? String, name)
            XCTAssertEqual(model.finalActivation, info["final_softmax"] as? String, name)
            XCTAssertEqual(Set(model.opTypes), Set(expected[name]!.ops), name)
            // Layers and parameters are in graph order, as param_influence.json lists them.
            let layout = try Golden.json(name, "param_influence.json")["parameter_layout"] as! [[String: Any]]
            XCTAssertEqual(model.parameters.map(\.name), layout.map { $0["name"] as! String }, name)
            let layers = (try Golden.json(name, "param_influence.json")["layers"] as! [[String: Any]]).dropLast()
            XCTAssertEqual(model.layers.map(\.name), layers.map { $0["name"] as! String }, name)
        }
    }
}

/// Per-layer Gram matrices reduced inside the backward pass, against the golden `param_grams.npy`.
final class GoldenGramTests: XCTestCase {
    func testParameterGramsMatchGolden() throws {
        for name in Golden.networkCases {
            let model = try Golden.model(name)
            let expected = try Golden.array(name, "param_grams.npy")  // (L+1, N, K, K)
            let values = expected.tensor(Double.self).scalars
            let (layers, n, k) = (expected.shape[0], expected.shape[1], expected.shape[2])
            XCTAssertEqual(layers, model.layers.count + 1, name)
            for (precision, grams) in [("Double", Network<Double>(model).parameterGrams(try Golden.inputs(name), threads: 2)),
                                       ("Float", Network<Float>(model).parameterGrams(try Golden.inputs(name), threads: 1).converted(to: Double.self))] {
                XCTAssertEqual(grams.shape, [n, layers, k, k], name)
                let tolerance = precision == "Double" ? 1e-9 : 1e-4
                for l in 0..<layers {
                    for s in 0..<n {
                        let golden = Array(values[((l * n + s) * k * k)..<((l * n + s + 1) * k * k)])
                        let ours = Array(grams.scalars[((s * layers + l) * k * k)..<((s * layers + l + 1) * k * k)])
                        let scale = golden.map(abs).max()!
                        let worst = zip(golden, ours).map { abs($0 - $1) }.max()!
                        XCTAssertLessThanOrEqual(worst, tolerance * scale, "\(name) \(precision) layer \(l) sample \(s)")
                    }
                }
            }
        }
    }
}
