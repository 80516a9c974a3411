import Foundation
import XCTest
@testable import Engine

final class NPZTests: XCTestCase {
    static let images = NDArray(shape: [3, 1, 4, 4], storage: .uint8(Array(0..<48)))
    static let labels = NDArray(shape: [3], storage: .int64([2, 0, 1]))

    func testStoredArchiveFromNumPy() throws {
        let arrays = try NPZ.read(DataFixtures.url("xy.npz"))
        XCTAssertEqual(arrays, ["x": Self.images, "y": Self.labels])
    }

    func testDeflatedArchiveFromNumPy() throws {
        let arrays = try NPZ.read(DataFixtures.url("xy_compressed.npz"))
        XCTAssertEqual(arrays, ["x": Self.images, "y": Self.labels])
    }

    /// ZIP64 extra fields, a ZIP64 end record and locator (forced in make_fixtures.py).
    func testZip64ArchiveFromPython() throws {
        let arrays = try NPZ.read(DataFixtures.url("xy_zip64.npz"))
        XCTAssertEqual(arrays, ["images": Self.images, "labels": Self.labels])
    }

    func testUnnamedArray() throws {
        let arrays = try NPZ.read(DataFixtures.url("single.npz"))
        XCTAssertEqual(arrays.keys.sorted(), ["arr_0"])
        XCTAssertEqual(arrays["arr_0"]?.shape, [2, 3])
    }

    func testMissingArrayNamesTheKeysFound() throws {
        let archive = try NPZArchive(DataFixtures.bytes("xy.npz"), file: "xy.npz")
        assertDataError(try archive.array(preferring: ["images", "data"]), .missingArray(wanted: ["images", "data"], found: ["x", "y"]),
                        message: "xy.npz: no array named images or data and not exactly one array; found keys: x, y")
    }

    func testCorruptMemberFailsItsChecksum() throws {
        var data = try DataFixtures.bytes("xy.npz")
        let member = try XCTUnwrap(data.range(of: Data(NPY.magic)))
        data[member.lowerBound + 100] ^= 0x01  // inside the header padding of x.npy
        assertDataError(try NPZ.decode(data, file: "xy.npz"), .corrupt("member 'x.npy' does not match its CRC-32"),
                        message: "xy.npz: corrupt compressed data (member 'x.npy' does not match its CRC-32); "
                            + "expected an intact gzip or ZIP stream")
    }

    func testTruncatedArchive() throws {
        let data = try DataFixtures.bytes("xy_compressed.npz")
        assertDataError(try NPZ.decode(data.prefix(data.count - 30), file: "xy.npz"),
                        .malformedArchive("no end-of-central-directory record; the file may be truncated"),
                        message: "xy.npz: malformed ZIP archive (no end-of-central-directory record; the file may be truncated); "
                            + "expected an .npz written by numpy.savez")
        assertDataError(try NPZ.decode(Data(), file: "xy.npz"), .badMagic(found: "", expected: "50 4B 03 04 (PK\\x03\\x04, a ZIP archive)"))
    }

    func testNotAnArchive() throws {
        assertDataError(try NPZ.decode(DataFixtures.bytes("f4.npy"), file: "f4.npz"),
                        message: "f4.npz: starts with 93 4E 55 4D; expected 50 4B 03 04 (PK\\x03\\x04, a ZIP archive)")
    }

    func testMemberErrorsNameTheMember() throws {
        var data = try DataFixtures.bytes("xy.npz")
        let member = try XCTUnwrap(data.range(of: Data("'<i8'".utf8)))
        data.replaceSubrange(member, with: Data("'>i8'".utf8))
        fixCRCs(&data)
        assertDataError(try NPZ.decode(data, file: "xy.npz"), .unsupportedDType(">i8"),
                        message: "xy.npz[y.npy]: dtype '>i8' (big-endian) is not supported; expected one of <f4, <f8, |u1, <i4, <i8")
    }

    func testUnsupportedCompressionMethod() throws {
        var data = try DataFixtures.bytes("xy.npz")
        let central = try XCTUnwrap(data.range(of: Data([0x50, 0x4B, 0x01, 0x02])))
        data[central.lowerBound + 10] = 14  // LZMA
        assertDataError(try NPZ.decode(data, file: "xy.npz"),
                        .unsupportedArchive("member 'x.npy' uses compression method 14, not 0 (stored) or 8 (deflated)"))
    }

    /// Recomputes every member's CRC-32 in the central directory of a stored archive, so that a
    /// test can edit member bytes.
    private func fixCRCs(_ data: inout Data) {
        let archive = try! ZIPArchive(data, file: "fix")
        var search = data.startIndex
        for entry in archive.entries {
            let central = data.range(of: Data([0x50, 0x4B, 0x01, 0x02]), in: search..<data.endIndex)!
            let start = entry.localHeaderOffset + 30 + entry.name.utf8.count
            let local = data[(entry.localHeaderOffset + 28)..<(entry.localHeaderOffset + 30)]
            let extra = Int(local.first!) | Int(local.last!) << 8
            let crc = Zlib.crc32(data[(start + extra)..<(start + extra + entry.compressedSize)])
            for i in 0..<4 { data[central.lowerBound + 16 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
            search = central.upperBound
        }
    }
}
