/// What the backward pass wants for one input of a node.
enum GradientNeed: Sendable, Equatable {
    /// Nothing flows to this input (a constant, or a parameter nobody asked for).
    case none
    /// An activation: one gradient per cotangent, shape [B] + item shape.
    case perItem
    /// A parameter, summed over the cotangent batch (training).
    case sum
    /// A parameter, one gradient row per cotangent: shape [B] + parameter shape (Jacobians, Grams).
    case perCotangent
}

/// What a node's forward pass keeps for its backward pass.
enum NodeMemo<S: EngineScalar>: Sendable {
    /// Flat source index of each output element within the input item (max-pool's argmax).
    case indices([Int32])
    /// Batch statistics of a BatchNormalization in training mode: x̂, 1/σ, and the batch mean
    /// and unbiased variance per channel (for the running statistics).
    case batchStatistics(normalized: Tensor<S>, inverseStd: [S], mean: [S], variance: [S])
}

/// How the forward pass runs.
public enum ForwardMode: Sendable {
    case inference
    /// BatchNorm uses batch statistics and updates its running statistics; Dropout stays identity.
    case training
}

/// What one backward step receives beyond the output gradient.
struct BackwardStep<S: EngineScalar> {
    /// Forward values of the node's inputs (batched tensors carry the forward batch N).
    var inputs: [Tensor<S>]
    var output: Tensor<S>
    var memo: NodeMemo<S>?
    var needs: [GradientNeed]
    /// Cotangents per forward sample: cotangent b belongs to sample b / replication.
    var replication: Int
    /// Where the node finds weights transformed once per network (nil: transform afresh).
    var filters: FilterLookup<S>? = nil
}
