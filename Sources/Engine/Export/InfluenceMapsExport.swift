import Foundation
import Protocol

/// The files of an `influence-maps` job: summary.json, maps.npy (float32, N × S × C' × H × W in
/// plan order), maps_reference.npy on request, maps_samples.csv (row → sample), and PNG heatmaps
/// of the most influential samples over their images.
public enum InfluenceMapsExport {
    public static let columns = ["row", "index", "label", "predicted", "p_label", "fi", "true_label",
                                 "one_pixel_fi_flipped", "one_pixel_fi_magnitude", "one_pixel_gradient_flipped",
                                 "one_pixel_gradient_magnitude", "one_pixel_random_flipped", "one_pixel_random_magnitude"]

    /// `images` (the job's primary samples) are drawn under the heatmaps of the `pictures` most
    /// influential samples.
    public static func write(job: JobSpec<InfluenceMapsOptions>, summary: InfluenceMapsSummary, results: [InfluenceMapsShardResult],
                             inputShape: [Int], images: NDArray?, pictures: Int = 20, to directory: URL) throws -> [String] {
        var files = OutputFiles(directory: directory)
        try files.json(summary, "summary.json")
        let rows = results.sorted { $0.shard.lower < $1.shard.lower }.flatMap(\.samples)
        let (c, h, w) = (inputShape[0], inputShape[1], inputShape[2])
        let mapChannels = job.options.channelMode == .separate ? c : 1
        let shape = [rows.count, job.options.scales.count, mapChannels, h, w]
        try files.npy(NDArray(shape: shape, storage: .float32(rows.flatMap(\.maps.values))), "maps.npy")
        if job.options.referenceEpsilon != nil {
            try files.npy(NDArray(shape: shape, storage: .float32(rows.flatMap { $0.mapsReference?.values ?? [] })), "maps_reference.npy")
        }
        try files.csv(header: columns, rows: rows.enumerated().map(cells), "maps_samples.csv")
        if let images {
            let ranked = rows.enumerated().sorted { ($0.element.fi, -$0.element.index) > ($1.element.fi, -$1.element.index) }.prefix(pictures)
            for (rank, (_, row)) in ranked.enumerated() {
                let image: Tensor<Float> = images.items([row.index], itemShape: inputShape)
                let figure = heatmap(row, image: image.scalars, job: job, shape: (c, h, w), valueRange: images.valueRange)
                try files.png(figure, String(format: "heatmaps/rank%02d_sample%d.png", rank + 1, row.index))
            }
        }
        return files.written
    }

    static func cells(_ row: Int, _ s: SampleMaps) -> [String] {
        let attempt = { (a: OnePixelCheck.Attempt?) in [a.map { $0.flipped ? "1" : "0" } ?? "", Cell.number(a?.magnitude)] }
        return [String(row), String(s.index), String(s.label), String(s.predicted), Cell.number(s.pLabel), Cell.number(s.fi),
                Cell.integer(s.trueLabel)] + attempt(s.onePixel?.influence) + attempt(s.onePixel?.gradient) + attempt(s.onePixel?.random)
    }

    /// One panel per scale; separate maps of several channels are shown as their channel mean.
    static func heatmap(_ row: SampleMaps, image: [Float], job: JobSpec<InfluenceMapsOptions>, shape: (c: Int, h: Int, w: Int),
                        valueRange: ClosedRange<Double>) -> Canvas {
        let plane = shape.h * shape.w
        let mapChannels = job.options.channelMode == .separate ? shape.c : 1
        let panels = job.options.scales.enumerated().map { s, scale -> (title: String, map: [Double]) in
            let base = s * mapChannels * plane
            let map = (0..<plane).map { p in
                (0..<mapChannels).reduce(0.0) { $0 + Double(row.maps.values[base + $1 * plane + p]) } / Double(mapChannels)
            }
            return (title: "k=\(scale)", map: map)
        }
        let truth = row.trueLabel.map { "  label \($0)" } ?? ""
        let numbers = String(format: "p_y %.3g  FI %.3g", row.pLabel, row.fi)
        let caption = "sample \(row.index)\(truth)  predicted \(row.predicted)  \(numbers)  (\(job.options.channelMode.rawValue) maps)"
        return HeatmapFigure.render(image: image, channels: shape.c, height: shape.h, width: shape.w, valueRange: valueRange,
                                    panels: panels, caption: caption)
    }
}
