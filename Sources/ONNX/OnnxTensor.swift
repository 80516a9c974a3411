/// A constant tensor: an initializer, or the value of a tensor attribute.
public struct OnnxTensor: Sendable, Equatable {
    public var name: String
    /// The shape; `[]` is a scalar (one element).
    public var dims: [Int]
    /// The elements in row-major order; their count must be the product of `dims`.
    public var data: OnnxTensorData

    public init(name: String, dims: [Int], data: OnnxTensorData) {
        self.name = name
        self.dims = dims
        self.data = data
    }

    public var dataType: OnnxDataType { data.dataType }
}

/// The elements of a tensor, by element type.
public enum OnnxTensorData: Sendable, Equatable {
    case float32([Float])
    case float64([Double])
    /// FLOAT16 elements, widened exactly to Float; written back as FLOAT16 (rounded to nearest even).
    case float16([Float])
    /// BFLOAT16 elements, widened exactly to Float; written back as BFLOAT16 (rounded to nearest even).
    case bfloat16([Float])
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case int64([Int64])
    case uint8([UInt8])
    case uint16([UInt16])
    case uint32([UInt32])
    case uint64([UInt64])
    case bool([Bool])
    case string([String])

    public var dataType: OnnxDataType {
        switch self {
        case .float32: .float
        case .float64: .double
        case .float16: .float16
        case .bfloat16: .bfloat16
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .int64: .int64
        case .uint8: .uint8
        case .uint16: .uint16
        case .uint32: .uint32
        case .uint64: .uint64
        case .bool: .bool
        case .string: .string
        }
    }

    /// The number of elements.
    public var count: Int {
        switch self {
        case .float32(let v), .float16(let v), .bfloat16(let v): v.count
        case .float64(let v): v.count
        case .int8(let v): v.count
        case .int16(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .uint8(let v): v.count
        case .uint16(let v): v.count
        case .uint32(let v): v.count
        case .uint64(let v): v.count
        case .bool(let v): v.count
        case .string(let v): v.count
        }
    }
}

/// The number of elements of a tensor with these dims, refusing negative sizes and products
/// that overflow (a corrupted file must not make us allocate or index absurd amounts).
func elementCount(of dims: [Int], place: String) throws -> Int {
    var count = 1
    for (axis, size) in dims.enumerated() {
        guard size >= 0 else {
            throw OnnxError(place: place, "dims \(dims) has negative size \(size) on axis \(axis)")
        }
        let (product, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow else {
            throw OnnxError(place: place, "dims \(dims) describe more elements than can be addressed")
        }
        count = product
    }
    return count
}

/// The byte count of `count` elements of `size` bytes, refusing overflow.
func byteCount(elements count: Int, size: Int, place: String) throws -> Int {
    let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
    guard !overflow else {
        throw OnnxError(place: place, "\(count) elements of \(size) bytes cannot be addressed")
    }
    return bytes
}
