import Foundation
import Protocol

/// Where the bytes of an artifact are on this host.
public protocol ArtifactResolver: Sendable {
    func url(for artifact: ArtifactReference) throws -> URL
}

/// A job's inputs, loaded and checked: the model, the samples and their labels.
public final class AnalysisInputs: @unchecked Sendable {
    public struct Samples: Sendable {
        public var images: NDArray
        public var labels: [Int]?
        /// The file the samples came from (for messages).
        public var name: String
        public var count: Int { images.shape[0] }
    }

    public let model: Model
    public let primary: Samples
    public let comparison: Samples?
    /// 0/1 per primary sample.
    public let outlierLabels: [Bool]?
    /// `solution-set`: further solutions of the same network, and perturbation directions.
    public let initialSolutions: [Model]
    public let directions: NDArray?
    private let lock = NSLock()
    private var floatNetwork: Network<Float>?
    private var doubleNetwork: Network<Double>?
    private var memos: [String: Any] = [:]

    public init(model: Model, primary: Samples, comparison: Samples? = nil, outlierLabels: [Bool]? = nil,
                initialSolutions: [Model] = [], directions: NDArray? = nil) {
        self.model = model
        self.primary = primary
        self.comparison = comparison
        self.outlierLabels = outlierLabels
        self.initialSolutions = initialSolutions
        self.directions = directions
    }

    /// Loads every file of `inputs`, checking that the samples fit the model's input and the labels
    /// the samples and classes.
    public static func load(_ inputs: JobInputs, resolver: ArtifactResolver) throws -> AnalysisInputs {
        let model = try ModelLoader.load(contentsOf: resolver.url(for: inputs.model))
        let primary = try loadSamples(inputs.primary, model: model, resolver: resolver)
        let comparison = try inputs.comparison.map { try loadSamples($0, model: model, resolver: resolver) }
        var outliers: [Bool]?
        if let reference = inputs.outlierLabels {
            let values = try DatasetFile.loadLabels(resolver.url(for: reference))
            guard values.count == primary.count else {
                throw AnalysisError("\(reference.name): \(values.count) outlier labels for \(primary.count) samples in \(primary.name)")
            }
            if let bad = values.firstIndex(where: { $0 != 0 && $0 != 1 }) {
                throw AnalysisError("\(reference.name): outlier labels must be 0 or 1; entry \(bad) is \(values[bad])")
            }
            outliers = values.map { $0 == 1 }
        }
        let solutions = try (inputs.initialSolutions ?? []).map { reference in
            let other = try ModelLoader.load(contentsOf: resolver.url(for: reference))
            guard other.parameters.map(\.shape) == model.parameters.map(\.shape) else {
                throw AnalysisError("\(reference.name): its parameters (\(other.parameters.map(\.shape))) are not those of \(inputs.model.name) (\(model.parameters.map(\.shape)))")
            }
            return other
        }
        let directions = try inputs.directions.map { try DatasetFile.loadImages(resolver.url(for: $0)) }
        return AnalysisInputs(model: model, primary: primary, comparison: comparison, outlierLabels: outliers,
                              initialSolutions: solutions, directions: directions)
    }

    private static func loadSamples(_ reference: DatasetReference, model: Model, resolver: ArtifactResolver) throws -> Samples {
        let images = try DatasetFile.loadImages(resolver.url(for: reference.data))
        try DatasetFile.validateImages(images, inputShape: model.inputShape, file: reference.data.name)
        var labels: [Int]?
        if let labelFile = reference.labels {
            let values = try DatasetFile.loadLabels(resolver.url(for: labelFile))
            guard values.count == images.shape[0] else {
                throw AnalysisError("\(labelFile.name): \(values.count) labels for \(images.shape[0]) samples in \(reference.data.name)")
            }
            try DatasetFile.validateLabels(values, classes: model.classes, file: labelFile.name)
            labels = values
        }
        return Samples(images: images, labels: labels, name: reference.data.name)
    }

    public func samples(_ set: SampleSet) -> Samples {
        set == .primary ? primary : comparison!
    }

    /// A value computed once per process from these inputs (e.g. the unperturbed logits).
    func memo<T>(_ key: String, _ make: () -> T) -> T {
        lock.lock()
        if let value = memos[key] as? T {
            lock.unlock()
            return value
        }
        lock.unlock()
        let value = make()
        lock.lock()
        memos[key] = value
        lock.unlock()
        return value
    }

    /// The network in the precision asked for, built once per process.
    func network<S: EngineScalar>(_: S.Type) -> Network<S> {
        lock.lock()
        defer { lock.unlock() }
        if S.self == Float.self {
            if floatNetwork == nil { floatNetwork = Network<Float>(model) }
            return floatNetwork as! Network<S>
        }
        if doubleNetwork == nil { doubleNetwork = Network<Double>(model) }
        return doubleNetwork as! Network<S>
    }
}

extension NDArray {
    /// The items at `indices` of the leading axis, as a batch tensor of shape `[n] + itemShape`.
    func items<S: EngineScalar>(_ indices: [Int], itemShape: [Int], as _: S.Type = S.self) -> Tensor<S> {
        let size = itemShape.reduce(1, *)
        var out = [S](repeating: 0, count: indices.count * size)
        func copy<T>(_ source: [T], _ convert: (T) -> S) {
            for (n, i) in indices.enumerated() {
                for e in 0..<size { out[n * size + e] = convert(source[i * size + e]) }
            }
        }
        switch storage {
        case .float32(let v): copy(v) { S($0) }
        case .float64(let v): copy(v) { S($0) }
        case .uint8(let v): copy(v) { S($0) }
        case .int32(let v): copy(v) { S($0) }
        case .int64(let v): copy(v) { S($0) }
        }
        return Tensor(shape: [indices.count] + itemShape, scalars: out)
    }

    /// The first non-finite element, if any (index, value).
    var firstNonFinite: (index: Int, value: Double)? {
        switch storage {
        case .float32(let v): if let i = v.firstIndex(where: { !$0.isFinite }) { return (i, Double(v[i])) }
        case .float64(let v): if let i = v.firstIndex(where: { !$0.isFinite }) { return (i, v[i]) }
        case .uint8, .int32, .int64: break
        }
        return nil
    }

    /// Smallest and largest element.
    var valueRange: ClosedRange<Double> {
        var (lo, hi) = (Double.infinity, -Double.infinity)
        func scan<T>(_ v: [T], _ convert: (T) -> Double) { for x in v { let d = convert(x); lo = Swift.min(lo, d); hi = Swift.max(hi, d) } }
        switch storage {
        case .float32(let v): scan(v) { Double($0) }
        case .float64(let v): scan(v) { $0 }
        case .uint8(let v): scan(v) { Double($0) }
        case .int32(let v): scan(v) { Double($0) }
        case .int64(let v): scan(v) { Double($0) }
        }
        return lo <= hi ? lo...hi : 0...0
    }
}
