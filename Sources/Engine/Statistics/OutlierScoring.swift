import Protocol

/// How well a score ranks outliers (label 1) above the rest (label 0).
public enum OutlierScoring {
    /// ROC AUC by the Mann–Whitney statistic (tied scores count one half) and average precision
    /// as scikit-learn defines it (thresholds at the distinct scores, descending).
    public static func evaluate(scores: [Double], outliers: [Bool]) -> OutlierDetection {
        precondition(scores.count == outliers.count)
        return OutlierDetection(rocAUC: rocAUC(scores, outliers), averagePrecision: averagePrecision(scores, outliers))
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
