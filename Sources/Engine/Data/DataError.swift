/// Why a data file (NPY, NPZ, IDX, CIFAR) could not be read or does not fit the model.
/// The description names the file, what was found and what was expected.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case notFound
        case unreadable(String)
        case unwritable(String)
        /// Neither the file name nor the first bytes say which format this is.
        case unrecognizedFormat
        case truncated(expectedBytes: Int, foundBytes: Int)
        /// More bytes than the header or the format accounts for.
        case trailingBytes(expectedBytes: Int, foundBytes: Int)
        case badMagic(found: String, expected: String)
        case unsupportedVersion(String)
        /// An NPY dtype descriptor outside `<f4 <f8 |u1 <i4 <i8`.
        case unsupportedDType(String)
        case fortranOrder
        case malformedHeader(String)
        /// A shape whose element count overflows.
        case absurdShape([Int])
        case malformedArchive(String)
        case unsupportedArchive(String)
        /// A compressed stream that does not inflate, or whose checksum does not match.
        case corrupt(String)
        /// An NPZ archive without the array a loader looks for.
        case missingArray(wanted: [String], found: [String])
        /// A CIFAR file whose size or name does not say CIFAR-10 or CIFAR-100 unambiguously.
        case unrecognizedCIFAR(String)
        case emptyDataset(shape: [Int])
        /// Images whose shape is neither `expected` (= [N] + model input shape) nor its flat form.
        case shapeMismatch(found: [Int], expected: [Int])
        case labelShape([Int])
        case nonIntegerLabel(index: Int, value: Double)
        case labelOutOfRange(index: Int, value: Int, classes: Int)
    }

    public var file: String
    public var kind: Kind

    public init(file: String, _ kind: Kind) {
        self.file = file
        self.kind = kind
    }

    public var description: String { "\(file): \(kind.message)" }
}

extension DataError.Kind {
    /// The supported NPY dtypes, as listed in messages.
    static let supportedDTypes = "<f4, <f8, |u1, <i4, <i8"

    var message: String {
        switch self {
        case .notFound:
            return "no such file; expected an existing .npy, .npz, IDX or CIFAR .bin file"
        case .unreadable(let why):
            return "cannot be read (\(why)); expected a readable file"
        case .unwritable(let why):
            return "cannot be written (\(why)); expected a writable path"
        case .unrecognizedFormat:
            return "unrecognised format; expected .npy, .npz, IDX (*-idx3-ubyte, *-idx1-ubyte, optionally .gz) or CIFAR .bin"
        case let .truncated(expected, found):
            return "file is truncated: found \(found) bytes, expected \(expected)"
        case let .trailingBytes(expected, found):
            return "found \(found) bytes, expected exactly \(expected) (unexplained data after the array)"
        case let .badMagic(found, expected):
            return "starts with \(found); expected \(expected)"
        case .unsupportedVersion(let version):
            return "NPY format version \(version) is not supported; expected 1.0, 2.0 or 3.0"
        case .unsupportedDType(let descr):
            return "dtype '\(descr)'\(Self.dtypeExplanation(descr)) is not supported; expected one of \(Self.supportedDTypes)"
        case .fortranOrder:
            return "array is stored in Fortran (column-major) order; expected C order (save np.ascontiguousarray(a))"
        case .malformedHeader(let why):
            return "malformed NPY header (\(why)); expected a dict literal with keys 'descr', 'fortran_order', 'shape'"
        case .absurdShape(let shape):
            return "shape \(shape) has more elements than can be addressed; expected a shape that fits the file"
        case .malformedArchive(let why):
            return "malformed ZIP archive (\(why)); expected an .npz written by numpy.savez"
        case .unsupportedArchive(let why):
            return "unsupported ZIP archive feature (\(why)); expected stored or deflated, unencrypted members"
        case .corrupt(let why):
            return "corrupt compressed data (\(why)); expected an intact gzip or ZIP stream"
        case let .missingArray(wanted, found):
            let keys = found.isEmpty ? "none" : found.sorted().joined(separator: ", ")
            return "no array named \(wanted.joined(separator: " or ")) and not exactly one array; found keys: \(keys)"
        case .unrecognizedCIFAR(let why):
            return "\(why); expected CIFAR-10 records of 3073 bytes (label, 3072 pixels) or CIFAR-100 records of "
                + "3074 bytes (coarse label, fine label, 3072 pixels)"
        case .emptyDataset(let shape):
            return "holds no samples (shape \(shape)); expected at least one"
        case let .shapeMismatch(found, expected):
            let flat = expected.count > 2 ? " or \([expected[0], expected.dropFirst().reduce(1, *)]) flattened" : ""
            return "images have shape \(found); expected \(expected) ([N] + the model's input shape)\(flat)"
        case .labelShape(let shape):
            return "labels have shape \(shape); expected [N] or [N, 1]"
        case let .nonIntegerLabel(index, value):
            return "label \(value) at index \(index) is not an integer; expected integer class indices"
        case let .labelOutOfRange(index, value, classes):
            return "label \(value) at index \(index) is out of range; expected 0..<\(classes) (\(classes) classes)"
        }
    }

    /// Why a refused NPY dtype is refused, so that the user knows what to convert.
    private static func dtypeExplanation(_ descr: String) -> String {
        if descr.hasPrefix(">") { return " (big-endian)" }
        switch descr.dropFirst().first {
        case "O": return " (Python objects)"
        case "b": return " (booleans)"
        case "U", "S": return " (strings)"
        case "V": return " (structured records)"
        case "c": return " (complex numbers)"
        case "M", "m": return " (dates/times)"
        default: return ""
        }
    }
}
