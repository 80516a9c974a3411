import ArgumentParser
import Engine
import Foundation
import Protocol

struct SolutionSetBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solution-set",
        abstract: "The graphical-derivative estimate against one epoch of fine-tuning, on the same perturbed data.",
        discussion: """
            A trained model (by default the quickstart's Fashion-MNIST CNN) and the first --train-count \
            training images; --perturb-count of them (seeded) move by δ along their loss gradients. Then, \
            on the same threads: the estimate w̄ + δv (v by damped LSQR on Hessian-vector products, \
            from v₀ = 0), and one epoch of SGD on the perturbed data from w̄. For w̄ and each: the wall \
            time, the mean loss on the perturbed points, the mean loss on the clean training set and \
            the distance from w̄. Whichever wins, the table says so.
            """)

    @Option(help: "The trained model.") var model: String = "runs/quickstart/trained.onnx"
    @Option(help: "Training images.") var data: String = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
    @Option(help: "Their labels.") var labels: String = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"
    @Option(help: "Training samples (the first N).") var trainCount: Int = 1_000
    @Option(help: "Perturbed points among them.") var perturbCount: Int = 100
    @Option(help: "δ, in the data's units.") var delta: Double = 10
    @Option(help: "LSQR damping μ.") var damping: Double = 0.01
    @Option(help: "LSQR relative tolerance.") var tolerance: Double = 1e-6
    @Option(help: "LSQR iteration cap.") var maxIterations: Int = 300
    @Option(help: "SGD learning rate of the fine-tuning epoch.") var learningRate: Double = 0.01
    @Option(help: "SGD mini-batch size.") var batchSize: Int = 32
    @Option(help: "Seed of the points and of the epoch's order.") var seed: UInt64 = 0
    @Option(help: "Threads.") var threads: Int = availableCores

    func run() throws {
        guard FileManager.default.fileExists(atPath: model) else {
            throw CommandFailure("\(model): no such model; run deploy/quickstart.sh first or give --model")
        }
        let options = SolutionSetOptions(perturbCount: perturbCount, trainCount: trainCount, deltas: [delta], starts: 1, damping: damping,
                                         tolerance: tolerance, maxIterations: maxIterations, retrainEpochs: 1,
                                         retrainLearningRate: learningRate, retrainBatchSize: batchSize, seed: seed)
        let job = try LocalJob(SolutionSetAnalysis.self, model: model, data: data, labels: labels, options: options)
        let bar = ProgressBar(total: maxIterations, label: "LSQR")
        let outcome = try SolutionSetComparison.run(job.job.options, inputs: job.inputs, threads: threads) { bar.advance(by: max(0, $0 - bar.completed)) }
        bar.finish()
        print(String(format: "%d training samples, %d perturbed by δ = %g, %d parameters; setup (branches, directions, b) %.1f s",
                     trainCount, perturbCount, delta, job.inputs.model.parameterCount, outcome.setupSeconds))
        print(String(format: "LSQR: %d iterations (%d Hessian-vector products), %@, ‖Hv + b‖/‖b‖ = %.3g, LSQR measure %.3g",
                     outcome.iterations, 2 * outcome.iterations + 1, outcome.converged ? "converged" : "stopped at the cap",
                     outcome.residual, outcome.normalEquationResidual))
        print("method                               seconds   loss (perturbed points)   loss (clean training set)   distance from w̄")
        for row in outcome.rows {
            print(row.method.padding(toLength: 36, withPad: " ", startingAt: 0)
                  + String(format: " %7.1f   %23.6g   %25.6g   %15.6g", row.seconds, row.pointLoss, row.cleanTrainingLoss, row.distance))
        }
    }
}
