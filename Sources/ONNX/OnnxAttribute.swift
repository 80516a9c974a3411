/// The value of a node attribute.
public enum OnnxAttribute: Sendable, Equatable {
    case int(Int)
    case float(Float)
    case string(String)
    case tensor(OnnxTensor)
    /// A subgraph, as control-flow operators (If, Loop, Scan) carry.
    case graph(OnnxGraph)
    case ints([Int])
    case floats([Float])
    case strings([String])
    case tensors([OnnxTensor])
    case graphs([OnnxGraph])
    /// A kind Seismo does not read (sparse tensors, type protos, references to attributes of an
    /// enclosing function), by its ONNX name. Such a model can be inspected, not written back.
    case unsupported(String)

    /// The ONNX name of the kind, as in `AttributeProto.AttributeType`.
    public var kind: String {
        switch self {
        case .int: "INT"
        case .float: "FLOAT"
        case .string: "STRING"
        case .tensor: "TENSOR"
        case .graph: "GRAPH"
        case .ints: "INTS"
        case .floats: "FLOATS"
        case .strings: "STRINGS"
        case .tensors: "TENSORS"
        case .graphs: "GRAPHS"
        case .unsupported(let kind): kind
        }
    }
}
