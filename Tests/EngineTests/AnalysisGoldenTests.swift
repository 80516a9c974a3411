import XCTest
import Protocol
@testable import Engine

/// The three influence kinds, run as jobs (plan → execute → aggregate), against the golden
/// numbers: every case, both label modes, exact and reference mode, every channel mode given.
/// Tolerances are the golden README's for a Float32 engine.
final class AnalysisGoldenTests: XCTestCase {
    func testInfluenceJobsMatchGolden() throws {
        for name in Golden.networkCases {
            let expected = try Golden.json(name, "expected.json")
            let cook = expected["cook"] as? [String: Any]
            for mode in LabelMode.allCases {
                let job = try LocalJob(InfluenceAnalysis.self, model: Golden.url(name, "model.onnx"), data: Golden.url(name, "inputs.npy"),
                                       labels: Golden.url(name, "labels.npy"),
                                       options: InfluenceOptions(labelMode: mode, referenceEpsilon: 1e-3))
                let rows = try job.results(shardSize: 3).flatMap(\.samples).sorted { $0.index < $1.index }
                let golden = (expected["sample_influence"] as! [String: Any])[mode.rawValue] as! [String: Any]
                let column = { (key: String) in golden[key] as! [Double] }
                for (n, row) in rows.enumerated() {
                    let place = "\(name) \(mode) sample \(n)"
                    XCTAssertEqual(row.label, (golden["y"] as! [Int])[n], place)
                    XCTAssertEqual(row.rank, (golden["rank"] as! [Int])[n], place)
                    assertClose(row.fi, column("fi")[n], place + " fi")
                    assertClose(row.fiReference!, column("fi_reference")[n], place + " fi_reference")
                    assertClose(row.jacobianNorm, column("jacobian_norm")[n], place + " jacobian norm")
                    assertClose(row.saturation, column("saturation")[n], place + " saturation")
                    assertClose(row.pLabel, column("p_y")[n], place + " p_y")
                    if let values = cook?[mode.rawValue] as? [Double] {
                        assertClose(row.cook!, values[n], place + " cook")
                    } else {
                        XCTAssertNil(row.cook, place)
                    }
                }
            }
        }
    }

    func testMapJobsMatchGolden() throws {
        for name in Golden.networkCases {
            let settings = try Golden.json(name, "expected.json")["maps"] as! [String: Any]
            let samples = settings["samples"] as! [Int]
            for mode in (settings["channel_modes"] as! [String]).compactMap(InfluenceMapsOptions.ChannelMode.init(rawValue:)) {
                let options = InfluenceMapsOptions(labelMode: .predicted, referenceEpsilon: 1e-3, scales: settings["scales"] as! [Int],
                                                   channelMode: mode, indices: samples, onePixelCheck: false)
                let job = try LocalJob(InfluenceMapsAnalysis.self, model: Golden.url(name, "model.onnx"),
                                       data: Golden.url(name, "inputs.npy"), options: options)
                let rows = try job.results(shardSize: 1).flatMap(\.samples)
                for (variant, values) in [("exact", rows.map(\.maps.values)), ("reference", rows.map { $0.mapsReference!.values })] {
                    let golden = try Golden.doubles(name, "maps_\(variant)_\(mode.rawValue).npy")
                    let fragile = try Golden.array(name, "maps_\(variant)_\(mode.rawValue)_fragile.npy").integers!
                    let size = golden.count / samples.count
                    for n in samples.indices {
                        let range = (n * size)..<((n + 1) * size)
                        let scale = golden[range].max()!
                        XCTAssertEqual(values[n].count, size)
                        for (e, g) in zip(range, golden[range]) where fragile[e] == 0 {
                            XCTAssertEqual(Double(values[n][e - range.lowerBound]), g, accuracy: 1e-3 * scale,
                                           "\(name) \(mode) \(variant) sample \(n) entry \(e - range.lowerBound)")
                        }
                    }
                }
            }
        }
    }

    func testParameterJobsMatchGolden() throws {
        for name in Golden.networkCases {
            let golden = try Golden.json(name, "param_influence.json")
            let layers = golden["layers"] as! [[String: Any]]
            let job = try LocalJob(InfluenceParamsAnalysis.self, model: Golden.url(name, "model.onnx"), data: Golden.url(name, "inputs.npy"),
                                   labels: Golden.url(name, "labels.npy"), options: InfluenceParamsOptions(labelMode: .true, referenceEpsilon: 1e-3))
            let results = try job.results(shardSize: 5)
            XCTAssertEqual(results[0].layers.map(\.name), layers.map { $0["name"] as! String }, name)
            XCTAssertEqual(results[0].layers.map(\.parameters), layers.map { $0["m"] as! Int }, name)
            let rows = results.flatMap(\.samples).sorted { $0.index < $1.index }
            for (l, layer) in layers.enumerated() {
                for (n, row) in rows.enumerated() {
                    let place = "\(name) \(layer["name"]!) sample \(n)"
                    assertClose(row.fi[l], (layer["fi"] as! [Double])[n], place)
                    assertClose(row.fiReference![l], (layer["fi_reference"] as! [Double])[n], place + " reference")
                    XCTAssertEqual(row.rank[l], (layer["rank"] as! [Int])[n], place)
                }
            }
        }
    }

    private func assertClose(_ actual: Double, _ expected: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual, expected, accuracy: 1e-3 * abs(expected), what, file: file, line: line)
    }
}
