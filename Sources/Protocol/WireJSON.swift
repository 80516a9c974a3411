import Foundation

/// Reading and writing wire values strictly: a value decodes only if every field it carries is
/// one the type knows, and every failure names the field (`job.options.scales[2]: …`).
public enum WireJSON {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Decodes `T` from `data`; `field` names the value in messages (e.g. "job"). `strict`
    /// rejects fields `T` does not know (for what users send; values Seismo wrote skip the check).
    public static func decode<T: Codable>(_: T.Type, from data: Data, field: String, strict: Bool = true) throws -> T {
        let value: T
        do {
            value = try SeismoJSON.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Failure(describe(error, root: field))
        }
        if strict {
            try rejectUnknownFields(in: data, known: SeismoJSON.encoder(pretty: false).encode(value), root: field)
        }
        return value
    }

    /// Compact JSON text of `value` (sorted keys).
    public static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try SeismoJSON.encoder(pretty: false).encode(value), as: UTF8.self)
    }

    /// Fails on the first key of `data` that the re-encoded value does not have (nulls excepted:
    /// an absent optional is not written back).
    static func rejectUnknownFields(in data: Data, known: Data, root: String) throws {
        guard let given = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let kept = try? JSONSerialization.jsonObject(with: known, options: [.fragmentsAllowed]) else { return }
        if let path = firstUnknown(given, kept, path: root) {
            throw Failure("\(path): unknown field")
        }
    }

    private static func firstUnknown(_ given: Any, _ kept: Any, path: String) -> String? {
        if let object = given as? [String: Any] {
            let known = kept as? [String: Any] ?? [:]
            for key in object.keys.sorted() {
                let value = object[key]!
                guard let keptValue = known[key] else {
                    if value is NSNull { continue }
                    return "\(path).\(key)"
                }
                if let found = firstUnknown(value, keptValue, path: "\(path).\(key)") { return found }
            }
        } else if let array = given as? [Any], let keptArray = kept as? [Any], array.count == keptArray.count {
            for (i, (a, b)) in zip(array, keptArray).enumerated() {
                if let found = firstUnknown(a, b, path: "\(path)[\(i)]") { return found }
            }
        }
        return nil
    }

    /// "job.options.top: expected a number, got a string" and the like.
    static func describe(_ error: DecodingError, root: String) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.reduce(root) { text, key in key.intValue.map { "\(text)[\($0)]" } ?? "\(text).\(key.stringValue)" }
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type)), got null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?).map { " (\($0.localizedDescription))" } ?? ""
            return "\(path(context.codingPath)): \(context.debugDescription)\(context.codingPath.isEmpty ? underlying : "")"
        @unknown default:
            return "\(root): \(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type, is Int32.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a value of type \(name)"
        }
    }
}
