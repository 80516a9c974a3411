import ONNX

/// Assembles an ONNX graph node by node, with seeded He-uniform initial weights. Each method
/// adds one layer and returns the name of its output tensor.
struct GraphAssembler {
    private(set) var nodes: [OnnxNode] = []
    private(set) var initializers: [OnnxTensor] = []
    private var generator: SeededGenerator
    private var counter: [String: Int] = [:]

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    private mutating func name(_ prefix: String) -> String {
        counter[prefix, default: 0] += 1
        return "\(prefix)_\(counter[prefix]!)"
    }

    private mutating func node(_ op: String, _ inputs: [String], _ attributes: [String: OnnxAttribute] = [:], prefix: String? = nil) -> String {
        let nodeName = name(prefix ?? op.lowercased())
        let output = nodeName + "_out"
        nodes.append(OnnxNode(name: nodeName, opType: op, domain: "", inputs: inputs, outputs: [output], attributes: attributes))
        return output
    }

    /// A uniform(−bound, bound) float initializer.
    private mutating func uniform(_ name: String, _ dims: [Int], bound: Double) -> String {
        let values = (0..<dims.reduce(1, *)).map { _ in Float((2 * generator.unit() - 1) * bound) }
        initializers.append(OnnxTensor(name: name, dims: dims, data: .float32(values)))
        return name
    }

    private mutating func filled(_ name: String, _ dims: [Int], _ value: Float) -> String {
        initializers.append(OnnxTensor(name: name, dims: dims, data: .float32(Array(repeating: value, count: dims.reduce(1, *)))))
        return name
    }

    mutating func conv(_ x: String, _ cin: Int, _ cout: Int, kernel: Int, stride: Int = 1, bias: Bool = true) -> String {
        let n = name("conv")
        let fanIn = Double(cin * kernel * kernel)
        var inputs = [x, uniform(n + ".weight", [cout, cin, kernel, kernel], bound: (6 / fanIn).squareRoot())]
        if bias { inputs.append(uniform(n + ".bias", [cout], bound: 1 / fanIn.squareRoot())) }
        let p = kernel / 2
        return node("Conv", inputs, ["kernel_shape": .ints([kernel, kernel]), "strides": .ints([stride, stride]),
                                     "pads": .ints([p, p, p, p]), "dilations": .ints([1, 1]), "group": .int(1)], prefix: n)
    }

    mutating func batchNorm(_ x: String, _ channels: Int) -> String {
        let n = name("bn")
        return node("BatchNormalization",
                    [x, filled(n + ".weight", [channels], 1), filled(n + ".bias", [channels], 0),
                     filled(n + ".running_mean", [channels], 0), filled(n + ".running_var", [channels], 1)],
                    ["epsilon": .float(1e-5), "momentum": .float(0.9)], prefix: n)
    }

    mutating func relu(_ x: String) -> String { node("Relu", [x]) }

    mutating func maxPool(_ x: String, _ k: Int) -> String {
        node("MaxPool", [x], ["kernel_shape": .ints([k, k]), "strides": .ints([k, k])])
    }

    mutating func averagePool(_ x: String, _ k: Int) -> String {
        node("AveragePool", [x], ["kernel_shape": .ints([k, k]), "strides": .ints([k, k])])
    }

    mutating func globalAveragePool(_ x: String) -> String { node("GlobalAveragePool", [x]) }
    mutating func flatten(_ x: String) -> String { node("Flatten", [x], ["axis": .int(1)]) }
    mutating func add(_ a: String, _ b: String) -> String { node("Add", [a, b]) }
    mutating func concat(_ parts: [String]) -> String { node("Concat", parts, ["axis": .int(1)]) }

    mutating func gemm(_ x: String, _ inputs: Int, _ outputs: Int) -> String {
        let n = name("fc")
        let fanIn = Double(inputs)
        return node("Gemm", [x, uniform(n + ".weight", [outputs, inputs], bound: (6 / fanIn).squareRoot()),
                             uniform(n + ".bias", [outputs], bound: 1 / fanIn.squareRoot())],
                    ["transB": .int(1), "alpha": .float(1), "beta": .float(1)], prefix: n)
    }

    /// Multiplies by a fixed factor held in a Constant node (a constant, never trained).
    mutating func scale(_ x: String, by factor: Double) -> String {
        let c = node("Constant", [], ["value": .tensor(OnnxTensor(name: "", dims: [], data: .float32([Float(factor)])))])
        return node("Mul", [x, c])
    }
}
