import CriteriaEngine
import Foundation
import Testing

/// The data dictionary's inputs (shared/domain/data-dictionary.md), built in code for the dataset tests.
enum DataDictionary {
    static func input(_ name: String, _ type: InputType, _ level: Level) -> InputDeclaration {
        InputDeclaration(name: name, type: type, level: level, label: LocalizedText(vi: name, en: name))
    }

    static let ratings = ["xuat_sac", "kha", "trung_binh", "yeu"]

    static let declarations: [InputDeclaration] = [
        input("antt_party_resolution", .bool, .commune),
        input("antt_plan", .bool, .commune),
        input("prohibited_activity_events", .count, .commune),
        input("prolonged_mass_complaints", .count, .commune),
        input("serious_crimes", .count, .commune),
        input("serious_crimes_force_majeure", .count, .commune),
        input("serious_crimes_handled", .count, .commune),
        input("social_order_crimes", .count, .commune),
        input("active_security_models", .count, .commune),
        input("security_camera_model", .bool, .commune),
        input("commune_police_disciplined", .count, .commune),
        input("movement_rating", .enumeration(ratings), .commune),
        input("safe_antt", .bool, .hamlet),
        input("antt_registered", .bool, .unit),
        input("antt_recognised", .bool, .unit),
        input("district_antt_resolution", .bool, .district),
        input("district_antt_plan", .bool, .district),
        input("district_mass_complaints", .count, .district),
        input("social_order_hotspots", .count, .district),
        input("armed_forces_tasks_completed", .bool, .district),
    ]

    /// The dictionary's inputs.
    static let inputs = InputCatalog(declarations)

    /// The dictionary plus a number, a percent and a text input, to test every type.
    static let extended = InputCatalog(
        declarations + [
            input("budget_million_vnd", .number, .commune),
            input("safe_share_reported", .percent, .commune),
            input("notes", .text, .commune),
        ])
}

/// Reading helpers over in-memory text.
enum Load {
    static func yaml(_ text: String, path: String = "data.yaml", inputs: InputCatalog = DataDictionary.inputs) throws
        -> Dataset
    {
        let file = SourceFile(path: path, text: text)
        let root = try YAMLReader.read(file, maxNesting: Limits.default.maxDataNesting)
        return try DatasetDecoder.decode(root, inputs: inputs)
    }

    static func json(_ text: String, path: String = "data.json", inputs: InputCatalog = DataDictionary.inputs) throws
        -> Dataset
    {
        let file = SourceFile(path: path, text: text)
        let root = try JSONReader.read(file, maxNesting: Limits.default.maxDataNesting)
        return try DatasetDecoder.decode(root, inputs: inputs)
    }

    static func csv(
        _ tables: [Level: String], metadata: String? = nil, inputs: InputCatalog = DataDictionary.inputs
    ) throws -> Dataset {
        var files: [Level: SourceFile] = [:]
        for (level, text) in tables {
            let name = CSVDatasetReader.tableName(level)
            files[level] = SourceFile(path: name, text: text)
        }
        return try CSVDatasetReader.read(
            tables: files, metadata: metadata.map { SourceFile(path: "dataset.csv", text: $0) }, source: "csv",
            inputs: inputs)
    }

    /// The diagnostics a read throws; records an issue when it does not throw them.
    static func diagnostics(
        sourceLocation: Testing.SourceLocation = #_sourceLocation, _ body: () throws -> Dataset
    ) -> [Diagnostic] {
        do {
            _ = try body()
            Issue.record("expected diagnostics, but the data was read", sourceLocation: sourceLocation)
        } catch let error as DiagnosticsError {
            return error.diagnostics
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
        return []
    }
}

/// Expects a diagnostic with an id at a line and column, and returns it.
@discardableResult
func expectDiagnostic(
    _ list: [Diagnostic], _ id: String, at line: Int, _ column: Int, file: String? = nil,
    message: String? = nil, hint: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Diagnostic? {
    let found = list.first {
        $0.id.rawValue == id && $0.range?.start.line == line && $0.range?.start.column == column
            && (file == nil || $0.range?.file == file)
    }
    guard let found else {
        let seen = list.map { d in
            "\(d.range?.file ?? "-"):\(d.range?.start.line ?? 0):\(d.range?.start.column ?? 0) [\(d.id)] \(d.message) (\(d.hint ?? ""))"
        }
        let report = "no \(id) at \(line):\(column); got:\n" + seen.joined(separator: "\n")
        Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
        return nil
    }
    if let message {
        #expect(found.message.contains(message), "message: \(found.message)", sourceLocation: sourceLocation)
    }
    if let hint {
        #expect(found.hint?.contains(hint) == true, "hint: \(found.hint ?? "nil")", sourceLocation: sourceLocation)
    }
    return found
}

/// A dataset's entities without source ranges, to compare what different formats decode to.
func content(_ dataset: Dataset) -> [Entity] {
    dataset.entities.map { entity in
        var copy = entity
        copy.range = nil
        copy.facts = entity.facts.mapValues { year in year.mapValues { Fact($0.value) } }
        return copy
    }
}

/// The repository's root, found from this file's path.
func repositoryRoot(_ file: String = #filePath) -> String {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}
