import CriteriaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    /// `METHOD /path` for each operation of the document.
    func described() -> Set<String> {
        var result = Set<String>()
        var path: String?
        for line in OpenAPIDocument.yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("components:") {
                path = nil
            } else if let current = path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(String(method)) {
                    result.insert("\(method.uppercased()) \(current)")
                }
            }
        }
        return result
    }

    @Test("every route the server has is described, and every described route exists")
    func routesMatch() throws {
        let routes = Set(try makeService().router().routes.map { "\($0.method) \($0.path)" })
        let paths = described()
        #expect(!routes.isEmpty)
        #expect(routes.subtracting(paths).isEmpty, "not described: \(routes.subtracting(paths).sorted())")
        #expect(paths.subtracting(routes).isEmpty, "described but missing: \(paths.subtracting(routes).sorted())")
    }

    @Test("the document is served as YAML")
    func served() async throws {
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/v1/openapi.yaml", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.hasPrefix("openapi: 3.1.0"))
            }
        }
    }
}
