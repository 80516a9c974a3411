import CZlib
import Foundation

/// Writes PNG files: 8-bit RGB truecolour, not interlaced, one zlib-compressed IDAT chunk.
public enum PNG {
    /// The PNG file for `canvas`.
    public static func encode(_ canvas: Canvas) -> Data {
        encode(rgb: canvas.pixels, width: canvas.width, height: canvas.height)
    }

    /// The PNG file for `rgb`: `width · height` pixels of three bytes R G B, rows top to bottom.
    public static func encode(rgb: [UInt8], width: Int, height: Int) -> Data {
        precondition(width > 0 && height > 0 && width <= Int(Int32.max) && height <= Int(Int32.max),
                     "PNG sizes run from 1 to 2³¹ − 1, not \(width)×\(height)")
        precondition(rgb.count == width * height * 3, "\(rgb.count) bytes are not \(width)×\(height) RGB pixels")
        var header = [UInt8]()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
        var file = Data(signature)
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", compress(filtered(rgb, width: width, height: height)), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// The eight bytes every PNG file starts with.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// PNG's five row filters (specification §9.2).
    enum Filter: UInt8, CaseIterable {
        case none = 0, sub, up, average, paeth
    }

    /// Each row prefixed by its filter byte and filtered, choosing per row the filter whose output
    /// has the smallest sum of absolute values as signed bytes (libpng's heuristic). Figures with
    /// upscaled pixels and flat backgrounds filter to long runs of zeros, which deflate well.
    static func filtered(_ rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        let rowBytes = width * 3
        var output = [UInt8]()
        output.reserveCapacity((rowBytes + 1) * height)
        var candidate = [UInt8](repeating: 0, count: rowBytes)
        var best = [UInt8](repeating: 0, count: rowBytes)
        let zeros = [UInt8](repeating: 0, count: rowBytes)
        rgb.withUnsafeBufferPointer { pixels in
            for y in 0..<height {
                let row = UnsafeBufferPointer(rebasing: pixels[(y * rowBytes)..<((y + 1) * rowBytes)])
                zeros.withUnsafeBufferPointer { zeros in
                    let above = y > 0 ? UnsafeBufferPointer(rebasing: pixels[((y - 1) * rowBytes)..<(y * rowBytes)]) : zeros
                    var bestFilter = Filter.none
                    var bestCost = Int.max
                    for filter in Filter.allCases {
                        let cost = apply(filter, row: row, above: above, into: &candidate)
                        if cost < bestCost {
                            (bestFilter, bestCost) = (filter, cost)
                            swap(&best, &candidate)
                        }
                    }
                    output.append(bestFilter.rawValue)
                    output += best
                }
            }
        }
        return output
    }

    /// Filters one row into `output` and returns the sum of the outputs' magnitudes as signed bytes.
    private static func apply(_ filter: Filter, row: UnsafeBufferPointer<UInt8>, above: UnsafeBufferPointer<UInt8>,
                              into output: inout [UInt8]) -> Int {
        var cost = 0
        for i in 0..<row.count {
            // a: the same channel of the pixel to the left; b: above; c: above-left.
            let a = i >= 3 ? row[i - 3] : 0, b = above[i], c = i >= 3 ? above[i - 3] : 0
            let predictor: UInt8
            switch filter {
            case .none: predictor = 0
            case .sub: predictor = a
            case .up: predictor = b
            case .average: predictor = UInt8((Int(a) + Int(b)) / 2)
            case .paeth: predictor = paeth(a, b, c)
            }
            let value = row[i] &- predictor
            output[i] = value
            cost += Int(Int8(bitPattern: value).magnitude)
        }
        return cost
    }

    /// The Paeth predictor: whichever of left, above and above-left is closest to left + above − above-left.
    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// A zlib stream (RFC 1950) of `bytes` at level 6, zlib's default trade of size for time.
    private static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &capacity, src.baseAddress, uLong(src.count), 6)
            }
        }
        precondition(status == Z_OK, "zlib compress2 failed: \(status)")
        output.removeSubrange(Int(capacity)...)
        return output
    }

    /// Appends length, type, data and the CRC-32 of type and data (zlib's CRC-32 is PNG's).
    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout Data) {
        precondition(data.count <= Int(Int32.max), "a PNG chunk holds at most 2³¹ − 1 bytes")
        let typeAndData = Array(type.utf8) + data
        var bytes = [UInt8]()
        bytes.appendBigEndian(UInt32(data.count))
        bytes += typeAndData
        bytes.appendBigEndian(Zlib.crc32(Data(typeAndData)))
        file.append(contentsOf: bytes)
    }
}

private extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }
}
