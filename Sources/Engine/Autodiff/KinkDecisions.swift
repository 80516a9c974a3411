/// The branch every kink of a network took in one forward pass: the inputs of ReLU, LeakyReLU
/// and Clip (their sign or range picks the branch) and the argmax of every max-pool.
///
/// A pass run with these branches frozen is smooth in the weights and in the input, so central
/// differences of its gradients give the Hessian of the piece the base point lies on — the
/// almost-everywhere Hessian that forward-over-reverse differentiation gives — with no jump from
/// a unit that changed branch between the two evaluation points. (Unfrozen, a few of the many
/// units of a network cross their kink at any step size, and each adds an error of the order of
/// the whole product.)
public struct KinkDecisions<S: EngineScalar>: Sendable {
    /// Node index → the base pass's input of that activation.
    var activationInputs: [Int: Tensor<S>] = [:]
    /// Node index → the base pass's max-pool argmax.
    var poolMemos: [Int: NodeMemo<S>] = [:]
    public let batch: Int

    /// The branches of `pass`.
    public init(of pass: ForwardPass<S>, network: Network<S>) {
        batch = pass.batch
        for (k, node) in network.model.nodes.enumerated() {
            switch node.operation {
            case .activation(let a) where a.hasKink:
                activationInputs[k] = network.tensor(node.inputs[0], in: pass.values)
            case .pooling(let p) where p.kind == .max:
                poolMemos[k] = pass.memos[k]
            default: break
            }
        }
    }

    /// Node `k` evaluated on its frozen branch, or nil when the node has no kink.
    func forward(node k: Int, _ operation: Operation, _ inputs: [Tensor<S>], batch: Int) -> (Tensor<S>, NodeMemo<S>?)? {
        precondition(batch == self.batch, "frozen branches of a batch of \(self.batch) used for a batch of \(batch)")
        switch operation {
        case .activation(let a):
            guard let base = activationInputs[k] else { return nil }
            return (a.forward(inputs[0], branchesOf: base), nil)
        case .pooling(let p):
            guard case .indices(let argmax)? = poolMemos[k] else { return nil }
            return (p.forward(inputs[0], batch: batch, argmax: argmax), poolMemos[k])
        default:
            return nil
        }
    }
}
