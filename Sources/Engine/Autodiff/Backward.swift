/// Which parameter gradients a backward pass produces.
public enum ParameterGradientRequest<S: EngineScalar> {
    case none
    /// Gradients of the listed parameters summed over the cotangent batch (training).
    case sum(Set<Int>)
    /// One gradient row per cotangent, `[B] + shape`, handed to `consume` one parameter at a time
    /// (so that K × all-parameters is never held at once).
    case perCotangent(Set<Int>, consume: (_ parameter: Int, _ rows: Tensor<S>) -> Void)

    var wanted: Set<Int> {
        switch self {
        case .none: []
        case .sum(let s), .perCotangent(let s, _): s
        }
    }
}

public struct Gradients<S: EngineScalar>: Sendable {
    /// `[B] + inputShape`, when asked for.
    public var input: Tensor<S>?
    /// Summed parameter gradients, by parameter index (nil where not asked for).
    public var parameters: [Tensor<S>?]
}

extension Network {
    /// Reverse mode with a batch of B = N · replication cotangents `seed` (`[B, K]`) at the logits;
    /// cotangent b belongs to forward sample b / replication.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func backward(
        _ pass: ForwardPass<S>, seed: Tensor<S>, replication: Int = 1,
        input wantInput: Bool = true, parameters request: ParameterGradientRequest<S> = .none
    ) -> Gradients<S> {
        let cotangents = seed.shape[0]
        precondition(cotangents == pass.batch * replication && seed.count == cotangents * model.classes,
                     "seed \(seed.shape) does not match \(pass.batch) samples × \(replication) cotangents × \(model.classes) classes")
        let wanted = request.wanted
        let live = liveActivations(input: wantInput, parameters: wanted)
        var grads = [Tensor<S>?](repeating: nil, count: model.activationShapes.count)
        grads[model.logitsActivation] = seed.reshaped([cotangents] + model.activationShapes[model.logitsActivation])
        var summed = [Tensor<S>?](repeating: nil, count: model.parameters.count)

        for k in model.nodes.indices.reversed() {
            let node = model.nodes[k]
            guard let dy = grads[node.output] else { continue }
            grads[node.output] = nil
            let needs = node.inputs.map { need(for: $0, live: live, wanted: wanted, request: request) }
            if needs.allSatisfy({ $0 == .none }) { continue }
            var inputs = node.inputs.map { tensor($0, in: pass.values) }
            // A frozen pass takes its kinks' derivatives from the base pass's branches.
            if let base = pass.decisions?.activationInputs[k] { inputs[0] = base }
            let step = BackwardStep(inputs: inputs,
                                    output: pass.values[node.output]!, memo: pass.memos[k],
                                    needs: needs, replication: replication,
                                    filters: FilterLookup(cache: filterCache, node: k))
            let inputGrads = node.operation.backward(dy, step)
            for (ref, g) in zip(node.inputs, inputGrads) {
                guard let g else { continue }
                switch ref {
                case .activation(let a):
                    if grads[a] == nil { grads[a] = g } else { grads[a]!.add(g) }
                case .parameter(let p):
                    if case .perCotangent(_, let consume) = request { consume(p, g) } else {
                        if summed[p] == nil { summed[p] = g } else { summed[p]!.add(g) }
                    }
                case .constant: break
                }
            }
        }
        return Gradients(input: wantInput ? (grads[0] ?? Tensor(zeros: [cotangents] + model.inputShape)) : nil,
                         parameters: summed)
    }

    private func need(for ref: ValueRef, live: [Bool], wanted: Set<Int>, request: ParameterGradientRequest<S>) -> GradientNeed {
        switch ref {
        case .activation(let a): return live[a] ? .perItem : .none
        case .parameter(let p):
            guard wanted.contains(p) else { return .none }
            if case .perCotangent = request { return .perCotangent }
            return .sum
        case .constant: return .none
        }
    }

    /// Activations through which a gradient must flow: those depending on the input (if asked)
    /// or on a wanted parameter.
    private func liveActivations(input: Bool, parameters wanted: Set<Int>) -> [Bool] {
        var live = [Bool](repeating: false, count: model.activationShapes.count)
        live[0] = input
        for node in model.nodes {
            live[node.output] = node.inputs.contains { ref in
                switch ref {
                case .activation(let a): live[a]
                case .parameter(let p): wanted.contains(p)
                case .constant: false
                }
            }
        }
        return live
    }
}
