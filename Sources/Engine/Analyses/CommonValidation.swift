import Protocol

/// Checks shared by the influence kinds, before any work starts.
enum CommonValidation {
    static func check(labelMode: LabelMode, referenceEpsilon: Double?, top: Int, inputs: AnalysisInputs) throws {
        if labelMode == .true {
            guard inputs.primary.labels != nil else {
                throw AnalysisError("--label-mode true needs --labels for \(inputs.primary.name) (or use --label-mode predicted)")
            }
            if let comparison = inputs.comparison, comparison.labels == nil {
                throw AnalysisError("--label-mode true needs --compare-labels for \(comparison.name)")
            }
        }
        if let epsilon = referenceEpsilon, !(epsilon > 0 && epsilon.isFinite) {
            throw AnalysisError("--reference-epsilon must be a positive finite number, got \(epsilon)")
        }
        guard top >= 1 else { throw AnalysisError("--top must be at least 1, got \(top)") }
        try checkClassifier(inputs.model)
        for samples in [inputs.primary] + (inputs.comparison.map { [$0] } ?? []) {
            guard samples.count > 0 else { throw AnalysisError("\(samples.name) holds no samples") }
            if let bad = samples.images.firstNonFinite {
                let size = inputs.model.inputCount
                throw AnalysisError("\(samples.name): sample \(bad.index / size) holds \(bad.value) at coordinate \(bad.index % size); every value must be finite")
            }
        }
    }

    /// The influence measures need a K-vector of logits per sample, K ≥ 2.
    static func checkClassifier(_ model: Model) throws {
        let shape = model.activationShapes[model.logitsActivation]
        guard shape.filter({ $0 != 1 }).count <= 1, model.classes >= 2 else {
            throw AnalysisError("the model's output \(model.logitsName) has per-sample shape \(shape); influence needs a vector of K ≥ 2 class logits")
        }
    }
}
