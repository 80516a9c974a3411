/// One vertex of a curve in the unit square: a ROC curve (false positive rate, true positive
/// rate) or a precision–recall curve (recall, precision).
public struct CurvePoint: Codable, Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
