import Protocol

/// A sweep's summary from any set of its shard results: per selection and ε, the spread of
/// every metric across draws, the samples no draw flipped next to the certified ones, and per
/// selection the ε at which accuracy first drops by 1, 5 and 10 points.
enum SweepAggregation {
    static func summarize(_ job: JobSpec<PerturbationSweepOptions>, results: [PerturbationShardResult]) -> PerturbationSweepSummary {
        let o = job.options
        let names = o.target == .input ? ["input"] : o.eachLayer ? (o.layers ?? []) : [o.layers?.joined(separator: "+") ?? "all"]
        let clean = results.first?.unperturbedAccuracy ?? .nan
        var points: [SweepPoint] = []
        for (s, name) in names.enumerated() {
            for (e, epsilon) in o.epsilons.enumerated() {
                let parts = results.filter { $0.shard.selection ?? 0 == s && $0.shard.epsilon ?? 0 == e }
                let draws = parts.flatMap(\.draws).sorted { $0.draw < $1.draw }
                guard !draws.isEmpty else { continue }
                var flips = [Int](repeating: 0, count: parts.first?.flipCounts.count ?? 0)
                for part in parts { for (i, c) in part.flipCounts.enumerated() { flips[i] += c } }
                let certification = parts.first { $0.shard.lower == 0 }?.certification
                points.append(SweepPoint(
                    selection: name, epsilon: epsilon, draws: draws.count,
                    accuracy: spread(draws.map(\.accuracy)), flipRate: spread(draws.map(\.flipRate)),
                    meanCrossEntropy: spread(draws.map(\.meanCrossEntropy)), marginMean: spread(draws.map(\.marginMean)),
                    marginQ05: spread(draws.map(\.marginQ05)), marginQ50: spread(draws.map(\.marginQ50)), marginQ95: spread(draws.map(\.marginQ95)),
                    neverFlipped: Double(flips.filter { $0 == 0 }.count) / Double(max(flips.count, 1)),
                    certifiedFraction: certification?.certifiedFraction, certifiedAccuracy: certification?.certifiedAccuracy))
            }
        }
        let sensitivity = names.map { sensitivityOf($0, points: points, clean: clean) }.sorted(by: moreSensitive)
        return PerturbationSweepSummary(target: o.target, noise: o.noise, labelMode: o.labelMode, samples: job.inputs.primary.count,
                                        unperturbedAccuracy: clean, epsilons: o.epsilons, selections: names, points: points,
                                        sensitivity: o.target == .input ? [] : sensitivity,
                                        input: o.target == .input ? inputRobustness(o, results: results) : nil)
    }

    /// Per sample: the smallest ε at which some draw flipped it, the largest ε at which it is
    /// certified; and the rank correlations of FI and the Jacobian norm with 1 / flip radius.
    private static func inputRobustness(_ o: PerturbationSweepOptions, results: [PerturbationShardResult]) -> InputRobustness {
        let n = results.first?.flipCounts.count ?? 0
        var flipRadius = [Double?](repeating: nil, count: n)
        var certifiedRadius = [Double?](repeating: nil, count: n)
        for (e, epsilon) in o.epsilons.enumerated() {
            let parts = results.filter { $0.shard.epsilon ?? 0 == e }
            for i in 0..<n where flipRadius[i] == nil && parts.contains(where: { $0.flipCounts[i] > 0 }) { flipRadius[i] = epsilon }
            if let bounds = parts.first(where: { $0.certification != nil })?.certification?.marginLowerBounds {
                for i in 0..<n where bounds[i] > 0 { certifiedRadius[i] = epsilon }
            }
        }
        var spearmanFI: Double?, spearmanJN: Double?
        if let scores = o.influence, n > 1 {
            // ε = 0 moves nothing, so a flip radius is positive; never flipped counts as 0.
            let fragility = flipRadius.map { r in r.map { 1 / $0 } ?? 0 }
            spearmanFI = RankCorrelation.spearman(scores.fi, fragility)
            spearmanJN = RankCorrelation.spearman(scores.jacobianNorm, fragility)
        }
        return InputRobustness(flipRadius: flipRadius, certifiedRadius: certifiedRadius, flippedSamples: flipRadius.compactMap { $0 }.count,
                               spearmanFI: spearmanFI, spearmanJacobianNorm: spearmanJN, correlationSamples: o.influence == nil ? 0 : n)
    }

    private static func sensitivityOf(_ name: String, points: [SweepPoint], clean: Double) -> LayerSensitivity {
        let curve = points.filter { $0.selection == name }
        func first(_ drop: Double) -> Double? {
            curve.first { (point: SweepPoint) -> Bool in point.accuracy.mean <= clean - drop / 100 }?.epsilon
        }
        return LayerSensitivity(selection: name, epsilonDrop1: first(1), epsilonDrop5: first(5), epsilonDrop10: first(10))
    }

    /// Smaller ε for a 1-point drop first; layers that never drop last; then by name.
    private static func moreSensitive(_ a: LayerSensitivity, _ b: LayerSensitivity) -> Bool {
        let (x, y) = (a.epsilonDrop1 ?? .infinity, b.epsilonDrop1 ?? .infinity)
        return x != y ? x < y : a.selection < b.selection
    }

    static func spread(_ values: [Double]) -> Spread {
        if let first = values.first, values.allSatisfy({ $0 == first }) {
            return Spread(mean: first, sd: 0, q05: first, q50: first, q95: first)
        }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let sd = values.count > 1 ? (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : 0
        let sorted = values.sorted()
        return Spread(mean: mean, sd: sd, q05: ScoreStatistics.quantile(sorted, 0.05), q50: ScoreStatistics.quantile(sorted, 0.5),
                      q95: ScoreStatistics.quantile(sorted, 0.95))
    }
}
