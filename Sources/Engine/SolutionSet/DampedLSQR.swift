/// LSQR (Paige & Saunders, 1982) with damping on a symmetric operator A = H:
/// minimises ‖H v + b‖² + μ²‖v − v₀‖² from the start v₀, with one product by H for each of
/// its two bidiagonalisation steps per iteration. The damping acts on the correction v − v₀,
/// so components of v₀ in the null space of H survive: random starts sample the solution set
/// (MATH.md §3); from v₀ = 0 the result is v_μ = −(H² + μ²I)⁻¹ H b.
public struct DampedLSQR: Sendable {
    public var damping: Double
    /// Stops when LSQR's relative residual tests fall to this (its `atol` and `btol`).
    public var tolerance: Double
    public var maxIterations: Int

    public init(damping: Double = 0.01, tolerance: Double = 1e-10, maxIterations: Int = 5_000) {
        (self.damping, self.tolerance, self.maxIterations) = (damping, tolerance, maxIterations)
    }

    public struct Solution: Sendable {
        public var v: [Double]
        public var iterations: Int
        public var converged: Bool
        /// LSQR's own measure of the damped problem: ‖Āᵀ r̄‖ / (‖Ā‖ ‖r̄‖), Ā = [H; μI].
        public var normalEquationResidual: Double
        /// ‖H v + b‖ / ‖b‖, from one more product.
        public var residual: Double
    }

    /// Solves for `b` with `multiply` = v ↦ H v; `progress` gets the iteration count.
    public func solve(b: [Double], start v0: [Double]? = nil, multiply: ([Double]) -> [Double],
                      progress: ((Int) -> Void)? = nil) -> Solution {
        let n = b.count
        let start = v0 ?? [Double](repeating: 0, count: n)
        // The correction d solves min ‖H d − r₀‖² + μ²‖d‖², r₀ = −b − H v₀.
        let r0 = v0 == nil ? b.map { -$0 } : zip(b, multiply(start)).map { -$0 - $1 }
        var d = [Double](repeating: 0, count: n)
        var u = r0
        var beta = VectorMath.norm(u)
        let rhsNorm = beta
        var iterations = 0, converged = beta == 0
        var test2 = 0.0
        if beta > 0 {
            u = VectorMath.scaled(u, 1 / beta)
            var v = multiply(u)
            var alpha = VectorMath.norm(v)
            if alpha > 0 { v = VectorMath.scaled(v, 1 / alpha) }
            var w = v
            var (rhobar, phibar) = (alpha, beta)
            var (anorm, ddnorm, res2, xxnorm, z) = (0.0, 0.0, 0.0, 0.0, 0.0)
            var (cs2, sn2) = (-1.0, 0.0)
            let dampSquared = damping * damping
            converged = alpha == 0
            while !converged && iterations < maxIterations {
                iterations += 1
                // Bidiagonalisation: β u = H v − α u, α v = H u − β v.
                u = VectorMath.axpy(-alpha, u, multiply(v))
                beta = VectorMath.norm(u)
                if beta > 0 {
                    u = VectorMath.scaled(u, 1 / beta)
                    anorm = (anorm * anorm + alpha * alpha + beta * beta + dampSquared).squareRoot()
                    v = VectorMath.axpy(-beta, v, multiply(u))
                    alpha = VectorMath.norm(v)
                    if alpha > 0 { v = VectorMath.scaled(v, 1 / alpha) }
                }
                // Rotations that eliminate the damping and the subdiagonal.
                let rhobar1 = (rhobar * rhobar + dampSquared).squareRoot()
                let (cs1, sn1) = (rhobar / rhobar1, damping / rhobar1)
                let psi = sn1 * phibar
                phibar *= cs1
                let rho = (rhobar1 * rhobar1 + beta * beta).squareRoot()
                let (cs, sn) = (rhobar1 / rho, beta / rho)
                let theta = sn * alpha
                rhobar = -cs * alpha
                let phi = cs * phibar
                phibar *= sn
                let tau = sn * phi
                // Update the correction and the search direction.
                let (t1, t2) = (phi / rho, -theta / rho)
                var dk2 = 0.0
                for i in 0..<n {
                    d[i] += t1 * w[i]
                    dk2 += (w[i] / rho) * (w[i] / rho)
                    w[i] = v[i] + t2 * w[i]
                }
                ddnorm += dk2
                // ‖d‖ estimate (for the compatible-system test).
                let delta = sn2 * rho, gambar = -cs2 * rho
                let rhs = phi - delta * z
                let zbar = rhs / gambar
                let xnorm = (xxnorm + zbar * zbar).squareRoot()
                let gamma = (gambar * gambar + theta * theta).squareRoot()
                (cs2, sn2) = (gambar / gamma, theta / gamma)
                z = rhs / gamma
                xxnorm += z * z
                res2 += psi * psi
                let rnorm = (phibar * phibar + res2).squareRoot()
                let arnorm = alpha * abs(tau)
                let test1 = rnorm / rhsNorm
                test2 = rnorm > 0 ? arnorm / (anorm * rnorm) : 0
                converged = test2 <= tolerance || test1 <= tolerance + tolerance * anorm * xnorm / rhsNorm
                progress?(iterations)
            }
        }
        let v = zip(start, d).map { $0 + $1 }
        let bNorm = VectorMath.norm(b)
        let hv = multiply(v)
        let residual = bNorm > 0 ? VectorMath.norm(zip(hv, b).map { $0 + $1 }) / bNorm : 0
        return Solution(v: v, iterations: iterations, converged: converged, normalEquationResidual: test2, residual: residual)
    }
}
