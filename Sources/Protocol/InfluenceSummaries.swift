/// Per-class view of a score (MATH.md §4).
public struct ClassSummary: Codable, Equatable, Sendable {
    /// The true label when known, else the prediction.
    public var label: Int
    public var count: Int
    /// Fraction predicted correctly (nil without true labels).
    public var accuracy: Double?
    public var fiMean: Double
    public var fiMedian: Double
    public var jacobianNormMean: Double
    public var saturationMean: Double

    public init(label: Int, count: Int, accuracy: Double?, fiMean: Double, fiMedian: Double, jacobianNormMean: Double, saturationMean: Double) {
        self.label = label
        self.count = count
        self.accuracy = accuracy
        self.fiMean = fiMean
        self.fiMedian = fiMedian
        self.jacobianNormMean = jacobianNormMean
        self.saturationMean = saturationMean
    }
}

/// The scores of one set of samples.
public struct InfluenceSetSummary: Codable, Equatable, Sendable {
    public var samples: Int
    /// Fraction predicted correctly (nil without true labels).
    public var accuracy: Double?
    public var fi: ScoreSummary
    public var fiReference: ScoreSummary?
    public var jacobianNorm: ScoreSummary
    public var saturation: ScoreSummary
    public var cook: ScoreSummary?
    /// Spearman rank correlation between FI and the Jacobian norm.
    public var spearmanFiJacobianNorm: Double
    public var perClass: [ClassSummary]

    public init(samples: Int, accuracy: Double?, fi: ScoreSummary, fiReference: ScoreSummary?, jacobianNorm: ScoreSummary,
                saturation: ScoreSummary, cook: ScoreSummary?, spearmanFiJacobianNorm: Double, perClass: [ClassSummary]) {
        self.samples = samples
        self.accuracy = accuracy
        self.fi = fi
        self.fiReference = fiReference
        self.jacobianNorm = jacobianNorm
        self.saturation = saturation
        self.cook = cook
        self.spearmanFiJacobianNorm = spearmanFiJacobianNorm
        self.perClass = perClass
    }
}

/// Primary against comparison set (e.g. training against test set, Setup 3).
public struct SetComparison: Codable, Equatable, Sendable {
    public var fi: TwoSampleComparison
    public var jacobianNorm: TwoSampleComparison

    public init(fi: TwoSampleComparison, jacobianNorm: TwoSampleComparison) {
        self.fi = fi
        self.jacobianNorm = jacobianNorm
    }
}

/// How well each score finds the labelled outliers.
public struct OutlierSummary: Codable, Equatable, Sendable {
    public var outliers: Int
    public var fi: OutlierDetection
    public var jacobianNorm: OutlierDetection
    public var cook: OutlierDetection?

    public init(outliers: Int, fi: OutlierDetection, jacobianNorm: OutlierDetection, cook: OutlierDetection?) {
        self.outliers = outliers
        self.fi = fi
        self.jacobianNorm = jacobianNorm
        self.cook = cook
    }
}

/// The aggregate of an `influence` job.
public struct InfluenceSummary: Codable, Equatable, Sendable {
    public var kind: AnalysisKind
    public var labelMode: LabelMode
    public var referenceEpsilon: Double?
    public var primary: InfluenceSetSummary
    public var comparison: InfluenceSetSummary?
    public var comparisonTest: SetComparison?
    public var outliers: OutlierSummary?

    public init(labelMode: LabelMode, referenceEpsilon: Double?, primary: InfluenceSetSummary, comparison: InfluenceSetSummary?,
                comparisonTest: SetComparison?, outliers: OutlierSummary?) {
        kind = .influence
        self.labelMode = labelMode
        self.referenceEpsilon = referenceEpsilon
        self.primary = primary
        self.comparison = comparison
        self.comparisonTest = comparisonTest
        self.outliers = outliers
    }
}

/// Map values at one scale over all mapped samples.
public struct ScaleSummary: Codable, Equatable, Sendable {
    public var scale: Int
    /// Distribution over samples of each sample's mean map value at this scale.
    public var sampleMean: ScoreSummary
    /// Distribution over samples of each sample's largest map value at this scale.
    public var sampleMax: ScoreSummary
    /// Fraction of all entries within 1e-6 (relative) of their sample's bound (1 − p_y)/p_y.
    public var saturatedFraction: Double

    public init(scale: Int, sampleMean: ScoreSummary, sampleMax: ScoreSummary, saturatedFraction: Double) {
        self.scale = scale
        self.sampleMean = sampleMean
        self.sampleMax = sampleMax
        self.saturatedFraction = saturatedFraction
    }
}

/// The one-pixel check over all mapped samples, per way of choosing the pixel.
public struct OnePixelSummary: Codable, Equatable, Sendable {
    public struct Strategy: Codable, Equatable, Sendable {
        public var flipRate: Double
        /// Median magnitude of the flipping moves (nil when none flipped).
        public var medianMagnitude: Double?

        public init(flipRate: Double, medianMagnitude: Double?) {
            self.flipRate = flipRate
            self.medianMagnitude = medianMagnitude
        }
    }

    public var samples: Int
    public var validRange: ClosedRange<Double>
    public var influence: Strategy
    public var gradient: Strategy
    public var random: Strategy

    public init(samples: Int, validRange: ClosedRange<Double>, influence: Strategy, gradient: Strategy, random: Strategy) {
        self.samples = samples
        self.validRange = validRange
        self.influence = influence
        self.gradient = gradient
        self.random = random
    }
}

/// The aggregate of an `influence-maps` job.
public struct InfluenceMapsSummary: Codable, Equatable, Sendable {
    public var kind: AnalysisKind
    public var labelMode: LabelMode
    public var referenceEpsilon: Double?
    public var samples: Int
    public var scales: [Int]
    public var channelMode: InfluenceMapsOptions.ChannelMode
    /// Whole-input FI of the mapped samples.
    public var fi: ScoreSummary
    public var perScale: [ScaleSummary]
    public var onePixel: OnePixelSummary?

    public init(labelMode: LabelMode, referenceEpsilon: Double?, samples: Int, scales: [Int], channelMode: InfluenceMapsOptions.ChannelMode,
                fi: ScoreSummary, perScale: [ScaleSummary], onePixel: OnePixelSummary?) {
        kind = .influenceMaps
        self.labelMode = labelMode
        self.referenceEpsilon = referenceEpsilon
        self.samples = samples
        self.scales = scales
        self.channelMode = channelMode
        self.fi = fi
        self.perScale = perScale
        self.onePixel = onePixel
    }
}

/// One layer's parameter FI over all samples.
public struct LayerSummary: Codable, Equatable, Sendable {
    /// Position in graph order; the last entry is `all`.
    public var index: Int
    /// ONNX node name, or `all`.
    public var layer: String
    public var parameters: Int
    public var fi: ScoreSummary
    public var fiReference: ScoreSummary?
    public var saturationMean: Double

    public init(index: Int, layer: String, parameters: Int, fi: ScoreSummary, fiReference: ScoreSummary?, saturationMean: Double) {
        self.index = index
        self.layer = layer
        self.parameters = parameters
        self.fi = fi
        self.fiReference = fiReference
        self.saturationMean = saturationMean
    }
}

/// The aggregate of an `influence-params` job.
public struct InfluenceParamsSummary: Codable, Equatable, Sendable {
    public var kind: AnalysisKind
    public var labelMode: LabelMode
    public var referenceEpsilon: Double?
    public var samples: Int
    public var layers: [LayerSummary]
    /// Layer names (without `all`) by decreasing mean FI.
    public var ranking: [String]

    public init(labelMode: LabelMode, referenceEpsilon: Double?, samples: Int, layers: [LayerSummary], ranking: [String]) {
        kind = .influenceParams
        self.labelMode = labelMode
        self.referenceEpsilon = referenceEpsilon
        self.samples = samples
        self.layers = layers
        self.ranking = ranking
    }
}
