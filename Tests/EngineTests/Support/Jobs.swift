import Foundation
import Protocol
@testable import Engine

/// A job over files, run the way `seismo analyze` runs it: load, validate, prepare, plan,
/// execute every shard, aggregate.
struct LocalJob<A: Analysis> {
    var job: JobSpec<A.Options>
    var inputs: AnalysisInputs

    init(_: A.Type, model: URL, data: URL, labels: URL? = nil, comparison: (URL, URL?)? = nil, outliers: URL? = nil,
         options: A.Options) throws {
        var artifacts = LocalArtifacts()
        let reference = { (url: URL) in try artifacts.add(url.path) }
        var jobInputs = JobInputs(model: try reference(model),
                                  primary: DatasetReference(data: try reference(data), labels: try labels.map(reference), count: 0),
                                  comparison: try comparison.map { DatasetReference(data: try reference($0.0), labels: try $0.1.map(reference), count: 0) },
                                  outlierLabels: try outliers.map(reference))
        let loaded = try AnalysisInputs.load(jobInputs, resolver: artifacts)
        jobInputs.primary.count = loaded.primary.count
        jobInputs.comparison?.count = loaded.comparison?.count ?? 0
        job = JobSpec(inputs: jobInputs, options: options)
        try A.validate(job, inputs: loaded)
        A.prepare(&job, inputs: loaded)
        inputs = loaded
    }

    func results(shardSize: Int, threads: Int = 2) throws -> [A.ShardResult] {
        try A.plan(job, shardSize: shardSize).map { try A.execute(job, shard: $0, inputs: inputs, context: ExecutionContext(threads: threads)) }
    }

    func summary(shardSize: Int, shuffled: Bool = false) throws -> A.Summary {
        var results = try results(shardSize: shardSize)
        if shuffled { results.reverse() }
        return A.aggregate(job, results: results)
    }
}

/// Writes an array to a temporary .npy file.
func temporaryNPY(_ array: NDArray, _ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-tests-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try NPY.write(array, to: url)
    return url
}
