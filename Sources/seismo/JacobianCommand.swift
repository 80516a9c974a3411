import ArgumentParser
import Engine
import Foundation

struct JacobianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jacobian",
        abstract: "Compute the Jacobian of the K logits with respect to the input, per sample.",
        discussion: """
            Writes DIR/jacobian.npy: float32, N×K×D with D = C·H·W in NCHW order. Each sample's K \
            cotangents travel backward as one batch; samples run in parallel.
            """)

    @OptionGroup var options: EvaluationOptions

    func run() throws {
        let input = try ModelAndData.load(model: options.model, data: options.data, labels: nil)
        let dir = try makeOutputDirectory(options.out)
        let n = input.images.shape[0]
        let bar = ProgressBar(total: n, label: "jacobian")
        let jacobian: [Float]
        switch options.precision {
        case .float:
            jacobian = Network<Float>(input.model).inputJacobians(input.batch(), threads: options.threads) { bar.advance(by: $0) }.scalars
        case .double:
            jacobian = Network<Double>(input.model).inputJacobians(input.batch(), threads: options.threads) { bar.advance(by: $0) }.scalars.map(Float.init)
        }
        bar.finish()
        let shape = [n, input.model.classes, input.model.inputCount]
        try NPY.write(NDArray(shape: shape, storage: .float32(jacobian)), to: dir.appendingPathComponent("jacobian.npy"))
        note("wrote \(dir.path)/jacobian.npy \(shape)")
    }
}
