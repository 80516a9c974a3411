import Protocol

/// Draws one random perturbation of the chosen parameters (MATH.md §2): uniform in
/// [w − ε, w + ε], Gaussian with standard deviation ε, or relative, uniform in [w − ε|w|, w + ε|w|].
enum WeightPerturbation {
    static func apply<S: EngineScalar>(_ parameters: PerturbedParameters, noise: WeightNoise, epsilon: Double,
                                       to network: Network<S>, generator: inout SeededGenerator) -> Network<S> {
        guard epsilon > 0 else { return network }
        var perturbed = network
        for p in parameters.indices {
            var values = network.parameters[p].scalars
            for i in values.indices {
                let w = Double(values[i])
                switch noise {
                case .uniform: values[i] = S(w + epsilon * (2 * generator.unit() - 1))
                case .gaussian: values[i] = S(w + epsilon * generator.normal())
                case .relative: values[i] = S(w + epsilon * Swift.abs(w) * (2 * generator.unit() - 1))
                }
            }
            perturbed.parameters[p] = Tensor(shape: network.parameters[p].shape, scalars: values)
        }
        return perturbed
    }
}

/// Seeds of a sweep's draws: a hash of (seed, ε index, selection, draw), so every draw is the
/// same whichever shard or host computes it.
enum SweepSeed {
    static func draw(_ seed: UInt64, epsilon: Int, selection: Int, draw: Int) -> UInt64 {
        var generator = SeededGenerator(seed: seed)
        var mixed = generator.next()
        for part in [epsilon, selection, draw] {
            generator = SeededGenerator(seed: mixed ^ UInt64(truncatingIfNeeded: part) &* 0x9E37_79B9_7F4A_7C15)
            mixed = generator.next()
        }
        return mixed
    }
}
