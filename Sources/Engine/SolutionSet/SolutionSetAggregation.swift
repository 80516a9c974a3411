import Protocol

/// Results → summary for `solution-set`. Results are taken in (task, δ, index) order, so the
/// summary does not depend on delivery order; every set is a list in that order.
struct SolutionSetAggregation {
    let summary: SolutionSetSummary

    /// Without the weight vectors: losses, residuals and κ only.
    init(_ o: SolutionSetOptions, results: [SolutionSetShardResult]) {
        summary = Self.make(o, results: Self.ordered(results), vectors: nil)
    }

    init(_ o: SolutionSetOptions, results: [SolutionSetShardResult], vectors: ArtifactResolver) throws {
        let ordered = Self.ordered(results)
        var loaded: [String: [Double]] = [:]
        for reference in ordered.flatMap({ [$0.vector, $0.start].compactMap { $0 } }) where loaded[reference.sha256] == nil {
            loaded[reference.sha256] = try vectors.vector(reference)
        }
        summary = Self.make(o, results: ordered, vectors: loaded)
    }

    private static func ordered(_ results: [SolutionSetShardResult]) -> [SolutionSetShardResult] {
        results.sorted { ($0.task.rawValue, $0.delta ?? 0, $0.index) < ($1.task.rawValue, $1.delta ?? 0, $1.index) }
    }

    private static func make(_ o: SolutionSetOptions, results: [SolutionSetShardResult], vectors: [String: [Double]]?) -> SolutionSetSummary {
        let solves = results.filter { $0.task == .solve }
        let accepted = solves.filter { $0.converged == true }
        let retrains = results.filter { $0.task == .retrain }
        let pointCount = o.points?.count ?? 0
        let directionNorm = Double(pointCount).squareRoot()
        let unconverged = solves.filter { $0.converged != true }.map {
            UnconvergedSolve(start: $0.index, residual: $0.residual ?? .nan, normalEquationResidual: $0.normalEquationResidual ?? .nan,
                             iterations: $0.iterations ?? 0)
        }
        func vector(_ r: ArtifactReference?) -> [Double]? { r.flatMap { vectors?[$0.sha256] } }
        let parameterCount = vectors?.values.first?.count ?? 0
        let zero = [Double](repeating: 0, count: parameterCount)
        // Displacements from w̄: S(0) for the estimate is {w̄}; R(0) the clean fine-tuning runs.
        let directionsOfSolves = accepted.compactMap { vector($0.vector) }
        let retrainedAtZero = retrains.filter { $0.delta == 0 }.compactMap { vector($0.vector) }

        var points: [SolutionSetPoint] = []
        for (k, delta) in o.deltas.enumerated() {
            let base = solves.lazy.compactMap { $0.lossesAtBase[safe: k] }.first ?? retrains.first { $0.delta == delta }?.lossesAtBase.first
                ?? LossesAtDelta(delta: delta, pointLoss: .nan, trainingLoss: .nan, cleanTrainingLoss: .nan)
            let runs = retrains.filter { $0.delta == delta }
            var point = SolutionSetPoint(delta: delta, estimatedSize: accepted.count, retrainedSize: runs.count, lossesAtBase: base)
            point.estimatedLosses = mean(accepted.compactMap { $0.losses[safe: k] }, delta: delta)
            point.retrainedLosses = mean(runs.compactMap(\.losses.first), delta: delta)
            if vectors != nil {
                let estimated = directionsOfSolves.map { VectorMath.scaled($0, delta) }
                let retrained = runs.compactMap { vector($0.vector) }
                (point.estimatedDistanceFromBase, point.estimatedFarthestFromBase) = reach(estimated)
                (point.retrainedDistanceFromBase, point.retrainedFarthestFromBase) = reach(retrained)
                point.estimatedDiameter = SetDistances.diameter(estimated)
                point.retrainedDiameter = SetDistances.diameter(retrained)
                point.hausdorff = SetDistances.hausdorff(estimated, retrained)
                point.excessRetrainedOverEstimated = SetDistances.excess(retrained, over: estimated)
                point.excessEstimatedOverRetrained = SetDistances.excess(estimated, over: retrained)
                point.estimatedShift = SetDistances.hausdorff([zero], estimated)
                point.retrainedShift = SetDistances.hausdorff(retrainedAtZero, retrained)
            }
            points.append(point)
        }
        var summary = SolutionSetSummary(
            parameters: parameterCount, trainingSamples: o.trainCount ?? 0, perturbedPoints: o.points ?? [], direction: o.direction,
            scaling: o.scaling, damping: o.damping, directionNorm: directionNorm, solves: solves.count,
            retrainRuns: o.retrainRuns, points: points, unconverged: unconverged, distancesComputed: vectors != nil)
        summary.linearisedModulus = results.first { $0.task == .kappa }?.kappa
        summary.empiricalModulusEstimated = modulus(points.map { ($0.delta, $0.estimatedShift) }, norm: directionNorm)
        summary.empiricalModulusRetrained = modulus(points.map { ($0.delta, $0.retrainedShift) }, norm: directionNorm)
        let reach = points.flatMap { [$0.estimatedFarthestFromBase, $0.retrainedFarthestFromBase] }.compactMap { $0 }.max() ?? 0
        summary.estimatedTrend = trend(points.map(\.estimatedDiameter), scale: reach)
        summary.retrainedTrend = trend([SetDistances.diameter(retrainedAtZero)] + points.map(\.retrainedDiameter), scale: reach)
        return summary
    }

    /// The nearest and the farthest member's distance from w̄.
    private static func reach(_ set: [[Double]]) -> (Double?, Double?) {
        let norms = set.map(VectorMath.norm)
        return (norms.min(), norms.max())
    }

    private static func mean(_ losses: [LossesAtDelta], delta: Double) -> LossesAtDelta? {
        guard !losses.isEmpty else { return nil }
        let n = Double(losses.count)
        return LossesAtDelta(delta: delta, pointLoss: losses.reduce(0) { $0 + $1.pointLoss } / n,
                             trainingLoss: losses.reduce(0) { $0 + $1.trainingLoss } / n,
                             cleanTrainingLoss: losses.reduce(0) { $0 + $1.cleanTrainingLoss } / n)
    }

    /// sup_δ shift(δ) / (δ ‖Δx‖).
    private static func modulus(_ shifts: [(Double, Double?)], norm: Double) -> Double? {
        let ratios = shifts.compactMap { delta, shift in shift.map { $0 / (delta * norm) } }
        return ratios.max()
    }

    /// Whether the diameters grow along the grid. A change within 1 % of the diameters, or within
    /// 1e-6 of the sets' distance from w̄ (rounding of nearly identical runs), counts as steady.
    private static func trend(_ diameters: [Double?], scale: Double) -> String? {
        let known = diameters.compactMap { $0 }
        guard known.count >= 2, let first = known.first, let last = known.last else { return nil }
        if abs(last - first) <= max(0.01 * max(first, last), 1e-6 * scale) { return "steady" }
        return last > first ? "expanding" : "contracting"
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
