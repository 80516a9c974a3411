import XCTest
@testable import Engine

/// The graphical-derivative numerics of `solution-set` (MATH.md §3): the toy two-parameter
/// linear network (exact numbers) and the golden `mlp_digits` set-valued fixtures.
final class SolutionSetNumericsTests: XCTestCase {
    /// f = w1 w2 x, loss ½ Σ (y − w1 w2 x)², data (1, 2), (2, 4), both points perturbed.
    struct Toy: TrainingObjective {
        let x = [1.0, 2.0], y = [2.0, 4.0]
        var parameterCount: Int { 2 }
        var displacementCount: Int { 2 }

        func gradient(at w: [Double]) -> [Double] { pointsGradient(at: w, displacement: [0, 0]) }

        func pointsGradient(at w: [Double], displacement d: [Double]) -> [Double] {
            var g = [0.0, 0.0]
            for i in 0..<2 {
                let xi = x[i] + d[i], r = y[i] - w[0] * w[1] * xi
                g[0] -= r * xi * w[1]
                g[1] -= r * xi * w[0]
            }
            return g
        }

        func pointsInputGradient(at w: [Double]) -> [Double] {
            (0..<2).map { i in -(y[i] - w[0] * w[1] * x[i]) * w[0] * w[1] }
        }

        func loss(at w: [Double], displacement d: [Double]) -> Double {
            (0..<2).reduce(0) { s, i in let r = y[i] - w[0] * w[1] * (x[i] + d[i]); return s + r * r / 2 }
        }
    }

    func testToyExample() throws {
        let expected = try Golden.json("toy_setvalued", "expected.json")
        let toy = Toy(), wBar = [1.0, 2.0], dx = [-0.2, -0.4]
        let second = SecondOrder(objective: toy, base: wBar)
        // H from products with the unit vectors.
        let h = [second.hessianVectorProduct([1, 0]), second.hessianVectorProduct([0, 1])]
        let hExpected = expected["H_sum_loss"] as! [[Double]]
        for i in 0..<2 { for j in 0..<2 { XCTAssertEqual(h[j][i], hExpected[i][j], accuracy: 1e-9) } }
        let b = second.mixedTerm(direction: dx)
        XCTAssertEqual(b, expected["b_sum_loss"] as! [Double], accuracy: 1e-9)

        // The minimum-norm step: LSQR from 0 with a vanishing damping.
        let solver = DampedLSQR(damping: 1e-9, tolerance: 1e-14, maxIterations: 50)
        let step = solver.solve(b: b, multiply: second.hessianVectorProduct)
        XCTAssertTrue(step.converged)
        XCTAssertEqual(step.v, expected["min_norm_step_delta_v"] as! [Double], accuracy: 1e-6)
        XCTAssertLessThan(step.residual, 1e-6)
        XCTAssertEqual(toy.loss(at: wBar, displacement: dx), expected["loss_perturbed_data_at_w_bar"] as! Double, accuracy: 1e-9)
        let moved = zip(wBar, step.v).map { $0 + $1 }
        XCTAssertEqual(toy.loss(at: moved, displacement: dx), expected["loss_perturbed_data_after_step"] as! Double, accuracy: 1e-6)

        // κ = ‖H⁺B‖₂ by power iteration on the damped pseudo-inverse.
        let kappa = LinearisedModulus(solver: solver, maxIterations: 30, tolerance: 1e-12).estimate(second, scale: 1, seed: 3)
        XCTAssertEqual(kappa.kappa, expected["kappa_norm_Hpinv_B"] as! Double, accuracy: 1e-6)

        // A random start keeps its null-space component and still solves H v + b = 0.
        let null = expected["null_space_direction"] as! [Double]
        let started = solver.solve(b: b, start: [0.3, -0.1], multiply: second.hessianVectorProduct)
        XCTAssertLessThan(started.residual, 1e-6)
        let offset = zip(started.v, step.v).map { $0 - $1 }
        let along = VectorMath.dot(offset, null)
        XCTAssertEqual(VectorMath.norm(offset), abs(along), accuracy: 1e-6, "the starts differ only along the null space")
        XCTAssertEqual(along, VectorMath.dot([0.3, -0.1], null), accuracy: 1e-6)
    }

    /// The golden training subset, the perturbed point 0 and its direction.
    private func goldenObjective() throws -> (NetworkObjective, [Double]) {
        let model = try Golden.model("mlp_digits")
        let images: Tensor<Double> = try Golden.array("mlp_digits", "setvalued_train_inputs.npy").tensor(Double.self)
        let labels = try Golden.array("mlp_digits", "setvalued_train_labels.npy").tensor(Double.self).scalars.map { Int($0) }
        let objective = NetworkObjective(network: Network<Double>(model), images: images, labels: labels, points: [0])
        return (objective, try Golden.doubles("mlp_digits", "setvalued_direction.npy"))
    }

    private func assertClose(_ a: [Double], _ b: [Double], relative: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let error = VectorMath.distance(a, b) / VectorMath.norm(b)
        XCTAssertLessThanOrEqual(error, relative, "\(what): relative error \(error)", file: file, line: line)
    }

    func testGoldenHessianProductsAndMixedTerm() throws {
        let (objective, direction) = try goldenObjective()
        let json = try Golden.json("mlp_digits", "setvalued.json")
        XCTAssertEqual(objective.parameterCount, json["n_parameters"] as! Int)
        let second = SecondOrder(objective: objective, base: objective.base)
        let u = try Golden.doubles("mlp_digits", "setvalued_hvp_u.npy")
        assertClose(second.hessianVectorProduct(u), try Golden.doubles("mlp_digits", "setvalued_hvp_Hu.npy"), relative: 1e-6, "H u")
        let b = second.mixedTerm(direction: direction)
        assertClose(b, try Golden.doubles("mlp_digits", "setvalued_b_paper.npy"), relative: 1e-6, "b (1/|P|)")
        assertClose(VectorMath.scaled(b, 1.0 / 64), try Golden.doubles("mlp_digits", "setvalued_b_influence.npy"), relative: 1e-6, "b (1/n)")
        let gradientNorm = VectorMath.norm(objective.gradient(at: objective.base))
        XCTAssertEqual(gradientNorm, json["gradient_norm_at_w_bar"] as! Double, accuracy: 1e-9 * gradientNorm)
        let clean = objective.losses(at: objective.base, displacement: [])
        XCTAssertEqual(clean.trainingLoss, json["training_loss_at_w_bar"] as! Double, accuracy: 1e-9 * clean.trainingLoss)
        XCTAssertEqual(clean.pointLoss, json["point_loss_at_w_bar_unperturbed"] as! Double, accuracy: 1e-9 * clean.pointLoss)
    }

    func testGoldenDampedSolution() throws {
        let (objective, direction) = try goldenObjective()
        let json = try Golden.json("mlp_digits", "setvalued.json")
        let damped = (json["damped"] as! [String: Any])["0.01"] as! [String: Any]
        let second = SecondOrder(objective: objective, base: objective.base)
        let bPaper = second.mixedTerm(direction: direction)
        let delta = json["delta"] as! Double
        let displacement = VectorMath.scaled(direction, delta)
        for (scaling, factor, file) in [("paper_scaling", 1.0, "paper"), ("influence_scaling", 1.0 / 64, "influence")] {
            let expected = damped[scaling] as! [String: Any]
            let solution = DampedLSQR(damping: 0.01, tolerance: 1e-10, maxIterations: 5_000)
                .solve(b: VectorMath.scaled(bPaper, factor), multiply: second.hessianVectorProduct)
            XCTAssertTrue(solution.converged, "\(scaling): \(solution.iterations) iterations")
            assertClose(solution.v, try Golden.doubles("mlp_digits", "setvalued_vdamped_0.01_\(file).npy"), relative: 1e-4, "v_μ \(scaling)")
            XCTAssertEqual(solution.residual, expected["residual"] as! Double, accuracy: 1e-4 * (expected["residual"] as! Double))
            let losses = expected["losses"] as! [String: [String: Double]]
            let atBar = objective.losses(at: objective.base, displacement: displacement)
            XCTAssertEqual(atBar.pointLoss, losses["w_bar"]!["perturbed_point_loss"]!, accuracy: 1e-9 * atBar.pointLoss)
            XCTAssertEqual(atBar.trainingLoss, losses["w_bar"]!["training_loss_perturbed_data"]!, accuracy: 1e-9 * atBar.trainingLoss)
            let moved = objective.losses(at: VectorMath.axpy(delta, solution.v, objective.base), displacement: displacement)
            XCTAssertEqual(moved.pointLoss, losses["w_bar_plus_delta_v"]!["perturbed_point_loss"]!, accuracy: 1e-4 * moved.pointLoss)
            XCTAssertEqual(moved.trainingLoss, losses["w_bar_plus_delta_v"]!["training_loss_perturbed_data"]!, accuracy: 1e-4 * moved.trainingLoss)
            print("\(scaling): \(solution.iterations) iterations, residual \(solution.residual), normal residual \(solution.normalEquationResidual)")
        }
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, "\(a) vs \(b)", file: file, line: line) }
}

extension SolutionSetNumericsTests {
    /// Both stencils against the golden H u and b: central differences at the default steps, and
    /// the five-point stencil at a larger step.
    func testStencils() throws {
        let model = try Golden.model("mlp_digits")
        let images: Tensor<Double> = try Golden.array("mlp_digits", "setvalued_train_inputs.npy").tensor(Double.self)
        let labels = try Golden.array("mlp_digits", "setvalued_train_labels.npy").tensor(Double.self).scalars.map { Int($0) }
        let objective = NetworkObjective(network: Network<Double>(model), images: images, labels: labels, points: [0])
        let u = try Golden.doubles("mlp_digits", "setvalued_hvp_u.npy"), hu = try Golden.doubles("mlp_digits", "setvalued_hvp_Hu.npy")
        let b = try Golden.doubles("mlp_digits", "setvalued_b_paper.npy"), direction = try Golden.doubles("mlp_digits", "setvalued_direction.npy")
        var fivePoint = SecondOrder(objective: objective, base: objective.base)
        (fivePoint.stencil, fivePoint.relativeStep, fivePoint.dataStep) = (.fivePoint, 1e-4, 1e-4)
        for (second, limit) in [(SecondOrder(objective: objective, base: objective.base), 1e-9), (fivePoint, 1e-10)] {
            let e1 = VectorMath.distance(second.hessianVectorProduct(u), hu) / VectorMath.norm(hu)
            let e2 = VectorMath.distance(second.mixedTerm(direction: direction), b) / VectorMath.norm(b)
            XCTAssertLessThan(e1, limit, "\(second.stencil): H u")
            XCTAssertLessThan(e2, limit, "\(second.stencil): b")
        }
    }
}
