import Foundation

/// The parts every chart shares: a title, a plot rectangle with grid lines and labelled ticks,
/// axis labels, and a legend to the right of the plot.
struct ChartFrame {
    let plot: PixelRect
    /// Left edge of the legend column.
    let legendX: Int
    /// Title, subtitle and the y axis's label stack above the plot.
    static let top = 62

    /// A plot inside a `width` × `height` canvas; `legend` reserves a column for a legend.
    init(width: Int, height: Int, legend: Bool, bottomMargin: Int = 60) {
        let legendWidth = legend ? 210 : 0
        plot = PixelRect(x: 80, y: Self.top, width: width - 100 - legendWidth, height: height - Self.top - bottomMargin)
        legendX = plot.maxX + 14
    }

    func title(_ text: String, subtitle: String?, on canvas: inout Canvas) {
        canvas.draw(text: text, at: (plot.x, 8), color: .black, scale: 2)
        if let subtitle { canvas.draw(text: subtitle, at: (plot.x, 30), color: .black) }
    }

    /// Vertical grid lines and labels at the given x pixel positions.
    func xTicks(_ ticks: [(x: Double, label: String)], on canvas: inout Canvas) {
        for t in ticks where t.x >= Double(plot.x) - 0.5 && t.x <= Double(plot.maxX) + 0.5 {
            canvas.drawLine(from: (t.x, Double(plot.y)), to: (t.x, Double(plot.maxY)), color: .lightGrey)
            let width = BitmapFont.textWidth(t.label)
            canvas.draw(text: t.label, at: (min(Int(t.x) - width / 2, canvas.width - width - 2), plot.maxY + 6), color: .black)
        }
    }

    /// Horizontal grid lines and labels at the given y pixel positions.
    func yTicks(_ ticks: [(y: Double, label: String)], on canvas: inout Canvas) {
        for t in ticks where t.y >= Double(plot.y) - 0.5 && t.y <= Double(plot.maxY) + 0.5 {
            canvas.drawLine(from: (Double(plot.x), t.y), to: (Double(plot.maxX), t.y), color: .lightGrey)
            canvas.draw(text: t.label, at: (plot.x - 6 - BitmapFont.textWidth(t.label), Int(t.y) - 4), color: .black)
        }
    }

    /// The plot's outline, the x label centred below it and the y label above its left edge.
    func axes(xLabel: String, yLabel: String, on canvas: inout Canvas) {
        canvas.drawRectangleOutline(plot, color: .black)
        canvas.draw(text: xLabel, at: (plot.x + plot.width / 2 - BitmapFont.textWidth(xLabel) / 2, plot.maxY + 24), color: .black)
        canvas.draw(text: yLabel, at: (max(plot.x - 60, 4), plot.y - 14), color: .black)
    }

    /// Legend entry `n` (from the top): a short line or swatch in `color`, then `label`.
    func legend(_ n: Int, label: String, color: RGB, on canvas: inout Canvas) {
        let y = plot.y + 4 + n * 16
        canvas.fill(PixelRect(x: legendX, y: y + 2, width: 22, height: 4), color: color)
        canvas.draw(text: String(label.prefix(30)), at: (legendX + 28, y), color: .black)
    }

    /// Ticks for a value range (`AxisTicks`).
    static func ticks(_ range: ClosedRange<Double>, logarithmic: Bool) -> [(value: Double, label: String)] {
        AxisTicks.ticks(range, logarithmic: logarithmic)
    }
}
