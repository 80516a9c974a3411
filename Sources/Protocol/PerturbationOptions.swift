/// How weights are perturbed (MATH.md §2): uniform in the ℓ∞ ball |Δ| ≤ ε, Gaussian with
/// standard deviation ε, or relative |Δ_ij| ≤ ε·|W_ij|.
public enum WeightNoise: String, Codable, Sendable, CaseIterable {
    case uniform
    case gaussian
    case relative
}

/// What a perturbation sweep perturbs.
public enum PerturbationTarget: String, Codable, Sendable, CaseIterable {
    case weights
    case input
}

/// The ball input perturbations are drawn from.
public enum InputNorm: String, Codable, Sendable, CaseIterable {
    case linf
    case l2
}

/// FI and Jacobian norm per sample (from an `influence` run on the same data), to compare with
/// the empirical flip radii of an input sweep.
public struct InfluenceScores: Codable, Equatable, Sendable {
    public var fi: [Double]
    public var jacobianNorm: [Double]
    public init(fi: [Double], jacobianNorm: [Double]) { (self.fi, self.jacobianNorm) = (fi, jacobianNorm) }
}

/// `perturbation-sweep`: accuracy, flips, margins and cross-entropy under random weight
/// perturbations of growing size, with certified margins by interval bound propagation
/// (Tsai, Hsu, Yu & Chen, NeurIPS 2021; MATH.md §2).
public struct PerturbationSweepOptions: AnalysisOptions {
    public static let kind = AnalysisKind.perturbationSweep

    public var target: PerturbationTarget
    /// Perturbation sizes, ascending (0 allowed: the unperturbed network).
    public var epsilons: [Double]
    /// Random perturbations per ε and layer selection.
    public var draws: Int
    public var noise: WeightNoise
    /// Layers perturbed (ONNX node names); nil for every Conv/Gemm/MatMul layer.
    public var layers: [String]?
    /// Perturb one layer at a time (each of `layers`, or each perturbable layer) instead of all together.
    public var eachLayer: Bool
    /// Leave biases fixed.
    public var weightsOnly: Bool
    public var seed: UInt64
    public var labelMode: LabelMode
    public var precision: NetworkPrecision
    /// Compute certified margins by interval bound propagation (uniform and relative noise).
    public var certify: Bool
    /// Input sweeps: the ball, the data's valid range (filled from the data when not given), and
    /// influence scores to correlate with the flip radii.
    public var norm: InputNorm
    public var validRange: ClosedRange<Double>?
    public var influence: InfluenceScores?

    public init(target: PerturbationTarget = .weights, epsilons: [Double], draws: Int = 20, noise: WeightNoise = .uniform,
                layers: [String]? = nil, eachLayer: Bool = false, weightsOnly: Bool = false, seed: UInt64 = 0,
                labelMode: LabelMode = .true, precision: NetworkPrecision = .float, certify: Bool = true, norm: InputNorm = .linf,
                validRange: ClosedRange<Double>? = nil, influence: InfluenceScores? = nil) {
        (self.target, self.epsilons, self.draws, self.noise, self.layers, self.eachLayer) = (target, epsilons, draws, noise, layers, eachLayer)
        (self.weightsOnly, self.seed, self.labelMode, self.precision, self.certify) = (weightsOnly, seed, labelMode, precision, certify)
        (self.norm, self.validRange, self.influence) = (norm, validRange, influence)
    }
}

/// What one random perturbation did to the evaluation set.
public struct DrawMetrics: Codable, Equatable, Sendable {
    public var draw: Int
    public var accuracy: Double
    /// Fraction of samples whose prediction differs from the unperturbed network's.
    public var flipRate: Double
    public var meanCrossEntropy: Double
    /// Margin z_y − max_{j≠y} z_j over the samples: mean and quantiles.
    public var marginMean: Double
    public var marginQ05: Double
    public var marginQ50: Double
    public var marginQ95: Double

    public init(draw: Int, accuracy: Double, flipRate: Double, meanCrossEntropy: Double, marginMean: Double,
                marginQ05: Double, marginQ50: Double, marginQ95: Double) {
        (self.draw, self.accuracy, self.flipRate, self.meanCrossEntropy) = (draw, accuracy, flipRate, meanCrossEntropy)
        (self.marginMean, self.marginQ05, self.marginQ50, self.marginQ95) = (marginMean, marginQ05, marginQ50, marginQ95)
    }
}

/// Certified margins at one ε for one layer selection.
public struct Certification: Codable, Equatable, Sendable {
    /// Fraction of samples whose margin lower bound is positive.
    public var certifiedFraction: Double
    /// Fraction of samples certified and correctly predicted.
    public var certifiedAccuracy: Double
    /// Per sample: min over j ≠ y of lower(z_y) − upper(z_j).
    public var marginLowerBounds: [Double]

    public init(certifiedFraction: Double, certifiedAccuracy: Double, marginLowerBounds: [Double]) {
        (self.certifiedFraction, self.certifiedAccuracy, self.marginLowerBounds) = (certifiedFraction, certifiedAccuracy, marginLowerBounds)
    }
}

/// One shard of a sweep: a range of draws at one ε for one layer selection.
public struct PerturbationShardResult: Codable, Equatable, Sendable {
    public var shard: ShardSpec
    public var draws: [DrawMetrics]
    /// Per sample: how many of this shard's draws flipped its prediction.
    public var flipCounts: [Int]
    public var unperturbedAccuracy: Double
    /// Computed by the shard holding draw 0 (nil for Gaussian noise or when not asked for).
    public var certification: Certification?

    public init(shard: ShardSpec, draws: [DrawMetrics], flipCounts: [Int], unperturbedAccuracy: Double, certification: Certification?) {
        (self.shard, self.draws, self.flipCounts, self.unperturbedAccuracy, self.certification) = (shard, draws, flipCounts, unperturbedAccuracy, certification)
    }
}

/// Mean, standard deviation (n − 1) and quantiles of one metric across draws.
public struct Spread: Codable, Equatable, Sendable {
    public var mean: Double
    public var sd: Double
    public var q05: Double
    public var q50: Double
    public var q95: Double

    public init(mean: Double, sd: Double, q05: Double, q50: Double, q95: Double) {
        (self.mean, self.sd, self.q05, self.q50, self.q95) = (mean, sd, q05, q50, q95)
    }
}

/// One point of the curves: a layer selection at one ε.
public struct SweepPoint: Codable, Equatable, Sendable {
    public var selection: String
    public var epsilon: Double
    public var draws: Int
    public var accuracy: Spread
    public var flipRate: Spread
    public var meanCrossEntropy: Spread
    public var marginMean: Spread
    public var marginQ05: Spread
    public var marginQ50: Spread
    public var marginQ95: Spread
    /// Fraction of samples that no draw flipped: what was observed to be robust.
    public var neverFlipped: Double
    /// What was proven: certified fraction and accuracy (nil for Gaussian noise).
    public var certifiedFraction: Double?
    public var certifiedAccuracy: Double?

    public init(selection: String, epsilon: Double, draws: Int, accuracy: Spread, flipRate: Spread, meanCrossEntropy: Spread,
                marginMean: Spread, marginQ05: Spread, marginQ50: Spread, marginQ95: Spread, neverFlipped: Double,
                certifiedFraction: Double?, certifiedAccuracy: Double?) {
        (self.selection, self.epsilon, self.draws, self.accuracy, self.flipRate) = (selection, epsilon, draws, accuracy, flipRate)
        (self.meanCrossEntropy, self.marginMean, self.marginQ05, self.marginQ50, self.marginQ95) = (meanCrossEntropy, marginMean, marginQ05, marginQ50, marginQ95)
        (self.neverFlipped, self.certifiedFraction, self.certifiedAccuracy) = (neverFlipped, certifiedFraction, certifiedAccuracy)
    }
}

/// Per layer selection: the smallest ε of the grid at which the mean accuracy has dropped by 1,
/// 5 and 10 points (nil when it never does).
public struct LayerSensitivity: Codable, Equatable, Sendable {
    public var selection: String
    public var epsilonDrop1: Double?
    public var epsilonDrop5: Double?
    public var epsilonDrop10: Double?

    public init(selection: String, epsilonDrop1: Double?, epsilonDrop5: Double?, epsilonDrop10: Double?) {
        (self.selection, self.epsilonDrop1, self.epsilonDrop5, self.epsilonDrop10) = (selection, epsilonDrop1, epsilonDrop5, epsilonDrop10)
    }
}

/// Per sample, how far its input can move (input sweeps): the smallest ε of the grid at which a
/// draw flipped its prediction, the largest ε at which it is certified, and how well FI and the
/// Jacobian norm rank the fragile samples (Spearman against 1 / flip radius, never-flipped samples
/// counting as 0).
public struct InputRobustness: Codable, Equatable, Sendable {
    public var flipRadius: [Double?]
    public var certifiedRadius: [Double?]
    public var flippedSamples: Int
    public var spearmanFI: Double?
    public var spearmanJacobianNorm: Double?
    public var correlationSamples: Int

    public init(flipRadius: [Double?], certifiedRadius: [Double?], flippedSamples: Int, spearmanFI: Double?,
                spearmanJacobianNorm: Double?, correlationSamples: Int) {
        (self.flipRadius, self.certifiedRadius, self.flippedSamples) = (flipRadius, certifiedRadius, flippedSamples)
        (self.spearmanFI, self.spearmanJacobianNorm, self.correlationSamples) = (spearmanFI, spearmanJacobianNorm, correlationSamples)
    }
}

public struct PerturbationSweepSummary: Codable, Equatable, Sendable {
    public var target: PerturbationTarget
    public var noise: WeightNoise
    public var labelMode: LabelMode
    public var samples: Int
    public var unperturbedAccuracy: Double
    public var epsilons: [Double]
    public var selections: [String]
    public var points: [SweepPoint]
    /// Layers ranked by the ε at which they first cost 1 point of accuracy (most sensitive first).
    public var sensitivity: [LayerSensitivity]
    /// Input sweeps only.
    public var input: InputRobustness?

    public init(target: PerturbationTarget, noise: WeightNoise, labelMode: LabelMode, samples: Int, unperturbedAccuracy: Double,
                epsilons: [Double], selections: [String], points: [SweepPoint], sensitivity: [LayerSensitivity], input: InputRobustness? = nil) {
        (self.target, self.noise, self.labelMode, self.samples, self.unperturbedAccuracy) = (target, noise, labelMode, samples, unperturbedAccuracy)
        (self.epsilons, self.selections, self.points, self.sensitivity, self.input) = (epsilons, selections, points, sensitivity, input)
    }
}
