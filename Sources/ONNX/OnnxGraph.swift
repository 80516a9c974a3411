/// A computation graph: nodes in topological order, constant tensors, and declared values.
public struct OnnxGraph: Sendable, Equatable {
    public var name: String
    public var nodes: [OnnxNode]
    public var initializers: [OnnxTensor]
    /// The graph inputs; an input with an initializer of the same name has a default value.
    public var inputs: [OnnxValueInfo]
    public var outputs: [OnnxValueInfo]
    /// Declared types of intermediate values (shape inference results), if any.
    public var valueInfo: [OnnxValueInfo]

    public init(name: String, nodes: [OnnxNode], initializers: [OnnxTensor], inputs: [OnnxValueInfo],
                outputs: [OnnxValueInfo], valueInfo: [OnnxValueInfo] = []) {
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
        self.valueInfo = valueInfo
    }
}
