import Hummingbird

/// Field checks whose failures answer 400 naming the field and what was expected.
enum Validation {
    static func name(_ value: String, field: String) throws {
        guard !value.isEmpty, value.count <= 200, !value.contains(where: { $0.isNewline }) else {
            throw HTTPError(.badRequest, message: "\(field): expected 1–200 characters on one line, got \(value.count)")
        }
    }

    static func range<T: Comparable>(_ value: T, _ range: ClosedRange<T>, field: String) throws {
        guard range.contains(value) else {
            throw HTTPError(.badRequest, message: "\(field): expected \(range.lowerBound)…\(range.upperBound), got \(value)")
        }
    }

    static func sha256(_ value: String) throws -> String {
        guard value.count == 64, value.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw HTTPError(.badRequest, message: "sha256: expected 64 lower-case hex digits, got '\(value.prefix(80))'")
        }
        return value
    }
}
