import Foundation

/// Loading the images and labels a command is given, in whichever supported format, and
/// checking them against the model before any work starts.
///
/// Images: `.npy`; `.npz` (the array `x`, `images` or `data`, else the only array); IDX images
/// (`*-idx3-ubyte`, optionally `.gz`), as [N, 1, H, W]; CIFAR-10/100 `.bin`, as [N, 3, 32, 32].
/// Labels: `.npy` (integers, or floats with integral values; [N] or [N, 1]); `.npz` (`y` or
/// `labels`, else the only array); IDX labels (`*-idx1-ubyte`); the same CIFAR `.bin` file.
public enum DatasetFile {
    public static func loadImages(_ url: URL) throws -> NDArray {
        let contents = try DatasetContents(url)
        let (data, file) = (contents.data, contents.file)
        switch contents.format {
        case .npy: return try NPY.decode(data, file: file)
        case .npz: return try NPZArchive(data, file: file).array(preferring: ["x", "images", "data"])
        case .idx: return try IDX.decode(data, expecting: .images, file: file)
        case .cifar: return try CIFAR.decode(data, path: contents.innerPath, file: file).images
        }
    }

    public static func loadLabels(_ url: URL) throws -> [Int] {
        let contents = try DatasetContents(url)
        let (data, file) = (contents.data, contents.file)
        switch contents.format {
        case .npy: return try labels(NPY.decode(data, file: file), file: file)
        case .npz:
            let archive = try NPZArchive(data, file: file)
            return try labels(archive.array(preferring: ["y", "labels"]), file: file)
        case .idx: return try labels(IDX.decode(data, expecting: .labels, file: file), file: file)
        case .cifar: return try CIFAR.decode(data, path: contents.innerPath, file: file).labels
        }
    }

    /// Accepts [N] + inputShape, its flat form [N, D], and [N, H, W] for a one-channel [1, H, W].
    public static func validateImages(_ images: NDArray, inputShape: [Int], file: String) throws {
        guard let n = images.shape.first else {
            throw DataError(file: file, .shapeMismatch(found: images.shape, expected: [1] + inputShape))
        }
        guard n >= 1 else { throw DataError(file: file, .emptyDataset(shape: images.shape)) }
        let item = Array(images.shape.dropFirst())
        let accepted = [inputShape, [inputShape.reduce(1, *)]]
            + (inputShape.count == 3 && inputShape[0] == 1 ? [Array(inputShape.dropFirst())] : [])
        guard accepted.contains(item) else {
            throw DataError(file: file, .shapeMismatch(found: images.shape, expected: [n] + inputShape))
        }
    }

    public static func validateLabels(_ labels: [Int], classes: Int, file: String) throws {
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw DataError(file: file, .labelOutOfRange(index: bad, value: labels[bad], classes: classes))
        }
    }

    /// Class indices from an array of shape [N] or [N, 1]: integers as they are, floats only
    /// when every value is a whole number (NumPy users often save labels as float64).
    static func labels(_ array: NDArray, file: String) throws -> [Int] {
        guard array.shape.count == 1 || (array.shape.count == 2 && array.shape[1] == 1) else {
            throw DataError(file: file, .labelShape(array.shape))
        }
        if let integers = array.integers { return integers }
        let values: [Double]
        switch array.storage {
        case .float32(let v): values = v.map(Double.init)
        case .float64(let v): values = v
        case .uint8, .int32, .int64: values = []  // handled by `integers`
        }
        return try values.enumerated().map { index, value in
            guard let label = Int(exactly: value) else {
                throw DataError(file: file, .nonIntegerLabel(index: index, value: value))
            }
            return label
        }
    }
}
