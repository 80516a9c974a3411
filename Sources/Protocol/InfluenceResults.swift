/// One sample's whole-input influence (a row of `samples.csv`).
public struct SampleInfluence: Codable, Equatable, Sendable {
    /// Index of the sample in its data set.
    public var index: Int
    /// The label FI is taken for: the true label or the prediction, by label mode.
    public var label: Int
    public var trueLabel: Int?
    public var predicted: Int
    /// p_y of `label`.
    public var pLabel: Double
    public var fi: Double
    public var fiReference: Double?
    public var jacobianNorm: Double
    public var rank: Int
    /// fi / ((1 − p_y)/p_y).
    public var saturation: Double
    /// Cook's local influence, when the input has at most 256 coordinates.
    public var cook: Double?
    /// Whether the sample is a labelled outlier (when outlier labels were given).
    public var outlier: Bool?

    public init(index: Int, label: Int, trueLabel: Int?, predicted: Int, pLabel: Double, fi: Double, fiReference: Double?,
                jacobianNorm: Double, rank: Int, saturation: Double, cook: Double?, outlier: Bool? = nil) {
        self.index = index
        self.label = label
        self.trueLabel = trueLabel
        self.predicted = predicted
        self.pLabel = pLabel
        self.fi = fi
        self.fiReference = fiReference
        self.jacobianNorm = jacobianNorm
        self.rank = rank
        self.saturation = saturation
        self.cook = cook
        self.outlier = outlier
    }
}

/// What one `influence` shard returns.
public struct InfluenceShardResult: Codable, Equatable, Sendable {
    public var shard: ShardSpec
    public var samples: [SampleInfluence]

    public init(shard: ShardSpec, samples: [SampleInfluence]) {
        self.shard = shard
        self.samples = samples
    }
}

/// The one-pixel check of one sample: one coordinate moved toward lower log p_ŷ within the
/// valid range, for three ways of choosing it.
public struct OnePixelCheck: Codable, Equatable, Sendable {
    public struct Attempt: Codable, Equatable, Sendable {
        /// Flattened input coordinate (NCHW order).
        public var coordinate: Int
        /// Whether some magnitude within the valid range changed the prediction.
        public var flipped: Bool
        /// The smallest |change| found that flips it (in data units); nil when none does.
        public var magnitude: Double?
        /// The prediction at the largest move tried (or at the flip).
        public var newPrediction: Int

        public init(coordinate: Int, flipped: Bool, magnitude: Double?, newPrediction: Int) {
            self.coordinate = coordinate
            self.flipped = flipped
            self.magnitude = magnitude
            self.newPrediction = newPrediction
        }
    }

    /// The coordinate of largest scale-1 FI.
    public var influence: Attempt
    /// The coordinate of largest |∂ log p_ŷ / ∂x|.
    public var gradient: Attempt
    /// A seeded random coordinate.
    public var random: Attempt

    public init(influence: Attempt, gradient: Attempt, random: Attempt) {
        self.influence = influence
        self.gradient = gradient
        self.random = random
    }
}

/// One sample's maps.
public struct SampleMaps: Codable, Equatable, Sendable {
    public var index: Int
    public var label: Int
    public var trueLabel: Int?
    public var predicted: Int
    public var pLabel: Double
    /// Whole-input FI, for ranking.
    public var fi: Double
    /// (1 − p_y)/p_y, the bound of every map entry.
    public var fiBound: Double
    /// scales × map channels × H × W.
    public var maps: PackedFloats
    public var mapsReference: PackedFloats?
    public var onePixel: OnePixelCheck?

    public init(index: Int, label: Int, trueLabel: Int?, predicted: Int, pLabel: Double, fi: Double, fiBound: Double,
                maps: PackedFloats, mapsReference: PackedFloats?, onePixel: OnePixelCheck?) {
        self.index = index
        self.label = label
        self.trueLabel = trueLabel
        self.predicted = predicted
        self.pLabel = pLabel
        self.fi = fi
        self.fiBound = fiBound
        self.maps = maps
        self.mapsReference = mapsReference
        self.onePixel = onePixel
    }
}

public struct InfluenceMapsShardResult: Codable, Equatable, Sendable {
    public var shard: ShardSpec
    public var samples: [SampleMaps]

    public init(shard: ShardSpec, samples: [SampleMaps]) {
        self.shard = shard
        self.samples = samples
    }
}

/// One sample's FI for every layer's parameters, then for all parameters (`layers` order).
public struct SampleLayerInfluence: Codable, Equatable, Sendable {
    public var index: Int
    public var label: Int
    public var trueLabel: Int?
    public var predicted: Int
    public var pLabel: Double
    /// (1 − p_y)/p_y, the bound of every FI of the sample.
    public var fiBound: Double
    public var fi: [Double]
    public var fiReference: [Double]?
    public var rank: [Int]

    public init(index: Int, label: Int, trueLabel: Int?, predicted: Int, pLabel: Double, fiBound: Double, fi: [Double],
                fiReference: [Double]?, rank: [Int]) {
        self.index = index
        self.label = label
        self.trueLabel = trueLabel
        self.predicted = predicted
        self.pLabel = pLabel
        self.fiBound = fiBound
        self.fi = fi
        self.fiReference = fiReference
        self.rank = rank
    }
}

/// A layer of parameter influence: an ONNX node that consumes trainable parameters, or `all`.
public struct LayerInfo: Codable, Equatable, Sendable {
    public var name: String
    public var opType: String
    public var parameters: Int

    public init(name: String, opType: String, parameters: Int) {
        self.name = name
        self.opType = opType
        self.parameters = parameters
    }
}

public struct InfluenceParamsShardResult: Codable, Equatable, Sendable {
    public var shard: ShardSpec
    /// The layers in graph order, then `all`: the order of every per-sample list.
    public var layers: [LayerInfo]
    public var samples: [SampleLayerInfluence]

    public init(shard: ShardSpec, layers: [LayerInfo], samples: [SampleLayerInfluence]) {
        self.shard = shard
        self.layers = layers
        self.samples = samples
    }
}
