import CriteriaEngine
import CriteriaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The plan pages (`/plans`, `/decisions/{id}/plans/{plan}`), the links to them, the encoding note of
/// a CSV upload on its record page, and what the pages give the keyboard and screen readers.
@Suite("Plan pages")
struct PlanPageTests {
    static let plan = "thanh-hoa-2022-2025"

    /// Evaluates the 2021–2025 sample through the inspector form with a plan chosen; the redirect.
    static func evaluateSample(_ client: any TestClientProtocol, plan: String = PlanPageTests.plan, lang: String? = nil) async throws -> String {
        var fields: [(name: String, filename: String?, bytes: Data)] = [
            ("sample", nil, Data("thanh-hoa".utf8)), ("as_of", nil, Data("2024-12-31".utf8)), ("plan", nil, Data(plan.utf8)),
        ]
        if let lang { fields.append(("lang", nil, Data(lang.utf8))) }
        let (form, headers) = multipart(fields)
        return try await client.execute(uri: "/inspect", method: .post, headers: headers, body: form) { response async throws in
            #expect(response.status == .seeOther, "\(response.text.prefix(500))")
            return response.headers[.location] ?? ""
        }
    }

    @Test("the form with a plan chosen opens the plan page: targets, charts, tables, holdouts linked to their explanations")
    func planPage() async throws {
        try await withClient(try makeService()) { client in
            let location = try await Self.evaluateSample(client)
            #expect(location.hasPrefix("/decisions/KQ-") && location.hasSuffix("/plans/\(Self.plan)"))
            let record = String(location.dropFirst("/decisions/".count).prefix { $0 != "/" })
            try await client.execute(uri: location, method: .get) { response async throws in
                #expect(response.status == .ok)
                let page = response.text
                #expect(page.contains("<html lang=\"vi\">"))
                #expect(page.contains("Thanh Hóa"))
                #expect(page.contains("<table class=\"targets\">"))
                #expect(page.components(separatedBy: "<section class=\"target ").count - 1 == 6)
                // A chart per measured target, each named, described and followed by its figures as a table.
                #expect(page.components(separatedBy: "role=\"img\" aria-labelledby=\"chart-").count - 1 == 6)
                #expect(page.contains("<title id=\"chart-xa-ntm-19-2-title\">"))
                #expect(page.contains("<table class=\"groups\">"))
                #expect(page.contains("<th scope=\"row\">Tổng cộng</th>"))
                #expect(page.contains("Huyện Đông Sơn"))
                // The commune holding 19.2 back links to its explanation, at the criterion's verdict.
                #expect(page.contains("href=\"/decisions/\(record)/entities/15418#verdict-xa-ntm.19.2\""))
                #expect(page.contains("aria-current=\"page\">Kế hoạch</a>"))
                #expect(!page.contains("<script"))
                // The record is a "phiếu kết quả", never a "quyết định" (a QĐ is a legal act).
                #expect(page.contains("← Phiếu kết quả \(record)</a>"))
                #expect(page.contains("<dt>Phiếu kết quả</dt><dd>\(record)</dd>"))
                #expect(!page.contains("Quyết định") && !page.contains("quyết định này"))
            }
            try await client.execute(uri: location + "?lang=en", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("<html lang=\"en\">"))
                #expect(response.text.contains(">required ≥ 99%"))
                #expect(response.text.contains("href=\"/decisions/\(record)/entities/15418?lang=en#verdict-xa-ntm.19.2\""))
            }
            // The record page, the status page and the plans page link to it.
            try await client.execute(uri: "/decisions/\(record)", method: .get) { response async throws in
                #expect(response.text.contains("id=\"plan-links\""))
                #expect(response.text.contains("href=\"/decisions/\(record)/plans/\(Self.plan)\""))
            }
            try await client.execute(uri: "/status", method: .get) { response async throws in
                #expect(response.text.contains("<code>plans/thanh-hoa-2022-2025.yaml</code>"))
                #expect(response.text.contains("href=\"/plans#plan-thanh-hoa-2022-2025\""))
            }
            try await client.execute(uri: "/plans", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("id=\"plan-thanh-hoa-2022-2025\""))
                #expect(response.text.contains("href=\"/decisions/\(record)/plans/\(Self.plan)\""))
                #expect(response.text.contains("<input type=\"hidden\" name=\"plan\" value=\"thanh-hoa-2022-2025\"/>"))
                #expect(response.text.contains("<label for=\"plan-date-thanh-hoa-2022-2025\">"))
            }
        }
    }

    @Test("the plan page measures with the record's own data and date, not a new evaluation of the sample")
    func measuredFromRecord() async throws {
        try await withClient(try makeService()) { client in
            let location = try await Self.evaluateSample(client)
            try await client.execute(uri: location, method: .get) { response async throws in
                // The sample as of 2024-12-31: 19.2 is not met (the CLI's `report` says the same).
                #expect(response.text.contains("<dt>Ngày đánh giá</dt><dd>31/12/2024</dd>"))
                #expect(response.text.contains("Examples/thanh-hoa/province.yaml (dữ liệu mẫu của máy chủ)"))
            }
        }
    }

    @Test("an unknown plan is a 404 with a did-you-mean; an unknown decision is a 404")
    func unknownPlan() async throws {
        try await withClient(try makeService()) { client in
            let location = try await Self.evaluateSample(client, plan: "thanh-hoa-2022-2024")
            try await client.execute(uri: location, method: .get) { response async throws in
                #expect(response.status == .notFound)
                #expect(response.text.contains("Không có kế hoạch &apos;thanh-hoa-2022-2024&apos;."))
                #expect(response.text.contains("có phải &apos;thanh-hoa-2022-2025&apos;?"))
                #expect(response.text.contains("role=\"alert\""))
            }
            try await client.execute(uri: "/decisions/QD-2026-999999-ABCDEF/plans/\(Self.plan)", method: .get) { response async throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("a plan file that does not check is shown with its diagnostics, and its page says why it cannot be measured")
    func brokenPlan() async throws {
        let rules = try copyOfRules()
        defer { try? FileManager.default.removeItem(atPath: rules) }
        try """
            criteria: 1
            plan: { id: broken, title: { vi: Hỏng } }
            targets:
              - { id: x, title: { vi: X }, share_of: commune, meeting: xa-ntm.19.9, at_least: 99% }

            """.write(toFile: rules + "/plans/broken.yaml", atomically: true, encoding: .utf8)
        // A folder named like a plan file cannot be read as one.
        try FileManager.default.createDirectory(atPath: rules + "/plans/folder.yaml", withIntermediateDirectories: false)
        try await withClient(try makeService(rules: rules)) { client in
            try await client.execute(uri: "/plans", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("<code>plans/broken.yaml</code>"))
                #expect(response.text.contains("plan.unknown-criterion"))
                #expect(response.text.contains("<code>plans/folder.yaml</code>"))
                #expect(response.text.contains("plan.unreadable"))
                #expect(response.text.contains("class=\"warning-box\" role=\"alert\""))
                #expect(response.text.contains("id=\"plan-thanh-hoa-2022-2025\""))
            }
            try await client.execute(uri: "/status", method: .get) { response async throws in
                #expect(response.text.contains("<code>plans/broken.yaml</code>: <strong class=\"fail\">có lỗi</strong>"))
            }
            let location = try await Self.evaluateSample(client, plan: "broken")
            try await client.execute(uri: location, method: .get) { response async throws in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("xa-ntm.19.9"))
            }
            // The good plan still opens.
            let good = try await Self.evaluateSample(client)
            try await client.execute(uri: good, method: .get) { response async throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("with every slot taken the status page still answers and lists the plans (read with the rules); the plan page is a 503")
    func busy() async throws {
        let service = try makeService(maxConcurrent: 1)
        try await withClient(service) { client in
            let location = try await Self.evaluateSample(client)
            #expect(await service.gate.tryAcquire())
            try await client.execute(uri: "/status", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("<code>plans/thanh-hoa-2022-2025.yaml</code>"))
            }
            try await client.execute(uri: location, method: .get) { response async throws in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
            }
            await service.gate.release()
            try await client.execute(uri: "/status", method: .get) { response async throws in
                #expect(response.text.contains("<code>plans/thanh-hoa-2022-2025.yaml</code>"))
            }
        }
    }

    @Test("a plan file added while the server runs is read with the reloaded rules: its problems show on the status page")
    func planEditReloads() async throws {
        let rules = try copyOfRules()
        defer { try? FileManager.default.removeItem(atPath: rules) }
        let service = try makeService(rules: rules)
        try "id: broken\n".write(toFile: rules + "/plans/broken.yaml", atomically: true, encoding: .utf8)
        #expect(await service.rules.reloadIfChanged())
        try await withClient(service) { client in
            try await client.execute(uri: "/status", method: .get) { response async throws in
                #expect(response.text.contains("<code>plans/broken.yaml</code>: <strong class=\"fail\">có lỗi</strong>"))
                #expect(response.text.contains("<code>plans/thanh-hoa-2022-2025.yaml</code>: <a"))
            }
        }
    }

    @Test("a record that keeps neither input nor rules cannot be measured: 422 saying so")
    func notKept() async throws {
        let service = try makeService()
        let output = try JSONDecoder().decode(
            EvaluationOutputV1.self,
            from: Data(#"{"version": 1, "asOf": "2024-12-31", "dataset": "x.yaml", "synthetic": false, "summary": {}, "entities": []}"#.utf8))
        let record = try service.decisions.record(
            evaluation: output, criteria: [], rulesHash: String(repeating: "0", count: 64), inputHash: String(repeating: "1", count: 64),
            inputName: "x.yaml")
        try await withClient(service) { client in
            try await client.execute(uri: "/decisions/\(record.id)/plans/\(Self.plan)", method: .get) { response async throws in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("không lưu dữ liệu và bộ quy tắc"))
            }
        }
    }

    /// The CSV tables of a folder and a date, as the inspector form sends them.
    static func csvForm(_ folder: String) throws -> (ByteBuffer, HTTPFields) {
        let fields = ["province", "districts", "communes", "units", "successions", "dataset"]
        return multipart(try fields.map { ($0, "\($0).csv", try fixture(folder + "/\($0).csv")) } + [("as_of", nil, Data("2026-12-07".utf8))])
    }

    @Test("a CSV upload read as Windows-1258 says so on its record page; a UTF-8 one does not")
    func encodingNote() async throws {
        try await withClient(try makeService()) { client in
            for (folder, converted) in [("Tests/CriteriaEngineTests/Fixtures/data/excel-csv", true), ("Examples/thanh-hoa-2026/csv", false)] {
                let (body, headers) = try Self.csvForm(folder)
                let location = try await client.execute(uri: "/inspect", method: .post, headers: headers, body: body) { response async throws in
                    #expect(response.status == .seeOther, "\(response.text.prefix(400))")
                    return response.headers[.location] ?? ""
                }
                try await client.execute(uri: location, method: .get) { response async throws in
                    #expect(response.text.contains("class=\"note dataset-note\" role=\"note\"") == converted, "\(folder)")
                    #expect(response.text.contains("Windows-1258") == converted, "\(folder)")
                }
                try await client.execute(uri: "/v1" + location, method: .get) { response async throws in
                    let record = try response.decode(DecisionRecordV1.self)
                    #expect(record.evaluation.notes?.map(\.id.rawValue) == (converted ? ["data.converted-encoding"] : nil))
                }
            }
        }
    }

    @Test("every field has a label, the editor says how to leave it, errors are announced")
    func accessibleMarkup() async throws {
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/", method: .get) { response async throws in
                #expect(response.text.contains("<label for=\"as_of\">Ngày đánh giá</label> <input type=\"date\" name=\"as_of\" id=\"as_of\""))
            }
            try await client.execute(uri: "/playground", method: .get) { response async throws in
                #expect(response.text.contains("aria-describedby=\"editor-keys\""))
                #expect(response.text.contains("<p class=\"meta\" id=\"editor-keys\">"))
                #expect(response.text.contains("<p id=\"error-alert\" class=\"warning-box\" role=\"alert\" hidden=\"hidden\"></p>"))
                #expect(!response.text.contains("color:#1f2328;outline:none}"))
                #expect(response.text.contains(":focus-visible{outline:3px solid"))
            }
            try await client.execute(uri: "/assets/playground.js", method: .get) { response async throws in
                // Esc then Tab leaves the editor; Shift+Tab always does.
                #expect(response.text.contains("ev.key === \"Escape\""))
                #expect(response.text.contains("!ev.shiftKey"))
            }
        }
    }
}
