import Foundation
import XCTest
@testable import Engine

final class NPYTests: XCTestCase {
    // MARK: Round trips

    /// One array per storage type, with the extreme values of each.
    static let samples: [NDArray] = [
        NDArray(shape: [2, 3], storage: .float32([0, -0.0, 1.5, .infinity, -.greatestFiniteMagnitude, .leastNonzeroMagnitude])),
        NDArray(shape: [4], storage: .float64([.pi, -1e300, .leastNormalMagnitude, -.infinity])),
        NDArray(shape: [2, 1, 2], storage: .uint8([0, 1, 128, 255])),
        NDArray(shape: [3], storage: .int32([.min, -1, .max])),
        NDArray(shape: [1, 3], storage: .int64([.min, 0, .max])),
    ]

    func testRoundTripOfEveryDType() throws {
        for array in Self.samples {
            XCTAssertEqual(try NPY.decode(NPY.encode(array), file: "x.npy"), array, "\(array.elementType)")
        }
    }

    func testRoundTripThroughAFile() throws {
        let directory = try temporaryDirectory()
        for (i, array) in Self.samples.enumerated() {
            let url = directory.appendingPathComponent("a\(i).npy")
            try NPY.write(array, to: url)
            XCTAssertEqual(try NPY.read(url), array)
        }
    }

    func testRoundTripOfScalarsAndEmptyArrays() throws {
        for array in [NDArray(shape: [], storage: .float64([2.5])), NDArray(shape: [0], storage: .int32([])),
                      NDArray(shape: [3, 0, 2], storage: .uint8([]))] {
            XCTAssertEqual(try NPY.decode(NPY.encode(array), file: "x.npy"), array, "\(array.shape)")
        }
    }

    func testNaNSurvivesBitForBit() throws {
        let nan = Float(bitPattern: 0x7FC0_1234)
        let decoded = try NPY.decode(NPY.encode(NDArray(shape: [1], storage: .float32([nan]))), file: "x.npy")
        guard case .float32(let values) = decoded.storage else { return XCTFail("wrong storage") }
        XCTAssertEqual(values[0].bitPattern, 0x7FC0_1234)
    }

    func testEncodingPadsTheHeaderTo64BytesLikeNumPy() throws {
        let data = NPY.encode(Self.samples[0])
        XCTAssertEqual(Array(data.prefix(8)), NPY.magic + [1, 0])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0)
        XCTAssertEqual(data[10 + headerLength - 1], UInt8(ascii: "\n"))
        XCTAssertEqual(data.count, 10 + headerLength + 6 * 4)
    }

    /// A header longer than 65535 bytes needs version 2.0 and its 32-bit length.
    func testVersion2IsWrittenWhenTheHeaderIsHuge() throws {
        let array = NDArray(shape: [Int](repeating: 1, count: 22_000), storage: .int64([42]))
        let data = NPY.encode(array)
        XCTAssertEqual(data[6], 2)
        let headerLength = (0..<4).reduce(0) { $0 | Int(data[8 + $1]) << (8 * $1) }
        XCTAssertGreaterThan(headerLength, 65535)
        XCTAssertEqual((12 + headerLength) % 64, 0)
        XCTAssertEqual(try NPY.decode(data, file: "x.npy"), array)
    }

    func testVersions2And3AreRead() throws {
        let payload = NDArray.Storage.int32([7, -8]).littleEndianBytes
        for version: UInt8 in [1, 2, 3] {
            let data = Bytes.npy(header: Bytes.npyHeader(descr: "<i4"), version: version, payload: payload)
            XCTAssertEqual(try NPY.decode(data, file: "x.npy"), NDArray(shape: [2], storage: .int32([7, -8])), "version \(version)")
        }
    }

    // MARK: Files written by NumPy

    func testFilesWrittenByNumPy() throws {
        let expected: [(String, NDArray)] = [
            ("f4.npy", NDArray(shape: [2, 3], storage: .float32(DataFixtures.ramp(6, float: true).map(Float.init)))),
            ("f8.npy", NDArray(shape: [3], storage: .float64(DataFixtures.ramp(3, float: true)))),
            ("u1.npy", NDArray(shape: [2, 2, 2], storage: .uint8(Array(0..<8)))),
            ("i4.npy", NDArray(shape: [4], storage: .int32([0, 1, 2, 3]))),
            ("i8.npy", NDArray(shape: [2, 1], storage: .int64([0, 1]))),
            ("f8_scalar.npy", NDArray(shape: [], storage: .float64([2.5]))),
            ("f4_empty.npy", NDArray(shape: [0, 3], storage: .float32([]))),
            ("i8_v2.npy", NDArray(shape: [2, 3], storage: .int64(Array(0..<6)))),
            ("i8_v3.npy", NDArray(shape: [2, 3], storage: .int64(Array(0..<6)))),
        ]
        for (name, array) in expected {
            XCTAssertEqual(try NPY.read(DataFixtures.url(name)), array, name)
        }
        XCTAssertEqual(try DataFixtures.bytes("i8_v2.npy")[6], 2)
        XCTAssertEqual(try DataFixtures.bytes("i8_v3.npy")[6], 3)
    }

    /// Our writer produces NumPy's bytes exactly (header text, growth room, padding).
    func testEncodingMatchesNumPyByteForByte() throws {
        for name in ["f4.npy", "f8.npy", "u1.npy", "i4.npy", "i8.npy", "f8_scalar.npy", "f4_empty.npy", "labels_i4_column.npy"] {
            let original = try DataFixtures.bytes(name)
            XCTAssertEqual(NPY.encode(try NPY.decode(original, file: name)), original, name)
        }
    }

    func testGoldenFilesDecode() throws {
        let files = try DataFixtures.goldenNPYFiles()
        XCTAssertGreaterThan(files.count, 10)
        for url in files {
            let array = try NPY.read(url)
            XCTAssertEqual(array.count, array.storage.count, url.lastPathComponent)
        }
    }

    // MARK: Header syntax

    func testHeaderVariantsNumPyWouldAccept() throws {
        let headers = [
            "{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}",  // any key order, no trailing comma
            "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,)}",  // double quotes
            "{ 'descr' : '<f4' ,\n 'fortran_order' : False , 'shape' : ( 2 , ) , }   ",  // spaces, newlines
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }",  // Python 2 long
            "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }",  // Fortran order of a 1-D array is C order
            "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2, 1), }",
        ]
        let payload = NDArray.Storage.float32([1, 2]).littleEndianBytes
        for header in headers {
            let array = try NPY.decode(Bytes.npy(header: header, payload: payload), file: "x.npy")
            XCTAssertEqual(array.storage, .float32([1, 2]), header)
        }
    }

    func testUnsignedBytesMayBeMarkedLittleEndian() throws {
        let data = Bytes.npy(header: Bytes.npyHeader(descr: "<u1"), payload: Data([3, 4]))
        XCTAssertEqual(try NPY.decode(data, file: "x.npy").storage, .uint8([3, 4]))
    }

    func testMalformedHeadersAreRefused() {
        let headers: [(String, String)] = [
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "unexpected key 'extra'"),
            ("{'descr': '<f4', 'fortran_order': False}", "key 'shape' is missing"),
            ("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", "key 'descr' appears twice"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", "expected ',', found end of header at character 55"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", "'shape' is 2, not a tuple"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "'shape' is [2], not a tuple"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", "'shape' (-2,) holds -2, not a size ≥ 0"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': ('2',)}", "'shape' ('2',) holds '2', not a size ≥ 0"),
            ("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "'fortran_order' is 0, not True or False"),
            ("{'descr': '<f4', 'fortran_order': Falsey, 'shape': (2,)}", "unexpected 'F' at character 34"),
            ("{'descr': 4, 'fortran_order': False, 'shape': (2,)}", "'descr' is 4, not a string"),
            ("{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", "expected ',', found '\\'' at character 16"),
            ("{descr: '<f4', 'fortran_order': False, 'shape': (2,)}", "expected a quoted key, found 'd' at character 1"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x", "unexpected 'x' after the literal at character 56"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,,)}", "unexpected ',' at character 53"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (2x,)}", "unexpected 'x' in integer at character 52"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (02,)}", "leading zero in integer at character 53"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "integer too large at character 69"),
            ("{'descr': '<f\\4', 'fortran_order': False, 'shape': (2,)}", "unsupported escape in string at character 14"),
            ("['descr', '<f4']", "the header is ['descr', '<f4'], not a dict"),
            ("", "unexpected end of header at character 1"),
            (String(repeating: "(", count: 10_000), "nesting deeper than 16 at character 16"),
        ]
        for (header, reason) in headers {
            assertDataError(try NPY.decode(Bytes.npy(header: header, payload: Data(count: 8)), file: "x.npy"),
                            .malformedHeader(reason))
        }
    }

    func testVersion3HeaderMustBeUTF8() {
        let bytes = Array("{'descr': '<f4".utf8) + [0xFF] + Array("', 'fortran_order': False, 'shape': (0,)}\n".utf8)
        assertDataError(try NPY.decode(Bytes.npy(headerBytes: bytes, version: 3), file: "x.npy"),
                        .malformedHeader("a version 3.0 header that is not UTF-8"))
        // Before 3.0 the header is Latin-1: the same byte is a character, here of an unknown dtype.
        assertDataError(try NPY.decode(Bytes.npy(headerBytes: bytes, version: 1), file: "x.npy"),
                        .unsupportedDType("<f4\u{FF}"))
    }

    // MARK: Refusals

    func testUnsupportedVersions() {
        for (major, minor): (UInt8, UInt8) in [(0, 0), (4, 0), (1, 1)] {
            var data = Bytes.npy(header: Bytes.npyHeader(), payload: Data(count: 8))
            data[6] = major
            data[7] = minor
            assertDataError(try NPY.decode(data, file: "x.npy"), .unsupportedVersion("\(major).\(minor)"),
                            message: "x.npy: NPY format version \(major).\(minor) is not supported; expected 1.0, 2.0 or 3.0")
        }
    }

    func testBigEndianFromNumPyIsRefused() {
        assertDataError(try NPY.read(DataFixtures.url("be_f4.npy")), .unsupportedDType(">f4"),
                        message: "\(DataFixtures.url("be_f4.npy").path): dtype '>f4' (big-endian) is not supported; "
                            + "expected one of <f4, <f8, |u1, <i4, <i8")
    }

    func testObjectDTypeFromNumPyIsRefused() {
        assertDataError(try NPY.read(DataFixtures.url("object.npy")), .unsupportedDType("|O"),
                        message: "\(DataFixtures.url("object.npy").path): dtype '|O' (Python objects) is not supported; "
                            + "expected one of <f4, <f8, |u1, <i4, <i8")
    }

    func testOtherDTypesAreRefusedWithTheirName() {
        assertDataError(try NPY.read(DataFixtures.url("bool.npy")), .unsupportedDType("|b1"))
        let structured = Bytes.npy(header: "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,)}")
        assertDataError(try NPY.decode(structured, file: "s.npy"), .unsupportedDType("[('a', '<f4'), ('b', '<i4')]"))
        assertDataError(try NPY.decode(Bytes.npy(header: Bytes.npyHeader(descr: "<U3")), file: "u.npy"),
                        message: "u.npy: dtype '<U3' (strings) is not supported; expected one of <f4, <f8, |u1, <i4, <i8")
    }

    func testFortranOrderFromNumPyIsRefused() {
        let url = DataFixtures.url("fortran.npy")
        assertDataError(try NPY.read(url), .fortranOrder,
                        message: "\(url.path): array is stored in Fortran (column-major) order; "
                            + "expected C order (save np.ascontiguousarray(a))")
    }

    func testTruncatedDataIsRefused() throws {
        let original = try DataFixtures.bytes("f4.npy")  // 128-byte header + 24 bytes of data
        assertDataError(try NPY.decode(original.prefix(140), file: "f4.npy"),
                        .truncated(expectedBytes: 152, foundBytes: 140),
                        message: "f4.npy: file is truncated: found 140 bytes, expected 152")
        assertDataError(try NPY.decode(original.prefix(50), file: "f4.npy"), .truncated(expectedBytes: 128, foundBytes: 50))
        assertDataError(try NPY.decode(original.prefix(4), file: "f4.npy"), .truncated(expectedBytes: 6, foundBytes: 4))
        assertDataError(try NPY.decode(Data(), file: "f4.npy"), .truncated(expectedBytes: 6, foundBytes: 0))
    }

    func testTrailingBytesAreRefused() throws {
        var data = try DataFixtures.bytes("f4.npy")
        data.append(0)
        assertDataError(try NPY.decode(data, file: "f4.npy"), .trailingBytes(expectedBytes: 152, foundBytes: 153),
                        message: "f4.npy: found 153 bytes, expected exactly 152 (unexplained data after the array)")
    }

    func testBadMagicIsRefused() {
        assertDataError(try NPY.decode(Data("PK\u{3}\u{4}\u{14}\u{0}rest".utf8), file: "x.npy"),
                        .badMagic(found: "50 4B 03 04 14 00", expected: "93 4E 55 4D 50 59 (\\x93NUMPY, an NPY file)"),
                        message: "x.npy: starts with 50 4B 03 04 14 00; expected 93 4E 55 4D 50 59 (\\x93NUMPY, an NPY file)")
    }

    /// Shapes are checked against the bytes before anything is allocated.
    func testAbsurdShapesAreRefusedBeforeAllocating() {
        let overflow = Bytes.npy(header: Bytes.npyHeader(shape: "(4294967296, 4294967296)"))
        assertDataError(try NPY.decode(overflow, file: "x.npy"), .absurdShape([4_294_967_296, 4_294_967_296]))
        let bytesOverflow = Bytes.npy(header: Bytes.npyHeader(descr: "<f8", shape: "(2305843009213693952,)"))
        assertDataError(try NPY.decode(bytesOverflow, file: "x.npy"), .absurdShape([2_305_843_009_213_693_952]))
        let huge = Bytes.npy(header: Bytes.npyHeader(shape: "(1000000000000,)"), payload: Data(count: 8))
        let headerEnd = huge.count - 8
        assertDataError(try NPY.decode(huge, file: "x.npy"),
                        .truncated(expectedBytes: headerEnd + 4_000_000_000_000, foundBytes: huge.count))
    }

    func testMissingFileAndDirectory() throws {
        let directory = try temporaryDirectory()
        let missing = directory.appendingPathComponent("none.npy")
        assertDataError(try NPY.read(missing), .notFound,
                        message: "\(missing.path): no such file; expected an existing .npy, .npz, IDX or CIFAR .bin file")
        assertDataError(try NPY.read(directory), .unreadable("it is a directory"))
        assertDataError(try NPY.write(Self.samples[0], to: missing.appendingPathComponent("sub/x.npy")))
    }
}
