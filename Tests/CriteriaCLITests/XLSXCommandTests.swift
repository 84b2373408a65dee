import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// Excel in and out on the command line: `check` of a workbook, `check|report --format xlsx --output`,
/// and `template` (issue #18, items 1, 3, 4). Written workbooks are read back with the engine's own reader.
@Suite struct XLSXCommandTests {
    static let sample = Paths.root + "/Examples/thanh-hoa-2026"

    static func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "criteria-xlsx-\(UUID().uuidString)-" + name
    }

    /// Every cell of a sheet as `B7 → text`.
    static func cells(_ sheet: XLSXWorkbook.Sheet) -> [String: String] {
        var map: [String: String] = [:]
        for row in sheet.rows { for cell in row.cells { map[SourceRange.columnName(cell.column) + String(row.number)] = cell.text } }
        return map
    }

    @Test("check of the .xlsx twin prints the verdicts of the CSV tables")
    func checkAWorkbook() {
        let xlsx = criteria("check", Self.sample + "/province.xlsx", "--as-of", "2026-12-07", "--color", "never")
        let csv = criteria("check", Self.sample + "/csv", "--as-of", "2026-12-07", "--color", "never")
        #expect(xlsx.exitCode == 0, "\(xlsx.stderr.prefix(800))")
        #expect(xlsx.stdout.split(separator: "\n").dropFirst() == csv.stdout.split(separator: "\n").dropFirst())
        #expect(xlsx.stderr == csv.stderr, "\(xlsx.stderr)")
    }

    @Test("a workbook's mistakes are placed at Sheet!B7 on standard error")
    func mistakesAreLocated() {
        let out = criteria("check", Paths.root + "/Tests/CriteriaEngineTests/Fixtures/data/xlsx/mistakes.xlsx", "--as-of", "2026-12-07", "--color", "never")
        #expect(out.exitCode == 1)
        #expect(out.stderr.contains("mistakes.xlsx:communes!H3: lỗi"), "\(out.stderr)")
        #expect(out.stderr.contains("[xlsx.cell-outside]"))
    }

    @Test("--format xlsx without --output is refused in Vietnamese (English with --lang en), exit 64")
    func xlsxNeedsAnOutput() {
        let vi = criteria("check", Self.sample + "/province.xlsx", "--as-of", "2026-12-07", "--format", "xlsx")
        #expect(vi.exitCode == 64)
        #expect(vi.stdout.isEmpty)
        #expect(vi.stderr.contains("--format xlsx ghi một bảng tính Excel"), "\(vi.stderr)")
        #expect(vi.stderr.contains("--output"))
        let en = criteria("report", Self.sample + "/province.yaml", "--plan", Paths.plan, "--format", "xlsx", "--lang", "en")
        #expect(en.exitCode == 64)
        #expect(en.stderr.contains("add --output FILE.xlsx"), "\(en.stderr)")
        let explain = criteria("explain", Self.sample + "/province.yaml", "--entity", "16001", "--as-of", "2026-12-07", "--format", "xlsx")
        #expect(explain.exitCode == 64)
        #expect(explain.stderr.contains("explain không xuất Excel"), "\(explain.stderr)")
    }

    @Test("an output file that cannot be written is a sentence, exit 1")
    func unwritableOutput() {
        let out = criteria(
            "check", Self.sample + "/province.yaml", "--as-of", "2026-12-07", "--format", "xlsx", "--output", "/no/such/folder/x.xlsx")
        #expect(out.exitCode == 1)
        #expect(out.stderr.contains("không ghi được tệp '/no/such/folder/x.xlsx': không có thư mục '/no/such/folder'"), "\(out.stderr)")
    }

    @Test("check --format xlsx writes a sheet per level, the verdicts and reasons in words, and the sources")
    func checkWritesAWorkbook() throws {
        let path = Self.temporary("check.xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = criteria("check", Self.sample + "/province.yaml", "--as-of", "2026-12-07", "--format", "xlsx", "--output", path)
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("đã ghi \(path)"))
        let book = try XLSXWorkbook.read(path: path)
        #expect(book.sheetNames.contains("Căn cứ"))
        #expect(book.sheetNames.contains("Tổng hợp"))
        let communes = try #require(book.sheets.first { $0.name.contains("Xã") })
        let cells = Self.cells(communes)
        #expect(cells["A1"] == "Mã")
        #expect(cells["B1"] == "Tên")
        // Find 16002's row and the tt124.xa column: a fail, in words, with its reason.
        let header = communes.rows[0].cells
        let column = try #require(header.first { $0.text == "tt124.xa" }?.column)
        let reasons = try #require(header.last?.column)
        let row = try #require(communes.rows.first { $0.cells.first?.text == "16002" })
        #expect(row.cells.first { $0.column == column }?.text == Outcome.fail.text(in: .vi))
        #expect(row.cells.first { $0.column == reasons }?.text.contains("tt124.xa:") == true)
        let sources = Self.cells(try #require(book.sheets.first { $0.name == "Căn cứ" }))
        #expect(sources["A1"] == "Tiêu chí")
        #expect(sources.values.contains { $0.contains("124") })
    }

    @Test("report --format xlsx writes the targets and the units holding them back")
    func reportWritesAWorkbook() throws {
        let path = Self.temporary("report.xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = criteria(
            "report", Paths.root + "/Tests/CriteriaCLITests/Fixtures/mini-province.yaml", "--plan", Paths.plan, "--rules", Paths.fixedRules,
            "--as-of", "2024-12-31", "--format", "xlsx", "--output", path)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let book = try XLSXWorkbook.read(path: path)
        #expect(book.sheetNames == ["Mục tiêu", "Đơn vị chưa đạt", "Căn cứ"])
        let targets = Self.cells(book.sheets[0])
        #expect(targets["A1"] == "Mục tiêu")
        #expect(targets["A2"] != nil)
        #expect(targets["E2"].map { ["đạt", "không đạt", "chưa xác định", "không áp dụng"].contains($0) || !$0.isEmpty } == true)

        // A target not in force on the date says why once, not twice.
        let later = Self.temporary("report-2026.xlsx")
        defer { try? FileManager.default.removeItem(atPath: later) }
        let out2026 = criteria(
            "report", Self.sample + "/province.yaml", "--plan", Paths.rules + "/plans/thanh-hoa-2022-2025.yaml", "--rules", Paths.rules,
            "--as-of", "2026-12-07", "--format", "xlsx", "--output", later)
        #expect(out2026.exitCode == 0, "\(out2026.stderr)")
        let summary = try #require(Self.cells(try XLSXWorkbook.read(path: later).sheets[0])["F2"])
        let sentence = try #require(summary.split(separator: "\n").first)
        #expect(summary.components(separatedBy: sentence).count == 2, "\(summary)")
    }

    @Test("template --format xlsx: the tables in force, notes and example rows skipped, and a filled copy reads")
    func templateRoundTrip() throws {
        let path = Self.temporary("mau.xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = criteria("template", "--format", "xlsx", "--as-of", "2026-12-07", "--output", path)
        #expect(out.exitCode == 0, "\(out.stderr)")
        var book = try XLSXWorkbook.read(path: path)
        #expect(book.sheetNames == ["dataset", "province", "communes", "units"])
        let communes = try #require(book.sheets.first { $0.name == "communes" })
        let cells = Self.cells(communes)
        #expect(cells["A1"] == "id")
        #expect(cells["C1"] == "province_id")
        #expect(cells["A2"]?.hasPrefix("#") == true)
        #expect(cells["A3"] == DatasetTemplate.exampleMarker)
        // Drop-down lists for booleans and enums are in the sheet XML.
        let graph = try RuleSetLoader.load(path: Paths.rules)
        // The unfilled template reads: no entity but the dataset row (the notes and example rows skipped).
        let empty = try DatasetReader.read(path: path, inputs: graph.inputs)
        #expect(empty.entities.isEmpty)
        // Filled: a province and a commune.
        func fill(_ name: String, _ values: [String: String]) throws {
            let index = try #require(book.sheets.firstIndex { $0.name == name })
            let header = book.sheets[index].rows[0].cells
            let cells = header.compactMap { cell in values[cell.text].map { XLSXWorkbook.Cell(column: cell.column, text: $0) } }
            book.sheets[index].rows.append(XLSXWorkbook.Row(number: 4, cells: cells))
        }
        try fill("province", ["id": "38", "name": "Tỉnh Thanh Hóa"])
        try fill("communes", ["id": "16001", "name": "Xã Đông Sơn", "province_id": "38", "year": "2026", "antt_plan": "true"])
        let dataset = try XLSXDatasetReader.read(book, inputs: graph.inputs)
        let commune = try #require(dataset.index(of: "16001"))
        #expect(dataset.entities[commune].fact("antt_plan", year: 2026).map { "\($0.value)" } == "bool(true)")
    }

    @Test("template --format csv writes header rows and HUONG-DAN.txt, and refuses a folder that holds a table")
    func templateCSV() throws {
        let folder = Self.temporary("mau")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = criteria("template", "--format", "csv", "--as-of", "2026-12-07", "--output", folder)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let communes = try String(contentsOfFile: folder + "/communes.csv", encoding: .utf8)
        #expect(communes.hasPrefix("id,name,province_id,year,group,"))
        #expect(communes.split(separator: "\n").count == 1)
        let guide = try String(contentsOfFile: folder + "/HUONG-DAN.txt", encoding: .utf8)
        #expect(guide.contains("ví dụ:"))
        let again = criteria("template", "--format", "csv", "--as-of", "2026-12-07", "--output", folder)
        #expect(again.exitCode == 64)
        #expect(again.stderr.contains("đã có bảng communes.csv"), "\(again.stderr)")
    }

    @Test("template --format csv onto a file, or where no folder can be made, says so and writes nothing")
    func templateCSVWhereNoFolderCanBe() throws {
        let file = Self.temporary("mau-tep")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "giữ nguyên".write(toFile: file, atomically: true, encoding: .utf8)
        let onFile = criteria("template", "--format", "csv", "--as-of", "2026-12-07", "--output", file)
        #expect(onFile.exitCode == 64)
        #expect(onFile.stderr.contains("--format csv ghi một thư mục, nhưng '\(file)' là một tệp"), "\(onFile.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "giữ nguyên")
        let below = criteria("template", "--format", "csv", "--as-of", "2026-12-07", "--output", file + "/mau", "--lang", "en")
        #expect(below.exitCode != 0)
        #expect(below.stderr.contains("cannot create the folder '\(file)/mau'"), "\(below.stderr)")
    }
}
