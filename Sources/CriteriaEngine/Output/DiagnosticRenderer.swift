/// Renders diagnostics as text in the swift-syntax style, or as the versioned JSON model.
///
/// ```
/// Rules/xa-ntm/19.2.yaml:14:18: error: unknown input 'social_order_crime'; did you mean 'social_order_crimes'? [rules.unknown-input]
///    14 |     check: social_order_crime <= last_year(social_order_crimes)
///       |            ^~~~~~~~~~~~~~~~~~
///       = hint: …
/// ```
///
/// Everything drawn from the input (paths, messages that quote it, the source line) is shown through
/// `DisplayText`, so a control character in a file never reaches the terminal raw. A snippet shows at
/// most `DisplayText.snippetWidth` characters of its line, around the column, with `…` where the line
/// is cut; a line is shown once per diagnostic, and past `foldAfter` errors or warnings of one kind the
/// rest are counted on one line ("… và 67 lỗi khác cùng loại [yaml.alias]").
package struct DiagnosticRenderer: Sendable {
    /// Whether to colour severities with ANSI escapes (only on a terminal).
    package var color: Bool
    /// Gives the part of a source line to show for a range (at least the characters around its start
    /// column), or `nil` to hide the snippet.
    package var excerpt: @Sendable (SourceRange) -> DisplayText.LinePart?
    /// The language of the words the renderer adds (the folding line).
    package var language: Language
    /// How many errors or warnings of one kind are shown before the rest are only counted.
    package var foldAfter: Int

    /// The number of diagnostics of one kind shown in full by default.
    package static let defaultFoldAfter = 5

    /// Creates a renderer whose snippets come from whole lines: `line` gives the text of a 1-based
    /// line of a file (`nil` hides the snippet).
    package init(
        color: Bool = false, language: Language = .vi, foldAfter: Int = defaultFoldAfter,
        line: @escaping @Sendable (String, Int) -> String? = { _, _ in nil }
    ) {
        self.init(color: color, language: language, foldAfter: foldAfter) { range in
            line(range.file, range.start.line).map { DisplayText.LinePart(text: $0) }
        }
    }

    /// Creates a renderer whose snippets come from parts of lines (a reader that never holds a whole
    /// line of 200 MB).
    package init(
        color: Bool = false, language: Language = .vi, foldAfter: Int = defaultFoldAfter,
        excerpt: @escaping @Sendable (SourceRange) -> DisplayText.LinePart?
    ) {
        self.color = color
        self.language = language
        self.foldAfter = max(1, foldAfter)
        self.excerpt = excerpt
    }

    /// The diagnostics as text, one block each, separated by blank lines; past `foldAfter` errors or
    /// warnings of one kind, one line per kind counts the rest (notes are all shown).
    package func text(_ diagnostics: [Diagnostic]) -> String {
        var shown: [DiagnosticID: Int] = [:]
        var folded: [(id: DiagnosticID, severity: Severity, count: Int)] = []
        var blocks: [String] = []
        for d in diagnostics {
            let count = shown[d.id, default: 0]
            shown[d.id] = count + 1
            // Notes are never folded: `lint --strict` lists every provisional clause on purpose.
            if count < foldAfter || d.severity == .note {
                blocks.append(render(d))
            } else if let i = folded.firstIndex(where: { $0.id == d.id && $0.severity == d.severity }) {
                folded[i].count += 1
            } else {
                folded.append((d.id, d.severity, 1))
            }
        }
        var out = blocks.joined(separator: "\n")
        if !folded.isEmpty {
            out += "\n" + folded.map { foldLine(count: $0.count, severity: $0.severity, id: $0.id) + "\n" }.joined()
        }
        return out
    }

    private func foldLine(count: Int, severity: Severity, id: DiagnosticID) -> String {
        switch language {
        case .vi:
            let word = switch severity {
            case .error: "lỗi"
            case .warning: "cảnh báo"
            case .note: "ghi chú"
            }
            return "… và \(count) \(word) khác cùng loại [\(id)]"
        case .en:
            let word = switch severity {
            case .error: count == 1 ? "error" : "errors"
            case .warning: count == 1 ? "warning" : "warnings"
            case .note: count == 1 ? "note" : "notes"
            }
            return "… and \(count) more \(word) of the same kind [\(id)]"
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func label(_ severity: Severity) -> String {
        let word = Self.severityWord(severity, language)
        return switch severity {
        case .error: paint(word, "1;31")
        case .warning: paint(word, "1;33")
        case .note: paint(word, "1;36")
        }
    }

    /// The word for a severity: `lỗi`, `cảnh báo`, `ghi chú` in Vietnamese; `error`, `warning`, `note`
    /// in English (the words compilers use, which editors' problem matchers read).
    package static func severityWord(_ severity: Severity, _ language: Language) -> String {
        switch (severity, language) {
        case (.error, .vi): "lỗi"
        case (.warning, .vi): "cảnh báo"
        case (.note, .vi): "ghi chú"
        case (.error, .en): "error"
        case (.warning, .en): "warning"
        case (.note, .en): "note"
        }
    }

    /// The closing count line: `2 lỗi, 1 cảnh báo` / `2 errors, 1 warning` (errors always counted).
    package static func summary(_ diagnostics: [Diagnostic], language: Language) -> String {
        var parts: [String] = []
        for severity in [Severity.error, .warning, .note] {
            let count = diagnostics.filter { $0.severity == severity }.count
            guard count > 0 || severity == .error else { continue }
            let word = severityWord(severity, language)
            parts.append(language == .en && count != 1 ? "\(count) \(word)s" : "\(count) \(word)")
        }
        return parts.joined(separator: ", ") + "\n"
    }

    private func location(_ range: SourceRange?) -> String {
        guard let range else { return "" }
        return "\(DisplayText.line(range.place)): "
    }

    /// Diagnostics about a path that must not be read: never a snippet of it (a link outside the rules
    /// folder could otherwise print `/proc/self/environ`).
    static let withoutSnippet: Set<DiagnosticID> = ["source.link-outside", "source.broken-link", "source.not-a-file", "source.unreadable-folder", "data.converted-encoding", "data.unknown-encoding"]

    private func render(_ d: Diagnostic) -> String {
        var out = "\(location(d.range))\(label(d.severity)): \(DisplayText.line(d.message(in: language))) [\(DisplayText.line(d.id.rawValue))]\n"
        var echoed: Set<LineKey> = []
        if let range = d.range, !Self.withoutSnippet.contains(d.id) { out += snippet(range, echoed: &echoed) }
        if let hint = d.hint(in: language) { out += "      = \(language == .vi ? "gợi ý" : "hint"): \(DisplayText.line(hint))\n" }
        for note in d.notes {
            out += "\(location(note.range))\(paint(Self.severityWord(.note, language), "1;36")): \(DisplayText.line(note.text.text(in: language)))\n"
            if let range = note.range, !Self.withoutSnippet.contains(d.id) { out += snippet(range, echoed: &echoed) }
        }
        return out
    }

    /// A line of a file, to show each line once per diagnostic.
    private struct LineKey: Hashable {
        var file: String
        var line: Int
    }

    private func snippet(_ range: SourceRange, echoed: inout Set<LineKey>) -> String {
        // A cell of a workbook has no line of text to show.
        guard range.sheet == nil else { return "" }
        guard echoed.insert(LineKey(file: range.file, line: range.start.line)).inserted else { return "" }
        guard let part = excerpt(range) else { return "" }
        let number = String(range.start.line)
        let gutter = String(repeating: " ", count: max(0, 5 - number.count)) + number + " | "
        let blank = String(repeating: " ", count: 6) + "| "
        var width = 1
        if let end = range.end, end.line == range.start.line { width = max(1, end.column - range.start.column) }
        let shown = DisplayText.snippet(part, column: range.start.column, width: width)
        let caretAt = shown.caret.firstIndex(of: "^") ?? shown.caret.endIndex
        return gutter + shown.line + "\n" + blank + shown.caret[..<caretAt] + paint(String(shown.caret[caretAt...]), "1;32") + "\n"
    }
}
