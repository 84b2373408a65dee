import CriteriaEngine
import Foundation
import Testing

/// Runs every broken-rule fixture in `Fixtures/rules/` and compares the diagnostics with its markers.
///
/// A fixture is a rule file, or a folder that is a whole rules folder; each file is a `MarkedFixture`
/// (keycap markers 1️⃣ … 9️⃣ and `# expect`, `# message`, `# hint`, `# note`, `# limits`,
/// `# known-issue` lines; see `Support/MarkedFixture.swift`). The markers are removed, and the bytes
/// are written to a temporary file of the fixture's name. A file is loaded with `Rules/` as context (it
/// stands in for a rule file there with the same criterion id); a folder is loaded on its own. Every
/// error and warning must be expected; notes are ignored. A diagnostic placed in no file of the fixture
/// (the folder itself, or nowhere) is matched by a `# expect: id` line.
@Suite struct RuleFixtureTests {
    /// The folder of fixtures.
    static let folder = repositoryRoot + "/Tests/CriteriaEngineTests/Fixtures/rules"

    /// The fixtures' names: files (`*.yaml`) and folders, sorted.
    static let names: [String] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return entries.filter { $0.hasSuffix(".yaml") || isDirectory(folder + "/" + $0) }.sorted()
    }()

    @Test(arguments: names)
    func fixture(_ name: String) throws {
        let fixture = try LoadedRuleFixture(name: name, folder: Self.folder)
        let check = { fixture.compare() }
        if let reason = fixture.files.compactMap(\.fixture.knownIssue).first {
            withKnownIssue(Comment(rawValue: reason)) { check() }
        } else {
            check()
        }
    }

    @Test func thereAreEnoughFixtures() {
        #expect(Self.names.count >= 40)
    }

    /// Every id in the catalogue of `Docs/rule-language.md` names fixtures that exist and expect it,
    /// and every id a fixture expects is in the catalogue, so the two stay in step.
    @Test func catalogueAndFixturesAgree() throws {
        let rows = try DiagnosticCatalogue.rows(inDocument: repositoryRoot + "/Docs/rule-language.md")
        #expect(rows.count >= 40, "the catalogue under '## Diagnostics' was not found or is too short")
        var expectedByFixture: [String: Set<String>] = [:]
        for path in try Self.allFixtureFiles() {
            let relative = String(path.dropFirst(Self.folder.count + 1))
            let fixture = relative.contains("/") ? String(relative.prefix { $0 != "/" }) + "/" : relative
            for expected in try MarkedFixture(path: path, name: relative).expected {
                expectedByFixture[fixture, default: []].insert(expected.id)
            }
        }
        for row in rows {
            if row.fixtures.isEmpty && !row.fixtureCell.contains("note") {
                Issue.record("the catalogue row of \(row.id) names no fixture")
            }
            for fixture in row.fixtures {
                guard let expected = expectedByFixture[fixture] else {
                    Issue.record("the catalogue row of \(row.id) names \(fixture), which is not a fixture")
                    continue
                }
                if !expected.contains(row.id) {
                    Issue.record("the catalogue row of \(row.id) names \(fixture), which does not expect it")
                }
            }
        }
        let catalogued = Set(rows.map(\.id))
        for id in Set(expectedByFixture.values.joined()).sorted() where !catalogued.contains(id) {
            Issue.record("a fixture expects \(id), but the catalogue of Docs/rule-language.md does not list it")
        }
    }

    /// Every fixture file, including those inside folder fixtures.
    static func allFixtureFiles() throws -> [String] {
        var result: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".yaml") { result.append(folder + "/" + relative) }
        }
        return result.sorted()
    }
}

/// The rows of the diagnostic catalogue of a Markdown document: the tables under `## Diagnostics`
/// whose first cell is an id in backticks and whose last cell names fixtures in backticks.
enum DiagnosticCatalogue {
    struct Row {
        var id: String
        var fixtureCell: String
        var fixtures: [String]
    }

    static func rows(inDocument path: String) throws -> [Row] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var inside = false
        var rows: [Row] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                inside = line.hasPrefix("## Diagnostics")
                continue
            }
            guard inside, line.hasPrefix("| `") else { continue }
            let cells = cellsOf(String(line))
            guard cells.count >= 2, let id = backticked(cells[0]).first else { continue }
            let last = cells[cells.count - 1]
            rows.append(Row(id: id, fixtureCell: last, fixtures: backticked(last)))
        }
        return rows
    }

    /// The cells of a table row, split at `|` but not at `\|`.
    static func cellsOf(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var previous: Character? = nil
        for character in line {
            if character == "|" && previous != "\\" {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else {
                cell.append(character)
            }
            previous = character
        }
        return Array(cells.dropFirst())  // the text before the first '|'
    }

    /// The texts in backticks.
    static func backticked(_ cell: String) -> [String] {
        let parts = cell.split(separator: "`", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count, by: 2).map { String(parts[$0]) }
    }
}

/// A rule fixture written out without markers and loaded, ready to compare.
struct LoadedRuleFixture {
    /// The fixture's name: a file name, or a folder name.
    let name: String
    /// Each file of the fixture, by path relative to it (the name itself for a file fixture).
    var files: [(relative: String, fixture: MarkedFixture)] = []
    /// The diagnostics found (errors and warnings), with their files relative to the fixture; a
    /// diagnostic placed in no file of the fixture has no file and no range.
    var found: [(file: String?, diagnostic: Diagnostic)] = []

    init(name: String, folder: String) throws {
        self.name = name
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("RuleFixtures-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let source = folder + "/" + name
        let target = temporary + "/" + name
        let isFolder = isDirectory(source)
        var relatives: [String] = []
        if isFolder {
            let enumerator = FileManager.default.enumerator(atPath: source)
            while let relative = enumerator?.nextObject() as? String {
                if relative.hasSuffix(".yaml") { relatives.append(relative) }
            }
        } else {
            relatives = [""]
        }
        for relative in relatives.sorted() {
            let from = relative.isEmpty ? source : source + "/" + relative
            let to = relative.isEmpty ? target : target + "/" + relative
            let fixture = try MarkedFixture(path: from, name: relative.isEmpty ? name : name + "/" + relative)
            try FileManager.default.createDirectory(
                atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(fixture.bytes).write(to: URL(fileURLWithPath: to))
            files.append((relative.isEmpty ? name : relative, fixture))
        }
        let all = files.map(\.fixture)
        let limits = all.first?.limits(from: .default, with: Array(all.dropFirst())) ?? .default
        var diagnostics: [Diagnostic] = []
        do {
            let graph: RuleGraph
            if isFolder {
                graph = try RuleSetLoader.load(path: target, limits: limits)
            } else {
                graph = try RuleSetLoader.load(files: [target], context: repositoryRoot + "/Rules", limits: limits)
            }
            diagnostics = graph.diagnostics
        } catch let error as DiagnosticsError {
            diagnostics = error.diagnostics
        }
        let known = Set(files.map(\.relative))
        for var diagnostic in diagnostics where diagnostic.severity != .note {
            var file: String? = nil
            if let path = diagnostic.range?.file {
                let relative = path == target ? name : (isFolder && path.hasPrefix(target + "/") ? String(path.dropFirst(target.count + 1)) : path)
                if known.contains(relative) { file = relative }
            }
            if file == nil { diagnostic.range = nil }
            found.append((file, diagnostic))
        }
    }

    /// Compares each file's diagnostics with its markers. A diagnostic without a place here goes to the
    /// first file whose `# expect: id` lines name its id (else to the first file).
    func compare() {
        var placeless = found.filter { $0.file == nil }.map(\.diagnostic)
        var given: [String: [Diagnostic]] = [:]
        for (file, fixture) in files {
            given[file] = found.filter { $0.file == file }.map(\.diagnostic)
            for expected in fixture.expected where expected.line == nil {
                if let index = placeless.firstIndex(where: { $0.id.rawValue == expected.id }) {
                    given[file, default: []].append(placeless.remove(at: index))
                }
            }
        }
        if let first = files.first?.relative { given[first, default: []].append(contentsOf: placeless) }
        for (file, fixture) in files { fixture.expectDiagnostics(given[file] ?? []) }
    }
}

/// Whether a path names a folder.
private func isDirectory(_ path: String) -> Bool {
    var flag: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
}
