import XCTest
@testable import Engine

/// Influence maps by prefix sums against the golden maps (every channel mode, exact and reference,
/// non-fragile entries) and against a brute-force per-window SVD on random Jacobians.
final class InfluenceMapTests: XCTestCase {
    func testMapsMatchGolden() throws {
        for name in Golden.networkCases {
            let model = try Golden.model(name)
            let expected = try Golden.json(name, "expected.json")
            let settings = expected["maps"] as! [String: Any]
            let modes = (settings["channel_modes"] as! [String]).compactMap(InfluenceMaps.ChannelMode.init(rawValue:))
            let scales = settings["scales"] as! [Int]
            let samples = settings["samples"] as! [Int]
            let network = Network<Double>(model)
            let x: Tensor<Double> = try Golden.inputs(name)
            let (k, d) = (model.classes, model.inputCount)
            for mode in modes {
                let maps = InfluenceMaps(inputShape: model.inputShape, scales: scales, mode: mode)
                for (variant, epsilon) in [("exact", nil), ("reference", 1e-3)] as [(String, Double?)] {
                    let golden = try Golden.doubles(name, "maps_\(variant)_\(mode.rawValue).npy")
                    let fragile = try Golden.array(name, "maps_\(variant)_\(mode.rawValue)_fragile.npy").integers!
                    let perSample = golden.count / samples.count
                    for (n, sample) in samples.enumerated() {
                        let xs = x.items(sample..<(sample + 1))
                        let logits = network.logits(xs).scalars
                        let geometry = OutputGeometry(logits: logits)
                        let jacobian = network.inputJacobians(xs, threads: 1).scalars
                        XCTAssertEqual(jacobian.count, k * d)
                        let ours = maps.compute(jacobian: jacobian, geometry: geometry, label: geometry.predicted, referenceEpsilon: epsilon)
                        XCTAssertEqual(ours.count, perSample, "\(name) \(mode) \(variant)")
                        let range = (n * perSample)..<((n + 1) * perSample)
                        let scale = golden[range].max()!
                        var checked = 0
                        for (i, g) in zip(range, golden[range]) where fragile[i] == 0 {
                            XCTAssertEqual(ours[i - range.lowerBound], g, accuracy: 1e-6 * scale, "\(name) \(mode) \(variant) sample \(sample) entry \(i - range.lowerBound)")
                            checked += 1
                        }
                        XCTAssertGreaterThan(checked, perSample / 2)
                    }
                }
            }
        }
    }

    func testPrefixSumsAgreeWithBruteForceWindows() {
        var generator = SeededGenerator(seed: 31)
        let (k, c, h, w) = (5, 2, 6, 7)
        let d = c * h * w
        let jacobian = (0..<(k * d)).map { _ in generator.normal() }
        let geometry = OutputGeometry(logits: (0..<k).map { _ in 2 * generator.normal() })
        for mode in InfluenceMaps.ChannelMode.allCases {
            let maps = InfluenceMaps(inputShape: [c, h, w], scales: [1, 3, 5], mode: mode)
            let fast = maps.compute(jacobian: jacobian, geometry: geometry, label: 1)
            for (s, scale) in [1, 3, 5].enumerated() {
                let half = (scale - 1) / 2
                for i in 0..<h {
                    for j in 0..<w {
                        let window = { (channels: [Int]) -> [Int] in
                            channels.flatMap { ch in (max(0, i - half)..<min(h, i + half + 1)).flatMap { r in
                                (max(0, j - half)..<min(w, j + half + 1)).map { col in (ch * h + r) * w + col } } }
                        }
                        let brute = { (columns: [Int]) -> Double in
                            let sub = (0..<k).flatMap { a in columns.map { jacobian[a * d + $0] } }
                            return InfluenceMeasure.exact(jacobian: sub, columns: columns.count, geometry: geometry, label: 1).fi
                        }
                        let expected: [Double]
                        switch mode {
                        case .separate: expected = (0..<c).map { brute(window([$0])) }
                        case .joint: expected = [brute(window(Array(0..<c)))]
                        case .mean: expected = [(0..<c).map { brute(window([$0])) }.reduce(0, +) / Double(c)]
                        }
                        for (ch, value) in expected.enumerated() {
                            let got = fast[((s * maps.mapChannels + ch) * h + i) * w + j]
                            XCTAssertEqual(got, value, accuracy: 1e-8 * max(1, value), "\(mode) scale \(scale) (\(ch), \(i), \(j))")
                        }
                    }
                }
            }
        }
    }
}
