import ONNX

/// A validated network graph, independent of the precision it runs in.
///
/// Nodes are topologically ordered and hold their compiled operation; every activation's
/// per-sample shape is known. Parameters keep their ONNX values (Float32) as the master copy.
public struct Model: Sendable {
    public struct Parameter: Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        public var count: Int { values.count }
    }

    public struct Constant: Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Double]
    }

    public struct Node: Sendable {
        public var name: String
        public var opType: String
        var operation: Operation
        public var inputs: [ValueRef]
        /// Index of the activation this node writes.
        public var output: Int
    }

    /// A node that consumes trainable parameters: the unit of per-layer influence.
    public struct Layer: Sendable, Equatable {
        public var name: String
        public var opType: String
        public var parameters: [Int]
    }

    public var graphName: String
    public var opset: Int
    public var producer: String
    public var inputName: String
    /// Per-sample input shape, without the batch axis (C, H, W for images).
    public var inputShape: [Int]
    /// Name of the graph output and of the logits tensor (the input of a final Softmax, if any).
    public var outputName: String
    public var logitsName: String
    public var finalActivation: String?
    public var nodes: [Node]
    public var parameters: [Parameter]
    public var constants: [Constant]
    /// Per-sample shapes of activations; index 0 is the model input.
    public var activationShapes: [[Int]]
    public var activationNames: [String]
    /// Activation index of the logits.
    public var logitsActivation: Int
    public var layers: [Layer]
    /// Whether the ONNX input has a fixed batch dimension (exported without dynamic axes).
    public var fixedBatch: Int?
    /// The ONNX graph it was built from; saving a trained model rewrites its initializers.
    public var source: OnnxModel

    public var classes: Int { activationShapes[logitsActivation].reduce(1, *) }
    public var inputCount: Int { inputShape.reduce(1, *) }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Operation types in graph order, without repeats.
    public var opTypes: [String] {
        var seen = Set<String>()
        return nodes.map(\.opType).filter { seen.insert($0).inserted }
    }
}
