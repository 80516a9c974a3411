import Foundation

/// The golden ONNX files shipped with the tests, exported by PyTorch's legacy (TorchScript)
/// exporter at opset 17 and by the dynamo exporter at opset 20.
enum GoldenFiles {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    static let cases = ["mlp_digits", "cnn_digits", "dense_rgb"]

    static func model(_ name: String) -> URL {
        directory.appendingPathComponent(name).appendingPathComponent("model.onnx")
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
