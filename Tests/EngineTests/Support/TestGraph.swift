import ONNX
@testable import Engine

/// Builds small ONNX graphs for op-level tests, with seeded random initializers.
struct TestGraph {
    var nodes: [OnnxNode] = []
    var initializers: [OnnxTensor] = []
    var generator = SeededGenerator(seed: 42)
    private var count = 0

    mutating func parameter(_ dims: [Int], low: Double = -1, high: Double = 1) -> String {
        count += 1
        let name = "p\(count)"
        let values = (0..<dims.reduce(1, *)).map { _ in Float(low + (high - low) * generator.unit()) }
        initializers.append(OnnxTensor(name: name, dims: dims, data: .float32(values)))
        return name
    }

    mutating func integers(_ values: [Int]) -> String {
        count += 1
        let name = "i\(count)"
        initializers.append(OnnxTensor(name: name, dims: [values.count], data: .int64(values.map(Int64.init))))
        return name
    }

    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], _ attributes: [String: OnnxAttribute] = [:]) -> String {
        count += 1
        let output = "t\(count)"
        nodes.append(OnnxNode(name: "\(op.lowercased())_\(count)", opType: op, domain: "", inputs: inputs, outputs: [output], attributes: attributes))
        return output
    }

    /// Ends the graph with Flatten + Gemm to `classes` logits.
    mutating func head(_ x: String, features: Int, classes: Int = 3) -> String {
        let flat = node("Flatten", [x], ["axis": .int(1)])
        return node("Gemm", [flat, parameter([classes, features]), parameter([classes])], ["transB": .int(1)])
    }

    func onnx(input: [Int], output: String, opset: Int = 17) -> OnnxModel {
        let graph = OnnxGraph(
            name: "test", nodes: nodes, initializers: initializers,
            inputs: [OnnxValueInfo(name: "x", elementType: .float, dims: [.symbol("N")] + input.map { .value($0) })],
            outputs: [OnnxValueInfo(name: output, elementType: .float, dims: nil)], valueInfo: [])
        return OnnxModel(irVersion: 8, opsetImports: ["": opset], producerName: "test", producerVersion: "", graph: graph)
    }

    func model(input: [Int], output: String, opset: Int = 17) throws -> Model {
        try ModelLoader.build(onnx(input: input, output: output, opset: opset))
    }
}

/// Random tensors for tests.
func randomTensor(_ shape: [Int], seed: UInt64, low: Double = -1, high: Double = 1) -> Tensor<Double> {
    var g = SeededGenerator(seed: seed)
    return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in low + (high - low) * g.unit() })
}

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
