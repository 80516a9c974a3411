/// The mean cross-entropy of a network over a training set, in Double, as a `TrainingObjective`:
/// L(w) = (1/n) Σ_i ℓ(x_i, y_i; w), with the points P (indices into the set) displaceable.
///
/// The set is cut into fixed chunks whose gradients are summed in chunk order, so a result does
/// not depend on the thread count. Each chunk keeps the kink branches of the base point (w̄, x̄)
/// and every gradient below runs on them.
public final class NetworkObjective: TrainingObjective, @unchecked Sendable {
    public let network: Network<Double>
    public let images: Tensor<Double>
    public let labels: [Int]
    public let points: [Int]
    public let threads: Int
    public let base: [Double]
    private let chunks: [Range<Int>]
    private let chunkBranches: [KinkDecisions<Double>]
    private let pointImages: Tensor<Double>
    private let pointBranches: KinkDecisions<Double>

    public static let chunkSize = 32

    public init(network: Network<Double>, images: Tensor<Double>, labels: [Int], points: [Int], threads: Int = availableCores) {
        self.network = network
        self.images = images
        self.labels = labels
        self.points = points
        self.threads = threads
        base = Self.flatten(network.parameters)
        let n = images.shape[0]
        chunks = stride(from: 0, to: n, by: Self.chunkSize).map { $0..<min($0 + Self.chunkSize, n) }
        var branches = [KinkDecisions<Double>?](repeating: nil, count: chunks.count)
        let chunks = self.chunks
        branches.withUnsafeMutableBufferPointer { slots in
            parallelChunks(count: chunks.count, threads: threads) { range in
                for c in range { slots[c] = KinkDecisions(of: network.forward(images.items(chunks[c])), network: network) }
            }
        }
        chunkBranches = branches.map { $0! }
        pointImages = images.gathered(points)
        pointBranches = KinkDecisions(of: network.forward(pointImages), network: network)
    }

    public var parameterCount: Int { base.count }
    public var displacementCount: Int { pointImages.count }
    public var sampleCount: Int { images.shape[0] }

    public func gradient(at w: [Double]) -> [Double] {
        let net = network(at: w)
        let n = sampleCount
        var parts = [[Double]](repeating: [], count: chunks.count)
        parts.withUnsafeMutableBufferPointer { slots in
            parallelChunks(count: chunks.count, threads: threads) { range in
                for c in range {
                    let pass = net.forward(images.items(chunks[c]), frozen: chunkBranches[c])
                    let (_, seed) = Loss.crossEntropy.evaluate(pass.logits, labels: labels[chunks[c]], batchSize: n)
                    slots[c] = Self.flatten(net.backward(pass, seed: seed, input: false, parameters: .sum(allParameters)).parameters, like: net)
                }
            }
        }
        var total = parts[0]
        for part in parts.dropFirst() { for i in total.indices { total[i] += part[i] } }
        return total
    }

    public func pointsGradient(at w: [Double], displacement d: [Double]) -> [Double] {
        let net = network(at: w)
        let pass = net.forward(displaced(d), frozen: pointBranches)
        let (_, seed) = Loss.crossEntropy.evaluate(pass.logits, labels: points.map { labels[$0] }[...], batchSize: 1)
        return Self.flatten(net.backward(pass, seed: seed, input: false, parameters: .sum(allParameters)).parameters, like: net)
    }

    public func pointsInputGradient(at w: [Double]) -> [Double] {
        let net = network(at: w)
        let pass = net.forward(pointImages, frozen: pointBranches)
        let (_, seed) = Loss.crossEntropy.evaluate(pass.logits, labels: points.map { labels[$0] }[...], batchSize: 1)
        return net.backward(pass, seed: seed, input: true).input!.scalars
    }

    /// The real losses (no frozen branches) at w with the perturbed points displaced by d, and
    /// on the clean set — one pass over the set serves both.
    public func losses(at w: [Double], displacement d: [Double]) -> PerturbedLosses {
        let net = network(at: w)
        let pointLosses = Self.losses(net.forward(displaced(d)).logits, labels: points.map { labels[$0] })
        var sums = [Double](repeating: 0, count: chunks.count)
        sums.withUnsafeMutableBufferPointer { slots in
            parallelChunks(count: chunks.count, threads: threads) { range in
                for c in range {
                    slots[c] = Self.losses(net.forward(images.items(chunks[c])).logits, labels: Array(labels[chunks[c]])).reduce(0, +)
                }
            }
        }
        // The set's total with each perturbed point's clean loss replaced by its displaced loss.
        let clean = Self.losses(net.forward(pointImages).logits, labels: points.map { labels[$0] })
        let cleanTotal = sums.reduce(0, +)
        let total = cleanTotal - clean.reduce(0, +) + pointLosses.reduce(0, +)
        return PerturbedLosses(pointLoss: pointLosses.reduce(0, +) / Double(points.count), trainingLoss: total / Double(sampleCount),
                               cleanTrainingLoss: cleanTotal / Double(sampleCount))
    }

    /// Cross-entropy per sample, with probabilities formed in Double.
    static func losses(_ logits: Tensor<Double>, labels: [Int]) -> [Double] {
        let k = logits.shape[1]
        return labels.enumerated().map { i, y in
            Loss.crossEntropy(Probabilities.softmax(logits.scalars[(i * k)..<((i + 1) * k)]), label: y).loss
        }
    }

    private var allParameters: Set<Int> { Set(network.parameters.indices) }

    private func displaced(_ d: [Double]) -> Tensor<Double> {
        precondition(d.isEmpty || d.count == pointImages.count)
        var x = pointImages
        for i in d.indices { x.scalars[i] += d[i] }
        return x
    }

    /// The network with the flat parameter vector w.
    public func network(at w: [Double]) -> Network<Double> {
        var net = network
        net.parameters = Self.unflatten(w, like: network.parameters)
        return net
    }

    public static func flatten(_ tensors: [Tensor<Double>]) -> [Double] {
        tensors.flatMap(\.scalars)
    }

    static func flatten(_ gradients: [Tensor<Double>?], like net: Network<Double>) -> [Double] {
        zip(gradients, net.parameters).flatMap { g, p in g?.scalars ?? [Double](repeating: 0, count: p.count) }
    }

    public static func unflatten(_ w: [Double], like parameters: [Tensor<Double>]) -> [Tensor<Double>] {
        var offset = 0
        return parameters.map { p in
            defer { offset += p.count }
            return Tensor(shape: p.shape, scalars: Array(w[offset..<(offset + p.count)]))
        }
    }
}

extension Tensor {
    /// Items `indices` of the leading axis, in that order.
    func gathered(_ indices: [Int]) -> Tensor {
        let n = itemCount
        var out = [Scalar]()
        out.reserveCapacity(indices.count * n)
        for i in indices { out += scalars[(i * n)..<((i + 1) * n)] }
        return Tensor(shape: [indices.count] + shape.dropFirst(), scalars: out)
    }
}
