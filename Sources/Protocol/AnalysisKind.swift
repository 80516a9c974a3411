/// The analyses Seismo runs; the raw values are the CLI and API names.
public enum AnalysisKind: String, Codable, Sendable, CaseIterable {
    case influence
    case influenceMaps = "influence-maps"
    case influenceParams = "influence-params"
    case perturbationSweep = "perturbation-sweep"
    case solutionSet = "solution-set"
}
