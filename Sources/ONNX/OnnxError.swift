/// Why an ONNX model could not be read, written or queried: the file, the place in the model
/// and what was found instead of what was expected, so that a user can find the culprit with
/// any ONNX viewer.
public struct OnnxError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file (or a description of the bytes) being read or written; empty when unknown,
    /// as for errors from a model built in memory.
    public var file: String
    /// Where in the model, e.g. `initializer 'fc.weight'` or `node '/conv1/Conv' (Conv), attribute 'pads'`.
    public var place: String
    /// What is wrong, e.g. `expected 288 bytes of raw_data for FLOAT dims [8, 1, 3, 3], found 284`.
    public var problem: String

    public init(file: String = "", place: String, _ problem: String) {
        self.file = file
        self.place = place
        self.problem = problem
    }

    /// An error of the form "expected …, found …".
    public static func mismatch(place: String, expected: String, found: String) -> OnnxError {
        OnnxError(place: place, "expected \(expected), found \(found)")
    }

    public var description: String {
        [file, place, problem].filter { !$0.isEmpty }.joined(separator: ": ")
    }

    /// The same error attributed to `file`, unless it already names one (errors from nested
    /// readers are raised without the file and get it on the way out).
    func inFile(_ file: String) -> OnnxError {
        guard self.file.isEmpty else { return self }
        var error = self
        error.file = file
        return error
    }
}
