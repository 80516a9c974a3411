import Protocol

/// Everything the shards of one `solution-set` job share, built once per process: the training
/// objective at w̄ in Double, the unit directions Δ of the perturbed points, the scaled mixed
/// term b, and the operators.
final class SolutionSetProblem: @unchecked Sendable {
    let objective: NetworkObjective
    let second: SecondOrder
    /// Joint unit directions (|P| · D).
    let directions: [Double]
    let scale: Double
    let b: [Double]

    init(_ options: SolutionSetOptions, inputs: AnalysisInputs, threads: Int) throws {
        let n = options.trainCount ?? inputs.primary.count
        let network = inputs.network(Double.self)
        let images: Tensor<Double> = inputs.primary.images.items(Array(0..<n), itemShape: inputs.model.inputShape)
        let labels = Array(inputs.primary.labels!.prefix(n))
        let points = options.points!
        objective = NetworkObjective(network: network, images: images, labels: labels, points: points, threads: threads)
        directions = try PerturbationDirections.make(options.direction, network: network, images: images.gathered(points),
                                                     labels: points.map { labels[$0] }, file: inputs.directions, seed: options.seed)
        second = SecondOrder(objective: objective, base: objective.base)
        scale = options.scaling == .paper ? 1 / Double(points.count) : 1 / Double(n)
        b = VectorMath.scaled(second.mixedTerm(direction: directions), scale)
    }

    /// The problem of `inputs`' job, built on first use.
    static func of(_ options: SolutionSetOptions, inputs: AnalysisInputs, threads: Int) throws -> SolutionSetProblem {
        let made: Result<SolutionSetProblem, Error> = inputs.memo("solution-set.problem") {
            Result { try SolutionSetProblem(options, inputs: inputs, threads: threads) }
        }
        return try made.get()
    }

    /// Losses at w with the perturbed points moved by δΔ, and on the clean set.
    func losses(at w: [Double], delta: Double) -> LossesAtDelta {
        let losses = objective.losses(at: w, displacement: VectorMath.scaled(directions, delta))
        return LossesAtDelta(delta: delta, pointLoss: losses.pointLoss, trainingLoss: losses.trainingLoss, cleanTrainingLoss: losses.cleanTrainingLoss)
    }
}

extension SolutionSetOptions {
    /// The LSQR these options ask for.
    var solver: DampedLSQR { DampedLSQR(damping: damping, tolerance: tolerance, maxIterations: maxIterations) }
}
