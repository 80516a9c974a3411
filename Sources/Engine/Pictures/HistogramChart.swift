import Foundation
import Protocol

/// Histograms as a picture: one histogram as bars of sample counts, or several overlaid as step
/// lines of the fraction of each set's samples on common bins (`HistogramOverlay`), on a
/// logarithmic x axis for logarithmic histograms.
public struct HistogramChart {
    public struct Series {
        public var label: String
        public var color: RGB
        public var histogram: Histogram
        public init(label: String, color: RGB, histogram: Histogram) {
            (self.label, self.color, self.histogram) = (label, color, histogram)
        }
    }

    public var title: String
    /// A line under the title (e.g. a test's result).
    public var subtitle: String?
    public var xLabel: String
    public var series: [Series]

    public init(title: String, subtitle: String? = nil, xLabel: String, series: [Series]) {
        (self.title, self.subtitle, self.xLabel, self.series) = (title, subtitle, xLabel, series)
    }

    var logarithmic: Bool { series.first?.histogram.scale == .logarithmic }
    var overlaid: Bool { series.count > 1 }

    /// The x coordinate a value is drawn at (log₁₀ on a log axis).
    func position(_ v: Double) -> Double { logarithmic ? log10(max(v, .leastNormalMagnitude)) : v }

    /// Per series, per bin: its edges on the axis and its height (a count, or when overlaid the
    /// fraction of the set's samples on the common bins).
    func bars() -> [[(from: Double, to: Double, height: Double)]] {
        if overlaid {
            let histograms = series.map(\.histogram)
            guard let grid = HistogramOverlay.grid(histograms, bins: HistogramOverlay.suggestedBins(histograms)) else { return [] }
            return grid.fractions.map { fractions in
                fractions.indices.map { (position(grid.edges[$0]), position(grid.edges[$0 + 1]), fractions[$0]) }
            }
        }
        return series.map { s in
            let h = s.histogram
            guard h.edges.count == h.counts.count + 1 else { return [] }
            return h.counts.indices.map { (position(h.edges[$0]), position(h.edges[$0 + 1]), Double(h.counts[$0])) }
        }
    }

    public func render(width: Int = 760, height: Int = 480) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let frame = ChartFrame(width: width, height: height, legend: overlaid)
        let plot = frame.plot
        let allBars = bars()
        let edges = allBars.flatMap { $0.flatMap { [$0.from, $0.to] } }
        let lo = edges.min() ?? 0
        let hi = (edges.max() ?? 1) > lo ? edges.max()! : lo + 1
        let top = max(allBars.flatMap { $0.map(\.height) }.max() ?? 1, overlaid ? 1e-300 : 1)
        func px(_ x: Double) -> Double { Double(plot.x) + (x - lo) / (hi - lo) * Double(plot.width) }
        func py(_ y: Double) -> Double { Double(plot.maxY) - y / (top * 1.05) * Double(plot.height) }

        frame.title(title, subtitle: subtitle, on: &canvas)
        frame.xTicks(ChartFrame.ticks(lo...hi, logarithmic: logarithmic).map { (px($0.value), $0.label) }, on: &canvas)
        if overlaid {
            frame.yTicks((0...4).map { t in (py(top * Double(t) / 4), String(format: "%.2g", top * Double(t) / 4)) }, on: &canvas)
        } else {
            // Whole counts, at most five steps.
            let step = max(1, Int((top / 4).rounded(.up)))
            frame.yTicks(stride(from: 0, through: Int(top), by: step).map { (py(Double($0)), String($0)) }, on: &canvas)
        }
        for (s, bars) in zip(series, allBars) {
            if overlaid {
                // Step outline: up and down at each edge, across at each height.
                var previous = (x: px(bars.first?.from ?? lo), y: py(0))
                for bar in bars {
                    let (left, right, level) = (px(bar.from), px(bar.to), py(bar.height))
                    canvas.drawLine(from: previous, to: (left, level), color: s.color, width: 2)
                    canvas.drawLine(from: (left, level), to: (right, level), color: s.color, width: 2)
                    previous = (right, level)
                }
                canvas.drawLine(from: previous, to: (previous.x, py(0)), color: s.color, width: 2)
            } else {
                for bar in bars where bar.height > 0 {
                    let (left, right) = (Int(px(bar.from).rounded()), Int(px(bar.to).rounded()))
                    let y = Int(py(bar.height).rounded())
                    canvas.fill(PixelRect(x: left, y: y, width: max(right - left - 1, 1), height: plot.maxY - y), color: s.color)
                }
            }
        }
        frame.axes(xLabel: xLabel + (logarithmic ? " (log scale)" : ""), yLabel: overlaid ? "fraction of samples" : "samples", on: &canvas)
        if overlaid {
            for (n, s) in series.enumerated() { frame.legend(n, label: s.label, color: s.color, on: &canvas) }
        }
        let hidden = series.map(\.histogram.nonPositive).reduce(0, +)
        if hidden > 0 {
            let note = "\(hidden) values <= 0 not shown"
            canvas.draw(text: note, at: (plot.maxX - BitmapFont.textWidth(note) - 4, plot.y + 4), color: .black)
        }
        return canvas
    }
}
