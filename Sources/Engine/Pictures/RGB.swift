/// One 8-bit sRGB colour, as pictures store it.
public struct RGB: Hashable, Sendable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        (self.r, self.g, self.b) = (r, g, b)
    }

    /// A grey of the given level.
    public init(grey level: UInt8) {
        self.init(level, level, level)
    }

    public static let black = RGB(0, 0, 0)
    public static let white = RGB(255, 255, 255)
    public static let grey = RGB(128, 128, 128)
    public static let lightGrey = RGB(211, 211, 211)

    /// Colours for up to six data series, told apart easily (matplotlib's first six "tab10" colours).
    public static let series: [RGB] = [
        RGB(31, 119, 180),   // blue
        RGB(255, 127, 14),   // orange
        RGB(44, 160, 44),    // green
        RGB(214, 39, 40),    // red
        RGB(148, 103, 189),  // purple
        RGB(140, 86, 75),    // brown
    ]

    /// `alpha · top + (1 − alpha) · self`, per channel, rounded to the nearest level; `alpha` is
    /// clamped to [0, 1] and NaN counts as 0.
    public func blended(with top: RGB, alpha: Double) -> RGB {
        let a = alpha.isNaN ? 0 : min(max(alpha, 0), 1)
        func mix(_ below: UInt8, _ above: UInt8) -> UInt8 {
            UInt8((a * Double(above) + (1 - a) * Double(below)).rounded())
        }
        return RGB(mix(r, top.r), mix(g, top.g), mix(b, top.b))
    }
}
