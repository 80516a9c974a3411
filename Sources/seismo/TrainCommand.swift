import ArgumentParser
import Engine
import Foundation

enum OptimizerName: String, ExpressibleByArgument, CaseIterable { case adam, sgd }
extension Loss: ExpressibleByArgument {}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model with mini-batch SGD (momentum) or Adam and save it as ONNX.",
        discussion: """
            Seeded and deterministic for a given thread count. BatchNorm layers train with batch \
            statistics and update their running statistics. The saved model keeps the input graph \
            and replaces the parameter and statistics values.
            """)

    @Option(help: "The ONNX model to start from (e.g. from `seismo model create`).") var model: String
    @Option(help: "Training samples (.npy, .npz, IDX, CIFAR binary).") var data: String
    @Option(help: "Training labels.") var labels: String
    @Option(help: "Held-out samples, evaluated after every epoch.") var testData: String?
    @Option(help: "Held-out labels.") var testLabels: String?
    @Option(help: "Passes over the training data.") var epochs: Int = 1
    @Option(help: "Samples per mini-batch.") var batchSize: Int = 64
    @Option(help: "adam or sgd.") var optimizer: OptimizerName = .adam
    @Option(help: "Learning rate.") var lr: Double = 1e-3
    @Option(help: "Momentum for sgd.") var momentum: Double = 0.9
    @Option(help: "L2 weight decay added to the gradient.") var weightDecay: Double = 0
    @Option(help: "cross-entropy or mse.") var loss: Loss = .crossEntropy
    @Option(help: "Seed of the shuffling.") var seed: UInt64 = 0
    @Option(help: "Worker threads.") var threads: Int = availableCores
    @Option(help: "Where to write the trained ONNX model.") var out: String

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a positive number, got \(lr)") }
        guard (0..<1).contains(momentum) else { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw ValidationError("--weight-decay must be ≥ 0, got \(weightDecay)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard (testData == nil) == (testLabels == nil) else { throw ValidationError("--test-data and --test-labels go together") }
    }

    func run() throws {
        let train = try ModelAndData.load(model: model, data: data, labels: labels)
        let test = try testData.map { try ModelAndData.load(model: model, data: $0, labels: testLabels) }
        var configuration = TrainingConfiguration()
        configuration.epochs = epochs
        configuration.batchSize = batchSize
        configuration.optimizer = optimizer == .adam ? .adamDefaults : .sgd(momentum: momentum)
        configuration.learningRate = lr
        configuration.weightDecay = weightDecay
        configuration.loss = loss
        configuration.seed = seed
        configuration.threads = threads
        var trainer = Trainer<Float>(Network(train.model), configuration: configuration)
        let images: Tensor<Float> = train.batch()
        let testImages: Tensor<Float>? = test?.batch()
        note("training \(train.model.parameterCount) parameters on \(images.shape[0]) samples, \(epochs) epochs")
        for epoch in 1...epochs {
            let bar = ProgressBar(total: images.shape[0], label: "epoch \(epoch)/\(epochs)")
            var shown = 0
            let report = trainer.trainEpoch(epoch, images: images, labels: train.labels!) { done, loss in
                bar.advance(by: done - shown, note: String(format: "loss %.4f", loss))
                shown = done
            }
            bar.finish()
            guard report.loss.isFinite else {
                throw CommandFailure("training diverged in epoch \(epoch) (loss \(report.loss)); nothing was written. "
                    + "Try a smaller --lr, or inputs scaled to about 0–1 (`seismo model create --input-scale`).")
            }
            var line = String(format: "epoch %d  loss %.4f  train accuracy %.4f  %.1fs", epoch, report.loss, report.accuracy, report.seconds)
            if let test, let testImages {
                let predicted = trainer.network.predictions(testImages, threads: threads)
                let correct = zip(predicted, test.labels!).filter { $0 == $1 }.count
                line += String(format: "  test accuracy %.4f", Double(correct) / Double(predicted.count))
            }
            print(line)
        }
        try ModelWriter.write(trainer.network.updatedModel, to: URL(fileURLWithPath: out))
        note("wrote \(out)")
    }
}
