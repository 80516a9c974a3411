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

    /// The prefix-sum path against one SVD per window, on random Jacobians that exercise every
    /// route of `WindowSolver`: full-rank windows (certified), windows smaller than K − 1, a
    /// rank-2 Jacobian (every window rank-deficient), dead pixels, and a confident prediction
    /// whose small probabilities fall under the cut-off.
    func testPrefixSumsAgreeWithBruteForceWindows() {
        var generator = SeededGenerator(seed: 31)
        let (k, c, h, w) = (6, 2, 6, 7)
        let d = c * h * w
        let full = (0..<(k * d)).map { _ in generator.normal() }
        let basis = (0..<(2 * d)).map { _ in generator.normal() }, mix = (0..<(k * 2)).map { _ in generator.normal() }
        let lowRank = (0..<(k * d)).map { e in mix[(e / d) * 2] * basis[e % d] + mix[(e / d) * 2 + 1] * basis[d + e % d] }
        let dead = full.enumerated().map { $0.offset % d % 5 == 0 ? 0 : $0.element }
        let mild = (0..<k).map { _ in 2 * generator.normal() }
        let confident = (0..<k).map { 30 * Double($0 == 2 ? 1 : 0) - 8 * Double($0) }
        var fallbacks = 0, certified = 0
        for (jacobianName, jacobian) in [("full", full), ("rank 2", lowRank), ("dead pixels", dead)] {
            for (logitsName, logits) in [("mild", mild), ("confident", confident)] {
                let geometry = OutputGeometry(logits: logits)
                for mode in InfluenceMaps.ChannelMode.allCases {
                    let maps = InfluenceMaps(inputShape: [c, h, w], scales: [1, 3, 5], mode: mode)
                    for epsilon in [nil, 1e-3] as [Double?] {
                        let fast = maps.compute(jacobian: jacobian, geometry: geometry, label: 1, referenceEpsilon: epsilon)
                        let brute = maps.computeByWindowSVD(jacobian: jacobian, geometry: geometry, label: 1, referenceEpsilon: epsilon)
                        let top = brute.max()!
                        for (e, (got, want)) in zip(fast, brute).enumerated() {
                            // The Gram route squares the condition number: ~1e-8 on a 1e-17 probability.
                            let tolerance = logitsName == "confident" ? 1e-6 : 1e-9
                            XCTAssertEqual(got, want, accuracy: tolerance * max(top, 1e-300),
                                           "\(jacobianName) \(logitsName) \(mode) ε=\(epsilon ?? 0) entry \(e)")
                        }
                        if epsilon == nil, mode == .joint {
                            let frame = InfluenceFrame(geometry: geometry, label: 1)
                            if fast.contains(frame.saturated) { certified += 1 } else { fallbacks += 1 }
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(certified, 0, "some windows are certified saturated")
        XCTAssertGreaterThan(fallbacks, 0, "some maps need the eigen route")
    }

    /// The frame's basis: orthonormal, orthogonal to the null vector, F' spans what F does, and
    /// q_y is aligned with the first axis.
    func testFrameReproducesTheFullMetric() {
        var generator = SeededGenerator(seed: 5)
        let k = 7, m = 4
        let geometry = OutputGeometry(logits: (0..<k).map { _ in 3 * generator.normal() })
        let j = (0..<(k * m)).map { _ in generator.normal() }
        for epsilon in [nil, 1e-3] as [Double?] {
            let frame = InfluenceFrame(geometry: geometry, label: 3, referenceEpsilon: epsilon)
            let f = epsilon.map { geometry.referenceFactor(epsilon: $0) } ?? geometry.fisherFactor
            // Fᵀ J and F'ᵀ J have the same Gram matrix over the columns: Jᵀ F Fᵀ J = Jᵀ F' F'ᵀ J.
            let full = InfluenceMeasure.transposedTimes(f, j, k: k, m: m)
            let reduced = frame.transform(jacobian: j)
            for a in 0..<m { for b in 0..<m {
                let g1 = (0..<k).reduce(0.0) { $0 + full[$1 * m + a] * full[$1 * m + b] }
                let g2 = (0..<(k - 1)).reduce(0.0) { $0 + reduced[$1 * m + a] * reduced[$1 * m + b] }
                XCTAssertEqual(g1, g2, accuracy: 1e-12 * max(1, abs(g1)))
            } }
            let q = frame.labelDirection
            // q_y lies along the first axis, so the spectral measure skips its first reflection.
            XCTAssertTrue(q.dropFirst().allSatisfy { $0 == 0 }, "\(q)")
            XCTAssertEqual(frame.saturated, frame.scale * q.reduce(0) { $0 + $1 * $1 }, accuracy: 1e-12 * frame.saturated)
        }
    }
}
