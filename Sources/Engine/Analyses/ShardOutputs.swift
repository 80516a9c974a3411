import Foundation
import Protocol

/// Where a shard puts the files its result refers to (weight vectors), content-addressed so the
/// result names them by SHA-256 and never carries them inline. `seismo analyze` keeps them in a
/// directory; a worker keeps them in its artifact cache and uploads them before it reports.
public protocol ShardOutputs: Sendable {
    func store(_ bytes: Data, name: String) throws -> ArtifactReference
}

extension ArtifactCache: ShardOutputs {
    /// Writes the bytes under their SHA-256 (a temporary file moved into place, so a reader never
    /// sees a partial one).
    public func store(_ bytes: Data, name: String) throws -> ArtifactReference {
        let reference = ArtifactReference(sha256: ArtifactDigest.sha256(bytes), name: name, bytes: bytes.count)
        guard !contains(reference) else { return reference }
        let target = try url(forStoring: reference)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(reference.sha256).\(UUID().uuidString).partial")
        do {
            try bytes.write(to: temporary)
            if !FileManager.default.fileExists(atPath: target.path) { try FileManager.default.moveItem(at: temporary, to: target) }
        } catch where FileManager.default.fileExists(atPath: target.path) {
            // Another process stored the same bytes first.
        } catch {
            throw AnalysisError("artifact cache \(directory.path): cannot write \(name) (\(error.localizedDescription))")
        }
        try? FileManager.default.removeItem(at: temporary)
        return reference
    }
}

extension ArtifactResolver {
    /// A Float64 vector stored by a shard.
    func vector(_ reference: ArtifactReference) throws -> [Double] {
        let array = try NPY.read(url(for: reference))
        guard case .float64(let values) = array.storage, array.shape.count == 1 else {
            throw AnalysisError("\(reference.name): expected a Float64 vector")
        }
        return values
    }
}
