import Foundation
import ONNX

/// Saves models as ONNX: the source graph with its initializers replaced by the model's current
/// parameters and statistics, so that onnxruntime and other tools read exactly what Seismo computed.
public enum ModelWriter {
    /// Initializers beyond this many bytes in total go to an external `.data` file (protobuf's
    /// 2 GB message limit).
    static let externalDataThreshold = 1 << 30

    public static func write(_ model: Model, to url: URL) throws {
        try write(onnx(of: model), to: url)
    }

    public static func write(_ onnx: OnnxModel, to url: URL) throws {
        let bytes = onnx.graph.initializers.reduce(0) { $0 + $1.byteCount }
        try OnnxFile.write(onnx, to: url, externalDataThreshold: bytes > externalDataThreshold ? 1024 : nil)
    }

    /// The model's ONNX form with current parameter and constant values (the model's source
    /// graph holds no parameter values of its own; see `ModelLoader`).
    public static func onnx(of model: Model) -> OnnxModel {
        var values: [String: [Double]] = [:]
        for p in model.parameters { values[p.name] = p.values.map(Double.init) }
        for c in model.constants { values[c.name] = c.values }
        var onnx = model.source
        onnx.graph.initializers = onnx.graph.initializers.map { tensor in
            guard let v = values[tensor.name] else { return tensor }
            var t = tensor
            switch tensor.data {
            case .float64: t.data = .float64(v)
            case .float32: t.data = .float32(v.map(Float.init))
            default: return tensor  // integer tensors (shapes) are never changed
            }
            return t
        }
        return onnx
    }
}

extension OnnxTensor {
    var byteCount: Int {
        switch data {
        case .float32(let v): v.count * 4
        case .float64(let v): v.count * 8
        case .int64(let v): v.count * 8
        case .int32(let v): v.count * 4
        default: dims.reduce(1, *)
        }
    }
}
