import Foundation
import Protocol
import XCTest
@testable import Engine

/// The pictures of the influence kinds, written by the same export `seismo analyze` and
/// `seismo export` use: every file decodes as a PNG of the expected size, shows its data in the
/// series' colours, and appears exactly when its inputs were given.
final class InfluencePicturesTests: XCTestCase {
    private func directory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-pictures-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try? FileManager.default.removeItem(at: url)
        return url
    }

    /// The decoded picture, checked for its size and for carrying more than a blank background.
    private func picture(_ dir: URL, _ name: String, width: Int, height: Int? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> DecodedPNG {
        let png = try DecodedPNG(Data(contentsOf: dir.appendingPathComponent(name)))
        XCTAssertEqual(png.width, width, name, file: file, line: line)
        if let height { XCTAssertEqual(png.height, height, name, file: file, line: line) }
        let inked = stride(from: 0, to: png.pixels.count, by: 3).filter { png.pixels[$0..<($0 + 3)] != [255, 255, 255] }.count
        XCTAssertGreaterThan(Double(inked) / Double(png.width * png.height), 0.02, "\(name) is nearly blank", file: file, line: line)
        return png
    }

    private func pixels(of color: RGB, in png: DecodedPNG) -> Int {
        stride(from: 0, to: png.pixels.count, by: 3).filter { png.pixels[$0..<($0 + 3)] == [color.r, color.g, color.b] }.count
    }

    func testInfluencePicturesWithOutliersAndAComparisonSet() throws {
        let outliers = try temporaryNPY(NDArray(shape: [8], storage: .int64([0, 1, 0, 0, 1, 0, 0, 0])), "picture-outliers.npy")
        let job = try LocalJob(InfluenceAnalysis.self, model: Golden.url("mlp_digits", "model.onnx"), data: Golden.url("mlp_digits", "inputs.npy"),
                               labels: Golden.url("mlp_digits", "labels.npy"),
                               comparison: (Golden.url("mlp_digits", "setvalued_train_inputs.npy"), Golden.url("mlp_digits", "setvalued_train_labels.npy")),
                               outliers: outliers, options: InfluenceOptions(labelMode: .true))
        let results = try job.results(shardSize: 3)
        let summary = InfluenceAnalysis.aggregate(job.job, results: results)
        // Through the kind's catalog entry over JSON, as `seismo export` of a cluster job does.
        let dir = try directory("influence")
        let encoder = SeismoJSON.encoder()
        let files = try AnalysisCatalog.kinds[.influence]!.export(spec: encoder.encode(job.job), summary: encoder.encode(summary),
                                                                   results: results.map { try encoder.encode($0) }, inputs: job.inputs, to: dir)
        XCTAssertEqual(Set(files.filter { $0.hasSuffix(".png") }),
                       ["fi_histogram.png", "saturation_histogram.png", "roc.png", "pr.png", "fi_histogram_compare.png"])
        let (blue, orange, green) = (RGB.series[0], RGB.series[1], RGB.series[2])
        XCTAssertGreaterThan(pixels(of: blue, in: try picture(dir, "fi_histogram.png", width: 760, height: 480)), 500, "FI bars")
        XCTAssertGreaterThan(pixels(of: green, in: try picture(dir, "saturation_histogram.png", width: 760, height: 480)), 500, "saturation bars")
        for name in ["roc.png", "pr.png"] {
            // With 8 samples the three scores' curves overlap and Cook's, drawn last, covers the
            // others' along its length; each still has its legend line.
            let png = try picture(dir, name, width: 760, height: 480)
            XCTAssertGreaterThanOrEqual(pixels(of: blue, in: png), 40, "\(name): FI")
            XCTAssertGreaterThanOrEqual(pixels(of: orange, in: png), 40, "\(name): Jacobian norm")
            XCTAssertGreaterThan(pixels(of: green, in: png), 200, "\(name): Cook's curve")
        }
        let overlay = try picture(dir, "fi_histogram_compare.png", width: 760, height: 480)
        XCTAssertGreaterThan(pixels(of: blue, in: overlay), 300, "the primary set")
        XCTAssertGreaterThan(pixels(of: orange, in: overlay), 300, "the comparison set")
        // The curves the pictures draw are the summary's.
        let fi = try XCTUnwrap(summary.outliers?.fi)
        XCTAssertEqual(fi.roc?.first, CurvePoint(x: 0, y: 0))
        XCTAssertEqual(fi.roc?.last, CurvePoint(x: 1, y: 1))
        XCTAssertEqual(fi.precisionRecall?.last?.x, 1)
    }

    func testInfluencePicturesWithoutOutliersOrComparison() throws {
        let job = try LocalJob(InfluenceAnalysis.self, model: Golden.url("cnn_digits", "model.onnx"), data: Golden.url("cnn_digits", "inputs.npy"),
                               options: InfluenceOptions())
        let results = try job.results(shardSize: 4)
        let dir = try directory("influence-plain")
        let files = try InfluenceExport.write(summary: InfluenceAnalysis.aggregate(job.job, results: results), results: results, to: dir)
        XCTAssertEqual(files.filter { $0.hasSuffix(".png") }, ["fi_histogram.png", "saturation_histogram.png"])
        _ = try picture(dir, "fi_histogram.png", width: 760, height: 480)
    }

    func testLayerBoxPlots() throws {
        let job = try LocalJob(InfluenceParamsAnalysis.self, model: Golden.url("cnn_digits", "model.onnx"), data: Golden.url("cnn_digits", "inputs.npy"),
                               labels: Golden.url("cnn_digits", "labels.npy"), options: InfluenceParamsOptions())
        let results = try job.results(shardSize: 5)
        let summary = InfluenceParamsAnalysis.aggregate(job.job, results: results)
        let dir = try directory("params")
        let files = try InfluenceParamsExport.write(summary: summary, results: results, to: dir)
        XCTAssertTrue(files.contains("layers.png"))
        let png = try picture(dir, "layers.png", width: 760)
        // A key line per layer below the plot makes the picture taller with more layers.
        let layers = summary.layers.filter { $0.layer != "all" }.count
        XCTAssertGreaterThan(layers, 1)
        XCTAssertEqual(png.height, 62 + 380 + 50 + ((layers + 1) / 2) * BitmapFont.lineHeight + 10, "two key columns fit 760 pixels")
        XCTAssertGreaterThan(pixels(of: RGB(156, 195, 234), in: png), 200 * layers, "each layer's box is filled")
    }
}
