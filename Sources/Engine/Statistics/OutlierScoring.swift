import Protocol

/// How well a score ranks outliers (label 1) above the rest (label 0).
public enum OutlierScoring {
    /// ROC AUC by the Mann–Whitney statistic (tied scores count one half) and average precision
    /// as scikit-learn defines it (thresholds at the distinct scores, descending).
    public static func evaluate(scores: [Double], outliers: [Bool]) -> OutlierDetection {
        precondition(scores.count == outliers.count)
        let (roc, precisionRecall) = curves(scores, outliers)
        return OutlierDetection(rocAUC: rocAUC(scores, outliers), averagePrecision: averagePrecision(scores, outliers),
                                roc: roc, precisionRecall: precisionRecall)
    }

    /// The ROC and precision–recall curves with one vertex per distinct score (descending), as
    /// scikit-learn's `roc_curve` and `precision_recall_curve` draw them, thinned for a summary:
    /// a vertex is kept when it lies at least `spacing` (in |Δx| + |Δy|) from the last one kept,
    /// and the last is always kept — a ROC curve then has at most about 2 / `spacing` vertices.
    /// Ties sit at one threshold, so the curves depend only on the (score, label) pairs.
    static func curves(_ scores: [Double], _ outliers: [Bool], spacing: Double = 0.01) -> (roc: [CurvePoint], precisionRecall: [CurvePoint]) {
        let positives = outliers.filter { $0 }.count, negatives = outliers.count - positives
        guard positives > 0, negatives > 0 else { return ([], []) }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var roc = [CurvePoint(x: 0, y: 0)], precisionRecall: [CurvePoint] = []
        var (truePositives, falsePositives, i) = (0, 0, 0)
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            for t in i...j { if outliers[order[t]] { truePositives += 1 } else { falsePositives += 1 } }
            let recall = Double(truePositives) / Double(positives)
            roc.append(CurvePoint(x: Double(falsePositives) / Double(negatives), y: recall))
            precisionRecall.append(CurvePoint(x: recall, y: Double(truePositives) / Double(j + 1)))
            i = j + 1
        }
        return (thinned(roc, spacing), thinned(precisionRecall, spacing))
    }

    static func thinned(_ points: [CurvePoint], _ spacing: Double) -> [CurvePoint] {
        guard var last = points.first else { return [] }
        var kept = [last]
        for (n, p) in points.enumerated().dropFirst() where n == points.count - 1 || abs(p.x - last.x) + abs(p.y - last.y) >= spacing {
            kept.append(p)
            last = p
        }
        return kept
    }

    static func rocAUC(_ scores: [Double], _ outliers: [Bool]) -> Double {
        let positives = outliers.filter { $0 }.count, negatives = outliers.count - positives
        guard positives > 0, negatives > 0 else { return .nan }
        // Sum of the positives' mid-ranks.
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0, i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let midRank = Double(i + j) / 2 + 1
            for t in i...j where outliers[order[t]] { rankSum += midRank }
            i = j + 1
        }
        let u = rankSum - Double(positives * (positives + 1)) / 2
        return u / Double(positives * negatives)
    }

    static func averagePrecision(_ scores: [Double], _ outliers: [Bool]) -> Double {
        let positives = outliers.filter { $0 }.count
        guard positives > 0 else { return .nan }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var (truePositives, seen, previousRecall, ap) = (0, 0, 0.0, 0.0)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            for t in i...j where outliers[order[t]] { truePositives += 1 }
            seen = j + 1
            let recall = Double(truePositives) / Double(positives)
            ap += (recall - previousRecall) * Double(truePositives) / Double(seen)
            previousRecall = recall
            i = j + 1
        }
        return ap
    }
}
