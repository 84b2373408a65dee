import CriteriaEngine
import Foundation
import Testing

/// Hostile and malformed datasets in every format, each a marked fixture in `Fixtures/data/`: the
/// exact diagnostic and place, or (for `loads-*` fixtures) no diagnostic at all, with the values
/// checked below. CSV fixtures are the text of one `communes.csv`.
@Suite struct DatasetHostileInputTests {
    /// Reads a fixture's bytes as a dataset file of the given name (`communes.csv` is put in a folder).
    static func read(_ fixture: MarkedFixture, as fileName: String) throws -> (Dataset?, [Diagnostic]) {
        let folder = NSTemporaryDirectory() + "criteria-hostile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(fixture.bytes).write(to: URL(fileURLWithPath: folder + "/" + fileName))
        let path = fileName.hasSuffix(".csv") ? folder : folder + "/" + fileName
        do {
            return (try DatasetReader.read(path: path, inputs: DataDictionary.extended), [])
        } catch let error as DiagnosticsError {
            return (nil, error.diagnostics)
        }
    }

    @Test(arguments: try MarkedFixture.load(folder: "data/csv", extension: "csv", headersAreComments: false))
    func csv(_ fixture: MarkedFixture) throws {
        fixture.expectDiagnostics(try Self.read(fixture, as: "communes.csv").1)
    }

    @Test(arguments: try MarkedFixture.load(folder: "data/json", extension: "json", headersAreComments: false))
    func json(_ fixture: MarkedFixture) throws {
        fixture.expectDiagnostics(try Self.read(fixture, as: "data.json").1)
    }

    @Test(arguments: try MarkedFixture.load(folder: "data/yaml"))
    func yaml(_ fixture: MarkedFixture) throws {
        fixture.expectDiagnostics(try Self.read(fixture, as: "data.yaml").1)
    }

    /// A loading fixture's dataset.
    static func loaded(_ folder: String, _ name: String, as fileName: String, headersAreComments: Bool = true) throws -> Dataset {
        let fixture = try #require(
            try MarkedFixture.load(folder: folder, extension: String(name.split(separator: ".").last ?? ""), headersAreComments: headersAreComments)
                .first { $0.name == folder + "/" + name })
        let (dataset, diagnostics) = try Self.read(fixture, as: fileName)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        return try #require(dataset)
    }

    @Test func quotedCellWithLineBreaksLoads() throws {
        let data = try Self.loaded("data/csv", "loads-quoted-newline.csv", as: "communes.csv", headersAreComments: false)
        let commune = try #require(data.entities.first)
        #expect(commune.id == "01234")
        #expect(commune.name == "Xã Đông Hòa, mới")
        #expect(commune.fact("notes", year: 2024)?.value == .text("dòng 1\ndòng 2"))
    }

    @Test func tabSeparatedSheetLoads() throws {
        let data = try Self.loaded("data/csv", "loads-tab-separated.csv", as: "communes.csv", headersAreComments: false)
        #expect(data.entities.map(\.name) == ["Xã A"])
        #expect(data.entities[0].fact("social_order_crimes", year: 2024)?.value == .number(3))
        #expect(data.entities[0].fact("social_order_crimes", year: 2024)?.range?.start == SourceLocation(line: 2, column: 14))
    }

    @Test func windows1258SheetLoadsConverted() throws {
        let data = try Self.loaded("data/csv", "loads-windows-1258.csv", as: "communes.csv", headersAreComments: false)
        #expect(data.entities.map(\.name) == ["Xă A"])
        #expect(data.notes.map(\.id) == ["data.converted-encoding"])
    }

    @Test func windowsLineEndsLoad() throws {
        let csv = try Self.loaded("data/csv", "loads-crlf.csv", as: "communes.csv", headersAreComments: false)
        #expect(csv.entities.map(\.id) == ["C1", "C2"])
        #expect(csv.entities[0].fact("social_order_crimes", year: 2024)?.value == .number(3))
        // A line break inside quotes is read as \n, whatever the file's line ends.
        #expect(csv.entities[0].fact("notes", year: 2024)?.value == .text("a\nb"))
        #expect(csv.entities[1].fact("social_order_crimes", year: 2024)?.range?.start == SourceLocation(line: 4, column: 14))
        let yaml = try Self.loaded("data/yaml", "loads-crlf.yaml", as: "data.yaml")
        #expect(yaml.entities.first?.fact("social_order_crimes", year: 2024)?.value == .number(3))
        #expect(yaml.entities.first?.fact("notes", year: 2024)?.value == .text("dòng 1\ndòng 2"))
        let json = try Self.loaded("data/json", "loads-crlf.json", as: "data.json", headersAreComments: false)
        #expect(json.entities.first?.id == "01234")
        #expect(json.entities.first?.fact("social_order_crimes", year: 2024)?.range?.start == SourceLocation(line: 4, column: 47))
    }

    @Test func codesWithALeadingZeroStayText() throws {
        let data = try Self.loaded("data/yaml", "loads-leading-zero-code.yaml", as: "data.yaml")
        #expect(data.entities.map(\.id) == ["0380", "01234", "01235"])
    }

    @Test func byteOrderMarkAtTheStartIsDropped() throws {
        let data = try Self.loaded("data/csv", "loads-bom-start.csv", as: "communes.csv", headersAreComments: false)
        #expect(data.entities.first?.id == "C1")
        #expect(data.entities.first?.range?.start == SourceLocation(line: 2, column: 1))
    }
}
