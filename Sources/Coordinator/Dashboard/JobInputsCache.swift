import Engine
import Foundation
import Protocol

/// The inputs of the jobs the dashboard shows pictures of: artifacts copied from the database to
/// the coordinator's cache (if a restart emptied it) and loaded once.
actor JobInputsCache {
    private let artifacts: ArtifactStore
    private let cache: ArtifactCache
    private var loaded: [UUID: AnalysisInputs] = [:]
    private var order: [UUID] = []

    init(artifacts: ArtifactStore, cache: ArtifactCache) {
        self.artifacts = artifacts
        self.cache = cache
    }

    func inputs(of job: UUID, spec: String) async throws -> AnalysisInputs {
        if let inputs = loaded[job] { return inputs }
        let references = try AnyAnalysis.artifacts(spec: Data(spec.utf8))
        try await StoredArtifacts(artifacts: artifacts, cache: cache).fetch(references.artifacts)
        let cache = self.cache
        let inputs = try await OffloadedWork.run { try AnalysisInputs.load(references, resolver: cache) }
        loaded[job] = inputs
        order.append(job)
        if order.count > 4 { loaded[order.removeFirst()] = nil }
        return inputs
    }
}

/// Copies stored artifacts into a coordinator's disk cache, verified.
struct StoredArtifacts: Sendable {
    let artifacts: ArtifactStore
    let cache: ArtifactCache

    /// Throws `missing` for the first artifact that was never uploaded.
    func fetch(_ references: [ArtifactReference]) async throws {
        for artifact in references where !cache.contains(artifact) {
            guard let (stored, _) = try await artifacts.reference(artifact.sha256), stored.bytes == artifact.bytes else {
                throw Missing(artifact: artifact)
            }
            try await cache.fetch(stored) { try await artifacts.chunk(artifact.sha256, index: $0) ?? Data() }
        }
    }

    struct Missing: Error, CustomStringConvertible {
        var artifact: ArtifactReference
        var description: String {
            "artifact \(artifact.name) (\(artifact.sha256), \(artifact.bytes) bytes) has not been uploaded; PUT /v1/artifacts/\(artifact.sha256) first"
        }
    }
}
