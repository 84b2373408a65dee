import CriteriaEngine
import CriteriaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("JSON API")
struct APIRouteTests {
    @Test("the criteria are listed and each can be read; an unknown id is a 404 with a did-you-mean")
    func criteria() async throws {
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/v1/criteria", method: .get) { response async throws in
                #expect(response.status == .ok)
                let list = try response.decode(CriteriaListV1.self)
                #expect(list.criteria.map(\.id).contains("xa-ntm.19.2"))
                #expect(list.rulesHash.count == 64)
            }
            try await client.execute(uri: "/v1/criteria/xa-ntm.19.2", method: .get) { response async throws in
                #expect(response.status == .ok)
                let detail = try response.decode(CriterionDetailV1.self)
                #expect(detail.versions.first?.clauses.contains { $0.path == "xa-ntm.19.2/don-vi-an-toan/don-vi-cong-nhan" } == true)
                #expect(detail.parameters.contains { $0.name == "safe_unit_share" })
                #expect(detail.markdown.contains("## Điều kiện / Clauses"))
            }
            try await client.execute(uri: "/v1/criteria/xa-ntm.19.3", method: .get) { response async throws in
                #expect(response.status == .notFound)
                let problems = try response.decode(DiagnosticsOutputV1.self)
                #expect(problems.diagnostics.first?.id == "request.unknown-criterion")
                #expect(problems.diagnostics.first?.hint?.contains("xa-ntm.19.2") == true)
            }
        }
    }

    @Test("a YAML upload is evaluated, recorded, and reads back the same")
    func evaluateYAML() async throws {
        let body = try fixture("Examples/thanh-hoa/province.yaml")
        try await withClient(try makeService()) { client in
            let record = try await client.execute(
                uri: "/v1/evaluations?as_of=2024-12-31&criteria=xa-ntm.19.2", method: .post,
                headers: [.contentType: "application/yaml"], body: ByteBuffer(bytes: body)
            ) { response async throws in
                #expect(response.status == .created)
                let record = try response.decode(DecisionRecordV1.self)
                #expect(response.headers[.location] == "/v1/decisions/\(record.id)")
                return record
            }
            #expect(DecisionStore.isWellFormed(record.id))
            #expect(record.criteria == ["xa-ntm.19.2"])
            #expect(record.evaluation.asOf == "2024-12-31")
            #expect((record.evaluation.summary["fail"] ?? 0) > 0)
            let failing = record.evaluation.entities.first { $0.verdicts.contains { $0.outcome == .fail } }
            #expect(failing?.level == .commune)
            try await client.execute(uri: "/v1/decisions/\(record.id)", method: .get) { response async throws in
                #expect(response.status == .ok)
                let again = try response.decode(DecisionRecordV1.self)
                #expect(again.contentHash == record.contentHash)
                #expect(again.evaluation.entities.count == record.evaluation.entities.count)
            }
        }
    }

    @Test("JSON and CSV uploads give the same verdicts as YAML")
    func formatsAgree() async throws {
        let csv = ["province", "districts", "communes", "units", "successions"]
        let names = [
            "province": "province.csv", "districts": "districts.csv", "communes": "communes.csv", "units": "units.csv",
            "successions": "successions.csv",
        ]
        let (form, formHeaders) = multipart(
            try csv.map { field in (field, names[field], try fixture("Examples/thanh-hoa-2026/csv/" + (names[field] ?? ""))) }
                + [("dataset", "dataset.csv", try fixture("Examples/thanh-hoa-2026/csv/dataset.csv"))])
        let json = try fixture("Examples/thanh-hoa-2026/province.json")
        let yaml = try fixture("Examples/thanh-hoa-2026/province.yaml")
        try await withClient(try makeService()) { client in
            func summary(_ headers: HTTPFields, _ body: ByteBuffer) async throws -> [String: Int] {
                try await client.execute(uri: "/v1/evaluations?as_of=2026-12-07", method: .post, headers: headers, body: body) { response async throws in
                    #expect(response.status == .created, "\(response.text.prefix(400))")
                    return try response.decode(DecisionRecordV1.self).evaluation.summary
                }
            }
            let fromYAML = try await summary([.contentType: "application/yaml"], ByteBuffer(bytes: yaml))
            let fromJSON = try await summary([.contentType: "application/json"], ByteBuffer(bytes: json))
            let fromCSV = try await summary(formHeaders, form)
            #expect(fromYAML == fromJSON)
            #expect(fromYAML == fromCSV)
        }
    }

    @Test("bad requests get a 4xx with the diagnostics model")
    func badRequests() async throws {
        try await withClient(try makeService(maxBodyBytes: 1 << 20)) { client in
            let cases: [(String, HTTPFields, ByteBuffer, HTTPResponse.Status, String)] = [
                ("/v1/evaluations?as_of=2024-12-31", [.contentType: "application/yaml"], ByteBuffer(string: "dataset: 1\nprovince: [\n"), .unprocessableContent, "yaml."),
                ("/v1/evaluations?as_of=2024-12-31", [.contentType: "application/json"], ByteBuffer(string: "{\"dataset\": 1,"), .unprocessableContent, "json."),
                ("/v1/evaluations", [.contentType: "application/yaml"], ByteBuffer(string: "dataset: 1\n"), .badRequest, "request.missing-date"),
                ("/v1/evaluations?as_of=31/12/2024", [.contentType: "application/yaml"], ByteBuffer(string: "dataset: 1\n"), .badRequest, "request.bad-date"),
                ("/v1/evaluations?as_of=2024-12-31", [.contentType: "text/csv"], ByteBuffer(string: "id,name\n"), .unsupportedMediaType, "request.unsupported-media-type"),
                ("/v1/evaluations?as_of=2024-12-31&criteria=xa-ntm.19", [.contentType: "application/yaml"], ByteBuffer(string: "dataset: 1\n"), .badRequest, "request.unknown-criterion"),
                ("/v1/evaluations?as_of=2019-01-01", [.contentType: "application/yaml"], ByteBuffer(string: "dataset: 1\n"), .unprocessableContent, "request.nothing-in-force"),
                ("/v1/evaluations?as_of=2024-12-31", [.contentType: "application/yaml"], ByteBuffer(repeating: UInt8(ascii: "#"), count: (1 << 20) + 1), .contentTooLarge, "request.too-large"),
                ("/v1/evaluations?as_of=2024-12-31", [.contentType: "application/yaml"], ByteBuffer(string: "a: &x 1\nb: *x\n"), .unprocessableContent, "yaml.anchor"),
                ("/v1/check", [.contentType: "application/json"], ByteBuffer(string: "not json"), .badRequest, "request.bad-json"),
                ("/v1/check", [.contentType: "application/json"], ByteBuffer(string: #"{"file": "../etc/passwd.yaml", "text": "x"}"#), .badRequest, "request.bad-file"),
            ]
            for (uri, headers, body, status, id) in cases {
                try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response async throws in
                    #expect(response.status == status, "\(uri): \(response.text.prefix(300))")
                    let problems = try response.decode(DiagnosticsOutputV1.self)
                    #expect(problems.diagnostics.contains { $0.id.rawValue.hasPrefix(id) }, "\(uri): \(problems.diagnostics.map(\.id))")
                }
            }
            try await client.execute(uri: "/v1/nowhere", method: .get) { response async throws in
                #expect(response.status == .notFound)
                #expect(try response.decode(DiagnosticsOutputV1.self).diagnostics.first?.id == "request.not-found")
            }
            try await client.execute(uri: "/v1/decisions/QD-2026-999999", method: .get) { response async throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("a rule file with an alias as a key is refused by the pre-scan with a 422")
    func aliasAsKey() async throws {
        let text = "criteria: 1\nid: &a xa-ntm.19.2\n? *a\n: 1\n"
        let body = try JSONEncoder().encode(RuleEditV1(file: "xa-ntm/19.2.yaml", text: text))
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/v1/check", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body)) {
                response async throws in
                #expect(response.status == .unprocessableContent)
                let ids = try response.decode(DiagnosticsOutputV1.self).diagnostics.map(\.id.rawValue)
                #expect(ids.contains("yaml.alias"))
            }
        }
    }

    @Test("check reports a mistake in the edited file at its line, and nothing for the served file")
    func checkEdited() async throws {
        let served = try String(contentsOfFile: repositoryRoot + "/Rules/xa-ntm/19.2.yaml", encoding: .utf8)
        let broken = served.replacingOccurrences(of: "check: serious_crimes == 0", with: "check: serious_crime == 0")
        try await withClient(try makeService()) { client in
            let good = try JSONEncoder().encode(RuleEditV1(file: "xa-ntm/19.2.yaml", text: served))
            try await client.execute(uri: "/v1/check", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: good)) {
                response async throws in
                #expect(response.status == .ok)
                #expect(try response.decode(DiagnosticsOutputV1.self).summary["errors"] == 0)
            }
            let bad = try JSONEncoder().encode(RuleEditV1(file: "xa-ntm/19.2.yaml", text: broken))
            try await client.execute(uri: "/v1/check", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: bad)) {
                response async throws in
                #expect(response.status == .unprocessableContent)
                let diagnostic = try response.decode(DiagnosticsOutputV1.self).diagnostics.first { $0.id == "rules.unknown-input" }
                #expect(diagnostic?.range?.file.hasSuffix("Rules/xa-ntm/19.2.yaml") == true)
                // The line of the edited check in the served file, counted from 1.
                let line = served.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("check: serious_crimes == 0") }.map { $0 + 1 }
                #expect(line != nil && diagnostic?.range?.start.line == line)
                #expect(diagnostic?.hint?.contains("serious_crimes") == true || diagnostic?.message.contains("serious_crimes") == true)
            }
        }
    }

    @Test("rule tests run with the edited file standing in; the served rules do not change")
    func testsAndDiff() async throws {
        let served = try String(contentsOfFile: repositoryRoot + "/Rules/parameters.yaml", encoding: .utf8)
        let service = try makeService()
        let hash = await service.rules.current.hash
        try await withClient(service) { client in
            let unchanged = try JSONEncoder().encode(RuleEditV1(file: "xa-ntm/19.2.yaml"))
            try await client.execute(uri: "/v1/tests", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: unchanged)) {
                response async throws in
                #expect(response.status == .ok, "\(response.text.prefix(300))")
                let report = try response.decode(TestReportV1.self)
                #expect(report.failed == 0)
                #expect(report.passed > 0)
            }
            // Raise the safe-hamlet share: some communes flip from pass to fail.
            let stricter = served.replacingOccurrences(of: "2022-02-10: 70%", with: "2022-02-10: 95%")
            #expect(stricter != served)
            let edit = try JSONEncoder().encode(RuleEditV1(file: "parameters.yaml", text: stricter, dataset: "thanh-hoa", asOf: "2024-12-31"))
            try await client.execute(uri: "/v1/diff", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: edit)) {
                response async throws in
                #expect(response.status == .ok, "\(response.text.prefix(300))")
                let diff = try response.decode(VerdictDiffV1.self)
                #expect(!diff.changes.isEmpty)
                #expect(diff.flips.contains { $0.before == .pass && $0.after == .fail })
            }
            try await client.execute(uri: "/v1/tests", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: edit)) {
                response async throws in
                #expect(response.status == .ok)
                #expect(try response.decode(TestReportV1.self).failed > 0)
            }
        }
        #expect(await service.rules.current.hash == hash)
    }

    @Test("when every evaluation slot is taken, an evaluation gets 503 with Retry-After and other routes still answer")
    func saturated() async throws {
        let service = try makeService(maxConcurrent: 1)
        #expect(await service.gate.tryAcquire())
        try await withClient(service) { client in
            try await client.execute(
                uri: "/v1/evaluations?as_of=2024-12-31", method: .post, headers: [.contentType: "application/yaml"],
                body: ByteBuffer(bytes: try fixture("Examples/thanh-hoa/province.yaml"))
            ) { response async throws in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                #expect(try response.decode(DiagnosticsOutputV1.self).diagnostics.first?.id == "request.busy")
            }
            try await client.execute(uri: "/v1/status", method: .get) { response async throws in
                #expect(response.status == .ok)
            }
        }
        await service.gate.release()
    }

    @Test("bad uploads are refused while a good evaluation runs at the same time")
    func concurrentRefusals() async throws {
        // Reading each upload, evaluating and checking each take a slot of the bounded pool: enough
        // for all of them, so that every answer is the request's own (not 503 busy).
        let service = try makeService(maxConcurrent: 4)
        let yaml = try fixture("Examples/thanh-hoa/province.yaml")
        try await withClient(service) { client in
            try await withThrowingTaskGroup(of: (String, HTTPResponse.Status).self) { group in
                group.addTask {
                    try await client.execute(
                        uri: "/v1/evaluations?as_of=2024-12-31", method: .post, headers: [.contentType: "application/yaml"], body: ByteBuffer(bytes: yaml)
                    ) { ("good", $0.status) }
                }
                group.addTask {
                    try await client.execute(
                        uri: "/v1/evaluations?as_of=2024-12-31", method: .post, headers: [.contentType: "application/yaml"],
                        body: ByteBuffer(string: "dataset: 1\n\tprovince: {}\n")
                    ) { ("malformed", $0.status) }
                }
                group.addTask {
                    try await client.execute(
                        uri: "/v1/evaluations?as_of=2024-12-31", method: .post, headers: [.contentType: "application/yaml"],
                        body: ByteBuffer(repeating: 0x20, count: (8 << 20) + 1)
                    ) { ("oversize", $0.status) }
                }
                group.addTask {
                    let body = try JSONEncoder().encode(RuleEditV1(file: "xa-ntm/19.2.yaml", text: "? *a\n: 1\n"))
                    return try await client.execute(uri: "/v1/check", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body)) {
                        ("alias", $0.status)
                    }
                }
                var statuses: [String: HTTPResponse.Status] = [:]
                for try await (name, status) in group { statuses[name] = status }
                #expect(statuses["good"] == .created)
                #expect(statuses["malformed"] == .unprocessableContent)
                #expect(statuses["oversize"] == .contentTooLarge)
                #expect(statuses["alias"] == .unprocessableContent)
            }
        }
    }
}
