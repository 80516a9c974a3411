import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Engine
import Protocol
import XCTest
@testable import Coordinator

/// The influence page's curve and overlay charts: well-formed SVG with one line per series, every
/// point inside the plot, legends that carry the numbers.
final class SVGChartTests: XCTestCase {
    /// Elements by name with their attributes, and all text, of a well-formed document.
    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            elements.append((name, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    private func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> Collector {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")", file: file, line: line)
        return collector
    }

    /// The (x, y) pairs of each polyline.
    private func polylines(_ c: Collector) -> [[(Double, Double)]] {
        c.elements.filter { $0.name == "polyline" }.map { element in
            (element.attributes["points"] ?? "").split(separator: " ").map { pair in
                let v = pair.split(separator: ",").compactMap { Double($0) }
                return (v[0], v[1])
            }
        }
    }

    func testCurvesStayInsideTheirPlot() {
        let roc = OutlierScoring.evaluate(scores: [0.1, 0.4, 0.35, 0.8, 0.7, 0.2], outliers: [false, false, true, true, false, true])
        let svg = SVGChart.curves([
            .init(label: "FI (AUC \(HTML.number(roc.rocAUC, digits: 3)))", points: roc.roc!.map { ($0.x, $0.y) }, color: "#1f77b4"),
            .init(label: "chance", points: [(0, 0), (1, 1)], dashed: true, color: "#999"),
        ], title: "ROC", xLabel: "false positive rate", yLabel: "true positive rate")
        let c = parse(svg)
        let lines = polylines(c)
        XCTAssertEqual(lines.map(\.count), [roc.roc!.count, 2])
        // The plot spans x 64…370 and y 30…252 of a 560 × 300 picture with a legend column.
        for (x, y) in lines.joined() {
            XCTAssertTrue((63.9...370.1).contains(x) && (29.9...252.1).contains(y), "(\(x), \(y)) outside the plot")
        }
        XCTAssertEqual(lines[1].first!.0, 64, accuracy: 0.05)
        XCTAssertEqual(lines[1].first!.1, 252, accuracy: 0.05)
        XCTAssertTrue(c.text.contains("FI (AUC \(HTML.number(roc.rocAUC, digits: 3)))"))
        XCTAssertTrue(c.text.contains("false positive rate"))
    }

    func testOverlayDrawsBothSetsOnCommonBinsWithTheTestResult() {
        let first = Histogram(scale: .logarithmic, edges: [1e-3, 1e-2, 1e-1, 1], counts: [1, 6, 3])
        let second = Histogram(scale: .logarithmic, edges: [1e-2, 1, 100], counts: [40, 10], nonPositive: 2)
        let svg = SVGChart.overlay([("primary (10)", first), ("comparison (52)", second)], title: "FI of both sets", xLabel: "FI",
                                   note: "Kolmogorov–Smirnov D = 0.5, p = 0.01")
        let c = parse(svg)
        let lines = polylines(c)
        // 2√10 ≈ 6 common bins for the smaller set; a line goes up, across each bin and down.
        XCTAssertEqual(lines.map(\.count), [2 + 2 * 6, 2 + 2 * 6])
        // The highest steps: 6 of the first set's 10 samples, and 40 of the second's 52 (2 of them ≤ 0).
        let bottom = lines[0][0].1
        let heights = lines.map { line in line.map { bottom - $0.1 }.max()! }
        XCTAssertEqual(heights[0] / heights[1], 0.6 / (40.0 / 52), accuracy: 0.01)
        XCTAssertTrue(c.text.contains("Kolmogorov–Smirnov D = 0.5, p = 0.01"))
        XCTAssertTrue(c.text.contains("comparison (52)"))
        XCTAssertTrue(c.text.contains("fraction of samples"))
    }
}
