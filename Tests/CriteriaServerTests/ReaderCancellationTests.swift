import CriteriaEngine
import Foundation
import Testing

@testable import CriteriaServer

/// The dataset readers look at the work's cancellation token between rows or entities (issue #16):
/// a request whose deadline passed stops reading a large upload part way instead of reading it to
/// its end in a slot of the bounded pool.
@Suite("Readers stop when cancelled")
struct ReaderCancellationTests {
    static let communes = 5_000

    static func inputs() throws -> InputCatalog {
        try RuleSetLoader.load(path: repositoryRoot + "/Rules").inputs
    }

    /// A district of `communes` communes as JSON (YAML reads it too); `unknownKey` puts a key the fast
    /// JSON reader does not handle in the first commune, so the document goes the ordinary way.
    static func document(unknownKey: Bool = false) -> [UInt8] {
        let items = (0..<communes).map { k in
            "{\"id\": \"c\(k)\", \"name\": \"Xã \(k)\"" + (unknownKey && k == 0 ? ", \"note\": \"x\"" : "") + "}"
        }
        return Array(("{\"dataset\": 1, \"district\": {\"id\": \"1\", \"name\": \"H\", \"communes\": [\n" + items.joined(separator: ",\n") + "]}}\n").utf8)
    }

    /// A communes table of `communes` rows, sent as the `communes` field of a form.
    static func csvInput() throws -> DatasetInput {
        let rows = (0..<communes).map { "c\($0),Xã \($0),2024,0" }
        let table = "id,name,year,serious_crimes\n" + rows.joined(separator: "\n") + "\n"
        let boundary = "b"
        let body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"communes\"; filename=\"communes.csv\"\r\n\r\n\(table)\r\n--\(boundary)--\r\n".utf8)
        return try #require(try DatasetInput.from(form: MultipartForm(body: body, boundary: boundary), samples: [], map: .standard))
    }

    /// The same communes as a workbook: one sheet, `communes`, as `csvInput` has one table.
    static func workbookInput() throws -> DatasetInput {
        let header: [XLSXWriter.Cell?] = ["id", "name", "year", "serious_crimes"].map { .text($0) }
        let rows = (0..<communes).map { n -> [XLSXWriter.Cell?] in [.text("c\(n)"), .text("Xã \(n)"), .number("2024"), .number("0")] }
        let data = try XLSXWriter.data([XLSXWriter.Sheet(name: "communes", rows: [header] + rows)])
        return DatasetInput(name: "d.xlsx", hash: "", content: .workbook(Array(data)))
    }

    static func inputs(_ name: String) throws -> [(String, DatasetInput)] {
        let json = document()
        return [
            ("JSON (the fast reader)", DatasetInput(name: "d.json", hash: "", content: .document(json, .json))),
            ("JSON (the ordinary reader)", DatasetInput(name: "d.json", hash: "", content: .document(document(unknownKey: true), .json))),
            ("YAML", DatasetInput(name: "d.yaml", hash: "", content: .document(json, .yaml))),
            ("CSV", try csvInput()),
            ("Excel workbook", try workbookInput()),
        ].filter { name.isEmpty || $0.0 == name }
    }

    @Test(
        "a cancelled read stops within a few hundred rows or entities with limits.cancelled; an uncancelled one reads them all",
        arguments: ["JSON (the fast reader)", "JSON (the ordinary reader)", "YAML", "CSV", "Excel workbook"])
    func stopsPartWay(format: String) throws {
        let catalog = try Self.inputs()
        let (_, input) = try #require(try Self.inputs(format).first)
        let cancelled = CancellationToken()
        cancelled.cancel()
        do {
            _ = try input.read(inputs: catalog, limits: .default, cancellation: cancelled)
            Issue.record("\(format): a cancelled read went to its end")
        } catch let error as DiagnosticsError {
            #expect(error.diagnostics.map(\.id) == ["limits.cancelled"], "\(format): \(error.diagnostics.map(\.id))")
            let line = error.diagnostics.first?.range?.start.line ?? 0
            // It stopped near the 256th row or entity, not at the end of the 5,000.
            #expect(line >= 1 && line <= 258, "\(format): stopped at line \(line)")
            #expect(error.diagnostics.first?.message(in: .vi).contains("đã dừng đọc dữ liệu") == true)
        }
        if format == "JSON (the ordinary reader)" {
            // Not cancelled, the ordinary reader reports the unknown key, as before.
            #expect(throws: DiagnosticsError.self) { try input.read(inputs: catalog, limits: .default, cancellation: CancellationToken()) }
        } else {
            let dataset = try input.read(inputs: catalog, limits: .default, cancellation: CancellationToken())
            #expect(dataset.entities.count >= Self.communes, "\(format)")
        }
    }
}
