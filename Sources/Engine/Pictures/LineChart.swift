import Foundation

/// A line chart with a logarithmic (or linear) x axis and a linear y axis: labelled ticks, one
/// line per series (solid or dashed), a legend, a title. Enough for curves against ε, and for
/// ROC and precision–recall curves in the unit square.
public struct LineChart {
    public enum XAxis {
        case logarithmic
        case linear(ClosedRange<Double>)
    }

    public struct Series {
        public var label: String
        public var color: RGB
        public var dashed: Bool
        /// A dot at each point; off for dense curves.
        public var markers: Bool
        /// (x > 0, y) on a log axis, where points with x ≤ 0 cannot sit and are left out.
        public var points: [(x: Double, y: Double)]
        /// Drawn in the order given, not sorted by x (a precision–recall curve turns back).
        public var ordered: Bool
        public init(label: String, color: RGB, dashed: Bool = false, markers: Bool = true, ordered: Bool = false,
                    points: [(x: Double, y: Double)]) {
            (self.label, self.color, self.dashed, self.markers, self.ordered, self.points) = (label, color, dashed, markers, ordered, points)
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var yRange: ClosedRange<Double>
    public var xAxis: XAxis
    public var series: [Series]

    public init(title: String, xLabel: String, yLabel: String, yRange: ClosedRange<Double>, xAxis: XAxis = .logarithmic, series: [Series]) {
        (self.title, self.xLabel, self.yLabel, self.yRange, self.xAxis, self.series) = (title, xLabel, yLabel, yRange, xAxis, series)
    }

    public func render(width: Int = 760, height: Int = 480) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        // The title, then the y axis's label, above the plot.
        let plot = PixelRect(x: 70, y: 52, width: width - 90 - 200, height: height - 112)
        let xs = series.flatMap { $0.points.map(\.x) }.filter { $0 > 0 }
        let (lo, hi) = (floor(log10(xs.min() ?? 1e-4)), ceil(log10(xs.max() ?? 1e-1)))
        let decades = max(hi - lo, 1)
        func px(_ x: Double) -> Double {
            switch xAxis {
            case .logarithmic: return Double(plot.x) + (log10(x) - lo) / decades * Double(plot.width)
            case .linear(let r): return Double(plot.x) + (x - r.lowerBound) / (r.upperBound - r.lowerBound) * Double(plot.width)
            }
        }
        func py(_ y: Double) -> Double {
            Double(plot.maxY) - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * Double(plot.height)
        }
        canvas.draw(text: title, at: (plot.x, 8), color: .black, scale: 2)
        let xTicks: [(x: Double, label: String)]
        switch xAxis {
        case .logarithmic: xTicks = (0...Int(decades)).map { d in (pow(10, lo + Double(d)), String(format: "1e%d", Int(lo) + d)) }
        case .linear(let r): xTicks = (0...5).map { t in let x = r.lowerBound + Double(t) / 5 * (r.upperBound - r.lowerBound); return (x, String(format: "%.2f", x)) }
        }
        for tick in xTicks {
            let x = px(tick.x)
            canvas.drawLine(from: (x, Double(plot.y)), to: (x, Double(plot.maxY)), color: .lightGrey)
            canvas.draw(text: tick.label, at: (Int(x) - BitmapFont.textWidth(tick.label) / 2, plot.maxY + 6), color: .black)
        }
        for t in 0...5 {
            let y = yRange.lowerBound + Double(t) / 5 * (yRange.upperBound - yRange.lowerBound)
            canvas.drawLine(from: (Double(plot.x), py(y)), to: (Double(plot.maxX), py(y)), color: .lightGrey)
            canvas.draw(text: String(format: "%.2f", y), at: (plot.x - 40, Int(py(y)) - 4), color: .black)
        }
        canvas.drawRectangleOutline(plot, color: .black)
        canvas.draw(text: xLabel, at: (plot.x + plot.width / 2 - BitmapFont.textWidth(xLabel) / 2, plot.maxY + 24), color: .black)
        canvas.draw(text: yLabel, at: (8, plot.y - 14), color: .black)
        for (n, s) in series.enumerated() {
            let onAxis: [(x: Double, y: Double)]
            if case .logarithmic = xAxis { onAxis = s.points.filter { $0.x > 0 } } else { onAxis = s.points }
            let points = s.ordered ? onAxis : onAxis.sorted { $0.x < $1.x }
            for (a, b) in zip(points, points.dropFirst()) {
                drawSegment(&canvas, from: (px(a.x), py(a.y)), to: (px(b.x), py(b.y)), color: s.color, dashed: s.dashed)
            }
            for p in points where s.markers { canvas.fill(PixelRect(x: Int(px(p.x)) - 2, y: Int(py(p.y)) - 2, width: 5, height: 5), color: s.color) }
            let legendY = plot.y + 4 + n * 16
            drawSegment(&canvas, from: (Double(plot.maxX + 12), Double(legendY + 4)), to: (Double(plot.maxX + 36), Double(legendY + 4)),
                        color: s.color, dashed: s.dashed)
            canvas.draw(text: String(s.label.prefix(27)), at: (plot.maxX + 42, legendY), color: .black)
        }
        return canvas
    }

    private func drawSegment(_ canvas: inout Canvas, from a: (x: Double, y: Double), to b: (x: Double, y: Double), color: RGB, dashed: Bool) {
        guard dashed else { return canvas.drawLine(from: a, to: b, color: color, width: 2) }
        let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
        let steps = max(Int(length / 6), 1)
        for i in stride(from: 0, to: steps, by: 2) {
            let (t0, t1) = (Double(i) / Double(steps), Double(min(i + 1, steps)) / Double(steps))
            canvas.drawLine(from: (a.x + (b.x - a.x) * t0, a.y + (b.y - a.y) * t0), to: (a.x + (b.x - a.x) * t1, a.y + (b.y - a.y) * t1),
                            color: color, width: 2)
        }
    }
}
