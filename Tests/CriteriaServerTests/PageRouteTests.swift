import CriteriaEngine
import CriteriaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Web pages")
struct PageRouteTests {
    @Test("the inspector form evaluates the sample, redirects to the record, and the record links each unit's explanation")
    func inspectorFlow() async throws {
        let service = try makeService()
        try await withClient(service) { client in
            try await client.execute(uri: "/", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("<html lang=\"vi\">"))
                #expect(response.text.contains("name=\"sample\""))
                #expect(!response.text.contains("<script src"))
                #expect(!response.text.contains("rel=\"stylesheet\""))
                #expect(!response.text.contains("src=\"http") && !response.text.contains("url("))
            }
            let (form, headers) = multipart([
                ("sample", nil, Data("thanh-hoa".utf8)), ("as_of", nil, Data("2024-12-31".utf8)),
                ("criteria", nil, Data("xa-ntm.19.2".utf8)), ("file", "", Data()),
            ])
            let location = try await client.execute(uri: "/inspect", method: .post, headers: headers, body: form) { response async throws in
                #expect(response.status == .seeOther, "\(response.text.prefix(500))")
                return response.headers[.location] ?? ""
            }
            #expect(location.hasPrefix("/decisions/KQ-"))
            let id = String(location.dropFirst("/decisions/".count))
            try await client.execute(uri: location, method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains(id))
                #expect(response.text.contains("href=\"/decisions/\(id)/entities/15418\""))
                // A person reads the time in Vietnam's zone, named; the date day first.
                #expect(response.text.contains("(giờ Việt Nam, UTC+7)"))
                #expect(!response.text.contains("(UTC)"))
                #expect(response.text.contains(">31/12/2024<"))
            }
            try await client.execute(uri: location + "?show=problems", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("15418"))
            }
            try await client.execute(uri: location + "/entities/15418", method: .get) { response async throws in
                #expect(response.status == .ok)
                let page = response.text
                #expect(page.contains("Xã An Nông"))
                #expect(page.contains("don-vi-cong-nhan"))
                #expect(page.contains("để đạt"))
                #expect(page.contains("cần ≥ 70%, thực tế 57,14%"))
                // The expression is behind "Chi tiết kỹ thuật", not in what the inspector reads first.
                #expect(page.contains("<details class=\"technical\"><summary>Chi tiết kỹ thuật</summary><ul><li>biểu thức: <code>"))
                #expect(page.contains("badge provisional"))
                #expect(page.contains("TT 124/2021/TT-BCA, Điều 5 khoản 4"))
                #expect(page.contains("href=\"/criteria/xa-ntm.19.2\""))
            }
            try await client.execute(uri: location + "/entities/15418?lang=en&full=1", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("<html lang=\"en\">"))
                #expect(response.text.contains("to pass"))
                #expect(response.text.contains("<summary>Technical details</summary>"))
                #expect(response.text.contains("khong-trong-an"))
            }
            try await client.execute(uri: "/decisions?id=" + id.lowercased(), method: .get) { response async throws in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/decisions/\(id)")
            }
        }
    }

    @Test("a malformed upload through the form gets a 4xx page with the diagnostics")
    func inspectorRefusal() async throws {
        let (form, headers) = multipart([("file", "bad.yaml", Data("dataset: 1\nprovince: [\n".utf8)), ("as_of", nil, Data("2024-12-31".utf8))])
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/inspect", method: .post, headers: headers, body: form) { response async throws in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("bad.yaml:"))
                #expect(response.text.contains("class=\"diag error\""))
            }
            try await client.execute(uri: "/decisions/QD-2026-424242", method: .get) { response async throws in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
        }
    }

    @Test("a date on which nothing is in force says so, with the periods, and not that the data has errors")
    func nothingInForcePage() async throws {
        let (form, headers) = multipart([("sample", nil, Data("thanh-hoa".utf8)), ("as_of", nil, Data("2019-01-01".utf8))])
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/inspect", method: .post, headers: headers, body: form) { response async throws in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("Không có tiêu chí nào có hiệu lực vào ngày đã chọn"))
                #expect(response.text.contains("Không có tiêu chí nào có hiệu lực vào ngày 01/01/2019."))
                #expect(response.text.contains("xa-ntm.19.2 ("))
                #expect(!response.text.contains("Dữ liệu có lỗi"))
            }
        }
    }

    @Test("criteria pages show the generated page's content as HTML")
    func criteriaPages() async throws {
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/criteria", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("<a href=\"/criteria/xa-ntm.19.2\"><code>xa-ntm.19.2</code></a>"))
            }
            try await client.execute(uri: "/criteria/xa-ntm.19.2?lang=en", method: .get) { response async throws in
                #expect(response.status == .ok)
                let page = response.text
                #expect(page.contains("<h2>Điều kiện / Clauses</h2>"))
                #expect(page.contains("không có khiếu kiện đông người"))
                #expect(page.contains("<code>safe_unit_share</code>"))
                // The clause table has no expressions: they are behind "Chi tiết kỹ thuật", closed.
                let clauses = try #require(page.range(of: "<h2>Điều kiện / Clauses</h2>"))
                let details = try #require(page.range(of: "<details class=\"technical\">\n<summary>Chi tiết kỹ thuật / Technical details", range: clauses.upperBound..<page.endIndex))
                let clauseTable = page[clauses.upperBound..<details.lowerBound]
                #expect(!clauseTable.contains("biểu thức"), "\(clauseTable)")
                #expect(!clauseTable.contains("share(units"), "\(clauseTable)")
                let closing = try #require(page.range(of: "</details>", range: details.upperBound..<page.endIndex))
                let hidden = page[details.upperBound..<closing.lowerBound]
                #expect(hidden.contains("<th scope=\"col\">biểu thức / check</th>"))
                #expect(hidden.contains("<code>share(units"), "\(hidden)")
                #expect(page.contains("<h2>Kiểm thử / Rule tests</h2>"))
                #expect(page.contains("href=\"/criteria?lang=en\""))
                #expect(page.contains("/playground?file=xa-ntm%2F19.2.yaml&amp;lang=en"))
            }
            try await client.execute(uri: "/criteria/nope", method: .get) { response async throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("the playground shows the rule file and the status page the rules served")
    func playgroundAndStatus() async throws {
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/playground?criterion=xa-ntm.19.2", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("data-file=\"xa-ntm/19.2.yaml\""))
                #expect(response.text.contains("id: xa-ntm.19.2"))
                #expect(response.text.contains("<script src=\"/assets/playground.js\"></script>"))
                #expect(!response.text.contains("<script>"), "inline script, which the Content-Security-Policy forbids")
            }
            try await client.execute(uri: "/playground?file=../x.yaml", method: .get) { response async throws in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/status", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("id=\"rules-ok\""))
                #expect(response.text.contains("(giờ Việt Nam, UTC+7)"))
            }
        }
    }
}

@Suite("Markdown to HTML")
struct MarkdownHTMLTests {
    @Test("every criterion page converts to well-formed XML")
    func wellFormed() async throws {
        let service = try makeService()
        let served = await service.rules.current
        let page = CriterionPage(graph: served.graph, tests: served.tests, rulesFolder: served.folder)
        try await withClient(service) { client in
            for id in served.graph.order + [""] {
                try await client.execute(uri: id.isEmpty ? "/criteria" : "/criteria/\(id)", method: .get) { response async throws in
                    #expect(response.status == .ok)
                    let main = try #require(response.text.range(of: "<main>")).lowerBound
                    let end = try #require(response.text.range(of: "</main>")).upperBound
                    let fragment = String(response.text[main..<end])
                    let parser = XMLParser(data: Data(fragment.utf8))
                    #expect(parser.parse(), "\(id): \(parser.parserError.map { "\($0)" } ?? "")")
                }
            }
        }
        #expect(page.pages().count == served.graph.order.count + 1)
    }
}

@Suite("Reload failures on the pages")
struct ReloadPageTests {
    @Test("a rule edit that does not check shows on the status and inspector pages; the last good set is served")
    func failedReload() async throws {
        let folder = try copyOfRules()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let service = try makeService(rules: folder)
        let hash = await service.rules.current.hash
        let file = folder + "/xa-ntm/19.2.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "check: serious_crimes == 0", with: "check: serious_crime == 0")
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(await service.rules.reloadIfChanged() == false)
        try await withClient(service) { client in
            try await client.execute(uri: "/status", method: .get) { response async throws in
                #expect(response.text.contains("id=\"reload-failure\""))
                #expect(response.text.contains("không có đầu vào &apos;serious_crime&apos;") || response.text.contains("không có đầu vào 'serious_crime'"))
            }
            try await client.execute(uri: "/status?lang=en", method: .get) { response async throws in
                #expect(response.text.contains("unknown input &apos;serious_crime&apos;") || response.text.contains("unknown input 'serious_crime'"))
            }
            try await client.execute(uri: "/", method: .get) { response async throws in
                #expect(response.text.contains("class=\"warning-box\""))
            }
            try await client.execute(uri: "/v1/status", method: .get) { response async throws in
                let status = try response.decode(StatusV1.self)
                #expect(status.rulesHash == hash)
                #expect(status.reloadFailure?.diagnostics.contains { $0.id == "rules.unknown-input" } == true)
            }
        }
    }
}
