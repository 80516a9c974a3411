import Foundation
import Protocol

extension JobPage {
    /// `solution-set`: distances and losses of the estimated and the retrained sets against δ.
    func solutionSet(_ s: SolutionSetSummary) -> String {
        var out = "<h2>\(s.perturbedPoints.count) of \(s.trainingSamples) training points perturbed (\(s.direction.rawValue) directions)</h2>"
            + "<div class=\"cards\">" + HTML.card("parameters", "\(s.parameters)") + HTML.card("solves", "\(s.solves)")
            + HTML.card("fine-tuning runs per δ", "\(s.retrainRuns)") + HTML.card("damping μ", HTML.number(s.damping, digits: 3))
            + HTML.card("empirical κ̂ (estimate)", HTML.number(s.empiricalModulusEstimated, digits: 4))
            + HTML.card("empirical κ̂ (retrained)", HTML.number(s.empiricalModulusRetrained, digits: 4))
            + HTML.card("linearised κ = ‖H⁺B‖₂", HTML.number(s.linearisedModulus, digits: 4)) + "</div>"
        if !s.unconverged.isEmpty {
            out += "<p class=\"error\">\(s.unconverged.count) solve(s) missed the tolerance and are left out of Ŝ: "
                + s.unconverged.map { "start \($0.start) (residual \(HTML.number($0.residual, digits: 3)) after \($0.iterations) iterations)" }.joined(separator: ", ")
                + "</p>"
        }
        let distances: [(String, KeyPath<SolutionSetPoint, Double?>, Bool)] = [
            ("Ŝ(δ): farthest from w̄", \.estimatedFarthestFromBase, false), ("R(δ): nearest to w̄", \.retrainedDistanceFromBase, false),
            ("h(Ŝ(δ), R(δ))", \.hausdorff, true), ("h(R(0), R(δ))", \.retrainedShift, true),
        ]
        out += SVGChart.lines(series(s, distances), title: "Distances in weight space against δ", xLabel: "δ (log scale)",
                              yLabel: "distance", yRange: 0...top(series(s, distances)))
        let losses: [(String, KeyPath<SolutionSetPoint, Double?>, Bool)] = [
            ("at w̄", \.lossesAtBase.pointLoss.optional, false), ("over Ŝ(δ)", \.estimatedLosses?.pointLoss, false),
            ("over R(δ)", \.retrainedLosses?.pointLoss, true),
        ]
        out += SVGChart.lines(series(s, losses), title: "Loss on the perturbed points against δ", xLabel: "δ (log scale)",
                              yLabel: "mean cross-entropy", yRange: 0...top(series(s, losses)))
        out += HTML.table(["δ", "|Ŝ|", "|R|", "Ŝ farthest from w̄", "R nearest to w̄", "diam Ŝ", "diam R", "h(Ŝ, R)", "e(R, Ŝ)", "e(Ŝ, R)",
                           "loss P: w̄", "Ŝ", "R", "clean loss: w̄", "Ŝ", "R"], s.points.map { p in
            [HTML.number(p.delta, digits: 3), "\(p.estimatedSize)", "\(p.retrainedSize)"]
                + [p.estimatedFarthestFromBase, p.retrainedDistanceFromBase, p.estimatedDiameter, p.retrainedDiameter, p.hausdorff,
                   p.excessRetrainedOverEstimated, p.excessEstimatedOverRetrained, p.lossesAtBase.pointLoss, p.estimatedLosses?.pointLoss,
                   p.retrainedLosses?.pointLoss, p.lossesAtBase.cleanTrainingLoss, p.estimatedLosses?.cleanTrainingLoss,
                   p.retrainedLosses?.cleanTrainingLoss].map { HTML.number($0, digits: 4) }
        }, numeric: Set(0..<16))
        if let trend = s.retrainedTrend { out += "<p>The retrained set is \(trend) as δ grows.</p>" }
        return out
    }

    private func series(_ s: SolutionSetSummary, _ lines: [(String, KeyPath<SolutionSetPoint, Double?>, Bool)]) -> [SVGChart.Series] {
        lines.enumerated().compactMap { n, line in
            let points = s.points.compactMap { p in p[keyPath: line.1].map { (p.delta, $0) } }
            return points.isEmpty ? nil : .init(label: line.0, points: points, dashed: line.2, color: SVGChart.palette[n % SVGChart.palette.count])
        }
    }

    private func top(_ series: [SVGChart.Series]) -> Double {
        let largest = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite).max() ?? 1
        return largest > 0 ? largest * 1.05 : 1
    }
}

private extension Double {
    var optional: Double? { self }
}
