/// Element types Seismo reads and writes (ONNX and NumPy use the same small set).
public enum ElementType: String, Sendable, Codable, CaseIterable {
    case float32, float64, uint8, int32, int64

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .uint8: 1
        case .float32, .int32: 4
        case .float64, .int64: 8
        }
    }
}
