@testable import CriteriaEngine
import Foundation
import Testing

/// Excel workbooks (`.xlsx`) in: typed cells read exactly, one sheet per CSV table, mistakes placed at
/// `Sheet!B7`, and every bound of the reading a located diagnostic. The fixtures are written by
/// openpyxl (`Fixtures/data/xlsx/make.py`).
@Suite struct XLSXReaderTests {
    /// Custom number formats as spreadsheet programs write them: LibreOffice gives every plain
    /// number cell the custom format `General`, whose `e` is not the era-year date code; nor is a
    /// scientific exponent's `E`. Fails before the fix: LibreOffice's numbers read as dates.
    @Test func aCustomFormatIsReadAsItsKind() {
        #expect(Styles.kind(ofFormat: 164, code: "General") == .number)
        #expect(Styles.kind(ofFormat: 164, code: "GENERAL") == .number)
        #expect(Styles.kind(ofFormat: 165, code: "0.00E+00") == .number)
        #expect(Styles.kind(ofFormat: 165, code: "##0.0e-0") == .number)
        #expect(Styles.kind(ofFormat: 165, code: "\"TRUE\";\"TRUE\";\"FALSE\"") == .number)
        #expect(Styles.kind(ofFormat: 166, code: "dd/mm/yyyy") == .date)
        #expect(Styles.kind(ofFormat: 166, code: "[$-42A]d mmmm yyyy") == .date)
        #expect(Styles.kind(ofFormat: 166, code: "e") == .date)
        #expect(Styles.kind(ofFormat: 167, code: "0.00%") == .percent)
        #expect(Styles.kind(ofFormat: 0, code: nil) == .number)
    }

    static let folder = repositoryRoot() + "/Tests/CriteriaEngineTests/Fixtures/data/xlsx/"

    static func cells(_ name: String, bounds: XLSXWorkbook.Bounds = XLSXWorkbook.Bounds()) throws -> [String: String] {
        let book = try XLSXWorkbook.read(path: folder + name, bounds: bounds)
        var map: [String: String] = [:]
        for sheet in book.sheets {
            for row in sheet.rows {
                for cell in row.cells { map[SourceRange.columnName(cell.column) + String(row.number)] = cell.text }
            }
        }
        return map
    }

    static func diagnostics(_ name: String, bounds: XLSXWorkbook.Bounds = XLSXWorkbook.Bounds()) -> [Diagnostic] {
        do {
            _ = try XLSXWorkbook.read(path: folder + name, bounds: bounds)
            Issue.record("expected diagnostics, but \(name) was read")
        } catch let error as DiagnosticsError {
            return error.diagnostics
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return []
    }

    @Test func typedCellsReadExactly() throws {
        let cells = try Self.cells("cells.xlsx")
        #expect(cells["A1"] == "Xã Đông Hòa")
        #expect(cells["B1"] == "1250.75")  // the decimal text, never through Double
        #expect(cells["C1"] == "57.14%")  // 0.5714 styled 0.00%
        #expect(cells["D1"] == "2025-07-01")  // 45839 styled dd/mm/yyyy
        #expect(cells["E1"] == "true")
        #expect(cells["F1"] == "false")
        #expect(cells["G1"] == nil)  // empty: unknown, never 0
        #expect(cells["H1"] == "12")
        #expect(cells["I1"] == "0.000015")  // 1.5e-05 written out
        #expect(cells["J1"] == nil)  // a formula never computed has no value
        #expect(cells["K1"] == "  lề  ")  // spaces kept: the typing refuses them with a hint
        #expect(cells["A3"] == "dòng 3")
    }

    @Test func sharedStringsRichTextAndEscapes() throws {
        let cells = try Self.cells("shared.xlsx")
        #expect(cells["A1"] == "Xã Đông Hòa")  // two runs, the phonetic run left out
        #expect(cells["A3"] == "dòng\r3")  // _x000D_
    }

    @Test func numbersAreWrittenOutExactly() {
        #expect(XLSXNumber.plain("1.5E-3") == "0.0015")
        #expect(XLSXNumber.plain("12") == "12")
        #expect(XLSXNumber.plain("-0.50") == "-0.5")
        #expect(XLSXNumber.plain("1E+3") == "1000")
        #expect(XLSXNumber.plain("0.30000000000000004") == "0.30000000000000004")
        #expect(XLSXNumber.plain("abc") == nil)
        #expect(XLSXNumber.plain("1E999") == nil)
        #expect(XLSXNumber.percent("0.5714") == "57.14%")
        #expect(XLSXNumber.percent("1") == "100%")
        #expect(XLSXNumber.percent("0.007") == "0.7%")
        #expect(XLSXNumber.date(serial: "1", date1904: false) == "1900-01-01")
        #expect(XLSXNumber.date(serial: "61", date1904: false) == "1900-03-01")
        #expect(XLSXNumber.date(serial: "45839", date1904: false) == "2025-07-01")
        #expect(XLSXNumber.date(serial: "44377", date1904: true) == "2025-07-01")
        #expect(XLSXNumber.date(serial: "60", date1904: false) == nil)  // 29 February 1900 never was
        #expect(XLSXNumber.date(serial: "-1", date1904: false) == nil)
    }

    @Test func aWorkbookReadsAsItsCSVTables() throws {
        let dataset = try DatasetReader.read(path: Self.folder + "typed.xlsx", inputs: DataDictionary.extended)
        #expect(dataset.synthetic)
        let tien = try #require(dataset.index(of: "16001"))
        let entity = dataset.entities[tien]
        #expect(entity.name == "Xã Đông Tiến")
        #expect(entity.fact("antt_plan", year: 2025).map { "\($0.value)" } == "bool(false)")
        #expect(entity.fact("social_order_crimes", year: 2026).map { "\($0.value)" } == "number(10)")
        #expect(entity.fact("serious_crimes", year: 2025) == nil)  // the empty cells (its own, 15320's) are unknown
        #expect(entity.fact("serious_crimes", year: 2026).map { "\($0.value)" } == "number(0)")
        // The date and percentage cells of the successions sheet: 60% of 15320's 20 crimes in 2025.
        #expect(dataset.entities[try #require(dataset.index(of: "01234"))].fact("social_order_crimes", year: 2025).map { "\($0.value)" } == "number(8)")
        #expect(dataset.index(of: "01234") != nil)  // a text id keeps its leading zero
        #expect(dataset.index(of: "16001-01") != nil)
        #expect(dataset.entities.contains { $0.name == "Thôn Đông, xóm 2" })
    }

    @Test func mistakesArePlacedAtTheirCells() throws {
        let list = Load.diagnostics { try DatasetReader.read(path: Self.folder + "mistakes.xlsx", inputs: DataDictionary.inputs) }
        let path = Self.folder + "mistakes.xlsx"
        func at(_ id: String, _ reference: String) -> Diagnostic? {
            list.first { $0.id.rawValue == id && $0.range.map { SourceRange.cell(sheet: $0.sheet ?? "", row: $0.start.line, column: $0.start.column) } == reference }
        }
        #expect(at("xlsx.unknown-sheet", "hamlet!A1")?.hint(in: .vi)?.contains("có phải trang 'hamlets'?") == true, "\(list)")
        #expect(at("xlsx.cell-outside", "communes!H3") != nil, "\(list)")
        // The reading stops before the builder while a sheet is wrong; fix those and the typed errors show.
        #expect(list.allSatisfy { $0.range?.file == path })
        let rendered = DiagnosticRenderer().text(list)
        #expect(rendered.contains("mistakes.xlsx:communes!H3: lỗi"), "\(rendered)")
        #expect(DiagnosticRenderer(language: .en).text(list).contains("mistakes.xlsx:communes!H3: error: the cell is outside the columns"))
    }

    @Test func typeErrorsArePlacedAtTheirCells() throws {
        // The same mistakes without the sheet-level ones: the CSV builder's diagnostics come back on cells.
        let book = try XLSXWorkbook.read(path: Self.folder + "mistakes.xlsx")
        var fixed = book
        fixed.sheets = book.sheets.filter { $0.name != "hamlet" }.map { sheet in
            var sheet = sheet
            sheet.rows = sheet.rows.map { row in
                var row = row
                row.cells = row.cells.filter { $0.column <= 6 }
                return row
            }
            return sheet
        }
        let list = Load.diagnostics { try XLSXDatasetReader.read(fixed, inputs: DataDictionary.inputs) }
        let references = list.compactMap { d in d.range.map { "\(d.id) " + SourceRange.cell(sheet: $0.sheet ?? "?", row: $0.start.line, column: $0.start.column) } }
        #expect(references.contains("data.wrong-type communes!E2"), "\(references)")
        #expect(references.contains("data.wrong-type communes!F3"), "\(references)")
    }

    @Test func notAWorkbookIsSaidSo() {
        expectDiagnostic(Self.diagnostics("not-a-zip.xlsx"), "xlsx.not-a-workbook", at: 1, 1, hint: ".xlsx")
        expectDiagnostic(Self.diagnostics("no-workbook.xlsx"), "xlsx.not-a-workbook", at: 1, 1)
        expectDiagnostic(Self.diagnostics("bad-xml.xlsx"), "xlsx.xml", at: 1, 1, message: "sheet2.xml")
        expectDiagnostic(Self.diagnostics("doctype.xlsx"), "xlsx.xml", at: 1, 1, message: "DOCTYPE")
    }

    /// A workbook with flipped bytes (found by replaying mutated fixtures) whose entry offset points
    /// past the end trapped inside ZIPFoundation's in-memory reader; read from a file, it is a diagnostic.
    @Test func aCorruptContainerIsADiagnosticNotATrap() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "finding-offset-past-end.xlsx"))
        do {
            _ = try XLSXWorkbook.read(data, path: "upload.xlsx")
        } catch {
            #expect(error.diagnostics.allSatisfy { $0.range?.file == "upload.xlsx" && ($0.range?.start.line ?? 0) >= 1 })
            #expect(error.diagnostics.contains { ["xlsx.not-a-workbook", "xlsx.corrupt", "xlsx.xml"].contains($0.id.rawValue) })
        }
    }

    /// Two workbooks from the fuzzer (run 5) whose damaged parts hold bytes that are not UTF-8 in a
    /// name or an attribute: Foundation's `XMLParser` trapped on them (a server upload would have
    /// stopped the process). A part is refused before any parser reads it.
    @Test func aSheetThatIsNotUTF8IsADiagnosticNotATrap() throws {
        // A damaged sheet (read by streaming), and a damaged xl/workbook.xml (read as a tree).
        for (fixture, part) in [("finding-sheet-not-utf8.xlsx", "xl/worksheets/"), ("finding-workbook-not-utf8.xlsx", "xl/workbook.xml")] {
            let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + fixture))
            do {
                _ = try XLSXWorkbook.read(data, path: "upload.xlsx")
                Issue.record("\(fixture): a damaged workbook must not read")
            } catch {
                let found = try #require(error.diagnostics.first { $0.message.contains("is not UTF-8 text") }, "\(fixture)")
                #expect(found.id.rawValue == "xlsx.xml")
                #expect(found.message.contains(part), "\(fixture): \(found.message)")
                #expect(found.range?.file.hasPrefix("upload.xlsx") == true)
                #expect(found.text.vi.contains("không phải văn bản UTF-8"))
            }
        }
        #expect(!XLSXWorkbook.isUTF8(Data([0x3C, 0x74, 0xC3, 0x6D, 0x3E])))
        #expect(XLSXWorkbook.isUTF8(Data("<t>Xã Đông Tiến</t>".utf8)))
    }

    @Test func aTemporaryCopyThatCannotBeWrittenIsSaidSo() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "typed.xlsx"))
        let file = NSTemporaryDirectory() + "criteria-not-a-folder-\(UUID().uuidString)"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            _ = try XLSXWorkbook.read(data, path: "upload.xlsx", temporaryFolder: URL(fileURLWithPath: file))
            Issue.record("expected xlsx.temporary-file")
        } catch {
            expectDiagnostic(error.diagnostics, "xlsx.temporary-file", at: 1, 1, hint: "TMPDIR")
        }
    }

    @Test func anExcelErrorCellIsRefusedAtItsCell() {
        let found = expectDiagnostic(Self.diagnostics("error-cell.xlsx"), "xlsx.cell-error", at: 3, 8, message: "#DIV/0!")
        #expect(found?.range?.sheet == "communes")
    }

    @Test func everyBoundIsALocatedDiagnostic() {
        var bounds = XLSXWorkbook.Bounds()
        bounds.maxFileBytes = 1000
        expectDiagnostic(Self.diagnostics("typed.xlsx", bounds: bounds), "limits.file-size", at: 1, 1, hint: "--max-data-size")

        bounds = XLSXWorkbook.Bounds()
        bounds.maxEntries = 3
        expectDiagnostic(Self.diagnostics("typed.xlsx", bounds: bounds), "limits.xlsx-entries", at: 1, 1)

        bounds = XLSXWorkbook.Bounds()
        bounds.maxSharedStrings = 1
        expectDiagnostic(Self.diagnostics("shared.xlsx", bounds: bounds), "limits.xlsx-shared-strings", at: 1, 1)

        bounds = XLSXWorkbook.Bounds()
        bounds.maxCells = 5
        // The sixth cell is F1 (G1 is empty and not in the file).
        let cells = expectDiagnostic(Self.diagnostics("cells.xlsx", bounds: bounds), "limits.xlsx-cells", at: 1, 6)
        #expect(cells?.range?.sheet == "cells")

        bounds = XLSXWorkbook.Bounds()
        bounds.maxCellLength = 5
        let long = expectDiagnostic(Self.diagnostics("cells.xlsx", bounds: bounds), "limits.scalar-length", at: 1, 1)
        #expect(long?.range?.sheet == "cells")

        bounds = XLSXWorkbook.Bounds()
        bounds.maxUnpackedBytes = 2000
        expectDiagnostic(Self.diagnostics("cells.xlsx", bounds: bounds), "limits.xlsx-unpacked-size", at: 1, 1)
    }

    @Test func aZipBombStopsWhileItUnpacks() throws {
        // 32 KB that unpack to 24 MB: with --max-data-size 1M the parts may unpack to 4 MB at most.
        var limits = Limits.default
        limits.maxDataBytes = 1 << 20
        let list = Load.diagnostics { try DatasetReader.read(path: Self.folder + "bomb.xlsx", inputs: DataDictionary.inputs, limits: limits) }
        expectDiagnostic(list, "limits.xlsx-unpacked-size", at: 1, 1, message: "sheet3.xml")
        // With the default limits it unpacks, and the XML parser refuses a text of 24 MB (libxml2 stops at
        // 10 MB): a located diagnostic, never a crash.
        let padded = Load.diagnostics { try DatasetReader.read(path: Self.folder + "bomb.xlsx", inputs: DataDictionary.extended) }
        expectDiagnostic(padded, "xlsx.xml", at: 1, 1, message: "sheet3.xml")
    }

    @Test func anOldExcelFileIsToldToBeSavedAsXlsx() throws {
        let path = NSTemporaryDirectory() + "criteria-old-\(UUID().uuidString).xls"
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: EnvironmentError.self) { try DatasetReader.read(path: path, inputs: DataDictionary.inputs) }
        do {
            _ = try DatasetReader.read(path: path, inputs: DataDictionary.inputs)
        } catch {
            #expect("\(error)".contains(".xlsx"))
        }
    }

    @Test func aWorkbookWithoutTableSheetsNamesTheSheets() throws {
        var book = try XLSXWorkbook.read(path: Self.folder + "cells.xlsx")
        book.sheets[0].name = "Trang tính 1"
        let list = Load.diagnostics { try XLSXDatasetReader.read(book, inputs: DataDictionary.inputs) }
        expectDiagnostic(list, "csv.missing-table", at: 1, 1, message: "Trang tính 1", hint: "communes")
    }
}

/// Workbooks written by `XLSXWriter` read back cell for cell; templates carry their drop-down lists.
@Suite struct XLSXWriterTests {
    @Test func writtenCellsReadBackExactly() throws {
        let texts = ["Xã Đông Hòa", "a & b < c > \"d\"", "  lề  ", "dòng 1\ndòng 2", "ESC \u{1B} NUL-free", "_x000D_ literal", "1,5"]
        var rows: [[XLSXWriter.Cell?]] = [texts.map { .text($0) }]
        rows.append([.number("1250.75"), .number("-0.5"), .bool(true), .bool(false), nil, .number("12")])
        let data = try XLSXWriter.data([XLSXWriter.Sheet(name: "Kết quả: [1]", rows: rows)])
        let book = try XLSXWorkbook.read(data, path: "out.xlsx")
        #expect(book.sheetNames == ["Kết quả 1"])  // the characters a sheet name may not hold are left out
        let sheet = try #require(book.sheets.first)
        #expect(sheet.rows[0].cells.map(\.text) == texts)
        #expect(sheet.rows[1].cells.map(\.text) == ["1250.75", "-0.5", "true", "false", "12"])
        #expect(sheet.rows[1].cells.map(\.column) == [1, 2, 3, 4, 6])
        // The same sheets give the same bytes.
        #expect(data == (try XLSXWriter.data([XLSXWriter.Sheet(name: "Kết quả: [1]", rows: rows)])))
    }

    @Test func theTemplateOffersDropDownListsAndItsNotesAreSkipped() throws {
        let inputs = [
            DataDictionary.input("antt_plan", .bool, .commune), DataDictionary.input("movement_rating", .enumeration(DataDictionary.ratings), .commune),
        ]
        var graph = try RuleSetLoader.load(path: repositoryRoot() + "/Rules")
        graph.inputs = InputCatalog(inputs)
        let template = DatasetTemplate(graph: graph, asOf: LocalDate(iso: "2026-12-07")!)
        let communes = try #require(template.sheets.first { $0.name == "communes" })
        let xml = XLSXWriter.worksheet(communes)
        #expect(xml.contains(#"<formula1>&quot;true,false&quot;</formula1>"#), "\(xml.suffix(800))")
        #expect(xml.contains(#"<formula1>&quot;xuat_sac,kha,trung_binh,yeu&quot;</formula1>"#))
        #expect(xml.contains(#"<formula1>&quot;1,2,3&quot;</formula1>"#))
        let book = try XLSXWorkbook.read(try template.workbook(), path: "mau.xlsx")
        let sheet = try #require(book.sheets.first { $0.name == "communes" })
        #expect(sheet.rows.count == 3)
        #expect(sheet.rows[1].cells.first?.text.hasPrefix("#") == true)
        #expect(sheet.rows[2].cells.first?.text == DatasetTemplate.exampleMarker)
    }
}
