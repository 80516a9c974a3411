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
        let network = Network<S>(input.model)
        let x: Tensor<S> = input.batch()
        let n = x.shape[0], k = input.model.classes
        var result = [Double](repeating: 0, count: n * k)
        let bar = ProgressBar(total: n, label: "predict")
        let batch = 256
        result.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: max(1, options.threads)) { t in
                var b = t
                while b * batch < n {
                    let lo = b * batch, hi = min(n, lo + batch)
                    let z = network.logits(x.items(lo..<hi))
                    for i in 0..<z.count { out[lo * k + i] = Double(z.scalars[i]) }
                    bar.advance(by: hi - lo)
                    b += max(1, options.threads)
                }
            }
        }
        bar.finish()
        return result
    }
}
