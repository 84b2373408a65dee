import CriteriaEngine
import Foundation
import Testing

/// A test fixture whose text marks, with the keycap emoji 1️⃣ … 9️⃣, the exact places where
/// diagnostics are expected, and says which diagnostics in comment lines at the top. The one harness
/// of the project: the YAML, rule and dataset fixtures all use it.
///
/// ```yaml
/// # expect 1️⃣: yaml.anchor
/// # expect 2️⃣ 3️⃣: yaml.alias
/// # message 2️⃣: are not allowed
/// base: 1️⃣&b {x: 1}
/// copy: 2️⃣*b
/// 3️⃣*b : 1
/// ```
///
/// Header lines (a comment whose content, after spaces, starts with one of these):
///
/// | line | meaning |
/// | --- | --- |
/// | `# expect 1️⃣: id` | one diagnostic `id` at marker 1️⃣; `# expect 1️⃣ 2️⃣: id` one at each; repeat the line for more |
/// | `# expect: id` | a diagnostic `id` without a place in the fixture (no range, or a range in no file of it) |
/// | `# message 1️⃣: text` | a diagnostic at marker 1️⃣ has `text` in its message |
/// | `# hint 1️⃣: text` | … in its hint |
/// | `# note 1️⃣: text` | … in one of its notes |
/// | `# limits: maxExpressionLength=40, maxDiagnostics=2` | limits other than the defaults (`limits(from:)`) |
/// | `# known-issue: why` | the fixture shows a known bug: its mismatches are expected (`knownIssue`) |
///
/// In formats without comments (JSON, CSV), the header lines, and any other `#` lines at the top (a
/// description), are removed before reading and not counted as lines (`headersAreComments: false`).
///
/// - The fixture is read as **bytes**, so it may hold invalid UTF-8 on purpose. Every marker is removed
///   (from header lines too) before anything reads it; what the pipeline sees is `bytes` (and `text`).
///   A marker stands *before* the character the diagnostic points at, so it may open a line (column
///   1) or close one (the position just after the last character). Markers on header lines are never
///   positions.
/// - Positions are 1-based lines (split at `\n`, `\r\n` or `\r`) and columns counted in Unicode scalars
///   (for invalid UTF-8: one per byte that does not continue a sequence), the unit of
///   `CriteriaEngine.SourceLocation`. A byte-order mark at the very start stays in the bytes but takes
///   no column, as every reader of the project drops it.
///
/// The harness does not know which pipeline produced the diagnostics: the test runs whatever it
/// checks (YAML reading, rule checking, dataset reading, …) on `bytes` and hands the result to
/// `expectDiagnostics(_:sourceLocation:)`, which compares the multiset of (id, line, column) and then
/// the message, hint and note texts.
struct MarkedFixture: Sendable, CustomTestStringConvertible {
    /// One expected diagnostic: its id and, unless it has no place, its position.
    struct Expected: Hashable, Sendable, Comparable {
        var id: String
        var line: Int?
        var column: Int?
        /// The marker it was written at, for messages.
        var marker: Int?

        static func < (a: Expected, b: Expected) -> Bool {
            (a.line ?? 0, a.column ?? 0, a.id) < (b.line ?? 0, b.column ?? 0, b.id)
        }
    }

    /// A text that a diagnostic at a marker must contain.
    struct TextCheck: Hashable, Sendable {
        /// Which part: `message`, `hint` or `note`.
        var kind: String
        var marker: Int
        var text: String
    }

    /// A fixture that cannot be used as written.
    struct FormatError: Error, CustomStringConvertible {
        var fixture: String
        var problem: String
        var description: String { "fixture \(fixture): \(problem)" }
    }

    /// The header kinds, in the order of the table above.
    static let headerKinds = ["expect", "message", "hint", "note", "limits", "known-issue"]

    /// The fixture's name (the path under `Fixtures/`, or a name given in code).
    let name: String
    /// The bytes without any marker: what the pipeline under test reads.
    let bytes: [UInt8]
    /// Where each marker (1…9) stood in `bytes`.
    let markers: [Int: CriteriaEngine.SourceLocation]
    /// The expected diagnostics, sorted by position.
    let expected: [Expected]
    /// The texts expected in the diagnostics at markers.
    let textChecks: [TextCheck]
    /// The `# limits:` settings, in order.
    let limitSettings: [(name: String, value: Int)]
    /// Why the fixture is expected to fail, from `# known-issue:`.
    let knownIssue: String?

    /// The bytes as text (invalid UTF-8 repaired, for fixtures that are not about it).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The fixture's name, as Swift Testing shows a parameterised case.
    var testDescription: String { name }

    /// `text` as a source file named after the fixture.
    var sourceFile: SourceFile { SourceFile(path: name, text: text) }

    /// Parses a marked text.
    init(name: String, marked: String) throws {
        try self.init(name: name, bytes: Array(marked.utf8))
    }

    /// Parses marked bytes.
    ///
    /// - Parameter headersAreComments: whether header lines stay in `bytes` (as YAML comments); for
    ///   formats without comments (JSON, CSV) they are removed, and lines are counted without them.
    /// - Throws: `FormatError` when a marker is used twice, a position marker has no `# expect` line, a
    ///   header names a marker that is not in the text, or a header line is malformed.
    init(name: String, bytes input: [UInt8], headersAreComments: Bool = true) throws {
        self.name = name
        var output: [UInt8] = []
        var markers: [Int: CriteriaEngine.SourceLocation] = [:]
        var expectations: [(id: String, marker: Int?)] = []
        var checks: [TextCheck] = []
        var settings: [(String, Int)] = []
        var knownIssue: String?
        var line = 0
        for rawLine in MarkedFixture.lines(of: input) {
            line += 1
            let startsWithBOM = output.isEmpty && rawLine.content.starts(with: [0xEF, 0xBB, 0xBF])
            let (content, found) = MarkedFixture.stripMarkers(rawLine.content, skipping: startsWithBOM ? 3 : 0)
            let isComment = content.drop { $0 == 0x20 || $0 == 0x09 }.first == UInt8(ascii: "#")
            let isHeader = try MarkedFixture.header(content, markers: found.map(\.marker), line: line, fixture: name) != nil
            if !headersAreComments && isComment && output.isEmpty && found.isEmpty && !isHeader {
                // A description at the top of a file in a format without comments.
                line -= 1
                continue
            }
            if let header = try MarkedFixture.header(content, markers: found.map(\.marker), line: line, fixture: name) {
                switch header.kind {
                case "expect":
                    if found.isEmpty {
                        expectations.append((header.value, nil))
                    } else {
                        expectations.append(contentsOf: found.map { (header.value, $0.marker) })
                    }
                case "message", "hint", "note":
                    guard !found.isEmpty else {
                        throw FormatError(fixture: name, problem: "line \(line): '# \(header.kind)' needs a marker")
                    }
                    checks.append(contentsOf: found.map { TextCheck(kind: header.kind, marker: $0.marker, text: header.value) })
                case "limits":
                    for setting in header.value.split(separator: ",") {
                        let parts = setting.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                        guard parts.count == 2, let value = Int(parts[1]), MarkedFixture.limitNames.contains(parts[0]) else {
                            throw FormatError(fixture: name, problem: "line \(line): cannot read the limit '\(setting)'")
                        }
                        settings.append((parts[0], value))
                    }
                default:
                    knownIssue = header.value
                }
                if !headersAreComments {
                    line -= 1
                    continue
                }
            } else {
                for (marker, column) in found {
                    guard markers[marker] == nil else {
                        throw FormatError(fixture: name, problem: "marker \(MarkedFixture.glyph(marker)) is used twice")
                    }
                    markers[marker] = CriteriaEngine.SourceLocation(line: line, column: column)
                }
            }
            output += content + rawLine.ending
        }
        for marker in markers.keys.sorted() where !expectations.contains(where: { $0.marker == marker }) {
            throw FormatError(fixture: name, problem: "marker \(MarkedFixture.glyph(marker)) has no '# expect' line")
        }
        for check in checks where markers[check.marker] == nil {
            throw FormatError(fixture: name, problem: "'# \(check.kind)' names \(MarkedFixture.glyph(check.marker)), which is not in the text")
        }
        self.expected = try expectations.map { id, marker in
            guard let marker else { return Expected(id: id, line: nil, column: nil, marker: nil) }
            guard let location = markers[marker] else {
                throw FormatError(fixture: name, problem: "'# expect' names \(MarkedFixture.glyph(marker)), which is not in the text")
            }
            return Expected(id: id, line: location.line, column: location.column, marker: marker)
        }.sorted()
        self.markers = markers
        self.textChecks = checks
        self.limitSettings = settings
        self.knownIssue = knownIssue
        self.bytes = output
    }

    /// Loads every fixture with an extension in a folder of the test bundle's `Fixtures`, sorted by name.
    ///
    /// - Parameters:
    ///   - folder: a path under `Fixtures/`, such as `"yaml"` or `"data/csv"`.
    ///   - headersAreComments: `false` for formats without comments (see `init(name:bytes:headersAreComments:)`).
    static func load(folder: String, extension ext: String = "yaml", headersAreComments: Bool = true) throws -> [MarkedFixture] {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw FormatError(fixture: folder, problem: "the test bundle has no Fixtures folder")
        }
        let directory = root.appendingPathComponent(folder, isDirectory: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix("." + ext) }
            .sorted()
        guard !names.isEmpty else {
            throw FormatError(fixture: folder, problem: "no .\(ext) fixtures in Fixtures/\(folder)")
        }
        return try names.map { fileName in
            try MarkedFixture(
                path: directory.appendingPathComponent(fileName).path, name: folder + "/" + fileName,
                headersAreComments: headersAreComments)
        }
    }

    /// Reads a fixture file.
    init(path: String, name: String, headersAreComments: Bool = true) throws {
        try self.init(
            name: name, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), headersAreComments: headersAreComments)
    }

    // MARK: - Limits

    /// The names `# limits:` accepts: the fields of `Limits`.
    static let limitNames: Set<String> = Set(Mirror(reflecting: Limits.default).children.compactMap(\.label))

    /// `base` with the `# limits:` settings of this fixture (and `others`, such as the other files of
    /// a folder fixture) applied.
    func limits(from base: Limits = .default, with others: [MarkedFixture] = []) -> Limits {
        var limits = base
        for (name, value) in ([self] + others).flatMap(\.limitSettings) {
            switch name {
            case "maxRuleFileBytes": limits.maxRuleFileBytes = value
            case "maxYAMLDataBytes": limits.maxYAMLDataBytes = value
            case "maxDataBytes": limits.maxDataBytes = value
            case "maxRuleNesting": limits.maxRuleNesting = value
            case "maxDataNesting": limits.maxDataNesting = value
            case "maxScalarLength": limits.maxScalarLength = value
            case "maxKeyLength": limits.maxKeyLength = value
            case "maxExpressionLength": limits.maxExpressionLength = value
            case "maxExpressionDepth": limits.maxExpressionDepth = value
            case "maxExpressionNodes": limits.maxExpressionNodes = value
            case "maxEvaluationSteps": limits.maxEvaluationSteps = value
            case "maxGraphDepth": limits.maxGraphDepth = value
            case "maxDiagnostics": limits.maxDiagnostics = value
            default: Issue.record("fixture \(self.name): '\(name)' is not a field of Limits")
            }
        }
        return limits
    }

    // MARK: - Comparing

    /// Checks that `diagnostics` are exactly the expected ones, compared as a multiset of
    /// (id, line, column), and that the diagnostics at each marker have the texts of its `# message`,
    /// `# hint` and `# note` lines; records one readable issue listing what differs.
    ///
    /// Give only the diagnostics about this fixture's text; one with no place here (another file, or
    /// none) is matched by `# expect: id` — pass it with its range set to `nil`.
    func expectDiagnostics(_ diagnostics: [Diagnostic], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        var missing = expected
        var unexpected: [Diagnostic] = []
        for diagnostic in diagnostics {
            let position = diagnostic.range.map { ($0.start.line, $0.start.column) }
            if let index = missing.firstIndex(where: {
                $0.id == diagnostic.id.rawValue && $0.line == position?.0 && $0.column == position?.1
            }) {
                missing.remove(at: index)
            } else {
                unexpected.append(diagnostic)
            }
        }
        var report: [String] = []
        if !missing.isEmpty || !unexpected.isEmpty {
            report.append("diagnostics of \(name) differ from its markers")
            for item in missing { report.append("  missing:    " + describe(item, snippet: true)) }
            for item in unexpected { report.append("  unexpected: " + describe(item, snippet: true)) }
            report.append("expected:")
            report.append(contentsOf: expected.isEmpty ? ["  (none)"] : expected.map { "  " + describe($0, snippet: false) })
            report.append("actual:")
            report.append(
                contentsOf: diagnostics.isEmpty ? ["  (none)"] : diagnostics.map { "  " + describe($0, snippet: false) })
        }
        for check in textChecks {
            guard let location = markers[check.marker] else { continue }
            let here = diagnostics.filter { $0.range?.start == location }
            guard !here.isEmpty else { continue }  // already reported as missing
            let candidates: [String]
            switch check.kind {
            case "message": candidates = here.map(\.message)
            case "hint": candidates = here.compactMap(\.hint)
            default: candidates = here.flatMap { $0.notes.map(\.message) }
            }
            if !candidates.contains(where: { $0.contains(check.text) }) {
                report.append(
                    "\(name) marker \(MarkedFixture.glyph(check.marker)): no \(check.kind) contains \"\(check.text)\"; found: "
                        + (candidates.isEmpty ? "none" : candidates.map { "\"\($0)\"" }.joined(separator: ", ")))
            }
        }
        guard !report.isEmpty else { return }
        Issue.record(Comment(rawValue: report.joined(separator: "\n")), sourceLocation: sourceLocation)
    }

    /// Checks diagnostics carried by an error: a `DiagnosticsError`'s list, or an issue for any other
    /// error. `nil` (nothing thrown) means no diagnostics.
    func expectDiagnostics(thrown error: (any Error)?, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        switch error {
        case nil:
            expectDiagnostics([], sourceLocation: sourceLocation)
        case let error as DiagnosticsError:
            expectDiagnostics(error.diagnostics, sourceLocation: sourceLocation)
        case let error?:
            Issue.record(error, "\(name): expected diagnostics, got another error", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Messages

    private func describe(_ item: Expected, snippet withSnippet: Bool) -> String {
        let place = item.line.map { "\($0):\(item.column ?? 0)" } ?? "-"
        let marker = item.marker.map { " (\(MarkedFixture.glyph($0)))" } ?? ""
        return "\(place) \(item.id)\(marker)" + (withSnippet ? snippet(line: item.line, column: item.column) : "")
    }

    private func describe(_ diagnostic: Diagnostic, snippet withSnippet: Bool) -> String {
        let place = diagnostic.range.map { "\($0.start.line):\($0.start.column)" } ?? "-"
        let start = diagnostic.range?.start
        return "\(place) \(diagnostic.id) — \(diagnostic.message)"
            + (withSnippet ? snippet(line: start?.line, column: start?.column) : "")
    }

    /// The source line and a caret under the column, indented under the entry.
    private func snippet(line: Int?, column: Int?) -> String {
        guard let line, let column, let text = SourceFile(path: name, text: text).line(line) else { return "" }
        let shown = String(text.unicodeScalars.prefix(120))
        let caret = String(repeating: " ", count: max(0, min(column - 1, 120))) + "^"
        return "\n      | \(shown)\n      | \(caret)"
    }

    // MARK: - Parsing

    static func glyph(_ marker: Int) -> String { "\(marker)\u{FE0F}\u{20E3}" }

    /// A header line: its kind and value (markers are already stripped), or `nil` for any other line.
    private static func header(_ content: [UInt8], markers: [Int], line: Int, fixture: String) throws
        -> (kind: String, value: String)?
    {
        let text = String(decoding: content, as: UTF8.self)
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("#") else { return nil }
        let afterHash = trimmed.dropFirst().drop { $0 == " " }
        guard let kind = headerKinds.first(where: { kind in
            afterHash.hasPrefix(kind) && [" ", ":"].contains(afterHash.dropFirst(kind.count).first.map(String.init) ?? "")
        })
        else { return nil }
        let spec = afterHash.dropFirst(kind.count)
        guard let colon = spec.firstIndex(of: ":"), spec[..<colon].allSatisfy({ $0 == " " || $0 == "\t" }) else {
            throw FormatError(fixture: fixture, problem: "line \(line): expected '# \(kind) 1️⃣: …', found '\(trimmed)'")
        }
        let value = spec[spec.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else {
            throw FormatError(fixture: fixture, problem: "line \(line): '# \(kind)' has nothing after ':'")
        }
        if (kind == "limits" || kind == "known-issue") && !markers.isEmpty {
            throw FormatError(fixture: fixture, problem: "line \(line): '# \(kind)' takes no marker")
        }
        return (kind, value)
    }

    /// The lines of bytes with their line ends (`\n`, `\r\n`, `\r` or none for the last).
    private static func lines(of bytes: [UInt8]) -> [(content: [UInt8], ending: [UInt8])] {
        var result: [([UInt8], [UInt8])] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                result.append((current, [0x0A]))
                current = []
            } else if byte == 0x0D {
                if index + 1 < bytes.count && bytes[index + 1] == 0x0A {
                    result.append((current, [0x0D, 0x0A]))
                    index += 1
                } else {
                    result.append((current, [0x0D]))
                }
                current = []
            } else {
                current.append(byte)
            }
            index += 1
        }
        result.append((current, []))
        return result
    }

    /// The line without its markers, and each marker with the 1-based column it stood at, counted in
    /// Unicode scalars of the stripped line (one per byte that does not continue a UTF-8 sequence),
    /// not counting the first `skipping` bytes. A marker is a digit 1–9, an optional U+FE0F and U+20E3.
    private static func stripMarkers(_ line: [UInt8], skipping: Int) -> ([UInt8], [(marker: Int, column: Int)]) {
        let variation: [UInt8] = [0xEF, 0xB8, 0x8F]
        let keycap: [UInt8] = [0xE2, 0x83, 0xA3]
        var kept: [UInt8] = []
        var found: [(Int, Int)] = []
        var column = 1
        var index = 0
        while index < line.count {
            let byte = line[index]
            if (0x31...0x39).contains(byte) {
                var next = index + 1
                if line.count >= next + 3 && Array(line[next..<next + 3]) == variation { next += 3 }
                if line.count >= next + 3 && Array(line[next..<next + 3]) == keycap {
                    found.append((Int(byte - 0x30), column))
                    index = next + 3
                    continue
                }
            }
            if index >= skipping && !(0x80...0xBF).contains(byte) { column += 1 }
            kept.append(byte)
            index += 1
        }
        return (kept, found)
    }
}
