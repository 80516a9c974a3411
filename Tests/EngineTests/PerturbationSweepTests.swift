import XCTest
import Protocol
@testable import Engine

/// The `perturbation-sweep` kind: ε = 0 is the unperturbed network, summaries do not depend on
/// sharding, draws at the box's size stay above the certified bounds, and bad options are refused
/// naming what is wrong.
final class PerturbationSweepTests: XCTestCase {
    private func job(_ options: PerturbationSweepOptions, name: String = "cnn_digits") throws -> LocalJob<PerturbationSweepAnalysis> {
        try LocalJob(PerturbationSweepAnalysis.self, model: Golden.url(name, "model.onnx"), data: Golden.url(name, "inputs.npy"),
                     labels: Golden.url(name, "labels.npy"), options: options)
    }

    func testZeroEpsilonIsTheUnperturbedNetworkAndShardingChangesNothing() throws {
        let sweep = try job(PerturbationSweepOptions(epsilons: [0.03, 0, 1e-3, 1e-3], draws: 5, layers: nil, eachLayer: true, seed: 7))
        XCTAssertEqual(sweep.job.options.epsilons, [0, 1e-3, 0.03], "ε sorted, repeats dropped")
        XCTAssertEqual(sweep.job.options.layers, PerturbedParameters.perturbableLayers(of: sweep.inputs.model).map(\.name))
        let one = try sweep.summary(shardSize: 1, shuffled: true)
        let all = try sweep.summary(shardSize: 1_000)
        XCTAssertEqual(try SeismoJSON.encoder().encode(one), try SeismoJSON.encoder().encode(all))
        XCTAssertEqual(PerturbationSweepAnalysis.plan(sweep.job, shardSize: 2).count, 4 * 3 * 3, "4 layers × 3 ε × ⌈5/2⌉ draw ranges")
        for point in one.points where point.epsilon == 0 {
            XCTAssertEqual(point.accuracy.mean, one.unperturbedAccuracy)
            XCTAssertEqual(point.flipRate.mean, 0)
            XCTAssertEqual(point.neverFlipped, 1)
            XCTAssertEqual(point.certifiedAccuracy, one.unperturbedAccuracy, "at ε = 0 exactly the correct samples are certified")
        }
        for point in one.points {
            XCTAssertGreaterThanOrEqual(point.neverFlipped + 1e-12, point.certifiedFraction ?? 0, "what is proven was never contradicted")
        }
        XCTAssertEqual(one.unperturbedAccuracy, 1, "the golden CNN classifies its 8 inputs correctly")
    }

    func testCertifiedMarginsOfTheSweepMatchTheGoldenFile() throws {
        let golden = try Golden.json("cnn_digits", "weight_sweep.json")
        let epsilons = golden["epsilons"] as! [Double]
        let sweep = try job(PerturbationSweepOptions(epsilons: epsilons, draws: 1, weightsOnly: true))
        let results = try sweep.results(shardSize: 1)
        let variants = golden["variants"] as! [String: [String: [String: Any]]]
        for result in results {
            let key = String(format: "%g", epsilons[result.shard.epsilon!])
            let expected = variants["weights"]![key]!
            let bounds = try XCTUnwrap(result.certification).marginLowerBounds
            for (b, e) in zip(bounds, expected["min_margin_lower_bound"] as! [Double]) { XCTAssertEqual(b, e, accuracy: 1e-4 * (1 + abs(e))) }
            XCTAssertEqual(result.certification?.certifiedFraction, expected["certified_fraction"] as? Double)
        }
    }

    func testBadOptionsAreRefusedNamingTheProblem() throws {
        let cases: [(PerturbationSweepOptions, String)] = [
            (PerturbationSweepOptions(epsilons: [1e-3, -1]), "-1"),
            (PerturbationSweepOptions(epsilons: [.nan]), "nan"),
            (PerturbationSweepOptions(epsilons: []), "at least one"),
            (PerturbationSweepOptions(epsilons: [1e-3], draws: 0), "--draws"),
            (PerturbationSweepOptions(epsilons: [1e-3], layers: ["/conv9/Conv"]), "/conv1/Conv"),
        ]
        for (options, text) in cases {
            XCTAssertThrowsError(try job(options)) { error in
                XCTAssertTrue("\(error)".contains(text), "expected '\(text)' in: \(error)")
            }
        }
    }

    /// Input sweeps: a sample that no ε certifies and that a draw flips at the smallest ε reports
    /// that ε as its flip radius; no sample is flipped at an ε where it is certified; FI and the
    /// Jacobian norm are rank-correlated with 1 / flip radius over every sample.
    func testInputSweepFlipRadiiAndCorrelations() throws {
        let influence = try LocalJob(InfluenceAnalysis.self, model: Golden.url("mlp_digits", "model.onnx"), data: Golden.url("mlp_digits", "inputs.npy"),
                                     labels: Golden.url("mlp_digits", "labels.npy"), options: InfluenceOptions(labelMode: .true))
        let rows = try influence.results(shardSize: 100).flatMap(\.samples).sorted { $0.index < $1.index }
        let scores = InfluenceScores(fi: rows.map(\.fi), jacobianNorm: rows.map(\.jacobianNorm))
        let epsilons = [4.0, 8]
        let sweep = try job(PerturbationSweepOptions(target: .input, epsilons: epsilons, draws: 40, seed: 3, influence: scores), name: "mlp_digits")
        XCTAssertEqual(sweep.job.options.validRange, 0...16, "the digits' valid range, read from the data")
        let one = try sweep.summary(shardSize: 7, shuffled: true)
        XCTAssertEqual(try SeismoJSON.encoder().encode(one), try SeismoJSON.encoder().encode(try sweep.summary(shardSize: 100)))
        let input = try XCTUnwrap(one.input)
        let flippedFirst = input.flipRadius.indices.filter { input.flipRadius[$0] == epsilons[0] && input.certifiedRadius[$0] == nil }
        XCTAssertFalse(flippedFirst.isEmpty, "some sample certified nowhere flips at the smallest ε: \(input)")
        for i in input.flipRadius.indices {
            if let flip = input.flipRadius[i], let certified = input.certifiedRadius[i] {
                XCTAssertLessThan(certified, flip, "sample \(i) flipped at an ε where it is certified")
            }
        }
        XCTAssertEqual(input.correlationSamples, 8)
        XCTAssertNotNil(input.spearmanFI)
        XCTAssertNotNil(input.spearmanJacobianNorm)
    }
}
