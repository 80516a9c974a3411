import Foundation

/// IDX files (MNIST, Fashion-MNIST): a big-endian magic `0x0000TTRR` (T the element type,
/// R the number of axes), R big-endian UInt32 sizes, then the elements in C order. Only the
/// unsigned-byte files of those datasets are read: labels `0x00000801` with shape [N] and
/// images `0x00000803` with shape [N, H, W], returned as [N, 1, H, W] (one channel).
enum IDX {
    enum Content {
        case labels, images

        var magic: UInt32 { self == .labels ? 0x0000_0801 : 0x0000_0803 }
        var rank: Int { self == .labels ? 1 : 3 }
        var expectation: String {
            self == .labels ? "0x00000801 (IDX labels, unsigned bytes [N])"
                : "0x00000803 (IDX images, unsigned bytes [N, H, W])"
        }
    }

    static func decode(_ data: Data, expecting content: Content, file: String) throws -> NDArray {
        var reader = ByteReader(data, file: file)
        let magic = try reader.uint32BE()
        guard magic == content.magic else {
            throw DataError(file: file, .badMagic(found: describe(magic: magic), expected: content.expectation))
        }
        let dims = try (0..<content.rank).map { _ in Int(try reader.uint32BE()) }
        let count = try NPY.elementCount(dims, file: file)
        try reader.require(count)
        guard reader.remaining == count else {
            throw DataError(file: file, .trailingBytes(expectedBytes: reader.offset + count, foundBytes: reader.count))
        }
        let values = [UInt8](try reader.bytes(count))
        let shape = content == .images ? [dims[0], 1, dims[1], dims[2]] : dims
        return NDArray(shape: shape, storage: .uint8(values))
    }

    /// The magic in hex, named when it is another IDX kind (e.g. a labels file given as images).
    private static func describe(magic: UInt32) -> String {
        let hex = String(format: "0x%08X", magic)
        switch magic {
        case 0x0000_0801: return "\(hex) (IDX labels)"
        case 0x0000_0803: return "\(hex) (IDX images)"
        case 0x0000_0800...0x0000_08FF: return "\(hex) (IDX bytes with \(magic & 0xFF) axes)"
        case 0x0000_0900...0x0000_0EFF: return "\(hex) (IDX of another element type)"
        default: return "\(hex) (not an IDX file)"
        }
    }
}
