import Foundation
import ONNX

/// Turns an ONNX graph into a validated `Model`: folds the static parts, infers and checks every
/// shape, compiles each remaining node, and decides which initializers are trainable parameters.
public enum ModelLoader {
    public static let supportedOpsets = 11...25

    public static func load(contentsOf url: URL) throws -> Model {
        let file = url.path
        let onnx: OnnxModel
        do {
            onnx = try OnnxFile.read(contentsOf: url)
        } catch let error as OnnxError {
            throw ModelError(file: file, place: error.place, error.problem)
        }
        do {
            return try build(onnx)
        } catch var error as ModelError {
            error.file = file
            throw error
        }
    }

    public static func build(_ onnx: OnnxModel) throws -> Model {
        guard supportedOpsets.contains(onnx.opset) else {
            throw ModelError(place: "opset", "opset \(onnx.opset) is not supported (supported: \(supportedOpsets.lowerBound)–\(supportedOpsets.upperBound))")
        }
        var builder = try GraphBuilder(onnx)
        try builder.compileNodes()
        return try builder.finish()
    }
}

/// The state of one model build.
struct GraphBuilder {
    enum Value {
        case activation(Int)
        case fixed(StaticTensor)
    }

    let onnx: OnnxModel
    var opset: Int { onnx.opset }
    var env: [String: Value] = [:]
    var activationShapes: [[Int]] = []
    var activationNames: [String] = []
    var parameters: [Model.Parameter] = []
    var parameterIndex: [String: Int] = [:]
    var constants: [Model.Constant] = []
    var constantIndex: [String: Int] = [:]
    var nodes: [Model.Node] = []
    var inputName = ""
    var fixedBatch: Int?
    var logitsName = ""
    var finalActivation: String?

    init(_ onnx: OnnxModel) throws {
        self.onnx = onnx
        for t in onnx.graph.initializers { env[t.name] = .fixed(try StaticTensor(t, initializer: true)) }
        try declareInput()
        try findLogits()
    }

    private mutating func declareInput() throws {
        guard let input = onnx.graph.inputs.first(where: { env[$0.name] == nil }) else {
            throw ModelError(place: "graph inputs", "the graph has no input that is not an initializer")
        }
        guard let dims = input.dims, dims.count >= 2 else {
            throw ModelError(place: "input '\(input.name)'", "needs a known shape [batch, …] of rank ≥ 2")
        }
        var item: [Int] = []
        for d in dims.dropFirst() {
            guard case .value(let v) = d, v > 0 else {
                throw ModelError(place: "input '\(input.name)'", "dimension \(d) must be a fixed positive size (only the batch axis may be symbolic)")
            }
            item.append(v)
        }
        if case .value(let n) = dims[0] { fixedBatch = n }
        inputName = input.name
        env[input.name] = .activation(addActivation(input.name, shape: item))
    }

    /// The logits are the graph output, or the input of a final Softmax/LogSoftmax.
    private mutating func findLogits() throws {
        guard let output = onnx.graph.outputs.first else { throw ModelError(place: "graph outputs", "the graph has no output") }
        logitsName = output.name
        if let producer = onnx.graph.nodes.last(where: { $0.outputs.first == output.name }),
           producer.opType == "Softmax" || producer.opType == "LogSoftmax", let source = producer.inputs.first {
            logitsName = source
            finalActivation = producer.opType
        }
    }

    mutating func addActivation(_ name: String, shape: [Int]) -> Int {
        activationShapes.append(shape)
        activationNames.append(name)
        return activationShapes.count - 1
    }

    /// Nodes needed for the logits, in file order.
    private func neededNodes() -> [OnnxNode] {
        var producer: [String: Int] = [:]
        for (i, n) in onnx.graph.nodes.enumerated() { for o in n.outputs where !o.isEmpty { producer[o] = i } }
        var needed = Set<Int>()
        var stack = [logitsName]
        while let name = stack.popLast() {
            guard let i = producer[name], needed.insert(i).inserted else { continue }
            stack += onnx.graph.nodes[i].inputs.filter { !$0.isEmpty }
        }
        return onnx.graph.nodes.enumerated().filter { needed.contains($0.offset) }.map(\.element)
    }

    mutating func compileNodes() throws {
        for node in neededNodes() {
            guard node.domain.isEmpty || node.domain == "ai.onnx" else {
                throw ModelError.node(node.name, node.opType, "operators of domain '\(node.domain)' are not supported")
            }
            let inputs: [Value?] = try node.inputs.map { name in
                if name.isEmpty { return nil }
                guard let v = env[name] else {
                    throw ModelError.node(node.name, node.opType, "input '\(name)' is not produced by an earlier node or initializer")
                }
                return v
            }
            try compile(node, inputs)
        }
    }

    private mutating func compile(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let statics = inputs.map { v -> StaticTensor? in if case .fixed(let t)? = v { t } else { nil } }
        let hasActivation = inputs.contains { if case .activation? = $0 { true } else { false } }
        guard let output = node.outputs.first, !output.isEmpty else {
            throw ModelError.node(node.name, node.opType, "has no output")
        }
        if node.opType == "Shape", case .activation(let a)? = inputs.first {
            env[output] = .fixed(try ConstantFolding.shapeOfActivation(activationShapes[a], node))
            return
        }
        if !hasActivation {
            guard ConstantFolding.foldableOps.contains(node.opType) else {
                throw ModelError.node(node.name, node.opType, "has only constant inputs and cannot be evaluated at load")
            }
            env[output] = .fixed(try ConstantFolding.evaluate(node, statics, opset: opset))
            return
        }
        try compileActivationNode(node, inputs)
    }

    func finish() throws -> Model {
        guard case .activation(let logits)? = env[logitsName] else {
            throw ModelError(place: "output '\(logitsName)'", "the logits do not depend on the input")
        }
        var model = Model(
            graphName: onnx.graph.name, opset: opset, producer: onnx.producerName, inputName: inputName,
            inputShape: activationShapes[0], outputName: onnx.graph.outputs[0].name, logitsName: logitsName,
            finalActivation: finalActivation, nodes: nodes, parameters: parameters, constants: constants,
            activationShapes: activationShapes, activationNames: activationNames, logitsActivation: logits,
            layers: [], fixedBatch: fixedBatch, source: withoutParameterValues(onnx))
        model.layers = LayerGrouping.layers(of: model)
        return model
    }

    /// The source graph without the values of parameter initializers: the model holds them
    /// (and `ModelWriter` puts them back), so a second copy of every weight is not kept.
    private func withoutParameterValues(_ onnx: OnnxModel) -> OnnxModel {
        var source = onnx
        for i in source.graph.initializers.indices where parameterIndex[source.graph.initializers[i].name] != nil {
            switch source.graph.initializers[i].data {
            case .float32: source.graph.initializers[i].data = .float32([])
            case .float64: source.graph.initializers[i].data = .float64([])
            default: break
            }
        }
        return source
    }
}
