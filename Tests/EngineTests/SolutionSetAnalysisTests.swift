import Foundation
import Protocol
import XCTest
@testable import Engine

/// The `solution-set` kind through plan → execute → aggregate on the golden ReLU MLP
/// (mlp_digits and its 64-sample training subset).
final class SolutionSetAnalysisTests: XCTestCase {
    private let data = Golden.url("mlp_digits", "setvalued_train_inputs.npy")
    private let labels = Golden.url("mlp_digits", "setvalued_train_labels.npy")

    private func job(_ options: SolutionSetOptions, labels: URL?? = nil) throws -> LocalJob<SolutionSetAnalysis> {
        try LocalJob(SolutionSetAnalysis.self, model: Golden.url("mlp_digits", "model.onnx"), data: data,
                     labels: labels ?? self.labels, options: options)
    }

    private func outputs() throws -> ArtifactCache {
        try ArtifactCache(directory: FileManager.default.temporaryDirectory.appendingPathComponent("seismo-vectors-\(UUID().uuidString)"))
    }

    private func run(_ job: LocalJob<SolutionSetAnalysis>, into cache: ArtifactCache) throws -> [SolutionSetShardResult] {
        try job.results(shardSize: 1, context: ExecutionContext(threads: 2, outputs: cache))
    }

    /// Start 0 is the golden damped solution; the random starts all meet the tolerance and differ
    /// from each other only where |λ| ≲ μ: ‖H(v_s − v_t)‖ ≤ μ ‖v_s − v_t‖.
    func testStartsSampleTheSetAlongTheNearNullSpace() throws {
        let options = SolutionSetOptions(points: [0], deltas: [0.1], starts: 3, sigma: 1e-3)
        let local = try job(options)
        let cache = try outputs()
        let results = try run(local, into: cache)
        let solves = results.filter { $0.task == .solve }.sorted { $0.index < $1.index }
        XCTAssertEqual(solves.count, 3)
        let vectors = try solves.map { try cache.vector($0.vector!) }
        for s in solves { XCTAssertEqual(s.converged, true, "start \(s.index): \(s.iterations ?? 0) iterations") }
        let golden = try Golden.doubles("mlp_digits", "setvalued_vdamped_0.01_paper.npy")
        XCTAssertLessThan(VectorMath.distance(vectors[0], golden) / VectorMath.norm(golden), 1e-4, "start 0 is v_μ")

        let model = try Golden.model("mlp_digits")
        let images: Tensor<Double> = try NPY.read(data).tensor(Double.self)
        let objective = NetworkObjective(network: Network<Double>(model), images: images, labels: local.inputs.primary.labels!, points: [0])
        let second = SecondOrder(objective: objective, base: objective.base)
        for (s, t) in [(0, 1), (1, 2), (0, 2)] {
            let difference = zip(vectors[s], vectors[t]).map { $0 - $1 }
            let size = VectorMath.norm(difference)
            XCTAssertGreaterThan(size, 1e-3, "starts \(s) and \(t) give different points")
            let ratio = VectorMath.norm(second.hessianVectorProduct(difference)) / size
            XCTAssertLessThanOrEqual(ratio, options.damping, "starts \(s), \(t): ‖H(v_s − v_t)‖ / ‖v_s − v_t‖ = \(ratio)")
        }

        let summary = try SolutionSetAnalysis.aggregate(local.job, results: results, artifacts: cache)
        XCTAssertTrue(summary.distancesComputed)
        XCTAssertEqual(summary.points[0].estimatedSize, 3)
        let reversed = try SolutionSetAnalysis.aggregate(local.job, results: results.reversed(), artifacts: cache)
        XCTAssertEqual(summary, reversed, "the summary does not depend on the order results arrive in")
        let nearest = try XCTUnwrap(summary.points[0].estimatedDistanceFromBase)
        XCTAssertEqual(nearest, 0.1 * VectorMath.norm(golden), accuracy: 1e-4 * nearest, "the nearest member of Ŝ is w̄ + δ v_μ")
    }

    /// The paper's second check on a small ReLU MLP: the estimate, like fine-tuning, lowers the
    /// loss on the perturbed points, and it keeps the clean training loss where it was.
    func testEstimateAgainstRetraining() throws {
        let options = SolutionSetOptions(perturbCount: 8, deltas: [0.3, 1], starts: 1, retrainRuns: 2, retrainEpochs: 20,
                                         retrainLearningRate: 0.05, retrainBatchSize: 64)
        let local = try job(options)
        let cache = try outputs()
        let summary = try SolutionSetAnalysis.aggregate(local.job, results: try run(local, into: cache), artifacts: cache)
        XCTAssertEqual(summary.perturbedPoints.count, 8)
        for p in summary.points {
            let base = p.lossesAtBase, estimated = try XCTUnwrap(p.estimatedLosses), retrained = try XCTUnwrap(p.retrainedLosses)
            print(String(format: "δ %.2g: perturbed-point loss w̄ %.4g, Ŝ %.4g, R %.4g; clean training loss w̄ %.4g, Ŝ %.4g, R %.4g",
                         p.delta, base.pointLoss, estimated.pointLoss, retrained.pointLoss,
                         base.cleanTrainingLoss, estimated.cleanTrainingLoss, retrained.cleanTrainingLoss))
            XCTAssertLessThan(estimated.pointLoss, base.pointLoss / 2, "δ \(p.delta): the estimate fits the moved points")
            XCTAssertLessThan(retrained.pointLoss, base.pointLoss, "δ \(p.delta): so does fine-tuning")
            XCTAssertEqual(estimated.cleanTrainingLoss, base.cleanTrainingLoss, accuracy: 0.05 * base.cleanTrainingLoss,
                           "δ \(p.delta): the estimate stays a solution of the clean problem")
            XCTAssertNotNil(p.hausdorff)
            XCTAssertNotNil(p.retrainedShift)
        }
        XCTAssertNotNil(summary.empiricalModulusEstimated)
        XCTAssertNotNil(summary.empiricalModulusRetrained)
    }

    func testUnconvergedSolveIsReportedAndLeftOut() throws {
        let local = try job(SolutionSetOptions(points: [0], deltas: [0.1], starts: 2, maxIterations: 5))
        let cache = try outputs()
        let summary = try SolutionSetAnalysis.aggregate(local.job, results: try run(local, into: cache), artifacts: cache)
        XCTAssertEqual(summary.unconverged.map(\.start), [0, 1])
        XCTAssertTrue(summary.unconverged.allSatisfy { $0.iterations == 5 && $0.residual > 0 })
        XCTAssertEqual(summary.points[0].estimatedSize, 0, "an unconverged solve is not a member of Ŝ")
    }

    func testPlanAndPreparedPoints() throws {
        let local = try job(SolutionSetOptions(perturbCount: 5, deltas: [0.1, 0.01, 0.1], starts: 2, kappaIterations: 3, retrainRuns: 2, seed: 7))
        XCTAssertEqual(local.job.options.points?.count, 5)
        XCTAssertEqual(local.job.options.deltas, [0.01, 0.1])
        XCTAssertEqual(local.job.options.trainCount, 64)
        let again = try job(SolutionSetOptions(perturbCount: 5, deltas: [0.1], seed: 7))
        XCTAssertEqual(again.job.options.points, local.job.options.points, "the points are a function of the seed")
        let plan = SolutionSetAnalysis.plan(local.job, shardSize: 99)
        // 2 solves, 1 κ, 2 runs at each of δ = 0, 0.01, 0.1.
        XCTAssertEqual(plan.count, 2 + 1 + 6)
        XCTAssertEqual(plan.map(\.index), Array(0..<9))
    }

    func testBadInputIsRefusedBeforeAnyWork() throws {
        let cases: [(SolutionSetOptions, String)] = [
            (SolutionSetOptions(points: [0], deltas: [0]), "--deltas"),
            (SolutionSetOptions(points: [0], deltas: [-0.1]), "--deltas"),
            (SolutionSetOptions(points: [], deltas: [0.1]), "empty"),
            (SolutionSetOptions(points: [64], deltas: [0.1]), "outside the training set"),
            (SolutionSetOptions(points: [3, 3], deltas: [0.1]), "twice"),
            (SolutionSetOptions(deltas: [0.1]), "--points INDICES or --perturb-count"),
            (SolutionSetOptions(perturbCount: 65, deltas: [0.1]), "--perturb-count"),
            (SolutionSetOptions(points: [0], trainCount: 100, deltas: [0.1]), "--train-count"),
            (SolutionSetOptions(points: [0], deltas: [0.1], damping: 0), "--damping"),
            (SolutionSetOptions(points: [0], direction: .file, deltas: [0.1]), "--directions"),
            (SolutionSetOptions(points: [0], deltas: [0.1], starts: 0), "--seeds"),
        ]
        for (options, expected) in cases {
            XCTAssertThrowsError(try job(options), expected) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should mention \(expected)")
            }
        }
        XCTAssertThrowsError(try job(SolutionSetOptions(points: [0], deltas: [0.1]), labels: .some(nil))) { error in
            XCTAssertTrue("\(error)".contains("--labels"), "\(error)")
        }
    }

    /// A BatchNormalization exported in training mode has no fixed loss to differentiate.
    func testBatchNormInTrainingModeIsRefused() throws {
        var g = TestGraph()
        let bn = g.node("BatchNormalization", ["x", g.parameter([2]), g.parameter([2]), g.parameter([2]), g.parameter([2], low: 0.5, high: 1)],
                        ["training_mode": .int(1)])
        let logits = g.head(bn, features: 2 * 4 * 4)
        XCTAssertThrowsError(try g.model(input: [2, 4, 4], output: logits)) { error in
            XCTAssertTrue("\(error)".contains("training_mode"), "\(error)")
        }
    }
}

extension SolutionSetAnalysisTests {
    /// With --initial-solutions, fine-tuning runs start from w̄ and the other solutions in turn,
    /// each run recording where it started; directions from a file are used as given (normalised).
    func testInitialSolutionsAndDirectionsFromAFile() throws {
        var other = try Golden.model("mlp_digits")
        for p in other.parameters.indices { other.parameters[p].values = other.parameters[p].values.map { $0 * 1.01 } }
        let otherURL = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-other-\(UUID().uuidString).onnx")
        try ModelWriter.write(other, to: otherURL)
        let direction = try Golden.doubles("mlp_digits", "setvalued_direction.npy")
        let file = try temporaryNPY(NDArray(shape: [1, 64], storage: .float64(direction.map { 3 * $0 })), "directions-\(UUID().uuidString).npy")
        let options = SolutionSetOptions(points: [0], direction: .file, deltas: [0.1], starts: 1, retrainRuns: 2, retrainEpochs: 1)
        let local = try LocalJob(SolutionSetAnalysis.self, model: Golden.url("mlp_digits", "model.onnx").path, data: Golden.url("mlp_digits", "setvalued_train_inputs.npy").path,
                                 labels: Golden.url("mlp_digits", "setvalued_train_labels.npy").path, initialSolutions: [otherURL.path],
                                 directions: file.path, options: options)
        let cache = try ArtifactCache(directory: FileManager.default.temporaryDirectory.appendingPathComponent("seismo-vectors-\(UUID().uuidString)"))
        let results = try local.results(shardSize: 1, context: ExecutionContext(threads: 2, outputs: cache))
        let runs = results.filter { $0.task == .retrain && $0.delta == 0.1 }.sorted { $0.index < $1.index }
        XCTAssertEqual(runs.map { $0.start == nil }, [true, false], "run 0 starts from w̄, run 1 from the other solution")
        let start = try cache.vector(try XCTUnwrap(runs[1].start))
        let expected = zip(other.parameters.flatMap(\.values), try Golden.model("mlp_digits").parameters.flatMap(\.values)).map { Double($0) - Double($1) }
        XCTAssertEqual(VectorMath.distance(start, expected), 0, accuracy: 1e-12)
        // The file's direction, normalised, is the gradient direction of the golden fixture: the golden v_μ again.
        let solve = try cache.vector(try XCTUnwrap(results.first { $0.task == .solve }?.vector))
        let golden = try Golden.doubles("mlp_digits", "setvalued_vdamped_0.01_paper.npy")
        XCTAssertLessThan(VectorMath.distance(solve, golden) / VectorMath.norm(golden), 1e-4)

        XCTAssertThrowsError(try LocalJob(SolutionSetAnalysis.self, model: Golden.url("mlp_digits", "model.onnx").path,
                                          data: Golden.url("mlp_digits", "setvalued_train_inputs.npy").path,
                                          labels: Golden.url("mlp_digits", "setvalued_train_labels.npy").path,
                                          initialSolutions: [Golden.url("cnn_digits", "model.onnx").path], options: options)) { error in
            XCTAssertTrue("\(error)".contains("are not those of"), "\(error)")
        }
    }
}
