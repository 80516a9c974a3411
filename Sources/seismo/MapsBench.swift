import ArgumentParser
import Engine
import Foundation

struct MapsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maps",
        abstract: "Time influence maps of a CIFAR-style ResNet-18: Jacobian part, window part, and the per-window SVD yardstick.",
        discussion: """
            Prints one JSON object: jacobian_seconds_per_image (forward + input Jacobian), \
            window_seconds_per_image (every window of every scale from the Jacobian: prefix sums and \
            K×K work), window_to_jacobian (target ≤ 0.10), brute_force_seconds_per_image (one SVD \
            of each window's K×m Jacobian, measured in the same run on --brute-force-images images), \
            speedup_vs_brute_force (target ≥ 50) and the largest deviation from the brute force \
            (relative to each map's maximum). Single thread. Every part is timed --repeats times and \
            the fastest run counts: on a shared machine, other work only ever adds time.
            """)

    @Option(help: "Images to time.") var images: Int = 4
    @Option(help: "Images for the brute-force yardstick.") var bruteForceImages: Int = 1
    @Option(help: "Timed runs of each part; the fastest counts.") var repeats: Int = 3
    @Option(help: "Scales (odd window sides).") var scales: String = "1,3,5,7"
    @Option(help: "Channel mode: separate, joint or mean.") var mode: InfluenceMaps.ChannelMode = .separate

    func validate() throws {
        guard images >= 1, bruteForceImages >= 1, bruteForceImages <= images else {
            throw ValidationError("--images must be ≥ 1 and --brute-force-images between 1 and --images")
        }
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1") }
        _ = try parseScales(scales, imageSide: 32)
    }

    func run() throws {
        let shape = [3, 32, 32]
        let model = try ModelLoader.build(ModelZoo.build(.init(architecture: .resnet18Cifar, inputShape: shape, classes: 10, seed: 1)))
        let network = Network<Float>(model)
        var generator = SeededGenerator(seed: 11)
        let x = Tensor<Float>(shape: [images] + shape, scalars: (0..<(images * 3 * 32 * 32)).map { _ in Float(generator.unit()) })
        _ = network.inputJacobians(x.items(0..<1), threads: 1, independentSamples: true)  // warm-up
        var jacobians = Tensor<Float>(zeros: [1])
        // One sample per pass, as the analysis runs it.
        let jacobianTime = fastest(of: repeats) { jacobians = network.inputJacobians(x, threads: 1, independentSamples: true) }
        let logits = network.logits(x, threads: 1)
        let maps = InfluenceMaps(inputShape: shape, scales: try parseScales(scales, imageSide: 32), mode: mode)
        let (k, d) = (model.classes, model.inputCount)
        let sample = { (n: Int) -> ([Double], OutputGeometry) in
            (jacobians.scalars[(n * k * d)..<((n + 1) * k * d)].map(Double.init), OutputGeometry(logits: logits.scalars[(n * k)..<((n + 1) * k)]))
        }
        let inputs = (0..<images).map(sample)
        var fast: [[Double]] = []
        let windowTime = fastest(of: repeats) {
            fast = inputs.map { maps.compute(jacobian: $0.0, geometry: $0.1, label: $0.1.predicted) }
        }
        var brute: [[Double]] = []
        let bruteTime = fastest(of: repeats) {
            brute = inputs[0..<bruteForceImages].map { maps.computeByWindowSVD(jacobian: $0.0, geometry: $0.1, label: $0.1.predicted) }
        }
        var deviation = 0.0
        for (exact, candidate) in zip(brute, fast) {
            let top = exact.max() ?? 1
            deviation = max(deviation, zip(exact, candidate).map { abs($0 - $1) / top }.max() ?? 0)
        }
        let perImage = { (t: Duration, count: Int) in t.seconds / Double(count) }
        let result: [String: Any] = [
            "images": images, "repeats": repeats, "scales": maps.scales, "mode": mode.rawValue, "windows_per_image": maps.count,
            "jacobian_seconds_per_image": perImage(jacobianTime, images),
            "window_seconds_per_image": perImage(windowTime, images),
            "window_to_jacobian": windowTime.seconds / jacobianTime.seconds,
            "brute_force_seconds_per_image": perImage(bruteTime, bruteForceImages),
            "speedup_vs_brute_force": perImage(bruteTime, bruteForceImages) / perImage(windowTime, images),
            "max_deviation_from_brute_force": deviation,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}

/// The shortest of `count` timed runs of `work`.
private func fastest(of count: Int, _ work: () -> Void) -> Duration {
    let clock = ContinuousClock()
    return (0..<count).map { _ in clock.measure(work) }.min()!
}
