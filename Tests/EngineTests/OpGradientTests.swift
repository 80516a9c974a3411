import ONNX
import XCTest
@testable import Engine

/// Every op's backward against central finite differences in Double, w.r.t. the input and every
/// parameter, on small graphs that exercise the op's attributes.
final class OpGradientTests: XCTestCase {
    let check = GradientCheck()

    /// Builds `body` on a [2] + shape input and checks gradients; `features` is the body's output size.
    private func verify(_ shape: [Int], opset: Int = 17, features: Int, seed: UInt64 = 3, low: Double = -1,
                        file: StaticString = #filePath, line: UInt = #line,
                        _ body: (inout TestGraph, String) -> String) throws {
        var g = TestGraph()
        let y = body(&g, "x")
        let logits = g.head(y, features: features)
        let model = try g.model(input: shape, output: logits, opset: opset)
        check.run(model, input: randomTensor([2] + shape, seed: seed, low: low), file: file, line: line)
    }

    func testConvolutionWithGroupsStridesPadsDilations() throws {
        // 4×7×7, group 2, stride 2, pads (top 1, left 2, bottom 0, right 3), dilation 2 (span 5) → out 6 × 2 × 4
        try verify([4, 7, 7], features: 6 * 2 * 4) { g, x in
            g.node("Conv", [x, g.parameter([6, 2, 3, 3]), g.parameter([6])],
                   ["group": .int(2), "strides": .ints([2, 2]), "pads": .ints([1, 2, 0, 3]), "dilations": .ints([2, 2]), "kernel_shape": .ints([3, 3])])
        }
    }

    func testConvolutionSameUpperAndPointwise() throws {
        try verify([3, 5, 6], features: 4 * 3 * 3) { g, x in
            let a = g.node("Conv", [x, g.parameter([5, 3, 3, 3])], ["auto_pad": .string("SAME_UPPER"), "strides": .ints([2, 2])])
            return g.node("Conv", [a, g.parameter([4, 5, 1, 1]), g.parameter([4])])
        }
    }

    func testBatchNormalization() throws {
        try verify([3, 4, 4], features: 48) { g, x in
            g.node("BatchNormalization", [x, g.parameter([3]), g.parameter([3]), g.parameter([3]), g.parameter([3], low: 0.5, high: 2)],
                   ["epsilon": .float(1e-3)])
        }
    }

    func testActivations() throws {
        for (op, attributes) in [("Relu", [:]), ("LeakyRelu", ["alpha": OnnxAttribute.float(0.2)]), ("Sigmoid", [:]), ("Tanh", [:])] as [(String, [String: OnnxAttribute])] {
            try verify([2, 3, 3], features: 18) { g, x in g.node(op, [g.node("Mul", [x, g.parameter([2, 1, 1])])], attributes) }
        }
        try verify([2, 3, 3], opset: 17, features: 18) { g, x in
            let lo = g.parameter([], low: -0.5, high: -0.5), hi = g.parameter([], low: 0.5, high: 0.5)
            return g.node("Clip", [x, lo, hi])
        }
    }

    func testMaxPoolWithPadsAndCeilMode() throws {
        // 2×7×7, kernel 3, stride 2, pad 1, ceil → 4×4
        try verify([2, 7, 7], features: 2 * 4 * 4) { g, x in
            g.node("MaxPool", [g.node("Conv", [x, g.parameter([2, 2, 1, 1])])],
                   ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]), "ceil_mode": .int(1)])
        }
    }

    func testAveragePoolVariants() throws {
        for includePad in [0, 1] {
            try verify([2, 7, 7], features: 2 * 4 * 4) { g, x in
                g.node("AveragePool", [x], ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]),
                                            "ceil_mode": .int(1), "count_include_pad": .int(includePad)])
            }
        }
        try verify([3, 5, 4], features: 3) { g, x in g.node("GlobalAveragePool", [x]) }
    }

    func testGemmAndMatMul() throws {
        try verify([6], features: 5) { g, x in
            g.node("Gemm", [x, g.parameter([6, 5]), g.parameter([1, 5])], ["alpha": .float(0.7), "beta": .float(1.3)])
        }
        try verify([3, 4], features: 3 * 5) { g, x in g.node("MatMul", [x, g.parameter([4, 5])]) }
    }

    func testBroadcastingArithmetic() throws {
        for op in ["Add", "Sub", "Mul", "Div"] {
            try verify([3, 2, 4], features: 24, low: 0.5) { g, x in  // x > 0: Div stays away from its pole
                let a = g.node(op, [x, g.parameter([3, 1, 1], low: 1, high: 2)])
                let b = g.node(op, [g.parameter([1, 4], low: 1, high: 2), a])
                return g.node(op, [b, g.node("Sigmoid", [x])])  // two batched operands
            }
        }
    }

    func testConcatFlattenReshapeTransposePad() throws {
        try verify([2, 3, 4], features: 4 * 5 * 6) { g, x in
            let a = g.node("Conv", [x, g.parameter([1, 2, 1, 1])])
            let c = g.node("Concat", [x, g.node("Tanh", [a]), a], ["axis": .int(1)])               // 4×3×4
            let t = g.node("Transpose", [c], ["perm": .ints([0, 1, 3, 2])])                       // 4×4×3
            let p = g.node("Pad", [t, g.integers([0, 0, 1, 0, 0, 0, 0, 3])])                       // 4×5×6
            let r = g.node("Reshape", [p, g.integers([0, 20, -1])])                               // 20×6
            return g.node("Reshape", [r, g.integers([-1, 4, 5, 6])])
        }
    }

    func testSqueezeUnsqueezeReduceMeanSoftmax() throws {
        try verify([3, 4], features: 3) { g, x in
            let u = g.node("Unsqueeze", [x, g.integers([1])])                                     // 1×3×4
            let s = g.node("Squeeze", [u, g.integers([1])])                                       // 3×4
            let sm = g.node("Softmax", [g.node("Mul", [s, g.parameter([4])])], ["axis": .int(-1)])
            let ls = g.node("LogSoftmax", [sm], ["axis": .int(-1)])
            return g.node("ReduceMean", [ls], ["axes": .ints([2]), "keepdims": .int(0)])        // 3
        }
    }

    func testIdentityDropoutAndFoldedShapeArithmetic() throws {
        // Flatten through Shape → Gather → Unsqueeze → Concat → Reshape, as legacy exporters emit.
        try verify([2, 3, 3], features: 18) { g, x in
            let shape = g.node("Shape", [x])
            let batch = g.node("Gather", [shape, g.integers([0])], ["axis": .int(0)])
            let target = g.node("Concat", [batch, g.integers([-1])], ["axis": .int(0)])
            let d = g.node("Dropout", [g.node("Identity", [x])])
            return g.node("Reshape", [d, target])
        }
    }

    func testConstantConstantOfShapeAndCastFoldAtLoad() throws {
        try verify([3], features: 3) { g, x in
            let shape = g.node("Constant", [], ["value": .tensor(OnnxTensor(name: "", dims: [1], data: .int64([3])))])
            let half = g.node("ConstantOfShape", [shape], ["value": .tensor(OnnxTensor(name: "", dims: [1], data: .float32([0.5])))])
            let scale = g.node("Cast", [half], ["to": .int(11)])  // DOUBLE
            return g.node("Mul", [x, scale])
        }
    }
}
