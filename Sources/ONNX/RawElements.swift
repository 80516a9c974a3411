import Foundation

#if !_endian(little)
#error("ONNX raw_data is little-endian; Seismo copies it without byte swapping")
#endif

/// Tensor elements in the `raw_data` layout: fixed width, little-endian, densely packed.
enum RawElements {
    /// Decodes `count` elements of `type`; `raw` must hold exactly that many.
    static func decode(_ raw: Data, as type: OnnxDataType, count: Int, place: String, field: String) throws -> OnnxTensorData {
        guard let size = type.rawElementSize else {
            throw OnnxError(place: place, "element type \(type) cannot be read from \(field)")
        }
        let expected = try byteCount(elements: count, size: size, place: place)
        guard raw.count == expected else {
            throw OnnxError.mismatch(place: place, expected: "\(expected) bytes of \(field) for \(count) \(type) elements",
                                     found: "\(raw.count)")
        }
        switch type {
        case .float: return .float32(copy(raw, count: count))
        case .double: return .float64(copy(raw, count: count))
        case .float16: return .float16(copy(raw, count: count, as: UInt16.self).map(HalfPrecision.float(fromFloat16Bits:)))
        case .bfloat16: return .bfloat16(copy(raw, count: count, as: UInt16.self).map(HalfPrecision.float(fromBFloat16Bits:)))
        case .int8: return .int8(copy(raw, count: count))
        case .int16: return .int16(copy(raw, count: count))
        case .int32: return .int32(copy(raw, count: count))
        case .int64: return .int64(copy(raw, count: count))
        case .uint8: return .uint8(copy(raw, count: count))
        case .uint16: return .uint16(copy(raw, count: count))
        case .uint32: return .uint32(copy(raw, count: count))
        case .uint64: return .uint64(copy(raw, count: count))
        case .bool: return .bool(copy(raw, count: count, as: UInt8.self).map { $0 != 0 })
        default: throw OnnxError(place: place, "element type \(type) cannot be read from \(field)")
        }
    }

    /// The raw_data bytes of numeric data; nil for strings, which ONNX never stores raw.
    static func encode(_ data: OnnxTensorData) -> Data? {
        switch data {
        case .float32(let v): bytes(of: v)
        case .float64(let v): bytes(of: v)
        case .float16(let v): bytes(of: v.map(HalfPrecision.float16Bits(from:)))
        case .bfloat16(let v): bytes(of: v.map(HalfPrecision.bfloat16Bits(from:)))
        case .int8(let v): bytes(of: v)
        case .int16(let v): bytes(of: v)
        case .int32(let v): bytes(of: v)
        case .int64(let v): bytes(of: v)
        case .uint8(let v): Data(v)
        case .uint16(let v): bytes(of: v)
        case .uint32(let v): bytes(of: v)
        case .uint64(let v): bytes(of: v)
        case .bool(let v): Data(v.map { $0 ? 1 : 0 })
        case .string: nil
        }
    }

    /// Copies the bytes into a typed array (the caller has checked the length).
    private static func copy<Element: BitwiseCopyable>(_ raw: Data, count: Int, as type: Element.Type = Element.self) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            raw.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            }
            initialized = count
        }
    }

    private static func bytes<Element: BitwiseCopyable>(of values: [Element]) -> Data {
        values.withUnsafeBytes { Data($0) }
    }
}
