import Foundation
import Protocol

/// What every draw of a sweep is compared with, computed once per process: the samples, their
/// labels and the unperturbed network's predictions.
final class SweepReference<S: EngineScalar>: @unchecked Sendable {
    let images: Tensor<S>
    let labels: [Int]
    let cleanPredictions: [Int]
    let correct: [Bool]
    let classes: Int
    var count: Int { labels.count }
    var accuracy: Double { Double(correct.filter { $0 }.count) / Double(max(count, 1)) }

    private init(images: Tensor<S>, labels: [Int], cleanPredictions: [Int], classes: Int) {
        self.images = images
        self.labels = labels
        self.cleanPredictions = cleanPredictions
        self.classes = classes
        correct = zip(cleanPredictions, labels).map { $0 == $1 }
    }

    static func of(_ inputs: AnalysisInputs, labelMode: LabelMode, threads: Int) -> SweepReference {
        inputs.memo("sweep-reference-\(S.self)-\(labelMode.rawValue)") {
            let model = inputs.model
            let images: Tensor<S> = inputs.primary.images.items(Array(0..<inputs.primary.count), itemShape: model.inputShape)
            let logits = inputs.network(S.self).logits(images, threads: threads)
            let predictions = argmaxRows(logits.scalars, classes: model.classes)
            let labels = labelMode == .true ? inputs.primary.labels! : predictions
            return SweepReference(images: images, labels: labels, cleanPredictions: predictions, classes: model.classes)
        }
    }

    /// One draw's metrics from its logits; adds its flips to `flipCounts`.
    func metrics(draw: Int, logits: Tensor<S>, flipCounts: inout [Int]) -> DrawMetrics {
        let k = classes
        var margins = [Double](repeating: 0, count: count)
        var (right, flips, crossEntropy) = (0, 0, 0.0)
        logits.scalars.withUnsafeBufferPointer { z in
            for i in 0..<count {
                let row = (0..<k).map { Double(z[i * k + $0]) }
                let y = labels[i]
                var best = 0, runnerUp = -Double.infinity, top = -Double.infinity
                for j in 0..<k {
                    if row[j] > top { top = row[j]; best = j }
                    if j != y { runnerUp = Swift.max(runnerUp, row[j]) }
                }
                if best == y { right += 1 }
                if best != cleanPredictions[i] { flips += 1; flipCounts[i] += 1 }
                margins[i] = row[y] - runnerUp
                let logSum = top + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - top) })
                crossEntropy += logSum - row[y]
            }
        }
        margins.sort()
        let n = Double(max(count, 1))
        return DrawMetrics(draw: draw, accuracy: Double(right) / n, flipRate: Double(flips) / n, meanCrossEntropy: crossEntropy / n,
                           marginMean: margins.reduce(0, +) / n, marginQ05: ScoreStatistics.quantile(margins, 0.05),
                           marginQ50: ScoreStatistics.quantile(margins, 0.5), marginQ95: ScoreStatistics.quantile(margins, 0.95))
    }
}

/// Index of the largest of each row of `k` (the first one on ties).
func argmaxRows<S: EngineScalar>(_ values: [S], classes k: Int) -> [Int] {
    (0..<(values.count / k)).map { i in
        var best = 0
        for j in 1..<k where values[i * k + j] > values[i * k + best] { best = j }
        return best
    }
}
