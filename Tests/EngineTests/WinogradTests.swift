import XCTest
@testable import Engine

/// Winograd F(2×2, 3×3) and F(4×4, 3×3) against im2col + GEMM, for the forward pass and the
/// input gradient (on shared F(2×2) forward filters, or its own F(4×4) ones), on odd and even
/// planes and every pad from 0 to 2.
final class WinogradTests: XCTestCase {
    override func tearDown() {
        WinogradPlan.minimumChannels = 16
        WinogradPlan.largeTileMinimumSide = 8
    }

    private func convolution(height: Int, width: Int, pads: [Int], channels: Int = 3, outputs: Int = 5) -> Convolution {
        let geometry = ConvolutionGeometry(channels: channels, height: height, width: width, kernelHeight: 3, kernelWidth: 3,
                                           padTop: pads[0], padLeft: pads[1], padBottom: pads[2], padRight: pads[3])
        return Convolution(geometry: geometry, outputChannels: outputs, groups: 1, hasBias: true)
    }

    private func compare(_ conv: Convolution, batch: Int = 2) {
        let x = randomTensor([batch, conv.geometry.channels, conv.geometry.height, conv.geometry.width], seed: 1)
        let w = randomTensor([conv.outputChannels, conv.geometry.channels, 3, 3], seed: 2)
        let b = randomTensor([conv.outputChannels], seed: 3)
        let dy = randomTensor([batch * 3] + conv.outputItemShape, seed: 4)
        let step = BackwardStep<Double>(inputs: [x, w, b], output: dy, memo: nil, needs: [.perItem, .none, .none], replication: 3)

        WinogradPlan.minimumChannels = 1_000_000
        XCTAssertFalse(conv.usesWinograd)
        let (y0, dx0) = (conv.forward(x, w, b, batch: batch), conv.backward(dy, step)[0]!)
        WinogradPlan.minimumChannels = 1
        XCTAssertTrue(conv.usesWinograd)
        let (y1, dx1) = (conv.forward(x, w, b, batch: batch), conv.backward(dy, step)[0]!)

        XCTAssertEqual(y1.shape, y0.shape)
        XCTAssertEqual(dx1.shape, dx0.shape)
        for (a, e) in zip(y1.scalars, y0.scalars) { XCTAssertEqual(a, e, accuracy: 1e-12 * max(1, abs(e))) }
        for (a, e) in zip(dx1.scalars, dx0.scalars) { XCTAssertEqual(a, e, accuracy: 1e-12 * max(1, abs(e))) }
    }

    func testMatchesIm2colForEveryPadAndPlaneParity() {
        for largeTileSide in [1_000_000, 1] {
            WinogradPlan.largeTileMinimumSide = largeTileSide
            for (height, width) in [(5, 7), (6, 6), (3, 4), (8, 5), (9, 11), (10, 17), (16, 16)] {
                for pads in [[1, 1, 1, 1], [0, 0, 0, 0], [2, 1, 0, 2], [0, 2, 2, 1]] {
                    compare(convolution(height: height, width: width, pads: pads))
                }
            }
        }
    }

    func testTileSizeFollowsThePlane() {
        let g = convolution(height: 8, width: 9, pads: [1, 1, 1, 1], channels: 16, outputs: 16).geometry
        XCTAssertEqual(WinogradPlan(forward: g, outputChannels: 16).tile, .f4)
        XCTAssertEqual(WinogradPlan(inputGradientOf: g, outputChannels: 16).tile, .f4)
        let small = convolution(height: 4, width: 4, pads: [1, 1, 1, 1], channels: 16, outputs: 16).geometry
        XCTAssertEqual(WinogradPlan(forward: small, outputChannels: 16).tile, .f2)
        XCTAssertTrue(WinogradPlan(inputGradientOf: small, outputChannels: 16).sharesForwardFilters)
    }

    /// Float against Double: F(2×2) within 2e-6 of the largest output, F(4×4) (whose transforms
    /// scale by up to 5 and 1/24) within 1e-5 (measured: 2.7e-6).
    func testFloatMatchesDoubleClosely() {
        WinogradPlan.minimumChannels = 1
        for (largeTileSide, tolerance) in [(1_000_000, 2e-6), (1, 1e-5)] {
            WinogradPlan.largeTileMinimumSide = largeTileSide
            let conv = convolution(height: 9, width: 9, pads: [1, 1, 1, 1], channels: 32, outputs: 32)
            let x = randomTensor([1, 32, 9, 9], seed: 5), w = randomTensor([32, 32, 3, 3], seed: 6)
            let exact = conv.forward(x, w, nil, batch: 1)
            let single = conv.forward(x.converted(to: Float.self), w.converted(to: Float.self), nil, batch: 1)
            let scale = exact.scalars.map(abs).max()!
            for (a, e) in zip(single.scalars, exact.scalars) { XCTAssertEqual(Double(a), e, accuracy: tolerance * scale) }
        }
    }

    /// Through a whole residual network whose 3×3 convolutions all take the Winograd routes
    /// (F(4×4) on the 16×16 and 8×8 stages, F(2×2) on 4×4), the Float input Jacobian stays
    /// within 1e-4 of the Double one, well inside the 1e-3 the golden cases allow.
    func testFloatJacobianOfAResidualNetworkStaysClose() throws {
        let model = try ModelLoader.build(ModelZoo.build(.init(architecture: .resnet, inputShape: [1, 16, 16], classes: 10, seed: 3)))
        XCTAssertTrue(model.nodes.contains { if case .convolution(let c) = $0.operation { c.usesWinograd } else { false } })
        let x = randomTensor([2, 1, 16, 16], seed: 9, low: 0, high: 1)
        let exact = Network<Double>(model).inputJacobians(x, threads: 1)
        let single = Network<Float>(model).inputJacobians(x.converted(to: Float.self), threads: 1)
        let perSample = exact.count / 2
        for s in 0..<2 {
            let range = (s * perSample)..<((s + 1) * perSample)
            let scale = exact.scalars[range].map(abs).max()!
            let worst = range.map { abs(Double(single.scalars[$0]) - exact.scalars[$0]) }.max()!
            XCTAssertLessThanOrEqual(worst, 1e-4 * scale, "sample \(s)")
        }
    }
}
