import Foundation

/// NumPy `.npz` archives: a ZIP of `.npy` members, stored (`np.savez`) or deflated
/// (`np.savez_compressed`). Keys are member names without `.npy`, as NumPy shows them.
public enum NPZ {
    public static func read(_ url: URL) throws -> [String: NDArray] {
        try decode(FileBytes.read(url), file: FileBytes.name(url))
    }

    static func decode(_ data: Data, file: String) throws -> [String: NDArray] {
        let archive = try NPZArchive(data, file: file)
        return try Dictionary(uniqueKeysWithValues: archive.keys.map { ($0, try archive.array($0)) })
    }
}

/// An NPZ archive whose arrays are decoded on demand, so that a loader reads only the one it needs.
struct NPZArchive {
    private let zip: ZIPArchive
    private let members: [String: ZIPArchive.Entry]

    init(_ data: Data, file: String) throws {
        zip = try ZIPArchive(data, file: file)
        var members: [String: ZIPArchive.Entry] = [:]
        // Other members (directories, metadata) are not arrays; NumPy would return them as bytes.
        for entry in zip.entries where entry.name.hasSuffix(".npy") {
            guard members.updateValue(entry, forKey: String(entry.name.dropLast(4))) == nil else {
                throw DataError(file: file, .malformedArchive("member '\(entry.name)' appears twice"))
            }
        }
        self.members = members
    }

    var file: String { zip.file }
    var keys: [String] { members.keys.sorted() }

    func array(_ key: String) throws -> NDArray {
        guard let entry = members[key] else {
            throw DataError(file: file, .missingArray(wanted: [key], found: keys))
        }
        return try NPY.decode(zip.contents(of: entry), file: "\(file)[\(entry.name)]")
    }

    /// The first of `preferred` keys present, else the only array.
    func array(preferring preferred: [String]) throws -> NDArray {
        if let key = preferred.first(where: { members[$0] != nil }) { return try array(key) }
        guard keys.count == 1 else { throw DataError(file: file, .missingArray(wanted: preferred, found: keys)) }
        return try array(keys[0])
    }
}
