/// Groups parameters into layers: a node that consumes trainable parameters is a layer named after
/// the node; a MatMul whose output feeds an Add of a parameter (a Linear layer exported as
/// MatMul + Add) is one layer holding both, named after the MatMul.
enum LayerGrouping {
    static func layers(of model: Model) -> [Model.Layer] {
        var layers: [Model.Layer] = []
        var layerOfOutput: [Int: Int] = [:]  // activation → index of a MatMul layer producing it
        var consumers: [Int: Int] = [:]
        for node in model.nodes { for case .activation(let a) in node.inputs { consumers[a, default: 0] += 1 } }
        for node in model.nodes {
            var params: [Int] = []
            for case .parameter(let p) in node.inputs where !params.contains(p) { params.append(p) }
            guard !params.isEmpty else { continue }
            if node.opType == "Add", let merged = matMulLayer(feeding: node, layerOfOutput, consumers) {
                layers[merged].parameters += params.filter { !layers[merged].parameters.contains($0) }
                continue
            }
            layers.append(Model.Layer(name: node.name, opType: node.opType, parameters: params))
            if node.opType == "MatMul" { layerOfOutput[node.output] = layers.count - 1 }
        }
        return layers
    }

    private static func matMulLayer(feeding add: Model.Node, _ layerOfOutput: [Int: Int], _ consumers: [Int: Int]) -> Int? {
        for case .activation(let a) in add.inputs {
            if let layer = layerOfOutput[a], consumers[a] == 1 { return layer }
        }
        return nil
    }
}
