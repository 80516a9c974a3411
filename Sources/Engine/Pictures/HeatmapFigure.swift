import Foundation

/// One sample's influence maps drawn over its image, as a single picture:
///
/// ```
/// caption
///  image     title 1    title 2   …
/// [image]   [overlay]  [overlay]
///           [colour bar][colour bar]
///           0     max   0     max
/// ```
///
/// Each overlay shows the image in grey under the inferno colour of its map, normalised to the
/// map's own [0, max], so panels of different scales are each readable on their own; the colour
/// bar beneath says what the top colour means.
public struct HeatmapFigure {
    /// Opacity of the colour over the grey image.
    public static let overlayAlpha = 0.65
    /// The colour map of the overlays and colour bars.
    public static let colormap = Colormap.inferno
    /// Blank space around and between the parts of the figure.
    static let gutter = 10
    /// Height of a colour bar.
    static let barHeight = 8
    /// How much narrower than its panel a colour bar is on either side.
    static let barInset = 8
    /// Title of the image panel.
    static let imageTitle = "image"

    /// Renders the figure.
    /// - Parameters:
    ///   - image: C×H×W values (C = 1 or 3, NCHW order of one sample), shown with `valueRange`
    ///     mapped to 0…255 (grey for C = 1, RGB for C = 3, other C: mean of channels as grey).
    ///   - panels: one H×W map each (row-major Double), with a title each (e.g. "k=1"). Negative
    ///     values show as 0; NaN shows as `Colormap.missing`.
    ///   - caption: the line at the top, e.g. "sample 1234  label 3  predicted 5  FI 1.2e+00".
    ///   - pixelScale: screen pixels per image pixel (nearest neighbour); by default as many as
    ///     make a panel about 192 pixels wide, at least 1.
    public static func render(image: [Float], channels: Int, height: Int, width: Int, valueRange: ClosedRange<Double>,
                              panels: [(title: String, map: [Double])], caption: String, pixelScale: Int? = nil) -> Canvas {
        precondition(channels > 0 && height > 0 && width > 0, "an image needs C, H, W ≥ 1, not \(channels)×\(height)×\(width)")
        precondition(image.count == channels * height * width,
                     "\(image.count) values are not a \(channels)×\(height)×\(width) image")
        for panel in panels {
            precondition(panel.map.count == height * width, "map \"\(panel.title)\" has \(panel.map.count) values, not \(height)×\(width)")
        }
        let maxima = panels.map { maximum(of: $0.map) }
        let layout = Layout(height: height, width: width, pixelScale: pixelScale, caption: caption,
                            titles: panels.map(\.title), maxLabels: maxima.map(label))
        var canvas = Canvas(width: layout.width, height: layout.height, background: .white)
        canvas.draw(text: caption, at: layout.captionOrigin, color: .black, scale: layout.captionScale)

        let plane = height * width
        // The grey under the overlays; also the image itself unless it has three channels.
        let greys = (0..<plane).map { i in level(mean(image, at: i, channels: channels, plane: plane), in: valueRange) }
        let picture = (0..<plane).map { i in
            guard channels == 3 else { return RGB(grey: greys[i]) }
            return RGB(level(image[i], in: valueRange), level(image[plane + i], in: valueRange), level(image[2 * plane + i], in: valueRange))
        }
        drawTitle(imageTitle, over: layout.imageFrame, layout: layout, on: &canvas)
        draw(picture, width: width, in: layout.imageFrame, scale: layout.pixelScale, on: &canvas)

        for (k, panel) in panels.enumerated() {
            let top = maxima[k]
            let overlay = (0..<plane).map { i in
                let v = panel.map[i]
                let t = v.isNaN ? v : top > 0 ? v / top : 0
                return RGB(grey: greys[i]).blended(with: colormap.color(at: t), alpha: overlayAlpha)
            }
            let frame = layout.panelFrames[k]
            drawTitle(panel.title, over: frame, layout: layout, on: &canvas)
            draw(overlay, width: width, in: frame, scale: layout.pixelScale, on: &canvas)
            drawColorBar(in: layout.barFrames[k], maxLabel: label(top), layout: layout, on: &canvas)
        }
        return canvas
    }

    /// The largest finite value of `map`, or 0 when it has none.
    static func maximum(of map: [Double]) -> Double {
        map.lazy.filter(\.isFinite).max() ?? 0
    }

    /// A colour bar's label for `value`: C's `%.2g`.
    static func label(_ value: Double) -> String {
        String(format: "%.2g", value)
    }

    /// `value` on 0…255 where `range` spans black to white (NaN, and any value of an empty range, mid grey).
    static func level(_ value: Float, in range: ClosedRange<Double>) -> UInt8 {
        let span = range.upperBound - range.lowerBound
        let t = span > 0 ? (Double(value) - range.lowerBound) / span : 0.5
        return t.isNaN ? 128 : UInt8((255 * min(max(t, 0), 1)).rounded())
    }

    private static func mean(_ image: [Float], at i: Int, channels: Int, plane: Int) -> Float {
        var sum: Float = 0
        for c in 0..<channels { sum += image[c * plane + i] }
        return sum / Float(channels)
    }

    /// Draws an H×W raster into `frame`, each pixel a `scale` × `scale` block.
    private static func draw(_ picture: [RGB], width: Int, in frame: PixelRect, scale: Int, on canvas: inout Canvas) {
        for (i, color) in picture.enumerated() {
            let (row, column) = i.quotientAndRemainder(dividingBy: width)
            canvas.fill(PixelRect(x: frame.x + column * scale, y: frame.y + row * scale, width: scale, height: scale), color: color)
        }
    }

    private static func drawTitle(_ title: String, over frame: PixelRect, layout: Layout, on canvas: inout Canvas) {
        let x = frame.x + (frame.width - BitmapFont.textWidth(title, scale: layout.titleScale)) / 2
        canvas.draw(text: title, at: (x, layout.titleY), color: .black, scale: layout.titleScale)
    }

    /// The colour map left to right in a grey frame just outside `bar`, "0" under its left end
    /// and `maxLabel` under its right end.
    private static func drawColorBar(in bar: PixelRect, maxLabel: String, layout: Layout, on canvas: inout Canvas) {
        for column in 0..<bar.width {
            let t = bar.width > 1 ? Double(column) / Double(bar.width - 1) : 1
            canvas.fill(PixelRect(x: bar.x + column, y: bar.y, width: 1, height: bar.height), color: colormap.color(at: t))
        }
        canvas.drawRectangleOutline(PixelRect(x: bar.x - 1, y: bar.y - 1, width: bar.width + 2, height: bar.height + 2), color: .grey)
        canvas.draw(text: "0", at: (bar.x, layout.labelY), color: .black, scale: layout.labelScale)
        let right = bar.maxX - BitmapFont.textWidth(maxLabel, scale: layout.labelScale)
        canvas.draw(text: maxLabel, at: (right, layout.labelY), color: .black, scale: layout.labelScale)
    }
}
