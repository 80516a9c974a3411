import Foundation

/// CIFAR-10 and CIFAR-100 "binary version" files: fixed-size records without a header.
/// A CIFAR-10 record is 1 label byte then 3072 pixel bytes; a CIFAR-100 record is a coarse
/// and a fine label byte then 3072 pixel bytes, and its class is the fine label. The pixels
/// are 1024 red, 1024 green, 1024 blue, each 32×32 row-major: [3, 32, 32] as they stand.
///
/// Which variant a file is — the rule:
/// 1. a file named `data_batch*` or `test_batch*` is CIFAR-10 (the official names);
/// 2. else a path containing `cifar-100` or `cifar100` is CIFAR-100;
/// 3. else a path containing `cifar-10` or `cifar10` is CIFAR-10;
/// 4. else a file named `train.bin` or `test.bin` is CIFAR-100 (the official names);
/// 5. else the size decides: a multiple of 3073 bytes only → CIFAR-10, of 3074 only → CIFAR-100.
/// When the name decides, the size must still be a whole number of records.
enum CIFAR {
    enum Variant: Equatable {
        case cifar10, cifar100

        var labelBytes: Int { self == .cifar10 ? 1 : 2 }
        var recordSize: Int { labelBytes + CIFAR.pixelsPerImage }
        var classes: Int { self == .cifar10 ? 10 : 100 }
        var name: String { self == .cifar10 ? "CIFAR-10" : "CIFAR-100" }
    }

    static let imageShape = [3, 32, 32]
    static let pixelsPerImage = 3 * 32 * 32

    static func decode(_ data: Data, path: String, file: String) throws -> (images: NDArray, labels: [Int]) {
        let variant = try self.variant(path: path, size: data.count, file: file)
        let n = data.count / variant.recordSize
        guard n > 0 else { throw DataError(file: file, .emptyDataset(shape: [0] + imageShape)) }
        let (pixels, labels) = split(data, records: n, variant: variant)
        if let bad = labels.firstIndex(where: { $0 >= variant.classes }) {
            throw DataError(file: file, .labelOutOfRange(index: bad, value: labels[bad], classes: variant.classes))
        }
        return (NDArray(shape: [n] + imageShape, storage: .uint8(pixels)), labels)
    }

    /// Steps 1–5 of the rule above.
    static func variant(path: String, size: Int, file: String) throws -> Variant {
        let lowered = path.lowercased()
        let name = lowered.split(separator: "/").last.map(String.init) ?? lowered
        let byName: Variant?
        if name.hasPrefix("data_batch") || name.hasPrefix("test_batch") {
            byName = .cifar10
        } else if lowered.contains("cifar-100") || lowered.contains("cifar100") {
            byName = .cifar100
        } else if lowered.contains("cifar-10") || lowered.contains("cifar10") {
            byName = .cifar10
        } else if name == "train.bin" || name == "test.bin" {
            byName = .cifar100
        } else {
            byName = nil
        }
        if let byName {
            guard size % byName.recordSize == 0 else {
                throw DataError(file: file, .unrecognizedCIFAR(
                    "\(size) bytes are not a whole number of \(byName.name) records, which the file name implies"))
            }
            return byName
        }
        switch (size % Variant.cifar10.recordSize == 0, size % Variant.cifar100.recordSize == 0) {
        case (true, false): return .cifar10
        case (false, true): return .cifar100
        case (true, true):
            throw DataError(file: file, .unrecognizedCIFAR(
                "\(size) bytes are whole numbers of both record sizes and the name does not say which (name it data_batch*.bin or train.bin)"))
        case (false, false):
            throw DataError(file: file, .unrecognizedCIFAR("\(size) bytes are not a whole number of records"))
        }
    }

    /// Pixels of all records one after the other, and each record's class label.
    private static func split(_ data: Data, records n: Int, variant: Variant) -> (pixels: [UInt8], labels: [Int]) {
        var labels = [Int](repeating: 0, count: n)
        let pixels = [UInt8](unsafeUninitializedCapacity: n * pixelsPerImage) { buffer, initialized in
            data.withUnsafeBytes { raw in
                for i in 0..<n {
                    let record = i * variant.recordSize
                    labels[i] = Int(raw[record + variant.labelBytes - 1])  // CIFAR-100: the fine label
                    let source = UnsafeRawBufferPointer(rebasing: raw[(record + variant.labelBytes)..<(record + variant.recordSize)])
                    UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[(i * pixelsPerImage)...])
                        .copyMemory(from: source)
                }
            }
            initialized = n * pixelsPerImage
        }
        return (pixels, labels)
    }
}
