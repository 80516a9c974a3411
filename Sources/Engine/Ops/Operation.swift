/// A compiled node operation. An enum (not an existential) so that calls stay statically
/// dispatched and specialised for Float and Double through the whole pass.
enum Operation: Sendable {
    case convolution(Convolution)
    case batchNormalization(BatchNormalization)
    case activation(Activation)
    case pooling(Pooling)
    case dense(Dense)
    case elementwise(Elementwise)
    case concatenation(Concatenation)
    /// A change of item shape only (Reshape, Flatten, Squeeze, Unsqueeze).
    case reshape(itemShape: [Int])
    case indexMap(IndexMap)
    case softmax(Softmax)

    /// Per-sample output shape.
    var outputItemShape: [Int]? {
        switch self {
        case .convolution(let op): op.outputItemShape
        case .pooling(let op): op.outputItemShape
        case .dense(let op): op.outputItemShape
        case .elementwise(let op): op.outputShape
        case .concatenation(let op): op.outputItemShape
        case .reshape(let shape): shape
        case .indexMap(let op): op.outputItemShape
        case .batchNormalization, .activation, .softmax: nil  // same as the input
        }
    }

    func forward<S: EngineScalar>(_ inputs: [Tensor<S>], batch: Int, mode: ForwardMode,
                                  filters: FilterLookup<S>? = nil) -> (Tensor<S>, NodeMemo<S>?) {
        switch self {
        case .convolution(let op):
            (op.forward(inputs[0], inputs[1], inputs.count > 2 ? inputs[2] : nil, batch: batch, filters: filters), nil)
        case .batchNormalization(let op): op.forward(inputs, batch: batch, mode: mode)
        case .activation(let op): (op.forward(inputs[0]), nil)
        case .pooling(let op): op.forward(inputs[0], batch: batch)
        case .dense(let op): (op.forward(inputs[0], inputs[1], inputs.count > 2 ? inputs[2] : nil, batch: batch), nil)
        case .elementwise(let op): (op.forward(inputs[0], inputs[1], batch: batch), nil)
        case .concatenation(let op): (op.forward(inputs, batch: batch), nil)
        case .reshape(let shape): (inputs[0].reshaped([batch] + shape), nil)
        case .indexMap(let op): (op.forward(inputs[0], batch: batch), nil)
        case .softmax(let op): (op.forward(inputs[0]), nil)
        }
    }

    func backward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>) -> [Tensor<S>?] {
        switch self {
        case .convolution(let op): op.backward(dy, step)
        case .batchNormalization(let op): op.backward(dy, step)
        case .activation(let op): op.backward(dy, step)
        case .pooling(let op): op.backward(dy, step)
        case .dense(let op): op.backward(dy, step)
        case .elementwise(let op): op.backward(dy, step)
        case .concatenation(let op): op.backward(dy, step)
        case .reshape:
            [step.needs[0] == .none ? nil : dy.reshaped([dy.shape[0]] + step.inputs[0].shape.dropFirst())]
        case .indexMap(let op): op.backward(dy, step)
        case .softmax(let op): op.backward(dy, step)
        }
    }
}
