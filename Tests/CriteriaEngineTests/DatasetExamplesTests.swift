import CriteriaEngine
import Foundation
import Testing

/// The sample province in `Examples/thanh-hoa` reads in all three formats, to the same data.
@Suite struct DatasetExamplesTests {
    static let folder = repositoryRoot() + "/Examples/thanh-hoa"

    static func read(_ name: String) throws -> Dataset {
        try DatasetReader.read(path: folder + "/" + name, inputs: DataDictionary.inputs)
    }

    @Test func sampleProvinceIsTheSameInEveryFormat() throws {
        let yaml = try Self.read("province.yaml")
        let json = try Self.read("province.json")
        let csv = try Self.read("csv")
        #expect(content(yaml) == content(json))
        #expect(content(yaml) == content(csv))
        #expect(yaml.synthetic && json.synthetic && csv.synthetic)
    }

    /// The workbook LibreOffice Calc saved from the CSV tables (`make-xlsx.py`), as an inspector's
    /// spreadsheet program writes it: the same data, and the same verdicts on the days the sample's
    /// plan is read.
    @Test func theWorkbookLibreOfficeSavedGivesTheSameVerdicts() throws {
        let graph = try RuleSetLoader.load(path: repositoryRoot() + "/Rules")
        let yaml = try DatasetReader.read(path: Self.folder + "/province.yaml", inputs: graph.inputs)
        let xlsx = try DatasetReader.read(path: Self.folder + "/province.xlsx", inputs: graph.inputs)
        #expect(content(xlsx) == content(yaml))
        #expect(xlsx.synthetic)
        for day in ["2024-12-31", "2025-06-30"] {
            let date = try #require(LocalDate(iso: day))
            let expected = Evaluator(graph: graph).evaluate(yaml, asOf: date, detail: .short).verdicts
            let verdicts = Evaluator(graph: graph).evaluate(xlsx, asOf: date, detail: .short).verdicts
            #expect(!verdicts.isEmpty)
            #expect(verdicts.map { "\(xlsx.entities[$0.entity].id) \($0.criterion) \($0.outcome)" }
                == expected.map { "\(yaml.entities[$0.entity].id) \($0.criterion) \($0.outcome)" }, "as of \(day)")
        }
        // The cells as LibreOffice typed them: a boolean cell (the .fods shows it as TRUE) reads as
        // `true`, a number cell as its digits, a date cell shown 31/12/2024 as the date, Vietnamese
        // text as typed; the sheet "Ghi chú" is not a table, and is ignored above.
        let book = try XLSXWorkbook.read(path: Self.folder + "/province.xlsx")
        #expect(book.sheetNames == ["dataset", "province", "districts", "communes", "units", "Ghi chú"])
        func cells(_ sheet: String, row: Int) throws -> [String] {
            let rows = try #require(book.sheets.first { $0.name == sheet }).rows
            return try #require(rows.first { $0.number == row }).cells.map(\.text)
        }
        #expect(try cells("communes", row: 2).prefix(7) == ["15100", "Xã Đông Hòa", "381", "2019", "2", "true", "true"])
        #expect(try cells("Ghi chú", row: 2) == ["Ngày lập", "2024-12-31"])
    }

    @Test func sampleProvinceHasTheAdvertisedShape() throws {
        let data = try Self.read("province.yaml")
        #expect(data.indices(at: .province).count == 1)
        #expect(data.indices(at: .district).count >= 5)
        #expect(data.indices(at: .commune).count >= 40)
        for commune in data.indices(at: .commune) {
            let units = data.children(of: commune, at: .unit)
            #expect((4...12).contains(units.count), "\(data.entities[commune].name)")
            #expect(units.allSatisfy { data.entities[$0].kind == "khu_dan_cu" })
            #expect(data.entities[commune].id.count == 5)
            #expect(data.entities[commune].facts.keys.sorted() == [2019, 2022, 2023, 2024, 2025])
        }
    }

    @Test func sampleProvinceScenarios() throws {
        let data = try Self.read("province.json")
        func commune(_ name: String) throws -> Entity {
            try #require(data.entities.first { $0.name == name && $0.level == .commune })
        }
        let crimesUp = try commune("Xã Thiệu Long")
        #expect(crimesUp.fact("social_order_crimes", year: 2025)?.value == .number(41))
        #expect(crimesUp.fact("social_order_crimes", year: 2024)?.value == .number(38))
        #expect(try commune("Xã Vạn Thắng").fact("social_order_crimes", year: 2025) == nil)
        let boundary = try commune("Xã Thiệu Vận")
        let index = try #require(data.index(of: boundary.id))
        let safe = data.children(of: index, at: .unit).filter {
            data.entities[$0].fact("antt_recognised", year: 2025)?.value == .bool(true)
        }
        #expect(safe.count == 7 && data.children(of: index, at: .unit).count == 10)
        let hotspot = try #require(data.entities.first { $0.name == "Huyện Hoằng Hóa" })
        #expect(hotspot.fact("social_order_hotspots", year: 2025)?.value == .number(1))
    }
}

/// The complete examples in `Docs/data-format.md` read, and hold the same data in every format.
@Suite struct DatasetDocumentationTests {
    /// The fenced code blocks of the document, each with its language and the line just before it.
    static func blocks() throws -> [(language: String, caption: String, text: String)] {
        let text = try String(contentsOfFile: repositoryRoot() + "/Docs/data-format.md", encoding: .utf8)
        var result: [(String, String, String)] = []
        var language: String?
        var caption = ""
        var previous = ""
        var body: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let open = language {
                if line == "```" {
                    result.append((open, caption, body.joined(separator: "\n") + "\n"))
                    language = nil
                } else {
                    body.append(line)
                }
            } else if line.hasPrefix("```") {
                language = String(line.dropFirst(3))
                caption = previous
                body = []
            }
            previous = String(line)
        }
        return result
    }

    @Test func documentedExamplesAgree() throws {
        let blocks = try Self.blocks()
        let yaml = try #require(blocks.first { $0.language == "yaml" })
        let json = try #require(blocks.first { $0.language == "json" })
        var tables: [Level: String] = [:]
        var metadata: String?
        for block in blocks where block.language == "csv" {
            let name = block.caption.trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            if name == CSVDatasetReader.metadataName {
                metadata = block.text
            } else if let level = CSVDatasetReader.level(ofTable: name, in: .standard) {
                tables[level] = block.text
            }
        }
        #expect(tables.count == 4)
        let fromYAML = try Load.yaml(yaml.text)
        #expect(content(fromYAML) == content(try Load.json(json.text)))
        #expect(content(fromYAML) == content(try Load.csv(tables, metadata: metadata)))
        #expect(content(fromYAML) == content(try Load.yaml(DatasetFormatsTests.yaml)))
    }
}
