import CriteriaEngine
import Foundation
import Testing

/// A test fixture whose text marks, with the keycap emoji 1️⃣ … 9️⃣, the exact places where
/// diagnostics are expected, and says which diagnostics in `# expect` comment lines.
///
/// ```yaml
/// # expect 1️⃣: yaml.anchor
/// # expect 2️⃣ 3️⃣: yaml.alias
/// base: 1️⃣&b {x: 1}
/// copy: 2️⃣*b
/// 3️⃣*b : 1
/// ```
///
/// - Every marker is removed from the whole text before anything reads it; what the pipeline sees
///   is `text`. A marker stands *before* the character the diagnostic points at, so it may open a
///   line (column 1) or close one (the position just after the last character).
/// - A line whose content starts with `# expect` (after its markers are removed) stays in `text` as
///   an ordinary YAML comment. `# expect 1️⃣: id` expects one diagnostic `id` at marker 1️⃣; several
///   markers (`# expect 1️⃣ 2️⃣: id`) expect one `id` at each; several lines may name the same marker;
///   `# expect: id` expects a diagnostic without a place. Markers on `# expect` lines are never
///   positions.
/// - Positions are 1-based lines and columns counted in Unicode scalars in `text`, the unit of
///   `CriteriaEngine.SourceLocation`. A byte-order mark at the very start stays in `text` but takes
///   no column, as every reader of the project drops it.
///
/// The harness does not know which pipeline produced the diagnostics: the test runs whatever it
/// checks (YAML reading, rule checking, …) on `text` and hands the result to
/// `expectDiagnostics(_:sourceLocation:)`, which compares the multiset of (id, line, column).
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

    /// A fixture that cannot be used as written.
    struct FormatError: Error, CustomStringConvertible {
        var fixture: String
        var problem: String
        var description: String { "fixture \(fixture): \(problem)" }
    }

    /// The fixture's name (the path under `Fixtures/`, or a name given in code).
    let name: String
    /// The text without any marker: what the pipeline under test reads.
    let text: String
    /// Where each marker (1…9) stood in `text`.
    let markers: [Int: CriteriaEngine.SourceLocation]
    /// The expected diagnostics, sorted by position.
    let expected: [Expected]

    /// The fixture's name, as Swift Testing shows a parameterised case.
    var testDescription: String { name }

    /// `text` as a source file named after the fixture.
    var sourceFile: SourceFile { SourceFile(path: name, text: text) }

    /// Parses a marked text.
    ///
    /// - Throws: `FormatError` when a marker is used twice, a position marker has no `# expect`
    ///   line, or an `# expect` line names a marker that is not in the text.
    init(name: String, marked: String) throws {
        self.name = name
        var output = String.UnicodeScalarView()
        var markers: [Int: CriteriaEngine.SourceLocation] = [:]
        var expected: [(id: String, marker: Int?)] = []
        for (lineIndex, rawLine) in MarkedFixture.lines(of: marked).enumerated() {
            var (content, found) = MarkedFixture.stripMarkers(rawLine.content)
            if lineIndex == 0 && content.unicodeScalars.first == "\u{FEFF}" {
                found = found.map { ($0.marker, max(1, $0.column - 1)) }
            }
            let line = lineIndex + 1
            let trimmed = content.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("# expect ") || trimmed.hasPrefix("# expect:") {
                let spec = trimmed.dropFirst("# expect".count)
                guard let colon = spec.firstIndex(of: ":") else {
                    throw FormatError(fixture: name, problem: "line \(line): '# expect' needs ': id'")
                }
                let id = spec[spec.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                let named = found.map(\.marker)
                guard !id.isEmpty, spec[..<colon].allSatisfy({ $0 == " " || $0 == "\t" }) else {
                    throw FormatError(fixture: name, problem: "line \(line): expected '# expect 1️⃣: id', found '\(trimmed)'")
                }
                if named.isEmpty {
                    expected.append((id, nil))
                } else {
                    expected.append(contentsOf: named.map { (id, $0) })
                }
            } else {
                for (marker, column) in found {
                    guard markers[marker] == nil else {
                        throw FormatError(fixture: name, problem: "marker \(MarkedFixture.glyph(marker)) is used twice")
                    }
                    markers[marker] = CriteriaEngine.SourceLocation(line: line, column: column)
                }
            }
            output.append(contentsOf: content.unicodeScalars)
            output.append(contentsOf: rawLine.ending.unicodeScalars)
        }
        for marker in markers.keys.sorted() where !expected.contains(where: { $0.marker == marker }) {
            throw FormatError(fixture: name, problem: "marker \(MarkedFixture.glyph(marker)) has no '# expect' line")
        }
        self.expected = try expected.map { id, marker in
            guard let marker else { return Expected(id: id, line: nil, column: nil, marker: nil) }
            guard let location = markers[marker] else {
                throw FormatError(fixture: name, problem: "'# expect' names \(MarkedFixture.glyph(marker)), which is not in the text")
            }
            return Expected(id: id, line: location.line, column: location.column, marker: marker)
        }.sorted()
        self.markers = markers
        self.text = String(output)
    }

    /// Loads every `*.yaml` fixture in a folder of the test bundle's `Fixtures`, sorted by name.
    ///
    /// - Parameter folder: a path under `Fixtures/`, such as `"yaml"` or `"rules/broken"`.
    static func load(folder: String, extension ext: String = "yaml") throws -> [MarkedFixture] {
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
            let data = try Data(contentsOf: directory.appendingPathComponent(fileName))
            guard let marked = String(data: data, encoding: .utf8) else {
                throw FormatError(fixture: fileName, problem: "not UTF-8")
            }
            return try MarkedFixture(name: folder + "/" + fileName, marked: marked)
        }
    }

    /// Checks that `diagnostics` are exactly the expected ones, compared as a multiset of
    /// (id, line, column); records one readable issue listing what is missing and what is unexpected.
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
        guard !missing.isEmpty || !unexpected.isEmpty else { return }
        var report = ["diagnostics of \(name) differ from its markers"]
        for item in missing { report.append("  missing:    " + describe(item, snippet: true)) }
        for item in unexpected { report.append("  unexpected: " + describe(item, snippet: true)) }
        report.append("expected:")
        report.append(contentsOf: expected.isEmpty ? ["  (none)"] : expected.map { "  " + describe($0, snippet: false) })
        report.append("actual:")
        report.append(
            contentsOf: diagnostics.isEmpty ? ["  (none)"] : diagnostics.map { "  " + describe($0, snippet: false) })
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

    private static func glyph(_ marker: Int) -> String { "\(marker)\u{FE0F}\u{20E3}" }

    /// The lines of a text with their line ends (`\n`, `\r\n`, `\r` or none for the last).
    private static func lines(of text: String) -> [(content: String, ending: String)] {
        var result: [(String, String)] = []
        var current = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if scalar == "\n" {
                result.append((String(current), "\n"))
                current = String.UnicodeScalarView()
            } else if scalar == "\r" {
                if pending == "\n" {
                    pending = scalars.next()
                    result.append((String(current), "\r\n"))
                } else {
                    result.append((String(current), "\r"))
                }
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        result.append((String(current), ""))
        return result
    }

    /// The line without its markers, and each marker with the 1-based column (in Unicode scalars of
    /// the stripped line) it stood at. A marker is a digit 1–9, an optional U+FE0F and U+20E3.
    private static func stripMarkers(_ line: String) -> (String, [(marker: Int, column: Int)]) {
        let scalars = Array(line.unicodeScalars)
        var kept = String.UnicodeScalarView()
        var found: [(Int, Int)] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if ("1"..."9").contains(scalar) {
                var next = index + 1
                if next < scalars.count && scalars[next] == "\u{FE0F}" { next += 1 }
                if next < scalars.count && scalars[next] == "\u{20E3}" {
                    found.append((Int(scalar.value) - 0x30, kept.count + 1))
                    index = next + 1
                    continue
                }
            }
            kept.append(scalar)
            index += 1
        }
        return (String(kept), found)
    }

}
