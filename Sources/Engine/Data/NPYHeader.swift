/// The dict at the start of an NPY file: `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
struct NPYHeader: Equatable {
    var elementType: ElementType
    var shape: [Int]

    init(elementType: ElementType, shape: [Int]) {
        self.elementType = elementType
        self.shape = shape
    }

    /// The descriptors read, and the one written, for each element type. `<u1` is what some
    /// writers put for bytes; byte order means nothing for one byte.
    static let descriptors: [String: ElementType] = [
        "<f4": .float32, "<f8": .float64, "|u1": .uint8, "<u1": .uint8, "<i4": .int32, "<i8": .int64,
    ]

    static func descriptor(_ type: ElementType) -> String {
        switch type {
        case .float32: "<f4"
        case .float64: "<f8"
        case .uint8: "|u1"
        case .int32: "<i4"
        case .int64: "<i8"
        }
    }

    /// Interprets the header text. NumPy requires exactly these three keys, in any order.
    init(parsing text: String, file: String) throws {
        let literal: PythonLiteral
        do {
            literal = try PythonLiteral.parse(text)
        } catch let error as PythonLiteralError {
            throw DataError(file: file, .malformedHeader(error.reason))
        }
        guard case .dict(let pairs) = literal else {
            throw DataError(file: file, .malformedHeader("the header is \(literal.text.prefix(40)), not a dict"))
        }
        let fields = try Self.fields(pairs, file: file)
        elementType = try Self.elementType(fields.descr, file: file)
        shape = try Self.shape(fields.shape, file: file)
        try Self.checkOrder(fields.fortranOrder, shape: shape, file: file)
    }

    /// The three values by key, refusing missing, repeated and unknown keys.
    private static func fields(_ pairs: [(key: String, value: PythonLiteral)], file: String) throws
        -> (descr: PythonLiteral, fortranOrder: PythonLiteral, shape: PythonLiteral) {
        var fields: [String: PythonLiteral] = [:]
        for (key, value) in pairs {
            guard ["descr", "fortran_order", "shape"].contains(key) else {
                throw DataError(file: file, .malformedHeader("unexpected key '\(key)'"))
            }
            guard fields.updateValue(value, forKey: key) == nil else {
                throw DataError(file: file, .malformedHeader("key '\(key)' appears twice"))
            }
        }
        func field(_ key: String) throws -> PythonLiteral {
            guard let value = fields[key] else { throw DataError(file: file, .malformedHeader("key '\(key)' is missing")) }
            return value
        }
        return (try field("descr"), try field("fortran_order"), try field("shape"))
    }

    private static func elementType(_ value: PythonLiteral, file: String) throws -> ElementType {
        switch value {
        case .string(let descr):
            guard let type = descriptors[descr] else { throw DataError(file: file, .unsupportedDType(descr)) }
            return type
        case .list:
            // A list of (name, type) fields: a structured dtype.
            throw DataError(file: file, .unsupportedDType(value.text))
        default:
            throw DataError(file: file, .malformedHeader("'descr' is \(value.text), not a string"))
        }
    }

    private static func shape(_ value: PythonLiteral, file: String) throws -> [Int] {
        guard case .tuple(let items) = value else {
            throw DataError(file: file, .malformedHeader("'shape' is \(value.text), not a tuple"))
        }
        return try items.map { item in
            guard case .integer(let n) = item, n >= 0 else {
                throw DataError(file: file, .malformedHeader("'shape' \(value.text) holds \(item.text), not a size ≥ 0"))
            }
            return n
        }
    }

    /// Fortran order is the same layout as C order when at most one axis is longer than 1.
    private static func checkOrder(_ value: PythonLiteral, shape: [Int], file: String) throws {
        guard case .boolean(let fortran) = value else {
            throw DataError(file: file, .malformedHeader("'fortran_order' is \(value.text), not True or False"))
        }
        if fortran, shape.filter({ $0 > 1 }).count > 1 {
            throw DataError(file: file, .fortranOrder)
        }
    }

    /// The header text as NumPy writes it: keys sorted, a trailing ", " after each value, then
    /// room for the first axis to grow to 21 digits in place.
    var text: String {
        let dims = shape.map(String.init)
        let shapeText = dims.count == 1 ? "(\(dims[0]),)" : "(\(dims.joined(separator: ", ")))"
        let growth = dims.first.map { String(repeating: " ", count: max(0, 21 - $0.count)) } ?? ""
        return "{'descr': '\(Self.descriptor(elementType))', 'fortran_order': False, 'shape': \(shapeText), }" + growth
    }
}
