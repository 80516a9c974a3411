import Foundation

/// Reading a whole data file, with the failures every reader reports the same way.
enum FileBytes {
    /// The path as the user gave it (relative paths stay relative), for messages.
    static func name(_ url: URL) -> String {
        url.isFileURL ? url.relativePath : url.absoluteString
    }

    static func read(_ url: URL) throws -> Data {
        let file = name(url)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw DataError(file: file, .notFound)
        }
        guard !isDirectory.boolValue else { throw DataError(file: file, .unreadable("it is a directory")) }
        do {
            // Mapped when possible: datasets can be large and are read once.
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw DataError(file: file, .unreadable(error.localizedDescription))
        }
    }
}
