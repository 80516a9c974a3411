import Coordinator
import Crypto
import Foundation
import Protocol
import XCTest

final class TokenAndArtifactStoreTests: XCTestCase {
    private let logger = TestDatabase.logger

    func testTokensCarryTheirRoleAreStoredHashedAndCanBeRevoked() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let tokens = TokenStore(client: client, logger: self.logger)
            var issued: [TokenRole: String] = [:]
            for role in TokenRole.allCases { issued[role] = try await tokens.create(role: role, name: "\(role)") }
            for (role, token) in issued {
                XCTAssertTrue(token.hasPrefix("sk_") && token.count == 46, token)
                let found = try await tokens.role(of: token)
                XCTAssertEqual(found, role)
            }
            let unknown = try await tokens.role(of: "sk_not-a-token")
            XCTAssertNil(unknown)
            var stored: [String] = []
            for try await hex in try await client.query("SELECT encode(hash, 'hex') FROM tokens").decode(String.self) { stored.append(hex) }
            XCTAssertEqual(stored.count, 4)
            XCTAssertTrue(issued.values.allSatisfy { token in !stored.contains { $0.contains(token) } }, "only hashes are stored")
            let revoked = try await tokens.revoke(issued[.read]!)
            let again = try await tokens.revoke(issued[.read]!)
            XCTAssertTrue(revoked)
            XCTAssertFalse(again)
            let afterRevoke = try await tokens.role(of: issued[.read]!)
            XCTAssertNil(afterRevoke)
            // The bootstrap admin token: valid once ensured, ensuring twice is harmless.
            try await tokens.ensure("bootstrap-secret", role: .admin, name: "bootstrap")
            try await tokens.ensure("bootstrap-secret", role: .admin, name: "bootstrap")
            let admin = try await tokens.role(of: "bootstrap-secret")
            XCTAssertEqual(admin, .admin)
        }
    }

    func testArtifactsAreVerifiedChunkedAndStoredOnce() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let artifacts = ArtifactStore(client: client, logger: self.logger)
            var generator = SystemRandomNumberGenerator()
            let bytes = Data((0..<(ArtifactStore.chunkSize * 2 + 12345)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            let reference = ArtifactReference(sha256: digest, name: "data.npy", bytes: bytes.count)
            let before = try await artifacts.contains(digest)
            XCTAssertFalse(before)
            try await artifacts.put(reference, bytes: bytes)
            try await artifacts.put(reference, bytes: bytes)
            let after = try await artifacts.contains(digest)
            XCTAssertTrue(after)
            let stored = try await artifacts.reference(digest)
            XCTAssertEqual(stored?.reference, reference)
            XCTAssertEqual(stored?.chunks, 3)
            var back = Data()
            for index in 0..<3 { back += try await artifacts.chunk(digest, index: index) ?? Data() }
            XCTAssertEqual(back, bytes)
            let beyond = try await artifacts.chunk(digest, index: 3)
            XCTAssertNil(beyond)

            // Bytes that do not match their address are refused, and nothing is stored.
            var corrupted = bytes
            corrupted[7] ^= 1
            let wrongDigest = ArtifactReference(sha256: String(repeating: "0", count: 64), name: "x", bytes: bytes.count)
            do {
                try await artifacts.put(wrongDigest, bytes: corrupted)
                XCTFail("a digest mismatch must be refused")
            } catch let error as ArtifactStore.UploadError {
                XCTAssertTrue("\(error)".contains("hash to"), "\(error)")
            }
            do {
                try await artifacts.put(ArtifactReference(sha256: digest, name: "x", bytes: 5), bytes: bytes)
                XCTFail("a size mismatch must be refused")
            } catch let error as ArtifactStore.UploadError {
                XCTAssertTrue("\(error)".contains("announced"), "\(error)")
            }
            var count = 0
            for try await n in try await client.query("SELECT count(*)::int FROM artifacts").decode(Int.self) { count = n }
            XCTAssertEqual(count, 1)
        }
    }
}
