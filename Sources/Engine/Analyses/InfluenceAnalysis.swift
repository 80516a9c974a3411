import Protocol

/// `influence`: per sample, the FI of perturbing the whole input (exact, and reference mode on
/// request), p_y, rank, saturation, the Jacobian norm and — for inputs of at most 256
/// coordinates — Cook's local influence; summaries per set, a train/test comparison and outlier
/// detection scores (MATH.md §1.3, §4).
public enum InfluenceAnalysis: Analysis {
    public typealias Options = InfluenceOptions

    /// Cook's local influence needs m × m work, so it is the baseline only for small inputs.
    public static let cookLimit = 256

    public static func validate(_ job: JobSpec<Options>, inputs: AnalysisInputs) throws {
        try CommonValidation.check(labelMode: job.options.labelMode, referenceEpsilon: job.options.referenceEpsilon,
                                   top: job.options.top, inputs: inputs)
        if let outliers = inputs.outlierLabels, !outliers.contains(true) || !outliers.contains(false) {
            throw AnalysisError("--outlier-labels: need both outliers (1) and inliers (0) to score detection")
        }
    }

    public static func plan(_ job: JobSpec<Options>, shardSize: Int) -> [ShardSpec] {
        SampleRangePlan.shards(primary: job.inputs.primary.count, comparison: job.inputs.comparison?.count, shardSize: shardSize)
    }

    public static func execute(_ job: JobSpec<Options>, shard: ShardSpec, inputs: AnalysisInputs,
                               context: ExecutionContext) throws -> InfluenceShardResult {
        let options = job.options
        let samples = ShardSamples.evaluate(Array(shard.positions), set: shard.set, inputs: inputs, labelMode: options.labelMode,
                                            precision: options.precision, jacobians: true, context: context)
        let d = inputs.model.inputCount
        let outliers = shard.set == .primary ? inputs.outlierLabels : nil
        let rows = samples.map(threads: context.threads) { n -> SampleInfluence in
            let (geometry, y, j) = (samples.geometries[n], samples.labels[n], samples.jacobians[n])
            let exact = InfluenceMeasure.exact(jacobian: j, columns: d, geometry: geometry, label: y)
            let bound = geometry.bound(label: y)
            return SampleInfluence(
                index: samples.indices[n], label: y, trueLabel: samples.trueLabels[n], predicted: geometry.predicted,
                pLabel: geometry.p[y], fi: exact.fi,
                fiReference: options.referenceEpsilon.map { InfluenceMeasure.reference(jacobian: j, columns: d, geometry: geometry, label: y, epsilon: $0).fi },
                jacobianNorm: InfluenceMeasure.gradientNorm(jacobian: j, columns: d, geometry: geometry, label: y),
                rank: exact.rank, saturation: bound > 0 ? exact.fi / bound : 1,
                cook: d <= cookLimit ? CookInfluence.maximum(jacobian: j, columns: d, geometry: geometry, label: y) : nil,
                outlier: outliers?[samples.indices[n]])
        }
        return InfluenceShardResult(shard: shard, samples: rows)
    }

    public static func aggregate(_ job: JobSpec<Options>, results: [InfluenceShardResult]) -> InfluenceSummary {
        let all = results.flatMap { r in r.samples.map { (r.shard.set, $0) } }
        let primary = all.filter { $0.0 == .primary }.map(\.1).sorted { $0.index < $1.index }
        let comparison = all.filter { $0.0 == .comparison }.map(\.1).sorted { $0.index < $1.index }
        let top = job.options.top
        let comparisonSummary = job.inputs.comparison == nil ? nil : InfluenceSetStatistics.summarize(comparison, top: top)
        var test: SetComparison?
        if job.inputs.comparison != nil, !primary.isEmpty, !comparison.isEmpty {
            test = SetComparison(fi: TwoSampleTest.compare(primary.map(\.fi), comparison.map(\.fi)),
                                 jacobianNorm: TwoSampleTest.compare(primary.map(\.jacobianNorm), comparison.map(\.jacobianNorm)))
        }
        return InfluenceSummary(labelMode: job.options.labelMode, referenceEpsilon: job.options.referenceEpsilon,
                                primary: InfluenceSetStatistics.summarize(primary, top: top), comparison: comparisonSummary,
                                comparisonTest: test, outliers: InfluenceSetStatistics.outliers(primary))
    }
}
