/// Options of one analysis kind.
public protocol AnalysisOptions: Codable, Equatable, Sendable {
    static var kind: AnalysisKind { get }
}

/// What a user asks for: the inputs and the options of one analysis kind. On the wire:
/// `{"kind": "influence", "inputs": {…}, "options": {…}}`.
public struct JobSpec<Options: AnalysisOptions>: Codable, Equatable, Sendable {
    public var inputs: JobInputs
    public var options: Options

    public init(inputs: JobInputs, options: Options) {
        self.inputs = inputs
        self.options = options
    }

    public var kind: AnalysisKind { Options.kind }

    private enum CodingKeys: String, CodingKey { case kind, inputs, options }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(AnalysisKind.self, forKey: .kind)
        guard kind == Options.kind else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container,
                                                   debugDescription: "expected kind \(Options.kind.rawValue), got \(kind.rawValue)")
        }
        inputs = try container.decode(JobInputs.self, forKey: .inputs)
        options = try container.decode(Options.self, forKey: .options)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Options.kind, forKey: .kind)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(options, forKey: .options)
    }
}

/// Which label an influence measure uses: the true label y or the prediction ŷ = argmax p.
public enum LabelMode: String, Codable, Sendable, CaseIterable {
    case `true`
    case predicted
}

/// The arithmetic the network runs in (the K×K algebra is always Double).
public enum NetworkPrecision: String, Codable, Sendable, CaseIterable {
    case float
    case double
}
