import Foundation
import Protocol

/// The pictures of the influence kinds, drawn from their summaries alone — so `seismo analyze`
/// and `seismo export` of a cluster job draw the same ones.
enum InfluenceFigures {
    /// name → picture for an `influence` summary: FI and saturation histograms; ROC and
    /// precision–recall curves with outlier labels; the two sets' FI overlaid with a comparison set.
    static func influence(_ s: InfluenceSummary) -> [(name: String, canvas: Canvas)] {
        let p = s.primary
        var figures: [(name: String, canvas: Canvas)] = [
            ("fi_histogram.png", HistogramChart(
                title: "FI of each sample", subtitle: summaryLine(p.fi, samples: p.samples) + ", label mode \(s.labelMode.rawValue)",
                xLabel: "FI", series: [.init(label: "FI", color: RGB.series[0], histogram: p.fi.histogram)]).render()),
            ("saturation_histogram.png", HistogramChart(
                title: "Saturation FI / ((1 - p)/p)", subtitle: summaryLine(p.saturation, samples: p.samples),
                xLabel: "saturation (1 = FI at its bound)", series: [.init(label: "saturation", color: RGB.series[2], histogram: p.saturation.histogram)]).render()),
        ]
        if let outliers = s.outliers {
            figures.append(("roc.png", roc(outliers).render()))
            figures.append(("pr.png", precisionRecall(outliers, samples: p.samples).render()))
        }
        if let comparison = s.comparison {
            let ks = s.comparisonTest.map { String(format: "Kolmogorov-Smirnov D = %.3g, p = %.3g; mean difference %.3g", $0.fi.ksStatistic, $0.fi.ksPValue, $0.fi.meanDifference) }
            figures.append(("fi_histogram_compare.png", HistogramChart(
                title: "FI: primary against comparison set", subtitle: ks, xLabel: "FI",
                series: [.init(label: "primary (\(p.samples))", color: RGB.series[0], histogram: p.fi.histogram),
                         .init(label: "comparison (\(comparison.samples))", color: RGB.series[1], histogram: comparison.fi.histogram)]).render()))
        }
        return figures
    }

    /// Per-layer FI as box plots along the network's depth (the `all` row left out).
    static func layers(_ s: InfluenceParamsSummary) -> Canvas {
        let layers = s.layers.filter { $0.layer != "all" }
        return BoxPlotChart(title: "Parameter FI per layer (\(s.samples) samples)", xLabel: "layer, input to output",
                            yLabel: "FI (log scale): 5-95 %, quartiles, median",
                            boxes: layers.map { .init(label: "\($0.layer) (\($0.parameters) parameters)", quantiles: Array($0.fi.quantiles[1...5])) })
            .render()
    }

    /// The scores that have curves, each with its colour and legend name.
    static func scored(_ o: OutlierSummary) -> [(name: String, color: RGB, detection: OutlierDetection)] {
        [("FI", RGB.series[0], o.fi), ("Jacobian norm", RGB.series[1], o.jacobianNorm)] + (o.cook.map { [("Cook", RGB.series[2], $0)] } ?? [])
    }

    static func roc(_ o: OutlierSummary) -> LineChart {
        var series = scored(o).map { name, color, d in
            LineChart.Series(label: "\(name) (AUC \(String(format: "%.3f", d.rocAUC)))", color: color, markers: false, ordered: true,
                             points: (d.roc ?? []).map { ($0.x, $0.y) })
        }
        series.append(.init(label: "chance", color: .grey, dashed: true, markers: false, points: [(0, 0), (1, 1)]))
        return LineChart(title: "ROC: outliers by score (\(o.outliers) outliers)", xLabel: "false positive rate", yLabel: "true positive rate",
                         yRange: 0...1, xAxis: .linear(0...1), series: series)
    }

    static func precisionRecall(_ o: OutlierSummary, samples: Int) -> LineChart {
        var series = scored(o).map { name, color, d in
            LineChart.Series(label: "\(name) (AP \(String(format: "%.3f", d.averagePrecision)))", color: color, markers: false, ordered: true,
                             points: (d.precisionRecall ?? []).map { ($0.x, $0.y) })
        }
        let base = Double(o.outliers) / Double(max(samples, 1))
        series.append(.init(label: String(format: "chance (%.3f)", base), color: .grey, dashed: true, markers: false, points: [(0, base), (1, base)]))
        return LineChart(title: "Precision-recall: outliers by score", xLabel: "recall", yLabel: "precision",
                         yRange: 0...1, xAxis: .linear(0...1), series: series)
    }

    static func summaryLine(_ score: ScoreSummary, samples: Int) -> String {
        String(format: "%d samples; median %.3g, mean %.3g, max %.3g", samples, score.quantiles[3], score.mean, score.max)
    }
}
