/// A model instantiated at one precision: its parameters and constants as tensors of `S`.
/// Immutable during inference, so one network is shared by every thread.
public struct Network<S: EngineScalar>: Sendable {
    public let model: Model
    public var parameters: [Tensor<S>] {
        didSet { filterCache = FilterCache() }
    }
    /// Derived from `parameters`; replaced whenever they change.
    private(set) var filterCache = FilterCache<S>()
    /// Fixed tensors; BatchNorm running statistics among them are updated by training.
    public var constants: [Tensor<S>] {
        didSet { filterCache = FilterCache() }
    }

    public init(_ model: Model) {
        RuntimeTuning.apply()
        self.model = model
        // In Float the tensors share the model's storage (copy-on-write) instead of copying it.
        parameters = model.parameters.map { p in
            Tensor(shape: p.shape, scalars: (p.values as? [S]) ?? p.values.map { S($0) })
        }
        constants = model.constants.map { Tensor(shape: $0.shape, scalars: $0.values.map { S($0) }) }
    }

    /// The model with this network's (possibly trained) parameters and statistics.
    public var updatedModel: Model {
        var m = model
        for i in m.parameters.indices { m.parameters[i].values = parameters[i].scalars.map { Float($0) } }
        for i in m.constants.indices { m.constants[i].values = constants[i].scalars.map { Double($0) } }
        return m
    }

    func tensor(_ ref: ValueRef, in values: [Tensor<S>?]) -> Tensor<S> {
        switch ref {
        case .activation(let a): values[a]!
        case .parameter(let p): parameters[p]
        case .constant(let c): constants[c]
        }
    }
}

/// Everything the backward pass needs from one forward pass.
public struct ForwardPass<S: EngineScalar>: Sendable {
    public var batch: Int
    var values: [Tensor<S>?]
    var memos: [NodeMemo<S>?]
    public var logits: Tensor<S>
    /// The frozen branches the pass ran on, if any (its backward pass uses them too).
    var decisions: KinkDecisions<S>?
}

extension Network {
    /// Runs the graph up to the logits on a batch `[N] + inputShape`, keeping every activation.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func forward(_ input: Tensor<S>, mode: ForwardMode = .inference, frozen decisions: KinkDecisions<S>? = nil) -> ForwardPass<S> {
        let batch = input.shape[0]
        precondition(input.count == batch * model.inputCount,
                     "input of shape \(input.shape) does not match the model input \(model.inputShape)")
        var values = [Tensor<S>?](repeating: nil, count: model.activationShapes.count)
        values[0] = input.reshaped([batch] + model.inputShape)
        var memos = [NodeMemo<S>?](repeating: nil, count: model.nodes.count)
        for (k, node) in model.nodes.enumerated() {
            let inputs = node.inputs.map { tensor($0, in: values) }
            let filters = FilterLookup(cache: filterCache, node: k)
            let (y, memo) = decisions?.forward(node: k, node.operation, inputs, batch: batch)
                ?? node.operation.forward(inputs, batch: batch, mode: mode, filters: filters)
            values[node.output] = y
            memos[k] = memo
        }
        let logits = values[model.logitsActivation]!.reshaped([batch, model.classes])
        return ForwardPass(batch: batch, values: values, memos: memos, logits: logits, decisions: decisions)
    }

    /// Logits `[N, K]` of a batch.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func logits(_ input: Tensor<S>) -> Tensor<S> {
        forward(input).logits
    }
}
