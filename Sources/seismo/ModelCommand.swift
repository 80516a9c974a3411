import ArgumentParser
import Engine
import Foundation

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Build standard small architectures as ONNX models.",
        subcommands: [CreateModelCommand.self])
}

extension Architecture: ExpressibleByArgument {}

struct CreateModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an initialised model: mlp, cnn, resnet (residual Adds + BatchNorm), densenet (Concat).",
        discussion: """
            Weights are drawn from a seeded He-uniform initialisation. --input-scale multiplies the \
            input inside the graph (e.g. 0.00392156862745098 for 0–255 pixels), so the data files \
            stay as they are and every analysis sees the same input units.
            """)

    @Option(help: "mlp, cnn, resnet, densenet or resnet18-cifar.") var arch: Architecture
    @Option(help: "Input shape CxHxW, e.g. 1x28x28.") var input: String
    @Option(help: "Number of classes.") var classes: Int
    @Option(help: "Factor applied to the input inside the graph.") var inputScale: Double = 1
    @Option(help: "Seed of the initialisation.") var seed: UInt64 = 0
    @Option(help: "Where to write the ONNX model.") var out: String

    private var dims: [Int] { input.lowercased().split(separator: "x").compactMap { Int($0) } }

    func validate() throws {
        guard dims.count == 3 || dims.count == 1, dims.count == input.split(separator: "x").count, dims.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--input must look like CxHxW (e.g. 1x28x28) or D for vectors, got '\(input)'")
        }
        guard classes >= 2 else { throw ValidationError("--classes must be at least 2, got \(classes)") }
        guard inputScale.isFinite, inputScale != 0 else { throw ValidationError("--input-scale must be a finite non-zero number, got \(inputScale)") }
    }

    func run() throws {
        let spec = ModelZoo.Specification(architecture: arch, inputShape: dims, classes: classes, inputScale: inputScale, seed: seed)
        let onnx = try ModelZoo.build(spec)
        try ModelWriter.write(onnx, to: URL(fileURLWithPath: out))
        let model = try ModelLoader.build(onnx)
        note("wrote \(out): \(arch.rawValue), \(model.parameterCount) parameters, ops \(model.opTypes.joined(separator: ", "))")
    }
}
