import CriteriaEngine
import CriteriaServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ZIPFoundation

/// The playground's change sets: several files at once, their refusals, and the download.
@Suite("Playground change sets")
struct ChangeSetTests {
    static let criterionPath = "xa-ntm/19.2.yaml"
    static let testPath = "xa-ntm/tests/19.2.yaml"

    static func served(_ relative: String) throws -> String {
        try String(contentsOfFile: repositoryRoot + "/Rules/" + relative, encoding: .utf8)
    }

    /// 19.2 with one more clause, on an input the served rules do not declare.
    static func criterionWithNewInput() throws -> String {
        let text = try served(criterionPath)
        let anchor = "  - id: khong-ky-luat-cong-an\n"
        #expect(text.contains(anchor))
        return text.replacingOccurrences(
            of: anchor,
            with: "  - id: khong-diem-ma-tuy\n    title: { vi: Không có điểm ma túy, en: No drug hotspot }\n    check: drug_hotspots == 0\n\n" + anchor)
    }

    /// inputs.yaml declaring that input.
    static func inputsWithNewInput() throws -> String {
        try served("inputs.yaml")
            + "  - name: drug_hotspots\n    type: count\n    level: commune\n    label: { vi: \"Số điểm ma túy\", en: \"Drug hotspots\" }\n"
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, _ edit: RuleEditV1) async throws -> TestResponse {
        let body = try JSONEncoder().encode(edit)
        return try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body)) { $0 }
    }

    /// The bytes of every served rule and test file, to see that nothing changed.
    static func servedBytes() throws -> [String: Data] {
        var bytes: [String: Data] = [:]
        for path in try RuleSetLoader.allFiles(at: repositoryRoot + "/Rules") { bytes[path] = try Data(contentsOf: URL(fileURLWithPath: path)) }
        return bytes
    }

    @Test("a clause on a new input checks once inputs.yaml declares it in the same change; alone it is refused; served rules do not change")
    func newInputWithInputs() async throws {
        let service = try makeService()
        let hash = await service.rules.current.hash
        let before = try Self.servedBytes()
        try await withClient(service) { client in
            let alone = try await Self.post(client, "/v1/check", RuleEditV1(files: [.init(file: Self.criterionPath, text: try Self.criterionWithNewInput())]))
            #expect(alone.status == .unprocessableContent)
            let unknown = try alone.decode(DiagnosticsOutputV1.self).diagnostics.first { $0.id == "rules.unknown-input" }
            #expect(unknown?.range?.file.hasSuffix("Rules/" + Self.criterionPath) == true)
            #expect(unknown?.text.vi.contains("drug_hotspots") == true)

            let together = RuleEditV1(files: [
                .init(file: Self.criterionPath, text: try Self.criterionWithNewInput()), .init(file: "inputs.yaml", text: try Self.inputsWithNewInput()),
            ])
            let checked = try await Self.post(client, "/v1/check", together)
            #expect(checked.status == .ok, "\(checked.text.prefix(400))")
            #expect(try checked.decode(DiagnosticsOutputV1.self).summary["errors"] == 0)

            // inputs-unit.yaml still stands beside the edited inputs.yaml: tt124's unit inputs are known.
            let tests = try await Self.post(client, "/v1/tests", together)
            #expect(tests.status == .ok, "\(tests.text.prefix(400))")
            let report = try tests.decode(TestReportV1.self)
            // The fixtures lack the new fact: the tests of 19.2 expecting pass now see unknown.
            #expect(report.failed > 0)
            #expect(report.cases.contains { !$0.passed && $0.file.hasSuffix(Self.testPath) })
            #expect(!report.cases.contains { !$0.passed && $0.file.hasSuffix("tt124/tests/khu-dan-cu.yaml") })
        }
        #expect(await service.rules.current.hash == hash)
        #expect(try Self.servedBytes() == before)
    }

    @Test("an edited test file in the change set is run instead of the served one; a new test file is run too; a removed one is not")
    func testFilesInTheSet() async throws {
        let service = try makeService()
        try await withClient(service) { client in
            let plain = try await Self.post(client, "/v1/tests", RuleEditV1(file: Self.criterionPath))
            let served = try plain.decode(TestReportV1.self)
            #expect(served.failed == 0)

            let wrong = try Self.served(Self.testPath).replacingOccurrences(
                of: "  - name: đạt đủ 8 nội dung\n    as_of: 2024-12-31\n    expect:\n      - { criterion: xa-ntm.19.2, outcome: pass, reasons: [] }",
                with: "  - name: đạt đủ 8 nội dung\n    as_of: 2024-12-31\n    expect:\n      - { criterion: xa-ntm.19.2, outcome: fail }")
            #expect(wrong != (try Self.served(Self.testPath)))
            let edited = try await Self.post(client, "/v1/tests", RuleEditV1(files: [.init(file: Self.testPath, text: wrong)]))
            #expect(edited.status == .ok, "\(edited.text.prefix(400))")
            let report = try edited.decode(TestReportV1.self)
            #expect(report.cases.filter { !$0.passed }.map(\.name) == ["đạt đủ 8 nội dung"])
            #expect(report.cases.count == served.cases.count)

            let newTest = """
                criteria: 1
                tests:
                  - name: một xã không có dữ liệu
                    as_of: 2024-12-31
                    data: { commune: { id: "N1", name: Xã Mới } }
                    expect:
                      - { criterion: xa-ntm.19.2, entity: "N1", outcome: unknown }

                """
            let added = try await Self.post(client, "/v1/tests", RuleEditV1(files: [.init(file: "xa-ntm/tests/moi.yaml", text: newTest)]))
            #expect(added.status == .ok, "\(added.text.prefix(400))")
            let withNew = try added.decode(TestReportV1.self)
            #expect(withNew.cases.count == served.cases.count + 1)
            #expect(withNew.cases.contains { $0.name == "một xã không có dữ liệu" && $0.passed })

            let removed = try await Self.post(client, "/v1/tests", RuleEditV1(files: [.init(file: Self.testPath, removed: true)]))
            #expect(removed.status == .ok, "\(removed.text.prefix(400))")
            let without = try removed.decode(TestReportV1.self)
            #expect(!without.cases.contains { $0.file.hasSuffix(Self.testPath) })
            #expect(without.cases.count < served.cases.count)

            // A broken test file in the set is a located error of that file.
            let broken = try await Self.post(client, "/v1/check", RuleEditV1(files: [.init(file: "xa-ntm/tests/moi.yaml", text: "criteria: 1\ntests: 3\n")]))
            #expect(broken.status == .unprocessableContent)
            let problem = try broken.decode(DiagnosticsOutputV1.self).diagnostics.first
            #expect(problem?.range?.file.hasSuffix("xa-ntm/tests/moi.yaml") == true)
        }
    }

    @Test("the diff runs on an uploaded YAML dataset as on a sample; an upload of another kind is a 400")
    func diffOnUpload() async throws {
        let parameters = try Self.served("parameters.yaml").replacingOccurrences(of: "2022-02-10: 70%", with: "2022-02-10: 95%")
        let dataset = String(decoding: try fixture("Examples/thanh-hoa/province.yaml"), as: UTF8.self)
        try await withClient(try makeService()) { client in
            let sample = try await Self.post(
                client, "/v1/diff", RuleEditV1(files: [.init(file: "parameters.yaml", text: parameters)], dataset: "thanh-hoa", asOf: "2024-12-31"))
            #expect(sample.status == .ok, "\(sample.text.prefix(400))")
            let uploaded = try await Self.post(
                client, "/v1/diff",
                RuleEditV1(files: [.init(file: "parameters.yaml", text: parameters)], upload: .init(name: "tinh.yaml", text: dataset), asOf: "2024-12-31"))
            #expect(uploaded.status == .ok, "\(uploaded.text.prefix(400))")
            let a = try sample.decode(VerdictDiffV1.self)
            let b = try uploaded.decode(VerdictDiffV1.self)
            #expect(!b.flips.isEmpty)
            #expect(a.flips.map(\.entity) == b.flips.map(\.entity))

            let csv = try await Self.post(
                client, "/v1/diff", RuleEditV1(file: Self.criterionPath, upload: .init(name: "communes.csv", text: "id,name\n"), asOf: "2024-12-31"))
            #expect(csv.status == .badRequest)
            let problem = try csv.decode(DiagnosticsOutputV1.self).diagnostics.first
            #expect(problem?.id == "request.bad-upload")
            #expect(problem?.text.vi.hasPrefix("upload.name:") == true)
            #expect(problem?.hintText?.vi.contains(".yaml") == true)
        }
    }

    @Test("each refusal of a change set is a located 4xx with its hint, in Vietnamese and English")
    func refusals() async throws {
        let big = String(repeating: "#", count: (1 << 20) + 1)
        let cases: [(edit: RuleEditV1, status: HTTPResponse.Status, id: String, place: String)] = [
            (RuleEditV1(files: [.init(file: "../Rules/inputs.yaml", text: "criteria: 1\n")]), .badRequest, "request.bad-file", "files[0].file:"),
            (RuleEditV1(files: [.init(file: "inputs.yaml"), .init(file: "/etc/passwd.yaml", text: "")]), .badRequest, "request.bad-file", "files[1].file:"),
            (RuleEditV1(files: [.init(file: "xa-ntm/19.2.txt", text: "")]), .badRequest, "request.bad-file", "files[0].file:"),
            (RuleEditV1(files: [.init(file: "xa ntm/19.2.yaml", text: "")]), .badRequest, "request.bad-file", "files[0].file:"),
            (RuleEditV1(files: [.init(file: "plans/thanh-hoa-2022-2025.yaml")]), .badRequest, "request.bad-file", "files[0]:"),
            (RuleEditV1(files: [.init(file: "inputs.yaml"), .init(file: "./inputs.yaml")]), .badRequest, "request.bad-file", "files[1].file:"),
            (RuleEditV1(file: "inputs.yaml", files: [.init(file: "inputs.yaml")]), .badRequest, "request.duplicate-file", "files[0]:"),
            (RuleEditV1(files: (0...64).map { .init(file: "moi/\($0).yaml", text: "criteria: 1\n") }), .badRequest, "request.too-many-files", "files:"),
            (RuleEditV1(files: [.init(file: "inputs.yaml", text: big)]), .contentTooLarge, "request.file-too-large", "files[0]:"),
            (RuleEditV1(files: [.init(file: "inputs.yaml", text: "criteria: 1\n", removed: true)]), .badRequest, "request.bad-change", "files[0]:"),
            (RuleEditV1(files: [.init(file: "khong-co.yaml", removed: true)]), .badRequest, "request.unknown-file", "files[0]:"),
            (RuleEditV1(files: [.init(file: "moi.yaml")]), .badRequest, "request.missing-text", "files[0]:"),
        ]
        let service = try makeService()
        let before = try Self.servedBytes()
        try await withClient(service) { client in
            for (edit, status, id, place) in cases {
                for route in ["/v1/check", "/v1/tests", "/v1/changes.zip"] {
                    let response = try await Self.post(client, route, edit)
                    #expect(response.status == status, "\(route) \(id): \(response.text.prefix(300))")
                    let problem = try response.decode(DiagnosticsOutputV1.self).diagnostics.first
                    #expect(problem?.id.rawValue == id)
                    #expect(problem?.text.vi.hasPrefix(place) == true, "\(problem?.text.vi ?? "")")
                    #expect(problem?.text.en?.hasPrefix(place) == true)
                    #expect(problem?.hintText != nil && problem?.hintText?.vi != problem?.hintText?.en, "\(id) has no hint in both languages")
                }
            }
        }
        #expect(try Self.servedBytes() == before)
    }

    @Test("a served rule or test file can be opened; an unknown one is a 404 and a bad path a 400")
    func ruleFileRoute() async throws {
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/v1/rule-file?file=xa-ntm/tests/19.2.yaml", method: .get) { response async throws in
                #expect(response.status == .ok)
                let file = try response.decode(RuleFileV1.self)
                #expect(file.text == (try Self.served(Self.testPath)))
            }
            try await client.execute(uri: "/v1/rule-file?file=xa-ntm/khong-co.yaml", method: .get) { response async throws in
                #expect(response.status == .notFound)
                #expect(try response.decode(DiagnosticsOutputV1.self).diagnostics.first?.id == "request.unknown-file")
            }
            try await client.execute(uri: "/v1/rule-file?file=../Package.swift", method: .get) { response async throws in
                #expect(response.status == .badRequest)
                #expect(try response.decode(DiagnosticsOutputV1.self).diagnostics.first?.id == "request.bad-file")
            }
        }
    }

    @Test("the download is a zip of the changed files under Rules/ and a patch described by the changes, in Vietnamese or English")
    func download() async throws {
        let parameters = try Self.served("parameters.yaml").replacingOccurrences(of: "      2022-02-10: 70%\n", with: "      2022-02-10: 70%\n      2025-01-01: 75%\n")
        let edit = RuleEditV1(files: [
            .init(file: Self.criterionPath, text: try Self.criterionWithNewInput()), .init(file: "inputs.yaml", text: try Self.inputsWithNewInput()),
            .init(file: "parameters.yaml", text: parameters), .init(file: "huyen-ntm/9.4.yaml"),
        ])
        try await withClient(try makeService()) { client in
            let response = try await Self.post(client, "/v1/changes.zip", edit)
            #expect(response.status == .ok, "\(response.text.prefix(400))")
            #expect(response.headers[.contentType] == "application/zip")
            #expect(response.headers[.contentDisposition]?.contains("thay-doi-quy-tac.zip") == true)
            let archive = try Archive(data: Data(response.body.readableBytesView), accessMode: .read)
            var entries: [String: String] = [:]
            for entry in archive {
                var data = Data()
                _ = try archive.extract(entry) { data.append($0) }
                entries[entry.path] = String(decoding: data, as: UTF8.self)
            }
            // The file opened but not edited is left out.
            #expect(entries.keys.sorted() == ["Rules/inputs.yaml", "Rules/parameters.yaml", "Rules/xa-ntm/19.2.yaml", "thay-doi.patch"])
            #expect(entries["Rules/parameters.yaml"] == parameters)
            let patch = entries["thay-doi.patch"] ?? ""
            #expect(patch.hasPrefix("Đề xuất thay đổi quy tắc"))
            #expect(patch.contains("drug_hotspots"))
            #expect(patch.contains("75%"))
            #expect(patch.contains("diff --git a/Rules/xa-ntm/19.2.yaml b/Rules/xa-ntm/19.2.yaml\n"))
            #expect(patch.contains("+++ b/Rules/parameters.yaml\n"))

            let english = try await Self.post(client, "/v1/changes.zip?lang=en", edit)
            let englishArchive = try Archive(data: Data(english.body.readableBytesView), accessMode: .read)
            var englishPatch = Data()
            if let entry = englishArchive["thay-doi.patch"] { _ = try englishArchive.extract(entry) { englishPatch.append($0) } }
            #expect(String(decoding: englishPatch, as: UTF8.self).hasPrefix("Proposed change of the rules"))

            // A change that does not check is not downloaded: its errors come back.
            let broken = try await Self.post(client, "/v1/changes.zip", RuleEditV1(files: [.init(file: Self.criterionPath, text: try Self.criterionWithNewInput())]))
            #expect(broken.status == .unprocessableContent)
            #expect(try broken.decode(DiagnosticsOutputV1.self).diagnostics.contains { $0.id == "rules.unknown-input" })
        }
    }

    @Test("the playground page lists the rule tests too and has the change-set controls, labelled")
    func page() async throws {
        try await withClient(try makeService()) { client in
            try await client.execute(uri: "/playground?criterion=xa-ntm.19.2", method: .get) { response async throws in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("<option value=\"xa-ntm/tests/19.2.yaml\">"))
                for id in ["file-list", "new-file-name", "diff-upload", "download-changes", "error-alert"] { #expect(html.contains("id=\"\(id)\""), "\(id)") }
                #expect(html.contains("Tải bản thay đổi (.zip)"))
            }
            try await client.execute(uri: "/assets/playground.js", method: .get) { response async throws in
                #expect(response.text.contains("/v1/changes.zip"))
                #expect(response.text.contains("files: files.map"))
            }
        }
    }
}
