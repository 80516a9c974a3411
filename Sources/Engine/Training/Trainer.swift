/// How `Trainer` runs.
public struct TrainingConfiguration: Sendable {
    public var epochs = 1
    public var batchSize = 64
    public var optimizer: OptimizerKind = .adamDefaults
    public var learningRate = 1e-3
    public var weightDecay = 0.0
    public var loss: Loss = .crossEntropy
    public var seed: UInt64 = 0
    public var threads = availableCores

    public init() {}
}

/// What one epoch achieved.
public struct EpochReport: Sendable, Codable {
    public var epoch: Int
    public var loss: Double
    public var accuracy: Double
    public var seconds: Double
}

/// Mini-batch training of a network, seeded and deterministic for a given thread count.
/// A mini-batch is split across threads (gradients summed in a fixed order); a network with
/// BatchNorm trains each batch in one piece, since its statistics span the whole batch.
public struct Trainer<S: EngineScalar> {
    public private(set) var network: Network<S>
    public let configuration: TrainingConfiguration
    private var optimizer: OptimizerState<S>
    private var generator: SeededGenerator

    public init(_ network: Network<S>, configuration: TrainingConfiguration) {
        self.network = network
        self.configuration = configuration
        optimizer = OptimizerState(kind: configuration.optimizer, learningRate: configuration.learningRate,
                                   weightDecay: configuration.weightDecay, shapes: network.parameters.map(\.count))
        generator = SeededGenerator(seed: configuration.seed)
    }

    /// One pass over the data in a seeded random order. `progress` gets (samples done, running loss).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public mutating func trainEpoch(_ epoch: Int, images: Tensor<S>, labels: [Int],
                                    progress: ((Int, Double) -> Void)? = nil) -> EpochReport {
        let clock = ContinuousClock.now
        let n = images.shape[0]
        var order = Array(0..<n)
        order.shuffle(using: &generator)
        var lossSum = 0.0, correct = 0, done = 0
        var start = 0
        while start < n {
            let batch = Array(order[start..<min(start + configuration.batchSize, n)])
            let (loss, hits) = step(images: gather(images, batch), labels: batch.map { labels[$0] })
            lossSum += loss
            correct += hits
            done += batch.count
            progress?(done, lossSum / Double(done))
            start += batch.count
        }
        return EpochReport(epoch: epoch, loss: lossSum / Double(n), accuracy: Double(correct) / Double(n),
                           seconds: (ContinuousClock.now - clock).seconds)
    }

    /// One optimiser step on a mini-batch; returns the summed loss and the number of correct predictions.
    mutating func step(images: Tensor<S>, labels: [Int]) -> (Double, Int) {
        let n = images.shape[0]
        let pieces = hasBatchNorm ? 1 : max(1, min(configuration.threads, n / 8))
        var results = [(loss: Double, hits: Int, grads: [Tensor<S>?], memos: ForwardPass<S>?)](repeating: (0, 0, [], nil), count: pieces)
        let all = Set(network.parameters.indices)
        let net = network, loss = configuration.loss
        results.withUnsafeMutableBufferPointer { slots in
            parallelChunks(count: pieces, threads: pieces) { range in
                for piece in range {
                    let lo = n * piece / pieces, hi = n * (piece + 1) / pieces
                    let pass = net.forward(images.items(lo..<hi), mode: .training)
                    let (sum, seed) = loss.evaluate(pass.logits, labels: labels[lo..<hi], batchSize: n)
                    let grads = net.backward(pass, seed: seed, input: false, parameters: .sum(all))
                    let hits = (lo..<hi).filter { Probabilities.argmax(pass.logits.scalars[(($0 - lo) * net.model.classes)..<(($0 - lo + 1) * net.model.classes)]) == labels[$0] }.count
                    slots[piece] = (sum, hits, grads.parameters, hasBatchNorm ? pass : nil)
                }
            }
        }
        var total = results[0].grads
        for r in results.dropFirst() {
            for p in total.indices { if let g = r.grads[p] { if total[p] == nil { total[p] = g } else { total[p]!.add(g) } } }
        }
        optimizer.apply(total, to: &network.parameters)
        if let pass = results[0].memos { updateRunningStatistics(pass) }
        return (results.reduce(0) { $0 + $1.loss }, results.reduce(0) { $0 + $1.hits })
    }

    private var hasBatchNorm: Bool {
        network.model.nodes.contains { if case .batchNormalization = $0.operation { true } else { false } }
    }

    /// running ← running · momentum + batch · (1 − momentum), for every BatchNorm.
    private mutating func updateRunningStatistics(_ pass: ForwardPass<S>) {
        for (k, node) in network.model.nodes.enumerated() {
            guard case .batchNormalization(let bn) = node.operation,
                  case .batchStatistics(_, _, let mean, let variance)? = pass.memos[k],
                  case .constant(let meanRef) = node.inputs[3], case .constant(let varRef) = node.inputs[4] else { continue }
            let m = S(bn.momentum)
            for c in 0..<bn.channels {
                network.constants[meanRef].scalars[c] = network.constants[meanRef].scalars[c] * m + mean[c] * (1 - m)
                network.constants[varRef].scalars[c] = network.constants[varRef].scalars[c] * m + variance[c] * (1 - m)
            }
        }
    }

    private func gather(_ images: Tensor<S>, _ rows: [Int]) -> Tensor<S> {
        let item = images.itemCount
        var out = [S]()
        out.reserveCapacity(rows.count * item)
        for r in rows { out += images.scalars[(r * item)..<((r + 1) * item)] }
        return Tensor(shape: [rows.count] + images.shape.dropFirst(), scalars: out)
    }
}
