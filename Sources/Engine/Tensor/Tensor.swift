/// A dense, contiguous, row-major (NCHW) tensor with value semantics.
public struct Tensor<Scalar: EngineScalar>: Sendable, Equatable {
    public var shape: [Int]
    public var scalars: [Scalar]

    public init(shape: [Int], scalars: [Scalar]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "Tensor: shape \(shape) holds \(shape.reduce(1, *)) elements, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, scalars: [Scalar](repeating: 0, count: shape.reduce(1, *)))
    }

    /// A tensor whose elements the caller overwrites, all of them, before reading any: skips
    /// the zero fill, which costs as much as the work for the cheap ops of a backward pass.
    init(uninitialized shape: [Int], fill: (UnsafeMutableBufferPointer<Scalar>) -> Void) {
        let count = shape.reduce(1, *)
        self.init(shape: shape, scalars: [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(buffer)
            initialized = count
        })
    }

    /// Adds `other` element-wise in place (equal sizes).
    mutating func add(_ other: Tensor) {
        precondition(count == other.count)
        scalars.withUnsafeMutableBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                for i in a.indices { a[i] += b[i] }
            }
        }
    }

    public init(repeating value: Scalar, shape: [Int]) {
        self.init(shape: shape, scalars: [Scalar](repeating: value, count: shape.reduce(1, *)))
    }

    public var count: Int { scalars.count }
    public var rank: Int { shape.count }

    /// Elements per item of the leading (batch) axis.
    public var itemCount: Int { shape.dropFirst().reduce(1, *) }

    /// The same elements under another shape of equal size.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Converts element-wise to another precision.
    public func converted<T: EngineScalar>(to _: T.Type = T.self) -> Tensor<T> {
        if let same = self as? Tensor<T> { return same }
        return Tensor<T>(shape: shape, scalars: scalars.map { T($0) })
    }

    /// Items `range` of the leading axis.
    public func items(_ range: Range<Int>) -> Tensor {
        let n = itemCount
        return Tensor(shape: [range.count] + shape.dropFirst(),
                      scalars: Array(scalars[(range.lowerBound * n)..<(range.upperBound * n)]))
    }
}
