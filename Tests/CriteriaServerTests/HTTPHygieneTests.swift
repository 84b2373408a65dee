import CriteriaEngine
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CriteriaServer

/// The web edge against the abuse report of 2026-12 (issue #16): stored XSS and security headers
/// (finding 8), CSRF and Host (7), unit ids in links (13), upload names (19), connection bounds (6).
@Suite("HTTP hygiene")
struct HTTPHygieneTests {
    // MARK: Finding 8: Markdown links and security headers

    @Test("a Markdown link with a scheme other than http, https or mailto is shown as text, not a link")
    func unsafeLinkSchemes() {
        let markdown = MarkdownHTML { $0 }
        for target in [
            "javascript:onerror=alert;throw document.domain", "JavaScript:alert(2)", " javascript:alert(1)",
            "java\tscript:alert(1)", "java\nscript:alert(1)", "\u{01}javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)", "file:///etc/passwd",
        ] {
            let html = markdown.inline("[Văn bản gốc](\(target))")
            #expect(!html.contains("<a "), "\(target.debugDescription) became a link: \(html)")
            #expect(html.contains("Văn bản gốc"))
        }
        for (target, href) in [
            ("https://vbpl.vn/x", "https://vbpl.vn/x"), ("http://example.org/a?b=1&c=2", "http://example.org/a?b=1&amp;c=2"),
            ("mailto:ntm@example.gov.vn", "mailto:ntm@example.gov.vn"), ("/criteria", "/criteria"), ("#clause", "#clause"),
            ("xa-ntm.19.2.md", "xa-ntm.19.2.md"), ("a/b:c", "a/b:c"),
        ] {
            #expect(markdown.inline("[x](\(target))") == "<a href=\"\(href)\">x</a>")
        }
    }

    @Test("a javascript: link in a rule's description, title and source note is not a link on the criterion pages")
    func storedXSSInRuleText() async throws {
        let rules = try copyOfRules()
        defer { try? FileManager.default.removeItem(atPath: rules) }
        let file = rules + "/xa-ntm/19.2.yaml"
        var text = try String(contentsOfFile: file, encoding: .utf8)
        let payload = "[Văn bản gốc](javascript:onerror=alert;throw document.domain)"
        let anchor = "    Xã đạt chuẩn an toàn về an ninh, trật tự xã hội và đảm bảo bình yên: không"
        #expect(text.contains(anchor))
        text = text.replacingOccurrences(of: anchor, with: "    " + payload + " " + anchor.dropFirst(4))
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let service = try makeService(rules: rules)
        try await withClient(service) { client in
            try await client.execute(uri: "/criteria/xa-ntm.19.2", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains("Văn bản gốc"), "the description is not on the page")
                #expect(!response.text.lowercased().contains("href=\"javascript:"))
                #expect(!response.text.lowercased().contains("href=\"javascript"))
            }
        }
    }

    @Test("every answer carries the CSP, nosniff, no-framing and referrer headers; pages have no inline script")
    func securityHeaders() async throws {
        try await withClient(try makeService()) { client in
            var styleHashes: Set<String> = []
            for (uri, method) in [
                ("/", HTTPRequest.Method.get), ("/playground", .get), ("/criteria/xa-ntm.19.2", .get), ("/status", .get),
                ("/v1/status", .get), ("/no-such-page", .get), ("/v1/no-such-route", .get), ("/inspect", .post),
                (Pages.playgroundScriptPath, .get),
            ] {
                try await client.execute(uri: uri, method: method) { response async throws in
                    let csp = response.headers[.contentSecurityPolicy] ?? ""
                    #expect(csp.contains("frame-ancestors 'none'"), "\(uri): \(csp)")
                    #expect(csp.contains("default-src 'none'"), "\(uri)")
                    #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(uri)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                    #expect(response.headers[.xFrameOptions] == "DENY", "\(uri)")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy") ?? .server] == "same-origin", "\(uri)")
                    guard response.headers[.contentType]?.hasPrefix("text/html") == true else { return }
                    let page = response.text
                    // No script runs from the page itself: only <script src> and JSON data blocks.
                    for script in page.components(separatedBy: "<script").dropFirst() {
                        let tag = script.prefix { $0 != ">" }
                        #expect(tag.contains("src=\"") || tag.contains("type=\"application/json\""), "\(uri): inline script <script\(tag)>")
                    }
                    #expect(page.range(of: #"<[a-zA-Z][^>]*\son[a-z]+\s*="#, options: .regularExpression) == nil, "\(uri): an on… handler")
                    #expect(!page.contains(" style=\""), "\(uri): a style attribute")
                    // The one style element is the one the policy allows.
                    if let open = page.range(of: "<style>"), let close = page.range(of: "</style>", range: open.upperBound..<page.endIndex) {
                        let digest = SHA256.hash(data: Data(page[open.upperBound..<close.lowerBound].utf8))
                        let hash = "'sha256-" + Data(digest).base64EncodedString() + "'"
                        #expect(csp.contains("style-src \(hash)"), "\(uri): the style element's hash is not in the policy")
                        styleHashes.insert(hash)
                    }
                }
            }
            #expect(styleHashes.count == 1)
            try await client.execute(uri: "/playground", method: .get) { response async throws in
                #expect(response.text.contains("<script src=\"\(Pages.playgroundScriptPath)\"></script>"))
            }
            try await client.execute(uri: Pages.playgroundScriptPath, method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(response.text.contains("file-choice"))
            }
        }
    }

    // MARK: Finding 7: CSRF and Host

    private func sampleForm() -> (ByteBuffer, HTTPFields) {
        multipart([("sample", nil, Data("thanh-hoa".utf8)), ("as_of", nil, Data("2024-12-31".utf8)), ("criteria", nil, Data("xa-ntm.19.2".utf8))])
    }

    @Test("a cross-site form post is refused with 403 and records nothing; same-origin and non-browser posts are served")
    func crossSiteForm() async throws {
        try await withClient(try makeService()) { client in
            for (name, value) in [("Origin", "https://evil.example"), ("Origin", "null"), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Site", "same-site")] {
                var (form, headers) = sampleForm()
                headers[HTTPField.Name(name) ?? .origin] = value
                try await client.execute(uri: "/inspect", method: .post, headers: headers, body: form) { response async throws in
                    #expect(response.status == .forbidden, "\(name): \(value)")
                    #expect(response.text.contains("trang web khác"), "\(name): \(value): the page does not say why in Vietnamese")
                }
                try await client.execute(uri: "/v1/evaluations?as_of=2024-12-31", method: .post, headers: headers, body: form) { response async throws in
                    #expect(response.status == .forbidden)
                    #expect(try response.decode(DiagnosticsOutputV1.self).diagnostics.first?.id == "request.cross-site")
                }
            }
            try await client.execute(uri: "/v1/decisions", method: .get) { response async throws in
                #expect(try response.decode(DecisionListV1.self).decisions.isEmpty, "a refused request was recorded")
            }
            for extra in [[("Origin", "http://localhost")], [("Sec-Fetch-Site", "same-origin"), ("Origin", "http://localhost")], []] {
                var (form, headers) = sampleForm()
                for (name, value) in extra { headers[HTTPField.Name(name) ?? .origin] = value }
                try await client.execute(uri: "/inspect", method: .post, headers: headers, body: form) { response async throws in
                    #expect(response.status == .seeOther, "\(extra): \(response.text.prefix(300))")
                }
            }
        }
    }

    @Test("the playground routes refuse a body that is not JSON with 415 and the diagnostics model")
    func jsonOnly() async throws {
        let body = ByteBuffer(string: #"{"file": "xa-ntm/19.2.yaml"}"#)
        try await withClient(try makeService()) { client in
            for uri in ["/v1/check", "/v1/tests", "/v1/diff"] {
                for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                    try await client.execute(uri: uri, method: .post, headers: [.contentType: type], body: body) { response async throws in
                        #expect(response.status == .unsupportedMediaType, "\(uri) \(type)")
                        let problems = try response.decode(DiagnosticsOutputV1.self)
                        #expect(problems.diagnostics.first?.id == "request.unsupported-media-type")
                        #expect(problems.diagnostics.first?.hint?.contains("application/json") == true)
                    }
                }
                try await client.execute(uri: uri, method: .post, body: body) { response async throws in
                    #expect(response.status == .unsupportedMediaType, "\(uri) without a content type")
                }
            }
            try await client.execute(
                uri: "/v1/check", method: .post, headers: [.contentType: "application/json; charset=utf-8"], body: body
            ) { response async throws in
                #expect(response.status != .unsupportedMediaType, "JSON with a charset is JSON")
            }
        }
    }

    @Test("with --allowed-host, a request for another Host is refused with 421; the allowed host is served")
    func allowedHosts() async throws {
        let other = try CriteriaService(
            options: ServerOptions(
                rules: repositoryRoot + "/Rules", database: ":memory:", examples: .some(nil), allowedHosts: ["criteria.example.gov.vn"]))
        try await withClient(other) { client in
            // The in-process client always sends Host: localhost.
            try await client.execute(uri: "/v1/status", method: .get) { response async throws in
                #expect(response.status == .misdirectedRequest)
                let problems = try response.decode(DiagnosticsOutputV1.self)
                #expect(problems.diagnostics.first?.id == "request.unknown-host")
                #expect(problems.diagnostics.first?.hint?.contains("criteria.example.gov.vn") == true)
                #expect(response.headers[.contentSecurityPolicy] != nil)
            }
            try await client.execute(uri: "/", method: .get) { response async throws in
                #expect(response.status == .misdirectedRequest)
                #expect(response.text.contains("không phục vụ tên miền &apos;localhost&apos;"), "\(response.text.suffix(1500))")
            }
        }
        let local = try CriteriaService(
            options: ServerOptions(
                rules: repositoryRoot + "/Rules", database: ":memory:", examples: .some(nil), allowedHosts: ["LOCALHOST", "127.0.0.1"]))
        try await withClient(local) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response async throws in
                #expect(response.status == .ok)
            }
        }
        #expect(OriginGuardMiddleware.hostName("[::1]:8080") == "::1")
        #expect(OriginGuardMiddleware.hostName("Criteria.Example.gov.vn.:443") == "criteria.example.gov.vn")
        #expect(throws: RequestError.self) { try OriginGuardMiddleware.checkHost(nil, allowedHosts: ["x"]) }
        #expect((try? OriginGuardMiddleware.checkHost(nil, allowedHosts: [])) != nil)
    }

    @Test("an Origin is compared with the Host, port included, and with the allowed hosts")
    func originComparison() throws {
        func allowed(_ origin: String?, _ host: String?, site: String? = nil, hosts: [String] = []) -> Bool {
            (try? OriginGuardMiddleware.checkSameOrigin(secFetchSite: site, origin: origin, authority: host, allowedHosts: hosts)) != nil
        }
        #expect(allowed("http://127.0.0.1:8080", "127.0.0.1:8080"))
        #expect(!allowed("http://127.0.0.1:8081", "127.0.0.1:8080"))
        #expect(!allowed("http://127.0.0.1", "127.0.0.1:8080"))
        #expect(allowed("https://criteria.example.gov.vn", "criteria.example.gov.vn"))
        #expect(allowed("https://criteria.example.gov.vn", "127.0.0.1:8080", hosts: ["criteria.example.gov.vn"]))
        #expect(!allowed("https://criteria.example.gov.vn.evil.example", "criteria.example.gov.vn"))
        #expect(!allowed("javascript:alert(1)", "localhost"))
        #expect(allowed("https://evil.example", "localhost", site: "same-origin"))
        #expect(!allowed(nil, "localhost", site: "cross-site"))
        #expect(allowed(nil, "localhost"))
    }

    // MARK: Issue 16, item 3: errors without internal text

    @Test("an unexpected error is answered 500 with a reference, never with its own text (SQL, paths)")
    func internalErrorsHideTheirText() {
        struct Leaky: Error, CustomStringConvertible {
            var description: String { "SQLite error 1: no such table: decision - while executing `SELECT * FROM decision` in /var/lib/criteria/decisions.sqlite" }
        }
        let refused = RequestError.from(Leaky(), maxBodyBytes: 8 << 20)
        #expect(refused.status == .internalServerError)
        let text = refused.diagnostics.map { $0.message + ($0.hint ?? "") }.joined()
        #expect(!text.contains("SELECT") && !text.contains("SQLite") && !text.contains("/var/lib"), "\(text)")
        #expect(text.contains("reference "))
    }

    // MARK: Finding 13: unit ids that need percent-encoding

    @Test("a unit id with a space, a Vietnamese letter and a slash is linked from the record and opens its own page")
    func unitIDNeedingEncoding() async throws {
        let id = "Đông-Hòa 15/B"
        let yaml = try String(decoding: fixture("Examples/thanh-hoa/province.yaml"), as: UTF8.self)
        #expect(yaml.contains("- id: \"15418\"\n"))
        let dataset = yaml.replacingOccurrences(of: "- id: \"15418\"\n", with: "- id: \"\(id)\"\n")
        try await withClient(try makeService()) { client in
            let record = try await client.execute(
                uri: "/v1/evaluations?as_of=2024-12-31&criteria=xa-ntm.19.2", method: .post,
                headers: [.contentType: "application/yaml"], body: ByteBuffer(string: dataset)
            ) { response async throws in
                #expect(response.status == .created)
                return try response.decode(DecisionRecordV1.self)
            }
            #expect(record.evaluation.entities.contains { $0.id == id })
            let link = try await client.execute(uri: "/decisions/\(record.id)", method: .get) { response async throws -> String? in
                let page = response.text
                guard let range = page.range(of: #"href="/decisions/[^"]*/entities/[^"]*%2F[^"]*""#, options: .regularExpression) else { return nil }
                return String(page[range].dropFirst(6).dropLast()).replacingOccurrences(of: "&amp;", with: "&")
            }
            #expect(link == "/decisions/\(record.id)/entities/%C4%90%C3%B4ng-H%C3%B2a%2015%2FB")
            guard let link else { return }
            try await client.execute(uri: link, method: .get) { response async throws in
                #expect(response.status == .ok, "\(link): \(response.text.prefix(300))")
                #expect(response.text.contains("(\(id))"))
            }
        }
    }

    // MARK: Finding 19: upload names

    @Test("an upload's name cannot pass for the bundled sample: look-alike slashes, bidi and C1 controls are removed")
    func uploadNames() async throws {
        #expect(DatasetInput.safeName("Examples\u{2215}thanh-hoa\u{2215}province.yaml") == "province.yaml")
        #expect(DatasetInput.safeName("Examples\u{FF0F}thanh-hoa\u{FF0F}province.yaml") == "province.yaml")
        #expect(DatasetInput.safeName("x\u{202E}lmay.nosj.yaml") == "xlmay.nosj.yaml")
        #expect(DatasetInput.safeName("x\u{85}\u{9B}31m.yaml") == "x31m.yaml")
        #expect(DatasetInput.safeName("a\u{200B}b.yaml") == "ab.yaml")
        #expect(DatasetInput.safeName("\u{202E}\u{200B}") == "upload")
        #expect(DatasetInput.safeName("Số liệu 2024.yaml") == "Số liệu 2024.yaml")
        let sample = try fixture("Examples/thanh-hoa/province.yaml")
        try await withClient(try makeService()) { client in
            let (form, headers) = multipart([
                ("file", "Examples\u{2215}thanh-hoa\u{2215}province.yaml", sample), ("as_of", nil, Data("2024-12-31".utf8)),
                ("criteria", nil, Data("xa-ntm.19.2".utf8)),
            ])
            let location = try await client.execute(uri: "/inspect", method: .post, headers: headers, body: form) { response async throws in
                #expect(response.status == .seeOther)
                return response.headers[.location] ?? ""
            }
            try await client.execute(uri: location, method: .get) { response async throws in
                #expect(response.text.contains("tệp tải lên: province.yaml"))
                #expect(!response.text.contains("thanh-hoa\u{2215}"))
                #expect(!response.text.contains("dữ liệu mẫu của máy chủ"))
            }
            let (sampleForm, sampleHeaders) = sampleForm()
            let sampleLocation = try await client.execute(uri: "/inspect", method: .post, headers: sampleHeaders, body: sampleForm) {
                response async throws in response.headers[.location] ?? ""
            }
            try await client.execute(uri: sampleLocation, method: .get) { response async throws in
                #expect(response.text.contains("Examples/thanh-hoa/province.yaml (dữ liệu mẫu của máy chủ)"))
            }
            try await client.execute(uri: "/", method: .get) { response async throws in
                #expect(response.text.contains("tệp tải lên: province.yaml"))
            }
        }
    }
}
