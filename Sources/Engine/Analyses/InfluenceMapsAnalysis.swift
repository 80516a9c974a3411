import Protocol

/// `influence-maps`: per sample, FI maps of k×k windows around every pixel at several scales
/// (MATH.md §1.3, Setup 4), the whole-input FI, and the one-pixel check.
public enum InfluenceMapsAnalysis: Analysis {
    public typealias Options = InfluenceMapsOptions

    public static func validate(_ job: JobSpec<Options>, inputs: AnalysisInputs) throws {
        let options = job.options
        try CommonValidation.check(labelMode: options.labelMode, referenceEpsilon: options.referenceEpsilon, top: options.top, inputs: inputs)
        let shape = inputs.model.inputShape
        guard shape.count == 3 else {
            throw AnalysisError("influence maps need image inputs C×H×W; the model's input \(inputs.model.inputName) is \(shape)")
        }
        let side = min(shape[1], shape[2])
        guard !options.scales.isEmpty else { throw AnalysisError("--scales: give at least one window side") }
        for s in options.scales where s < 1 || s % 2 == 0 || s > side {
            throw AnalysisError("--scales: \(s) is not an odd window side between 1 and \(side) (the image is \(shape[1])×\(shape[2]))")
        }
        guard Set(options.scales).count == options.scales.count else { throw AnalysisError("--scales: \(options.scales) repeats a scale") }
        if let indices = options.indices {
            guard !indices.isEmpty else { throw AnalysisError("--indices: give at least one sample") }
            if let bad = indices.first(where: { $0 < 0 || $0 >= inputs.primary.count }) {
                throw AnalysisError("--indices: \(bad) is not a sample of \(inputs.primary.name) (0..<\(inputs.primary.count))")
            }
            guard Set(indices).count == indices.count else { throw AnalysisError("--indices: a sample is listed twice") }
        }
        if let range = options.validRange {
            guard range.lowerBound.isFinite, range.upperBound.isFinite, range.lowerBound < range.upperBound else {
                throw AnalysisError("--valid-range must be MIN:MAX with MIN < MAX, got \(range)")
            }
            let data = inputs.primary.images.valueRange
            guard range.contains(data.lowerBound), range.contains(data.upperBound) else {
                throw AnalysisError("--valid-range \(range.lowerBound):\(range.upperBound) does not hold the data of \(inputs.primary.name), whose values span \(data.lowerBound)…\(data.upperBound)")
            }
        }
    }

    /// The one-pixel check's valid range defaults to the range of the data.
    public static func prepare(_ job: inout JobSpec<Options>, inputs: AnalysisInputs) {
        if job.options.onePixelCheck, job.options.validRange == nil {
            let range = inputs.primary.images.valueRange
            job.options.validRange = range.lowerBound < range.upperBound ? range : range.lowerBound...(range.lowerBound + 1)
        }
    }

    public static func plan(_ job: JobSpec<Options>, shardSize: Int) -> [ShardSpec] {
        SampleRangePlan.shards(primary: job.options.indices?.count ?? job.inputs.primary.count, comparison: nil, shardSize: shardSize)
    }

    public static func execute(_ job: JobSpec<Options>, shard: ShardSpec, inputs: AnalysisInputs,
                               context: ExecutionContext) throws -> InfluenceMapsShardResult {
        let options = job.options
        let indices = shard.positions.map { options.indices?[$0] ?? $0 }
        let samples = ShardSamples.evaluate(indices, set: .primary, inputs: inputs, labelMode: options.labelMode,
                                            precision: options.precision, jacobians: true, context: context)
        let model = inputs.model, d = model.inputCount
        let maps = InfluenceMaps(inputShape: model.inputShape, scales: options.scales, mode: options.channelMode)
        let rows = samples.map(threads: context.threads) { n -> SampleMaps in
            let (geometry, y, j) = (samples.geometries[n], samples.labels[n], samples.jacobians[n])
            let exact = maps.compute(jacobian: j, geometry: geometry, label: y)
            let reference = options.referenceEpsilon.map { maps.compute(jacobian: j, geometry: geometry, label: y, referenceEpsilon: $0) }
            let onePixel = options.onePixelCheck
                ? OnePixelChecks.run(sample: indices[n], jacobian: j, geometry: geometry, label: y, inputs: inputs, options: options) : nil
            return SampleMaps(index: indices[n], label: y, trueLabel: samples.trueLabels[n], predicted: geometry.predicted,
                              pLabel: geometry.p[y], fi: InfluenceMeasure.exact(jacobian: j, columns: d, geometry: geometry, label: y).fi,
                              fiBound: geometry.bound(label: y), maps: PackedFloats(exact.map(Float.init)),
                              mapsReference: reference.map { PackedFloats($0.map(Float.init)) }, onePixel: onePixel)
        }
        return InfluenceMapsShardResult(shard: shard, samples: rows)
    }

    public static func aggregate(_ job: JobSpec<Options>, results: [InfluenceMapsShardResult]) -> InfluenceMapsSummary {
        let options = job.options
        let rows = results.flatMap(\.samples).sorted { $0.index < $1.index }
        let perScale = options.scales.count
        let perScaleSummaries = options.scales.enumerated().map { s, scale -> ScaleSummary in
            var means: [RankedSample] = [], maxima: [RankedSample] = []
            var saturated = 0, entries = 0
            for row in rows {
                let size = row.maps.values.count / perScale
                let values = row.maps.values[(s * size)..<((s + 1) * size)]
                let label = row.trueLabel ?? row.predicted
                means.append(RankedSample(index: row.index, value: values.reduce(0.0) { $0 + Double($1) } / Double(size), label: label))
                maxima.append(RankedSample(index: row.index, value: Double(values.max() ?? 0), label: label))
                saturated += values.filter { Double($0) >= row.fiBound * (1 - 1e-6) && row.fiBound > 0 }.count
                entries += size
            }
            return ScaleSummary(scale: scale, sampleMean: ScoreStatistics.summarize(means, top: options.top, scale: .logarithmic),
                                sampleMax: ScoreStatistics.summarize(maxima, top: options.top, scale: .logarithmic),
                                saturatedFraction: entries > 0 ? Double(saturated) / Double(entries) : 0)
        }
        let fi = ScoreStatistics.summarize(rows.map { RankedSample(index: $0.index, value: $0.fi, label: $0.trueLabel ?? $0.predicted) },
                                           top: options.top, scale: .logarithmic)
        return InfluenceMapsSummary(labelMode: options.labelMode, referenceEpsilon: options.referenceEpsilon, samples: rows.count,
                                    scales: options.scales, channelMode: options.channelMode, fi: fi, perScale: perScaleSummaries,
                                    onePixel: OnePixelChecks.summarize(rows.compactMap(\.onePixel), validRange: options.validRange))
    }
}
