import Protocol

/// Which parameters a weight-perturbation sweep moves, and by how much (MATH.md §2): the weights
/// (and, unless `weightsOnly`, the biases) of the Conv, Gemm and MatMul layers chosen;
/// BatchNorm parameters stay fixed.
public struct PerturbedParameters: Sendable, Equatable {
    /// Parameter indices, ascending.
    public var indices: [Int]

    public static let perturbableOps: Set<String> = ["Conv", "Gemm", "MatMul"]

    /// The layers that can be perturbed, in graph order.
    public static func perturbableLayers(of model: Model) -> [Model.Layer] {
        model.layers.filter { perturbableOps.contains($0.opType) }
    }

    /// The parameters of `layers` (layer names; nil = every perturbable layer).
    public static func select(_ model: Model, layers names: [String]?, weightsOnly: Bool) throws -> PerturbedParameters {
        let candidates = perturbableLayers(of: model)
        var chosen = candidates
        if let names {
            chosen = try names.map { name in
                guard let layer = candidates.first(where: { $0.name == name }) else {
                    let valid = candidates.map(\.name).joined(separator: ", ")
                    throw AnalysisError("--layers: no perturbable layer '\(name)'; the Conv/Gemm/MatMul layers are: \(valid)")
                }
                return layer
            }
        }
        let indices = chosen.flatMap { weightsOnly ? Array($0.parameters.prefix(1)) : $0.parameters }
        return PerturbedParameters(indices: Array(Set(indices)).sorted())
    }

    /// Elementwise radii for interval bounds: ε everywhere (`uniform`), ε·|w| (`relative`);
    /// nil for `gaussian`, whose support is unbounded.
    public func radii(_ network: Network<Double>, noise: WeightNoise, epsilon: Double) -> [Int: Tensor<Double>]? {
        guard noise != .gaussian else { return nil }
        var radii: [Int: Tensor<Double>] = [:]
        for p in indices {
            let w = network.parameters[p]
            radii[p] = noise == .uniform ? Tensor(repeating: epsilon, shape: w.shape) : w.map { epsilon * Swift.abs($0) }
        }
        return radii
    }
}
