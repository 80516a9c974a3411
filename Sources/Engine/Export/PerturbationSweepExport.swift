import Foundation
import Protocol

/// The files of a `perturbation-sweep` job: summary.json; curves.csv (one row per layer
/// selection, ε and metric: mean, sd and quantiles across draws; the certified fraction and
/// accuracy and the never-flipped fraction as single values); bounds.csv (per sample, its
/// certified margin lower bound at each ε); accuracy.png (accuracy and certified accuracy
/// against ε, log axis); for input sweeps flip_radii.csv (per sample the smallest ε at which a
/// draw flipped it and the largest ε at which it is certified; empty when none).
public enum PerturbationSweepExport {
    public static let curveColumns = ["layer", "epsilon", "metric", "mean", "sd", "q05", "q50", "q95"]

    public static func write(summary: PerturbationSweepSummary, results: [PerturbationShardResult], to directory: URL) throws -> [String] {
        var files = OutputFiles(directory: directory)
        try files.json(summary, "summary.json")
        try files.csv(header: curveColumns, rows: summary.points.flatMap(curveRows), "curves.csv")
        let certified = results.filter { $0.certification != nil }.sorted { ($0.shard.selection ?? 0, $0.shard.epsilon ?? 0) < ($1.shard.selection ?? 0, $1.shard.epsilon ?? 0) }
        if !certified.isEmpty {
            let rows = certified.flatMap { r in
                r.certification!.marginLowerBounds.enumerated().map { i, bound in
                    [Cell.text(summary.selections[r.shard.selection ?? 0]), Cell.number(summary.epsilons[r.shard.epsilon ?? 0]), String(i),
                     Cell.number(bound), bound > 0 ? "1" : "0"]
                }
            }
            try files.csv(header: ["layer", "epsilon", "index", "margin_lower_bound", "certified"], rows: rows, "bounds.csv")
        }
        if let input = summary.input {
            let rows = input.flipRadius.indices.map { i in
                [String(i), Cell.number(input.flipRadius[i]), Cell.number(input.certifiedRadius[i])]
            }
            try files.csv(header: ["index", "flip_radius", "certified_radius"], rows: rows, "flip_radii.csv")
        }
        try files.png(chart(summary).render(), "accuracy.png")
        return files.written
    }

    static func curveRows(_ p: SweepPoint) -> [[String]] {
        let spreads: [(String, Spread)] = [
            ("accuracy", p.accuracy), ("flip_rate", p.flipRate), ("cross_entropy", p.meanCrossEntropy), ("margin_mean", p.marginMean),
            ("margin_q05", p.marginQ05), ("margin_q50", p.marginQ50), ("margin_q95", p.marginQ95),
        ]
        var rows = spreads.map { name, s in
            [Cell.text(p.selection), Cell.number(p.epsilon), name] + [s.mean, s.sd, s.q05, s.q50, s.q95].map { Cell.number($0) }
        }
        let singles: [(String, Double?)] = [("never_flipped", p.neverFlipped), ("certified_fraction", p.certifiedFraction),
                                            ("certified_accuracy", p.certifiedAccuracy)]
        for case let (name, value?) in singles {
            rows.append([Cell.text(p.selection), Cell.number(p.epsilon), name, Cell.number(value), "0"] + Array(repeating: Cell.number(value), count: 3))
        }
        return rows
    }

    static func chart(_ summary: PerturbationSweepSummary) -> LineChart {
        var series: [LineChart.Series] = []
        for (n, name) in summary.selections.prefix(6).enumerated() {
            let points = summary.points.filter { $0.selection == name }
            let color = RGB.series[n % RGB.series.count]
            series.append(.init(label: "\(name) accuracy", color: color, points: points.map { ($0.epsilon, $0.accuracy.mean) }))
            let proven = points.compactMap { p in p.certifiedAccuracy.map { (p.epsilon, $0) } }
            if !proven.isEmpty { series.append(.init(label: "\(name) certified", color: color, dashed: true, points: proven)) }
        }
        return LineChart(title: "accuracy under \(summary.noise.rawValue) \(summary.target == .input ? "input" : "weight") noise", xLabel: "epsilon (log scale)",
                         yLabel: "accuracy", yRange: 0...1, series: series)
    }
}
