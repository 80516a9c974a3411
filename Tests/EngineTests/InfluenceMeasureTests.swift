import XCTest
@testable import Engine

/// FI, FI_ref, the Jacobian norm and Cook's local influence at sample level against the golden
/// numbers, and the facts of MATH.md §1.1 on golden and random Jacobians.
final class InfluenceMeasureTests: XCTestCase {
    private struct Sample {
        var geometry: OutputGeometry
        var jacobian: [Double]  // K×D
    }

    private func samples<S: EngineScalar>(_ name: String, _: S.Type) throws -> [Sample] {
        let model = try Golden.model(name)
        let network = Network<S>(model)
        let x: Tensor<S> = try Golden.inputs(name)
        let logits = network.logits(x), jacobian = network.inputJacobians(x, threads: 2)
        let (k, d) = (model.classes, model.inputCount)
        return (0..<x.shape[0]).map { s in
            Sample(geometry: OutputGeometry(logits: logits.scalars[(s * k)..<((s + 1) * k)]),
                   jacobian: jacobian.scalars[(s * k * d)..<((s + 1) * k * d)].map { Double($0) })
        }
    }

    func testSampleInfluenceMatchesGoldenInBothLabelModesAndPrecisions() throws {
        for name in Golden.networkCases {
            let expected = try Golden.json(name, "expected.json")
            let d = expected["d"] as! Int
            for (precision, tolerance) in [("Double", 1e-9), ("Float", 1e-3)] {
                let all = precision == "Double" ? try samples(name, Double.self) : try samples(name, Float.self)
                for mode in ["true", "predicted"] {
                    let golden = (expected["sample_influence"] as! [String: [String: Any]])[mode]!
                    let labels = golden["y"] as! [Int]
                    let cook = (expected["cook"] as? [String: [Double]])?[mode]
                    for (s, sample) in all.enumerated() {
                        let y = labels[s], place = "\(name) \(precision) \(mode) sample \(s)"
                        let exact = InfluenceMeasure.exact(jacobian: sample.jacobian, columns: d, geometry: sample.geometry, label: y)
                        let reference = InfluenceMeasure.reference(jacobian: sample.jacobian, columns: d, geometry: sample.geometry, label: y, epsilon: 1e-3)
                        let jn = InfluenceMeasure.gradientNorm(jacobian: sample.jacobian, columns: d, geometry: sample.geometry, label: y)
                        assertRelative(exact.fi, (golden["fi"] as! [Double])[s], tolerance, "\(place) fi")
                        assertRelative(reference.fi, (golden["fi_reference"] as! [Double])[s], tolerance, "\(place) fi_reference")
                        assertRelative(jn, (golden["jacobian_norm"] as! [Double])[s], tolerance, "\(place) jacobian_norm")
                        assertRelative(sample.geometry.p[y], (golden["p_y"] as! [Double])[s], tolerance, "\(place) p_y")
                        assertRelative(exact.fi / sample.geometry.bound(label: y), (golden["saturation"] as! [Double])[s], tolerance, "\(place) saturation")
                        XCTAssertEqual(exact.rank, (golden["rank"] as! [Int])[s], "\(place) rank")
                        XCTAssertEqual(reference.rank, (golden["rank_reference"] as! [Int])[s], "\(place) rank_reference")
                        if let cook {
                            let value = CookInfluence.maximum(jacobian: sample.jacobian, columns: d, geometry: sample.geometry, label: y)
                            assertRelative(value, cook[s], tolerance, "\(place) cook")
                        }
                    }
                }
            }
        }
    }

    func testGramRouteAgreesWithTheSVDRoute() throws {
        for name in Golden.networkCases {
            let d = try Golden.json(name, "expected.json")["d"] as! Int
            for sample in try samples(name, Double.self) {
                let k = sample.geometry.k
                let gram = gramMatrix(sample.jacobian, k: k, m: d)
                for y in [sample.geometry.predicted, (sample.geometry.predicted + 1) % k] {
                    let svd = InfluenceMeasure.exact(jacobian: sample.jacobian, columns: d, geometry: sample.geometry, label: y)
                    let eig = InfluenceMeasure.exact(gram: gram, geometry: sample.geometry, label: y)
                    assertRelative(eig.fi, svd.fi, 1e-6, "\(name) exact")
                    let svdRef = InfluenceMeasure.reference(jacobian: sample.jacobian, columns: d, geometry: sample.geometry, label: y, epsilon: 1e-3)
                    let eigRef = InfluenceMeasure.reference(gram: gram, geometry: sample.geometry, label: y, epsilon: 1e-3)
                    assertRelative(eigRef.fi, svdRef.fi, 1e-6, "\(name) reference")
                }
            }
        }
    }

    /// Bound, saturation, monotonicity in S, invariance under rescaling, and the m = 1 closed form,
    /// on random Jacobians and logits.
    func testPropertiesOnRandomJacobians() {
        var generator = SeededGenerator(seed: 77)
        for trial in 0..<40 {
            let k = 2 + trial % 9, m = 1 + trial % 23
            let logits = (0..<k).map { _ in 4 * generator.normal() }
            let geometry = OutputGeometry(logits: logits)
            let j = (0..<(k * m)).map { _ in generator.normal() }
            let y = trial % k
            let full = InfluenceMeasure.exact(jacobian: j, columns: m, geometry: geometry, label: y)
            let bound = geometry.bound(label: y)
            XCTAssertGreaterThanOrEqual(full.fi, 0)
            XCTAssertLessThanOrEqual(full.fi, bound * (1 + 1e-9), "trial \(trial)")
            if m >= k - 1 { XCTAssertEqual(full.fi / bound, 1, accuracy: 1e-6, "saturated when J_S spans √p⊥, trial \(trial)") }

            // Monotone: the first m − 1 columns never give more.
            if m > 1 {
                let fewer = (0..<k).flatMap { a in j[(a * m)..<(a * m + m - 1)] }
                let part = InfluenceMeasure.exact(jacobian: Array(fewer), columns: m - 1, geometry: geometry, label: y)
                XCTAssertLessThanOrEqual(part.fi, full.fi * (1 + 1e-6) + 1e-300, "trial \(trial)")
            }

            // Rescaling the perturbed coordinates (pixels in 0–1 instead of 0–255) changes JN, not FI.
            let scaled = j.map { $0 * 255 }
            let again = InfluenceMeasure.exact(jacobian: scaled, columns: m, geometry: geometry, label: y)
            assertRelative(again.fi, full.fi, 1e-9, "invariance, trial \(trial)")
            let jn = InfluenceMeasure.gradientNorm(jacobian: j, columns: m, geometry: geometry, label: y)
            assertRelative(InfluenceMeasure.gradientNorm(jacobian: scaled, columns: m, geometry: geometry, label: y), 255 * jn, 1e-12, "JN scales")

            // m = 1: the closed form.
            let column = (0..<k).map { j[$0 * m] }
            let single = InfluenceMeasure.exact(jacobian: column, columns: 1, geometry: geometry, label: y)
            assertRelative(single.fi, InfluenceMeasure.singleCoordinate(column: column, geometry: geometry, label: y), 1e-8, "m = 1, trial \(trial)")
        }
    }

    private func gramMatrix(_ j: [Double], k: Int, m: Int) -> [Double] {
        var a = [Double](repeating: 0, count: k * k)
        for r in 0..<k { for c in 0..<k { a[r * k + c] = (0..<m).reduce(0) { $0 + j[r * m + $1] * j[c * m + $1] } } }
        return a
    }

    private func assertRelative(_ actual: Double, _ expected: Double, _ tolerance: Double, _ what: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        let scale = max(abs(expected), abs(actual))
        guard scale > 0 else { return }
        XCTAssertLessThanOrEqual(abs(actual - expected), tolerance * scale, "\(what): \(actual) vs \(expected)", file: file, line: line)
    }
}

/// Per-layer parameter FI from the Gram matrices reduced inside the backward pass, against the
/// golden `param_influence.json` (label mode `true`, every layer and `all`).
final class ParameterInfluenceTests: XCTestCase {
    func testLayerInfluenceMatchesGolden() throws {
        for name in Golden.networkCases {
            let model = try Golden.model(name)
            let golden = try Golden.json(name, "param_influence.json")
            let layers = golden["layers"] as! [[String: Any]]
            let labels = golden["y"] as! [Int]
            let x: Tensor<Double> = try Golden.inputs(name)
            let network = Network<Double>(model)
            let grams = network.parameterGrams(x, threads: 2)
            let logits = network.logits(x)
            let k = model.classes
            for s in 0..<x.shape[0] {
                let geometry = OutputGeometry(logits: logits.scalars[(s * k)..<((s + 1) * k)])
                for (l, layer) in layers.enumerated() {
                    let offset = (s * layers.count + l) * k * k
                    let gram = Array(grams.scalars[offset..<(offset + k * k)])
                    let exact = InfluenceMeasure.exact(gram: gram, geometry: geometry, label: labels[s])
                    let reference = InfluenceMeasure.reference(gram: gram, geometry: geometry, label: labels[s], epsilon: 1e-3)
                    let place = "\(name) \(layer["name"]!) sample \(s)"
                    let (fi, fiRef) = ((layer["fi"] as! [Double])[s], (layer["fi_reference"] as! [Double])[s])
                    XCTAssertEqual(exact.fi, fi, accuracy: 1e-6 * max(fi, 1e-300), place)
                    XCTAssertEqual(reference.fi, fiRef, accuracy: 1e-6 * max(fiRef, 1e-300), place)
                    XCTAssertEqual(exact.rank, (layer["rank"] as! [Int])[s], place)
                    XCTAssertEqual(reference.rank, (layer["rank_reference"] as! [Int])[s], place)
                }
            }
        }
    }
}
