import CriteriaEngine
import CriteriaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// What `/v1/openapi.yaml` promises about the shape of values, checked on the answers.
@Suite struct APIContractTests {
    static func isISODate(_ value: Any?) -> Bool {
        guard let text = value as? String else { return false }
        return text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil && LocalDate(iso: text) != nil
    }

    @Test("criteria list and detail give inForce dates as YYYY-MM-DD strings")
    func inForceDatesAreISOStrings() async throws {
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/v1/criteria", method: .get) { response async throws in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
                let criteria = try #require(body?["criteria"] as? [[String: Any]])
                #expect(!criteria.isEmpty)
                for criterion in criteria {
                    let periods = try #require(criterion["inForce"] as? [[String: Any]])
                    for period in periods {
                        #expect(Self.isISODate(period["from"]), "\(period)")
                        if let until = period["until"] { #expect(Self.isISODate(until), "\(period)") }
                    }
                }
            }
            try await client.execute(uri: "/v1/criteria/tt124.xa", method: .get) { response async throws in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
                let versions = try #require(body?["versions"] as? [[String: Any]])
                let period = try #require(versions.first?["inForce"] as? [String: Any])
                #expect(period["from"] as? String == "2022-02-10")
            }
        }
    }

    @Test("a record id pasted with spaces around it opens the record; a bad limit is a 400 with the diagnostics model")
    func idsTrimmedAndQueriesChecked() async throws {
        let yaml = try fixture("Examples/thanh-hoa-2026/province.yaml")
        try await withClient(try makeService()) { client in
            let id = try await client.execute(
                uri: "/v1/evaluations?as_of=2026-12-07", method: .post, headers: [.contentType: "application/yaml"],
                body: ByteBuffer(bytes: yaml)
            ) { response async throws in
                #expect(response.status == .created)
                return try response.decode(DecisionRecordV1.self).id
            }
            for pasted in ["%20\(id)", "\(id)%20", "%20\(id)%0A"] {
                try await client.execute(uri: "/v1/decisions/\(pasted)", method: .get) { response async throws in
                    #expect(response.status == .ok, "\(pasted)")
                }
            }
            for bad in ["abc", "1.5", "-3", "0"] {
                try await client.execute(uri: "/v1/decisions?limit=\(bad)", method: .get) { response async throws in
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(response.text.contains("request.bad-query"))
                }
            }
            try await client.execute(uri: "/v1/decisions?limit=500", method: .get) { response async throws in
                #expect(response.status == .ok)
            }
        }
    }
}


/// A method an address does not answer is 405 with `Allow`, not 404 (schemathesis, ST204).
@Suite struct MethodNotAllowedTests {
    @Test("TRACE, DELETE or GET on an address that answers other methods is 405 with Allow; an unknown address stays 404")
    func methodNotAllowed() async throws {
        try await withClient(try makeService()) { client in
            for (method, uri, allow) in [
                (HTTPRequest.Method.trace, "/v1/status", "GET"), (.delete, "/v1/decisions/QD-2026-000001-7KQ2XM", "GET"),
                (.get, "/v1/check", "POST"), (.put, "/v1/criteria/tt124.xa", "GET"),
            ] {
                try await client.execute(uri: uri, method: method) { response async throws in
                    #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                    let body = try response.decode(DiagnosticsOutputV1.self)
                    #expect(body.diagnostics.first?.id == "request.method-not-allowed")
                }
            }
            try await client.execute(uri: "/v1/nowhere", method: .trace) { response async throws in
                #expect(response.status == .notFound)
            }
            // The plan pages too (they were added to the routes served but not to those the 405 knew).
            for uri in ["/plans", "/decisions/KQ-2026-000001-7KQ2XM/plans/thanh-hoa-2022-2025", "/decisions/KQ-2026-000001-7KQ2XM/export.xlsx"] {
                try await client.execute(uri: uri, method: .trace) { response async throws in
                    #expect(response.status == .methodNotAllowed, "TRACE \(uri)")
                    #expect(response.headers[.allow] == "GET", "TRACE \(uri)")
                }
            }
            try await client.execute(uri: "/criteria", method: .delete) { response async throws in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("Địa chỉ này chỉ nhận phương thức GET, không nhận DELETE."))
            }
        }
    }
}
