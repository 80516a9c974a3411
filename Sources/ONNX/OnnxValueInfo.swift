/// The declared type of a graph input, output or intermediate value.
public struct OnnxValueInfo: Sendable, Equatable {
    public var name: String
    /// nil when the type is not declared, is not a tensor type, or has an unknown code.
    public var elementType: OnnxDataType?
    /// nil when the shape (even its rank) is not declared.
    public var dims: [OnnxDimension]?

    public init(name: String, elementType: OnnxDataType?, dims: [OnnxDimension]?) {
        self.name = name
        self.elementType = elementType
        self.dims = dims
    }
}
