/// The subset of Python literal syntax NumPy writes in NPY headers (what `ast.literal_eval`
/// reads there): strings, integers, booleans, None, tuples, lists and dicts with string keys.
/// A real parser rather than pattern matching, so that garbage is refused, not half-read.
enum PythonLiteral {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case noneLiteral
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: String, value: PythonLiteral)])

    /// Parses `text`, which must hold one literal and nothing else but whitespace.
    /// Throws a short reason (with the character offset) for `DataError.malformedHeader`.
    static func parse(_ text: String) throws -> PythonLiteral {
        var parser = PythonLiteralParser(Array(text.unicodeScalars))
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.error("unexpected \(parser.peekDescription) after the literal") }
        return value
    }

    /// Python-like text, for messages (e.g. a structured dtype's field list).
    var text: String {
        switch self {
        case .string(let s): "'\(s)'"
        case .integer(let i): String(i)
        case .boolean(let b): b ? "True" : "False"
        case .noneLiteral: "None"
        case .tuple(let items): items.count == 1 ? "(\(items[0].text),)" : "(\(items.map(\.text).joined(separator: ", ")))"
        case .list(let items): "[\(items.map(\.text).joined(separator: ", "))]"
        case .dict(let pairs): "{\(pairs.map { "'\($0.key)': \($0.value.text)" }.joined(separator: ", "))}"
        }
    }
}

struct PythonLiteralError: Error {
    var reason: String
}

/// Recursive descent over Unicode scalars, with a nesting limit so that "((((…" cannot
/// exhaust the stack.
struct PythonLiteralParser {
    static let maximumDepth = 16

    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool { position == scalars.count }

    var peekDescription: String { atEnd ? "end of header" : "'\(scalars[position].escaped(asASCII: true))'" }

    func error(_ reason: String) -> PythonLiteralError {
        PythonLiteralError(reason: "\(reason) at character \(position)")
    }

    mutating func skipWhitespace() {
        while !atEnd, [" ", "\t", "\n", "\r", "\u{0C}"].contains(scalars[position]) { position += 1 }
    }

    mutating func value(depth: Int) throws -> PythonLiteral {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
        skipWhitespace()
        guard !atEnd else { throw error("unexpected end of header") }
        switch scalars[position] {
        case "'", "\"": return .string(try string())
        case "(": return try tuple(depth: depth)
        case "[": return .list(try sequence(closing: "]", depth: depth).items)
        case "{": return try dict(depth: depth)
        case "-", "0"..."9": return .integer(try integer())
        default: return try keyword()
        }
    }

    /// `(x)` is x in Python; only `()` or a comma makes a tuple.
    private mutating func tuple(depth: Int) throws -> PythonLiteral {
        let (items, sawComma) = try sequence(closing: ")", depth: depth)
        return items.count == 1 && !sawComma ? items[0] : .tuple(items)
    }

    /// Comma-separated values up to `closing`, a trailing comma allowed. The cursor is on the opener.
    private mutating func sequence(closing: Unicode.Scalar, depth: Int) throws -> (items: [PythonLiteral], sawComma: Bool) {
        position += 1
        var items: [PythonLiteral] = []
        var sawComma = false
        while true {
            skipWhitespace()
            if consume(closing) { return (items, sawComma) }
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            if consume(closing) { return (items, sawComma) }
            try expect(",")
            sawComma = true
        }
    }

    private mutating func dict(depth: Int) throws -> PythonLiteral {
        position += 1
        var pairs: [(key: String, value: PythonLiteral)] = []
        while true {
            skipWhitespace()
            if consume("}") { return .dict(pairs) }
            guard !atEnd, scalars[position] == "'" || scalars[position] == "\"" else {
                throw error("expected a quoted key, found \(peekDescription)")
            }
            let key = try string()
            skipWhitespace()
            try expect(":")
            pairs.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            if consume("}") { return .dict(pairs) }
            try expect(",")
        }
    }

    /// A quoted string; escapes other than \\ \' \" are refused (NumPy never writes them).
    private mutating func string() throws -> String {
        let quote = scalars[position]
        position += 1
        var result = String.UnicodeScalarView()
        while !atEnd {
            let c = scalars[position]
            position += 1
            if c == quote { return String(result) }
            if c == "\n" { break }
            if c == "\\" {
                guard !atEnd, ["\\", "'", "\""].contains(scalars[position]) else {
                    throw error("unsupported escape in string")
                }
                result.append(scalars[position])
                position += 1
            } else {
                result.append(c)
            }
        }
        throw error("unterminated string")
    }

    /// A decimal integer, optionally negative, with Python 2's `L` suffix allowed.
    private mutating func integer() throws -> Int {
        let negative = consume("-")
        var value = 0
        var digits = 0
        while !atEnd, let digit = scalars[position].decimalDigit {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw error("integer too large") }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw error("expected digits, found \(peekDescription)") }
        // Python 3 refuses "007" (only zeros may repeat a leading zero).
        if digits > 1, value != 0, scalars[position - digits] == "0" { throw error("leading zero in integer") }
        _ = consume("L") || consume("l")
        if !atEnd, scalars[position].continuesName || scalars[position] == "." {
            throw error("unexpected \(peekDescription) in integer")
        }
        return negative ? -value : value
    }

    private mutating func keyword() throws -> PythonLiteral {
        for (word, value) in [("True", PythonLiteral.boolean(true)), ("False", .boolean(false)), ("None", .noneLiteral)] {
            let end = position + word.unicodeScalars.count
            guard end <= scalars.count, Array(scalars[position..<end]) == Array(word.unicodeScalars) else { continue }
            // The keyword must end there: "Trueish" is a name, not True.
            if end < scalars.count, scalars[end].continuesName { continue }
            position = end
            return value
        }
        throw error("unexpected \(peekDescription)")
    }

    private mutating func consume(_ c: Unicode.Scalar) -> Bool {
        guard !atEnd, scalars[position] == c else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ c: Unicode.Scalar) throws {
        guard consume(c) else { throw error("expected '\(c)', found \(peekDescription)") }
    }
}

private extension Unicode.Scalar {
    var decimalDigit: Int? { ("0"..."9").contains(self) ? Int(value) - 48 : nil }

    /// Whether this scalar would continue a Python name or number (so a token does not end here).
    var continuesName: Bool { properties.isAlphabetic || decimalDigit != nil || self == "_" }
}
