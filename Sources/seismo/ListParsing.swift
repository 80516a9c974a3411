import ArgumentParser
import Engine

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
