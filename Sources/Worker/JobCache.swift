import Engine
import Foundation
import Protocol

/// Jobs opened on this worker (spec read, artifacts fetched to the disk cache and verified,
/// model and data loaded), kept for the next shards of the same job. Concurrent shards of one
/// job share one opening.
actor JobCache {
    private let client: CoordinatorClient
    private let cacheDirectory: URL
    private let capacity: Int
    private var opened: [UUID: Task<OpenJob, Error>] = [:]
    private var recent: [UUID] = []

    init(client: CoordinatorClient, cacheDirectory: URL, capacity: Int = 2) {
        self.client = client
        self.cacheDirectory = cacheDirectory
        self.capacity = capacity
    }

    func job(_ id: UUID, kind: String) async throws -> OpenJob {
        let task: Task<OpenJob, Error>
        if let existing = opened[id] {
            task = existing
        } else {
            task = Task { [client, cacheDirectory] in
                // An unusable cache directory fails every shard with its reason, visible in `seismo status`.
                try await Self.open(id, kind: kind, client: client, artifacts: ArtifactCache(directory: cacheDirectory))
            }
            opened[id] = task
        }
        recent.removeAll { $0 == id }
        recent.append(id)
        while recent.count > capacity { opened[recent.removeFirst()] = nil }
        do {
            return try await task.value
        } catch {
            // A failed opening is not remembered: the next shard tries again.
            if opened[id] == task { opened[id] = nil }
            throw error
        }
    }

    private static func open(_ id: UUID, kind: String, client: CoordinatorClient, artifacts: ArtifactCache) async throws -> OpenJob {
        let analysis = try AnalysisCatalog.kind(named: kind)
        let spec = try await client.spec(id)
        for artifact in try AnyAnalysis.artifacts(spec: spec).artifacts {
            try await artifacts.fetch(artifact) { try await client.artifactChunk(artifact.sha256, index: $0) }
        }
        return try await OffloadedWork.run { try analysis.open(spec: spec, resolver: artifacts) }
    }
}
