import Foundation
import XCTest
@testable import Engine

final class IDXTests: XCTestCase {
    static let images = Bytes.idx(magic: 0x803, dims: [2, 3, 4], payload: Array(0..<24))
    static let labels = Bytes.idx(magic: 0x801, dims: [3], payload: [7, 0, 9])

    func testImagesGainAChannelAxis() throws {
        let url = try temporaryFile("train-images-idx3-ubyte", Self.images)
        XCTAssertEqual(try DatasetFile.loadImages(url), NDArray(shape: [2, 1, 3, 4], storage: .uint8(Array(0..<24))))
    }

    func testLabels() throws {
        let url = try temporaryFile("train-labels-idx1-ubyte", Self.labels)
        XCTAssertEqual(try DatasetFile.loadLabels(url), [7, 0, 9])
    }

    func testGzippedFiles() throws {
        let images = try temporaryFile("t10k-images-idx3-ubyte.gz", Zlib.deflate(Self.images, format: .gzip))
        let labels = try temporaryFile("t10k-labels-idx1-ubyte.gz", Zlib.deflate(Self.labels, format: .gzip))
        XCTAssertEqual(try DatasetFile.loadImages(images).shape, [2, 1, 3, 4])
        XCTAssertEqual(try DatasetFile.loadLabels(labels), [7, 0, 9])
    }

    /// Without a telling name, the magic numbers (gzip, then IDX) select the reader.
    func testFormatFromMagicAlone() throws {
        let plain = try temporaryFile("digits", Self.images)
        let zipped = try temporaryFile("labels.data", Zlib.deflate(Self.labels, format: .gzip))
        XCTAssertEqual(try DatasetFile.loadImages(plain).shape, [2, 1, 3, 4])
        XCTAssertEqual(try DatasetFile.loadLabels(zipped), [7, 0, 9])
    }

    /// `cat a.gz b.gz` is a valid gzip file holding both.
    func testConcatenatedGzipMembers() throws {
        let half = Self.images.count / 2
        let data = Zlib.deflate(Self.images.prefix(half), format: .gzip) + Zlib.deflate(Self.images.dropFirst(half), format: .gzip)
        XCTAssertEqual(try Zlib.inflate(data, format: .gzip, file: "x.gz"), Self.images)
    }

    func testLabelsGivenAsImagesAreNamed() throws {
        let url = try temporaryFile("train-labels-idx1-ubyte", Self.labels)
        assertDataError(try DatasetFile.loadImages(url),
                        message: "\(url.path): starts with 0x00000801 (IDX labels); expected 0x00000803 (IDX images, unsigned bytes [N, H, W])")
    }

    func testBadMagic() {
        let floats = Bytes.idx(magic: 0xD03, dims: [1, 1, 1], payload: [0, 0, 0, 0])
        assertDataError(try IDX.decode(floats, expecting: .images, file: "x-idx3-ubyte"),
                        .badMagic(found: "0x00000D03 (IDX of another element type)",
                                  expected: "0x00000803 (IDX images, unsigned bytes [N, H, W])"))
        assertDataError(try IDX.decode(Data("GIF89a..".utf8), expecting: .labels, file: "x-idx1-ubyte"),
                        message: "x-idx1-ubyte: starts with 0x47494638 (not an IDX file); expected 0x00000801 (IDX labels, unsigned bytes [N])")
    }

    func testTruncatedAndOversizedFiles() {
        assertDataError(try IDX.decode(Self.images.prefix(30), expecting: .images, file: "x"),
                        .truncated(expectedBytes: 40, foundBytes: 30),
                        message: "x: file is truncated: found 30 bytes, expected 40")
        assertDataError(try IDX.decode(Self.images.prefix(10), expecting: .images, file: "x"),
                        .truncated(expectedBytes: 12, foundBytes: 10))
        assertDataError(try IDX.decode(Self.images + [0], expecting: .images, file: "x"),
                        .trailingBytes(expectedBytes: 40, foundBytes: 41))
        let huge = Bytes.idx(magic: 0x803, dims: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [])
        assertDataError(try IDX.decode(huge, expecting: .images, file: "x"), .absurdShape([0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF]))
    }

    func testTruncatedGzip() throws {
        let zipped = Zlib.deflate(Self.images, format: .gzip)
        let url = try temporaryFile("x-idx3-ubyte.gz", zipped.prefix(zipped.count - 10))
        let error = assertDataError(try DatasetFile.loadImages(url))
        guard case .corrupt? = error?.kind else { return XCTFail("\(String(describing: error))") }
    }

    /// The real Fashion-MNIST test set, when the machine has it.
    func testFashionMNISTTestSet() throws {
        let directory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")
        let imagesURL = directory.appendingPathComponent("t10k-images-idx3-ubyte.gz")
        let labelsURL = directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz")
        guard FileManager.default.fileExists(atPath: imagesURL.path), FileManager.default.fileExists(atPath: labelsURL.path) else {
            throw XCTSkip("Fashion-MNIST is not installed in \(directory.path)")
        }
        let images = try DatasetFile.loadImages(imagesURL)
        let labels = try DatasetFile.loadLabels(labelsURL)
        XCTAssertEqual(images.shape, [10000, 1, 28, 28])
        XCTAssertEqual(labels.count, 10000)
        XCTAssertEqual(Array(labels.prefix(10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
        XCTAssertEqual(Set(labels), Set(0..<10))
        guard case .uint8(let pixels) = images.storage else { return XCTFail("expected bytes") }
        XCTAssertEqual(pixels.prefix(784).reduce(0) { $0 + Int($1) }, 33456)
        XCTAssertNoThrow(try DatasetFile.validateImages(images, inputShape: [1, 28, 28], file: imagesURL.path))
        XCTAssertNoThrow(try DatasetFile.validateLabels(labels, classes: 10, file: labelsURL.path))
    }
}
