import CriteriaEngine
import Foundation
import Testing

/// The CSV folder format: RFC 4180 quoting, per-field positions, and the same typing rules.
@Suite struct DatasetCSVTests {
    static let districts = "id,name,year\n380,Huyện Đông Sơn,\n"

    static func communes(_ body: String) -> [Level: String] {
        [.district: districts, .commune: body]
    }

    static func errors(_ tables: [Level: String], metadata: String? = nil) -> [Diagnostic] {
        Load.diagnostics { try Load.csv(tables, metadata: metadata) }
    }

    @Test func quotedFieldWithANewlineKeepsPhysicalPositions() throws {
        let text = """
            id,name,district_id,year,antt_plan,social_order_crimes
            15901,"Xã Đông Hòa
            (cũ: Xã ""Đông Tiến"")",380,2024,true,yes

            """
        let list = Self.errors(Self.communes(text))
        let found = expectDiagnostic(
            list, "data.wrong-type", at: 3, 39, file: "communes.csv",
            message: "column 'social_order_crimes' expects a count")
        #expect(found?.hint != nil)

        let good = try Load.csv(Self.communes(text.replacingOccurrences(of: ",yes", with: ",3")))
        let commune = try #require(good.index(of: "15901"))
        #expect(good.entities[commune].name == "Xã Đông Hòa\n(cũ: Xã \"Đông Tiến\")")
        #expect(good.entities[commune].fact("social_order_crimes", year: 2024)?.range == SourceRange(file: "communes.csv", line: 3, column: 39))
        #expect(good.entities[commune].fact("antt_plan", year: 2024)?.range == SourceRange(file: "communes.csv", line: 3, column: 34))
    }

    @Test func crlfAndByteOrderMark() throws {
        let text = "\u{FEFF}id,name,district_id,year,serious_crimes\r\n15901,Xã Đông Hòa,380,2024,0\r\n15902,\"Xã\r\nĐông Minh\",380,2024,x\r\n"
        let list = Self.errors(Self.communes(text))
        expectDiagnostic(list, "data.wrong-type", at: 4, 21, message: "column 'serious_crimes' expects a count")
        #expect(list.count == 1)
    }

    @Test func raggedRows() {
        let text = """
            id,name,district_id,year,serious_crimes
            15901,Xã Đông Hòa,380,2024
            15902,Xã Đông Minh,380,2024,0,1
            15903,"Xã Đông Ninh, mới",380,2024,0

            """
        let list = Self.errors(Self.communes(text))
        expectDiagnostic(
            list, "csv.ragged-row", at: 2, 1, message: "the row has 4 fields, but the header has 5 columns; no field for 'serious_crimes'")
        expectDiagnostic(list, "csv.ragged-row", at: 3, 31, message: "past the last column 'serious_crimes'", hint: "double quotes")
        #expect(list.count == 2)
    }

    @Test func unknownColumnIsAnUnknownFactWithSuggestion() {
        let text = "id,name,district_id,year,social_order_crime,safe_antt\n15901,Xã Đông Hòa,380,2024,3,true\n"
        let list = Self.errors(Self.communes(text))
        expectDiagnostic(
            list, "data.unknown-fact", at: 1, 26, file: "communes.csv", message: "'social_order_crime' is not a declared input",
            hint: "did you mean 'social_order_crimes'?")
        expectDiagnostic(list, "data.wrong-level", at: 1, 45, message: "'safe_antt' is a hamlet fact")
        #expect(list.count == 2)
    }

    @Test func unknownParent() {
        let tables: [Level: String] = [
            .district: Self.districts,
            .commune: "id,name,district_id,year\n15901,Xã Đông Hòa,381,2024\n15902,Xã Đông Minh,380,\n",
            .hamlet: "id,name,commune_id,year,safe_antt\nh1,Thôn 1,15901,2024,true\nh2,Thôn 2,380,2024,true\n",
        ]
        let list = Self.errors(tables)
        expectDiagnostic(
            list, "data.unknown-parent", at: 2, 19, file: "communes.csv",
            message: "column 'district_id' names '381', which is not a district in districts.csv", hint: "did you mean '380'?")
        expectDiagnostic(list, "data.unknown-parent", at: 3, 11, file: "hamlets.csv", message: "(it is a district)")
        #expect(list.count == 2)
    }

    @Test func decimalCommaAndBooleans() throws {
        let inputs = DataDictionary.extended
        let text = """
            id,name,district_id,year,budget_million_vnd,antt_plan,antt_party_resolution,safe_share_reported
            15901,Xã Đông Hòa,380,2024,"1,5",TRUE,False,70%
            15901,Xã Đông Hòa,380,2025,2.5,yes,n,0.7

            """
        let list = Load.diagnostics { try Load.csv(Self.communes(text), inputs: inputs) }
        expectDiagnostic(
            list, "data.wrong-type", at: 2, 28,
            message: "column 'budget_million_vnd' expects a number, found '1,5': a decimal comma is not accepted; write a decimal point (1.5, not 1,5)")
        expectDiagnostic(list, "data.wrong-type", at: 3, 32, message: "found 'yes'", hint: "write true or false")
        expectDiagnostic(list, "data.wrong-type", at: 3, 36, message: "found 'n'", hint: "write true or false")
        #expect(list.count == 3)

        let fixed = text.replacingOccurrences(of: "\"1,5\"", with: "1.5").replacingOccurrences(of: "yes,n", with: "true,")
        let data = try Load.csv(Self.communes(fixed), inputs: inputs)
        let commune = data.entities[data.index(of: "15901") ?? 0]
        #expect(commune.fact("antt_plan", year: 2024)?.value == .bool(true))
        #expect(commune.fact("antt_party_resolution", year: 2024)?.value == .bool(false))
        #expect(commune.fact("antt_party_resolution", year: 2025) == nil)
        #expect(commune.fact("safe_share_reported", year: 2024)?.value == .number(Decimal(string: "0.7") ?? 0))
        #expect(commune.fact("budget_million_vnd", year: 2024)?.value == .number(Decimal(string: "1.5") ?? 0))
    }

    @Test func quotedCellsAreNotText() throws {
        let text = "id,name,district_id,year,serious_crimes\n\"01234\",\"Xã Đông Hòa\",\"380\",\"2024\",\"0\"\n"
        let data = try Load.csv(Self.communes(text))
        let commune = try #require(data.index(of: "01234"))
        #expect(data.entities[commune].fact("serious_crimes", year: 2024)?.value == .number(0))
    }

    @Test func rowsOfOneEntityMustAgree() {
        let text = """
            id,name,district_id,year,group,serious_crimes
            15901,Xã Đông Hòa,380,2023,1,0
            15901,Xã Đông Hoà,380,2024,2,0
            15901,Xã Đông Hòa,380,2024,1,1

            """
        let list = Self.errors(Self.communes(text))
        let name = expectDiagnostic(list, "csv.inconsistent-row", at: 3, 7, message: "column 'name' of '15901'")
        #expect(name?.notes.first?.range == SourceRange(file: "communes.csv", line: 2, column: 7))
        expectDiagnostic(list, "csv.inconsistent-row", at: 3, 28, message: "column 'group'")
        let duplicate = expectDiagnostic(list, "csv.duplicate-row", at: 4, 23, message: "already has a row for 2024 in communes.csv (line 3)")
        #expect(duplicate?.notes.first?.range == SourceRange(file: "communes.csv", line: 3, column: 23))
        #expect(list.count == 3)
    }

    @Test func idsAreUniqueAcrossTables() {
        let tables: [Level: String] = [
            .district: Self.districts,
            .commune: "id,name,district_id,year\n380,Xã Đông Hòa,380,\n",
        ]
        let list = Self.errors(tables)
        expectDiagnostic(list, "data.duplicate-id", at: 2, 1, message: "it is already a district in districts.csv")
    }

    @Test func yearsAndMissingCells() {
        let text = """
            id,name,district_id,year,serious_crimes
            15901,Xã Đông Hòa,380,24,0
            15902,Xã Đông Minh,380,,0
            ,Xã Đông Ninh,380,2024,0
            15904,,,2024,0

            """
        let list = Self.errors(Self.communes(text))
        expectDiagnostic(list, "data.invalid-year", at: 2, 23, message: "found '24'")
        expectDiagnostic(list, "data.invalid-year", at: 3, 24, message: "has facts but no 'year'")
        expectDiagnostic(list, "data.missing-key", at: 4, 1, message: "the row has no 'id'")
        expectDiagnostic(list, "data.missing-key", at: 5, 7, message: "has no 'name'")
        expectDiagnostic(list, "data.missing-key", at: 5, 8, message: "has no 'district_id'")
        #expect(list.count == 5)
    }

    @Test func headerProblems() {
        let missing = Self.errors(Self.communes("id,name,year\n15901,Xã Đông Hòa,2024\n"))
        expectDiagnostic(missing, "csv.missing-column", at: 1, 1, message: "communes.csv has no 'district_id' column")
        let duplicate = Self.errors(Self.communes("id,name,district_id,year,year\n"))
        expectDiagnostic(duplicate, "csv.duplicate-column", at: 1, 26)
        let misplaced = Self.errors([.district: "id,name,year,group,province_id\n"])
        expectDiagnostic(misplaced, "csv.unknown-column", at: 1, 14, hint: "communes.csv only")
        expectDiagnostic(misplaced, "csv.unknown-column", at: 1, 20, message: "refers to province.csv, which is not in the dataset")
        // A `;`-separated header is Excel's CSV on a Vietnamese Windows: read (SpreadsheetCSVTests), and
        // its mistakes are located as in a comma table.
        let semicolons = Self.errors([.district: "id;name;year;year\n"])
        expectDiagnostic(semicolons, "csv.duplicate-column", at: 1, 14)
        let gap = Self.errors([.district: Self.districts, .hamlet: "id,name,commune_id,year\n"])
        #expect(gap.first?.id == "csv.missing-table")
        #expect(gap.first?.range?.start == CriteriaEngine.SourceLocation(line: 1, column: 1))  // of hamlets.csv
    }

    @Test func syntaxErrors() {
        let stray = Self.errors(Self.communes("id,name,district_id,year\n15901,Xã \"Đông\" Hòa,380,2024\n"))
        expectDiagnostic(stray, "csv.syntax", at: 2, 10, message: "a quote inside an unquoted field (column 2)")
        let after = Self.errors(Self.communes("id,name,district_id,year\n15901,\"Xã Đông\" Hòa,380,2024\n"))
        expectDiagnostic(after, "csv.syntax", at: 2, 16, message: "after the closing quote of column 2")
        let open = Self.errors(Self.communes("id,name,district_id,year\n15901,\"Xã Đông Hòa,380,2024\n"))
        expectDiagnostic(open, "csv.unterminated-quote", at: 2, 7)
    }

    @Test func metadataTable() throws {
        let tables = Self.communes("id,name,district_id,year\n15901,Xã Đông Hòa,380,\n")
        #expect(try Load.csv(tables, metadata: "dataset,synthetic\n1,TRUE\n").synthetic)
        #expect(try !Load.csv(tables, metadata: "dataset\n1\n").synthetic)
        let version = Self.errors(tables, metadata: "dataset,synthetic\n2,true\n")
        expectDiagnostic(version, "data.unsupported-version", at: 2, 1, file: "dataset.csv")
        let unknown = Self.errors(tables, metadata: "dataset,synthetik\n1,true\n")
        expectDiagnostic(unknown, "data.unknown-key", at: 1, 9, hint: "did you mean 'synthetic'?")
        let bad = Self.errors(tables, metadata: "dataset,synthetic\n1,yes\n")
        expectDiagnostic(bad, "data.wrong-type", at: 2, 3, hint: "write true or false")
    }

    @Test func longFieldsAreRefused() {
        var limits = Limits.default
        limits.maxScalarLength = 10
        let files: [Level: SourceFile] = [
            .commune: SourceFile(path: "communes.csv", text: "id,name,year\n15901,\"Xã Đông Hòa, Thanh Hóa\",\n")
        ]
        do {
            _ = try CSVDatasetReader.read(tables: files, source: "x", inputs: DataDictionary.inputs, limits: limits)
            Issue.record("expected an error")
        } catch {
            expectDiagnostic(error.diagnostics, "limits.scalar-length", at: 2, 7, message: "22 characters")
        }
    }

    @Test func folderOnDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("criteria-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.districts.write(to: folder.appendingPathComponent("districts.csv"), atomically: true, encoding: .utf8)
        try "id,name,district_id,year\n15901,Xã Đông Hòa,380,\n".write(
            to: folder.appendingPathComponent("communes.csv"), atomically: true, encoding: .utf8)
        try "notes".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let data = try DatasetReader.read(path: folder.path, inputs: DataDictionary.inputs)
        #expect(data.entities.map(\.id) == ["380", "15901"])
        #expect(data.source == folder.path)

        try "id,name\n".write(to: folder.appendingPathComponent("commune.csv"), atomically: true, encoding: .utf8)
        do {
            _ = try DatasetReader.read(path: folder.path, inputs: DataDictionary.inputs)
            Issue.record("expected an unknown table")
        } catch let error as DiagnosticsError {
            expectDiagnostic(
                error.diagnostics, "csv.unknown-table", at: 1, 1, file: folder.path + "/commune.csv",
                hint: "did you mean 'communes.csv'?")
        }

        try Data([0x69, 0x64, 0xFF, 0x0A]).write(to: folder.appendingPathComponent("commune.csv"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("commune.csv"))
        // UTF-8 (the "ã") with a bad byte after it: reported at the byte, not read as Windows-1258.
        try Data([0x69, 0x64, 0x2C, 0xC3, 0xA3, 0xFF, 0x0A]).write(to: folder.appendingPathComponent("hamlets.csv"))
        do {
            _ = try DatasetReader.read(path: folder.path, inputs: DataDictionary.inputs)
            Issue.record("expected invalid UTF-8")
        } catch let error as DiagnosticsError {
            expectDiagnostic(error.diagnostics, "source.invalid-utf8", at: 1, 5, file: folder.path + "/hamlets.csv")
        }
    }
}
