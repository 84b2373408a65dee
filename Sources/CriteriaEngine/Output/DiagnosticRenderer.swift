/// Renders diagnostics as text in the swift-syntax style, or as the versioned JSON model.
///
/// ```
/// Rules/xa-ntm/19.2.yaml:14:18: error: unknown input 'social_order_crime'; did you mean 'social_order_crimes'? [rules.unknown-input]
///    14 |     check: social_order_crime <= last_year(social_order_crimes)
///       |            ^~~~~~~~~~~~~~~~~~
///       = hint: …
/// ```
public struct DiagnosticRenderer: Sendable {
    /// Whether to colour severities with ANSI escapes (only on a terminal).
    public var color: Bool
    /// Gives the text of a 1-based line of a file, for the source snippet; `nil` hides the snippet.
    public var line: @Sendable (String, Int) -> String?

    /// Creates a renderer.
    public init(color: Bool = false, line: @escaping @Sendable (String, Int) -> String? = { _, _ in nil }) {
        self.color = color
        self.line = line
    }

    /// The diagnostics as text, one block each, separated by blank lines.
    public func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func label(_ severity: Severity) -> String {
        switch severity {
        case .error: paint("error", "1;31")
        case .warning: paint("warning", "1;33")
        case .note: paint("note", "1;36")
        }
    }

    private func location(_ range: SourceRange?) -> String {
        guard let range else { return "" }
        return "\(range.file):\(range.start.line):\(range.start.column): "
    }

    /// Diagnostics about a path that must not be read: never a snippet of it (a link outside the rules
    /// folder could otherwise print `/proc/self/environ`).
    static let withoutSnippet: Set<DiagnosticID> = ["source.link-outside", "source.broken-link", "source.not-a-file", "source.unreadable-folder", "data.converted-encoding", "data.unknown-encoding"]

    private func render(_ d: Diagnostic) -> String {
        var out = "\(location(d.range))\(label(d.severity)): \(d.message) [\(d.id)]\n"
        if let range = d.range, !Self.withoutSnippet.contains(d.id) { out += snippet(range) }
        if let hint = d.hint { out += "      = hint: \(hint)\n" }
        for note in d.notes {
            out += "\(location(note.range))\(paint("note", "1;36")): \(note.message)\n"
            if let range = note.range { out += snippet(range) }
        }
        return out
    }

    private func snippet(_ range: SourceRange) -> String {
        guard let text = line(range.file, range.start.line) else { return "" }
        let number = String(range.start.line)
        let gutter = String(repeating: " ", count: max(0, 5 - number.count)) + number + " | "
        let blank = String(repeating: " ", count: 6) + "| "
        let lineScalars = Array(text.unicodeScalars)
        let prefix = lineScalars.prefix(max(0, range.start.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        var width = 1
        if let end = range.end, end.line == range.start.line { width = max(1, end.column - range.start.column) }
        let caret = "^" + String(repeating: "~", count: max(0, min(width, lineScalars.count - range.start.column + 1) - 1))
        return gutter + text + "\n" + blank + prefix + paint(caret, "1;32") + "\n"
    }
}
