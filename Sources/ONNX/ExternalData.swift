import Foundation

/// Where an externally stored tensor's bytes are: ONNX's `external_data` entries.
struct ExternalDataLocation: Equatable {
    /// Path of the data file, relative to the model file's directory.
    var location: String
    var offset: Int
    /// nil: as many bytes as the tensor needs.
    var length: Int?

    init(location: String, offset: Int = 0, length: Int? = nil) {
        self.location = location
        self.offset = offset
        self.length = length
    }

    init(entries: [Onnx_StringStringEntryProto], place: String) throws {
        var values: [String: String] = [:]
        for entry in entries {
            guard values.updateValue(entry.value, forKey: entry.key) == nil else {
                throw OnnxError(place: place, "external_data has key '\(entry.key)' twice")
            }
        }
        guard let location = values["location"], !location.isEmpty else {
            throw OnnxError(place: place, "data_location is EXTERNAL but external_data has no 'location'")
        }
        self.location = location
        offset = try Self.byteNumber(values["offset"], key: "offset", place: place) ?? 0
        length = try Self.byteNumber(values["length"], key: "length", place: place)
    }

    var entries: [Onnx_StringStringEntryProto] {
        var pairs = [("location", location), ("offset", String(offset))]
        if let length { pairs.append(("length", String(length))) }
        return pairs.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
    }

    private static func byteNumber(_ text: String?, key: String, place: String) throws -> Int? {
        guard let text else { return nil }
        guard let number = Int(text), number >= 0 else {
            throw OnnxError.mismatch(place: place, expected: "a non-negative byte count for external_data '\(key)'",
                                     found: "'\(text)'")
        }
        return number
    }
}

/// Reads external tensor data for one model, confined to the model's directory, each data file
/// mapped once however many tensors it holds.
final class ExternalDataReader {
    private let baseDirectory: URL?
    private var files: [String: Data] = [:]

    init(baseDirectory: URL?) {
        self.baseDirectory = baseDirectory
    }

    /// The `byteCount` bytes of a tensor stored at `source`; `place` names the tensor in errors.
    func bytes(at source: ExternalDataLocation, byteCount: Int, place: String) throws -> Data {
        if let length = source.length, length != byteCount {
            throw OnnxError.mismatch(place: place, expected: "external_data length \(byteCount) for the tensor's dims and type",
                                     found: "\(length)")
        }
        let file = try contents(of: source.location, place: place)
        guard source.offset <= file.count, byteCount <= file.count - source.offset else {
            throw OnnxError(place: place, "external data file '\(source.location)' has \(file.count) bytes; "
                + "offset \(source.offset) + length \(byteCount) lies beyond its end")
        }
        let start = file.startIndex + source.offset
        return file.subdata(in: start ..< start + byteCount)
    }

    private func contents(of location: String, place: String) throws -> Data {
        if let data = files[location] { return data }
        guard let baseDirectory else {
            throw OnnxError(place: place, "tensor data is in external file '\(location)', "
                + "but the model was not read from a file, so there is no directory to find it in")
        }
        let url = try Self.resolve(location, in: baseDirectory, place: place)
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw OnnxError(place: place, "cannot read external data file '\(location)' (\(url.path)): \(error.localizedDescription)")
        }
        files[location] = data
        return data
    }

    /// The data file a `location` names, refusing anything outside `directory` (absolute paths,
    /// `..` climbing above it, symbolic links leading out): a model file must not be able to
    /// make us read arbitrary files.
    static func resolve(_ location: String, in directory: URL, place: String) throws -> URL {
        let refuse = { (why: String) in OnnxError(place: place, "external data location '\(location)' \(why)") }
        guard !location.contains("\0") else { throw refuse("contains a NUL character") }
        let isWindowsDrive = location.count >= 2 && location.dropFirst().first == ":" && location.first!.isLetter
        guard !location.hasPrefix("/"), !location.hasPrefix("\\"), !isWindowsDrive else {
            throw refuse("is an absolute path; it must be relative to the model's directory")
        }
        var components: [String] = []
        for component in location.split(whereSeparator: { $0 == "/" || $0 == "\\" }) {
            switch component {
            case ".": continue
            case "..":
                guard components.popLast() != nil else { throw refuse("leads outside the model's directory") }
            default: components.append(String(component))
            }
        }
        guard !components.isEmpty else { throw refuse("names no file") }
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        let target = components.reduce(root) { $0.appendingPathComponent($1) }.resolvingSymlinksInPath()
        guard target.path.hasPrefix(root.path.hasSuffix("/") ? root.path : root.path + "/") else {
            throw refuse("leads outside the model's directory through a symbolic link")
        }
        return target
    }
}
