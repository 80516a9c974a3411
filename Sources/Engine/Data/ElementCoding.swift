import Foundation

/// Little-endian element bytes ⇄ typed storage, as NPY, NPZ and ONNX store them.
extension NDArray.Storage {
    /// Decodes the first `count` elements of `type` from `bytes`, which the caller has checked
    /// to hold at least `count * type.size` bytes.
    init(littleEndian bytes: Data, type: ElementType, count: Int) {
        precondition(count >= 0 && bytes.count / type.size >= count, "caller must check the byte count")
        #if _endian(big)
        switch type {
        case .uint8: self = .uint8(Self.raw(bytes, count))
        case .int32: self = .int32(Self.raw(bytes, count).map { Int32(littleEndian: $0) })
        case .int64: self = .int64(Self.raw(bytes, count).map { Int64(littleEndian: $0) })
        case .float32: self = .float32(Self.raw(bytes, count).map { Float(bitPattern: UInt32(littleEndian: $0)) })
        case .float64: self = .float64(Self.raw(bytes, count).map { Double(bitPattern: UInt64(littleEndian: $0)) })
        }
        #else
        // On little-endian hosts the file bytes are the in-memory representation.
        switch type {
        case .uint8: self = .uint8(Self.raw(bytes, count))
        case .int32: self = .int32(Self.raw(bytes, count))
        case .int64: self = .int64(Self.raw(bytes, count))
        case .float32: self = .float32(Self.raw(bytes, count))
        case .float64: self = .float64(Self.raw(bytes, count))
        }
        #endif
    }

    var count: Int {
        switch self {
        case .float32(let v): v.count
        case .float64(let v): v.count
        case .uint8(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        }
    }

    /// The elements as little-endian bytes.
    var littleEndianBytes: Data {
        #if _endian(big)
        switch self {
        case .uint8(let v): Data(v)
        case .int32(let v): Self.bytes(v.map(\.littleEndian))
        case .int64(let v): Self.bytes(v.map(\.littleEndian))
        case .float32(let v): Self.bytes(v.map(\.bitPattern.littleEndian))
        case .float64(let v): Self.bytes(v.map(\.bitPattern.littleEndian))
        }
        #else
        switch self {
        case .uint8(let v): Data(v)
        case .int32(let v): Self.bytes(v)
        case .int64(let v): Self.bytes(v)
        case .float32(let v): Self.bytes(v)
        case .float64(let v): Self.bytes(v)
        }
        #endif
    }

    /// A raw copy of the first bytes into `count` elements, without byte-order conversion.
    private static func raw<T>(_ bytes: Data, _ count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: source.prefix(count * MemoryLayout<T>.stride)))
            }
            initialized = count
        }
    }

    private static func bytes<T>(_ values: [T]) -> Data {
        values.withUnsafeBytes { Data($0) }
    }
}
