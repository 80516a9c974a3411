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
}
