import XCTest
import ONNX
import Protocol
@testable import Engine

/// Jobs as the cluster will run them: summaries independent of sharding and delivery order,
/// results that survive their wire encoding, and bad input refused before any work starts.
final class AnalysisJobTests: XCTestCase {
    private let model = Golden.url("mlp_digits", "model.onnx")
    private let data = Golden.url("mlp_digits", "inputs.npy")
    private let labels = Golden.url("mlp_digits", "labels.npy")

    private func outliers() throws -> URL {
        try temporaryNPY(NDArray(shape: [8], storage: .int64([0, 1, 0, 0, 1, 0, 0, 0])), "outliers.npy")
    }

    private func encoded<T: Encodable>(_ value: T) throws -> Data { try SeismoJSON.encoder().encode(value) }

    /// Shard sizes 1, 7 and all-in-one, and results delivered in reverse, give byte-identical summaries.
    func testSummariesDoNotDependOnSharding() throws {
        let influence = try LocalJob(InfluenceAnalysis.self, model: model, data: data, labels: labels,
                                     comparison: (Golden.url("mlp_digits", "setvalued_train_inputs.npy"), Golden.url("mlp_digits", "setvalued_train_labels.npy")),
                                     outliers: try outliers(), options: InfluenceOptions(labelMode: .true, referenceEpsilon: 1e-3, top: 5))
        let maps = try LocalJob(InfluenceMapsAnalysis.self, model: Golden.url("dense_rgb", "model.onnx"), data: Golden.url("dense_rgb", "inputs.npy"),
                                options: InfluenceMapsOptions(referenceEpsilon: 1e-3, scales: [1, 3], channelMode: .mean, indices: [6, 2, 0]))
        let params = try LocalJob(InfluenceParamsAnalysis.self, model: Golden.url("cnn_digits", "model.onnx"),
                                  data: Golden.url("cnn_digits", "inputs.npy"), labels: Golden.url("cnn_digits", "labels.npy"),
                                  options: InfluenceParamsOptions(referenceEpsilon: 1e-3))
        let variants: [(Int, Bool)] = [(1, false), (7, true), (1_000, false)]
        let influenceSummaries = try variants.map { try encoded(influence.summary(shardSize: $0, shuffled: $1)) }
        let mapSummaries = try variants.map { try encoded(maps.summary(shardSize: $0, shuffled: $1)) }
        let paramSummaries = try variants.map { try encoded(params.summary(shardSize: $0, shuffled: $1)) }
        for summaries in [influenceSummaries, mapSummaries, paramSummaries] {
            XCTAssertEqual(summaries[0], summaries[1])
            XCTAssertEqual(summaries[0], summaries[2])
        }
        XCTAssertEqual(InfluenceAnalysis.plan(influence.job, shardSize: 7).count, 2 + 10, "8 test samples and 64 comparison samples in shards of 7")
        let summary = try SeismoJSON.decoder().decode(InfluenceSummary.self, from: influenceSummaries[0])
        XCTAssertEqual(summary.primary.samples, 8)
        XCTAssertEqual(summary.comparison?.samples, 64)
        XCTAssertEqual(summary.outliers?.outliers, 2)
        XCTAssertNotNil(summary.comparisonTest)
        XCTAssertNotNil(summary.primary.cook, "64 input coordinates: Cook's baseline is computed")
    }

    /// Shard results and jobs travel as JSON: decoding gives back equal values (maps bit for bit).
    func testResultsSurviveTheirWireEncoding() throws {
        let maps = try LocalJob(InfluenceMapsAnalysis.self, model: model, data: data, options: InfluenceMapsOptions(scales: [1, 3, 5]))
        let results = try maps.results(shardSize: 3)
        let decoded = try results.map { try SeismoJSON.decoder().decode(InfluenceMapsShardResult.self, from: encoded($0)) }
        XCTAssertEqual(decoded, results)
        let job = try SeismoJSON.decoder().decode(JobSpec<InfluenceMapsOptions>.self, from: encoded(maps.job))
        XCTAssertEqual(job, maps.job)
        XCTAssertEqual(job.options.validRange, 0...16, "the one-pixel range defaults to the data's range and is recorded in the job")
        XCTAssertThrowsError(try SeismoJSON.decoder().decode(JobSpec<InfluenceOptions>.self, from: encoded(maps.job)),
                             "a job of another kind is refused")
    }

    func testBadInputIsRefusedBeforeWork() throws {
        func refusal<A: Analysis>(_ kind: A.Type, model: URL? = nil, data: URL? = nil, labels: URL? = nil, _ options: A.Options) -> String {
            do {
                _ = try LocalJob(kind, model: model ?? self.model, data: data ?? self.data, labels: labels, options: options)
                return ""
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(refusal(InfluenceAnalysis.self, InfluenceOptions(labelMode: .true)).contains("--label-mode true needs --labels"))
        XCTAssertTrue(refusal(InfluenceAnalysis.self, InfluenceOptions(referenceEpsilon: 0)).contains("--reference-epsilon"))
        XCTAssertTrue(refusal(InfluenceAnalysis.self, InfluenceOptions(referenceEpsilon: -1e-3)).contains("--reference-epsilon"))
        XCTAssertTrue(refusal(InfluenceParamsAnalysis.self, InfluenceParamsOptions(labelMode: .true)).contains("needs --labels"))
        XCTAssertTrue(refusal(InfluenceMapsAnalysis.self, InfluenceMapsOptions(scales: [1, 4])).contains("4 is not an odd window side"))
        XCTAssertTrue(refusal(InfluenceMapsAnalysis.self, InfluenceMapsOptions(scales: [9])).contains("9 is not an odd window side between 1 and 8"))
        XCTAssertTrue(refusal(InfluenceMapsAnalysis.self, InfluenceMapsOptions(indices: [8])).contains("--indices: 8"))

        var values = try Golden.inputs("mlp_digits", Float.self).scalars
        values[3 * 64 + 10] = .nan
        let nan = try temporaryNPY(NDArray(shape: [8, 1, 8, 8], storage: .float32(values)), "nan.npy")
        XCTAssertTrue(refusal(InfluenceAnalysis.self, data: nan, InfluenceOptions()).contains("sample 3 holds nan at coordinate 10"))

        // A model whose output is an image, not a vector of class logits.
        var g = TestGraph()
        let conv = g.node("Conv", ["x", g.parameter([2, 1, 3, 3])], ["pads": .ints([1, 1, 1, 1])])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-tests-image-output.onnx")
        try OnnxFile.write(g.onnx(input: [1, 8, 8], output: conv), to: url)
        XCTAssertTrue(refusal(InfluenceAnalysis.self, model: url, InfluenceOptions()).contains("influence needs a vector of K ≥ 2 class logits"))

        // A mistaken file name is named in the error.
        let missing = URL(fileURLWithPath: "/nonexistent/x.npy")
        XCTAssertTrue(refusal(InfluenceAnalysis.self, data: missing, InfluenceOptions()).contains("/nonexistent/x.npy"))
    }
}
