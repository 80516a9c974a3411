import Foundation
import Protocol

/// The short human summary `seismo analyze` prints: distribution, top samples, per-class table.
enum SummaryReport {
    static func influence(_ s: InfluenceSummary) -> String {
        var out = ["FI of the whole input (label mode \(s.labelMode.rawValue)\(s.referenceEpsilon.map { ", reference ε = \(g($0))" } ?? ""))"]
        out += set("samples", s.primary)
        if let c = s.comparison { out += [""] + set("comparison set", c) }
        if let t = s.comparisonTest {
            out.append("")
            out.append("samples vs comparison set: FI mean difference \(g(t.fi.meanDifference)), KS D = \(f(t.fi.ksStatistic)) (p = \(g(t.fi.ksPValue)));"
                       + " Jacobian norm KS D = \(f(t.jacobianNorm.ksStatistic)) (p = \(g(t.jacobianNorm.ksPValue)))")
        }
        if let o = s.outliers {
            out.append("")
            out.append("outlier detection (\(o.outliers) outliers): FI ROC AUC \(f(o.fi.rocAUC)), AP \(f(o.fi.averagePrecision));"
                       + " Jacobian norm ROC AUC \(f(o.jacobianNorm.rocAUC)), AP \(f(o.jacobianNorm.averagePrecision))"
                       + (o.cook.map { "; Cook ROC AUC \(f($0.rocAUC)), AP \(f($0.averagePrecision))" } ?? ""))
        }
        return out.joined(separator: "\n")
    }

    private static func set(_ name: String, _ s: InfluenceSetSummary) -> [String] {
        var out = ["\(s.samples) \(name)" + (s.accuracy.map { ", accuracy \(String(format: "%.2f%%", 100 * $0))" } ?? "")]
        out.append(distribution("FI", s.fi))
        if let r = s.fiReference { out.append(distribution("FI reference", r)) }
        out.append(distribution("Jacobian norm", s.jacobianNorm))
        out.append(distribution("saturation", s.saturation))
        if let c = s.cook { out.append(distribution("Cook", c)) }
        out.append("  Spearman(FI, Jacobian norm) = \(f(s.spearmanFiJacobianNorm))")
        out.append("  most influential: " + s.fi.top.prefix(10).map { "#\($0.index) (\(g($0.value)))" }.joined(separator: " "))
        out.append("  class  count  accuracy  FI mean     FI median  JN mean    saturation")
        for c in s.perClass {
            let accuracy = c.accuracy.map { String(format: "%.1f%%", 100 * $0) } ?? "-"
            out.append("  " + [pad(String(c.label), 5, left: true), pad(String(c.count), 5, left: true), pad(accuracy, 8, left: true),
                               pad(g(c.fiMean), 10), pad(g(c.fiMedian), 10), pad(g(c.jacobianNormMean), 10),
                               String(format: "%.3f", c.saturationMean)].joined(separator: "  "))
        }
        return out
    }

    static func maps(_ s: InfluenceMapsSummary) -> String {
        var out = ["influence maps of \(s.samples) samples, scales \(s.scales.map(String.init).joined(separator: ",")), \(s.channelMode.rawValue) channels"]
        out.append(distribution("whole-input FI", s.fi))
        for scale in s.perScale {
            out.append("  k=\(scale.scale): per-sample mean \(g(scale.sampleMean.quantiles[3])) (median), max \(g(scale.sampleMax.max)),"
                       + " saturated entries \(String(format: "%.1f%%", 100 * scale.saturatedFraction))")
        }
        if let p = s.onePixel {
            out.append("one-pixel check (valid range \(g(p.validRange.lowerBound))…\(g(p.validRange.upperBound))): flip rate by pixel chosen")
            for (name, strategy) in [("largest FI", p.influence), ("largest |gradient|", p.gradient), ("random", p.random)] {
                out.append("  \(name.padding(toLength: 19, withPad: " ", startingAt: 0)) \(String(format: "%5.1f%%", 100 * strategy.flipRate))"
                           + (strategy.medianMagnitude.map { ", median move \(g($0))" } ?? ""))
            }
        }
        out.append("  most influential: " + s.fi.top.prefix(10).map { "#\($0.index) (\(g($0.value)))" }.joined(separator: " "))
        return out.joined(separator: "\n")
    }

    static func params(_ s: InfluenceParamsSummary) -> String {
        var out = ["parameter FI of \(s.samples) samples (label mode \(s.labelMode.rawValue)), per layer in graph order:"]
        out.append("  layer                          parameters  FI mean     FI median  saturation")
        for l in s.layers {
            out.append("  \(l.layer.padding(toLength: 30, withPad: " ", startingAt: 0)) \(String(l.parameters).padding(toLength: 10, withPad: " ", startingAt: 0))"
                       + "  \(g(l.fi.mean).padding(toLength: 10, withPad: " ", startingAt: 0)) \(g(l.fi.quantiles[3]).padding(toLength: 10, withPad: " ", startingAt: 0))"
                       + " \(String(format: "%.3f", l.saturationMean))")
        }
        out.append("  most sensitive layers: " + s.ranking.prefix(5).joined(separator: ", "))
        return out.joined(separator: "\n")
    }

    private static func distribution(_ name: String, _ s: ScoreSummary) -> String {
        "  \(name): median \(g(s.quantiles[3])), 5%–95% \(g(s.quantiles[1]))–\(g(s.quantiles[5])), min \(g(s.min)), max \(g(s.max)), mean \(g(s.mean))"
    }

    private static func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? fill + s : s + fill
    }

    private static func g(_ v: Double) -> String { String(format: "%.3g", v) }
    private static func f(_ v: Double) -> String { String(format: "%.3f", v) }

    static func sweep(_ s: PerturbationSweepSummary) -> String {
        var out = [String(format: "%@ %@ noise on %d samples (label mode %@); unperturbed accuracy %.4f",
                          s.noise.rawValue, s.target == .input ? "input" : "weight", s.samples, s.labelMode.rawValue, s.unperturbedAccuracy)]
        out.append("  layers                ε          accuracy (mean ± sd)   flip rate   never flipped  certified  cert. accuracy")
        for p in s.points {
            let proven = p.certifiedFraction.map { String(format: "%9.4f", $0) } ?? "        –"
            let provenAccuracy = p.certifiedAccuracy.map { String(format: "%9.4f", $0) } ?? "        –"
            let name = String(p.selection.prefix(20)).padding(toLength: 20, withPad: " ", startingAt: 0)
            out.append("  " + name + String(format: "  %-9.3g  %.4f ± %.4f        %.4f      %.4f        ", p.epsilon, p.accuracy.mean,
                                                  p.accuracy.sd, p.flipRate.mean, p.neverFlipped) + proven + "  " + provenAccuracy)
        }
        if let input = s.input {
            out.append("  \(input.flippedSamples) of \(s.samples) samples flipped at some ε (their flip radii are in flip_radii.csv)")
            if input.correlationSamples > 0 {
                out.append(String(format: "  Spearman against 1 / flip radius over %d samples: FI %.3f, Jacobian norm %.3f",
                                  input.correlationSamples, input.spearmanFI ?? .nan, input.spearmanJacobianNorm ?? .nan))
            }
        }
        if s.selections.count > 1 {
            out.append("  most sensitive first (smallest ε costing 1 / 5 / 10 points of accuracy):")
            for l in s.sensitivity {
                let cell = { (e: Double?) in e.map { String(format: "%.3g", $0) } ?? "–" }
                out.append("    \(l.selection): \(cell(l.epsilonDrop1)) / \(cell(l.epsilonDrop5)) / \(cell(l.epsilonDrop10))")
            }
        }
        return out.joined(separator: "\n")
    }

    static func solutionSet(_ s: SolutionSetSummary) -> String {
        var out = [String(format: "%d perturbed of %d training points, %d parameters, %d solves (μ = %g, %@ scaling), %d fine-tuning runs per δ",
                          s.perturbedPoints.count, s.trainingSamples, s.parameters, s.solves, s.damping, s.scaling.rawValue, s.retrainRuns)]
        let cell = { (v: Double?) in v.map { String(format: "%10.4g", $0) } ?? "         –" }
        out.append("  δ          ‖Ŝ−w̄‖ max  ‖R−w̄‖ min  h(Ŝ,R)     loss P: w̄   Ŝ          R          clean: w̄   Ŝ          R")
        for p in s.points {
            out.append("  " + String(format: "%-9.3g", p.delta) + [p.estimatedFarthestFromBase, p.retrainedDistanceFromBase, p.hausdorff,
                       p.lossesAtBase.pointLoss, p.estimatedLosses?.pointLoss, p.retrainedLosses?.pointLoss,
                       p.lossesAtBase.cleanTrainingLoss, p.estimatedLosses?.cleanTrainingLoss, p.retrainedLosses?.cleanTrainingLoss].map(cell).joined(separator: " "))
        }
        let modulus = [("empirical κ̂ (estimate)", s.empiricalModulusEstimated), ("empirical κ̂ (retrained)", s.empiricalModulusRetrained),
                       ("linearised κ = ‖H⁺B‖₂", s.linearisedModulus)].compactMap { name, v in v.map { String(format: "%@ %.4g", name, $0) } }
        if !modulus.isEmpty { out.append("  " + modulus.joined(separator: "; ")) }
        if let t = s.retrainedTrend { out.append("  the retrained set is \(t) as δ grows") }
        for u in s.unconverged {
            out.append(String(format: "  warning: solve %d did not converge: residual %.3g, LSQR measure %.3g after %d iterations (left out of Ŝ; raise --max-iterations or --damping)",
                              u.start, u.residual, u.normalEquationResidual, u.iterations))
        }
        return out.joined(separator: "\n")
    }
}
