import XCTest
@testable import Engine

/// Training: BatchNorm's batch-statistics backward, the optimisers' update rules, running
/// statistics, determinism, and that a small problem is actually learnt.
final class TrainingTests: XCTestCase {
    func testBatchNormTrainingModeGradients() throws {
        var g = TestGraph()
        // No conv bias: batch statistics cancel it exactly, so its gradient is zero (and only rounding).
        let conv = g.node("Conv", ["x", g.parameter([4, 2, 3, 3])], ["pads": .ints([1, 1, 1, 1])])
        let bn = g.node("BatchNormalization", [conv, g.parameter([4]), g.parameter([4]), g.parameter([4]), g.parameter([4], low: 0.5, high: 2)])
        let logits = g.head(g.node("Tanh", [bn]), features: 36)
        let model = try g.model(input: [2, 3, 3], output: logits)
        GradientCheck(mode: .training).run(model, input: randomTensor([3, 2, 3, 3], seed: 8), seed: 4)
    }

    func testOptimizerStepsFollowTheirFormulas() {
        var sgd = OptimizerState<Double>(kind: .sgd(momentum: 0.9), learningRate: 0.1, weightDecay: 0.01, shapes: [1])
        var w = [Tensor<Double>(shape: [1], scalars: [1])]
        let g = [Tensor<Double>(shape: [1], scalars: [0.5])] as [Tensor<Double>?]
        sgd.apply(g, to: &w)
        XCTAssertEqual(w[0].scalars[0], 1 - 0.1 * 0.51, accuracy: 1e-15)
        sgd.apply(g, to: &w)  // buffer 0.9 · 0.51 + (0.5 + 0.01 · 0.949)
        XCTAssertEqual(w[0].scalars[0], 0.949 - 0.1 * (0.9 * 0.51 + 0.5 + 0.00949), accuracy: 1e-15)

        var adam = OptimizerState<Double>(kind: .adamDefaults, learningRate: 0.1, weightDecay: 0, shapes: [1])
        var v = [Tensor<Double>(shape: [1], scalars: [1])]
        adam.apply(g, to: &v)  // bias-corrected m̂ = 0.5, v̂ = 0.25: a step of lr · 0.5 / (0.5 + ε)
        XCTAssertEqual(v[0].scalars[0], 1 - 0.1 * 0.5 / (0.5 + 1e-8), accuracy: 1e-15)
    }

    func testRunningStatisticsFollowTheMomentumRule() throws {
        var g = TestGraph()
        let bn = g.node("BatchNormalization", ["x", g.parameter([2]), g.parameter([2]), g.parameter([2]), g.parameter([2], low: 0.5, high: 2)],
                        ["momentum": .float(0.75)])
        let logits = g.head(bn, features: 8)
        let model = try g.model(input: [2, 2, 2], output: logits)
        let x = randomTensor([4, 2, 2, 2], seed: 3)
        var configuration = TrainingConfiguration()
        configuration.batchSize = 4
        var trainer = Trainer(Network<Double>(model), configuration: configuration)
        let before = trainer.network.constants
        _ = trainer.step(images: x, labels: [0, 1, 2, 0])
        let (meanRef, varRef) = (bnConstants(model).mean, bnConstants(model).variance)
        for c in 0..<2 {
            let values = (0..<4).flatMap { n in (0..<4).map { i in x.scalars[n * 8 + c * 4 + i] } }
            let mean = values.reduce(0, +) / 16
            let unbiased = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 15
            XCTAssertEqual(trainer.network.constants[meanRef].scalars[c], before[meanRef].scalars[c] * 0.75 + mean * 0.25, accuracy: 1e-12)
            XCTAssertEqual(trainer.network.constants[varRef].scalars[c], before[varRef].scalars[c] * 0.75 + unbiased * 0.25, accuracy: 1e-12)
        }
    }

    private func bnConstants(_ model: Model) -> (mean: Int, variance: Int) {
        let node = model.nodes.first { $0.opType == "BatchNormalization" }!
        guard case .constant(let mean) = node.inputs[3], case .constant(let variance) = node.inputs[4] else {
            fatalError("BatchNorm statistics should be constants")
        }
        return (mean, variance)
    }

    func testTrainingLearnsAndIsDeterministic() throws {
        // Three Gaussian blobs in 6 dimensions.
        var generator = SeededGenerator(seed: 12)
        let n = 240
        var values: [Float] = [], labels: [Int] = []
        for i in 0..<n {
            let label = i % 3
            labels.append(label)
            for d in 0..<6 { values.append(Float((d % 3 == label ? 2.0 : 0.0) + 0.7 * generator.normal())) }
        }
        let images = Tensor<Float>(shape: [n, 6], scalars: values)
        let model = try ModelLoader.build(ModelZoo.build(.init(architecture: .mlp, inputShape: [6], classes: 3, seed: 1)))

        func train(seed: UInt64, optimizer: OptimizerKind) -> (Trainer<Float>, [EpochReport]) {
            var configuration = TrainingConfiguration()
            configuration.seed = seed
            configuration.optimizer = optimizer
            configuration.learningRate = optimizer == .adamDefaults ? 0.01 : 0.05
            configuration.batchSize = 16
            configuration.threads = 2
            var trainer = Trainer(Network<Float>(model), configuration: configuration)
            let reports = (1...4).map { trainer.trainEpoch($0, images: images, labels: labels) }
            return (trainer, reports)
        }
        for optimizer in [OptimizerKind.adamDefaults, .sgd(momentum: 0.9)] {
            let (first, reports) = train(seed: 5, optimizer: optimizer)
            XCTAssertLessThan(reports.last!.loss, reports.first!.loss * 0.7, "\(optimizer)")
            XCTAssertGreaterThan(reports.last!.accuracy, 0.9, "\(optimizer)")
            let again = train(seed: 5, optimizer: optimizer).0
            XCTAssertEqual(first.network.parameters, again.network.parameters, "same seed, same result")
            let other = train(seed: 6, optimizer: optimizer).0
            XCTAssertNotEqual(first.network.parameters, other.network.parameters, "another seed, another order")
        }
    }
}
