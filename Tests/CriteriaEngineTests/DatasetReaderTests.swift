import CriteriaEngine
import Foundation
import Testing

/// `DatasetReader` picks the format from the path and reports unreadable paths as environment errors.
@Suite struct DatasetReaderTests {
    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("criteria-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func readsYAMLAndJSONFiles() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = folder.appendingPathComponent("data.YML")
        let json = folder.appendingPathComponent("data.json")
        try DatasetFormatsTests.yaml.write(to: yaml, atomically: true, encoding: .utf8)
        try DatasetFormatsTests.json.write(to: json, atomically: true, encoding: .utf8)
        let fromYAML = try DatasetReader.read(path: yaml.path, inputs: DataDictionary.inputs)
        let fromJSON = try DatasetReader.read(path: json.path, inputs: DataDictionary.inputs)
        #expect(content(fromYAML) == content(fromJSON))
        #expect(fromYAML.source == yaml.path)
        #expect(fromJSON.entities.first?.range?.file == json.path)
    }

    @Test func environmentErrors() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nope.yaml").path
        #expect(throws: EnvironmentError.unreadable(path: missing, reason: .vi("không có tệp hay thư mục này", en: "no such file or folder"))) {
            try DatasetReader.read(path: missing, inputs: DataDictionary.inputs)
        }
        let text = folder.appendingPathComponent("data.txt")
        try "x".write(to: text, atomically: true, encoding: .utf8)
        do {
            _ = try DatasetReader.read(path: text.path, inputs: DataDictionary.inputs)
            Issue.record("expected an error")
        } catch let error as EnvironmentError {
            #expect(error.description.contains(".yaml, .yml, .json or .xlsx file, or a folder of CSV tables"))
            #expect(error.text.vi.contains("hãy đưa tệp .yaml, .yml, .json hoặc .xlsx, hoặc một thư mục các bảng CSV"))
        }
        let csv = folder.appendingPathComponent("communes.csv")
        try "id,name,year\n".write(to: csv, atomically: true, encoding: .utf8)
        do {
            _ = try DatasetReader.read(path: csv.path, inputs: DataDictionary.inputs)
            Issue.record("expected an error")
        } catch let error as EnvironmentError {
            #expect(error.description.contains("pass the folder"))
        }
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        // An empty folder names the tables the declared map reads, not a fixed list.
        do {
            _ = try DatasetReader.read(path: empty.path, inputs: DataDictionary.inputs)
            Issue.record("expected an error")
        } catch let error as EnvironmentError {
            #expect(error.text.vi.contains("không có bảng nào trong số province.csv, districts.csv, communes.csv"))
            #expect(error.description.contains("it holds none of province.csv, districts.csv, communes.csv"))
        }
    }

    @Test func emptyYAMLFileGetsADataHint() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("empty.yaml")
        try "# nothing yet\n".write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try DatasetReader.read(path: file.path, inputs: DataDictionary.inputs)
            Issue.record("expected an error")
        } catch let error as DiagnosticsError {
            expectDiagnostic(error.diagnostics, "yaml.empty", at: 1, 1, hint: "dataset: 1")
        }
    }

    @Test func sizeLimitsFollowTheFormat() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = folder.appendingPathComponent("data.yaml")
        let json = folder.appendingPathComponent("data.json")
        try DatasetFormatsTests.yaml.write(to: yaml, atomically: true, encoding: .utf8)
        try DatasetFormatsTests.json.write(to: json, atomically: true, encoding: .utf8)
        var limits = Limits.default
        limits.maxYAMLDataBytes = 100
        _ = try DatasetReader.read(path: json.path, inputs: DataDictionary.inputs, limits: limits)
        #expect(throws: DiagnosticsError.self) {
            try DatasetReader.read(path: yaml.path, inputs: DataDictionary.inputs, limits: limits)
        }
        limits = .default
        limits.maxDataBytes = 100
        _ = try DatasetReader.read(path: yaml.path, inputs: DataDictionary.inputs, limits: limits)
        #expect(throws: DiagnosticsError.self) {
            try DatasetReader.read(path: json.path, inputs: DataDictionary.inputs, limits: limits)
        }
    }

    @Test func yamlNestingIsBoundedByTheDataLimit() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = folder.appendingPathComponent("deep.yaml")
        try ("dataset: 1\ncommune: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n")
            .write(to: yaml, atomically: true, encoding: .utf8)
        do {
            _ = try DatasetReader.read(path: yaml.path, inputs: DataDictionary.inputs)
            Issue.record("expected an error")
        } catch let error as DiagnosticsError {
            #expect(error.diagnostics.first?.id == "limits.nesting")
        }
    }
}
