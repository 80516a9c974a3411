import Coordinator
import Foundation
import XCTest

/// docs/openapi.yaml and the router describe the same API: every registered route is documented
/// and every documented route exists.
final class OpenAPITests: XCTestCase {
    func testEveryRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let text = try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        var documented = Set<String>()
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if !line.hasPrefix("  ") {
                path = nil
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "put", "post", "head", "delete", "patch"].contains(String(method)) { documented.insert("\(method.uppercased()) \(path)") }
            }
        }
        let registered = Set(APIRoute.all.map { route in
            let path = route.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        })
        XCTAssertEqual(registered.subtracting(documented).sorted(), [], "routes missing from docs/openapi.yaml")
        XCTAssertEqual(documented.subtracting(registered).sorted(), [], "documented routes the router does not have")
        XCTAssertEqual(registered.count, APIRoute.all.count)
    }
}
