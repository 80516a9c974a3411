import Foundation
import XCTest
@testable import Engine

final class DatasetFileTests: XCTestCase {
    // MARK: Loading

    func testNPYImagesAndLabels() throws {
        XCTAssertEqual(try DatasetFile.loadImages(DataFixtures.url("f4.npy")).shape, [2, 3])
        XCTAssertEqual(try DatasetFile.loadLabels(DataFixtures.url("i4.npy")), [0, 1, 2, 3])
    }

    func testNPZImagesAndLabels() throws {
        for name in ["xy.npz", "xy_compressed.npz", "xy_zip64.npz"] {
            let url = DataFixtures.url(name)
            XCTAssertEqual(try DatasetFile.loadImages(url), NPZTests.images, name)
            XCTAssertEqual(try DatasetFile.loadLabels(url), [2, 0, 1], name)
        }
        XCTAssertEqual(try DatasetFile.loadImages(DataFixtures.url("single.npz")).shape, [2, 3])
    }

    func testGzippedNPY() throws {
        let url = try temporaryFile("x.npy.gz", Zlib.deflate(DataFixtures.bytes("f4.npy"), format: .gzip))
        XCTAssertEqual(try DatasetFile.loadImages(url), try NPY.read(DataFixtures.url("f4.npy")))
    }

    func testFloatLabelsWithWholeValues() throws {
        XCTAssertEqual(try DatasetFile.loadLabels(DataFixtures.url("labels_f8_integral.npy")), [0, 2, 1])
    }

    func testFractionalLabelsAreRefused() {
        let url = DataFixtures.url("labels_f8_fraction.npy")
        assertDataError(try DatasetFile.loadLabels(url), .nonIntegerLabel(index: 1, value: 1.5),
                        message: "\(url.path): label 1.5 at index 1 is not an integer; expected integer class indices")
        let nan = NDArray(shape: [2], storage: .float32([1, .nan]))
        assertDataError(try DatasetFile.labels(nan, file: "y.npy"))
    }

    func testColumnLabelsAreFlattened() throws {
        XCTAssertEqual(try DatasetFile.loadLabels(DataFixtures.url("labels_i4_column.npy")), [1, 0, 2])
    }

    func testLabelsOfAnotherShapeAreRefused() {
        let url = DataFixtures.url("f4.npy")
        assertDataError(try DatasetFile.loadLabels(url), .labelShape([2, 3]),
                        message: "\(url.path): labels have shape [2, 3]; expected [N] or [N, 1]")
        assertDataError(try DatasetFile.loadLabels(DataFixtures.url("f8_scalar.npy")), .labelShape([]))
    }

    func testUnrecognizedFormat() throws {
        let url = try temporaryFile("notes.txt", Data("hello".utf8))
        assertDataError(try DatasetFile.loadImages(url), .unrecognizedFormat,
                        message: "\(url.path): unrecognised format; expected .npy, .npz, IDX (*-idx3-ubyte, *-idx1-ubyte, "
                            + "optionally .gz) or CIFAR .bin")
    }

    func testNameOutranksContents() throws {
        // An NPZ archive named .npy is read as NPY, and says so.
        let url = try temporaryFile("x.npy", DataFixtures.bytes("xy.npz"))
        assertDataError(try DatasetFile.loadImages(url),
                        .badMagic(found: "50 4B 03 04 2D 00", expected: "93 4E 55 4D 50 59 (\\x93NUMPY, an NPY file)"))
    }

    // MARK: The failure classes a user meets, with their full messages

    func testMessageForTruncatedFile() throws {
        let url = try temporaryFile("images.npy", DataFixtures.bytes("f4.npy").prefix(150))
        assertDataError(try DatasetFile.loadImages(url), message: "\(url.path): file is truncated: found 150 bytes, expected 152")
    }

    func testMessageForBadMagic() throws {
        let url = try temporaryFile("images.npy", Data("not numpy".utf8))
        assertDataError(try DatasetFile.loadImages(url),
                        message: "\(url.path): starts with 6E 6F 74 20 6E 75; expected 93 4E 55 4D 50 59 (\\x93NUMPY, an NPY file)")
    }

    func testMessageForObjectDType() {
        let url = DataFixtures.url("object.npy")
        assertDataError(try DatasetFile.loadImages(url),
                        message: "\(url.path): dtype '|O' (Python objects) is not supported; expected one of <f4, <f8, |u1, <i4, <i8")
    }

    func testMessageForFortranOrder() {
        let url = DataFixtures.url("fortran.npy")
        assertDataError(try DatasetFile.loadImages(url),
                        message: "\(url.path): array is stored in Fortran (column-major) order; expected C order (save np.ascontiguousarray(a))")
    }

    func testMessageForShapeNotMatchingTheModel() {
        let images = NDArray(shape: [10, 28, 28, 3], storage: .uint8([UInt8](repeating: 0, count: 10 * 28 * 28 * 3)))
        assertDataError(try DatasetFile.validateImages(images, inputShape: [3, 28, 28], file: "x.npy"),
                        .shapeMismatch(found: [10, 28, 28, 3], expected: [10, 3, 28, 28]),
                        message: "x.npy: images have shape [10, 28, 28, 3]; expected [10, 3, 28, 28] ([N] + the model's input shape) "
                            + "or [10, 2352] flattened")
    }

    func testMessageForLabelsOutOfRange() {
        assertDataError(try DatasetFile.validateLabels([0, 9, 10, -1], classes: 10, file: "y.npy"),
                        .labelOutOfRange(index: 2, value: 10, classes: 10),
                        message: "y.npy: label 10 at index 2 is out of range; expected 0..<10 (10 classes)")
        assertDataError(try DatasetFile.validateLabels([3, -1], classes: 10, file: "y.npy"),
                        .labelOutOfRange(index: 1, value: -1, classes: 10))
    }

    // MARK: Validation

    func testImageShapesAccepted() throws {
        let shapes: [([Int], [Int])] = [
            ([5, 1, 28, 28], [1, 28, 28]),
            ([5, 784], [1, 28, 28]),
            ([5, 28, 28], [1, 28, 28]),
            ([1, 3, 32, 32], [3, 32, 32]),
            ([2, 64], [64]),
        ]
        for (shape, input) in shapes {
            let images = NDArray(shape: shape, storage: .uint8([UInt8](repeating: 0, count: shape.reduce(1, *))))
            XCTAssertNoThrow(try DatasetFile.validateImages(images, inputShape: input, file: "x"), "\(shape) for \(input)")
        }
    }

    func testImageShapesRefused() {
        let refused: [([Int], [Int])] = [
            ([5, 3, 28, 28], [1, 28, 28]),
            ([5, 32, 32], [3, 32, 32]),  // [N, H, W] only for one channel
            ([784], [1, 28, 28]),
            ([5, 785], [1, 28, 28]),
        ]
        for (shape, input) in refused {
            let images = NDArray(shape: shape, storage: .uint8([UInt8](repeating: 0, count: shape.reduce(1, *))))
            assertDataError(try DatasetFile.validateImages(images, inputShape: input, file: "x"),
                            .shapeMismatch(found: shape, expected: [shape[0]] + input))
        }
        let scalar = NDArray(shape: [], storage: .float32([1]))
        assertDataError(try DatasetFile.validateImages(scalar, inputShape: [4], file: "x"),
                        message: "x: images have shape []; expected [1, 4] ([N] + the model's input shape)")
        let empty = NDArray(shape: [0, 1, 28, 28], storage: .uint8([]))
        assertDataError(try DatasetFile.validateImages(empty, inputShape: [1, 28, 28], file: "x"),
                        .emptyDataset(shape: [0, 1, 28, 28]))
    }
}
