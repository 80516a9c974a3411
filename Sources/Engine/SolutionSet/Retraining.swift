import Protocol

/// Ground truth for `solution-set`: fine-tuning from a starting solution on the training set
/// with the perturbed points moved by δΔ (plain SGD, seeded), in Float as training runs.
enum Retraining {
    static func run(_ options: SolutionSetOptions, problem: SolutionSetProblem, start: Network<Float>, delta: Double,
                    seed: UInt64, threads: Int) -> [Double] {
        let objective = problem.objective
        var images = objective.images
        let d = images.itemCount
        for (j, point) in objective.points.enumerated() {
            for e in 0..<d { images.scalars[point * d + e] += delta * problem.directions[j * d + e] }
        }
        var configuration = TrainingConfiguration()
        configuration.epochs = options.retrainEpochs
        configuration.batchSize = options.retrainBatchSize
        configuration.optimizer = .sgd(momentum: 0)
        configuration.learningRate = options.retrainLearningRate
        configuration.seed = seed
        configuration.threads = threads
        var trainer = Trainer(start, configuration: configuration)
        let floats = images.converted(to: Float.self)
        for epoch in 1...max(options.retrainEpochs, 1) { _ = trainer.trainEpoch(epoch, images: floats, labels: objective.labels) }
        return trainer.network.parameters.flatMap { $0.scalars.map(Double.init) }
    }
}
