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

    public init(target: PerturbationTarget = .weights, epsilons: [Double], draws: Int = 20, noise: WeightNoise = .uniform,
                layers: [String]? = nil, eachLayer: Bool = false, weightsOnly: Bool = false, seed: UInt64 = 0,
                labelMode: LabelMode = .true, precision: NetworkPrecision = .float, certify: Bool = true) {
        (self.target, self.epsilons, self.draws, self.noise, self.layers, self.eachLayer) = (target, epsilons, draws, noise, layers, eachLayer)
        (self.weightsOnly, self.seed, self.labelMode, self.precision, self.certify) = (weightsOnly, seed, labelMode, precision, certify)
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
    /// Computed by the shard holding draw 0 (nil for Gaussian noise or when not asked for).
    public var certification: Certification?

    public init(shard: ShardSpec, draws: [DrawMetrics], certification: Certification?) {
        (self.shard, self.draws, self.certification) = (shard, draws, certification)
    }
}
