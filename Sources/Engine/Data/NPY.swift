import Foundation

/// NumPy `.npy` files: format versions 1.0, 2.0 and 3.0, little-endian `<f4 <f8 |u1 <i4 <i8`,
/// C order. Writing follows `numpy.save` byte for byte.
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"
    /// NumPy aligns the start of the data to 64 bytes.
    static let alignment = 64

    public static func read(_ url: URL) throws -> NDArray {
        try decode(FileBytes.read(url), file: FileBytes.name(url))
    }

    public static func decode(_ data: Data, file: String) throws -> NDArray {
        var reader = ByteReader(data, file: file)
        let header = try NPYHeader(parsing: headerText(&reader), file: file)
        let count = try elementCount(header.shape, file: file)
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: header.elementType.size)
        guard !overflow else { throw DataError(file: file, .absurdShape(header.shape)) }
        try reader.require(byteCount)
        guard reader.remaining == byteCount else {
            throw DataError(file: file, .trailingBytes(expectedBytes: reader.offset + byteCount, foundBytes: reader.count))
        }
        let payload = try reader.bytes(byteCount)
        return NDArray(shape: header.shape, storage: .init(littleEndian: payload, type: header.elementType, count: count))
    }

    public static func write(_ array: NDArray, to url: URL) throws {
        do {
            try encode(array).write(to: url, options: .atomic)
        } catch {
            throw DataError(file: FileBytes.name(url), .unwritable(error.localizedDescription))
        }
    }

    /// Version 1.0, or 2.0 when the header does not fit 1.0's 16-bit length.
    public static func encode(_ array: NDArray) -> Data {
        precondition(array.shape.allSatisfy { $0 >= 0 } && array.count == array.storage.count,
                     "NPY.encode: shape \(array.shape) does not match \(array.storage.count) elements")
        var data = framedHeader(NPYHeader(elementType: array.elementType, shape: array.shape).text)
        data.append(array.storage.littleEndianBytes)
        return data
    }

    /// Magic, version, header length and the header text (Latin-1 before 3.0, UTF-8 in 3.0).
    private static func headerText(_ reader: inout ByteReader) throws -> String {
        let file = reader.file
        guard reader.data.starts(withBytes: magic) else {
            if magic.starts(with: reader.data) { try reader.require(magic.count) }  // a cut-off NPY
            throw DataError(file: file, .badMagic(found: reader.data.hexPrefix(magic.count),
                                                  expected: "93 4E 55 4D 50 59 (\\x93NUMPY, an NPY file)"))
        }
        try reader.skip(magic.count)
        let (major, minor) = (try reader.uint8(), try reader.uint8())
        guard (1...3).contains(major), minor == 0 else {
            throw DataError(file: file, .unsupportedVersion("\(major).\(minor)"))
        }
        let length = major == 1 ? Int(try reader.uint16LE()) : Int(try reader.uint32LE())
        let bytes = try reader.bytes(length)
        if major == 3 {
            guard let text = String(data: bytes, encoding: .utf8) else {
                throw DataError(file: file, .malformedHeader("a version 3.0 header that is not UTF-8"))
            }
            return text
        }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// The product of the axes, refusing products that overflow.
    static func elementCount(_ shape: [Int], file: String) throws -> Int {
        try shape.reduce(1) { product, axis in
            let (next, overflow) = product.multipliedReportingOverflow(by: axis)
            guard !overflow else { throw DataError(file: file, .absurdShape(shape)) }
            return next
        }
    }

    /// Magic, version, length, then the header padded with spaces and a final newline so that
    /// the data starts at a multiple of 64 bytes (NumPy's `_wrap_header`).
    private static func framedHeader(_ text: String) -> Data {
        let textBytes = Array(text.utf8) + [UInt8(ascii: "\n")]
        let fitsVersion1 = paddedLength(textBytes.count, lengthFieldSize: 2) <= Int(UInt16.max)
        let lengthFieldSize = fitsVersion1 ? 2 : 4
        let total = paddedLength(textBytes.count, lengthFieldSize: lengthFieldSize)
        var data = Data(magic + [fitsVersion1 ? 1 : 2, 0])
        for i in 0..<lengthFieldSize { data.append(UInt8(truncatingIfNeeded: total >> (8 * i))) }
        data.append(contentsOf: textBytes.dropLast())
        data.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: total - textBytes.count))
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// The header length including padding. As in NumPy, an already aligned header still gets
    /// a full 64 bytes of padding.
    private static func paddedLength(_ textLength: Int, lengthFieldSize: Int) -> Int {
        let prefix = magic.count + 2 + lengthFieldSize
        return textLength + alignment - (prefix + textLength) % alignment
    }
}
