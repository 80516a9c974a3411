/// Elementwise lower and upper bounds of a batch of activations.
public struct Interval: Sendable {
    public var lower: Tensor<Double>
    public var upper: Tensor<Double>

    init(lower: Tensor<Double>, upper: Tensor<Double>) {
        self.lower = lower
        self.upper = upper
    }

    init(point: Tensor<Double>) { self.init(lower: point, upper: point) }

    init(center: Tensor<Double>, radius: Tensor<Double>) {
        self.init(lower: center.zipped(radius, -), upper: center.zipped(radius, +))
    }

    var center: Tensor<Double> { lower.zipped(upper) { ($0 + $1) / 2 } }
    var radius: Tensor<Double> { upper.zipped(lower) { ($0 - $1) / 2 } }
    /// max(|l|, |u|) elementwise.
    var magnitude: Tensor<Double> { lower.zipped(upper) { Swift.max(Swift.abs($0), Swift.abs($1)) } }
}

/// A part of the network that interval bound propagation cannot bound.
public struct UnboundableOperation: Error, CustomStringConvertible {
    public var description: String
}

/// Interval bound propagation with interval weights (MATH.md §2): bounds of the logits when the
/// chosen parameters vary elementwise within `radii` around their values and the input is fixed
/// (or itself an interval). Affine layers use the centre–radius rule
/// `y ∈ W0 c + b ± (|W0| r + ρ_W · max(|l|, |u|) + ρ_b)` — for uniform noise ρ_W = ε, so the middle
/// term is the golden `ε Σ_i max(|l_i|, |u_i|)` over each output's receptive field (zero padding
/// contributes 0); inference BatchNorm is a fixed affine map; ReLU, the pools, reshapes and
/// concatenation are monotone; Add/Sub/Mul/Div take the extremes of their operands' corners.
public struct IntervalPropagation {
    let network: Network<Double>
    /// Elementwise radius per perturbed parameter index.
    let radii: [Int: Tensor<Double>]

    public init(network: Network<Double>, radii: [Int: Tensor<Double>]) {
        self.network = network
        self.radii = radii
    }

    /// Bounds of the logits `[N, K]` of `input` (`[N] + inputShape`).
    public func logitBounds(_ input: Interval) throws -> Interval {
        let model = network.model
        let batch = input.lower.shape[0]
        var values = [Interval?](repeating: nil, count: model.activationShapes.count)
        values[0] = Interval(lower: input.lower.reshaped([batch] + model.inputShape), upper: input.upper.reshaped([batch] + model.inputShape))
        for node in model.nodes {
            let inputs = node.inputs.map { bound($0, values) }
            values[node.output] = try propagate(node, inputs, batch: batch)
        }
        let logits = values[model.logitsActivation]!
        let shape = [batch, model.classes]
        return Interval(lower: logits.lower.reshaped(shape), upper: logits.upper.reshaped(shape))
    }

    private func bound(_ ref: ValueRef, _ values: [Interval?]) -> Interval {
        switch ref {
        case .activation(let a): return values[a]!
        case .parameter(let p):
            let value = network.parameters[p]
            guard let radius = radii[p] else { return Interval(point: value) }
            return Interval(center: value, radius: radius)
        case .constant(let c): return Interval(point: network.constants[c])
        }
    }

    private func perturbation(of ref: ValueRef) -> Tensor<Double>? {
        if case .parameter(let p) = ref { return radii[p] }
        return nil
    }

    private func propagate(_ node: Model.Node, _ inputs: [Interval], batch: Int) throws -> Interval {
        switch node.operation {
        case .convolution(let op):
            return affine(inputs, node: node, batch: batch) { x, w, b in op.forward(x, w, b, batch: batch) }
        case .dense(let op):
            return affine(inputs, node: node, batch: batch) { x, w, b in op.forward(x, w, b, batch: batch) }
        case .batchNormalization(let op):
            // A per-channel affine map a·x + b with fixed coefficients: centre through the map,
            // radius through |a| (scale → |scale|, shift and mean → 0).
            let points = inputs.map(\.lower)
            let center = op.forward([inputs[0].center] + points.dropFirst(), batch: batch, mode: .inference).0
            let zeros = Tensor<Double>(zeros: points[2].shape)
            let radius = op.forward([inputs[0].radius, points[1].map(Swift.abs), zeros, zeros, points[4]], batch: batch, mode: .inference).0
            return Interval(center: center, radius: radius.map(Swift.abs))
        case .activation(let op):
            if case .leakyRelu(let alpha) = op.function, alpha < 0 {
                throw UnboundableOperation(description: "\(node.opType) node '\(node.name)' with a negative slope is not monotone")
            }
            return monotone(inputs[0]) { op.forward($0) }
        case .pooling(let op):
            return monotone(inputs[0]) { op.forward($0, batch: batch).0 }
        case .indexMap(let op):
            return monotone(inputs[0]) { op.forward($0, batch: batch) }
        case .reshape(let shape):
            return monotone(inputs[0]) { $0.reshaped([batch] + shape) }
        case .concatenation(let op):
            return Interval(lower: op.forward(inputs.map(\.lower), batch: batch), upper: op.forward(inputs.map(\.upper), batch: batch))
        case .elementwise(let op):
            if op.function == .div, inputs[1].lower.scalars.indices.contains(where: { inputs[1].lower.scalars[$0] <= 0 && inputs[1].upper.scalars[$0] >= 0 }) {
                throw UnboundableOperation(description: "\(node.opType) node '\(node.name)': the divisor's interval contains 0")
            }
            let corners = [(inputs[0].lower, inputs[1].lower), (inputs[0].lower, inputs[1].upper),
                           (inputs[0].upper, inputs[1].lower), (inputs[0].upper, inputs[1].upper)].map { op.forward($0.0, $0.1, batch: batch) }
            return Interval(lower: corners.dropFirst().reduce(corners[0]) { $0.zipped($1, Swift.min) },
                            upper: corners.dropFirst().reduce(corners[0]) { $0.zipped($1, Swift.max) })
        case .softmax:
            throw UnboundableOperation(description: "\(node.opType) node '\(node.name)' inside the network cannot be bounded")
        }
    }

    /// y = f(x, W, b) with x, W and b intervals: centre f(c, W0, b0), radius
    /// |f(r, |W0|)| + |f(max(|l|,|u|), ρ_W)| + |f(0, 0, ρ_b)|.
    private func affine(_ inputs: [Interval], node: Model.Node, batch: Int,
                        _ f: (Tensor<Double>, Tensor<Double>, Tensor<Double>?) -> Tensor<Double>) -> Interval {
        let x = inputs[0], w = inputs[1].center, b = inputs.count > 2 ? inputs[2].center : nil
        let center = f(x.center, w, b)
        var radius = f(x.radius, w.map(Swift.abs), nil).map(Swift.abs)
        if let rw = perturbation(of: node.inputs[1]) {
            radius = radius.zipped(f(x.magnitude, rw, nil).map(Swift.abs), +)
        }
        if node.inputs.count > 2, let rb = perturbation(of: node.inputs[2]) {
            let spread = f(Tensor(zeros: x.lower.shape), Tensor(zeros: w.shape), rb).map(Swift.abs)
            radius = radius.zipped(spread, +)
        }
        return Interval(center: center, radius: radius)
    }

    private func monotone(_ x: Interval, _ f: (Tensor<Double>) -> Tensor<Double>) -> Interval {
        Interval(lower: f(x.lower), upper: f(x.upper))
    }
}

extension Tensor {
    func map(_ f: (Scalar) -> Scalar) -> Tensor { Tensor(shape: shape, scalars: scalars.map(f)) }

    func zipped(_ other: Tensor, _ f: (Scalar, Scalar) -> Scalar) -> Tensor {
        precondition(count == other.count)
        return Tensor(shape: shape, scalars: zip(scalars, other.scalars).map(f))
    }
}
