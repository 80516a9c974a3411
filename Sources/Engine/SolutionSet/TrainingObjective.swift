/// A training loss as a function of one flat parameter vector, with a set P of training points
/// that can be displaced — what the graphical derivative of the solution map is built from
/// (MATH.md §3). Every derivative is taken on the branches (ReLU signs, max-pool winners) of the
/// base point (w̄, x̄), so that central differences of these gradients are those of one smooth
/// piece.
public protocol TrainingObjective: Sendable {
    var parameterCount: Int { get }
    /// Elements of a joint displacement of the perturbed points, |P| · D.
    var displacementCount: Int { get }
    /// ∇_w L(w) over the whole training set.
    func gradient(at w: [Double]) -> [Double]
    /// Σ_{i∈P} ∇_w ℓ(x_i + d_i; w), with d the joint displacement (|P| · D, point-major).
    func pointsGradient(at w: [Double], displacement d: [Double]) -> [Double]
    /// (∇_{x_i} ℓ(x_i; w))_{i∈P}, point-major (|P| · D).
    func pointsInputGradient(at w: [Double]) -> [Double]
}

/// Losses where a solution is judged: on the perturbed points, on the whole training set with the
/// perturbed points moved, and on the clean training set (all means).
public struct PerturbedLosses: Codable, Equatable, Sendable {
    public var pointLoss: Double
    public var trainingLoss: Double
    public var cleanTrainingLoss: Double
    public init(pointLoss: Double, trainingLoss: Double, cleanTrainingLoss: Double) {
        (self.pointLoss, self.trainingLoss, self.cleanTrainingLoss) = (pointLoss, trainingLoss, cleanTrainingLoss)
    }
}
