import ONNX

/// A tensor known at load time: an initializer, a Constant, or the folded result of shape
/// arithmetic. Integers are held exactly in Double (shapes and indices stay far below 2⁵³).
struct StaticTensor: Sendable, Equatable {
    var shape: [Int]
    var values: [Double]
    var isInteger: Bool
    /// The initializer it came from, if any (float initializers can become parameters).
    var initializerName: String?

    /// The batch size stands in folded shapes as this marker, so that a `Shape → Gather →
    /// Concat → Reshape` chain exported for a dynamic batch keeps meaning "the batch".
    static let batchMarker: Double = -1_099_511_627_776

    var count: Int { values.count }
    var ints: [Int] { values.map { Int($0) } }

    init(shape: [Int], values: [Double], isInteger: Bool, initializerName: String? = nil) {
        self.shape = shape
        self.values = values
        self.isInteger = isInteger
        self.initializerName = initializerName
    }

    init(_ tensor: OnnxTensor, initializer: Bool) throws {
        let values: [Double]
        var isInteger = true
        switch tensor.data {
        case .float32(let v): values = v.map(Double.init); isInteger = false
        case .float64(let v): values = v; isInteger = false
        case .int64(let v): values = v.map(Double.init)
        case .int32(let v): values = v.map(Double.init)
        case .uint8(let v): values = v.map(Double.init)
        case .bool(let v): values = v.map { $0 ? 1 : 0 }
        default:
            throw ModelError(place: "tensor '\(tensor.name)'", "element type \(tensor.dataType) is not supported in shape arithmetic")
        }
        self.init(shape: tensor.dims, values: values, isInteger: isInteger,
                  initializerName: initializer ? tensor.name : nil)
    }

    static func integers(_ v: [Int], shape: [Int]? = nil) -> StaticTensor {
        StaticTensor(shape: shape ?? [v.count], values: v.map(Double.init), isInteger: true)
    }

    var isFloatInitializer: Bool { initializerName != nil && !isInteger }
}
