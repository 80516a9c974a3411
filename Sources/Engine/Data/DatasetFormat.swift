import Foundation

/// The file formats a dataset may come in. The file name decides when it names a format
/// (what users see and type); the first bytes decide otherwise. CIFAR has no magic, so only
/// its `.bin` name selects it.
enum DatasetFormat: Equatable {
    case npy, npz, idx, cifar

    /// `name` is the file name without a `.gz` suffix; `contents` are the decompressed bytes.
    static func detect(name: String, contents: Data) -> DatasetFormat? {
        let lowered = name.lowercased()
        if lowered.hasSuffix(".npy") { return .npy }
        if lowered.hasSuffix(".npz") { return .npz }
        if lowered.contains("idx1-ubyte") || lowered.contains("idx3-ubyte") { return .idx }
        if lowered.hasSuffix(".bin") { return .cifar }
        return detect(magic: contents)
    }

    private static func detect(magic data: Data) -> DatasetFormat? {
        if data.starts(withBytes: NPY.magic) { return .npy }
        if data.starts(withBytes: [0x50, 0x4B, 0x03, 0x04]) || data.starts(withBytes: [0x50, 0x4B, 0x05, 0x06]) { return .npz }
        if data.starts(withBytes: [0, 0, 0x08, 0x01]) || data.starts(withBytes: [0, 0, 0x08, 0x03]) { return .idx }
        return nil
    }
}

/// A dataset file's bytes, gunzipped when the name ends in `.gz` or the bytes are gzip.
struct DatasetContents {
    /// The path as given, for messages.
    var file: String
    /// The path without `.gz`, which names the format of the contents.
    var innerPath: String
    var data: Data
    var format: DatasetFormat

    init(_ url: URL) throws {
        file = FileBytes.name(url)
        data = try FileBytes.read(url)
        innerPath = file
        if file.lowercased().hasSuffix(".gz") || data.starts(withBytes: Zlib.gzipMagic) {
            data = try Zlib.inflate(data, format: .gzip, file: file)
            if file.lowercased().hasSuffix(".gz") { innerPath = String(file.dropLast(3)) }
        }
        let name = innerPath.split(separator: "/").last.map(String.init) ?? innerPath
        guard let format = DatasetFormat.detect(name: name, contents: data) else {
            throw DataError(file: file, .unrecognizedFormat)
        }
        self.format = format
    }
}
