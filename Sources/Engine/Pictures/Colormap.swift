/// Sequential colour maps from matplotlib, for heat maps and colour bars.
///
/// Each map is piecewise linear between anchors taken from matplotlib's own tables (every 17th
/// of the 256 entries of inferno and viridis, all nine ColorBrewer anchors of Greys), so the
/// ends and anchors match matplotlib exactly and the rest to within 7 of 255 levels.
public enum Colormap: String, Sendable, CaseIterable {
    /// Black through purple, red and orange to pale yellow.
    case inferno
    /// Dark purple through blue and green to yellow.
    case viridis
    /// matplotlib's "Greys": white at 0 to black at 1.
    case greys

    /// The colour drawn for NaN, which no map uses.
    public static let missing = RGB(grey: 160)

    /// The colour at `t`, clamped to [0, 1]; NaN gives `missing`.
    public func color(at t: Double) -> RGB {
        guard !t.isNaN else { return Self.missing }
        let anchors = self.anchors
        let position = min(max(t, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(position), anchors.count - 2)
        let f = position - Double(i)
        let (a, b) = (anchors[i], anchors[i + 1])
        func level(_ x: Double, _ y: Double) -> UInt8 {
            UInt8((255 * (x + f * (y - x))).rounded())
        }
        return RGB(level(a.0, b.0), level(a.1, b.1), level(a.2, b.2))
    }

    /// Evenly spaced anchors from t = 0 to t = 1, channels in [0, 1].
    private var anchors: [(Double, Double, Double)] {
        switch self {
        case .inferno: Self.infernoAnchors
        case .viridis: Self.viridisAnchors
        case .greys: Self.greysAnchors
        }
    }

    /// matplotlib `_inferno_data` entries 0, 17, 34, …, 255.
    private static let infernoAnchors: [(Double, Double, Double)] = [
        (0.001462, 0.000466, 0.013866), (0.046915, 0.030324, 0.150164), (0.142378, 0.046242, 0.308553),
        (0.258234, 0.038571, 0.406485), (0.366529, 0.071579, 0.431994), (0.472328, 0.110547, 0.428334),
        (0.578304, 0.148039, 0.404411), (0.682656, 0.189501, 0.360757), (0.780517, 0.243327, 0.299523),
        (0.865006, 0.316822, 0.226055), (0.929644, 0.411479, 0.145367), (0.970919, 0.522853, 0.058367),
        (0.987622, 0.645320, 0.039886), (0.978806, 0.774545, 0.176037), (0.950018, 0.903409, 0.380271),
        (0.988362, 0.998364, 0.644924),
    ]

    /// matplotlib `_viridis_data` entries 0, 17, 34, …, 255.
    private static let viridisAnchors: [(Double, Double, Double)] = [
        (0.267004, 0.004874, 0.329415), (0.282656, 0.100196, 0.422160), (0.277134, 0.185228, 0.489898),
        (0.253935, 0.265254, 0.529983), (0.221989, 0.339161, 0.548752), (0.190631, 0.407061, 0.556089),
        (0.163625, 0.471133, 0.558148), (0.139147, 0.533812, 0.555298), (0.120565, 0.596422, 0.543611),
        (0.134692, 0.658636, 0.517649), (0.208030, 0.718701, 0.472873), (0.327796, 0.773980, 0.406640),
        (0.477504, 0.821444, 0.318195), (0.647257, 0.858400, 0.209861), (0.824940, 0.884720, 0.106217),
        (0.993248, 0.906157, 0.143936),
    ]

    /// ColorBrewer's nine-class Greys, as matplotlib interpolates them.
    private static let greysAnchors: [(Double, Double, Double)] = [255, 240, 217, 189, 150, 115, 82, 37, 0].map {
        let v = Double($0) / 255
        return (v, v, v)
    }
}
