/// Why a model could not be loaded or run. Each case names the node (and op) or tensor at fault.
public struct ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var place: String
    public var message: String

    public init(file: String = "", place: String, _ message: String) {
        self.file = file
        self.place = place
        self.message = message
    }

    public var description: String {
        let prefix = file.isEmpty ? "" : "\(file): "
        return place.isEmpty ? "\(prefix)\(message)" : "\(prefix)\(place): \(message)"
    }

    static func node(_ name: String, _ op: String, _ message: String) -> ModelError {
        ModelError(place: "node '\(name)' (\(op))", message)
    }
}
