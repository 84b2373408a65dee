import CriteriaEngine
import CriteriaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The checker of `/v1/openapi.yaml` that every route test goes through (`OpenAPIContract`,
/// `ContractCheckingClient`): it must pass the server's real answers and catch wrong ones.
@Suite struct OpenAPIContractTests {
    static func contract() throws -> OpenAPIContract { try OpenAPIContract.served.get() }

    /// A real answer of the server, as JSON to change.
    static func answer(_ uri: String) async throws -> [String: Any] {
        let app = Application(router: try makeService().router())
        let text = try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { $0.text }
        }
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func problems(_ uri: String, _ status: Int, _ body: Any, contentType: String = "application/json; charset=utf-8") throws
        -> [String]
    {
        let bytes = try JSONSerialization.data(withJSONObject: body)
        return try contract().problems(method: .get, uri: uri, status: status, contentType: contentType, body: Array(bytes))
    }

    @Test("the server's own answer keeps the contract; a date as an object, a missing required field, an undescribed field do not")
    func catchesWrongBodies() async throws {
        let list = try await Self.answer("/v1/criteria")
        let listProblems = try Self.problems("/v1/criteria", 200, list)
        #expect(listProblems.isEmpty, "\(listProblems)")

        // The three-part date the server once gave ({day, month, year}, cba70f9).
        var dated = list
        var criteria = try #require(dated["criteria"] as? [[String: Any]])
        var periods = try #require(criteria[0]["inForce"] as? [[String: Any]])
        periods[0]["from"] = ["day": 10, "month": 2, "year": 2022]
        criteria[0]["inForce"] = periods
        dated["criteria"] = criteria
        let datedProblems = try Self.problems("/v1/criteria", 200, dated)
        #expect(datedProblems.contains { $0.contains("$.criteria[0].inForce[0].from: expected string, found an object") }, "\(datedProblems)")

        periods[0]["from"] = "2022-02-30"
        criteria[0]["inForce"] = periods
        dated["criteria"] = criteria
        #expect(try Self.problems("/v1/criteria", 200, dated).contains { $0.contains("is not a date") })

        var missing = list
        missing["rulesHash"] = nil
        #expect(try Self.problems("/v1/criteria", 200, missing).contains { $0.contains("required property 'rulesHash' is missing") })

        var extra = list
        extra["rulesHashes"] = ["a"]
        #expect(try Self.problems("/v1/criteria", 200, extra).contains { $0.contains("$.rulesHashes: a property the document does not describe") })

        var wrongConst = list
        wrongConst["version"] = 2
        #expect(try Self.problems("/v1/criteria", 200, wrongConst).contains { $0.contains("$.version: 2 is not 1") })
    }

    @Test("an undescribed status, an undescribed media type, a body that is not JSON and a refusal that is not the diagnostics model are caught")
    func catchesWrongAnswers() async throws {
        let status = try await Self.answer("/v1/status")
        let statusProblems = try Self.problems("/v1/status", 200, status)
        #expect(statusProblems.isEmpty, "\(statusProblems)")
        #expect(try Self.problems("/v1/status", 418, status).contains { $0.contains("no response for status 418") })
        #expect(try Self.problems("/v1/status", 200, status, contentType: "text/plain").contains { $0.contains("media type text/plain") })
        let notJSON = try Self.contract().problems(
            method: .get, uri: "/v1/status", status: 200, contentType: "application/json", body: Array("{\"version\": 1,".utf8))
        #expect(notJSON.contains { $0.contains("not JSON") })
        // A 404 of a path the document does not have must still be the diagnostics model.
        #expect(try Self.problems("/v1/nowhere", 404, ["error": "not found"]).contains { $0.contains("'diagnostics' is missing") })
        // A JSON body where the document says there is none (the 303 of a form).
        let redirect = try Self.contract().problems(
            method: .get, uri: "/decisions?id=x", status: 303, contentType: "application/json", body: Array("{}".utf8))
        #expect(redirect.contains { $0.contains("describes no body") })
    }

    @Test("a schema keyword the validator does not implement is reported, not skipped")
    func unknownKeywordsReported() throws {
        var problems: [String] = []
        try Self.contract().validate(.string("x"), .object(["maxLength": .number("0")]), at: "$", problems: &problems)
        #expect(problems == ["$: the schema keyword 'maxLength' is not one this validator implements"])
    }

    @Test("withClient records an issue for every answer that breaks the document")
    func hookRecordsBreaches() async throws {
        let router = Router()
        router.get("/v1/status") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: "{\"version\": 1, \"loadedAt\": {\"day\": 7}}")))
        }
        try await withKnownIssue("the fake status breaks the contract") {
            try await withCheckedClient(Application(router: router)) { client in
                try await client.execute(uri: "/v1/status", method: .get) { response async throws in
                    #expect(response.status == .ok)
                }
            }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("breaks /v1/openapi.yaml") }
        }
    }
}
