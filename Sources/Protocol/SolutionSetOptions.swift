/// How each perturbed point moves: along its loss's input gradient, the gradient's sign, a
/// seeded random direction, or directions from a file (`JobInputs.directions`); each scaled to
/// unit norm.
public enum PerturbationDirection: String, Codable, Sendable, CaseIterable {
    case gradient
    case sign
    case random
    case file
}

/// The factor in front of b = Σ_{i∈P} ∇_{x_i}∇_w ℓ · Δx_i: 1/|P| (the paper's) or 1/n (the
/// influence-function scaling).
public enum MixedTermScaling: String, Codable, Sendable, CaseIterable {
    case paper
    case influence
}

/// `solution-set`: how the set of solutions of training moves when training points are perturbed
/// (Wang, Wang & Ban, AAAI 2025; MATH.md §3), estimated by graphical derivatives without
/// retraining and compared with retraining.
public struct SolutionSetOptions: AnalysisOptions {
    public static let kind = AnalysisKind.solutionSet

    /// Indices of the perturbed training points (filled from `perturbCount` and `seed` when not given).
    public var points: [Int]?
    public var perturbCount: Int?
    /// The training set is the first `trainCount` samples of the data (all when nil).
    public var trainCount: Int?
    public var direction: PerturbationDirection
    /// Perturbation sizes δ, ascending, each > 0.
    public var deltas: [Double]
    /// Solves: start 0 from v₀ = 0, starts 1… from v₀ ~ N(0, σ²I).
    public var starts: Int
    public var sigma: Double
    public var scaling: MixedTermScaling
    /// LSQR: damping μ, relative tolerance, iteration cap.
    public var damping: Double
    public var tolerance: Double
    public var maxIterations: Int
    /// Power iterations for the linearised κ = ‖H⁺B‖₂ (0: not computed).
    public var kappaIterations: Int
    /// Ground truth: fine-tuning runs per δ (and at δ = 0), each `retrainEpochs` epochs of SGD.
    public var retrainRuns: Int
    public var retrainEpochs: Int
    public var retrainLearningRate: Double
    public var retrainBatchSize: Int
    public var seed: UInt64

    public init(points: [Int]? = nil, perturbCount: Int? = nil, trainCount: Int? = nil, direction: PerturbationDirection = .gradient,
                deltas: [Double] = [0.01, 0.03, 0.1], starts: Int = 4, sigma: Double = 1e-4, scaling: MixedTermScaling = .paper,
                damping: Double = 0.01, tolerance: Double = 1e-10, maxIterations: Int = 5_000, kappaIterations: Int = 0,
                retrainRuns: Int = 0, retrainEpochs: Int = 1, retrainLearningRate: Double = 0.01, retrainBatchSize: Int = 32,
                seed: UInt64 = 0) {
        (self.points, self.perturbCount, self.trainCount, self.direction, self.deltas) = (points, perturbCount, trainCount, direction, deltas)
        (self.starts, self.sigma, self.scaling, self.damping, self.tolerance) = (starts, sigma, scaling, damping, tolerance)
        (self.maxIterations, self.kappaIterations, self.retrainRuns, self.retrainEpochs) = (maxIterations, kappaIterations, retrainRuns, retrainEpochs)
        (self.retrainLearningRate, self.retrainBatchSize, self.seed) = (retrainLearningRate, retrainBatchSize, seed)
    }
}

/// What a solution-set shard computes.
public enum SolutionSetTask: String, Codable, Sendable {
    /// One graphical-derivative solve from one start; it serves every δ (Ŝ(δ) = w̄ + δ v).
    case solve
    /// One fine-tuning run on the data perturbed by one δ (δ = 0: the clean data).
    case retrain
    /// The linearised modulus κ = ‖H⁺B‖₂.
    case kappa
}

/// Losses at one δ of the grid.
public struct LossesAtDelta: Codable, Equatable, Sendable {
    public var delta: Double
    /// Mean loss over the perturbed points, moved by δΔx.
    public var pointLoss: Double
    /// Mean loss over the training set with the perturbed points moved.
    public var trainingLoss: Double
    /// Mean loss over the clean training set.
    public var cleanTrainingLoss: Double

    public init(delta: Double, pointLoss: Double, trainingLoss: Double, cleanTrainingLoss: Double) {
        (self.delta, self.pointLoss, self.trainingLoss, self.cleanTrainingLoss) = (delta, pointLoss, trainingLoss, cleanTrainingLoss)
    }
}

/// One shard's result. Weight vectors travel as NPY artifacts (Float64 displacements w − w̄),
/// never inline.
public struct SolutionSetShardResult: Codable, Equatable, Sendable {
    public var task: SolutionSetTask
    /// Solve: the start; retrain: the run.
    public var index: Int
    /// Retrain: δ of the run.
    public var delta: Double?
    /// Solve: v (Ŝ(δ) = w̄ + δ v); retrain: w − w̄ after fine-tuning.
    public var vector: ArtifactReference?
    /// Retrain: w₀ − w̄ of the run's starting solution (nil when it started from w̄).
    public var start: ArtifactReference?
    public var vectorNorm: Double?
    /// Solve: ‖H v + b‖ / ‖b‖, LSQR's damped normal-equation residual, iterations, whether it met the tolerance.
    public var residual: Double?
    public var normalEquationResidual: Double?
    public var iterations: Int?
    public var converged: Bool?
    /// Losses at w̄ and at the solution: solve, every δ; retrain, its δ.
    public var lossesAtBase: [LossesAtDelta]
    public var losses: [LossesAtDelta]
    /// Kappa: the estimate.
    public var kappa: Double?

    public init(task: SolutionSetTask, index: Int, delta: Double? = nil, vector: ArtifactReference? = nil, start: ArtifactReference? = nil,
                vectorNorm: Double? = nil, residual: Double? = nil, normalEquationResidual: Double? = nil, iterations: Int? = nil,
                converged: Bool? = nil, lossesAtBase: [LossesAtDelta] = [], losses: [LossesAtDelta] = [], kappa: Double? = nil) {
        (self.task, self.index, self.delta, self.vector, self.start, self.vectorNorm) = (task, index, delta, vector, start, vectorNorm)
        (self.residual, self.normalEquationResidual, self.iterations, self.converged) = (residual, normalEquationResidual, iterations, converged)
        (self.lossesAtBase, self.losses, self.kappa) = (lossesAtBase, losses, kappa)
    }
}

/// The sets at one δ: Ŝ(δ) (estimated) and R(δ) (retrained), their distances and losses.
public struct SolutionSetPoint: Codable, Equatable, Sendable {
    public var delta: Double
    public var estimatedSize: Int
    public var retrainedSize: Int
    /// d(w̄, ·): the distance from w̄ to the nearest member, and the farthest member's distance.
    public var estimatedDistanceFromBase: Double?
    public var estimatedFarthestFromBase: Double?
    public var retrainedDistanceFromBase: Double?
    public var retrainedFarthestFromBase: Double?
    public var estimatedDiameter: Double?
    public var retrainedDiameter: Double?
    /// h(Ŝ, R), e(R, Ŝ), e(Ŝ, R).
    public var hausdorff: Double?
    public var excessRetrainedOverEstimated: Double?
    public var excessEstimatedOverRetrained: Double?
    /// h(S(0), Ŝ(δ)) and h(R(0), R(δ)): how far each set moved from its unperturbed self.
    public var estimatedShift: Double?
    public var retrainedShift: Double?
    /// Mean losses at w̄, over Ŝ and over R.
    public var lossesAtBase: LossesAtDelta
    public var estimatedLosses: LossesAtDelta?
    public var retrainedLosses: LossesAtDelta?

    public init(delta: Double, estimatedSize: Int, retrainedSize: Int, lossesAtBase: LossesAtDelta) {
        (self.delta, self.estimatedSize, self.retrainedSize, self.lossesAtBase) = (delta, estimatedSize, retrainedSize, lossesAtBase)
    }
}

/// A solve that missed its tolerance: reported, and left out of Ŝ.
public struct UnconvergedSolve: Codable, Equatable, Sendable {
    public var start: Int
    public var residual: Double
    public var normalEquationResidual: Double
    public var iterations: Int
    public init(start: Int, residual: Double, normalEquationResidual: Double, iterations: Int) {
        (self.start, self.residual, self.normalEquationResidual, self.iterations) = (start, residual, normalEquationResidual, iterations)
    }
}

public struct SolutionSetSummary: Codable, Equatable, Sendable {
    public var parameters: Int
    public var trainingSamples: Int
    public var perturbedPoints: [Int]
    public var direction: PerturbationDirection
    public var scaling: MixedTermScaling
    public var damping: Double
    /// ‖Δx‖ of the joint unit directions (√|P|).
    public var directionNorm: Double
    public var solves: Int
    public var retrainRuns: Int
    public var points: [SolutionSetPoint]
    public var unconverged: [UnconvergedSolve]
    /// Empirical modulus sup_δ h(·(0), ·(δ)) / (δ ‖Δx‖) for each set, and the linearised κ.
    public var empiricalModulusEstimated: Double?
    public var empiricalModulusRetrained: Double?
    public var linearisedModulus: Double?
    /// Whether each set's diameter grows with δ: "expanding", "contracting" or "steady".
    public var estimatedTrend: String?
    public var retrainedTrend: String?
    /// False when the summary was made without the weight vectors (no distances).
    public var distancesComputed: Bool

    public init(parameters: Int, trainingSamples: Int, perturbedPoints: [Int], direction: PerturbationDirection, scaling: MixedTermScaling,
                damping: Double, directionNorm: Double, solves: Int, retrainRuns: Int, points: [SolutionSetPoint], unconverged: [UnconvergedSolve],
                distancesComputed: Bool) {
        (self.parameters, self.trainingSamples, self.perturbedPoints, self.direction, self.scaling) = (parameters, trainingSamples, perturbedPoints, direction, scaling)
        (self.damping, self.directionNorm, self.solves, self.retrainRuns, self.points) = (damping, directionNorm, solves, retrainRuns, points)
        (self.unconverged, self.distancesComputed) = (unconverged, distancesComputed)
    }
}
