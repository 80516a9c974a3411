import Foundation

/// Box plots side by side on a logarithmic y axis, left to right in the given order (for layers:
/// along the network's depth). Each box spans the quartiles with the median across it and
/// whiskers to the 5 % and 95 % quantiles. Boxes are numbered under the axis; a key below the
/// plot gives each number its name, so long layer names stay readable.
public struct BoxPlotChart {
    public struct Box {
        public var label: String
        /// 5 %, 25 %, 50 %, 75 % and 95 % quantiles.
        public var quantiles: [Double]
        public init(label: String, quantiles: [Double]) {
            (self.label, self.quantiles) = (label, quantiles)
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var boxes: [Box]

    public init(title: String, xLabel: String, yLabel: String, boxes: [Box]) {
        (self.title, self.xLabel, self.yLabel, self.boxes) = (title, xLabel, yLabel, boxes)
    }

    public func render(width: Int = 760, plotHeight: Int = 380) -> Canvas {
        // Key columns of at least 320 pixels (53 characters).
        let columns = max((width - 80) / 320, 1)
        let columnWidth = (width - 80) / columns
        let keyRows = (boxes.count + columns - 1) / columns
        let height = ChartFrame.top + plotHeight + 50 + keyRows * BitmapFont.lineHeight + 10
        var canvas = Canvas(width: width, height: height)
        let frame = ChartFrame(width: width, height: height, legend: false, bottomMargin: height - ChartFrame.top - plotHeight)
        let plot = frame.plot
        // Values ≤ 0 cannot sit on a log axis; they are drawn at the bottom edge.
        let values = boxes.flatMap(\.quantiles).filter { $0 > 0 && $0.isFinite }
        let lo = floor(log10(values.min() ?? 1e-3)), hi = max(ceil(log10(values.max() ?? 1)), lo + 1)
        func py(_ v: Double) -> Double {
            Double(plot.maxY) - (log10(max(v, pow(10, lo))) - lo) / (hi - lo) * Double(plot.height)
        }
        frame.title(title, subtitle: nil, on: &canvas)
        frame.yTicks(ChartFrame.ticks(lo...hi, logarithmic: true).map { (py(pow(10, $0.value)), $0.label) }, on: &canvas)
        let step = Double(plot.width) / Double(max(boxes.count, 1))
        for (i, box) in boxes.enumerated() where box.quantiles.count == 5 {
            let x = Double(plot.x) + step * (Double(i) + 0.5)
            let q = box.quantiles.map(py)
            let half = max(step * 0.3, 1)
            canvas.drawLine(from: (x, q[0]), to: (x, q[4]), color: .grey, width: 1)
            for whisker in [q[0], q[4]] { canvas.drawLine(from: (x - half / 2, whisker), to: (x + half / 2, whisker), color: .grey, width: 1) }
            let top = Int(q[3].rounded()), bottom = Int(q[1].rounded())
            canvas.fill(PixelRect(x: Int(x - half), y: top, width: Int(2 * half), height: max(bottom - top, 1)), color: RGB(156, 195, 234))
            canvas.drawRectangleOutline(PixelRect(x: Int(x - half), y: top, width: Int(2 * half), height: max(bottom - top, 1)), color: RGB(31, 59, 87))
            canvas.drawLine(from: (x - half, q[2]), to: (x + half, q[2]), color: RGB(31, 59, 87), width: 2)
            let number = String(i + 1)
            canvas.draw(text: number, at: (Int(x) - BitmapFont.textWidth(number) / 2, plot.maxY + 6), color: .black)
        }
        frame.axes(xLabel: xLabel, yLabel: yLabel, on: &canvas)
        for (i, box) in boxes.enumerated() {
            let (row, column) = (i % keyRows, i / keyRows)
            let entry = "\(i + 1) \(box.label)"
            canvas.draw(text: String(entry.prefix(columnWidth / BitmapFont.advance - 2)),
                        at: (plot.x + column * columnWidth, plot.maxY + 44 + row * BitmapFont.lineHeight), color: .black)
        }
        return canvas
    }
}
