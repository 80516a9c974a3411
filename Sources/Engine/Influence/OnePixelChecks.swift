import Protocol

/// The one-pixel check of a sample for its three pixels (largest scale-1 FI, largest
/// |gradient|, seeded random), and its summary over samples.
enum OnePixelChecks {
    static func run(sample index: Int, jacobian j: [Double], geometry: OutputGeometry, label y: Int,
                    inputs: AnalysisInputs, options: InfluenceMapsOptions) -> OnePixelCheck {
        switch options.precision {
        case .float: return run(index, j, geometry, y, inputs, options, as: Float.self)
        case .double: return run(index, j, geometry, y, inputs, options, as: Double.self)
        }
    }

    private static func run<S: EngineScalar>(_ index: Int, _ j: [Double], _ geometry: OutputGeometry, _ y: Int,
                                             _ inputs: AnalysisInputs, _ options: InfluenceMapsOptions, as _: S.Type) -> OnePixelCheck {
        let k = geometry.k, d = j.count / k
        let predicted = geometry.predicted
        let toward = geometry.residual(label: predicted)
        var gradient = [Double](repeating: 0, count: d), influence = [Double](repeating: 0, count: d)
        var column = [Double](repeating: 0, count: k)
        for c in 0..<d {
            for a in 0..<k { column[a] = j[a * d + c] }
            gradient[c] = zip(column, toward).reduce(0) { $0 + $1.0 * $1.1 }
            influence[c] = InfluenceMeasure.singleCoordinate(column: column, geometry: geometry, label: y)
        }
        var generator = SeededGenerator(seed: options.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let random = Int(generator.next() % UInt64(d))
        let x: Tensor<S> = inputs.primary.images.items([index], itemShape: inputs.model.inputShape)
        let search = OnePixelSearch(network: inputs.network(S.self), validRange: options.validRange ?? 0...1)
        let attempt = { (c: Int) in search.attempt(x: x.scalars, coordinate: c, gradient: gradient[c], predicted: predicted) }
        return OnePixelCheck(influence: attempt(Probabilities.argmax(influence)),
                             gradient: attempt(Probabilities.argmax(gradient.map(abs))),
                             random: attempt(random))
    }

    static func summarize(_ checks: [OnePixelCheck], validRange: ClosedRange<Double>?) -> OnePixelSummary? {
        guard !checks.isEmpty, let validRange else { return nil }
        let strategy = { (pick: (OnePixelCheck) -> OnePixelCheck.Attempt) -> OnePixelSummary.Strategy in
            let attempts = checks.map(pick)
            let magnitudes = attempts.compactMap(\.magnitude).sorted()
            return .init(flipRate: Double(attempts.filter(\.flipped).count) / Double(attempts.count),
                         medianMagnitude: magnitudes.isEmpty ? nil : ScoreStatistics.quantile(magnitudes, 0.5))
        }
        return OnePixelSummary(samples: checks.count, validRange: validRange, influence: strategy(\.influence),
                               gradient: strategy(\.gradient), random: strategy(\.random))
    }
}
