import Foundation
import Protocol

/// PNG pictures of a job's samples, for the dashboard: a sample's image, and its influence maps
/// drawn over it (the same figure `seismo analyze influence-maps` writes).
public enum SamplePictures {
    /// The sample's image (grey for one channel, RGB for three), enlarged to about 72 pixels wide.
    public static func image(_ images: NDArray, index: Int, inputShape: [Int]) -> Data {
        let item: Tensor<Float> = images.items([index], itemShape: inputShape)
        let (c, h, w) = inputShape.count == 3 ? (inputShape[0], inputShape[1], inputShape[2]) : (1, 1, inputShape.reduce(1, *))
        let scale = max(1, 72 / w)
        let range = images.valueRange
        let plane = h * w
        var canvas = Canvas(width: w * scale, height: h * scale)
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let color = c == 3
                    ? RGB(HeatmapFigure.level(item.scalars[i], in: range), HeatmapFigure.level(item.scalars[plane + i], in: range),
                          HeatmapFigure.level(item.scalars[2 * plane + i], in: range))
                    : RGB(grey: HeatmapFigure.level((0..<c).reduce(Float(0)) { $0 + item.scalars[$1 * plane + i] } / Float(c), in: range))
                canvas.fill(PixelRect(x: x * scale, y: y * scale, width: scale, height: scale), color: color)
            }
        }
        return PNG.encode(canvas)
    }

    /// The heatmap figure of one mapped sample.
    public static func maps(_ row: SampleMaps, job: JobSpec<InfluenceMapsOptions>, images: NDArray, inputShape: [Int]) -> Data {
        let image: Tensor<Float> = images.items([row.index], itemShape: inputShape)
        let figure = InfluenceMapsExport.heatmap(row, image: image.scalars, job: job, shape: (inputShape[0], inputShape[1], inputShape[2]),
                                                 valueRange: images.valueRange)
        return PNG.encode(figure)
    }

    /// A line chart of a sweep's accuracy and certified accuracy against ε.
    public static func sweepChart(_ summary: PerturbationSweepSummary) -> Data {
        PNG.encode(PerturbationSweepExport.chart(summary).render())
    }
}
