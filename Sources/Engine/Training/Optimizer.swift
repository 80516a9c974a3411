import Foundation

/// Parameter update rules, as PyTorch defines them (weight decay added to the gradient).
public enum OptimizerKind: Sendable, Equatable {
    case sgd(momentum: Double)
    case adam(beta1: Double, beta2: Double, epsilon: Double)

    public static let adamDefaults = OptimizerKind.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
}

/// Optimizer state for every parameter tensor of a network.
struct OptimizerState<S: EngineScalar> {
    var kind: OptimizerKind
    var learningRate: Double
    var weightDecay: Double
    private var first: [[Double]]
    private var second: [[Double]]
    private var step = 0

    init(kind: OptimizerKind, learningRate: Double, weightDecay: Double, shapes: [Int]) {
        self.kind = kind
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        first = shapes.map { [Double](repeating: 0, count: $0) }
        if case .adam = kind { second = shapes.map { [Double](repeating: 0, count: $0) } } else { second = [] }
    }

    mutating func apply(_ gradients: [Tensor<S>?], to parameters: inout [Tensor<S>]) {
        step += 1
        for (p, g) in gradients.enumerated() {
            guard let g else { continue }
            update(&parameters[p].scalars, g.scalars, index: p)
        }
    }

    private mutating func update(_ w: inout [S], _ g: [S], index p: Int) {
        let lr = learningRate, wd = weightDecay
        switch kind {
        case .sgd(let momentum):
            for i in w.indices {
                let grad = Double(g[i]) + wd * Double(w[i])
                first[p][i] = momentum * first[p][i] + grad
                w[i] -= S(lr * (momentum == 0 ? grad : first[p][i]))
            }
        case .adam(let b1, let b2, let eps):
            let c1 = 1 - Foundation.pow(b1, Double(step)), c2 = 1 - Foundation.pow(b2, Double(step))
            for i in w.indices {
                let grad = Double(g[i]) + wd * Double(w[i])
                first[p][i] = b1 * first[p][i] + (1 - b1) * grad
                second[p][i] = b2 * second[p][i] + (1 - b2) * grad * grad
                w[i] -= S(lr * (first[p][i] / c1) / ((second[p][i] / c2).squareRoot() + eps))
            }
        }
    }

}
