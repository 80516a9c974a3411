import Foundation
@testable import Engine

/// The golden cases shipped with the tests (Tests/Fixtures/golden).
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    static let networkCases = ["mlp_digits", "cnn_digits", "dense_rgb"]

    static func url(_ name: String, _ file: String) -> URL {
        directory.appendingPathComponent(name).appendingPathComponent(file)
    }

    static func model(_ name: String) throws -> Model {
        try ModelLoader.load(contentsOf: url(name, "model.onnx"))
    }

    static func array(_ name: String, _ file: String) throws -> NDArray {
        try NPY.read(url(name, file))
    }

    static func doubles(_ name: String, _ file: String) throws -> [Double] {
        try array(name, file).tensor(Double.self).scalars
    }

    static func inputs<S: EngineScalar>(_ name: String, _: S.Type = S.self) throws -> Tensor<S> {
        try array(name, "inputs.npy").tensor(S.self)
    }

    static func json(_ name: String, _ file: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url(name, file))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}
