import ArgumentParser
import Engine
import Foundation

/// The options every command that evaluates a model on samples shares.
struct EvaluationOptions: ParsableArguments {
    @Option(help: "The ONNX model.") var model: String
    @Option(help: "Input samples (.npy, .npz, IDX, CIFAR binary).") var data: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Arithmetic of the network: float or double.") var precision: Precision = .float
    @Option(help: "Worker threads.") var threads: Int = availableCores

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }
}

/// Loading the model and data a command names, with errors that say which file and what is wrong.
struct ModelAndData {
    var model: Model
    var images: NDArray
    var labels: [Int]?

    static func load(model path: String, data: String, labels: String?) throws -> ModelAndData {
        let model = try ModelLoader.load(contentsOf: URL(fileURLWithPath: path))
        let images = try DatasetFile.loadImages(URL(fileURLWithPath: data))
        try DatasetFile.validateImages(images, inputShape: model.inputShape, file: data)
        var labelValues: [Int]?
        if let labels {
            let values = try DatasetFile.loadLabels(URL(fileURLWithPath: labels))
            guard values.count == images.shape[0] else {
                throw CommandFailure("\(labels): \(values.count) labels for \(images.shape[0]) samples in \(data)")
            }
            try DatasetFile.validateLabels(values, classes: model.classes, file: labels)
            labelValues = values
        }
        return ModelAndData(model: model, images: images, labels: labelValues)
    }

    /// The images as a batch tensor `[N] + inputShape`.
    func batch<S: EngineScalar>(_: S.Type = S.self) -> Tensor<S> {
        images.tensor(S.self).reshaped([images.shape[0]] + model.inputShape)
    }
}

/// A failure while running a command whose arguments were valid: reported as `Error: …`
/// without the usage text that argument errors get.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Creates an output directory (and parents), failing clearly when a file is in the way.
func makeOutputDirectory(_ path: String) throws -> URL {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
        throw CommandFailure("--out \(path) exists and is not a directory")
    }
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
