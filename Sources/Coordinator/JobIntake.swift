import Engine
import Foundation
import Hummingbird
import Logging
import Protocol

/// Accepting a job: the kind exists, the settings are in range, every artifact was uploaded, the
/// model loads, the data fits it and the options are valid for it — checked by the kind's own
/// `validate` on the real files — and only then are the job and its planned shards stored (in one
/// transaction), so a rejected job leaves nothing behind.
struct JobIntake: Sendable {
    let jobs: JobStore
    let artifacts: ArtifactStore
    /// Where the coordinator keeps the artifacts it validates jobs against.
    let cache: ArtifactCache

    func submit(_ request: SubmitRequest, owner: String) async throws -> SubmitResponse {
        guard let kindName = request.job["kind"]?.stringValue else {
            throw HTTPError(.badRequest, message: "job.kind: missing; expected one of \(Self.kindNames)")
        }
        let analysis: AnyAnalysis
        do { analysis = try AnalysisCatalog.kind(named: kindName) } catch {
            throw HTTPError(.badRequest, message: "job.kind: unknown analysis '\(kindName)'; expected one of \(Self.kindNames)")
        }
        let shardSize = request.shardSize ?? SubmitRequest.defaultShardSize
        let maxAttempts = request.maxAttempts ?? SubmitRequest.defaultMaxAttempts
        let priority = request.priority ?? 0
        try Validation.range(shardSize, 1...1_000_000, field: "shardSize")
        try Validation.range(maxAttempts, 1...100, field: "maxAttempts")
        try Validation.range(priority, -1000...1000, field: "priority")

        let spec = try SeismoJSON.encoder(pretty: false).encode(request.job)
        let inputs: JobInputs
        do { inputs = try AnyAnalysis.artifacts(spec: spec) } catch { throw HTTPError(.badRequest, message: "\(error)") }
        try await fetch(inputs)
        let cache = self.cache
        let accepted: AcceptedJob
        do {
            accepted = try await OffloadedWork.run { try analysis.accept(spec: spec, resolver: cache, shardSize: shardSize) }
        } catch let error as WireJSON.Failure {
            throw HTTPError(.badRequest, message: error.description)
        } catch {
            throw HTTPError(.unprocessableContent, message: "\(error)")
        }
        let id = try await jobs.create(NewJob(kind: kindName, spec: accepted.spec, shards: accepted.shards, priority: priority,
                                              maxAttempts: maxAttempts, owner: owner, shardSize: shardSize))
        return SubmitResponse(id: id, shards: accepted.shards.count)
    }

    /// Copies the job's artifacts from the database to the cache (422 when one was not uploaded).
    private func fetch(_ inputs: JobInputs) async throws {
        do {
            try await StoredArtifacts(artifacts: artifacts, cache: cache).fetch(inputs.artifacts)
        } catch let missing as StoredArtifacts.Missing {
            throw HTTPError(.unprocessableContent, message: missing.description)
        }
    }

    static var kindNames: String { AnalysisCatalog.kinds.keys.map(\.rawValue).sorted().joined(separator: ", ") }
}
