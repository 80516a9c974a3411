import Engine
import Foundation
import Protocol

/// Inline SVG charts with labelled axes: histograms, lines against a log axis, box plots.
enum SVGChart {
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]

    private struct Frame {
        var width = 560.0, height = 300.0, left = 64.0, right = 16.0, top = 30.0, bottom = 48.0
        var plotWidth: Double { width - left - right }
        var plotHeight: Double { height - top - bottom }
    }

    private static func open(_ f: Frame, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(f.width))\" height=\"\(Int(f.height))\" viewBox=\"0 0 \(Int(f.width)) \(Int(f.height))\" role=\"img\">"
            + "<title>\(HTML.escape(title))</title>"
            + text(title, x: f.left, y: 18, size: 14, weight: "bold")
    }

    private static func text(_ s: String, x: Double, y: Double, size: Int = 11, anchor: String = "start", weight: String = "normal",
                             rotate: Bool = false) -> String {
        let transform = rotate ? " transform=\"rotate(-90 \(fmt(x)) \(fmt(y)))\"" : ""
        return "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\" font-size=\"\(size)\" font-family=\"sans-serif\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\"\(transform)>\(HTML.escape(s))</text>"
    }

    private static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String = "#999", width: Double = 1, dash: Bool = false) -> String {
        "<line x1=\"\(fmt(x1))\" y1=\"\(fmt(y1))\" x2=\"\(fmt(x2))\" y2=\"\(fmt(y2))\" stroke=\"\(color)\" stroke-width=\"\(fmt(width))\"\(dash ? " stroke-dasharray=\"6 4\"" : "")/>"
    }

    private static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    private static func axes(_ f: Frame, xLabel: String, yLabel: String) -> String {
        line(f.left, f.top + f.plotHeight, f.left + f.plotWidth, f.top + f.plotHeight, color: "#333")
            + line(f.left, f.top, f.left, f.top + f.plotHeight, color: "#333")
            + text(xLabel, x: f.left + f.plotWidth / 2, y: f.height - 8, size: 12, anchor: "middle")
            + text(yLabel, x: 14, y: f.top + f.plotHeight / 2, size: 12, anchor: "middle", rotate: true)
    }

    /// Bars of a histogram (log-spaced edges drawn on a log axis); counts on the y axis.
    static func histogram(_ h: Histogram, title: String, xLabel: String) -> String {
        let f = Frame()
        guard h.counts.count > 0, h.edges.count == h.counts.count + 1 else { return "" }
        let logarithmic = h.scale == .logarithmic
        let map = { (v: Double) in logarithmic ? log10(max(v, .leastNormalMagnitude)) : v }
        let (lo, hi) = (map(h.edges.first!), map(h.edges.last!))
        let span = hi > lo ? hi - lo : 1
        let top = Double(h.counts.max() ?? 1)
        let px = { (v: Double) in f.left + (map(v) - lo) / span * f.plotWidth }
        var svg = open(f, title: title)
        // Whole-count ticks, at most five.
        let step = max(1, Int((top / 4).rounded(.up)))
        for count in stride(from: 0, through: Int(top), by: step) {
            let y = f.top + f.plotHeight * (1 - Double(count) / max(top, 1))
            svg += line(f.left, y, f.left + f.plotWidth, y, color: "#eee") + text(String(count), x: f.left - 6, y: y + 4, anchor: "end")
        }
        for (i, count) in h.counts.enumerated() where count > 0 {
            let (x0, x1) = (px(h.edges[i]), px(h.edges[i + 1]))
            let height = Double(count) / max(top, 1) * f.plotHeight
            svg += "<rect x=\"\(fmt(x0))\" y=\"\(fmt(f.top + f.plotHeight - height))\" width=\"\(fmt(max(x1 - x0 - 1, 1)))\" height=\"\(fmt(height))\" fill=\"#2f7dd1\"/>"
        }
        if logarithmic {
            for t in 0...4 {
                let value = lo + span * Double(t) / 4
                svg += text(String(format: "1e%.1f", value), x: f.left + f.plotWidth * Double(t) / 4, y: f.top + f.plotHeight + 16, anchor: "middle")
            }
        } else {
            // A range too narrow for its magnitude (saturation just around 1) gets offsets as labels.
            let ticks = AxisTicks.ticks(lo...(lo + span), logarithmic: false)
            for (n, tick) in ticks.enumerated() {
                // The last label ends at the axis end, so that a long offset is not cut off.
                svg += text(tick.label, x: f.left + (tick.value - lo) / span * f.plotWidth, y: f.top + f.plotHeight + 16,
                            anchor: n == ticks.count - 1 ? "end" : "middle")
            }
        }
        svg += axes(f, xLabel: xLabel + (logarithmic ? " (log scale)" : ""), yLabel: "samples")
        if h.nonPositive > 0 { svg += text("\(h.nonPositive) values ≤ 0 not shown", x: f.left + f.plotWidth, y: f.top - 6, anchor: "end") }
        return svg + "</svg>"
    }

    struct Series {
        var label: String
        var points: [(x: Double, y: Double)]
        var dashed = false
        var color: String
    }

    /// Lines against a logarithmic x axis (points with x ≤ 0 left out), with a legend.
    static func lines(_ series: [Series], title: String, xLabel: String, yLabel: String, yRange: ClosedRange<Double>) -> String {
        var f = Frame()
        f.right = 190
        let xs = series.flatMap { $0.points.map(\.x) }.filter { $0 > 0 }
        guard let first = xs.min(), let last = xs.max() else { return "" }
        let (lo, hi) = (floor(log10(first)), max(ceil(log10(last)), floor(log10(first)) + 1))
        let px = { (x: Double) in f.left + (log10(x) - lo) / (hi - lo) * f.plotWidth }
        let py = { (y: Double) in f.top + (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) * f.plotHeight }
        var svg = open(f, title: title)
        for t in 0...4 {
            let y = yRange.lowerBound + (yRange.upperBound - yRange.lowerBound) * Double(t) / 4
            svg += line(f.left, py(y), f.left + f.plotWidth, py(y), color: "#eee") + text(String(format: "%.2f", y), x: f.left - 6, y: py(y) + 4, anchor: "end")
        }
        for d in Int(lo)...Int(hi) {
            let x = px(pow(10, Double(d)))
            svg += line(x, f.top, x, f.top + f.plotHeight, color: "#eee") + text("1e\(d)", x: x, y: f.top + f.plotHeight + 16, anchor: "middle")
        }
        for (n, s) in series.enumerated() {
            let points = s.points.filter { $0.x > 0 }.sorted { $0.x < $1.x }
            let path = points.map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
            for p in points { svg += "<circle cx=\"\(fmt(px(p.x)))\" cy=\"\(fmt(py(p.y)))\" r=\"3\" fill=\"\(s.color)\"/>" }
            let ly = f.top + 8 + Double(n) * 16
            svg += line(f.width - f.right + 12, ly, f.width - f.right + 36, ly, color: s.color, width: 2, dash: s.dashed)
                + text(String(s.label.prefix(24)), x: f.width - f.right + 42, y: ly + 4)
        }
        return svg + axes(f, xLabel: xLabel, yLabel: yLabel) + "</svg>"
    }

    /// Curves in the unit square (ROC, precision–recall) on linear axes, drawn in the order of
    /// their points, with a legend.
    static func curves(_ series: [Series], title: String, xLabel: String, yLabel: String) -> String {
        var f = Frame()
        f.right = 190
        let px = { (x: Double) in f.left + x * f.plotWidth }
        let py = { (y: Double) in f.top + (1 - y) * f.plotHeight }
        var svg = open(f, title: title)
        for t in 0...4 {
            let v = Double(t) / 4
            svg += line(f.left, py(v), f.left + f.plotWidth, py(v), color: "#eee") + text(String(format: "%.2f", v), x: f.left - 6, y: py(v) + 4, anchor: "end")
            svg += line(px(v), f.top, px(v), f.top + f.plotHeight, color: "#eee") + text(String(format: "%.2f", v), x: px(v), y: f.top + f.plotHeight + 16, anchor: "middle")
        }
        for (n, s) in series.enumerated() {
            let path = s.points.map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
            svg += legend(n, s, f)
        }
        return svg + axes(f, xLabel: xLabel, yLabel: yLabel) + "</svg>"
    }

    private static func legend(_ n: Int, _ s: Series, _ f: Frame) -> String {
        let ly = f.top + 8 + Double(n) * 16
        return line(f.width - f.right + 12, ly, f.width - f.right + 36, ly, color: s.color, width: 2, dash: s.dashed)
            + text(String(s.label.prefix(26)), x: f.width - f.right + 42, y: ly + 4)
    }

    /// Several histograms over one axis as step lines of the fraction of each set's samples on
    /// common bins (`HistogramOverlay`), so sets of different sizes compare; `note` goes under
    /// the title.
    static func overlay(_ sets: [(label: String, histogram: Histogram)], title: String, xLabel: String, note: String?) -> String {
        var f = Frame()
        f.right = 190
        if note != nil { (f.height, f.top) = (f.height + 18, f.top + 18) }
        let histograms = sets.map(\.histogram)
        guard let grid = HistogramOverlay.grid(histograms, bins: HistogramOverlay.suggestedBins(histograms)) else { return "" }
        let logarithmic = grid.scale == .logarithmic
        let map = { (v: Double) in logarithmic ? log10(max(v, .leastNormalMagnitude)) : v }
        let (lo, hi) = (map(grid.edges.first!), max(map(grid.edges.last!), map(grid.edges.first!) + 1e-300))
        let top = max(grid.fractions.joined().max() ?? 1, 1e-300) * 1.05
        let px = { (v: Double) in f.left + (map(v) - lo) / (hi - lo) * f.plotWidth }
        let py = { (fraction: Double) in f.top + (1 - fraction / top) * f.plotHeight }
        var svg = open(f, title: title)
        for t in 0...4 {
            let fraction = top / 1.05 * Double(t) / 4, v = lo + (hi - lo) * Double(t) / 4
            svg += line(f.left, py(fraction), f.left + f.plotWidth, py(fraction), color: "#eee")
                + text(String(format: "%.2g", fraction), x: f.left - 6, y: py(fraction) + 4, anchor: "end")
            svg += text(logarithmic ? String(format: "1e%.1f", v) : String(format: "%.3g", v), x: f.left + (v - lo) / (hi - lo) * f.plotWidth,
                        y: f.top + f.plotHeight + 16, anchor: "middle")
        }
        for (n, (set, fractions)) in zip(sets, grid.fractions).enumerated() {
            var points = [(px(grid.edges[0]), py(0))]
            for (i, fraction) in fractions.enumerated() { points += [(px(grid.edges[i]), py(fraction)), (px(grid.edges[i + 1]), py(fraction))] }
            points.append((px(grid.edges[fractions.count]), py(0)))
            let color = palette[n % palette.count]
            svg += "<polyline points=\"\(points.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            svg += legend(n, Series(label: set.label, points: [], color: color), f)
        }
        svg += axes(f, xLabel: xLabel + (logarithmic ? " (log scale)" : ""), yLabel: "fraction of samples")
        if let note { svg += text(note, x: f.left, y: 38, size: 12) }
        return svg + "</svg>"
    }

    /// One box per entry (5 %, 25 %, 50 %, 75 %, 95 % quantiles) on a log y axis, left to right.
    static func boxes(_ entries: [(label: String, quantiles: [Double])], title: String, yLabel: String) -> String {
        var f = Frame()
        f.width = max(560, 60 + Double(entries.count) * 56)
        f.bottom = 130
        let values = entries.flatMap(\.quantiles).filter { $0 > 0 }
        guard let vmin = values.min(), let vmax = values.max() else { return "" }
        let (lo, hi) = (floor(log10(vmin)), max(ceil(log10(vmax)), floor(log10(vmin)) + 1))
        let py = { (v: Double) in f.top + (1 - (log10(max(v, vmin)) - lo) / (hi - lo)) * f.plotHeight }
        var svg = open(f, title: title)
        for d in Int(lo)...Int(hi) {
            let y = py(pow(10, Double(d)))
            svg += line(f.left, y, f.left + f.plotWidth, y, color: "#eee") + text("1e\(d)", x: f.left - 6, y: y + 4, anchor: "end")
        }
        let step = f.plotWidth / Double(max(entries.count, 1))
        for (i, e) in entries.enumerated() where e.quantiles.count == 5 {
            let x = f.left + step * (Double(i) + 0.5)
            let q = e.quantiles.map(py)
            svg += line(x, q[0], x, q[4], color: "#555")
                + "<rect x=\"\(fmt(x - step * 0.3))\" y=\"\(fmt(q[3]))\" width=\"\(fmt(step * 0.6))\" height=\"\(fmt(max(q[1] - q[3], 1)))\" fill=\"#9cc3ea\" stroke=\"#1f3b57\"/>"
                + line(x - step * 0.3, q[2], x + step * 0.3, q[2], color: "#1f3b57", width: 2)
                + text(String(e.label.suffix(22)), x: x + 4, y: f.top + f.plotHeight + 6, size: 10, anchor: "end", rotate: true)
        }
        return svg + axes(f, xLabel: "layer (network depth →)", yLabel: yLabel) + "</svg>"
    }
}
