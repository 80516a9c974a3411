/// An n-dimensional array as read from or written to a file (NPY, IDX, CIFAR, ONNX initializers):
/// its shape and its elements in their stored type.
public struct NDArray: Sendable, Equatable {
    public enum Storage: Sendable, Equatable {
        case float32([Float])
        case float64([Double])
        case uint8([UInt8])
        case int32([Int32])
        case int64([Int64])
    }

    public var shape: [Int]
    public var storage: Storage

    public init(shape: [Int], storage: Storage) {
        self.shape = shape
        self.storage = storage
    }

    public var elementType: ElementType {
        switch storage {
        case .float32: .float32
        case .float64: .float64
        case .uint8: .uint8
        case .int32: .int32
        case .int64: .int64
        }
    }

    public var count: Int { shape.reduce(1, *) }

    /// The elements as floating-point values of the engine.
    public func tensor<S: EngineScalar>(_: S.Type = S.self) -> Tensor<S> {
        let values: [S]
        switch storage {
        case .float32(let v): values = S.self == Float.self ? v as! [S] : v.map { S($0) }
        case .float64(let v): values = S.self == Double.self ? v as! [S] : v.map { S($0) }
        case .uint8(let v): values = v.map { S($0) }
        case .int32(let v): values = v.map { S($0) }
        case .int64(let v): values = v.map { S($0) }
        }
        return Tensor(shape: shape, scalars: values)
    }

    /// The elements as integers (labels, shapes, indices); nil for floating-point storage.
    public var integers: [Int]? {
        switch storage {
        case .uint8(let v): v.map(Int.init)
        case .int32(let v): v.map(Int.init)
        case .int64(let v): v.map(Int.init)
        case .float32, .float64: nil
        }
    }

    public init<S: EngineScalar>(_ tensor: Tensor<S>) {
        if let t = tensor as? Tensor<Float> {
            self.init(shape: t.shape, storage: .float32(t.scalars))
        } else {
            self.init(shape: tensor.shape, storage: .float64(tensor.scalars.map { Double($0) }))
        }
    }
}
