import Foundation

/// Turns the generated protobuf messages into Seismo's ONNX values, checking every tensor
/// against its declared type and dims and naming the place of anything malformed.
struct ModelDecoder {
    let tensors: TensorReader

    func model(_ proto: Onnx_ModelProto) throws -> OnnxModel {
        guard proto.hasGraph else { throw OnnxError(place: "model", "has no graph") }
        var opsets: [String: Int] = [:]
        for entry in proto.opsetImport {
            let domain = entry.domain == "ai.onnx" ? "" : entry.domain
            opsets[domain] = Int(entry.version)
        }
        return OnnxModel(irVersion: Int(proto.irVersion), opsetImports: opsets,
                         producerName: proto.producerName, producerVersion: proto.producerVersion,
                         graph: try graph(proto.graph))
    }

    func graph(_ proto: Onnx_GraphProto) throws -> OnnxGraph {
        let initializers = try proto.initializer.enumerated().map { index, tensor in
            try tensors.tensor(tensor, place: "initializer '\(tensor.name.isEmpty ? "#\(index)" : tensor.name)'")
        }
        let nodes = try proto.node.enumerated().map { try node($1, index: $0) }
        return OnnxGraph(name: proto.name, nodes: nodes, initializers: initializers,
                         inputs: proto.input.map(valueInfo), outputs: proto.output.map(valueInfo),
                         valueInfo: proto.valueInfo.map(valueInfo))
    }

    private func node(_ proto: Onnx_NodeProto, index: Int) throws -> OnnxNode {
        let place = nodePlace(name: proto.name, opType: proto.opType, index: index)
        var attributes: [String: OnnxAttribute] = [:]
        for entry in proto.attribute {
            let value = try attribute(entry, place: "\(place), attribute '\(entry.name)'")
            guard attributes.updateValue(value, forKey: entry.name) == nil else {
                throw OnnxError(place: place, "has attribute '\(entry.name)' twice")
            }
        }
        return OnnxNode(name: proto.name, opType: proto.opType, domain: proto.domain,
                        inputs: proto.input, outputs: proto.output, attributes: attributes)
    }

    private func attribute(_ proto: Onnx_AttributeProto, place: String) throws -> OnnxAttribute {
        if !proto.refAttrName.isEmpty { return .unsupported("reference to '\(proto.refAttrName)'") }
        switch proto.hasType ? proto.type : inferredType(proto) {
        case .float: return .float(proto.f)
        case .int: return .int(Int(proto.i))
        case .string: return .string(try text(proto.s, place: place))
        case .tensor: return .tensor(try tensors.tensor(proto.t, place: place))
        case .graph: return .graph(try graph(proto.g))
        case .floats: return .floats(proto.floats)
        case .ints: return .ints(proto.ints.map { Int($0) })
        case .strings: return .strings(try proto.strings.map { try text($0, place: place) })
        case .tensors: return .tensors(try proto.tensors.map { try tensors.tensor($0, place: place) })
        case .graphs: return .graphs(try proto.graphs.map(graph))
        case .sparseTensor: return .unsupported("SPARSE_TENSOR")
        case .typeProto: return .unsupported("TYPE_PROTO")
        case .sparseTensors: return .unsupported("SPARSE_TENSORS")
        case .typeProtos: return .unsupported("TYPE_PROTOS")
        case .undefined: throw OnnxError(place: place, "has no type and no value")
        }
    }

    /// Files from before IR version 2 may omit `type`; the field that is set tells it.
    private func inferredType(_ proto: Onnx_AttributeProto) -> Onnx_AttributeProto.AttributeType {
        if proto.hasF { return .float }
        if proto.hasI { return .int }
        if proto.hasS { return .string }
        if proto.hasT { return .tensor }
        if proto.hasG { return .graph }
        if !proto.floats.isEmpty { return .floats }
        if !proto.ints.isEmpty { return .ints }
        if !proto.strings.isEmpty { return .strings }
        if !proto.tensors.isEmpty { return .tensors }
        if !proto.graphs.isEmpty { return .graphs }
        return .undefined
    }

    private func text(_ bytes: Data, place: String) throws -> String {
        guard let string = String(data: bytes, encoding: .utf8) else {
            throw OnnxError(place: place, "string value is not valid UTF-8")
        }
        return string
    }

    private func valueInfo(_ proto: Onnx_ValueInfoProto) -> OnnxValueInfo {
        guard case .tensorType(let tensor)? = proto.type.value else {
            return OnnxValueInfo(name: proto.name, elementType: nil, dims: nil)
        }
        let elementType = tensor.hasElemType ? OnnxDataType(rawValue: Int(tensor.elemType)) : nil
        let dims: [OnnxDimension]? = tensor.hasShape ? tensor.shape.dim.map { dimension in
            switch dimension.value {
            case .dimValue(let size)?: .value(Int(size))
            case .dimParam(let name)?: name.isEmpty ? .unknown : .symbol(name)
            case nil: .unknown
            }
        } : nil
        return OnnxValueInfo(name: proto.name, elementType: elementType, dims: dims)
    }
}
