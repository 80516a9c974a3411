import Protocol

/// The checks of a `solution-set` job, before any work starts: each names the option or file.
enum SolutionSetValidation {
    static func check(_ o: SolutionSetOptions, inputs: AnalysisInputs) throws {
        guard let labels = inputs.primary.labels else {
            throw AnalysisError("solution-set needs --labels: the training loss uses the true labels of \(inputs.primary.name)")
        }
        let total = labels.count
        let n = o.trainCount ?? total
        guard (1...total).contains(n) else { throw AnalysisError("--train-count must be in 1...\(total) (the samples in \(inputs.primary.name)), got \(n)") }
        try checkPoints(o, trainingSamples: n)
        guard !o.deltas.isEmpty else { throw AnalysisError("--deltas: give at least one δ") }
        if let bad = o.deltas.first(where: { !($0.isFinite && $0 > 0) }) {
            throw AnalysisError("--deltas: every δ must be a finite number > 0, got \(bad)")
        }
        guard o.starts >= 1 else { throw AnalysisError("--seeds must be at least 1, got \(o.starts)") }
        guard o.sigma.isFinite, o.sigma >= 0 else { throw AnalysisError("--sigma must be a finite number ≥ 0, got \(o.sigma)") }
        guard o.damping.isFinite, o.damping > 0 else {
            throw AnalysisError("--damping must be > 0, got \(o.damping): the undamped minimum-norm step is ill-posed on real networks (MATH.md §3)")
        }
        guard o.tolerance > 0, o.tolerance < 1 else { throw AnalysisError("--tolerance must be in (0, 1), got \(o.tolerance)") }
        guard o.maxIterations >= 1 else { throw AnalysisError("--max-iterations must be at least 1, got \(o.maxIterations)") }
        guard o.kappaIterations >= 0 else { throw AnalysisError("--kappa-iterations must be ≥ 0, got \(o.kappaIterations)") }
        guard o.retrainRuns >= 0 else { throw AnalysisError("--retrain-runs must be ≥ 0, got \(o.retrainRuns)") }
        guard o.retrainEpochs >= 1 else { throw AnalysisError("--retrain-epochs must be at least 1, got \(o.retrainEpochs)") }
        guard o.retrainLearningRate.isFinite, o.retrainLearningRate > 0 else {
            throw AnalysisError("--retrain-learning-rate must be a finite number > 0, got \(o.retrainLearningRate)")
        }
        guard o.retrainBatchSize >= 1 else { throw AnalysisError("--retrain-batch-size must be at least 1, got \(o.retrainBatchSize)") }
        try checkDirections(o, inputs: inputs)
    }

    private static func checkPoints(_ o: SolutionSetOptions, trainingSamples n: Int) throws {
        if let points = o.points {
            guard !points.isEmpty else { throw AnalysisError("--points: the set of perturbed points is empty") }
            if let bad = points.first(where: { !(0..<n).contains($0) }) {
                throw AnalysisError("--points: index \(bad) is outside the training set 0..<\(n)")
            }
            guard Set(points).count == points.count else { throw AnalysisError("--points: an index is listed twice") }
        } else if let count = o.perturbCount {
            guard (1...n).contains(count) else { throw AnalysisError("--perturb-count must be in 1...\(n) (the training samples), got \(count)") }
        } else {
            throw AnalysisError("give the perturbed points: --points INDICES or --perturb-count N")
        }
    }

    private static func checkDirections(_ o: SolutionSetOptions, inputs: AnalysisInputs) throws {
        guard let file = inputs.directions else {
            if o.direction == .file { throw AnalysisError("--direction file needs --directions FILE.npy") }
            return
        }
        guard o.direction == .file else { throw AnalysisError("--directions FILE is read only with --direction file") }
        let count = o.points?.count ?? o.perturbCount ?? 0
        let d = inputs.model.inputCount
        guard file.shape.first == count, file.count == count * d else {
            throw AnalysisError("--directions: expected \(count) rows of \(d) values (one per perturbed point), got shape \(file.shape)")
        }
        if let (index, value) = file.firstNonFinite { throw AnalysisError("--directions: element \(index) is \(value)") }
    }
}
