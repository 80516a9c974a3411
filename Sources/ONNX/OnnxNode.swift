/// One operator application in a graph.
public struct OnnxNode: Sendable, Equatable {
    /// May be empty: ONNX does not require node names.
    public var name: String
    public var opType: String
    /// The operator set domain; "" (or "ai.onnx") is the default ONNX domain.
    public var domain: String
    /// Value names; an empty name is an omitted optional input and keeps its position.
    public var inputs: [String]
    /// Value names; an empty name is an omitted optional output.
    public var outputs: [String]
    public var attributes: [String: OnnxAttribute]

    public init(name: String, opType: String, domain: String = "", inputs: [String], outputs: [String],
                attributes: [String: OnnxAttribute] = [:]) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

    /// Names the node in messages: `node '/conv1/Conv' (Conv)`.
    public var place: String { nodePlace(name: name, opType: opType) }
}

/// Typed attribute access: the attribute's value, or `default` when the node does not have it.
/// A missing attribute without a default, or one of another kind, throws an `OnnxError`
/// naming the node, the attribute and the kinds.
extension OnnxNode {
    public func int(_ name: String, default defaultValue: Int? = nil) throws -> Int {
        try attribute(name, defaultValue, "INT") { if case .int(let v) = $0 { v } else { nil } }
    }

    public func ints(_ name: String, default defaultValue: [Int]? = nil) throws -> [Int] {
        try attribute(name, defaultValue, "INTS") { if case .ints(let v) = $0 { v } else { nil } }
    }

    public func float(_ name: String, default defaultValue: Float? = nil) throws -> Float {
        try attribute(name, defaultValue, "FLOAT") { if case .float(let v) = $0 { v } else { nil } }
    }

    public func floats(_ name: String, default defaultValue: [Float]? = nil) throws -> [Float] {
        try attribute(name, defaultValue, "FLOATS") { if case .floats(let v) = $0 { v } else { nil } }
    }

    public func string(_ name: String, default defaultValue: String? = nil) throws -> String {
        try attribute(name, defaultValue, "STRING") { if case .string(let v) = $0 { v } else { nil } }
    }

    public func tensor(_ name: String) throws -> OnnxTensor {
        try attribute(name, nil, "TENSOR") { if case .tensor(let v) = $0 { v } else { nil } }
    }

    private func attribute<Value>(_ name: String, _ defaultValue: Value?, _ expectedKind: String,
                                  _ extract: (OnnxAttribute) -> Value?) throws -> Value {
        let place = "\(self.place), attribute '\(name)'"
        guard let attribute = attributes[name] else {
            if let defaultValue { return defaultValue }
            throw OnnxError(place: place, "is required but missing")
        }
        guard let value = extract(attribute) else {
            throw OnnxError.mismatch(place: place, expected: expectedKind, found: attribute.kind)
        }
        return value
    }
}

func nodePlace(name: String, opType: String, index: Int? = nil) -> String {
    if name.isEmpty, let index { return "node #\(index) (\(opType))" }
    return "node '\(name)' (\(opType))"
}
