import ArgumentParser
import Engine
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print JSON with ratios against baselines measured in the same run.",
        subcommands: [JacobianBench.self, MapsBench.self, ClusterBench.self, SweepBench.self, SolutionSetBench.self])
}

struct JacobianBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jacobian",
        abstract: "Time forward + input Jacobian (K = 10) of a CIFAR-style ResNet-18 per image.",
        discussion: """
            Prints one JSON object: seconds_per_image, effective_gflops (forward FLOPs × 11 / time: \
            one forward plus K = 10 backward passes), sgemm_gflops (single-thread sgemm measured in \
            the same run, the ceiling of the im2col + GEMM route), their ratio, and peak_rss_mb.
            """)

    @Option(help: "Architecture to build (resnet18-cifar, resnet, cnn, densenet, mlp).") var arch: Architecture = .resnet18Cifar
    @Option(help: "Images to time (after a warm-up pass).") var images: Int = 8
    @Option(help: "Threads; each thread takes whole images.") var threads: Int = 1
    @Option(help: "Input shape CxHxW.") var input: String = "3x32x32"

    private var shape: [Int] { input.lowercased().split(separator: "x").compactMap { Int($0) } }

    func validate() throws {
        guard shape.count == 3, shape.allSatisfy({ $0 > 0 }) else { throw ValidationError("--input must look like CxHxW, got '\(input)'") }
        guard images >= 1 else { throw ValidationError("--images must be at least 1, got \(images)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        let model = try ModelLoader.build(ModelZoo.build(.init(architecture: arch, inputShape: shape, classes: 10, seed: 1)))
        let network = Network<Float>(model)
        var generator = SeededGenerator(seed: 7)
        let x = Tensor<Float>(shape: [images] + shape, scalars: (0..<(images * shape.reduce(1, *))).map { _ in Float(generator.unit()) })
        // Warm-up: fills the filter cache and grows the heap to its working size, as any
        // long run would have done after its first batch.
        _ = network.inputJacobians(x.items(0..<min(images, 8)), threads: threads)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = network.inputJacobians(x, threads: threads) }
        let seconds = elapsed.seconds / Double(images) * Double(threads)
        let flops = 2.0 * Double(model.forwardMultiplyAccumulates)
        let effective = flops * 11 / seconds / 1e9
        let sgemm = GemmBenchmark.singleThreadGflops()
        let result: [String: Any] = [
            "arch": arch.rawValue, "images": images, "threads": threads,
            "forward_gmac": Double(model.forwardMultiplyAccumulates) / 1e9,
            "seconds_per_image": seconds, "seconds_per_image_wall": elapsed.seconds / Double(images),
            "effective_gflops": effective, "sgemm_gflops": sgemm, "ratio_to_sgemm": effective / sgemm,
            "peak_rss_mb": PeakMemory.megabytes,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}


/// Peak resident memory of this process (VmHWM).
enum PeakMemory {
    static var megabytes: Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
