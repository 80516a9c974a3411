import Foundation
import Protocol

/// Writing an analysis's files: JSON in Seismo's dialect, CSV with round-trip numbers, NPY, PNG.
struct OutputFiles {
    let directory: URL
    private(set) var written: [String] = []

    init(directory: URL) { self.directory = directory }

    mutating func json<T: Encodable>(_ value: T, _ name: String) throws {
        try write(SeismoJSON.encoder().encode(value), name)
    }

    /// `rows` of already formatted cells under `header`.
    mutating func csv(header: [String], rows: [[String]], _ name: String) throws {
        var text = header.joined(separator: ",") + "\n"
        for row in rows { text += row.joined(separator: ",") + "\n" }
        try write(Data(text.utf8), name)
    }

    mutating func npy(_ array: NDArray, _ name: String) throws {
        let url = directory.appendingPathComponent(name)
        try NPY.write(array, to: url)
        written.append(name)
    }

    mutating func png(_ canvas: Canvas, _ name: String) throws {
        try write(PNG.encode(canvas), name)
    }

    mutating func write(_ data: Data, _ name: String) throws {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw AnalysisError("cannot write \(url.path): \(error.localizedDescription)")
        }
        written.append(name)
    }
}

/// CSV cells: shortest round-trip decimal for numbers, empty for missing values.
enum Cell {
    static func number(_ v: Double?) -> String {
        guard let v else { return "" }
        return v.isFinite ? "\(v)" : (v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf"))
    }

    static func integer(_ v: Int?) -> String { v.map(String.init) ?? "" }

    /// Quoted when it holds a comma, quote or newline.
    static func text(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
