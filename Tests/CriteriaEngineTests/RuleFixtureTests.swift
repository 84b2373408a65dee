import CriteriaEngine
import Foundation
import Testing

/// Runs every broken-rule fixture in `Fixtures/rules/` and compares the diagnostics with its markers.
///
/// A fixture is a rule file, or a folder that is a whole rules folder. Keycap markers (1️⃣ … 9️⃣) stand
/// exactly where a diagnostic must point; comment lines at the top say what is expected there:
///
/// ```yaml
/// # expect 1️⃣: rules.unknown-input        an error with this id at marker 1 (repeat the line for more)
/// # expect: limits.graph-depth             an error with this id anywhere, or without a place
/// # message 1️⃣: did you mean 'antt_plan'?  text the message at marker 1 contains
/// # hint 1️⃣: write 'true'                  text its hint contains
/// # note 1️⃣: first defined here            text one of its notes contains
/// # limits: maxExpressionLength=40         limits other than the defaults (folder fixtures)
/// # known-issue: why                       the fixture shows a known bug: its mismatches are expected
/// ```
///
/// The markers are removed, and the text is written to a temporary file of the fixture's name. A file
/// is loaded with `Rules/` as context (it stands in for a rule file there with the same criterion id);
/// a folder is loaded on its own. Every error and warning must be expected; notes are ignored.
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
        let fixture = try LoadedFixture(name: name, folder: Self.folder)
        let check = { fixture.compare() }
        if let reason = fixture.knownIssue {
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
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            for header in MarkedRuleText.headers(in: text) where header.kind == "expect" {
                expectedByFixture[fixture, default: []].insert(header.value)
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

/// The text of a marked fixture file: the markers' places, the header lines, and the text without markers.
struct MarkedRuleText {
    /// A header comment line: `# kind marker: value`.
    struct Header: Equatable {
        var kind: String
        var marker: Int?
        var value: String
    }

    /// The bytes with every marker removed (header lines are kept as they are).
    var stripped: [UInt8]
    /// Where each marker stood in the stripped text (1-based line, column in Unicode scalars).
    var markers: [Int: CriteriaEngine.SourceLocation]
    /// The header lines.
    var headers: [Header]

    static let headerKinds = ["expect", "message", "hint", "note", "limits", "known-issue"]

    /// Reads bytes (which need not be valid UTF-8: a fixture may test invalid text).
    init(bytes: [UInt8]) {
        stripped = []
        markers = [:]
        headers = []
        var lineNumber = 1
        var lineStart = 0
        while lineStart <= bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            let line = Array(bytes[lineStart..<lineEnd])
            if let header = Self.header(String(decoding: line, as: UTF8.self)) {
                headers.append(header)
                stripped += line
            } else {
                var column = 1
                var index = 0
                while index < line.count {
                    if let (digit, length) = Self.marker(in: line, at: index) {
                        markers[digit] = CriteriaEngine.SourceLocation(line: lineNumber, column: column)
                        index += length
                        continue
                    }
                    let byte = line[index]
                    if !(0x80...0xBF).contains(byte) { column += 1 }
                    stripped.append(byte)
                    index += 1
                }
            }
            if lineEnd < bytes.count { stripped.append(0x0A) }
            lineStart = lineEnd + 1
            lineNumber += 1
        }
    }

    /// A keycap marker at `index`: a digit 1–9, an optional U+FE0F, then U+20E3.
    static func marker(in line: [UInt8], at index: Int) -> (Int, Int)? {
        guard (0x31...0x39).contains(line[index]) else { return nil }
        let variation: [UInt8] = [0xEF, 0xB8, 0x8F]
        let keycap: [UInt8] = [0xE2, 0x83, 0xA3]
        var next = index + 1
        if line.count >= next + 3 && Array(line[next..<next + 3]) == variation { next += 3 }
        guard line.count >= next + 3, Array(line[next..<next + 3]) == keycap else { return nil }
        return (Int(line[index] - 0x30), next + 3 - index)
    }

    /// The header of a line, if it is one.
    static func header(_ line: String) -> Header? {
        guard line.hasPrefix("#") else { return nil }
        var rest = Substring(line.dropFirst()).drop { $0 == " " }
        guard let kind = headerKinds.first(where: { rest.hasPrefix($0) }) else { return nil }
        rest = rest.dropFirst(kind.count).drop { $0 == " " }
        var marker: Int? = nil
        if let first = rest.unicodeScalars.first, ("1"..."9").contains(first) {
            let scalars = Array(rest.unicodeScalars)
            var next = 1
            if next < scalars.count && scalars[next] == "\u{FE0F}" { next += 1 }
            guard next < scalars.count, scalars[next] == "\u{20E3}" else { return nil }
            marker = Int(String(first))
            rest = Substring(String(String.UnicodeScalarView(scalars[(next + 1)...])))
        }
        guard rest.hasPrefix(":") else { return nil }
        let value = rest.dropFirst().trimmingCharacters(in: .whitespaces)
        return Header(kind: kind, marker: marker, value: value)
    }

    /// The header lines of a text.
    static func headers(in text: String) -> [Header] {
        text.split(separator: "\n").compactMap { header(String($0)) }
    }
}

/// A fixture written out without markers and loaded, ready to compare.
struct LoadedFixture {
    /// An expected diagnostic: its file (relative to the fixture), id and marker.
    struct Expectation {
        var file: String
        var id: String
        var marker: Int?
    }

    let name: String
    /// Each file's marked text, by path relative to the fixture (`name.yaml` for a file fixture).
    var texts: [String: MarkedRuleText] = [:]
    var knownIssue: String?
    /// The diagnostics found (errors and warnings), each with its file relative to the fixture.
    var found: [(file: String?, diagnostic: Diagnostic)] = []
    var problems: [String] = []

    init(name: String, folder: String) throws {
        self.name = name
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("RuleFixtures-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let source = folder + "/" + name
        let target = temporary + "/" + name
        var relatives: [String] = []
        if isDirectory(source) {
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
            let marked = MarkedRuleText(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: from))))
            try FileManager.default.createDirectory(
                atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(marked.stripped).write(to: URL(fileURLWithPath: to))
            texts[relative.isEmpty ? name : relative] = marked
        }
        let headers = texts.values.flatMap(\.headers)
        knownIssue = headers.first { $0.kind == "known-issue" }?.value
        var limits = Limits.default
        for header in headers where header.kind == "limits" {
            for setting in header.value.split(separator: ",") {
                let parts = setting.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let value = Int(parts[1]), Self.set(&limits, parts[0], value) else {
                    problems.append("\(name): cannot read the limit '\(setting)'")
                    continue
                }
            }
        }
        var diagnostics: [Diagnostic] = []
        do {
            let graph: RuleGraph
            if isDirectory(source) {
                graph = try RuleSetLoader.load(path: target, limits: limits)
            } else {
                graph = try RuleSetLoader.load(files: [target], context: repositoryRoot + "/Rules", limits: limits)
            }
            diagnostics = graph.diagnostics
        } catch let error as DiagnosticsError {
            diagnostics = error.diagnostics
        }
        let prefix = isDirectory(source) ? target + "/" : nil
        for diagnostic in diagnostics where diagnostic.severity != .note {
            var file = diagnostic.range?.file
            if let path = file {
                if path == target {
                    file = name
                } else if let prefix, path.hasPrefix(prefix) {
                    file = String(path.dropFirst(prefix.count))
                }
            }
            found.append((file, diagnostic))
        }
    }

    static func set(_ limits: inout Limits, _ key: String, _ value: Int) -> Bool {
        switch key {
        case "maxRuleFileBytes": limits.maxRuleFileBytes = value
        case "maxRuleNesting": limits.maxRuleNesting = value
        case "maxScalarLength": limits.maxScalarLength = value
        case "maxKeyLength": limits.maxKeyLength = value
        case "maxExpressionLength": limits.maxExpressionLength = value
        case "maxExpressionDepth": limits.maxExpressionDepth = value
        case "maxExpressionNodes": limits.maxExpressionNodes = value
        case "maxGraphDepth": limits.maxGraphDepth = value
        case "maxDiagnostics": limits.maxDiagnostics = value
        default: return false
        }
        return true
    }

    /// A diagnostic in words, for failure messages.
    static func describe(_ file: String?, _ d: Diagnostic) -> String {
        let place = d.range.map { "\(file ?? $0.file):\($0.start.line):\($0.start.column)" } ?? "(no place)"
        return "\(place) \(d.id) \(d.message)"
    }

    /// Records an issue for each difference between the markers and the diagnostics found.
    func compare() {
        for problem in problems { Issue.record(Comment(rawValue: problem)) }
        var remaining = found
        var expectedAt: [(file: String, id: String, marker: Int, location: CriteriaEngine.SourceLocation)] = []
        for (file, text) in texts.sorted(by: { $0.key < $1.key }) {
            for header in text.headers where header.kind == "expect" {
                guard let marker = header.marker else {
                    if let index = remaining.firstIndex(where: { $0.diagnostic.id.rawValue == header.value }) {
                        remaining.remove(at: index)
                    } else {
                        Issue.record("\(name): expected \(header.value) (anywhere), but it was not reported")
                    }
                    continue
                }
                guard let location = text.markers[marker] else {
                    Issue.record("\(file): '# expect \(marker)️⃣' has no marker \(marker)️⃣ in the text")
                    continue
                }
                expectedAt.append((file, header.value, marker, location))
            }
            let used = Set(text.headers.compactMap(\.marker))
            for marker in text.markers.keys.sorted() where !used.contains(marker) {
                Issue.record("\(file): marker \(marker)️⃣ has no '# expect' line")
            }
        }
        var matched: [Int: [Diagnostic]] = [:]  // by index into expectedAt
        for (index, expected) in expectedAt.enumerated() {
            if let at = remaining.firstIndex(where: {
                $0.file == expected.file && $0.diagnostic.id.rawValue == expected.id
                    && $0.diagnostic.range?.start == expected.location
            }) {
                matched[index, default: []].append(remaining[at].diagnostic)
                remaining.remove(at: at)
            } else {
                let near = remaining.filter { $0.diagnostic.id.rawValue == expected.id }
                    .map { Self.describe($0.file, $0.diagnostic) }
                Issue.record(
                    """
                    \(expected.file):\(expected.location.line):\(expected.location.column): expected \(expected.id) \
                    at marker \(expected.marker)️⃣\(near.isEmpty ? "" : "; found it at " + near.joined(separator: "; "))
                    """)
            }
        }
        for extra in remaining {
            Issue.record("\(name): unexpected \(Self.describe(extra.file, extra.diagnostic))")
        }
        // Text checks on the diagnostics at each marker.
        for (file, text) in texts {
            for header in text.headers where ["message", "hint", "note"].contains(header.kind) {
                guard let marker = header.marker else { continue }
                let diagnostics = expectedAt.indices.filter { expectedAt[$0].file == file && expectedAt[$0].marker == marker }
                    .flatMap { matched[$0] ?? [] }
                guard !diagnostics.isEmpty else { continue }  // already reported as missing
                let candidates: [String]
                switch header.kind {
                case "message": candidates = diagnostics.map(\.message)
                case "hint": candidates = diagnostics.compactMap(\.hint)
                default: candidates = diagnostics.flatMap { $0.notes.map(\.message) }
                }
                if !candidates.contains(where: { $0.contains(header.value) }) {
                    Issue.record(
                        "\(file) marker \(marker)️⃣: no \(header.kind) contains \"\(header.value)\"; found: \(candidates.map { "\"\($0)\"" }.joined(separator: ", "))")
                }
            }
        }
    }
}

/// Whether a path names a folder.
private func isDirectory(_ path: String) -> Bool {
    var flag: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
}
