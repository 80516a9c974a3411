import ArgumentParser
import Engine
import Foundation
import Protocol

struct SweepBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Draws per second of a weight-perturbation sweep against the plain forward throughput.",
        discussion: """
            The quickstart's CNN (1×28×28, 10 classes) on the Fashion-MNIST test images (--data, by \
            default the Debian data set; random images of that shape when it is missing). Measures, in \
            the same run and on the same threads: the plain forward pass over every image, and \
            `perturbation-sweep` draws (uniform noise on every layer, no certification) through the \
            analysis itself, alternating, and compares the medians. Prints one JSON object: images, draws_per_second, \
            forward_images_per_second, perturbed_images_per_second and their ratio (target ≥ 0.8: a \
            perturbed evaluation costs one forward pass plus the perturbation).
            """)

    @Option(help: "Test images (IDX, .npy).") var data: String = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
    @Option(help: "Draws to time.") var draws: Int = 6
    @Option(help: "Threads.") var threads: Int = availableCores

    func validate() throws {
        guard draws >= 1 else { throw ValidationError("--draws must be at least 1, got \(draws)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-sweep-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let modelURL = work.appendingPathComponent("cnn.onnx")
        try ModelWriter.write(ModelZoo.build(.init(architecture: .cnn, inputShape: [1, 28, 28], classes: 10, inputScale: 1.0 / 255, seed: 3)), to: modelURL)
        let dataPath = try imagesPath(in: work)
        let job = try LocalJob(PerturbationSweepAnalysis.self, model: modelURL.path, data: dataPath,
                               options: PerturbationSweepOptions(epsilons: [1e-3], draws: draws, labelMode: .predicted, certify: false))
        let context = ExecutionContext(threads: threads)
        // The unperturbed reference (one forward pass over every image) is made by the first shard.
        let warm = PerturbationSweepAnalysis.plan(job.job, shardSize: 1)[0]
        _ = try PerturbationSweepAnalysis.execute(job.job, shard: warm, inputs: job.inputs, context: context)
        let network = Network<Float>(job.inputs.model)
        let images: Tensor<Float> = job.inputs.primary.images.tensor(Float.self).reshaped([job.inputs.primary.count] + [1, 28, 28])
        // Alternate the two, so that both see the same machine; compare medians.
        let clock = ContinuousClock()
        var forwardTimes: [Double] = [], drawTimes: [Double] = []
        for draw in 0..<draws {
            forwardTimes.append(clock.measure { _ = network.logits(images, threads: threads) }.seconds)
            let shard = ShardSpec(index: draw, set: .primary, lower: draw, upper: draw + 1, epsilon: 0, selection: 0)
            drawTimes.append(try clock.measure { _ = try PerturbationSweepAnalysis.execute(job.job, shard: shard, inputs: job.inputs, context: context) }.seconds)
        }
        let median = { (v: [Double]) in v.sorted()[v.count / 2] }
        let n = Double(job.inputs.primary.count)
        let forwardRate = n / median(forwardTimes)
        let perturbedRate = n / median(drawTimes)
        let result: [String: Any] = [
            "images": job.inputs.primary.count, "draws": draws, "threads": threads, "parameters": job.inputs.model.parameterCount,
            "draws_per_second": 1 / median(drawTimes), "forward_images_per_second": forwardRate,
            "perturbed_images_per_second": perturbedRate, "ratio_to_forward": perturbedRate / forwardRate,
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }

    /// The test images, or random ones of the same shape written to `work`.
    private func imagesPath(in work: URL) throws -> String {
        if FileManager.default.fileExists(atPath: data) { return data }
        note("\(data) not found; timing 10,000 random 28×28 images instead")
        var generator = SeededGenerator(seed: 5)
        let values = (0..<(10_000 * 784)).map { _ in UInt8(generator.next() & 0xff) }
        let url = work.appendingPathComponent("images.npy")
        try NPY.write(NDArray(shape: [10_000, 1, 28, 28], storage: .uint8(values)), to: url)
        return url.path
    }
}
