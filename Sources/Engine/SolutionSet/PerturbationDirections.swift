import Protocol

/// The unit directions Δx_i of the perturbed points (MATH.md §3), joined point-major into one
/// vector of |P| · D.
enum PerturbationDirections {
    static func make(_ kind: PerturbationDirection, network: Network<Double>, images: Tensor<Double>, labels: [Int],
                     file: NDArray?, seed: UInt64) throws -> [Double] {
        let count = images.shape[0], d = images.itemCount
        var rows: [[Double]]
        switch kind {
        case .gradient, .sign:
            let pass = network.forward(images)
            let (_, seed) = Loss.crossEntropy.evaluate(pass.logits, labels: labels[...], batchSize: 1)
            let gradient = network.backward(pass, seed: seed).input!.scalars
            rows = (0..<count).map { Array(gradient[($0 * d)..<(($0 + 1) * d)]) }
            if kind == .sign { rows = rows.map { $0.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } } }
        case .random:
            rows = (0..<count).map { i in
                var generator = SeededGenerator(seed: SweepSeed.draw(seed, epsilon: -1, selection: -1, draw: i))
                return (0..<d).map { _ in generator.normal() }
            }
        case .file:
            guard let file else { throw AnalysisError("--direction file needs --directions FILE.npy") }
            let values = file.tensor(Double.self).scalars
            rows = (0..<count).map { Array(values[($0 * d)..<(($0 + 1) * d)]) }
        }
        return try rows.enumerated().flatMap { i, row in
            let size = VectorMath.norm(row)
            guard size > 0, size.isFinite else {
                throw AnalysisError("--direction \(kind.rawValue): the direction of perturbed point \(i) is \(size == 0 ? "zero" : "not finite"); choose another direction or other points")
            }
            return row.map { $0 / size }
        }
    }
}
