/// An RGB raster to draw figures on: 8 bits per channel, rows top to bottom, pixels left to right.
///
/// Drawing outside the canvas is clipped silently, so figures can place marks without bounds
/// arithmetic of their own.
public struct Canvas: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// The colour the canvas starts with.
    public let background: RGB
    /// `width · height · 3` bytes, R G B per pixel, row-major from the top-left corner.
    public private(set) var pixels: [UInt8]

    /// A canvas of `width` × `height` pixels (both at least 1) filled with `background`.
    public init(width: Int, height: Int, background: RGB = .white) {
        precondition(width > 0 && height > 0, "a canvas needs at least one pixel, not \(width)×\(height)")
        (self.width, self.height, self.background) = (width, height, background)
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(bounds, color: background)
    }

    /// The whole canvas as a rectangle.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// The colour at (`x`, `y`), which must lie on the canvas.
    public func pixel(x: Int, y: Int) -> RGB {
        precondition(bounds.contains(x: x, y: y), "pixel (\(x), \(y)) lies outside a \(width)×\(height) canvas")
        let i = (y * width + x) * 3
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Paints one pixel; pixels off the canvas are ignored.
    public mutating func setPixel(x: Int, y: Int, color: RGB) {
        guard bounds.contains(x: x, y: y) else { return }
        let i = (y * width + x) * 3
        pixels[i] = color.r
        pixels[i + 1] = color.g
        pixels[i + 2] = color.b
    }

    /// Paints every pixel of `rect` that lies on the canvas.
    public mutating func fill(_ rect: PixelRect, color: RGB) {
        let r = rect.clipped(to: bounds)
        guard r.width > 0 && r.height > 0 else { return }
        pixels.withUnsafeMutableBufferPointer { p in
            for y in r.y..<r.maxY {
                var i = (y * width + r.x) * 3
                for _ in 0..<r.width {
                    p[i] = color.r
                    p[i + 1] = color.g
                    p[i + 2] = color.b
                    i += 3
                }
            }
        }
    }

    /// Paints a frame `lineWidth` pixels thick just inside `rect`.
    public mutating func drawRectangleOutline(_ rect: PixelRect, color: RGB, lineWidth: Int = 1) {
        let t = min(lineWidth, rect.width, rect.height)
        guard t > 0 else { return }
        fill(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: t), color: color)
        fill(PixelRect(x: rect.x, y: rect.maxY - t, width: rect.width, height: t), color: color)
        fill(PixelRect(x: rect.x, y: rect.y, width: t, height: rect.height), color: color)
        fill(PixelRect(x: rect.maxX - t, y: rect.y, width: t, height: rect.height), color: color)
    }

    /// Draws a straight line with round ends, `width` pixels thick, between two points in pixel
    /// coordinates (pixel (i, j) covers [i, i+1) × [j, j+1), so its centre is (i + 0.5, j + 0.5)).
    /// Edge pixels are blended by how far their centre lies inside the stroke, which keeps
    /// slanted plot lines smooth.
    public mutating func drawLine(from start: (x: Double, y: Double), to end: (x: Double, y: Double),
                                  color: RGB, width: Double = 1) {
        let radius = max(width, 0) / 2
        guard radius > 0, [start.x, start.y, end.x, end.y].allSatisfy(\.isFinite) else { return }
        // The stroke's bounding box, limited to the canvas before converting to Int.
        let reach = radius + 1
        let (columns, rows) = (Double(self.width), Double(self.height))
        func clampX(_ x: Double) -> Int { Int(min(max(x, -1), columns + 1)) }
        func clampY(_ y: Double) -> Int { Int(min(max(y, -1), rows + 1)) }
        let left = clampX((min(start.x, end.x) - reach).rounded(.down)), right = clampX((max(start.x, end.x) + reach).rounded(.up))
        let top = clampY((min(start.y, end.y) - reach).rounded(.down)), bottom = clampY((max(start.y, end.y) + reach).rounded(.up))
        let area = PixelRect(x: left, y: top, width: right - left, height: bottom - top).clipped(to: bounds)
        let dx = end.x - start.x, dy = end.y - start.y
        let lengthSquared = dx * dx + dy * dy
        for py in area.y..<area.maxY {
            for px in area.x..<area.maxX {
                // Distance from the pixel centre to the nearest point of the segment.
                let cx = Double(px) + 0.5 - start.x, cy = Double(py) + 0.5 - start.y
                let s = lengthSquared > 0 ? min(max((cx * dx + cy * dy) / lengthSquared, 0), 1) : 0
                let ex = cx - s * dx, ey = cy - s * dy
                let distance = (ex * ex + ey * ey).squareRoot()
                // Full cover within the stroke, fading out over the half pixel on either side of its edge.
                let cover = min(max(radius + 0.5 - distance, 0), 1)
                guard cover > 0 else { continue }
                setPixel(x: px, y: py, color: pixel(x: px, y: py).blended(with: color, alpha: cover))
            }
        }
    }

    /// Copies `source` with its top-left corner at `origin`; the parts off this canvas are dropped.
    public mutating func blit(_ source: Canvas, at origin: (x: Int, y: Int)) {
        let target = PixelRect(x: origin.x, y: origin.y, width: source.width, height: source.height).clipped(to: bounds)
        guard target.width > 0 && target.height > 0 else { return }
        let rowBytes = target.width * 3
        for y in target.y..<target.maxY {
            let from = ((y - origin.y) * source.width + (target.x - origin.x)) * 3
            let to = (y * width + target.x) * 3
            pixels.replaceSubrange(to..<(to + rowBytes), with: source.pixels[from..<(from + rowBytes)])
        }
    }

    /// Writes `text` in the built-in 5×8 bitmap font with its top-left corner at `origin`,
    /// each font pixel drawn as a `scale` × `scale` block. Lines break at "\n"; characters the
    /// font lacks show as a box. The text covers `BitmapFont.size(of:scale:)`.
    public mutating func draw(text: String, at origin: (x: Int, y: Int), color: RGB, scale: Int = 1) {
        let scale = max(scale, 1)
        var x = origin.x, y = origin.y
        for character in text {
            if character == "\n" {
                x = origin.x
                y += BitmapFont.lineHeight * scale
                continue
            }
            let rows = BitmapFont.glyph(for: character)
            for row in 0..<BitmapFont.glyphHeight {
                for column in 0..<BitmapFont.glyphWidth where BitmapFont.isSet(rows, row: row, column: column) {
                    fill(PixelRect(x: x + column * scale, y: y + row * scale, width: scale, height: scale), color: color)
                }
            }
            x += BitmapFont.advance * scale
        }
    }
}
