import Foundation
import SwiftProtobuf

/// Reading and writing `.onnx` files, with weights inline or in an external data file.
public enum OnnxFile {
    /// Reads a model; external data files are looked up next to it (and nowhere else).
    public static func read(contentsOf url: URL) throws -> OnnxModel {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw OnnxError(file: url.path, place: "", "no such file")
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw OnnxError(file: url.path, place: "", "cannot read the file: \(error.localizedDescription)")
        }
        return try decode(bytes, file: url.path, baseDirectory: url.deletingLastPathComponent())
    }

    /// Decodes a serialized ModelProto. `file` names the bytes in errors; `baseDirectory`, when
    /// given, is where external data files are found.
    public static func decode(_ bytes: Data, file: String = "", baseDirectory: URL? = nil) throws -> OnnxModel {
        let proto: Onnx_ModelProto
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 64
            proto = try Onnx_ModelProto(serializedBytes: bytes, options: options)
        } catch {
            throw OnnxError(file: file, place: "", "is not a valid ONNX protobuf (\(error)); expected a ModelProto")
        }
        do {
            let decoder = ModelDecoder(tensors: TensorReader(externalData: ExternalDataReader(baseDirectory: baseDirectory)))
            return try decoder.model(proto)
        } catch let error as OnnxError {
            throw error.inFile(file)
        }
    }

    /// Serializes a model with every tensor inline.
    public static func encode(_ model: OnnxModel) throws -> Data {
        try ModelEncoder(externalData: nil).model(model).serializedData()
    }

    /// Writes a model. With `externalDataThreshold`, initializers of at least that many bytes go
    /// to `<file name>.data` beside it (needed beyond protobuf's 2 GB limit; PyTorch's default).
    /// Both files are written to temporaries and renamed, so a failed write leaves no half model.
    public static func write(_ model: OnnxModel, to url: URL, externalDataThreshold: Int? = nil) throws {
        let dataName = url.lastPathComponent + ".data"
        let external = externalDataThreshold.map { ExternalDataWriter(location: dataName, threshold: max(1, $0)) }
        do {
            let bytes = try ModelEncoder(externalData: external).model(model).serializedData()
            if let external, !external.bytes.isEmpty {
                try atomicWrite(external.bytes, to: url.deletingLastPathComponent().appendingPathComponent(dataName))
            }
            try atomicWrite(bytes, to: url)
        } catch let error as OnnxError {
            throw error.inFile(url.path)
        } catch {
            throw OnnxError(file: url.path, place: "", "cannot write the model: \(error.localizedDescription)")
        }
    }

    private static func atomicWrite(_ data: Data, to url: URL) throws {
        try data.write(to: url, options: .atomic)
    }
}
