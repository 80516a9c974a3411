import Foundation
import ONNX
import XCTest
@testable import Engine

/// Models Seismo cannot run are refused at load with a message naming the file, the node (or
/// tensor) and what was expected.
final class ModelLoaderErrorTests: XCTestCase {
    private func assertLoadError(_ build: (inout TestGraph) -> String, input: [Int] = [4], opset: Int = 17,
                                 contains expected: String, file: StaticString = #filePath, line: UInt = #line) {
        var g = TestGraph()
        let output = build(&g)
        XCTAssertThrowsError(try g.model(input: input, output: output, opset: opset), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(expected), "\(error)", file: file, line: line)
        }
    }

    func testUnsupportedOperatorNamesTheNode() {
        assertLoadError({ g in g.head(g.node("Erf", ["x"]), features: 4) }, contains: "node 'erf_1' (Erf)")
    }

    func testOpsetOutsideTheSupportedRange() {
        assertLoadError({ g in g.head("x", features: 4) }, opset: 9, contains: "opset 9 is not supported (supported: 11–25)")
    }

    func testShapeMismatchNamesTheNodeAndTheShapes() {
        assertLoadError({ g in
            let flat = g.node("Flatten", ["x"], ["axis": .int(1)])
            return g.node("Gemm", [flat, g.parameter([3, 5]), g.parameter([3])], ["transB": .int(1)])
        }, contains: "node 'gemm_4' (Gemm): input items [4] do not match weight [3, 5] (transB)")
    }

    func testMissingFileAndNotAModel() throws {
        XCTAssertThrowsError(try ModelLoader.load(contentsOf: URL(fileURLWithPath: "/nonexistent/model.onnx"))) { error in
            XCTAssertEqual("\(error)", "/nonexistent/model.onnx: no such file")
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-model-\(UUID().uuidString).onnx")
        try Data("hello".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try ModelLoader.load(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(url.path): is not a valid ONNX protobuf"), "\(error)")
        }
    }

    func testInputWithUnknownItemShapeIsRefused() {
        var g = TestGraph()
        let output = g.head("x", features: 4)
        var onnx = g.onnx(input: [4], output: output)
        onnx.graph.inputs[0].dims = [.symbol("N"), .symbol("features")]
        XCTAssertThrowsError(try ModelLoader.build(onnx)) { error in
            XCTAssertTrue("\(error)".contains("input 'x'"), "\(error)")
        }
    }
}
