import ArgumentParser
import Engine
import Foundation

enum Precision: String, ExpressibleByArgument, CaseIterable {
    case float, double
}

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Compute logits and probabilities; print the accuracy when labels are given.",
        discussion: """
            Writes DIR/logits.npy (float32, N×K) and DIR/probs.npy (float64, N×K; softmax of the \
            logits formed in double precision).
            """)

    @OptionGroup var options: EvaluationOptions
    @Option(help: "Integer labels, one per sample.") var labels: String?

    func run() throws {
        let input = try ModelAndData.load(model: options.model, data: options.data, labels: labels)
        let dir = try makeOutputDirectory(options.out)
        let logits: [Double]
        switch options.precision {
        case .float: logits = try computeLogits(input, Float.self)
        case .double: logits = try computeLogits(input, Double.self)
        }
        let n = input.images.shape[0], k = input.model.classes
        let probs = (0..<n).flatMap { Probabilities.softmax(logits[($0 * k)..<(($0 + 1) * k)]) }
        try NPY.write(NDArray(shape: [n, k], storage: .float32(logits.map(Float.init))), to: dir.appendingPathComponent("logits.npy"))
        try NPY.write(NDArray(shape: [n, k], storage: .float64(probs)), to: dir.appendingPathComponent("probs.npy"))
        note("wrote \(dir.path)/logits.npy and probs.npy (\(n) samples, \(k) classes)")
        if let labels = input.labels {
            let correct = (0..<n).filter { Probabilities.argmax(logits[($0 * k)..<(($0 + 1) * k)]) == labels[$0] }.count
            print(String(format: "accuracy %.4f (%d of %d)", Double(correct) / Double(n), correct, n))
        }
    }

    private func computeLogits<S: EngineScalar>(_ input: ModelAndData, _: S.Type) throws -> [Double] {
        let bar = ProgressBar(total: input.images.shape[0], label: "predict")
        let z = Network<S>(input.model).logits(input.batch(), threads: options.threads) { bar.advance(by: $0) }
        bar.finish()
        return z.scalars.map { Double($0) }
    }
}
