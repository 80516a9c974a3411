import Crypto
import Foundation
import Protocol

/// Artifacts fetched to this host's disk, one file per SHA-256 (`DIR/ab/abcdef…`). A file
/// appears only after its bytes were verified against their address, so any process may share
/// the directory and a crash leaves at most a stray temporary file.
public struct ArtifactCache: ArtifactResolver {
    public let directory: URL

    /// Creates the directory if needed; fails clearly when it cannot be written.
    public init(directory: URL) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw AnalysisError("artifact cache \(directory.path): cannot create the directory (\(error.localizedDescription))")
        }
        guard FileManager.default.isWritableFile(atPath: directory.path) else {
            throw AnalysisError("artifact cache \(directory.path): the directory is not writable")
        }
    }

    private func file(_ sha256: String) -> URL {
        directory.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
    }

    /// Where the artifact's file goes (its folder created).
    func url(forStoring artifact: ArtifactReference) throws -> URL {
        let target = file(artifact.sha256)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        return target
    }

    public func contains(_ artifact: ArtifactReference) -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file(artifact.sha256).path)
        return (attributes?[.size] as? NSNumber)?.intValue == artifact.bytes
    }

    public func url(for artifact: ArtifactReference) throws -> URL {
        guard contains(artifact) else { throw AnalysisError("artifact \(artifact.name) (\(artifact.sha256)) has not been fetched to \(directory.path)") }
        return file(artifact.sha256)
    }

    /// Fetches the artifact chunk by chunk (`chunk(i)` for i in 0..<chunks, chunks of
    /// `ArtifactChunking.size`) unless it is already here.
    public func fetch(_ artifact: ArtifactReference, chunk: (Int) async throws -> Data) async throws {
        guard !contains(artifact) else { return }
        let chunks = max(1, (artifact.bytes + ArtifactChunking.size - 1) / ArtifactChunking.size)
        var index = 0
        try await insert(artifact) {
            guard index < chunks else { return nil }
            defer { index += 1 }
            return try await chunk(index)
        }
    }

    /// Writes the artifact from its chunks (`next` returns nil after the last), verifying size
    /// and SHA-256 before the file becomes visible.
    public func insert(_ artifact: ArtifactReference, chunks next: () async throws -> Data?) async throws {
        let target = file(artifact.sha256)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(artifact.sha256).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw AnalysisError("artifact cache \(directory.path): cannot create \(temporary.lastPathComponent)")
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        let handle = try FileHandle(forWritingTo: temporary)
        var hasher = SHA256()
        var bytes = 0
        do {
            while let chunk = try await next() {
                hasher.update(data: chunk)
                try handle.write(contentsOf: chunk)
                bytes += chunk.count
                guard bytes <= artifact.bytes else { break }
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard bytes == artifact.bytes, digest == artifact.sha256 else {
            throw AnalysisError("artifact \(artifact.name): fetched \(bytes) bytes hashing to \(digest); expected \(artifact.bytes) bytes hashing to \(artifact.sha256)")
        }
        if FileManager.default.fileExists(atPath: target.path) { return }
        do {
            try FileManager.default.moveItem(at: temporary, to: target)
        } catch where FileManager.default.fileExists(atPath: target.path) {
            // Another process put the same verified bytes there first.
        }
    }
}
