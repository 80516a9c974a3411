import Engine
import Foundation
import Protocol

/// The part of a job's page that depends on its kind: the plots a person wants to see.
struct JobPage: Sendable {
    let pictures: JobInputsCache
    let jobs: JobStore
    /// Samples shown as pictures.
    static let topSamples = 12

    func render(kind: String, id: UUID, spec: String, summary: String) async throws -> String {
        let data = Data(summary.utf8)
        switch AnalysisKind(rawValue: kind) {
        case .influence:
            return try await influence(SeismoJSON.decoder().decode(InfluenceSummary.self, from: data), id: id, spec: spec)
        case .influenceMaps:
            return try await maps(SeismoJSON.decoder().decode(InfluenceMapsSummary.self, from: data), id: id, spec: spec)
        case .influenceParams:
            return params(try SeismoJSON.decoder().decode(InfluenceParamsSummary.self, from: data))
        case .perturbationSweep:
            return sweep(try SeismoJSON.decoder().decode(PerturbationSweepSummary.self, from: data))
        case .solutionSet:
            return solutionSet(try SeismoJSON.decoder().decode(SolutionSetSummary.self, from: data))
        default:
            return "<pre>\(HTML.escape(summary))</pre>"
        }
    }

    // MARK: influence

    private func influence(_ s: InfluenceSummary, id: UUID, spec: String) async throws -> String {
        let p = s.primary
        var out = "<h2>FI of each sample (label mode \(s.labelMode.rawValue))</h2><div class=\"cards\">"
            + HTML.card("samples", "\(p.samples)") + HTML.card("accuracy", HTML.number(p.accuracy))
            + HTML.card("FI mean", HTML.number(p.fi.mean)) + HTML.card("FI median", HTML.number(p.fi.quantiles[3]))
            + HTML.card("Spearman FI ~ Jacobian norm", HTML.number(p.spearmanFiJacobianNorm, digits: 3)) + "</div>"
        out += SVGChart.histogram(p.fi.histogram, title: "FI distribution", xLabel: "FI")
        out += SVGChart.histogram(p.saturation.histogram, title: "Saturation FI / ((1 − p)/p)", xLabel: "saturation")
        if let comparison = s.comparison {
            out += "<h2>Primary against comparison set</h2>"
            let ks = s.comparisonTest.map { test in
                "Kolmogorov–Smirnov D = \(HTML.number(test.fi.ksStatistic, digits: 3)), p = \(HTML.number(test.fi.ksPValue, digits: 3))"
            }
            out += SVGChart.overlay([("primary (\(p.samples))", p.fi.histogram), ("comparison (\(comparison.samples))", comparison.fi.histogram)],
                                    title: "FI of both sets", xLabel: "FI", note: ks)
            if let test = s.comparisonTest {
                out += "<p>Two-sample Kolmogorov–Smirnov test of FI: D = \(HTML.number(test.fi.ksStatistic, digits: 3)), p = \(HTML.number(test.fi.ksPValue, digits: 3)); mean difference \(HTML.number(test.fi.meanDifference, digits: 3)); of the Jacobian norm: D = \(HTML.number(test.jacobianNorm.ksStatistic, digits: 3)), p = \(HTML.number(test.jacobianNorm.ksPValue, digits: 3)).</p>"
            }
        }
        if let outliers = s.outliers {
            out += "<h2>Outlier detection (\(outliers.outliers) outliers)</h2>" + outlierCurves(outliers, samples: p.samples)
                + HTML.table(["score", "ROC AUC", "average precision"], [
                ["FI", HTML.number(outliers.fi.rocAUC, digits: 3), HTML.number(outliers.fi.averagePrecision, digits: 3)],
                ["Jacobian norm", HTML.number(outliers.jacobianNorm.rocAUC, digits: 3), HTML.number(outliers.jacobianNorm.averagePrecision, digits: 3)],
            ] + (outliers.cook.map { [["Cook", HTML.number($0.rocAUC, digits: 3), HTML.number($0.averagePrecision, digits: 3)]] } ?? []), numeric: [1, 2])
        }
        out += "<h2>Most influential samples</h2>" + (try await topPictures(p.fi.top, id: id, spec: spec))
        out += "<h2>Per class</h2>" + HTML.table(["class", "samples", "accuracy", "FI mean", "FI median", "Jacobian norm mean", "saturation mean"],
                                                 p.perClass.map { c in
            ["\(c.label)", "\(c.count)", HTML.number(c.accuracy, digits: 3), HTML.number(c.fiMean), HTML.number(c.fiMedian),
             HTML.number(c.jacobianNormMean), HTML.number(c.saturationMean, digits: 3)]
        }, numeric: [1, 2, 3, 4, 5, 6])
        return out
    }

    /// ROC and precision–recall curves of each score, when the summary carries them.
    private func outlierCurves(_ o: OutlierSummary, samples: Int) -> String {
        let scores = [("FI", o.fi), ("Jacobian norm", o.jacobianNorm)] + (o.cook.map { [("Cook", $0)] } ?? [])
        guard scores.allSatisfy({ $0.1.roc != nil && $0.1.precisionRecall != nil }) else { return "" }
        let color = { (n: Int) in SVGChart.palette[n % SVGChart.palette.count] }
        let roc = scores.enumerated().map { n, score in
            SVGChart.Series(label: "\(score.0) (AUC \(HTML.number(score.1.rocAUC, digits: 3)))", points: score.1.roc!.map { ($0.x, $0.y) }, color: color(n))
        } + [SVGChart.Series(label: "chance", points: [(0, 0), (1, 1)], dashed: true, color: "#999")]
        let base = Double(o.outliers) / Double(max(samples, 1))
        let pr = scores.enumerated().map { n, score in
            SVGChart.Series(label: "\(score.0) (AP \(HTML.number(score.1.averagePrecision, digits: 3)))",
                            points: score.1.precisionRecall!.map { ($0.x, $0.y) }, color: color(n))
        } + [SVGChart.Series(label: "chance (\(HTML.number(base, digits: 3)))", points: [(0, base), (1, base)], dashed: true, color: "#999")]
        return SVGChart.curves(roc, title: "ROC: outliers by score", xLabel: "false positive rate", yLabel: "true positive rate")
            + SVGChart.curves(pr, title: "Precision–recall: outliers by score", xLabel: "recall", yLabel: "precision")
    }

    /// The top samples' images with their FI, p, label and prediction (from the results).
    private func topPictures(_ top: [RankedSample], id: UUID, spec: String) async throws -> String {
        let inputs = try await pictures.inputs(of: id, spec: spec)
        let wanted = Set(top.prefix(Self.topSamples).map(\.index))
        var rows: [Int: SampleInfluence] = [:]
        for text in try await jobs.results(id) {
            guard let result = try? SeismoJSON.decoder().decode(InfluenceShardResult.self, from: Data(text.utf8)), result.shard.set == .primary else { continue }
            for row in result.samples where wanted.contains(row.index) { rows[row.index] = row }
        }
        var out = "<div class=\"samples\">"
        for sample in top.prefix(Self.topSamples) {
            let png = SamplePictures.image(inputs.primary.images, index: sample.index, inputShape: inputs.model.inputShape)
            let row = rows[sample.index]
            let truth = row?.trueLabel.map { "label \($0), " } ?? ""
            out += "<div class=\"sample\">\(HTML.png(png, alt: "sample \(sample.index)"))sample \(sample.index)<br/>FI \(HTML.number(sample.value, digits: 3))<br/>"
                + "\(truth)predicted \(row.map { "\($0.predicted)" } ?? "?")<br/>p = \(HTML.number(row?.pLabel, digits: 3))</div>"
        }
        return out + "</div>"
    }

    // MARK: influence-maps

    private func maps(_ s: InfluenceMapsSummary, id: UUID, spec: String) async throws -> String {
        var out = "<h2>Influence maps (\(s.samples) samples, scales \(s.scales.map(String.init).joined(separator: ", ")), \(s.channelMode.rawValue) channels)</h2>"
        out += HTML.table(["scale", "mean map value: median", "largest map value: median", "saturated windows"], s.perScale.map {
            ["\($0.scale)", HTML.number($0.sampleMean.quantiles[3]), HTML.number($0.sampleMax.quantiles[3]), HTML.number($0.saturatedFraction, digits: 3)]
        }, numeric: [0, 1, 2, 3])
        if let check = s.onePixel {
            out += "<h2>One-pixel check</h2>" + HTML.table(["pixel chosen by", "flip rate", "median move"], [
                ["largest FI", HTML.number(check.influence.flipRate, digits: 3), HTML.number(check.influence.medianMagnitude, digits: 3)],
                ["largest |gradient|", HTML.number(check.gradient.flipRate, digits: 3), HTML.number(check.gradient.medianMagnitude, digits: 3)],
                ["random", HTML.number(check.random.flipRate, digits: 3), HTML.number(check.random.medianMagnitude, digits: 3)],
            ], numeric: [1, 2])
        }
        let job = try SeismoJSON.decoder().decode(JobSpec<InfluenceMapsOptions>.self, from: Data(spec.utf8))
        let inputs = try await pictures.inputs(of: id, spec: spec)
        var rows: [SampleMaps] = []
        for text in try await jobs.results(id) {
            if let result = try? SeismoJSON.decoder().decode(InfluenceMapsShardResult.self, from: Data(text.utf8)) { rows += result.samples }
        }
        out += "<h2>Most influential samples, with their maps (colour bar: 0 to the map's maximum)</h2>"
        for row in rows.sorted(by: { ($0.fi, -$0.index) > ($1.fi, -$1.index) }).prefix(6) {
            let png = SamplePictures.maps(row, job: job, images: inputs.primary.images, inputShape: inputs.model.inputShape)
            out += "<p>\(HTML.png(png, alt: "influence maps of sample \(row.index)"))</p>"
        }
        return out
    }

    // MARK: influence-params

    private func params(_ s: InfluenceParamsSummary) -> String {
        let layers = s.layers.filter { $0.layer != "all" }
        var out = "<h2>Parameter FI per layer (\(s.samples) samples, label mode \(s.labelMode.rawValue))</h2>"
        out += SVGChart.boxes(layers.map { layer in (layer.layer, [1, 2, 3, 4, 5].map { layer.fi.quantiles[$0] }) },
                              title: "FI of each layer's parameters across samples (5–95 %, quartiles, median)", yLabel: "FI (log scale)")
        out += HTML.table(["layer", "parameters", "FI mean", "FI median", "saturation mean"], s.layers.map {
            [HTML.escape($0.layer), "\($0.parameters)", HTML.number($0.fi.mean), HTML.number($0.fi.quantiles[3]), HTML.number($0.saturationMean, digits: 3)]
        }, numeric: [1, 2, 3, 4])
        out += "<p>Layers by mean FI: \(s.ranking.map(HTML.escape).joined(separator: " › "))</p>"
        return out
    }

    // MARK: perturbation-sweep

    private func sweep(_ s: PerturbationSweepSummary) -> String {
        var out = "<h2>\(s.noise.rawValue.capitalized) \(s.target == .input ? "input" : "weight") noise on \(s.samples) samples</h2>"
            + "<div class=\"cards\">" + HTML.card("unperturbed accuracy", HTML.number(s.unperturbedAccuracy, digits: 4))
            + HTML.card("ε grid", "\(s.epsilons.count) values") + HTML.card("layer selections", "\(s.selections.count)") + "</div>"
        var accuracy: [SVGChart.Series] = [], flips: [SVGChart.Series] = []
        for (n, name) in s.selections.prefix(6).enumerated() {
            let color = SVGChart.palette[n % SVGChart.palette.count]
            let points = s.points.filter { $0.selection == name }
            accuracy.append(.init(label: "\(name) accuracy", points: points.map { ($0.epsilon, $0.accuracy.mean) }, color: color))
            let proven = points.compactMap { p in p.certifiedAccuracy.map { (p.epsilon, $0) } }
            if !proven.isEmpty { accuracy.append(.init(label: "\(name) certified", points: proven, dashed: true, color: color)) }
            flips.append(.init(label: "\(name) flip rate", points: points.map { ($0.epsilon, $0.flipRate.mean) }, color: color))
        }
        out += SVGChart.lines(accuracy, title: "Accuracy and certified accuracy against ε", xLabel: "ε (log scale)", yLabel: "accuracy", yRange: 0...1)
        out += SVGChart.lines(flips, title: "Flip rate against ε", xLabel: "ε (log scale)", yLabel: "flip rate", yRange: 0...1)
        out += HTML.table(["layers", "ε", "accuracy mean ± sd", "flip rate", "never flipped", "certified", "certified accuracy"], s.points.map { p in
            [HTML.escape(p.selection), HTML.number(p.epsilon, digits: 3), "\(HTML.number(p.accuracy.mean)) ± \(HTML.number(p.accuracy.sd, digits: 2))",
             HTML.number(p.flipRate.mean), HTML.number(p.neverFlipped), HTML.number(p.certifiedFraction), HTML.number(p.certifiedAccuracy)]
        }, numeric: [1, 3, 4, 5, 6])
        if s.selections.count > 1 {
            out += "<h2>Layers, most sensitive first</h2>" + HTML.table(["layer", "ε for −1 point", "−5 points", "−10 points"], s.sensitivity.map {
                [HTML.escape($0.selection), HTML.number($0.epsilonDrop1, digits: 3), HTML.number($0.epsilonDrop5, digits: 3), HTML.number($0.epsilonDrop10, digits: 3)]
            }, numeric: [1, 2, 3])
        }
        if let input = s.input {
            out += "<p>\(input.flippedSamples) of \(s.samples) samples flipped at some ε."
            if input.correlationSamples > 0 {
                out += " Spearman against 1 / flip radius over \(input.correlationSamples) samples: FI \(HTML.number(input.spearmanFI, digits: 3)), Jacobian norm \(HTML.number(input.spearmanJacobianNorm, digits: 3))."
            }
            out += "</p>"
        }
        return out
    }
}
