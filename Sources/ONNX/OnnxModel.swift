/// An ONNX model: the graph and the operator sets its nodes are defined by.
public struct OnnxModel: Sendable, Equatable {
    /// The ONNX IR (file format) version.
    public var irVersion: Int
    /// Operator set version per domain. The default ONNX domain is "" (some files spell it
    /// "ai.onnx"); custom domains such as "com.microsoft" have their own versions.
    public var opsetImports: [String: Int]
    public var producerName: String
    public var producerVersion: String
    public var graph: OnnxGraph

    public init(irVersion: Int, opsetImports: [String: Int], producerName: String, producerVersion: String,
                graph: OnnxGraph) {
        self.irVersion = irVersion
        self.opsetImports = opsetImports
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.graph = graph
    }

    /// The version of the default ONNX operator set, which fixes the semantics of standard
    /// operators; 0 when the model imports none (it then uses no standard operators).
    public var opset: Int {
        opsetImports[""] ?? opsetImports["ai.onnx"] ?? 0
    }
}

/// Whether a node or opset domain names the default ONNX operator set.
func isDefaultDomain(_ domain: String) -> Bool {
    domain.isEmpty || domain == "ai.onnx"
}
