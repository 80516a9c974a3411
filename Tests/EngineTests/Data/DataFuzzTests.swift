import Foundation
import XCTest
@testable import Engine

/// Deterministic mutations of real files: every mutant must decode or throw DataError. A crash
/// (trap, overflow, out-of-bounds) ends the test process, so reaching the end is the check.
final class DataFuzzTests: XCTestCase {
    /// Characters that matter to the header grammar, for header edits.
    static let headerAlphabet = Array("(){}[],:'\" 0123456789-LTrueFalsNone<>|fiuObV\n\\\u{0}\u{FF}".utf8)

    func testMutatedGoldenNPYFiles() throws {
        let originals = try DataFixtures.goldenNPYFiles().map { try Data(contentsOf: $0) }
        XCTAssertFalse(originals.isEmpty)
        var random = FuzzRandom(seed: 0x5EED_DA7A)
        var (decoded, refused) = (0, 0)
        for i in 0..<1500 {
            var data = originals[i % originals.count]
            for _ in 0..<(1 + random.below(3)) { Self.mutate(&data, &random) }
            do {
                let array = try NPY.decode(data, file: "mutant\(i).npy")
                XCTAssertEqual(array.count, array.storage.count, "mutant \(i)")
                decoded += 1
            } catch is DataError {
                refused += 1
            } catch {
                XCTFail("mutant \(i): \(type(of: error)) \(error)")
            }
        }
        XCTAssertEqual(decoded + refused, 1500)
        // Both outcomes occur, so the mutations neither all miss the header nor all break the magic.
        XCTAssertGreaterThan(decoded, 50)
        XCTAssertGreaterThan(refused, 500)
    }

    func testMutatedArchives() throws {
        let originals = try ["xy.npz", "xy_compressed.npz", "xy_zip64.npz", "single.npz"].map(DataFixtures.bytes)
        var random = FuzzRandom(seed: 0x0002_1FF1)
        for i in 0..<600 {
            var data = originals[i % originals.count]
            for _ in 0..<(1 + random.below(3)) { Self.mutateBinary(&data, &random) }
            do {
                _ = try NPZ.decode(data, file: "mutant\(i).npz")
            } catch is DataError {
            } catch {
                XCTFail("mutant \(i): \(type(of: error)) \(error)")
            }
        }
    }

    func testMutatedGzippedIDX() throws {
        let images = Bytes.idx(magic: 0x803, dims: [3, 5, 5], payload: (0..<75).map { UInt8($0 * 3) })
        let original = Zlib.deflate(images, format: .gzip)
        var random = FuzzRandom(seed: 0x1D_0C5)
        for i in 0..<400 {
            var data = original
            for _ in 0..<(1 + random.below(2)) { Self.mutateBinary(&data, &random) }
            do {
                _ = try IDX.decode(Zlib.inflate(data, format: .gzip, file: "x.gz"), expecting: .images, file: "x.gz")
            } catch is DataError {
            } catch {
                XCTFail("mutant \(i): \(type(of: error)) \(error)")
            }
        }
    }

    // MARK: Mutations

    /// NPY-aware mutations: byte flips (mostly in the header), truncations, header edits,
    /// length and version edits.
    static func mutate(_ data: inout Data, _ random: inout FuzzRandom) {
        let headerEnd = min(data.count, 128)
        switch random.below(6) {
        case 0:
            mutateBinary(&data, &random)
        case 1 where headerEnd > 10:
            // Replace a header character by one the grammar cares about.
            data[10 + random.below(headerEnd - 10)] = headerAlphabet[random.below(headerAlphabet.count)]
        case 2 where headerEnd > 10:
            // Insert or delete a header character without fixing the length field.
            let position = 10 + random.below(headerEnd - 10)
            if random.chance(50) {
                data.insert(headerAlphabet[random.below(headerAlphabet.count)], at: position)
            } else {
                data.remove(at: position)
            }
        case 3:
            replaceShape(&data, &random)
        case 4 where data.count >= 10:
            // The header length: small, large, or off by a little.
            let length = [random.below(70_000), Int(data[8]) + random.below(5) - 2, 0xFFFF, 0][random.below(4)]
            data[8] = UInt8(truncatingIfNeeded: length)
            data[9] = UInt8(truncatingIfNeeded: length >> 8)
        case 5 where data.count >= 8:
            data[6] = UInt8(random.below(5))  // version 0…4
        default:
            truncate(&data, &random)
        }
    }

    /// Format-blind mutations: flips, random bytes, truncation, duplicated ranges.
    static func mutateBinary(_ data: inout Data, _ random: inout FuzzRandom) {
        guard !data.isEmpty else { return }
        switch random.below(4) {
        case 0: data[random.below(data.count)] ^= UInt8(1 << random.below(8))
        case 1: data[random.below(data.count)] = UInt8(truncatingIfNeeded: random.next())
        case 2: truncate(&data, &random)
        default:
            let start = random.below(data.count)
            let piece = data[start..<min(data.count, start + 1 + random.below(16))]
            data.insert(contentsOf: piece, at: random.below(data.count))
        }
    }

    static func truncate(_ data: inout Data, _ random: inout FuzzRandom) {
        data = data.prefix(random.below(data.count + 1))
    }

    /// Puts another shape tuple in place of the header's, some absurd, some plausible.
    static func replaceShape(_ data: inout Data, _ random: inout FuzzRandom) {
        guard let open = data.range(of: Data("'shape': (".utf8)),
              let close = data.range(of: Data(")".utf8), in: open.upperBound..<data.endIndex) else { return }
        let shapes = ["()", "(0,)", "(1,)", "(3, 4)", "(99999999999999999999,)", "(4294967296, 4294967296)",
                      "(-1,)", "(8, 10)", "(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2)", "(,)", "(1 2)"]
        data.replaceSubrange(open.upperBound - 1..<close.upperBound, with: Data(shapes[random.below(shapes.count)].utf8))
    }
}
