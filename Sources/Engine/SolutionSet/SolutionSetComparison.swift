import Foundation
import Protocol

/// The estimate against fine-tuning on one problem (`seismo bench solution-set`): one
/// graphical-derivative solve from v₀ = 0 and one epoch of SGD on the perturbed data, each
/// judged by the loss on the perturbed points, the loss on the clean training set, the distance
/// from w̄ and its wall time.
public enum SolutionSetComparison {
    public struct Row: Sendable {
        public var method: String
        public var seconds: Double
        public var pointLoss: Double
        public var cleanTrainingLoss: Double
        public var distance: Double
    }

    public struct Outcome: Sendable {
        public var rows: [Row]
        public var setupSeconds: Double
        public var iterations: Int
        public var converged: Bool
        public var residual: Double
        public var normalEquationResidual: Double
    }

    /// `options` names the problem (points, one δ, damping, tolerance, fine-tuning settings).
    public static func run(_ options: SolutionSetOptions, inputs: AnalysisInputs, threads: Int,
                           progress: ((Int) -> Void)? = nil) throws -> Outcome {
        let clock = ContinuousClock()
        let delta = options.deltas[0]
        var problem: SolutionSetProblem!
        let setup = try clock.measure { problem = try SolutionSetProblem(options, inputs: inputs, threads: threads) }.seconds
        let base = problem.objective.base
        var rows = [row("w̄ (no change)", 0, problem.losses(at: base, delta: delta), distance: 0)]

        var solution: DampedLSQR.Solution!
        let solveSeconds = clock.measure {
            solution = options.solver.solve(b: problem.b, multiply: problem.second.hessianVectorProduct, progress: progress)
        }.seconds
        let estimate = VectorMath.axpy(delta, solution.v, base)
        rows.append(row("estimate w̄ + δv (setup + solve)", setup + solveSeconds, problem.losses(at: estimate, delta: delta),
                        distance: delta * VectorMath.norm(solution.v)))

        var tuned: [Double] = []
        let tuneSeconds = clock.measure {
            tuned = Retraining.run(options, problem: problem, start: Network<Float>(inputs.model), delta: delta, seed: options.seed, threads: threads)
        }.seconds
        rows.append(row("fine-tuning, \(options.retrainEpochs) epoch SGD", tuneSeconds, problem.losses(at: tuned, delta: delta),
                        distance: VectorMath.distance(tuned, base)))
        return Outcome(rows: rows, setupSeconds: setup, iterations: solution.iterations, converged: solution.converged,
                       residual: solution.residual, normalEquationResidual: solution.normalEquationResidual)
    }

    private static func row(_ method: String, _ seconds: Double, _ losses: LossesAtDelta, distance: Double) -> Row {
        Row(method: method, seconds: seconds, pointLoss: losses.pointLoss, cleanTrainingLoss: losses.cleanTrainingLoss, distance: distance)
    }
}
