import Foundation
import XCTest
@testable import Engine

/// `seismo model create`'s architectures: they load, compute, and survive a write and a read.
final class ModelZooTests: XCTestCase {
    func testEveryArchitectureLoadsAndRoundTripsThroughONNX() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-zoo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let expectedOps: [Architecture: Set<String>] = [
            .mlp: ["Gemm", "Relu"], .cnn: ["Conv", "Relu", "MaxPool", "Gemm"],
            .resnet: ["Conv", "BatchNormalization", "Add"], .densenet: ["Conv", "Concat"],
        ]
        for architecture in [Architecture.mlp, .cnn, .resnet, .densenet] {
            let spec = ModelZoo.Specification(architecture: architecture, inputShape: [1, 12, 12], classes: 5, inputScale: 0.5, seed: 2)
            let model = try ModelLoader.build(ModelZoo.build(spec))
            XCTAssertEqual(model.inputShape, [1, 12, 12], "\(architecture)")
            XCTAssertEqual(model.classes, 5, "\(architecture)")
            XCTAssertTrue(expectedOps[architecture]!.isSubset(of: Set(model.opTypes)), "\(architecture): \(model.opTypes)")

            let url = directory.appendingPathComponent("\(architecture).onnx")
            try ModelWriter.write(model, to: url)
            let reloaded = try ModelLoader.load(contentsOf: url)
            let x = randomTensor([2, 1, 12, 12], seed: 1)
            XCTAssertEqual(Network<Double>(reloaded).logits(x), Network<Double>(model).logits(x), "\(architecture)")
        }
    }

    func testTrainedParametersAreWhatIsWritten() throws {
        let model = try ModelLoader.build(ModelZoo.build(.init(architecture: .resnet, inputShape: [1, 8, 8], classes: 3, seed: 4)))
        var configuration = TrainingConfiguration()
        configuration.batchSize = 4
        var trainer = Trainer(Network<Float>(model), configuration: configuration)
        _ = trainer.step(images: randomTensor([4, 1, 8, 8], seed: 2).converted(to: Float.self), labels: [0, 1, 2, 1])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-trained-\(UUID().uuidString).onnx")
        defer { try? FileManager.default.removeItem(at: url) }
        try ModelWriter.write(trainer.network.updatedModel, to: url)
        let reloaded = Network<Float>(try ModelLoader.load(contentsOf: url))
        XCTAssertEqual(reloaded.parameters, trainer.network.parameters)
        XCTAssertEqual(reloaded.constants, trainer.network.constants)  // running statistics included
        XCTAssertNotEqual(reloaded.parameters, Network<Float>(model).parameters)
    }

    func testCifarResNet18HasTheExpectedSize() throws {
        let model = try ModelLoader.build(ModelZoo.build(.init(architecture: .resnet18Cifar, inputShape: [3, 32, 32], classes: 10)))
        XCTAssertEqual(Double(model.forwardMultiplyAccumulates) / 1e9, 0.5554, accuracy: 0.001)
        XCTAssertEqual(model.parameterCount, 11_173_962)  // torchvision's resnet18 with a CIFAR stem and 10 classes
    }

    func testImageArchitectureRefusesAVectorInput() {
        XCTAssertThrowsError(try ModelZoo.build(.init(architecture: .cnn, inputShape: [20], classes: 3))) { error in
            XCTAssertEqual("\(error)", "--arch cnn: needs an image input C×H×W, got [20]")
        }
    }
}
