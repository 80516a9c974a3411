import Foundation
import XCTest
@testable import Engine

/// The fixture directories, found from this file's real location: resolving symlinks keeps the
/// path right when these sources are linked into another package (a scratch build).
enum DataFixtures {
    static let tests = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let data = tests.appendingPathComponent("Fixtures/data")
    static let golden = tests.appendingPathComponent("Fixtures/golden")

    static func url(_ name: String) -> URL { data.appendingPathComponent(name) }

    static func bytes(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    /// Every golden `.npy` file (Tests/Fixtures/golden/*/*.npy), sorted for determinism.
    static func goldenNPYFiles() throws -> [URL] {
        let cases = try FileManager.default.contentsOfDirectory(at: golden, includingPropertiesForKeys: nil)
        return try cases.flatMap { directory -> [URL] in
            guard (try? directory.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true else { return [] }
            return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "npy" }
        }.sorted { $0.path < $1.path }
    }

    /// 0, 1, 2, … as `make_fixtures.py` writes them; floats are halved and shifted by −1.
    static func ramp(_ count: Int, float: Bool) -> [Double] {
        (0..<count).map { float ? Double($0) / 2 - 1 : Double($0) }
    }
}

/// The engine's seeded SplitMix64, so that every fuzz run mutates the same bytes in the same way.
struct FuzzRandom {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

extension XCTestCase {
    /// A fresh directory, removed when the test ends.
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seismo-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Writes `data` to `name` (which may contain subdirectories) in a fresh temporary directory.
    func temporaryFile(_ name: String, _ data: Data) throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url
    }

    /// Asserts that `expression` throws a DataError of `kind` (when given) whose description is
    /// `message` (when given); returns the error.
    @discardableResult
    func assertDataError<T>(_ expression: @autoclosure () throws -> T, _ kind: DataError.Kind? = nil,
                            message: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> DataError? {
        do {
            let value = try expression()
            XCTFail("expected a DataError, got \(value)", file: file, line: line)
        } catch let error as DataError {
            if let kind { XCTAssertEqual(error.kind, kind, file: file, line: line) }
            if let message { XCTAssertEqual(error.description, message, file: file, line: line) }
            return error
        } catch {
            XCTFail("expected a DataError, got \(type(of: error)): \(error)", file: file, line: line)
        }
        return nil
    }
}

/// Hand-made files in the formats under test.
enum Bytes {
    /// An NPY file with `header` (padded here only with the final newline) and `payload`.
    static func npy(header: String, version: UInt8 = 1, payload: Data = Data()) -> Data {
        npy(headerBytes: Array((header + "\n").utf8), version: version, payload: payload)
    }

    static func npy(headerBytes: [UInt8], version: UInt8, payload: Data = Data()) -> Data {
        var data = Data(NPY.magic + [version, 0])
        let size = headerBytes.count
        data.append(contentsOf: (0..<(version == 1 ? 2 : 4)).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) })
        data.append(contentsOf: headerBytes)
        data.append(payload)
        return data
    }

    static func npyHeader(descr: String = "<f4", fortran: String = "False", shape: String = "(2,)") -> String {
        "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }"
    }

    /// An IDX file: magic, big-endian sizes, elements.
    static func idx(magic: UInt32, dims: [Int], payload: [UInt8]) -> Data {
        var data = Data()
        for value in [Int(magic)] + dims {
            data.append(contentsOf: (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
        }
        data.append(contentsOf: payload)
        return data
    }

    /// CIFAR records: label byte(s), then 3072 pixels derived from the record index.
    static func cifar(labels: [[UInt8]]) -> Data {
        var data = Data()
        for (i, recordLabels) in labels.enumerated() {
            data.append(contentsOf: recordLabels)
            data.append(contentsOf: cifarPixels(i))
        }
        return data
    }

    static func cifarPixels(_ record: Int) -> [UInt8] {
        (0..<3072).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ record &* 31) }
    }
}
