import Foundation
import Protocol

/// `solution-set`: the set of solutions of training and how it moves when training points are
/// perturbed (Wang, Wang & Ban, AAAI 2025; MATH.md §3). Shards: one graphical-derivative solve
/// per start — the linearised step v does not depend on δ, so one solve serves the whole δ grid
/// (Ŝ(δ) = w̄ + δ v) —, one fine-tuning run per (δ, run) including δ = 0, and one shard for the
/// linearised modulus κ. Weight vectors travel as NPY artifacts.
public enum SolutionSetAnalysis: Analysis {
    public typealias Options = SolutionSetOptions

    public static func validate(_ job: JobSpec<Options>, inputs: AnalysisInputs) throws {
        try SolutionSetValidation.check(job.options, inputs: inputs)
    }

    /// Chooses the perturbed points (seeded) when only a count was given, sorts δ, and fixes the
    /// training-set size, so that every host works on the same problem.
    public static func prepare(_ job: inout JobSpec<Options>, inputs: AnalysisInputs) {
        let n = job.options.trainCount ?? inputs.primary.count
        job.options.trainCount = n
        if job.options.points == nil, let count = job.options.perturbCount {
            var generator = SeededGenerator(seed: job.options.seed)
            job.options.points = Array(Array(0..<n).shuffled(using: &generator).prefix(count)).sorted()
        }
        job.options.perturbCount = job.options.points?.count
        job.options.deltas = Array(Set(job.options.deltas)).sorted()
    }

    /// Shard tasks: `selection` 0 solve (start = lower), 1 retrain (run = lower, `epsilon` = δ index,
    /// nil for δ = 0), 2 kappa.
    public static func plan(_ job: JobSpec<Options>, shardSize: Int) -> [ShardSpec] {
        let o = job.options
        var shards: [ShardSpec] = []
        func add(_ lower: Int, epsilon: Int?, task: Int) {
            shards.append(ShardSpec(index: shards.count, set: .primary, lower: lower, upper: lower + 1, epsilon: epsilon, selection: task))
        }
        for start in 0..<o.starts { add(start, epsilon: nil, task: 0) }
        if o.kappaIterations > 0 { add(0, epsilon: nil, task: 2) }
        if o.retrainRuns > 0 {
            for delta in [nil] + o.deltas.indices.map(Optional.some) {
                for run in 0..<o.retrainRuns { add(run, epsilon: delta, task: 1) }
            }
        }
        return shards
    }

    public static func execute(_ job: JobSpec<Options>, shard: ShardSpec, inputs: AnalysisInputs,
                               context: ExecutionContext) throws -> SolutionSetShardResult {
        let o = job.options
        let problem = try SolutionSetProblem.of(o, inputs: inputs, threads: context.threads)
        let result: SolutionSetShardResult
        switch shard.selection ?? 0 {
        case 0: result = try solve(o, start: shard.lower, problem: problem, outputs: context.outputs)
        case 1: result = try retrain(o, run: shard.lower, delta: shard.epsilon.map { o.deltas[$0] } ?? 0, deltaIndex: shard.epsilon,
                                     problem: problem, inputs: inputs, outputs: context.outputs)
        default:
            let estimate = LinearisedModulus(solver: o.solver, maxIterations: o.kappaIterations)
                .estimate(problem.second, scale: problem.scale, seed: SweepSeed.draw(o.seed, epsilon: -2, selection: 2, draw: 0))
            result = SolutionSetShardResult(task: .kappa, index: 0, iterations: estimate.iterations, converged: estimate.converged, kappa: estimate.kappa)
        }
        context.progress?(1)
        return result
    }

    private static func solve(_ o: Options, start: Int, problem: SolutionSetProblem, outputs: (any ShardOutputs)?) throws -> SolutionSetShardResult {
        var v0: [Double]?
        if start > 0 {
            var generator = SeededGenerator(seed: SweepSeed.draw(o.seed, epsilon: -3, selection: 0, draw: start))
            v0 = (0..<problem.objective.parameterCount).map { _ in o.sigma * generator.normal() }
        }
        let solution = o.solver.solve(b: problem.b, start: v0, multiply: problem.second.hessianVectorProduct)
        let base = problem.objective.base
        return SolutionSetShardResult(
            task: .solve, index: start, vector: try store(solution.v, name: "solve-\(start).npy", outputs),
            vectorNorm: VectorMath.norm(solution.v), residual: solution.residual, normalEquationResidual: solution.normalEquationResidual,
            iterations: solution.iterations, converged: solution.converged,
            // w̄'s losses are the same for every start: start 0 records them.
            lossesAtBase: start == 0 ? o.deltas.map { problem.losses(at: base, delta: $0) } : [],
            losses: o.deltas.map { problem.losses(at: VectorMath.axpy($0, solution.v, base), delta: $0) })
    }

    private static func retrain(_ o: Options, run: Int, delta: Double, deltaIndex: Int?, problem: SolutionSetProblem,
                                inputs: AnalysisInputs, outputs: (any ShardOutputs)?) throws -> SolutionSetShardResult {
        // Runs start from w̄ and the initial solutions in turn.
        let starts = [inputs.model] + inputs.initialSolutions
        let startModel = starts[run % starts.count]
        let base = problem.objective.base
        let seed = SweepSeed.draw(o.seed, epsilon: deltaIndex ?? -1, selection: 1, draw: run)
        // One thread: the result must not depend on the host's cores.
        let trained = Retraining.run(o, problem: problem, start: Network<Float>(startModel), delta: delta, seed: seed, threads: 1)
        var startReference: ArtifactReference?
        if run % starts.count > 0 {
            let w0 = startModel.parameters.flatMap { $0.values.map(Double.init) }
            startReference = try store(zip(w0, base).map { $0 - $1 }, name: "start-\(run % starts.count).npy", outputs)
        }
        let moved = zip(trained, base).map { $0 - $1 }
        return SolutionSetShardResult(task: .retrain, index: run, delta: delta,
                                      vector: try store(moved, name: "retrain-\(deltaIndex.map(String.init) ?? "0")-\(run).npy", outputs),
                                      start: startReference, vectorNorm: VectorMath.norm(moved),
                                      lossesAtBase: [problem.losses(at: base, delta: delta)], losses: [problem.losses(at: trained, delta: delta)])
    }

    private static func store(_ vector: [Double], name: String, _ outputs: (any ShardOutputs)?) throws -> ArtifactReference {
        guard let outputs else { throw AnalysisError("solution-set writes weight vectors, and this runner gave them no place") }
        return try outputs.store(NPY.encode(NDArray(shape: [vector.count], storage: .float64(vector))), name: name)
    }

    public static var resultsReferToArtifacts: Bool { true }

    public static func artifacts(of result: SolutionSetShardResult) -> [ArtifactReference] {
        [result.vector, result.start].compactMap { $0 }
    }

    public static func aggregate(_ job: JobSpec<Options>, results: [SolutionSetShardResult]) -> SolutionSetSummary {
        SolutionSetAggregation(job.options, results: results).summary
    }

    public static func aggregate(_ job: JobSpec<Options>, results: [SolutionSetShardResult], artifacts: ArtifactResolver) throws -> SolutionSetSummary {
        try SolutionSetAggregation(job.options, results: results, vectors: artifacts).summary
    }
}
