/// Element-wise activations. Kinks follow PyTorch: ReLU'(0) = 0, LeakyReLU'(0) = alpha,
/// Clip passes the gradient where min ≤ x ≤ max.
struct Activation: Sendable {
    enum Function: Sendable {
        case relu
        case leakyRelu(alpha: Double)
        case sigmoid
        case tanh
        case clip(min: Double, max: Double)
    }

    var function: Function

    func forward<S: EngineScalar>(_ x: Tensor<S>) -> Tensor<S> {
        Tensor(uninitialized: x.shape) { out in
            x.scalars.withUnsafeBufferPointer { input in
                switch function {
                case .relu:
                    for i in out.indices { out[i] = input[i] > 0 ? input[i] : 0 }
                case .leakyRelu(let alpha):
                    let a = S(alpha)
                    for i in out.indices { out[i] = input[i] > 0 ? input[i] : input[i] * a }
                case .sigmoid:
                    for i in out.indices { out[i] = 1 / (1 + S.exp(-input[i])) }
                case .tanh:
                    for i in out.indices { out[i] = S.tanh(input[i]) }
                case .clip(let lo, let hi):
                    let l = S(lo), h = S(hi)
                    for i in out.indices { out[i] = Swift.min(Swift.max(input[i], l), h) }
                }
            }
        }
    }

    /// Whether the function has a kink (a point where its derivative jumps).
    var hasKink: Bool {
        switch function {
        case .relu, .leakyRelu, .clip: true
        case .sigmoid, .tanh: false
        }
    }

    /// y = f(x) on the branch each element of `base` is on (for `KinkDecisions`).
    func forward<S: EngineScalar>(_ x: Tensor<S>, branchesOf base: Tensor<S>) -> Tensor<S> {
        guard hasKink else { return forward(x) }
        return Tensor(uninitialized: x.shape) { out in
            x.scalars.withUnsafeBufferPointer { input in
                base.scalars.withUnsafeBufferPointer { b in
                    switch function {
                    case .relu:
                        for i in out.indices { out[i] = b[i] > 0 ? input[i] : 0 }
                    case .leakyRelu(let alpha):
                        for i in out.indices { out[i] = b[i] > 0 ? input[i] : input[i] * S(alpha) }
                    case .clip(let lo, let hi):
                        for i in out.indices { out[i] = b[i] < S(lo) ? S(lo) : (b[i] > S(hi) ? S(hi) : input[i]) }
                    case .sigmoid, .tanh: break
                    }
                }
            }
        }
    }

    /// dx = dy · f'(x), with x (and y) of the forward sample b / replication.
    func backward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>) -> [Tensor<S>?] {
        guard step.needs[0] != .none else { return [nil] }
        let item = step.inputs[0].itemCount
        let r = step.replication
        let dx = Tensor<S>(uninitialized: dy.shape) { g in
            step.inputs[0].scalars.withUnsafeBufferPointer { x in
                step.output.scalars.withUnsafeBufferPointer { y in
                    dy.scalars.withUnsafeBufferPointer { d in
                        let batch = g.count / Swift.max(item, 1)
                        for b in 0..<batch {
                            let go = b * item, xo = (b / r) * item
                            if case .relu = function, S.self == Float.self {
                                FloatLanes.relu(UnsafeRawPointer(d.baseAddress! + go), where: UnsafeRawPointer(x.baseAddress! + xo),
                                                into: UnsafeMutableRawPointer(g.baseAddress! + go), count: item)
                                continue
                            }
                            for i in 0..<item {
                                g[go + i] = d[go + i] * derivative(x: x[xo + i], y: y[xo + i])
                            }
                        }
                    }
                }
            }
        }
        return [dx]
    }

    @inline(__always)
    private func derivative<S: EngineScalar>(x: S, y: S) -> S {
        switch function {
        case .relu: return x > 0 ? 1 : 0
        case .leakyRelu(let alpha): return x > 0 ? 1 : S(alpha)
        case .sigmoid: return y * (1 - y)
        case .tanh: return 1 - y * y
        case .clip(let lo, let hi): return (x >= S(lo) && x <= S(hi)) ? 1 : 0
        }
    }
}
