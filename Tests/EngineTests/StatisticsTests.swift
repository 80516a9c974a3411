import Protocol
import XCTest
@testable import Engine

/// Set-level statistics (MATH.md §4) against hand-computed and brute-force values, and their
/// independence of the order in which shards deliver samples.
final class StatisticsTests: XCTestCase {
    func testSummaryValues() {
        let samples = [3.0, 1, 4, 1, 5, 9, 2, 6].enumerated().map { RankedSample(index: $0, value: $1, label: $0 % 2) }
        let summary = ScoreStatistics.summarize(samples, top: 3, bins: 4)
        XCTAssertEqual(summary.count, 8)
        XCTAssertEqual(summary.mean, 31.0 / 8, accuracy: 1e-15)
        XCTAssertEqual(summary.sd, (samples.map { ($0.value - 31.0 / 8) * ($0.value - 31.0 / 8) }.reduce(0, +) / 7).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual([summary.min, summary.max], [1, 9])
        XCTAssertEqual(ScoreStatistics.quantile([1, 2, 3, 4], 0.25), 1.75)  // NumPy: np.quantile([1,2,3,4], .25)
        XCTAssertEqual(summary.quantiles[3], 3.5)  // median of 1 1 2 3 4 5 6 9
        XCTAssertEqual(summary.top.map(\.index), [5, 7, 4])
        XCTAssertEqual(summary.histogram.counts, [3, 2, 2, 1])  // [1,3) [3,5) [5,7) [7,9] over 1 1 2 3 4 5 6 9
        XCTAssertEqual(summary.histogram.edges, [1, 3, 5, 7, 9])
        XCTAssertEqual(ScoreStatistics.perClass(samples)[1]?.count, 4)
    }

    func testLogarithmicHistogramCountsNonPositiveValuesApart() {
        let histogram = ScoreStatistics.histogram([0, 1e-6, 1e-3, 1, 1000].sorted(), bins: 3, scale: .logarithmic)
        XCTAssertEqual(histogram.nonPositive, 1)
        XCTAssertEqual(histogram.counts, [1, 1, 2])
        XCTAssertEqual(histogram.edges.first!, 1e-6, accuracy: 1e-18)
        XCTAssertEqual(histogram.edges.last!, 1000, accuracy: 1e-9)
    }

    func testSummaryDoesNotDependOnDeliveryOrder() throws {
        var generator = SeededGenerator(seed: 4)
        let samples = (0..<500).map { RankedSample(index: $0, value: generator.normal(), label: $0 % 7) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let reference = try encoder.encode(ScoreStatistics.summarize(samples))
        for _ in 0..<5 {
            let shuffled = samples.shuffled(using: &generator)
            XCTAssertEqual(try encoder.encode(ScoreStatistics.summarize(shuffled)), reference)
        }
    }

    func testKolmogorovSmirnov() {
        let apart = TwoSampleTest.compare([1, 2, 3], [4, 5, 6])
        XCTAssertEqual(apart.ksStatistic, 1)
        XCTAssertEqual(apart.meanDifference, -3)
        // scipy.stats.kstwobign.sf(sqrt(9/6)) = 0.09956…
        XCTAssertEqual(apart.ksPValue, 2 * (exp(-3.0) - exp(-12.0) + exp(-27.0)), accuracy: 1e-12)
        XCTAssertEqual(TwoSampleTest.compare([1, 1, 2], [1, 2, 2]).ksStatistic, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(TwoSampleTest.compare([1, 2, 3], [1, 2, 3]).ksPValue, 1)
    }

    func testOutlierScoresAgainstBruteForceAndScikitLearn() {
        // scikit-learn's documentation example: average_precision_score([0, 0, 1, 1], [.1, .4, .35, .8]) = 0.8333…
        let example = OutlierScoring.evaluate(scores: [0.1, 0.4, 0.35, 0.8], outliers: [false, false, true, true])
        XCTAssertEqual(example.averagePrecision, 5.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(example.rocAUC, 0.75, accuracy: 1e-15)  // roc_auc_score of the same

        var generator = SeededGenerator(seed: 9)
        for _ in 0..<20 {
            let n = 40
            let scores = (0..<n).map { _ in Double(Int(generator.unit() * 8)) }  // many ties
            let outliers = (0..<n).map { _ in generator.unit() < 0.3 }
            guard outliers.contains(true), outliers.contains(false) else { continue }
            var wins = 0.0, pairs = 0.0
            for i in 0..<n where outliers[i] {
                for j in 0..<n where !outliers[j] {
                    wins += scores[i] > scores[j] ? 1 : (scores[i] == scores[j] ? 0.5 : 0)
                    pairs += 1
                }
            }
            XCTAssertEqual(OutlierScoring.rocAUC(scores, outliers), wins / pairs, accuracy: 1e-12)
        }
    }

    func testOutlierCurvesMatchScikitLearnAndTheirAreas() {
        // roc_curve and precision_recall_curve of scikit-learn's example above.
        let example = OutlierScoring.evaluate(scores: [0.1, 0.4, 0.35, 0.8], outliers: [false, false, true, true])
        XCTAssertEqual(example.roc, [(0, 0), (0, 0.5), (0.5, 0.5), (0.5, 1), (1, 1)].map { CurvePoint(x: $0.0, y: $0.1) })
        XCTAssertEqual(example.precisionRecall, [(0.5, 1), (0.5, 0.5), (1, 2.0 / 3), (1, 0.5)].map { CurvePoint(x: $0.0, y: $0.1) })

        var generator = SeededGenerator(seed: 4)
        for _ in 0..<10 {
            let n = 3000
            let outliers = (0..<n).map { _ in generator.unit() < 0.05 }
            let scores = outliers.map { Double(Int(generator.unit() * 50)) + ($0 ? 10 : 0) }  // ties, and outliers score higher
            let full = OutlierScoring.curves(scores, outliers, spacing: 0)
            // The trapezoids under the full ROC curve are the Mann–Whitney AUC (ties count one half);
            // the steps under the full PR curve are the average precision.
            let area = zip(full.roc, full.roc.dropFirst()).reduce(0.0) { $0 + ($1.1.x - $1.0.x) * ($1.0.y + $1.1.y) / 2 }
            XCTAssertEqual(area, OutlierScoring.rocAUC(scores, outliers), accuracy: 1e-12)
            let steps = zip([CurvePoint(x: 0, y: 1)] + full.precisionRecall, full.precisionRecall).reduce(0.0) { $0 + ($1.1.x - $1.0.x) * $1.1.y }
            XCTAssertEqual(steps, OutlierScoring.averagePrecision(scores, outliers), accuracy: 1e-12)
            // Thinned: few vertices, the end points kept, and the same curves whatever order the samples came in.
            let thinned = OutlierScoring.evaluate(scores: scores, outliers: outliers)
            let roc = thinned.roc ?? []
            XCTAssertLessThanOrEqual(roc.count, 202)
            XCTAssertEqual(roc.first, CurvePoint(x: 0, y: 0))
            XCTAssertEqual(roc.last, CurvePoint(x: 1, y: 1))
            XCTAssertEqual(thinned.precisionRecall?.last, full.precisionRecall.last)
            let shuffled = Array(zip(scores, outliers)).shuffled(using: &generator)
            XCTAssertEqual(OutlierScoring.evaluate(scores: shuffled.map { $0.0 }, outliers: shuffled.map { $0.1 }), thinned)
        }
    }

    func testOverlayGridKeepsEveryCountAndComparesFractions() throws {
        let small = ScoreStatistics.histogram([0, 0.002, 0.03, 0.05, 0.4].sorted(), bins: 50, scale: .logarithmic)
        let large = ScoreStatistics.histogram((1...400).map { Double($0) / 100 }, bins: 50, scale: .logarithmic)
        XCTAssertEqual(HistogramOverlay.suggestedBins([small, large]), 6, "2√5 rounds to 4, at least 6")
        let grid = try XCTUnwrap(HistogramOverlay.grid([small, large], bins: 6))
        XCTAssertEqual(grid.edges.count, 7)
        XCTAssertEqual(grid.edges.first!, 0.002, accuracy: 1e-15)
        XCTAssertEqual(grid.edges.last!, 4, accuracy: 1e-12)
        // Fractions of each set's samples; the value ≤ 0 counts in the denominator only.
        XCTAssertEqual(grid.fractions[0].reduce(0, +), 4.0 / 5, accuracy: 1e-12)
        XCTAssertEqual(grid.fractions[1].reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(grid.fractions[0].map { ($0 * 5).rounded() }, [1, 0, 2, 0, 1, 0])  // 0.002 | 0.03, 0.05 | 0.4 over decades of 0.55
        XCTAssertNil(HistogramOverlay.grid([small, ScoreStatistics.histogram([1, 2], bins: 4, scale: .linear)], bins: 6), "scales differ")
    }
}

