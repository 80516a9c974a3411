import Foundation

/// Reads a TensorProto from whichever field holds its elements. Per the ONNX spec that is
/// `raw_data` or an external file (fixed-width types, little-endian), or else the typed field
/// for the element type: `float_data` for FLOAT, `double_data` for DOUBLE, `int64_data` for
/// INT64, `uint64_data` for UINT32 and UINT64, `string_data` for STRING, and `int32_data` for
/// INT32 and every narrower type — INT8, UINT8, INT16, UINT16, BOOL, and the bit patterns of
/// FLOAT16 and BFLOAT16.
struct TensorReader {
    let externalData: ExternalDataReader

    func tensor(_ proto: Onnx_TensorProto, place: String) throws -> OnnxTensor {
        let dims = proto.dims.map { Int($0) }
        let count = try elementCount(of: dims, place: place)
        let code = Int(proto.dataType)
        guard let type = OnnxDataType(rawValue: code) else {
            throw OnnxError(place: place, "data_type is \(describeDataTypeCode(code))")
        }
        let shape = Shape(type: type, dims: dims, count: count)
        return OnnxTensor(name: proto.name, dims: dims, data: try elements(of: proto, shape, place: place))
    }

    /// What the dims and data_type promise, for checking and describing the stored elements.
    private struct Shape: CustomStringConvertible {
        var type: OnnxDataType
        var dims: [Int]
        var count: Int
        var description: String { "\(type) dims \(dims)" }
    }

    private func elements(of proto: Onnx_TensorProto, _ shape: Shape, place: String) throws -> OnnxTensorData {
        if proto.dataLocation == .external {
            let source = try ExternalDataLocation(entries: proto.externalData, place: place)
            guard let size = shape.type.rawElementSize else {
                throw OnnxError(place: place, "element type \(shape.type) cannot be read from external data")
            }
            let byteCount = try byteCount(elements: shape.count, size: size, place: place)
            let bytes = try externalData.bytes(at: source, byteCount: byteCount, place: place)
            return try RawElements.decode(bytes, as: shape.type, count: shape.count, place: place, field: "external data")
        }
        if proto.hasRawData {
            return try RawElements.decode(proto.rawData, as: shape.type, count: shape.count, place: place, field: "raw_data")
        }
        return try typedElements(of: proto, shape, place: place)
    }

    private func typedElements(of proto: Onnx_TensorProto, _ shape: Shape, place: String) throws -> OnnxTensorData {
        let field = Field(shape: shape, place: place)
        switch shape.type {
        case .float: return .float32(try field.exact(proto.floatData, "float_data"))
        case .double: return .float64(try field.exact(proto.doubleData, "double_data"))
        case .int64: return .int64(try field.exact(proto.int64Data, "int64_data"))
        case .uint64: return .uint64(try field.exact(proto.uint64Data, "uint64_data"))
        case .uint32: return .uint32(try field.narrowed(proto.uint64Data, "uint64_data"))
        case .int32: return .int32(try field.exact(proto.int32Data, "int32_data"))
        case .int16: return .int16(try field.narrowed(proto.int32Data, "int32_data"))
        case .int8: return .int8(try field.narrowed(proto.int32Data, "int32_data"))
        case .uint16: return .uint16(try field.narrowed(proto.int32Data, "int32_data"))
        case .uint8: return .uint8(try field.narrowed(proto.int32Data, "int32_data"))
        case .bool: return .bool(try field.exact(proto.int32Data, "int32_data").map { $0 != 0 })
        case .float16:
            let bits: [UInt16] = try field.narrowed(proto.int32Data, "int32_data")
            return .float16(bits.map(HalfPrecision.float(fromFloat16Bits:)))
        case .bfloat16:
            let bits: [UInt16] = try field.narrowed(proto.int32Data, "int32_data")
            return .bfloat16(bits.map(HalfPrecision.float(fromBFloat16Bits:)))
        case .string: return .string(try field.strings(proto.stringData))
        default: throw OnnxError(place: place, "element type \(shape.type) is not supported")
        }
    }

    /// Checks one typed storage field against the promised element count and type.
    private struct Field {
        var shape: Shape
        var place: String

        func exact<Element>(_ values: [Element], _ name: String) throws -> [Element] {
            guard values.count == shape.count else {
                throw OnnxError.mismatch(place: place, expected: "\(shape.count) elements in \(name) for \(shape)",
                                         found: "\(values.count)")
            }
            return values
        }

        func narrowed<Stored: BinaryInteger, Element: FixedWidthInteger>(_ values: [Stored], _ name: String) throws -> [Element] {
            try exact(values, name).map { value in
                guard let element = Element(exactly: value) else {
                    throw OnnxError(place: place, "\(name) holds \(value), which is out of range for \(shape.type)")
                }
                return element
            }
        }

        func strings(_ values: [Data]) throws -> [String] {
            try exact(values, "string_data").enumerated().map { index, bytes in
                guard let string = String(data: bytes, encoding: .utf8) else {
                    throw OnnxError(place: place, "string_data element \(index) is not valid UTF-8")
                }
                return string
            }
        }
    }
}
