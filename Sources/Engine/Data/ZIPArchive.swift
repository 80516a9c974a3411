import Foundation

/// The members of a ZIP archive, found through its central directory (the local headers may
/// lack sizes when a writer streamed them). ZIP64 sizes and offsets are read; multi-disk
/// archives and encryption are refused.
struct ZIPArchive {
    struct Entry: Equatable {
        var name: String
        var flags: UInt16
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    /// Where the central directory is and how many entries it holds.
    private struct Directory {
        var offset: Int
        var size: Int
        var count: Int
    }

    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    /// The fixed part of a central directory entry and of the end record.
    static let centralHeaderSize = 46
    static let endRecordSize = 22

    let data: Data
    let file: String
    let entries: [Entry]

    init(_ data: Data, file: String) throws {
        self.data = data
        self.file = file
        let directory = try Self.directory(data, file: file)
        entries = try Self.entries(data, directory, file: file)
    }

    // MARK: End of central directory

    /// Reads the end record (and the ZIP64 end record when there is one).
    private static func directory(_ data: Data, file: String) throws -> Directory {
        let end = try endRecordOffset(data, file: file)
        var reader = ByteReader(data, file: file)
        try reader.seek(to: end + 4)
        let (disk, directoryDisk) = (try reader.uint16LE(), try reader.uint16LE())
        let (entriesOnDisk, count) = (try reader.uint16LE(), try reader.uint16LE())
        let (size, offset) = (try reader.uint32LE(), try reader.uint32LE())
        guard disk == 0, directoryDisk == 0, entriesOnDisk == count else {
            throw DataError(file: file, .unsupportedArchive("a multi-disk archive"))
        }
        if let zip64 = try zip64Directory(data, endRecord: end, file: file) { return zip64 }
        return Directory(offset: Int(offset), size: Int(size), count: Int(count))
    }

    /// The last end-record signature within the 64 KiB an archive comment can take.
    private static func endRecordOffset(_ data: Data, file: String) throws -> Int {
        let last = data.count - endRecordSize
        if last >= 0 {
            for position in stride(from: last, through: max(0, last - Int(UInt16.max)), by: -1)
            where data.dropFirst(position).starts(withBytes: signatureBytes(endSignature)) {
                return position
            }
        }
        guard data.starts(withBytes: signatureBytes(localHeaderSignature)) || data.starts(withBytes: signatureBytes(endSignature)) else {
            throw DataError(file: file, .badMagic(found: data.hexPrefix(4), expected: "50 4B 03 04 (PK\\x03\\x04, a ZIP archive)"))
        }
        throw DataError(file: file, .malformedArchive("no end-of-central-directory record; the file may be truncated"))
    }

    /// The ZIP64 end record, when a locator sits just before the end record.
    private static func zip64Directory(_ data: Data, endRecord: Int, file: String) throws -> Directory? {
        let locator = endRecord - 20
        guard locator >= 0, data.dropFirst(locator).starts(withBytes: signatureBytes(zip64LocatorSignature)) else { return nil }
        var reader = ByteReader(data, file: file)
        try reader.seek(to: locator + 8)
        let recordOffset = try int(reader.uint64LE(), "ZIP64 end record offset", file: file)
        try reader.seek(to: recordOffset)
        guard try reader.uint32LE() == zip64EndSignature else {
            throw DataError(file: file, .malformedArchive("no ZIP64 end record at offset \(recordOffset)"))
        }
        try reader.skip(8 + 2 + 2)  // record size, versions
        let (disk, directoryDisk) = (try reader.uint32LE(), try reader.uint32LE())
        let entriesOnDisk = try reader.uint64LE()
        let count = try reader.uint64LE()
        guard disk == 0, directoryDisk == 0, entriesOnDisk == count else {
            throw DataError(file: file, .unsupportedArchive("a multi-disk archive"))
        }
        let size = try int(reader.uint64LE(), "central directory size", file: file)
        let offset = try int(reader.uint64LE(), "central directory offset", file: file)
        return Directory(offset: offset, size: size, count: try int(count, "entry count", file: file))
    }

    // MARK: Central directory

    private static func entries(_ data: Data, _ directory: Directory, file: String) throws -> [Entry] {
        guard directory.offset <= data.count, directory.size <= data.count - directory.offset else {
            throw DataError(file: file, .malformedArchive(
                "the central directory (\(directory.size) bytes at offset \(directory.offset)) lies outside the \(data.count)-byte file"))
        }
        guard directory.count <= directory.size / centralHeaderSize else {
            throw DataError(file: file, .malformedArchive(
                "\(directory.count) entries cannot fit in a \(directory.size)-byte central directory"))
        }
        let start = data.startIndex + directory.offset
        var reader = ByteReader(data[start..<(start + directory.size)], file: file)
        return try (0..<directory.count).map { _ in try entry(&reader, file: file) }
    }

    private static func entry(_ reader: inout ByteReader, file: String) throws -> Entry {
        guard try reader.uint32LE() == centralHeaderSignature else {
            throw DataError(file: file, .malformedArchive("a central directory entry lacks its signature"))
        }
        try reader.skip(4)  // versions
        let flags = try reader.uint16LE()
        let method = try reader.uint16LE()
        try reader.skip(4)  // time, date
        let crc = try reader.uint32LE()
        let compressed = try reader.uint32LE()
        let uncompressed = try reader.uint32LE()
        let (nameLength, extraLength, commentLength) = (try reader.uint16LE(), try reader.uint16LE(), try reader.uint16LE())
        try reader.skip(2 + 2 + 4)  // disk, internal and external attributes
        let offset = try reader.uint32LE()
        let name = String(decoding: try reader.bytes(Int(nameLength)), as: UTF8.self)
        var sizes = Zip64Sizes(uncompressed: UInt64(uncompressed), compressed: UInt64(compressed), offset: UInt64(offset))
        try sizes.apply(extra: reader.bytes(Int(extraLength)), file: file)
        try reader.skip(Int(commentLength))
        return Entry(name: name, flags: flags, method: method, crc32: crc,
                     compressedSize: try int(sizes.compressed, "compressed size of '\(name)'", file: file),
                     uncompressedSize: try int(sizes.uncompressed, "size of '\(name)'", file: file),
                     localHeaderOffset: try int(sizes.offset, "offset of '\(name)'", file: file))
    }

    // MARK: Members

    /// The uncompressed bytes of `entry`, checked against its CRC-32.
    func contents(of entry: Entry) throws -> Data {
        guard entry.flags & 1 == 0 else {
            throw DataError(file: file, .unsupportedArchive("member '\(entry.name)' is encrypted"))
        }
        let stored = try storedBytes(of: entry)
        let contents: Data
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw DataError(file: file, .malformedArchive(
                    "stored member '\(entry.name)' has \(entry.compressedSize) bytes but claims \(entry.uncompressedSize)"))
            }
            contents = stored
        case 8:
            try checkRatio(entry)
            contents = try Zlib.inflate(stored, format: .rawDeflate, expectedSize: entry.uncompressedSize,
                                        file: "\(file)[\(entry.name)]")
        default:
            throw DataError(file: file, .unsupportedArchive(
                "member '\(entry.name)' uses compression method \(entry.method), not 0 (stored) or 8 (deflated)"))
        }
        guard Zlib.crc32(contents) == entry.crc32 else {
            throw DataError(file: file, .corrupt("member '\(entry.name)' does not match its CRC-32"))
        }
        return contents
    }

    /// The member's bytes as stored, after its local header.
    private func storedBytes(of entry: Entry) throws -> Data {
        var reader = ByteReader(data, file: file)
        try reader.seek(to: entry.localHeaderOffset)
        guard try reader.uint32LE() == Self.localHeaderSignature else {
            throw DataError(file: file, .malformedArchive("no local header for '\(entry.name)' at offset \(entry.localHeaderOffset)"))
        }
        try reader.skip(22)  // versions, flags, method, time, date, CRC, sizes
        let (nameLength, extraLength) = (try reader.uint16LE(), try reader.uint16LE())
        try reader.skip(Int(nameLength) + Int(extraLength))
        return try reader.bytes(entry.compressedSize)
    }

    /// Deflate expands at most 1032:1, so a larger claim is a lie; refusing it keeps a crafted
    /// size from allocating gigabytes.
    private func checkRatio(_ entry: Entry) throws {
        let (bound, overflow) = entry.compressedSize.multipliedReportingOverflow(by: 1032)
        guard overflow || entry.uncompressedSize <= bound + 1024 else {
            throw DataError(file: file, .malformedArchive(
                "member '\(entry.name)' claims \(entry.uncompressedSize) bytes from \(entry.compressedSize) compressed bytes"))
        }
    }

    // MARK: Helpers

    private static func signatureBytes(_ signature: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: signature >> (8 * $0)) }
    }

    private static func int(_ value: UInt64, _ what: String, file: String) throws -> Int {
        guard let result = Int(exactly: value) else {
            throw DataError(file: file, .malformedArchive("\(what) \(value) is too large"))
        }
        return result
    }
}

/// The sizes and offset of a central directory entry, with the 0xFFFFFFFF placeholders
/// replaced from its ZIP64 extra field (tag 0x0001), which lists only the replaced values, in
/// this order.
private struct Zip64Sizes {
    var uncompressed: UInt64
    var compressed: UInt64
    var offset: UInt64

    mutating func apply(extra: Data, file: String) throws {
        var reader = ByteReader(extra, file: file)
        while reader.remaining >= 4 {
            let (tag, size) = (try reader.uint16LE(), try reader.uint16LE())
            var field = ByteReader(try reader.bytes(Int(size)), file: file)
            guard tag == 0x0001 else { continue }
            for keyPath in [\Zip64Sizes.uncompressed, \.compressed, \.offset] where self[keyPath: keyPath] == 0xFFFF_FFFF {
                self[keyPath: keyPath] = try field.uint64LE()
            }
        }
    }
}
