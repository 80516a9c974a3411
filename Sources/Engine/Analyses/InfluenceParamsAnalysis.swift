import Foundation
import Protocol

/// `influence-params`: per sample, the FI of perturbing each layer's parameters and all
/// parameters together (MATH.md §1.3, Setup 2), from K×K Gram matrices reduced inside the
/// backward pass.
public enum InfluenceParamsAnalysis: Analysis {
    public typealias Options = InfluenceParamsOptions

    public static func validate(_ job: JobSpec<Options>, inputs: AnalysisInputs) throws {
        try CommonValidation.check(labelMode: job.options.labelMode, referenceEpsilon: job.options.referenceEpsilon,
                                   top: job.options.top, inputs: inputs)
        guard !inputs.model.layers.isEmpty else { throw AnalysisError("the model has no trainable parameters to perturb") }
    }

    public static func plan(_ job: JobSpec<Options>, shardSize: Int) -> [ShardSpec] {
        SampleRangePlan.shards(primary: job.inputs.primary.count, comparison: nil, shardSize: shardSize)
    }

    public static func execute(_ job: JobSpec<Options>, shard: ShardSpec, inputs: AnalysisInputs,
                               context: ExecutionContext) throws -> InfluenceParamsShardResult {
        let options = job.options
        let samples = ShardSamples.evaluate(Array(shard.positions), set: shard.set, inputs: inputs, labelMode: options.labelMode,
                                            precision: options.precision, jacobians: false, context: context)
        let grams = parameterGrams(Array(shard.positions), inputs: inputs, precision: options.precision, context: context)
        let model = inputs.model, k = model.classes
        let entries = model.layers.count + 1
        let rows = samples.map(threads: context.threads) { n -> SampleLayerInfluence in
            let (geometry, y) = (samples.geometries[n], samples.labels[n])
            var fi: [Double] = [], ranks: [Int] = [], references: [Double] = []
            for l in 0..<entries {
                let gram = Array(grams[((n * entries + l) * k * k)..<((n * entries + l + 1) * k * k)])
                let exact = InfluenceMeasure.exact(gram: gram, geometry: geometry, label: y)
                fi.append(exact.fi)
                ranks.append(exact.rank)
                if let epsilon = options.referenceEpsilon {
                    references.append(InfluenceMeasure.reference(gram: gram, geometry: geometry, label: y, epsilon: epsilon).fi)
                }
            }
            return SampleLayerInfluence(index: samples.indices[n], label: y, trueLabel: samples.trueLabels[n], predicted: geometry.predicted,
                                        pLabel: geometry.p[y], fiBound: geometry.bound(label: y), fi: fi,
                                        fiReference: options.referenceEpsilon == nil ? nil : references, rank: ranks)
        }
        return InfluenceParamsShardResult(shard: shard, layers: layerInfo(model), samples: rows)
    }

    public static func aggregate(_ job: JobSpec<Options>, results: [InfluenceParamsShardResult]) -> InfluenceParamsSummary {
        let rows = results.flatMap(\.samples).sorted { $0.index < $1.index }
        let layers = results.first?.layers ?? []
        let top = job.options.top
        let summaries = layers.enumerated().map { l, layer -> LayerSummary in
            let ranked = { (value: (SampleLayerInfluence) -> Double) in
                rows.map { RankedSample(index: $0.index, value: value($0), label: $0.trueLabel ?? $0.predicted) }
            }
            let saturation = rows.reduce(0.0) { $0 + ($1.fiBound > 0 ? $1.fi[l] / $1.fiBound : 1) } / Double(max(rows.count, 1))
            return LayerSummary(index: l, layer: layer.name, parameters: layer.parameters,
                                fi: ScoreStatistics.summarize(ranked { $0.fi[l] }, top: top, scale: .logarithmic),
                                fiReference: job.options.referenceEpsilon == nil ? nil
                                    : ScoreStatistics.summarize(ranked { $0.fiReference![l] }, top: top, scale: .logarithmic),
                                saturationMean: saturation)
        }
        // Means equal to 9 digits (saturated layers) keep graph order rather than rounding noise's.
        let key = { (l: LayerSummary) in Double(String(format: "%.9g", l.fi.mean)) ?? l.fi.mean }
        let ranking = summaries.dropLast().sorted { (key($0), -$0.index) > (key($1), -$1.index) }.map(\.layer)
        return InfluenceParamsSummary(labelMode: job.options.labelMode, referenceEpsilon: job.options.referenceEpsilon,
                                      samples: rows.count, layers: summaries, ranking: ranking)
    }

    /// Layers in graph order, then `all`.
    static func layerInfo(_ model: Model) -> [LayerInfo] {
        model.layers.map { layer in
            LayerInfo(name: layer.name, opType: layer.opType, parameters: layer.parameters.reduce(0) { $0 + model.parameters[$1].count })
        } + [LayerInfo(name: "all", opType: "", parameters: model.parameterCount)]
    }

    private static func parameterGrams(_ indices: [Int], inputs: AnalysisInputs, precision: NetworkPrecision,
                                       context: ExecutionContext) -> [Double] {
        let shape = inputs.model.inputShape
        switch precision {
        case .float:
            let x: Tensor<Float> = inputs.primary.images.items(indices, itemShape: shape)
            return inputs.network(Float.self).parameterGrams(x, threads: context.threads, progress: context.progress).scalars
        case .double:
            let x: Tensor<Double> = inputs.primary.images.items(indices, itemShape: shape)
            return inputs.network(Double.self).parameterGrams(x, threads: context.threads, progress: context.progress).scalars
        }
    }
}
