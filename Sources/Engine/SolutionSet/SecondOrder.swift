/// Second derivatives of a `TrainingObjective` at its base point (w̄, x̄) by central differences
/// of Double-precision gradients (DESIGN.md): the Hessian-vector product H v, the mixed term
/// B Δ = d/dt Σ_{i∈P} ∇_w ℓ(x_i + tΔ_i) and its adjoint Bᵀ y = d/ds (∇_{x_i} ℓ(w̄ + s y))_i.
///
/// The objective holds its kinks on the base point's branches, so each difference is of a smooth
/// function. Measured on the golden MLP (relative error of H u and of b): central differences
/// (2 gradients) 1.6e-10 and 1.9e-10 at the default steps; the five-point stencil (4 gradients)
/// 3.4e-12 and 3.6e-11 at step 1e-4 — central is the default, at half the cost.
public struct SecondOrder: Sendable {
    public let objective: any TrainingObjective
    public let base: [Double]
    /// The step along weights, relative to max(‖w̄‖, 1), and along unit data directions.
    public var relativeStep = 1e-6
    public var dataStep = 1e-5
    public var stencil = Stencil.central

    /// Central differences from 2 evaluations (error O(h²)) or 4 (error O(h⁴)).
    public enum Stencil: Sendable { case central, fivePoint }

    public init(objective: any TrainingObjective, base: [Double]) {
        self.objective = objective
        self.base = base
    }

    /// H v.
    public func hessianVectorProduct(_ v: [Double]) -> [Double] {
        let size = VectorMath.norm(v)
        guard size > 0 else { return [Double](repeating: 0, count: v.count) }
        let h = relativeStep * max(VectorMath.norm(base), 1) / size
        return derivative(step: h) { t in objective.gradient(at: VectorMath.axpy(t, v, base)) }
    }

    /// B Δ for a joint displacement direction Δ (|P| · D), without any 1/|P| or 1/n scaling.
    public func mixedTerm(direction: [Double]) -> [Double] {
        let size = VectorMath.norm(direction)
        guard size > 0 else { return [Double](repeating: 0, count: objective.parameterCount) }
        let h = dataStep / size
        return derivative(step: h) { t in objective.pointsGradient(at: base, displacement: VectorMath.scaled(direction, t)) }
    }

    /// Bᵀ y: how the perturbed points' input gradients move along the weight direction y.
    public func mixedTermTransposed(_ y: [Double]) -> [Double] {
        let size = VectorMath.norm(y)
        guard size > 0 else { return [Double](repeating: 0, count: objective.displacementCount) }
        let h = relativeStep * max(VectorMath.norm(base), 1) / size
        return derivative(step: h) { t in objective.pointsInputGradient(at: VectorMath.axpy(t, y, base)) }
    }

    /// d/dt f(t) at 0.
    func derivative(step h: Double, _ f: (Double) -> [Double]) -> [Double] {
        switch stencil {
        case .central:
            let (m1, p1) = (f(-h), f(h))
            return zip(p1, m1).map { ($0 - $1) / (2 * h) }
        case .fivePoint:
            let (m2, m1, p1, p2) = (f(-2 * h), f(-h), f(h), f(2 * h))
            var out = [Double](repeating: 0, count: m1.count)
            for i in out.indices { out[i] = ((m2[i] - p2[i]) + 8 * (p1[i] - m1[i])) / (12 * h) }
            return out
        }
    }
}
