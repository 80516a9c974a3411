import Foundation
import Protocol

/// The files of a `solution-set` job: summary.json; distances.csv (one row per δ: set sizes,
/// distances from w̄, diameters, h(Ŝ, R), both excesses, each set's shift from δ = 0, and the
/// mean losses at w̄, over Ŝ and over R); solves.csv (per solve its residuals, iterations and
/// vector's SHA-256); distances.png (distances against δ, log axis).
public enum SolutionSetExport {
    public static let distanceColumns = [
        "delta", "estimated_size", "retrained_size", "estimated_distance_from_base", "estimated_farthest_from_base",
        "retrained_distance_from_base", "retrained_farthest_from_base", "estimated_diameter", "retrained_diameter",
        "hausdorff", "excess_retrained_over_estimated", "excess_estimated_over_retrained", "estimated_shift", "retrained_shift",
        "point_loss_base", "point_loss_estimated", "point_loss_retrained",
        "training_loss_base", "training_loss_estimated", "training_loss_retrained",
        "clean_training_loss_base", "clean_training_loss_estimated", "clean_training_loss_retrained",
    ]

    public static func write(summary: SolutionSetSummary, results: [SolutionSetShardResult], to directory: URL) throws -> [String] {
        var files = OutputFiles(directory: directory)
        try files.json(summary, "summary.json")
        try files.csv(header: distanceColumns, rows: summary.points.map(row), "distances.csv")
        let solves = results.filter { $0.task == .solve }.sorted { $0.index < $1.index }
        try files.csv(header: ["start", "converged", "residual", "normal_equation_residual", "iterations", "v_norm", "sha256"],
                      rows: solves.map { s in
                          [String(s.index), s.converged == true ? "1" : "0", Cell.number(s.residual), Cell.number(s.normalEquationResidual),
                           Cell.integer(s.iterations), Cell.number(s.vectorNorm), s.vector?.sha256 ?? ""]
                      }, "solves.csv")
        try files.png(chart(summary).render(), "distances.png")
        return files.written
    }

    static func row(_ p: SolutionSetPoint) -> [String] {
        let losses = [p.lossesAtBase, p.estimatedLosses, p.retrainedLosses]
        return [Cell.number(p.delta), String(p.estimatedSize), String(p.retrainedSize)]
            + [p.estimatedDistanceFromBase, p.estimatedFarthestFromBase, p.retrainedDistanceFromBase, p.retrainedFarthestFromBase,
               p.estimatedDiameter, p.retrainedDiameter, p.hausdorff, p.excessRetrainedOverEstimated, p.excessEstimatedOverRetrained,
               p.estimatedShift, p.retrainedShift].map { Cell.number($0) }
            + losses.map { Cell.number($0?.pointLoss) } + losses.map { Cell.number($0?.trainingLoss) }
            + losses.map { Cell.number($0?.cleanTrainingLoss) }
    }

    /// Labels in ASCII: the chart's bitmap font has no Greek.
    static func chart(_ summary: SolutionSetSummary) -> LineChart {
        let candidates: [(String, KeyPath<SolutionSetPoint, Double?>, Bool)] = [
            ("estimate: max from w_bar", \.estimatedFarthestFromBase, false),
            ("retrained: min from w_bar", \.retrainedDistanceFromBase, false),
            ("h(estimate, retrained)", \.hausdorff, true),
            ("h(retrained at 0, retrained)", \.retrainedShift, true),
        ]
        var series: [LineChart.Series] = []
        for (n, (label, path, dashed)) in candidates.enumerated() {
            let points = summary.points.compactMap { p in p[keyPath: path].map { (p.delta, $0) } }
            if !points.isEmpty { series.append(.init(label: label, color: RGB.series[n % RGB.series.count], dashed: dashed, points: points)) }
        }
        let top = series.flatMap { $0.points.map(\.y) }.max() ?? 1
        return LineChart(title: "solution sets against the perturbation size", xLabel: "delta (log scale)",
                         yLabel: "distance in weight space", yRange: 0...(top > 0 ? top * 1.05 : 1), series: series)
    }
}
