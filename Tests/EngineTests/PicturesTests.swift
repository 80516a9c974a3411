import CZlib
import Foundation
import XCTest
@testable import Engine

/// PNG files decoded independently of the encoder, the bitmap font, colour maps against
/// matplotlib's tables, canvas drawing, and the heat-map figure's layout and colours.
final class PicturesTests: XCTestCase {
    // MARK: PNG

    func testPNGRoundTripsRandomCanvases() throws {
        var generator = SeededGenerator(seed: 11)
        for (width, height) in [(1, 1), (1, 9), (9, 1), (3, 5), (17, 8), (64, 33)] {
            var canvas = Canvas(width: width, height: height, background: RGB.series[width % 6])
            // Noise, flat rectangles and repeated rows, so that every filter gets chosen somewhere.
            for _ in 0..<(width * height / 2) {
                let x = Int.random(in: 0..<width, using: &generator), y = Int.random(in: 0..<height, using: &generator)
                canvas.setPixel(x: x, y: y, color: RGB(.random(in: 0...255, using: &generator), .random(in: 0...255, using: &generator),
                                                       .random(in: 0...255, using: &generator)))
            }
            canvas.fill(PixelRect(x: width / 3, y: height / 4, width: width / 2 + 1, height: height / 2 + 1), color: .black)
            let decoded = try DecodedPNG(PNG.encode(canvas))
            XCTAssertEqual(decoded.width, width)
            XCTAssertEqual(decoded.height, height)
            XCTAssertEqual(decoded.pixels, canvas.pixels, "\(width)×\(height)")
        }
    }

    func testPNGUsesEveryFilterAndDecodesEach() throws {
        var generator = SeededGenerator(seed: 3)
        var canvas = Canvas(width: 40, height: 60)
        for y in 0..<60 {
            for x in 0..<40 {
                func byte(_ v: Int) -> UInt8 { UInt8(truncatingIfNeeded: v) }
                let color: RGB
                switch y / 12 {
                case 0 where y % 2 == 0: color = .black                                // black after noise: None
                case 0: color = RGB(.random(in: 0...255, using: &generator), 7, 200)
                case 1: color = RGB(byte(2 * x + 40 * y), byte(x + 30 * y), 9)      // gentle along x, steep along y: Sub
                case 2: color = RGB(byte(37 * x), byte(11 * x), 5)                   // the same row again and again: Up
                case 3 where x > 0:  // each pixel the mean of its left and upper neighbours: Average
                    let (left, above) = (canvas.pixel(x: x - 1, y: y), canvas.pixel(x: x, y: y - 1))
                    color = RGB(byte((Int(left.r) + Int(above.r)) / 2), byte((Int(left.g) + Int(above.g)) / 2),
                                byte((Int(left.b) + Int(above.b)) / 2))
                default: color = RGB(byte(x * y), byte(5 * x + y), .random(in: 0...255, using: &generator))
                }
                canvas.setPixel(x: x, y: y, color: color)
            }
        }
        let decoded = try DecodedPNG(PNG.encode(canvas))
        XCTAssertEqual(decoded.pixels, canvas.pixels)
        XCTAssertTrue(Set(decoded.filters).isSuperset(of: [0, 1, 2, 3, 4]), "filters used: \(Set(decoded.filters).sorted())")
    }

    func testPNGFileStructure() throws {
        let data = PNG.encode(Canvas(width: 300, height: 200, background: .white))
        let bytes = [UInt8](data)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: 13 bytes, 300 × 200, depth 8, colour type 2, deflate, filter method 0, no interlace.
        XCTAssertEqual(Array(bytes[8..<33]), [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 44, 0, 0, 0, 200, 8, 2, 0, 0, 0]
                       + bytesBigEndian(testCRC32(Array(bytes[12..<29]))))
        // Every PNG ends with the same IEND chunk, CRC AE 42 60 82 (by zlib and by the bitwise reference).
        XCTAssertEqual(CZlib.crc32(0, Array("IEND".utf8), 4), 0xAE42_6082)
        XCTAssertEqual(testCRC32(Array("IEND".utf8)), 0xAE42_6082)
        XCTAssertEqual(Array(bytes.suffix(12)), [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
        let decoded = try DecodedPNG(data)
        XCTAssertEqual(decoded.chunkTypes, ["IHDR", "IDAT", "IEND"])
        // Up-filtered rows of a flat canvas deflate to almost nothing (180,000 bytes of pixels).
        XCTAssertLessThan(data.count, 1000)
        XCTAssertEqual(decoded.pixels, [UInt8](repeating: 255, count: 300 * 200 * 3))
    }

    func testPNGRawOverloadMatchesCanvas() {
        var canvas = Canvas(width: 4, height: 3, background: .grey)
        canvas.setPixel(x: 3, y: 2, color: .black)
        XCTAssertEqual(PNG.encode(rgb: canvas.pixels, width: 4, height: 3), PNG.encode(canvas))
    }

    func testPaethPredictor() {
        XCTAssertEqual(PNG.paeth(10, 20, 10), 20)  // p = 20: above
        XCTAssertEqual(PNG.paeth(20, 10, 10), 20)  // p = 20: left
        XCTAssertEqual(PNG.paeth(10, 20, 30), 10)  // p = 0: left, the nearest
        XCTAssertEqual(PNG.paeth(50, 50, 50), 50)
        XCTAssertEqual(PNG.paeth(0, 255, 200), 0)  // p = 55: left 55 away, above 200, above-left 145
    }

    // MARK: Font

    func testEveryPrintableASCIICharacterHasItsOwnGlyph() {
        let printable = (32...126).map { Character(UnicodeScalar(UInt8($0))) }
        var seen: [BitmapFont.Glyph: Character] = [:]
        for character in printable {
            XCTAssertTrue(BitmapFont.isDefined(character), "\(character)")
            let glyph = BitmapFont.glyph(for: character)
            if let twin = seen[glyph] { XCTFail("\(character) and \(twin) share a glyph") }
            seen[glyph] = character
            XCTAssertEqual(glyph & 0xE0E0_E0E0_E0E0_E0E0, 0, "\(character) uses more than 5 columns")
            XCTAssertEqual(character == " ", glyph == 0, "only the space is blank")
            // Only descenders reach below the baseline.
            XCTAssertEqual(glyph & 0xFF != 0, "gjpqy_".contains(character), "\(character)")
        }
        XCTAssertFalse(BitmapFont.isDefined("é"))
        XCTAssertEqual(BitmapFont.glyph(for: "é"), BitmapFont.glyph(for: "\u{1}"))
        XCTAssertNotEqual(BitmapFont.glyph(for: "é"), 0, "unknown characters show a box")
        XCTAssertEqual(BitmapFont.glyph(for: "×"), BitmapFont.glyph(for: "x"))
    }

    func testGlyphBits() {
        // "1": ..#.. at the top, .###. at the bottom, nothing below the baseline.
        let one = BitmapFont.glyph(for: "1")
        XCTAssertEqual((0..<5).map { BitmapFont.isSet(one, row: 0, column: $0) }, [false, false, true, false, false])
        XCTAssertEqual((0..<5).map { BitmapFont.isSet(one, row: 6, column: $0) }, [false, true, true, true, false])
        XCTAssertEqual((0..<5).map { BitmapFont.isSet(one, row: 7, column: $0) }, [false, false, false, false, false])
    }

    func testTextWidthArithmetic() {
        XCTAssertEqual(BitmapFont.textWidth(""), 0)
        XCTAssertEqual(BitmapFont.textWidth("a"), 5)
        XCTAssertEqual(BitmapFont.textWidth("k=13"), 4 * 6 - 1)
        XCTAssertEqual(BitmapFont.textWidth("k=13", scale: 3), 3 * (4 * 6 - 1))
        XCTAssertEqual(BitmapFont.textWidth("ab\nabcd\nc"), 4 * 6 - 1)
        XCTAssertEqual(BitmapFont.textHeight("one line"), 8)
        XCTAssertEqual(BitmapFont.textHeight("two\nlines", scale: 2), 2 * (10 + 8))
    }

    func testDrawnTextMatchesItsGlyphsAndMeasuredSize() {
        let text = "Ag_1.5e+03"
        let scale = 2
        var canvas = Canvas(width: 200, height: 40)
        canvas.draw(text: text, at: (7, 5), color: .black, scale: scale)
        var inked: [(x: Int, y: Int)] = []
        for y in 0..<40 { for x in 0..<200 where canvas.pixel(x: x, y: y) != .white { inked.append((x, y)) } }
        XCTAssertTrue(inked.allSatisfy { canvas.pixel(x: $0.x, y: $0.y) == .black })
        XCTAssertEqual(inked.map(\.x).min(), 7)
        XCTAssertEqual(inked.map(\.x).max(), 7 + BitmapFont.textWidth(text, scale: scale) - 1)
        XCTAssertEqual(inked.map(\.y).min(), 5)
        XCTAssertEqual(inked.map(\.y).max(), 5 + BitmapFont.textHeight(text, scale: scale) - 1)  // g and _ reach the last row
        // The second character, "g", pixel by pixel.
        let g = BitmapFont.glyph(for: "g")
        for row in 0..<8 {
            for column in 0..<5 {
                let x = 7 + (6 + column) * scale, y = 5 + row * scale
                XCTAssertEqual(canvas.pixel(x: x + 1, y: y + 1) == .black, BitmapFont.isSet(g, row: row, column: column))
            }
        }
    }

    // MARK: Colour maps

    func testColormapEndsAreMatplotlibs() {
        // matplotlib: to_hex(inferno(0)) = #000004, inferno(1) = #fcffa4, viridis #440154 … #fde725.
        XCTAssertEqual(Colormap.inferno.color(at: 0), RGB(0x00, 0x00, 0x04))
        XCTAssertEqual(Colormap.inferno.color(at: 1), RGB(0xFC, 0xFF, 0xA4))
        XCTAssertEqual(Colormap.viridis.color(at: 0), RGB(0x44, 0x01, 0x54))
        XCTAssertEqual(Colormap.viridis.color(at: 1), RGB(0xFD, 0xE7, 0x25))
        XCTAssertEqual(Colormap.greys.color(at: 0), .white)
        XCTAssertEqual(Colormap.greys.color(at: 1), .black)
        // Anchor 8 of 15 is matplotlib's entry 136 exactly: inferno (0.780517, 0.243327, 0.299523).
        XCTAssertEqual(Colormap.inferno.color(at: 8.0 / 15), RGB(199, 62, 76))
        // Between anchors, close to matplotlib: entry 128 of 256 is (188, 55, 84) and (33, 145, 140).
        XCTAssertTrue(close(Colormap.inferno.color(at: 128.0 / 255), RGB(188, 55, 84), within: 7))
        XCTAssertTrue(close(Colormap.viridis.color(at: 128.0 / 255), RGB(33, 145, 140), within: 7))
    }

    func testColormapClampsAndShowsNaNApart() {
        for map in Colormap.allCases {
            XCTAssertEqual(map.color(at: -3), map.color(at: 0))
            XCTAssertEqual(map.color(at: .infinity), map.color(at: 1))
            XCTAssertEqual(map.color(at: .nan), Colormap.missing)
            XCTAssertFalse((0...100).map { map.color(at: Double($0) / 100) }.contains(Colormap.missing), "\(map)")
        }
        // inferno and greys run dark to light and light to dark.
        let brightness = { (c: RGB) in Int(c.r) + Int(c.g) + Int(c.b) }
        let inferno = (0...20).map { brightness(Colormap.inferno.color(at: Double($0) / 20)) }
        XCTAssertEqual(inferno, inferno.sorted())
        let greys = (0...20).map { brightness(Colormap.greys.color(at: Double($0) / 20)) }
        XCTAssertEqual(greys, greys.sorted(by: >))
    }

    // MARK: Canvas

    func testFillOutlineAndBlitClipAtTheEdges() {
        var canvas = Canvas(width: 6, height: 4, background: .white)
        canvas.fill(PixelRect(x: 4, y: -2, width: 10, height: 4), color: .black)
        XCTAssertEqual(blackPixels(canvas), [(4, 0), (5, 0), (4, 1), (5, 1)].map { "\($0.0),\($0.1)" })
        var framed = Canvas(width: 5, height: 4)
        framed.drawRectangleOutline(PixelRect(x: 0, y: 0, width: 5, height: 4), color: .black)
        XCTAssertEqual(blackPixels(framed).count, 2 * 5 + 2 * 2)
        XCTAssertEqual(framed.pixel(x: 2, y: 2), .white)

        var stamp = Canvas(width: 3, height: 2, background: .black)
        stamp.setPixel(x: 0, y: 0, color: RGB.series[0])
        var target = Canvas(width: 4, height: 4)
        target.blit(stamp, at: (2, 3))  // only the stamp's top-left 2×1 lands
        XCTAssertEqual(target.pixel(x: 2, y: 3), RGB.series[0])
        XCTAssertEqual(target.pixel(x: 3, y: 3), .black)
        XCTAssertEqual(blackPixels(target), ["3,3"])
        target.blit(stamp, at: (-2, -1))  // only the stamp's bottom-right pixel lands, at (0, 0)
        XCTAssertEqual(target.pixel(x: 0, y: 0), .black)
        XCTAssertEqual(target.pixel(x: 1, y: 0), .white)
        target.setPixel(x: 9, y: 9, color: .black)  // off the canvas: ignored
        XCTAssertEqual(blackPixels(target), ["0,0", "3,3"])
    }

    func testLinesCoverTheirStroke() {
        var canvas = Canvas(width: 12, height: 10)
        // Along the centres of row 5, one pixel wide: exactly that row, from the first to the last pixel it spans.
        canvas.drawLine(from: (1.5, 5.5), to: (9.5, 5.5), color: .black, width: 1)
        // Along the border of rows 1 and 2: both half covered, so half-way grey.
        canvas.drawLine(from: (1.5, 2), to: (9.5, 2), color: .black, width: 1)
        for y in 0..<10 {
            for x in 0..<12 {
                let expected: RGB = (1...9).contains(x) ? (y == 5 ? .black : (y == 1 || y == 2 ? RGB(grey: 128) : .white)) : .white
                XCTAssertEqual(canvas.pixel(x: x, y: y), expected, "(\(x), \(y))")
            }
        }
        // A thick diagonal inks its middle and leaves far corners alone.
        var diagonal = Canvas(width: 20, height: 20)
        diagonal.drawLine(from: (0, 0), to: (20, 20), color: RGB.series[3], width: 3)
        XCTAssertEqual(diagonal.pixel(x: 10, y: 10), RGB.series[3])
        XCTAssertEqual(diagonal.pixel(x: 10, y: 11), RGB.series[3])
        XCTAssertEqual(diagonal.pixel(x: 19, y: 0), .white)
        XCTAssertEqual(diagonal.pixel(x: 0, y: 19), .white)
        // Ends far off the canvas: only the part on it is drawn; non-finite ends draw nothing.
        diagonal.drawLine(from: (-1e6, 5.5), to: (1e6, 5.5), color: .black, width: 1)
        XCTAssertEqual(diagonal.pixel(x: 0, y: 5), .black)
        XCTAssertEqual(diagonal.pixel(x: 19, y: 5), .black)
        let before = diagonal
        diagonal.drawLine(from: (.nan, 5), to: (3, .infinity), color: .black, width: 4)
        XCTAssertEqual(diagonal, before)
    }

    func testBlending() {
        XCTAssertEqual(RGB(grey: 100).blended(with: RGB(252, 255, 164), alpha: 0.65), RGB(199, 201, 142))
        XCTAssertEqual(RGB.white.blended(with: .black, alpha: 2), .black)
        XCTAssertEqual(RGB.white.blended(with: .black, alpha: .nan), .white)
    }

    // MARK: Heat-map figure

    func testHeatmapLayoutArithmetic() {
        let layout = HeatmapFigure.Layout(height: 12, width: 20, pixelScale: nil, caption: "sample 7",
                                          titles: ["k=1", "k=3"], maxLabels: ["0.5", "1.2e+03"])
        // 192 / 20 = 9 screen pixels per image pixel: panels 180 × 108, three columns, 10-pixel gutters.
        XCTAssertEqual(layout.pixelScale, 9)
        XCTAssertEqual(layout.imageFrame, PixelRect(x: 10, y: layout.imageFrame.y, width: 180, height: 108))
        XCTAssertEqual(layout.panelFrames.map(\.x), [200, 390])
        XCTAssertEqual(Set(layout.panelFrames.map(\.y)), [layout.imageFrame.y])
        XCTAssertEqual(layout.width, 10 + 3 * 180 + 2 * 10 + 10)
        XCTAssertEqual([layout.captionScale, layout.titleScale, layout.labelScale], [2, 2, 2])
        XCTAssertEqual(layout.captionOrigin.y, 10)
        XCTAssertEqual(layout.titleY, 10 + 16 + 10)
        XCTAssertEqual(layout.imageFrame.y, layout.titleY + 16 + 4)
        for (bar, panel) in zip(layout.barFrames, layout.panelFrames) {
            XCTAssertEqual(bar.x - panel.x, HeatmapFigure.barInset)
            XCTAssertEqual(panel.maxX - bar.maxX, HeatmapFigure.barInset)
            XCTAssertGreaterThan(bar.y, panel.maxY + 1)  // the bar's frame clears the panel
        }
        XCTAssertGreaterThan(layout.labelY, layout.barFrames[0].maxY + 1)
        XCTAssertEqual(layout.height, layout.labelY + 16 + 10)

        // Wide images get one screen pixel each; a long caption at scale 1 widens the figure.
        let wide = HeatmapFigure.Layout(height: 4, width: 300, pixelScale: nil, caption: "", titles: [], maxLabels: [])
        XCTAssertEqual(wide.pixelScale, 1)
        XCTAssertEqual(wide.width, 320)
        let caption = String(repeating: "x", count: 100)
        let small = HeatmapFigure.Layout(height: 5, width: 5, pixelScale: 2, caption: caption, titles: ["a very long title"], maxLabels: ["1e-05"])
        XCTAssertEqual([small.pixelScale, small.captionScale, small.titleScale, small.labelScale], [2, 1, 1, 1])
        XCTAssertEqual(small.width, 20 + BitmapFont.textWidth(caption))
    }

    func testHeatmapRendersImageOverlayAndColorBar() throws {
        let (h, w) = (12, 20)
        // A horizontal ramp from -1 to 1 in valueRange -1…1.
        let image = (0..<(h * w)).map { Float($0 % w) / Float(w - 1) * 2 - 1 }
        var map = [Double](repeating: 0, count: h * w)
        map[5 * w + 13] = 4.0     // the hottest pixel
        map[2 * w + 3] = 1.0
        map[7 * w + 8] = -2.0     // negative: shown as 0
        map[9 * w + 1] = .nan
        let flat = [Double](repeating: 0, count: h * w)
        let canvas = HeatmapFigure.render(image: image, channels: 1, height: h, width: w, valueRange: -1...1,
                                          panels: [("k=1", map), ("flat", flat)], caption: "sample 7  FI 4.0e+00")
        let layout = HeatmapFigure.Layout(height: h, width: w, pixelScale: nil, caption: "sample 7  FI 4.0e+00",
                                          titles: ["k=1", "flat"], maxLabels: ["4", "0"])
        XCTAssertEqual([canvas.width, canvas.height], [layout.width, layout.height])
        let s = layout.pixelScale

        func grey(_ column: Int) -> Int {  // the image level: 255 · (v + 1) / 2, rounded
            Int((255 * ((Double(image[column]) + 1) / 2)).rounded())
        }
        func block(_ frame: PixelRect, row: Int, column: Int) -> Set<RGB> {
            var colors = Set<RGB>()
            for y in 0..<s { for x in 0..<s { colors.insert(canvas.pixel(x: frame.x + column * s + x, y: frame.y + row * s + y)) } }
            return colors
        }
        func expectedBlend(_ top: RGB, over level: Int) -> RGB {
            func mix(_ c: UInt8) -> UInt8 { UInt8((0.65 * Double(c) + 0.35 * Double(level)).rounded()) }
            return RGB(mix(top.r), mix(top.g), mix(top.b))
        }
        // The plain image, nearest neighbour: each image pixel a uniform s × s block.
        for column in [0, 7, 19] {
            XCTAssertEqual(block(layout.imageFrame, row: 3, column: column), [RGB(grey: UInt8(grey(column)))])
        }
        // The hottest pixel in the colour map's top colour (#fcffa4), blended at 0.65 over its grey.
        let panel = layout.panelFrames[0]
        XCTAssertEqual(block(panel, row: 5, column: 13), [expectedBlend(RGB(0xFC, 0xFF, 0xA4), over: grey(13))])
        // A quarter of the maximum, zero, negative and NaN.
        XCTAssertEqual(block(panel, row: 2, column: 3), [expectedBlend(Colormap.inferno.color(at: 0.25), over: grey(3))])
        XCTAssertEqual(block(panel, row: 0, column: 0), [expectedBlend(RGB(0, 0, 4), over: grey(0))])
        XCTAssertEqual(block(panel, row: 7, column: 8), [expectedBlend(RGB(0, 0, 4), over: grey(8))])
        XCTAssertEqual(block(panel, row: 9, column: 1), [expectedBlend(Colormap.missing, over: grey(1))])
        // An all-zero map shows the bottom colour everywhere.
        XCTAssertEqual(block(layout.panelFrames[1], row: 5, column: 13), [expectedBlend(RGB(0, 0, 4), over: grey(13))])
        // Colour bars run from the map's bottom colour to its top one, framed in grey.
        let bar = layout.barFrames[0]
        XCTAssertEqual(canvas.pixel(x: bar.x, y: bar.y + 3), RGB(0, 0, 4))
        XCTAssertEqual(canvas.pixel(x: bar.maxX - 1, y: bar.y + 3), RGB(0xFC, 0xFF, 0xA4))
        XCTAssertEqual(canvas.pixel(x: bar.x - 1, y: bar.y), .grey)
        // Text is black on white: the caption, titles and labels ink their rows.
        XCTAssertTrue(inksBlack(canvas, rows: layout.captionOrigin.y..<(layout.captionOrigin.y + 16)))
        XCTAssertTrue(inksBlack(canvas, rows: layout.titleY..<(layout.titleY + 16)))
        XCTAssertTrue(inksBlack(canvas, rows: layout.labelY..<(layout.labelY + 16)))
        XCTAssertEqual(HeatmapFigure.label(4), "4")
        XCTAssertEqual(HeatmapFigure.label(0.01234), "0.012")
        XCTAssertEqual(HeatmapFigure.label(1234.5), "1.2e+03")
        // The gutters stay white.
        XCTAssertEqual(canvas.pixel(x: 5, y: layout.imageFrame.y + 20), .white)
        XCTAssertEqual(canvas.pixel(x: layout.imageFrame.maxX + 5, y: layout.imageFrame.y + 20), .white)

        let decoded = try DecodedPNG(PNG.encode(canvas))
        XCTAssertEqual(decoded.pixels, canvas.pixels)
    }

    func testHeatmapShowsColourImagesInColourAndOtherChannelCountsInGrey() {
        let (h, w) = (2, 3)
        let rgb: [Float] = [0, 0, 0, 0, 0, 1,  // R
                            0, 0, 0, 0, 1, 0,  // G
                            0, 0, 0, 1, 0, 0]  // B
        let map = [Double](repeating: 1, count: h * w)
        let colour = HeatmapFigure.render(image: rgb, channels: 3, height: h, width: w, valueRange: 0...1,
                                          panels: [("k=1", map)], caption: "", pixelScale: 4)
        let frame = HeatmapFigure.Layout(height: h, width: w, pixelScale: 4, caption: "", titles: ["k=1"], maxLabels: ["1"]).imageFrame
        XCTAssertEqual(colour.pixel(x: frame.x + 2 * 4, y: frame.y + 4), RGB(255, 0, 0))
        XCTAssertEqual(colour.pixel(x: frame.x + 1 * 4, y: frame.y + 4), RGB(0, 255, 0))
        XCTAssertEqual(colour.pixel(x: frame.x, y: frame.y + 4 + 3), RGB(0, 0, 255))
        // Two channels: their mean as grey.
        let two = HeatmapFigure.render(image: [0, 1, 0, 0, 0, 0, 1, 1], channels: 2, height: 2, width: 2, valueRange: 0...1,
                                       panels: [], caption: "", pixelScale: 1)
        let at = HeatmapFigure.Layout(height: 2, width: 2, pixelScale: 1, caption: "", titles: [], maxLabels: []).imageFrame
        XCTAssertEqual([two.pixel(x: at.x, y: at.y), two.pixel(x: at.x + 1, y: at.y), two.pixel(x: at.x, y: at.y + 1)],
                       [RGB(grey: 0), RGB(grey: 128), RGB(grey: 128)])
    }

    // MARK: Helpers

    private func close(_ a: RGB, _ b: RGB, within tolerance: Int) -> Bool {
        abs(Int(a.r) - Int(b.r)) <= tolerance && abs(Int(a.g) - Int(b.g)) <= tolerance && abs(Int(a.b) - Int(b.b)) <= tolerance
    }

    private func blackPixels(_ canvas: Canvas) -> [String] {
        (0..<canvas.height).flatMap { y in (0..<canvas.width).compactMap { x in canvas.pixel(x: x, y: y) == .black ? "\(x),\(y)" : nil } }
    }

    private func inksBlack(_ canvas: Canvas, rows: Range<Int>) -> Bool {
        rows.contains { y in (0..<canvas.width).contains { canvas.pixel(x: $0, y: y) == .black } }
    }
}
