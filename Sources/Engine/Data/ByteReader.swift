import Foundation

/// A cursor over untrusted bytes. Every read checks the length first, so that a short or
/// corrupt file ends in `DataError.truncated` rather than an out-of-bounds trap.
struct ByteReader {
    let data: Data
    let file: String
    private(set) var offset = 0

    init(_ data: Data, file: String) {
        self.data = data
        self.file = file
    }

    var count: Int { data.count }
    var remaining: Int { count - offset }

    /// Throws unless `n` more bytes follow the cursor.
    func require(_ n: Int) throws {
        guard n >= 0, n <= remaining else {
            let (needed, overflow) = offset.addingReportingOverflow(max(n, 0))
            throw DataError(file: file, .truncated(expectedBytes: overflow ? Int.max : needed, foundBytes: count))
        }
    }

    mutating func seek(to position: Int) throws {
        guard position >= 0, position <= count else {
            throw DataError(file: file, .truncated(expectedBytes: position, foundBytes: count))
        }
        offset = position
    }

    mutating func skip(_ n: Int) throws {
        try require(n)
        offset += n
    }

    /// The next `n` bytes, sharing storage with `data` (a slice: index it via `withUnsafeBytes`).
    mutating func bytes(_ n: Int) throws -> Data {
        try require(n)
        let start = data.startIndex + offset
        offset += n
        return data[start..<(start + n)]
    }

    mutating func uint8() throws -> UInt8 { try integer(UInt8.self, bigEndian: false) }
    mutating func uint16LE() throws -> UInt16 { try integer(UInt16.self, bigEndian: false) }
    mutating func uint32LE() throws -> UInt32 { try integer(UInt32.self, bigEndian: false) }
    mutating func uint64LE() throws -> UInt64 { try integer(UInt64.self, bigEndian: false) }
    mutating func uint32BE() throws -> UInt32 { try integer(UInt32.self, bigEndian: true) }

    private mutating func integer<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, bigEndian: Bool) throws -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        var value: T = 0
        for i in 0..<size {
            let byte = T(data[data.startIndex + offset + i])
            value |= byte << (bigEndian ? 8 * (size - 1 - i) : 8 * i)
        }
        offset += size
        return value
    }
}

extension Data {
    /// Whether the bytes begin with `prefix` (works on slices, whose indices do not start at 0).
    func starts(withBytes prefix: [UInt8]) -> Bool {
        count >= prefix.count && zip(self, prefix).allSatisfy { $0 == $1 }
    }

    /// The first bytes in hex, for messages about unrecognised files.
    func hexPrefix(_ n: Int) -> String {
        prefix(n).map { String(format: "%02X", $0) }.joined(separator: " ")
    }
}
