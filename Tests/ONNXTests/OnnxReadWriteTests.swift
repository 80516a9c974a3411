import Foundation
import XCTest
@testable import ONNX

final class OnnxReadWriteTests: XCTestCase {
    func testGoldenModelsReadWithTheirOpsetsAndWeights() throws {
        let expectedOpsets = ["mlp_digits": 17, "cnn_digits": 17, "dense_rgb": 20]
        for name in GoldenFiles.cases {
            let model = try OnnxFile.read(contentsOf: GoldenFiles.model(name))
            XCTAssertEqual(model.opset, expectedOpsets[name], name)
            XCTAssertFalse(model.graph.nodes.isEmpty, name)
            XCTAssertEqual(model.graph.outputs.count, 1, name)
            for tensor in model.graph.initializers {
                XCTAssertEqual(tensor.data.count, tensor.dims.reduce(1, *), "\(name) \(tensor.name)")
            }
        }
    }

    func testInlineRoundTripIsLossless() throws {
        for name in GoldenFiles.cases {
            let model = try OnnxFile.read(contentsOf: GoldenFiles.model(name))
            XCTAssertEqual(try OnnxFile.decode(try OnnxFile.encode(model)), model, name)
        }
    }

    func testExternalDataRoundTripWritesADataFileBesideTheModel() throws {
        let directory = try GoldenFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try OnnxFile.read(contentsOf: GoldenFiles.model("cnn_digits"))
        let url = directory.appendingPathComponent("net.onnx")
        try OnnxFile.write(model, to: url, externalDataThreshold: 64)
        let dataFile = directory.appendingPathComponent("net.onnx.data")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dataFile.path))
        XCTAssertEqual(try OnnxFile.read(contentsOf: url), model)
        let modelBytes = try Data(contentsOf: url).count
        XCTAssertLessThan(modelBytes, try Data(contentsOf: GoldenFiles.model("cnn_digits")).count)
    }

    func testExternalDataMissingFileNamesTheTensorAndTheFile() throws {
        let directory = try GoldenFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try OnnxFile.read(contentsOf: GoldenFiles.model("mlp_digits"))
        let url = directory.appendingPathComponent("net.onnx")
        try OnnxFile.write(model, to: url, externalDataThreshold: 1)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("net.onnx.data"))
        XCTAssertThrowsError(try OnnxFile.read(contentsOf: url)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(url.path), message)
            XCTAssertTrue(message.contains("initializer '"), message)
            XCTAssertTrue(message.contains("net.onnx.data"), message)
        }
    }

    func testTypedStorageFieldsAreRead() throws {
        let reader = TensorReader(externalData: ExternalDataReader(baseDirectory: nil))
        var floats = Onnx_TensorProto()
        floats.name = "w"
        floats.dims = [2, 2]
        floats.dataType = Int32(OnnxDataType.float.rawValue)
        floats.floatData = [1, 2, 3, 4]
        XCTAssertEqual(try reader.tensor(floats, place: "w").data, .float32([1, 2, 3, 4]))

        var shape = Onnx_TensorProto()
        shape.dims = [3]
        shape.dataType = Int32(OnnxDataType.int64.rawValue)
        shape.int64Data = [1, -1, 8]
        XCTAssertEqual(try reader.tensor(shape, place: "s").data, .int64([1, -1, 8]))

        var half = Onnx_TensorProto()
        half.dims = [2]
        half.dataType = Int32(OnnxDataType.float16.rawValue)
        half.int32Data = [0x3C00, 0xC000]  // 1.0 and −2.0
        XCTAssertEqual(try reader.tensor(half, place: "h").data, .float16([1, -2]))

        var raw = Onnx_TensorProto()
        raw.dims = [2]
        raw.dataType = Int32(OnnxDataType.double.rawValue)
        raw.rawData = [0.5, -3.25].withUnsafeBytes { Data($0) }
        XCTAssertEqual(try reader.tensor(raw, place: "r").data, .float64([0.5, -3.25]))
    }

    func testRawDataOfTheWrongLengthIsRefusedWithBothCounts() throws {
        var tensor = Onnx_TensorProto()
        tensor.dims = [8, 1, 3, 3]
        tensor.dataType = Int32(OnnxDataType.float.rawValue)
        tensor.rawData = Data(count: 284)
        let reader = TensorReader(externalData: ExternalDataReader(baseDirectory: nil))
        XCTAssertThrowsError(try reader.tensor(tensor, place: "initializer 'conv.weight'")) { error in
            XCTAssertEqual("\(error)", "initializer 'conv.weight': expected 288 bytes of raw_data for 72 FLOAT elements, found 284")
        }
    }

    func testExternalLocationsOutsideTheModelDirectoryAreRefused() {
        let base = URL(fileURLWithPath: "/tmp/models")
        for location in ["/etc/passwd", "../secret.bin", "a/../../b", "C:\\x.bin"] {
            XCTAssertThrowsError(try ExternalDataReader.resolve(location, in: base, place: "t"), location) { error in
                XCTAssertTrue("\(error)".contains("external data location '\(location)'"), "\(error)")
            }
        }
        XCTAssertEqual(try ExternalDataReader.resolve("sub/./w.bin", in: base, place: "t").lastPathComponent, "w.bin")
    }

    func testNotAProtobufIsAClearError() {
        XCTAssertThrowsError(try OnnxFile.decode(Data("hello, world".utf8), file: "x.onnx")) { error in
            XCTAssertTrue("\(error)".hasPrefix("x.onnx: is not a valid ONNX protobuf"), "\(error)")
        }
    }

    func testMissingAttributeAndWrongKindNameTheNode() throws {
        let node = OnnxNode(name: "/conv1/Conv", opType: "Conv", inputs: ["x", "w"], outputs: ["y"],
                            attributes: ["strides": .int(2)])
        XCTAssertThrowsError(try node.ints("strides")) { error in
            XCTAssertEqual("\(error)", "node '/conv1/Conv' (Conv), attribute 'strides': expected INTS, found INT")
        }
        XCTAssertThrowsError(try node.ints("pads")) { error in
            XCTAssertEqual("\(error)", "node '/conv1/Conv' (Conv), attribute 'pads': is required but missing")
        }
        XCTAssertEqual(try node.ints("pads", default: [0, 0, 0, 0]), [0, 0, 0, 0])
    }

    func testHalfPrecisionRoundsToNearestEven() {
        XCTAssertEqual(HalfPrecision.float16Bits(from: 1.0), 0x3C00)
        XCTAssertEqual(HalfPrecision.float16Bits(from: 65504), 0x7BFF)
        XCTAssertEqual(HalfPrecision.float(fromFloat16Bits: 0x0001), 0x1p-24)
        XCTAssertEqual(HalfPrecision.bfloat16Bits(from: 1.0), 0x3F80)
        for bits in stride(from: UInt16(0), to: 0x7C00, by: 37) {
            XCTAssertEqual(HalfPrecision.float16Bits(from: HalfPrecision.float(fromFloat16Bits: bits)), bits)
        }
    }
}
