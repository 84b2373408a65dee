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
}
