import Crypto
import Foundation
import Logging
import PostgresNIO
import Protocol

/// Models and data sets in PostgreSQL, content-addressed by SHA-256 and kept in chunks (so no
/// single row or message holds a whole data set). An upload is verified against its address
/// before it becomes visible, and is stored once however often it is sent.
public struct ArtifactStore: Sendable {
    public static let chunkSize = ArtifactChunking.size

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public enum UploadError: Error, CustomStringConvertible {
        case digestMismatch(expected: String, actual: String)
        case sizeMismatch(expected: Int, actual: Int)
        public var description: String {
            switch self {
            case .digestMismatch(let expected, let actual): return "the uploaded bytes hash to \(actual), not to \(expected)"
            case .sizeMismatch(let expected, let actual): return "\(actual) bytes were uploaded, \(expected) announced"
            }
        }
    }

    public func contains(_ sha256: String) async throws -> Bool {
        for try await _ in try await client.query("SELECT 1 FROM artifacts WHERE sha256 = \(sha256)", logger: logger).decode(Int.self) {
            return true
        }
        return false
    }

    /// Stores the bytes under `reference` after checking size and SHA-256; a second upload of the
    /// same artifact changes nothing.
    public func put(_ reference: ArtifactReference, bytes: Data) async throws {
        guard bytes.count == reference.bytes else { throw UploadError.sizeMismatch(expected: reference.bytes, actual: bytes.count) }
        let actual = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        guard actual == reference.sha256 else { throw UploadError.digestMismatch(expected: reference.sha256, actual: actual) }
        let chunks = stride(from: 0, to: max(bytes.count, 1), by: Self.chunkSize).map { bytes[$0..<min($0 + Self.chunkSize, bytes.count)] }
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("""
                INSERT INTO artifacts (sha256, name, bytes, chunks) VALUES (\(reference.sha256), \(reference.name), \(reference.bytes), \(chunks.count))
                ON CONFLICT (sha256) DO NOTHING RETURNING 1
                """, logger: logger)
            var inserted = false
            for try await _ in rows.decode(Int.self) { inserted = true }
            guard inserted else { return }
            for (index, chunk) in chunks.enumerated() {
                try await connection.query("""
                    INSERT INTO artifact_chunks (sha256, index, data) VALUES (\(reference.sha256), \(index), \(ByteBuffer(bytes: chunk)))
                    """, logger: logger)
            }
        }
    }

    /// The artifact's description, or nil when it is not stored.
    public func reference(_ sha256: String) async throws -> (reference: ArtifactReference, chunks: Int)? {
        let rows = try await client.query("SELECT name, bytes, chunks FROM artifacts WHERE sha256 = \(sha256)", logger: logger)
        for try await (name, bytes, chunks) in rows.decode((String, Int, Int).self) {
            return (ArtifactReference(sha256: sha256, name: name, bytes: bytes), chunks)
        }
        return nil
    }

    /// One chunk's bytes (index from 0), for streaming an artifact out chunk by chunk.
    public func chunk(_ sha256: String, index: Int) async throws -> Data? {
        let rows = try await client.query("SELECT data FROM artifact_chunks WHERE sha256 = \(sha256) AND index = \(index)", logger: logger)
        for try await buffer in rows.decode(ByteBuffer.self) { return Data(buffer.readableBytesView) }
        return nil
    }
}
