import Foundation
import XCTest
@testable import ONNX

/// Mutated golden models must be read or refused with an `OnnxError`, never crash the process.
final class OnnxFuzzTests: XCTestCase {
    func testThousandsOfMutatedModelsNeverCrash() throws {
        var generator = Mutator.Generator(seed: 20_261_123)
        var accepted = 0, refused = 0
        for name in GoldenFiles.cases {
            let original = try Data(contentsOf: GoldenFiles.model(name))
            for _ in 0 ..< 400 {
                let mutated = Mutator.mutate(original, using: &generator)
                do {
                    _ = try OnnxFile.decode(mutated, file: "mutated.onnx")
                    accepted += 1
                } catch is OnnxError {
                    refused += 1
                }
            }
        }
        XCTAssertEqual(accepted + refused, 1200)
        XCTAssertGreaterThan(refused, 100, "the mutations should break most files")
    }
}

/// Deterministic byte-level mutations: flips, overwrites with boundary values, truncation,
/// duplication and deletion of ranges.
enum Mutator {
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    }

    static func mutate(_ data: Data, using generator: inout Generator) -> Data {
        var bytes = [UInt8](data)
        for _ in 0 ... generator.below(3) {
            guard !bytes.isEmpty else { break }
            let at = generator.below(bytes.count)
            switch generator.below(6) {
            case 0: bytes[at] ^= UInt8(1 << generator.below(8))
            case 1: bytes[at] = [0x00, 0x7F, 0x80, 0xFF][generator.below(4)]
            case 2: bytes.removeSubrange(at...)
            case 3: bytes.insert(contentsOf: bytes[at ..< min(bytes.count, at + 1 + generator.below(64))], at: at)
            case 4: bytes.removeSubrange(at ..< min(bytes.count, at + 1 + generator.below(16)))
            default:
                for offset in 0 ..< min(8, bytes.count - at) { bytes[at + offset] = UInt8(truncatingIfNeeded: generator.next()) }
            }
        }
        return Data(bytes)
    }
}
