/// Where a node input comes from at run time.
public enum ValueRef: Sendable, Hashable {
    /// A batch-carrying value computed by the network (the model input is activation 0).
    case activation(Int)
    /// A trainable parameter (a float initializer that enters a differentiable input).
    case parameter(Int)
    /// A fixed tensor: a folded constant, BatchNorm running statistics, a shape.
    case constant(Int)
}
