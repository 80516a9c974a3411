import Foundation

/// Tick values and labels of a chart axis, shared by the PNG charts and the dashboard's SVG.
public enum AxisTicks {
    /// Ticks for a value range: the decades inside it on a log axis (with the ends when fewer
    /// than two decades fall inside), five even steps on a linear one. `values` are log₁₀ for a
    /// log axis.
    public static func ticks(_ range: ClosedRange<Double>, logarithmic: Bool) -> [(value: Double, label: String)] {
        if logarithmic {
            let (first, last) = (Int(range.lowerBound.rounded(.up)), Int(range.upperBound.rounded(.down)))
            let decades = first <= last ? Array(first...last) : []
            if decades.count >= 2 { return decades.map { (Double($0), "1e\($0)") } }
            return (0...4).map { t in
                let v = range.lowerBound + (range.upperBound - range.lowerBound) * Double(t) / 4
                return (v, String(format: "%.2g", pow(10, v)))
            }
        }
        let values = (0...4).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / 4 }
        // A range too narrow for its magnitude (saturation just around 1) is labelled as offsets
        // from a round value in the middle.
        let magnitude = max(abs(range.lowerBound), abs(range.upperBound))
        guard range.upperBound - range.lowerBound < 1e-4 * magnitude else { return values.map { ($0, String(format: "%.3g", $0)) } }
        let reference = Double(String(format: "%.6g", values[2]))!
        return values.map { v in (v, v == reference ? String(format: "%g", reference) : String(format: "%g%+.2g", reference, v - reference)) }
    }
}
