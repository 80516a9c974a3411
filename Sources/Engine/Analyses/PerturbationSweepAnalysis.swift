import Foundation
import Protocol

/// `perturbation-sweep`: random perturbations of the chosen layers' weights at each ε of a grid
/// — accuracy, flips against the unperturbed predictions, cross-entropy and margins per draw —
/// and certified margins by interval bound propagation (Tsai, Hsu, Yu & Chen, NeurIPS 2021;
/// MATH.md §2). A shard is a range of draws at one ε for one layer selection; every draw is
/// seeded from (seed, ε index, selection, draw), so nothing depends on sharding or on the host.
public enum PerturbationSweepAnalysis: Analysis {
    public typealias Options = PerturbationSweepOptions

    public static func validate(_ job: JobSpec<Options>, inputs: AnalysisInputs) throws {
        let o = job.options
        guard !o.epsilons.isEmpty else { throw AnalysisError("--epsilons: give at least one ε") }
        if let bad = o.epsilons.first(where: { !($0.isFinite && $0 >= 0) }) {
            throw AnalysisError("--epsilons: every ε must be a finite number ≥ 0, got \(bad)")
        }
        guard o.draws >= 1 else { throw AnalysisError("--draws must be at least 1, got \(o.draws)") }
        if o.labelMode == .true, inputs.primary.labels == nil {
            throw AnalysisError("--label-mode true needs --labels (or use --label-mode predicted)")
        }
        if o.target == .input {
            guard o.noise != .relative else { throw AnalysisError("--noise relative applies to weights; input noise is uniform or gaussian") }
            guard o.layers == nil, !o.eachLayer else { throw AnalysisError("--layers applies to weight sweeps, not to --target input") }
            if let range = o.validRange, !(range.lowerBound.isFinite && range.upperBound.isFinite && range.lowerBound < range.upperBound) {
                throw AnalysisError("--valid-range must be MIN:MAX with MIN < MAX, got \(range)")
            }
            if let scores = o.influence, scores.fi.count != inputs.primary.count || scores.jacobianNorm.count != inputs.primary.count {
                throw AnalysisError("--influence: \(scores.fi.count) FI values for \(inputs.primary.count) samples; run `seismo analyze influence` on the same --data")
            }
            return
        }
        _ = try selections(o, model: inputs.model)
    }

    /// ε sorted without repeats, and the layers of an each-layer sweep listed, so that ε and
    /// selection indices mean the same on every host.
    public static func prepare(_ job: inout JobSpec<Options>, inputs: AnalysisInputs) {
        job.options.epsilons = Array(Set(job.options.epsilons)).sorted()
        if job.options.eachLayer, job.options.layers == nil {
            job.options.layers = PerturbedParameters.perturbableLayers(of: inputs.model).map(\.name)
        }
        if job.options.target == .input, job.options.validRange == nil {
            job.options.validRange = inputs.primary.images.valueRange
        }
    }

    /// The layer selections: one of every chosen layer together, or each alone.
    static func selections(_ o: Options, model: Model) throws -> [(name: String, parameters: PerturbedParameters)] {
        if o.target == .input { return [("input", PerturbedParameters(indices: []))] }
        let chosen = o.layers
        if o.eachLayer {
            let names = chosen ?? PerturbedParameters.perturbableLayers(of: model).map(\.name)
            return try names.map { ($0, try PerturbedParameters.select(model, layers: [$0], weightsOnly: o.weightsOnly)) }
        }
        let parameters = try PerturbedParameters.select(model, layers: chosen, weightsOnly: o.weightsOnly)
        return [(chosen?.joined(separator: "+") ?? "all", parameters)]
    }

    public static func plan(_ job: JobSpec<Options>, shardSize: Int) -> [ShardSpec] {
        let selectionCount = job.options.eachLayer ? job.options.layers?.count ?? 0 : 1
        var shards: [ShardSpec] = []
        for selection in 0..<selectionCount {
            for epsilon in job.options.epsilons.indices {
                for lower in stride(from: 0, to: job.options.draws, by: shardSize) {
                    shards.append(ShardSpec(index: shards.count, set: .primary, lower: lower, upper: min(lower + shardSize, job.options.draws),
                                            epsilon: epsilon, selection: selection))
                }
            }
        }
        return shards
    }

    public static func execute(_ job: JobSpec<Options>, shard: ShardSpec, inputs: AnalysisInputs,
                               context: ExecutionContext) throws -> PerturbationShardResult {
        switch job.options.precision {
        case .float: return try execute(job, shard: shard, inputs: inputs, context: context, as: Float.self)
        case .double: return try execute(job, shard: shard, inputs: inputs, context: context, as: Double.self)
        }
    }

    private static func execute<S: EngineScalar>(_ job: JobSpec<Options>, shard: ShardSpec, inputs: AnalysisInputs,
                                                 context: ExecutionContext, as _: S.Type) throws -> PerturbationShardResult {
        let o = job.options
        let selection = try selections(o, model: inputs.model)[shard.selection ?? 0]
        let epsilon = o.epsilons[shard.epsilon ?? 0]
        let reference = SweepReference<S>.of(inputs, labelMode: o.labelMode, threads: context.threads)
        let network = inputs.network(S.self)
        var flipCounts = [Int](repeating: 0, count: reference.count)
        var draws: [DrawMetrics] = []
        for draw in shard.lower..<shard.upper {
            var generator = SeededGenerator(seed: SweepSeed.draw(o.seed, epsilon: shard.epsilon ?? 0, selection: shard.selection ?? 0, draw: draw))
            let logits: Tensor<S>
            if o.target == .input {
                let moved = InputPerturbation.apply(reference.images, noise: o.noise, norm: o.norm, epsilon: epsilon,
                                                    validRange: o.validRange!, generator: &generator)
                logits = network.logits(moved, threads: context.threads)
            } else {
                let perturbed = WeightPerturbation.apply(selection.parameters, noise: o.noise, epsilon: epsilon, to: network, generator: &generator)
                logits = perturbed.logits(reference.images, threads: context.threads)
            }
            draws.append(reference.metrics(draw: draw, logits: logits, flipCounts: &flipCounts))
            context.progress?(1)
        }
        var certification: Certification?
        if shard.lower == 0, o.certify, o.noise != .gaussian {
            let network = inputs.network(Double.self)
            // Input sweeps bound the ε-box around each sample (it contains the ℓ2 ball too).
            let box = o.target == .input ? (epsilon, o.validRange!) : nil
            let radii = o.target == .input ? [:] : selection.parameters.radii(network, noise: o.noise, epsilon: epsilon)!
            certification = try certify(IntervalPropagation(network: network, radii: radii), inputBox: box, inputs: inputs,
                                        reference: reference, threads: context.threads)
        }
        return PerturbationShardResult(shard: shard, draws: draws, flipCounts: flipCounts, unperturbedAccuracy: reference.accuracy,
                                       certification: certification)
    }

    /// Interval bounds in Double over batches of samples; `inputBox` moves every input
    /// coordinate by ±ε within the valid range.
    private static func certify<S: EngineScalar>(_ propagation: IntervalPropagation, inputBox: (Double, ClosedRange<Double>)?,
                                                 inputs: AnalysisInputs, reference: SweepReference<S>, threads: Int) throws -> Certification {
        let n = reference.count, k = inputs.model.classes, batch = 128
        var bounds = [Double](repeating: 0, count: n)
        let ranges = stride(from: 0, to: n, by: batch).map { $0..<min($0 + batch, n) }
        let failure = FirstError()
        bounds.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            parallelChunks(count: ranges.count, threads: threads) { chunk in
                for r in chunk {
                    let range = ranges[r]
                    let x: Tensor<Double> = inputs.primary.images.items(Array(range), itemShape: inputs.model.inputShape)
                    do {
                        var input = Interval(point: x)
                        if let (epsilon, range) = inputBox {
                            input = Interval(lower: x.map { Swift.max($0 - epsilon, range.lowerBound) }, upper: x.map { Swift.min($0 + epsilon, range.upperBound) })
                        }
                        let logits = try propagation.logitBounds(input)
                        let lower = CertifiedMargins.lowerBounds(logits, labels: Array(reference.labels[range]), classes: k)
                        for (i, value) in zip(range, lower) { (base + i).pointee = value }
                    } catch {
                        failure.record(error)
                    }
                }
            }
        }
        if let error = failure.error { throw AnalysisError("certified margins: \(error)") }
        let certified = bounds.map { $0 > 0 }
        let correct = zip(certified.indices, certified).filter { i, c in c && reference.correct[i] }.count
        return Certification(certifiedFraction: Double(certified.filter { $0 }.count) / Double(max(n, 1)),
                             certifiedAccuracy: Double(correct) / Double(max(n, 1)), marginLowerBounds: bounds)
    }

    public static func aggregate(_ job: JobSpec<Options>, results: [PerturbationShardResult]) -> PerturbationSweepSummary {
        SweepAggregation.summarize(job, results: results)
    }
}


/// The first error thrown by any of several threads.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?
    func record(_ error: Error) { lock.withLock { if first == nil { first = error } } }
    var error: Error? { lock.withLock { first } }
}
