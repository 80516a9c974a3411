import CZlib
import Foundation

/// A PNG reader for the files `PNG` writes (8-bit RGB, not interlaced), written from the
/// specification apart from the encoder: it checks the signature and every chunk's CRC, inflates
/// the IDAT data with zlib's `uncompress` and undoes all five row filters.
struct DecodedPNG {
    enum Failure: Error { case signature, truncated, crc(String), header, inflate(Int32), size, filter(UInt8) }

    var width = 0
    var height = 0
    var pixels: [UInt8] = []
    var filters: [UInt8] = []
    var chunkTypes: [String] = []

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw Failure.signature }
        var offset = 8
        var compressed: [UInt8] = []
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw Failure.truncated }
            let length = Int(readBigEndian(bytes, at: offset))
            guard offset + 12 + length <= bytes.count else { throw Failure.truncated }
            let typeAndData = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            let type = String(decoding: typeAndData.prefix(4), as: UTF8.self)
            guard readBigEndian(bytes, at: offset + 8 + length) == testCRC32(typeAndData) else { throw Failure.crc(type) }
            let body = Array(typeAndData.dropFirst(4))
            chunkTypes.append(type)
            switch type {
            case "IHDR":
                guard body.count == 13, body[8...] == [8, 2, 0, 0, 0] else { throw Failure.header }
                (width, height) = (Int(readBigEndian(body, at: 0)), Int(readBigEndian(body, at: 4)))
            case "IDAT": compressed += body
            default: break
            }
            offset += 12 + length
        }
        let rowBytes = width * 3
        var raw = [UInt8](repeating: 0, count: (rowBytes + 1) * height)
        var rawCount = uLong(raw.count)
        let status = uncompress(&raw, &rawCount, compressed, uLong(compressed.count))
        guard status == Z_OK else { throw Failure.inflate(status) }
        guard rawCount == raw.count else { throw Failure.size }

        pixels = [UInt8](repeating: 0, count: rowBytes * height)
        for y in 0..<height {
            let filter = raw[y * (rowBytes + 1)]
            filters.append(filter)
            for i in 0..<rowBytes {
                let x = raw[y * (rowBytes + 1) + 1 + i]
                let a = i >= 3 ? Int(pixels[y * rowBytes + i - 3]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * rowBytes + i]) : 0
                let c = i >= 3 && y > 0 ? Int(pixels[(y - 1) * rowBytes + i - 3]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Failure.filter(filter)
                }
                pixels[y * rowBytes + i] = UInt8((Int(x) + predictor) & 0xFF)
            }
        }
    }
}

func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
}

func bytesBigEndian(_ value: UInt32) -> [UInt8] {
    [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) }
}

/// CRC-32 (ISO-HDLC, as PNG specifies it) bit by bit, independent of zlib's table.
func testCRC32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}
