import Protocol

/// The samples of one shard with what every influence kind needs of them: logits, the label
/// FI is taken for, and (on request) the K × D input Jacobians, per sample in Double.
struct ShardSamples {
    /// Dataset indices.
    var indices: [Int]
    var trueLabels: [Int?]
    var logits: [[Double]]
    var geometries: [OutputGeometry]
    var labels: [Int]
    /// K × D per sample, row-major (empty when not asked for).
    var jacobians: [[Double]]
    var count: Int { indices.count }

    /// Evaluates the samples at `indices` of `set` in the job's precision.
    static func evaluate(_ indices: [Int], set: SampleSet, inputs: AnalysisInputs, labelMode: LabelMode,
                         precision: NetworkPrecision, jacobians wanted: Bool, context: ExecutionContext) -> ShardSamples {
        switch precision {
        case .float: return evaluate(indices, set: set, inputs: inputs, labelMode: labelMode, jacobians: wanted, context: context, as: Float.self)
        case .double: return evaluate(indices, set: set, inputs: inputs, labelMode: labelMode, jacobians: wanted, context: context, as: Double.self)
        }
    }

    private static func evaluate<S: EngineScalar>(_ indices: [Int], set: SampleSet, inputs: AnalysisInputs, labelMode: LabelMode,
                                                  jacobians wanted: Bool, context: ExecutionContext, as _: S.Type) -> ShardSamples {
        let samples = inputs.samples(set)
        let model = inputs.model
        let network = inputs.network(S.self)
        let x: Tensor<S> = samples.images.items(indices, itemShape: model.inputShape)
        let k = model.classes, d = model.inputCount
        // One sample per pass, so that no number depends on how the samples were sharded.
        let z = network.logits(x, threads: context.threads, batchSize: 1)
        let logits = (0..<indices.count).map { n in z.scalars[(n * k)..<((n + 1) * k)].map { Double($0) } }
        let geometries = logits.map { OutputGeometry(logits: $0) }
        let trueLabels = indices.map { samples.labels?[$0] }
        let labels = zip(geometries, trueLabels).map { geometry, label in labelMode == .true ? label! : geometry.predicted }
        var jacobians: [[Double]] = []
        if wanted {
            let j = network.inputJacobians(x, threads: context.threads, independentSamples: true, progress: context.progress)
            jacobians = (0..<indices.count).map { n in j.scalars[(n * k * d)..<((n + 1) * k * d)].map { Double($0) } }
        }
        return ShardSamples(indices: indices, trueLabels: trueLabels, logits: logits, geometries: geometries, labels: labels, jacobians: jacobians)
    }

    /// Runs `body` for every sample on `threads` threads; results in sample order.
    func map<T>(threads: Int, _ body: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            parallelChunks(count: count, threads: threads) { range in
                for n in range { (base + n).pointee = body(n) }
            }
        }
        return results.map { $0! }
    }
}
