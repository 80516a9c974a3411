import Foundation
import XCTest
@testable import Engine

final class CIFARTests: XCTestCase {
    static let cifar10 = Bytes.cifar(labels: [[3], [9], [0]])
    static let cifar100 = Bytes.cifar(labels: [[19, 99], [0, 5]])

    func testCIFAR10() throws {
        let url = try temporaryFile("cifar-10-batches-bin/data_batch_1.bin", Self.cifar10)
        let images = try DatasetFile.loadImages(url)
        XCTAssertEqual(images.shape, [3, 3, 32, 32])
        XCTAssertEqual(images.storage, .uint8((0..<3).flatMap(Bytes.cifarPixels)))
        XCTAssertEqual(try DatasetFile.loadLabels(url), [3, 9, 0])
    }

    /// CIFAR-100's class is the fine label, the second byte.
    func testCIFAR100UsesTheFineLabel() throws {
        let url = try temporaryFile("cifar-100-binary/train.bin", Self.cifar100)
        XCTAssertEqual(try DatasetFile.loadImages(url).storage, .uint8((0..<2).flatMap(Bytes.cifarPixels)))
        XCTAssertEqual(try DatasetFile.loadLabels(url), [99, 5])
    }

    func testTheNamingRule() throws {
        let cases: [(String, Int, CIFAR.Variant)] = [
            ("/x/data_batch_3.bin", 3073, .cifar10),
            ("/x/test_batch.bin", 3073, .cifar10),
            ("/data/CIFAR-100-binary/test.bin", 3074, .cifar100),
            ("/data/cifar100/mine.bin", 3074, .cifar100),
            ("/data/cifar-10/train.bin", 3073, .cifar10),  // the directory outranks the generic file name
            ("/x/train.bin", 3074, .cifar100),
            ("/x/mine.bin", 2 * 3073, .cifar10),  // by size
            ("/x/mine.bin", 2 * 3074, .cifar100),
        ]
        for (path, size, variant) in cases {
            XCTAssertEqual(try CIFAR.variant(path: path, size: size, file: path), variant, path)
        }
    }

    func testSizesTheNameOrSizeCannotExplain() {
        assertDataError(try CIFAR.variant(path: "/x/train.bin", size: 2 * 3073, file: "train.bin"),
                        message: "train.bin: 6146 bytes are not a whole number of CIFAR-100 records, which the file name implies; "
                            + "expected CIFAR-10 records of 3073 bytes (label, 3072 pixels) or CIFAR-100 records of 3074 bytes "
                            + "(coarse label, fine label, 3072 pixels)")
        assertDataError(try CIFAR.variant(path: "/x/mine.bin", size: 3073 * 3074, file: "mine.bin"),
                        .unrecognizedCIFAR("9446402 bytes are whole numbers of both record sizes and the name does not say which "
                            + "(name it data_batch*.bin or train.bin)"))
        assertDataError(try CIFAR.variant(path: "/x/mine.bin", size: 5000, file: "mine.bin"),
                        .unrecognizedCIFAR("5000 bytes are not a whole number of records"))
    }

    func testTruncatedFileIsRefused() throws {
        let url = try temporaryFile("data_batch_1.bin", Self.cifar10.prefix(3073 * 2 + 100))
        assertDataError(try DatasetFile.loadImages(url),
                        .unrecognizedCIFAR("6246 bytes are not a whole number of CIFAR-10 records, which the file name implies"))
    }

    func testEmptyFile() throws {
        let url = try temporaryFile("data_batch_1.bin", Data())
        assertDataError(try DatasetFile.loadImages(url), .emptyDataset(shape: [0, 3, 32, 32]),
                        message: "\(url.path): holds no samples (shape [0, 3, 32, 32]); expected at least one")
    }

    /// A label byte beyond the classes means the file is not what its name says.
    func testLabelBeyondTheClasses() throws {
        let url = try temporaryFile("test_batch.bin", Bytes.cifar(labels: [[1], [10]]))
        assertDataError(try DatasetFile.loadLabels(url), .labelOutOfRange(index: 1, value: 10, classes: 10))
    }
}
