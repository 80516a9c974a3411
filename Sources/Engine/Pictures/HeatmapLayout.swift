extension HeatmapFigure {
    /// Where each part of a heat-map figure goes, and how large its text is drawn.
    ///
    /// Text is drawn at font scale 2 where it fits its place (the caption the figure's width,
    /// titles and colour-bar labels their panel's) and at scale 1 otherwise; the figure widens
    /// for a caption longer than its panels.
    struct Layout {
        var width: Int
        var height: Int
        /// Screen pixels per image pixel.
        var pixelScale: Int
        var captionOrigin: (x: Int, y: Int)
        var captionScale: Int
        /// Top of the titles, one line above the panels.
        var titleY: Int
        var titleScale: Int
        /// The plain image, left.
        var imageFrame: PixelRect
        /// The overlays, one per map, left to right after the image.
        var panelFrames: [PixelRect]
        /// The colour bars, one centred under each overlay, `barInset` narrower on either side.
        var barFrames: [PixelRect]
        /// Top of the colour-bar labels.
        var labelY: Int
        var labelScale: Int

        init(height: Int, width: Int, pixelScale: Int?, caption: String, titles: [String], maxLabels: [String]) {
            let g = HeatmapFigure.gutter
            let scale = max(1, pixelScale ?? 192 / width)
            let panelWidth = width * scale, panelHeight = height * scale
            let columns = titles.count + 1
            let panelsWidth = columns * panelWidth + (columns - 1) * g

            func fits(_ texts: [String], within room: Int) -> Bool {
                texts.allSatisfy { BitmapFont.textWidth($0, scale: 2) <= room }
            }
            captionScale = fits([caption], within: panelsWidth) ? 2 : 1
            titleScale = fits(titles + [HeatmapFigure.imageTitle], within: panelWidth) ? 2 : 1
            // Bars are inset so that one bar's maximum and the next bar's "0" stand well apart.
            let inset = HeatmapFigure.barInset
            let barWidth = max(1, panelWidth - 2 * inset)
            // "0" and the maximum must fit side by side with a glyph's room between them.
            let labelRoom = barWidth - BitmapFont.textWidth("0", scale: 2) - 2 * BitmapFont.advance
            labelScale = fits(maxLabels, within: labelRoom) ? 2 : 1

            self.pixelScale = scale
            self.width = max(panelsWidth, BitmapFont.textWidth(caption, scale: captionScale)) + 2 * g
            var y = g
            captionOrigin = (g, y)
            y += BitmapFont.textHeight(caption, scale: captionScale) + g
            titleY = y
            y += BitmapFont.glyphHeight * titleScale + 4
            imageFrame = PixelRect(x: g, y: y, width: panelWidth, height: panelHeight)
            panelFrames = (1..<columns).map { PixelRect(x: g + $0 * (panelWidth + g), y: y, width: panelWidth, height: panelHeight) }
            y += panelHeight + 5  // room for the bar's frame
            barFrames = panelFrames.map {
                PixelRect(x: $0.x + (panelWidth - barWidth) / 2, y: y, width: barWidth, height: HeatmapFigure.barHeight)
            }
            y += HeatmapFigure.barHeight + 4
            labelY = y
            y += BitmapFont.glyphHeight * labelScale + g
            self.height = y
        }
    }
}
