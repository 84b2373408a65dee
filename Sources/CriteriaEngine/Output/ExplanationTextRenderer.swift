/// Renders explanation trees as indented text for a terminal: marks ✓ ✗ ? –, the sentence in one
/// language, the values read, the legal citation, and a provisional mark wherever one applies.
package struct ExplanationTextRenderer: Sendable {
    /// The language of sentences and labels.
    package var language: Language
    /// Whether to colour outcomes with ANSI escapes.
    package var color: Bool
    /// Whether to show the technical details: each condition's expression (`biểu thức: …`) and the
    /// name of each value read (`[safe_unit_share]`). An inspector's explanation leaves them out
    /// (`criteria explain` without `--technical`); rule-test snapshots and diffs keep them.
    package var technical: Bool

    /// Creates a renderer.
    package init(language: Language = .vi, color: Bool = false, technical: Bool = true) {
        self.language = language
        self.color = color
        self.technical = technical
    }

    /// The word that marks a provisional clause.
    package static func provisionalMark(_ language: Language) -> String {
        language == .vi ? "[tạm thời]" : "[provisional]"
    }

    private func paint(_ outcome: Outcome, _ text: String) -> String {
        guard color else { return text }
        return "\u{1B}[\(outcome.ansiColor)m\(text)\u{1B}[0m"
    }

    /// The tree of one explanation, each level indented by two spaces.
    package func render(_ explanation: Explanation) -> String {
        var out = ""
        write(explanation, depth: 0, into: &out)
        return out
    }

    /// Writes a node and its children; on the stack once per level of nested groups, so the lines of
    /// the node itself are written by `writeLines`.
    private func write(_ node: Explanation, depth: Int, into out: inout String) {
        writeLines(node, depth: depth, into: &out)
        for child in node.children { write(child, depth: depth + 1, into: &out) }
    }

    private func writeLines(_ node: Explanation, depth: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: depth)
        let provisional = node.source?.status == .provisional ? " " + Self.provisionalMark(language) : ""
        let head = depth == 0 ? node.id : (node.id.split(separator: "/").last.map(String.init) ?? node.id)
        // Every piece drawn from the rules or the data goes through `DisplayText`, one line each.
        let safe: (String) -> String = { DisplayText.line($0) }
        out += pad + paint(node.outcome, "\(node.outcome.mark) \(safe(head))") + " — " + safe(node.sentence.text(in: language)) + provisional + "\n"
        let inner = pad + "    "
        if technical, let expression = node.expression {
            out += inner + (language == .vi ? "biểu thức: " : "check: ") + safe(expression) + "\n"
        }
        for value in node.values {
            out += inner + safe(valueLine(value)) + "\n"
        }
        if let source = node.source, depth == 0 || node.kind == .check {
            var line = (language == .vi ? "căn cứ: " : "source: ") + source.reference
            if source.status == .provisional {
                line += " " + Self.provisionalMark(language) + (source.note(in: language).map { " — \($0)" } ?? "")
            }
            out += inner + safe(line) + "\n"
        }
        if node.kind == .check && node.outcome == .unknown {
            for item in node.missing {
                out += inner + (language == .vi ? "thiếu: " : "missing: ") + safe(item.message.text(in: language)) + "\n"
            }
        }
        if node.outcome == .fail, node.kind == .check, let requirement = node.requirement {
            out += inner + (language == .vi ? "để đạt: " : "to pass: ") + safe(requirement.text(in: language)) + "\n"
        }
    }

    private func valueLine(_ value: ObservedValue) -> String {
        let parts = Words.value(value, language)
        return technical ? "• \(parts.label) [\(value.name)]\(parts.rest)" : "• \(parts.label)\(parts.rest)"
    }

    /// One line saying why a verdict is not a pass: the failing or undecided clauses that mattered.
    package func reason(_ explanation: Explanation) -> String {
        switch explanation.outcome {
        case .pass: return ""
        case .notApplicable: return explanation.sentence.text(in: language)
        case .fail, .unknown:
            var leaves: [Explanation] = []
            var stack = [explanation.short]
            while let node = stack.popLast() {
                if node.children.isEmpty && node.kind == .check { leaves.append(node) } else { stack.append(contentsOf: node.children.reversed()) }
            }
            if leaves.isEmpty { return explanation.sentence.text(in: language) }
            return leaves.map { $0.sentence.text(in: language) }.joined(separator: " ")
        }
    }
}
