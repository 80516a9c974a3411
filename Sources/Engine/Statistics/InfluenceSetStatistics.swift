import Protocol

/// The set-level statistics of per-sample influence rows (MATH.md §4). Callers pass the rows
/// ordered by sample index, so every sum runs in one fixed order.
enum InfluenceSetStatistics {
    static func summarize(_ rows: [SampleInfluence], top: Int) -> InfluenceSetSummary {
        let ranked = { (value: (SampleInfluence) -> Double) in
            rows.map { RankedSample(index: $0.index, value: value($0), label: $0.trueLabel ?? $0.predicted) }
        }
        let labelled = rows.filter { $0.trueLabel != nil }
        let accuracy = labelled.isEmpty ? nil : Double(labelled.filter { $0.trueLabel == $0.predicted }.count) / Double(labelled.count)
        let references = rows.compactMap(\.fiReference)
        let cooks = rows.compactMap(\.cook)
        return InfluenceSetSummary(
            samples: rows.count, accuracy: accuracy,
            fi: ScoreStatistics.summarize(ranked { $0.fi }, top: top, scale: .logarithmic),
            fiReference: references.count == rows.count && !rows.isEmpty
                ? ScoreStatistics.summarize(ranked { $0.fiReference! }, top: top, scale: .logarithmic) : nil,
            jacobianNorm: ScoreStatistics.summarize(ranked { $0.jacobianNorm }, top: top, scale: .logarithmic),
            saturation: ScoreStatistics.summarize(ranked { $0.saturation }, top: top),
            cook: cooks.count == rows.count && !rows.isEmpty ? ScoreStatistics.summarize(ranked { $0.cook! }, top: top, scale: .logarithmic) : nil,
            spearmanFiJacobianNorm: RankCorrelation.spearman(rows.map(\.fi), rows.map(\.jacobianNorm)),
            perClass: perClass(rows))
    }

    static func perClass(_ rows: [SampleInfluence]) -> [ClassSummary] {
        let groups = Dictionary(grouping: rows) { $0.trueLabel ?? $0.predicted }
        return groups.keys.sorted().map { label in
            let group = groups[label]!
            let n = Double(group.count)
            let labelled = group.filter { $0.trueLabel != nil }
            return ClassSummary(
                label: label, count: group.count,
                accuracy: labelled.isEmpty ? nil : Double(labelled.filter { $0.trueLabel == $0.predicted }.count) / Double(labelled.count),
                fiMean: group.reduce(0) { $0 + $1.fi } / n,
                fiMedian: ScoreStatistics.quantile(group.map(\.fi).sorted(), 0.5),
                jacobianNormMean: group.reduce(0) { $0 + $1.jacobianNorm } / n,
                saturationMean: group.reduce(0) { $0 + $1.saturation } / n)
        }
    }

    /// ROC AUC and average precision of FI, JN and Cook against the outlier labels.
    static func outliers(_ rows: [SampleInfluence]) -> OutlierSummary? {
        let labelled = rows.filter { $0.outlier != nil }
        guard !labelled.isEmpty else { return nil }
        let flags = labelled.map { $0.outlier! }
        let cooks = labelled.compactMap(\.cook)
        return OutlierSummary(
            outliers: flags.filter { $0 }.count,
            fi: OutlierScoring.evaluate(scores: labelled.map(\.fi), outliers: flags),
            jacobianNorm: OutlierScoring.evaluate(scores: labelled.map(\.jacobianNorm), outliers: flags),
            cook: cooks.count == labelled.count ? OutlierScoring.evaluate(scores: cooks, outliers: flags) : nil)
    }
}
