/// The linearised Lipschitz-like modulus κ = ‖H⁺ B‖₂ (MATH.md §3) by power iteration on
/// (H⁺B)ᵀ(H⁺B), with the damped pseudo-inverse H⁺_μ = (H² + μ²I)⁻¹ H applied by LSQR. Each
/// iteration costs two solves; the estimate rises monotonically to the largest singular value.
public struct LinearisedModulus: Sendable {
    public var solver: DampedLSQR
    public var maxIterations: Int
    /// Stops when the estimate changes by less than this, relatively.
    public var tolerance: Double

    public init(solver: DampedLSQR, maxIterations: Int = 20, tolerance: Double = 1e-6) {
        (self.solver, self.maxIterations, self.tolerance) = (solver, maxIterations, tolerance)
    }

    public struct Estimate: Codable, Equatable, Sendable {
        public var kappa: Double
        public var iterations: Int
        public var converged: Bool
    }

    /// `scale` multiplies B (1/|P| or 1/n); `seed` draws the start.
    public func estimate(_ second: SecondOrder, scale: Double, seed: UInt64) -> Estimate {
        var generator = SeededGenerator(seed: seed)
        var u = (0..<second.objective.displacementCount).map { _ in generator.normal() }
        u = VectorMath.scaled(u, 1 / VectorMath.norm(u))
        let h = { (v: [Double]) in second.hessianVectorProduct(v) }
        // H⁺_μ y as the damped least-squares solution of H x = y (LSQR solves H x + b = 0).
        let pseudoInverse = { (y: [Double]) in solver.solve(b: y.map { -$0 }, multiply: h).v }
        var kappa = 0.0
        for iteration in 1...max(maxIterations, 1) {
            let forward = pseudoInverse(VectorMath.scaled(second.mixedTerm(direction: u), scale))
            let estimate = VectorMath.norm(forward)
            let back = VectorMath.scaled(second.mixedTermTransposed(pseudoInverse(forward)), scale)
            let size = VectorMath.norm(back)
            let settled = iteration > 1 && abs(estimate - kappa) <= tolerance * estimate
            kappa = estimate
            if settled || size == 0 { return Estimate(kappa: kappa, iterations: iteration, converged: true) }
            u = VectorMath.scaled(back, 1 / size)
        }
        return Estimate(kappa: kappa, iterations: maxIterations, converged: false)
    }
}
