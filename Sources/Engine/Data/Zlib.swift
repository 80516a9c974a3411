import CZlib
import Foundation

/// zlib for gzipped IDX files and deflated NPZ members.
enum Zlib {
    enum Format {
        /// A bare deflate stream, as ZIP stores it.
        case rawDeflate
        /// One or more gzip members (`.gz`); zlib-wrapped streams are accepted too.
        case gzip

        var inflateWindowBits: Int32 {
            switch self {
            case .rawDeflate: -15
            case .gzip: 15 + 32  // +32: detect the gzip or zlib wrapper
            }
        }

        var deflateWindowBits: Int32 {
            switch self {
            case .rawDeflate: -15
            case .gzip: 15 + 16  // +16: write a gzip wrapper
            }
        }
    }

    static let gzipMagic: [UInt8] = [0x1F, 0x8B]

    /// Inflates `input`. With `expectedSize` (a ZIP member) the output must be exactly that long;
    /// without it the output grows, but never beyond `limit` bytes (4 GiB by default, 80 times
    /// MNIST's training images), so that a small crafted file cannot exhaust memory.
    static func inflate(_ input: Data, format: Format, expectedSize: Int? = nil,
                        limit: Int = 1 << 32, file: String) throws -> Data {
        let inflater = try Inflater(format: format, file: file)
        // One spare byte past an expected size lets zlib reach the end of the stream, or reveal
        // that the stream is longer than announced.
        let capacity = expectedSize.map { $0 + 1 } ?? min(limit, max(4096, input.count * 4))
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        var consumed = 0
        while true {
            let before = (consumed, produced)
            let status = inflater.step(input, from: &consumed, into: &output, at: &produced)
            if status == Z_STREAM_END {
                guard consumed < input.count else { break }
                // gzip files may hold several members one after the other (`cat a.gz b.gz`).
                guard format == .gzip, input.dropFirst(consumed).starts(withBytes: gzipMagic) else {
                    throw DataError(file: file, .corrupt("\(input.count - consumed) bytes follow the end of the compressed stream"))
                }
                inflater.reset()
            } else if status != Z_OK && status != Z_BUF_ERROR {
                throw DataError(file: file, .corrupt(inflater.message(status)))
            } else if produced == output.count {
                guard expectedSize == nil, output.count < limit else {
                    throw DataError(file: file, .corrupt("inflates to more than \(expectedSize ?? limit) bytes"))
                }
                output.append(contentsOf: repeatElement(0, count: min(output.count, limit - output.count)))
            } else if consumed == input.count || before == (consumed, produced) {
                throw DataError(file: file, .corrupt("the compressed stream ends early, after \(produced) bytes of output"))
            }
        }
        if let expectedSize, produced != expectedSize {
            throw DataError(file: file, .corrupt("inflates to \(produced) bytes, expected \(expectedSize)"))
        }
        output.removeSubrange(produced...)
        return Data(output)
    }

    /// Compresses `input` (tests use it to build .gz files and deflated archives).
    static func deflate(_ input: Data, format: Format) -> Data {
        // zlib keeps a pointer back to the stream, so it lives at one address throughout.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        var status = deflateInit2_(stream, Z_BEST_COMPRESSION, Z_DEFLATED, format.deflateWindowBits, 8,
                                   Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2_ failed: \(status)")
        defer { deflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(input.count))) + 32)
        var source = [UInt8](input)
        source.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                stream.pointee.next_in = src.baseAddress
                stream.pointee.avail_in = uInt(src.count)
                stream.pointee.next_out = dst.baseAddress
                stream.pointee.avail_out = uInt(dst.count)
                status = CZlib.deflate(stream, Z_FINISH)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
        }
        precondition(status == Z_STREAM_END, "deflate failed: \(status)")
        return Data(output[0..<Int(stream.pointee.total_out)])
    }

    /// The CRC-32 that ZIP stores for each member.
    static func crc32(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { raw in
            var crc = CZlib.crc32(0, nil, 0)
            var rest = UnsafeRawBufferPointer(raw)
            while !rest.isEmpty {
                let chunk = rest.prefix(Int(UInt32.max))
                crc = CZlib.crc32(crc, chunk.bindMemory(to: Bytef.self).baseAddress, uInt(chunk.count))
                rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(chunk.count))
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }
}

/// One zlib inflate stream. zlib keeps a pointer back to the stream, so it lives on the heap
/// at one address; buffers are passed to each step afresh, so no pointer outlives its call.
private final class Inflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var started = false

    init(format: Zlib.Format, file: String) throws {
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, format.inflateWindowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw DataError(file: file, .corrupt("zlib cannot start (status \(status))")) }
        started = true
    }

    deinit {
        if started { inflateEnd(stream) }
        stream.deallocate()
    }

    /// Runs inflate once over the unread input and the free output, advancing both positions.
    func step(_ input: Data, from consumed: inout Int, into output: inout [UInt8], at produced: inout Int) -> Int32 {
        // zlib counts in 32-bit units; large buffers are fed in pieces.
        let inCount = min(input.count - consumed, Int(UInt32.max))
        let outCount = min(output.count - produced, Int(UInt32.max))
        let stream = self.stream
        let status: Int32 = input.withUnsafeBytes { src in
            output.withUnsafeMutableBytes { dst in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: src.baseAddress?.advanced(by: consumed)
                    .assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(inCount)
                stream.pointee.next_out = dst.baseAddress?.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(outCount)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                return status
            }
        }
        consumed += inCount - Int(stream.pointee.avail_in)
        produced += outCount - Int(stream.pointee.avail_out)
        return status
    }

    func reset() { inflateReset(stream) }

    func message(_ status: Int32) -> String {
        stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
    }
}
