import ArgumentParser
import Engine
import Foundation

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model's input, output, operators and layers with their parameter counts.",
        discussion: "The logits are the graph output, or the input of a final Softmax/LogSoftmax node.")

    @Argument(help: "An ONNX model file.") var model: String
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let m = try ModelLoader.load(contentsOf: URL(fileURLWithPath: model))
        if json {
            let data = try JSONEncoder.pretty.encode(ModelDescription(m))
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("model     \(model)")
        print("producer  \(m.producer.isEmpty ? "unknown" : m.producer), opset \(m.opset)")
        print("input     \(m.inputName)  [\(m.fixedBatch.map(String.init) ?? "N"), \(m.inputShape.map(String.init).joined(separator: ", "))]")
        print("output    \(m.outputName)\(m.finalActivation.map { "  (\($0) of logits '\(m.logitsName)')" } ?? "")")
        print("classes   \(m.classes)")
        print("ops       \(m.opTypes.joined(separator: ", "))  (\(m.nodes.count) nodes after folding)")
        print("params    \(m.parameterCount) in \(m.parameters.count) tensors")
        print("\nlayers")
        let width = max(5, m.layers.map(\.name.count).max() ?? 0)
        for (i, layer) in m.layers.enumerated() {
            let count = layer.parameters.reduce(0) { $0 + m.parameters[$1].count }
            let shapes = layer.parameters.map { "\(m.parameters[$0].name)\(m.parameters[$0].shape)" }.joined(separator: " ")
            print(String(format: "%3d  ", i) + layer.name.padding(toLength: width, withPad: " ", startingAt: 0)
                  + "  " + layer.opType.padding(toLength: 18, withPad: " ", startingAt: 0)
                  + String(format: "%10d  ", count) + shapes)
        }
    }
}

/// The machine-readable form of `seismo inspect --json`.
struct ModelDescription: Codable {
    struct Layer: Codable { var name: String; var op: String; var parameters: Int; var tensors: [String] }
    var input: String
    var inputShape: [Int]
    var output: String
    var logits: String
    var classes: Int
    var opset: Int
    var ops: [String]
    var parameters: Int
    var layers: [Layer]

    init(_ m: Model) {
        input = m.inputName
        inputShape = m.inputShape
        output = m.outputName
        logits = m.logitsName
        classes = m.classes
        opset = m.opset
        ops = m.opTypes
        parameters = m.parameterCount
        layers = m.layers.map { l in
            Layer(name: l.name, op: l.opType, parameters: l.parameters.reduce(0) { $0 + m.parameters[$1].count },
                  tensors: l.parameters.map { m.parameters[$0].name })
        }
    }
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return e
    }
}
