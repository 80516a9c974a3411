import ArgumentParser
import Engine

@main
struct Seismo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seismo",
        abstract: "Measure how trained neural networks respond to perturbations.",
        discussion: """
            Seismo loads ONNX classifiers (as PyTorch and other tools export them), \
            evaluates them in Float or Double with its own batched reverse mode, and \
            computes exact derivatives of their logits: input Jacobians of every \
            logit, per-parameter gradients, and training with SGD or Adam.

            Data files may be NumPy .npy/.npz, MNIST/Fashion-MNIST IDX (plain or \
            .gz) or CIFAR-10/100 binary batches. Examples:

              seismo model create --arch cnn --input 1x28x28 --classes 10 --out init.onnx
              seismo train --model init.onnx --data train-images-idx3-ubyte.gz \\
                  --labels train-labels-idx1-ubyte.gz --epochs 2 --out trained.onnx
              seismo inspect trained.onnx
              seismo predict --model trained.onnx --data t10k-images-idx3-ubyte.gz \\
                  --labels t10k-labels-idx1-ubyte.gz --out predictions/
              seismo jacobian --model trained.onnx --data x.npy --out jacobians/
              seismo bench jacobian
            """,
        version: SeismoVersion.string,
        subcommands: [
            InspectCommand.self, PredictCommand.self, JacobianCommand.self, TrainCommand.self,
            ModelCommand.self, AnalyzeCommand.self, BenchCommand.self,
            CoordinatorCommand.self, WorkerCommand.self, SubmitCommand.self, StatusCommand.self, WatchCommand.self,
            ResultsCommand.self, ExportCommand.self, CancelCommand.self, WorkersCommand.self, TokenCommand.self,
        ])
}

enum SeismoVersion {
    static let string = "0.1.0"
}
