import Foundation
import Protocol
@testable import Engine

extension LocalJob {
    /// The job over golden or temporary files, named by URL.
    init(_ kind: A.Type, model: URL, data: URL, labels: URL? = nil, comparison: (URL, URL?)? = nil, outliers: URL? = nil,
         options: A.Options) throws {
        try self.init(kind, model: model.path, data: data.path, labels: labels?.path,
                      comparison: comparison.map { ($0.0.path, $0.1?.path) }, outlierLabels: outliers?.path, options: options)
    }

    func results(shardSize: Int, threads: Int = 2) throws -> [A.ShardResult] {
        try results(shardSize: shardSize, context: ExecutionContext(threads: threads))
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
