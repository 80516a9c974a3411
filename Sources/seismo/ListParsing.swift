import ArgumentParser
import Engine
import Foundation

extension InfluenceMaps.ChannelMode: ExpressibleByArgument {}

/// "1,3,5,7" → [1, 3, 5, 7], naming the option and the bad item on failure.
func parseIntegers(_ text: String, option: String) throws -> [Int] {
    try text.split(separator: ",", omittingEmptySubsequences: false).map { item in
        guard let value = Int(item.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("\(option) must be a comma-separated list of integers; '\(item)' is not one")
        }
        return value
    }
}

/// Window sides for influence maps: odd, positive, no larger than the image.
func parseScales(_ text: String, imageSide: Int) throws -> [Int] {
    let scales = try parseIntegers(text, option: "--scales")
    for s in scales where s < 1 || s % 2 == 0 || s > imageSide {
        throw ValidationError("--scales: \(s) is not an odd window side between 1 and \(imageSide)")
    }
    return scales
}

/// "1e-4,3e-4,1e-3" → [1e-4, 3e-4, 1e-3], naming the option and the bad item on failure.
func parseNumbers(_ text: String, option: String) throws -> [Double] {
    try text.split(separator: ",", omittingEmptySubsequences: false).map { item in
        guard let value = Double(item.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("\(option) must be a comma-separated list of numbers; '\(item)' is not one")
        }
        return value
    }
}

/// "MIN:MAX:COUNT" → COUNT log-spaced values from MIN to MAX (both > 0).
func parseLogRange(_ text: String, option: String) throws -> [Double] {
    let parts = text.split(separator: ":").map(String.init)
    guard parts.count == 3, let lo = Double(parts[0]), let hi = Double(parts[1]), let count = Int(parts[2]),
          lo > 0, hi >= lo, lo.isFinite, hi.isFinite, count >= 1 else {
        throw ValidationError("\(option) must be MIN:MAX:COUNT with 0 < MIN ≤ MAX and COUNT ≥ 1, got '\(text)'")
    }
    guard count > 1 else { return [lo] }
    return (0..<count).map { i in Foundation.exp(Foundation.log(lo) + (Foundation.log(hi) - Foundation.log(lo)) * Double(i) / Double(count - 1)) }
}

/// "MIN:MAX" → MIN...MAX (finite, MIN < MAX).
func parseRange(_ text: String, option: String) throws -> ClosedRange<Double> {
    let parts = text.split(separator: ":").map { Double($0) }
    guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo.isFinite, hi.isFinite, lo < hi else {
        throw ValidationError("\(option) must be MIN:MAX with MIN < MAX, got '\(text)'")
    }
    return lo...hi
}
