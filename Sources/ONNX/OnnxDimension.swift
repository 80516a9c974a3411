/// One dimension of a declared value shape.
public enum OnnxDimension: Sendable, Equatable, CustomStringConvertible {
    /// A fixed size.
    case value(Int)
    /// A named size that varies between runs, e.g. the batch "N".
    case symbol(String)
    /// Neither fixed nor named.
    case unknown

    public var description: String {
        switch self {
        case .value(let n): String(n)
        case .symbol(let s): s
        case .unknown: "?"
        }
    }
}
