import XCTest
import ONNX
import Protocol
@testable import Engine

/// MATH.md §1.1's facts, on the golden models and on random models, through the analyses:
/// 0 ≤ FI ≤ (1 − p_y)/p_y, saturation 1 at rank K − 1, monotone in the window, the m = 1 closed
/// form, and invariance under rescaling the input (which the Jacobian norm is not).
final class InfluencePropertyTests: XCTestCase {
    /// Random-weight models of the zoo, written to temporary ONNX files, with random inputs.
    private func randomCase(_ architecture: Architecture, seed: UInt64, inputScale: Double = 1, dataScale: Double = 1) throws -> (URL, URL) {
        let spec = ModelZoo.Specification(architecture: architecture, inputShape: [2, 8, 8], classes: 5, inputScale: inputScale, seed: seed)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-tests-\(architecture.rawValue)-\(seed)-\(inputScale).onnx")
        try ModelWriter.write(ModelZoo.build(spec), to: url)
        let x = randomTensor([6, 2, 8, 8], seed: seed + 100, low: 0, high: 1).scalars.map { Float($0 * dataScale) }
        return (url, try temporaryNPY(NDArray(shape: [6, 2, 8, 8], storage: .float32(x)), "random-\(seed)-\(dataScale).npy"))
    }

    private var cases: [(name: String, model: URL, data: URL)] {
        get throws {
            try Golden.networkCases.map { ($0, Golden.url($0, "model.onnx"), Golden.url($0, "inputs.npy")) }
                + [Architecture.cnn, .resnet, .mlp].enumerated().map { n, arch in
                    let (model, data) = try randomCase(arch, seed: UInt64(n + 1))
                    return ("random \(arch.rawValue)", model, data)
                }
        }
    }

    func testSampleInfluenceIsBoundedAndSaturatesAtFullRank() throws {
        for c in try cases {
            let job = try LocalJob(InfluenceAnalysis.self, model: c.model, data: c.data, options: InfluenceOptions(precision: .double))
            let k = job.inputs.model.classes
            for row in try job.results(shardSize: 4).flatMap(\.samples) {
                let bound = row.fi / max(row.saturation, 1e-300)
                XCTAssertGreaterThanOrEqual(row.fi, 0, c.name)
                XCTAssertLessThanOrEqual(row.saturation, 1 + 1e-9, c.name)
                if row.rank == k - 1 { XCTAssertEqual(row.saturation, 1, accuracy: 1e-6, "\(c.name) sample \(row.index) at rank K − 1") }
                XCTAssertLessThanOrEqual(row.fi, bound * (1 + 1e-9), c.name)
            }
        }
    }

    /// Nested windows never lower FI; scale-1 entries are the m = 1 closed form; all stay under the bound.
    func testMapsAreMonotoneInTheWindowAndMatchTheClosedFormAtOnePixel() throws {
        for c in try cases {
            let options = InfluenceMapsOptions(precision: .double, scales: [1, 3, 5], channelMode: .separate, onePixelCheck: false)
            let job = try LocalJob(InfluenceMapsAnalysis.self, model: c.model, data: c.data, options: options)
            let model = job.inputs.model
            let network = Network<Double>(model)
            for row in try job.results(shardSize: 8).flatMap(\.samples) {
                let plane = model.inputCount
                let maps = row.maps.values.map(Double.init)
                for e in 0..<plane {
                    XCTAssertLessThanOrEqual(maps[e], maps[plane + e] * (1 + 1e-5) + 1e-12 * row.fiBound, "\(c.name) k=1 ≤ k=3 at \(e)")
                    XCTAssertLessThanOrEqual(maps[plane + e], maps[2 * plane + e] * (1 + 1e-5) + 1e-12 * row.fiBound, "\(c.name) k=3 ≤ k=5 at \(e)")
                    XCTAssertLessThanOrEqual(maps[2 * plane + e], row.fiBound * (1 + 1e-6), c.name)
                }
                // m = 1 against the closed form from an independent Double Jacobian.
                let x: Tensor<Double> = job.inputs.primary.images.items([row.index], itemShape: model.inputShape)
                let j = network.inputJacobians(x, threads: 1).scalars
                let geometry = OutputGeometry(logits: network.logits(x).scalars)
                let k = model.classes
                for e in stride(from: 0, to: plane, by: 7) {
                    let closed = InfluenceMeasure.singleCoordinate(column: (0..<k).map { j[$0 * plane + e] }, geometry: geometry, label: row.label)
                    XCTAssertEqual(maps[e], closed, accuracy: 1e-5 * max(closed, 1e-6 * row.fiBound), "\(c.name) m = 1 at \(e)")
                }
            }
        }
    }

    /// The same network taking pixels in 0–255 (scaled by 1/255 inside) or in 0–1: FI is the same,
    /// the Jacobian norm differs by the factor 255.
    func testInfluenceIsInvariantUnderRescalingTheInput() throws {
        for arch in [Architecture.cnn, .mlp] {
            let (unitModel, unitData) = try randomCase(arch, seed: 9)
            let (byteModel, byteData) = try randomCase(arch, seed: 9, inputScale: 1.0 / 255, dataScale: 255)
            let run = { (model: URL, data: URL) in
                try LocalJob(InfluenceAnalysis.self, model: model, data: data, options: InfluenceOptions(referenceEpsilon: 1e-3, precision: .double))
                    .results(shardSize: 8).flatMap(\.samples)
            }
            let (unit, byte) = (try run(unitModel, unitData), try run(byteModel, byteData))
            for (a, b) in zip(unit, byte) {
                XCTAssertEqual(a.predicted, b.predicted)
                XCTAssertEqual(b.fi, a.fi, accuracy: 1e-5 * a.fi, "\(arch) FI invariant, sample \(a.index)")
                XCTAssertEqual(b.jacobianNorm * 255, a.jacobianNorm, accuracy: 1e-5 * a.jacobianNorm, "\(arch) JN scales with the input")
            }
            // (Data and the 1/255 factor are Float32: the two networks agree to ~1e-7, not exactly.)
            // The reference mode is not invariant (MATH.md §1.2): its ε is in the input's units.
            XCTAssertTrue(zip(unit, byte).contains { abs($0.fiReference! - $1.fiReference!) > 1e-6 * $0.fiReference! }, "\(arch)")
        }
    }
}
