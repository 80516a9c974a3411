import Foundation

/// Turns Seismo's ONNX values back into protobuf messages. Numeric tensors are stored as
/// `raw_data`, or appended to an external data file when an `ExternalDataWriter` takes them.
struct ModelEncoder {
    var externalData: ExternalDataWriter?

    func model(_ model: OnnxModel) throws -> Onnx_ModelProto {
        var proto = Onnx_ModelProto()
        proto.irVersion = Int64(model.irVersion)
        proto.producerName = model.producerName
        proto.producerVersion = model.producerVersion
        proto.opsetImport = model.opsetImports.sorted { $0.key < $1.key }.map { domain, version in
            var entry = Onnx_OperatorSetIdProto()
            entry.domain = domain
            entry.version = Int64(version)
            return entry
        }
        proto.graph = try graph(model.graph)
        return proto
    }

    func graph(_ graph: OnnxGraph) throws -> Onnx_GraphProto {
        var proto = Onnx_GraphProto()
        proto.name = graph.name
        proto.node = try graph.nodes.map(node)
        proto.initializer = try graph.initializers.map { try tensor($0, allowExternal: true) }
        proto.input = graph.inputs.map(valueInfo)
        proto.output = graph.outputs.map(valueInfo)
        proto.valueInfo = graph.valueInfo.map(valueInfo)
        return proto
    }

    private func node(_ node: OnnxNode) throws -> Onnx_NodeProto {
        var proto = Onnx_NodeProto()
        proto.name = node.name
        proto.opType = node.opType
        if !node.domain.isEmpty { proto.domain = node.domain }
        proto.input = node.inputs
        proto.output = node.outputs
        proto.attribute = try node.attributes.sorted { $0.key < $1.key }.map { name, value in
            try attribute(name, value, place: "\(node.place), attribute '\(name)'")
        }
        return proto
    }

    private func attribute(_ name: String, _ value: OnnxAttribute, place: String) throws -> Onnx_AttributeProto {
        var proto = Onnx_AttributeProto()
        proto.name = name
        switch value {
        case .int(let v): proto.type = .int; proto.i = Int64(v)
        case .float(let v): proto.type = .float; proto.f = v
        case .string(let v): proto.type = .string; proto.s = Data(v.utf8)
        case .tensor(let v): proto.type = .tensor; proto.t = try tensor(v, allowExternal: false)
        case .graph(let v): proto.type = .graph; proto.g = try graph(v)
        case .ints(let v): proto.type = .ints; proto.ints = v.map { Int64($0) }
        case .floats(let v): proto.type = .floats; proto.floats = v
        case .strings(let v): proto.type = .strings; proto.strings = v.map { Data($0.utf8) }
        case .tensors(let v): proto.type = .tensors; proto.tensors = try v.map { try tensor($0, allowExternal: false) }
        case .graphs(let v): proto.type = .graphs; proto.graphs = try v.map(graph)
        case .unsupported(let kind):
            throw OnnxError(place: place, "is of kind \(kind), which Seismo reads but cannot write back")
        }
        return proto
    }

    private func tensor(_ tensor: OnnxTensor, allowExternal: Bool) throws -> Onnx_TensorProto {
        var proto = Onnx_TensorProto()
        proto.name = tensor.name
        proto.dims = tensor.dims.map { Int64($0) }
        proto.dataType = Int32(tensor.dataType.rawValue)
        let expected = try elementCount(of: tensor.dims, place: "tensor '\(tensor.name)'")
        guard expected == tensor.data.count else {
            throw OnnxError.mismatch(place: "tensor '\(tensor.name)'", expected: "\(expected) elements for dims \(tensor.dims)",
                                     found: "\(tensor.data.count)")
        }
        guard let raw = RawElements.encode(tensor.data) else {
            if case .string(let values) = tensor.data { proto.stringData = values.map { Data($0.utf8) } }
            return proto
        }
        if allowExternal, let externalData, let location = try externalData.store(raw) {
            proto.dataLocation = .external
            proto.externalData = location.entries
        } else {
            proto.rawData = raw
        }
        return proto
    }

    private func valueInfo(_ info: OnnxValueInfo) -> Onnx_ValueInfoProto {
        var proto = Onnx_ValueInfoProto()
        proto.name = info.name
        guard let elementType = info.elementType else { return proto }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(elementType.rawValue)
        if let dims = info.dims {
            var shape = Onnx_TensorShapeProto()
            shape.dim = dims.map { dimension in
                var proto = Onnx_TensorShapeProto.Dimension()
                switch dimension {
                case .value(let size): proto.value = .dimValue(Int64(size))
                case .symbol(let name): proto.value = .dimParam(name)
                case .unknown: break
                }
                return proto
            }
            tensor.shape = shape
        }
        proto.type.value = .tensorType(tensor)
        return proto
    }
}

/// Collects the bytes of large tensors into one external data file next to the model, as
/// PyTorch's exporter does; offsets are aligned to 64 bytes so the file can be memory-mapped.
final class ExternalDataWriter {
    let location: String
    let threshold: Int
    private(set) var bytes = Data()

    init(location: String, threshold: Int) {
        self.location = location
        self.threshold = threshold
    }

    /// Where the tensor's bytes went, or nil when it is small enough to stay inline.
    func store(_ raw: Data) throws -> ExternalDataLocation? {
        guard raw.count >= threshold else { return nil }
        let padding = (64 - bytes.count % 64) % 64
        bytes.append(Data(count: padding))
        let offset = bytes.count
        bytes.append(raw)
        return ExternalDataLocation(location: location, offset: offset, length: raw.count)
    }
}
