import Crypto
import Foundation
import Protocol

/// Artifacts that are files on this host, named by the SHA-256 of their bytes.
public struct LocalArtifacts: ArtifactResolver {
    private var files: [String: URL] = [:]

    public init() {}

    /// Hashes the file and remembers where it is; the reference names it in a job.
    public mutating func add(_ path: String) throws -> ArtifactReference {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw AnalysisError("\(path): cannot read (\(FileManager.default.fileExists(atPath: path) ? "unreadable" : "no such file"))")
        }
        let digest = ArtifactDigest.sha256(data)
        files[digest] = url
        return ArtifactReference(sha256: digest, name: url.lastPathComponent, bytes: data.count)
    }

    public func url(for artifact: ArtifactReference) throws -> URL {
        guard let url = files[artifact.sha256] else { throw AnalysisError("artifact \(artifact.name) (\(artifact.sha256)) is not on this host") }
        return url
    }
}

/// Content addresses of artifacts.
public enum ArtifactDigest {
    /// Lower-case hex SHA-256.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
