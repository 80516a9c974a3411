/// `influence`: FI of perturbing the whole input, per sample (MATH.md §1.3; Shu & Zhu Setups 1, 3).
public struct InfluenceOptions: AnalysisOptions {
    public static let kind = AnalysisKind.influence

    public var labelMode: LabelMode
    /// Also compute the reference-mode FI with this ε (MATH.md §1.2).
    public var referenceEpsilon: Double?
    public var precision: NetworkPrecision
    /// How many of the largest values each summary lists.
    public var top: Int

    public init(labelMode: LabelMode = .predicted, referenceEpsilon: Double? = nil, precision: NetworkPrecision = .float, top: Int = 20) {
        self.labelMode = labelMode
        self.referenceEpsilon = referenceEpsilon
        self.precision = precision
        self.top = top
    }
}

/// `influence-maps`: multi-scale per-pixel FI maps (Setup 4) and the one-pixel check.
public struct InfluenceMapsOptions: AnalysisOptions {
    public static let kind = AnalysisKind.influenceMaps

    public enum ChannelMode: String, Codable, Sendable, CaseIterable { case separate, joint, mean }

    public var labelMode: LabelMode
    public var referenceEpsilon: Double?
    public var precision: NetworkPrecision
    public var top: Int
    /// Odd window sides.
    public var scales: [Int]
    public var channelMode: ChannelMode
    /// The samples to map (indices into the data); nil for all.
    public var indices: [Int]?
    /// Run the one-pixel check (MATH.md §1.3).
    public var onePixelCheck: Bool
    /// The data's valid range, for the one-pixel check (from the data when not given).
    public var validRange: ClosedRange<Double>?
    /// Seed of the random pixel of the one-pixel check.
    public var seed: UInt64

    public init(labelMode: LabelMode = .predicted, referenceEpsilon: Double? = nil, precision: NetworkPrecision = .float, top: Int = 20,
                scales: [Int] = [1, 3, 5, 7], channelMode: ChannelMode = .separate, indices: [Int]? = nil,
                onePixelCheck: Bool = true, validRange: ClosedRange<Double>? = nil, seed: UInt64 = 0) {
        self.labelMode = labelMode
        self.referenceEpsilon = referenceEpsilon
        self.precision = precision
        self.top = top
        self.scales = scales
        self.channelMode = channelMode
        self.indices = indices
        self.onePixelCheck = onePixelCheck
        self.validRange = validRange
        self.seed = seed
    }
}

/// `influence-params`: FI of perturbing each layer's parameters, and all of them (Setup 2).
public struct InfluenceParamsOptions: AnalysisOptions {
    public static let kind = AnalysisKind.influenceParams

    public var labelMode: LabelMode
    public var referenceEpsilon: Double?
    public var precision: NetworkPrecision
    public var top: Int

    public init(labelMode: LabelMode = .true, referenceEpsilon: Double? = nil, precision: NetworkPrecision = .float, top: Int = 20) {
        self.labelMode = labelMode
        self.referenceEpsilon = referenceEpsilon
        self.precision = precision
        self.top = top
    }
}
