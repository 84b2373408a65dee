/// Renders a check as a terminal table: one section per level, one row per entity, the reason under
/// each fail or unknown, and a summary line.
public struct VerdictTextRenderer: Sendable {
    /// The language of sentences and headings.
    public var language: Language
    /// Whether to colour outcomes with ANSI escapes.
    public var color: Bool

    /// Creates a renderer.
    public init(language: Language = .vi, color: Bool = false) {
        self.language = language
        self.color = color
    }

    /// The table of a whole check.
    public func render(_ summary: VerdictSummary) -> String {
        let l = language
        let reasons = ExplanationTextRenderer(language: l, color: false)
        let synthetic = summary.synthetic ? " (\(Words.synthetic(l)))" : ""
        var out = l == .vi
            ? "Dữ liệu: \(summary.source)\(synthetic) — ngày đánh giá \(summary.asOf)\n"
            : "Dataset: \(summary.source)\(synthetic) — as of \(summary.asOf)\n"
        for section in summary.sections {
            let idWidth = max(2, section.rows.map(\.id.count).max() ?? 2)
            let nameWidth = min(28, max(4, section.rows.map(\.name.count).max() ?? 4))
            let widths = section.columns.map { max($0.id.count, 16) }
            out += "\n" + Words.levelHeading(section.level, l) + " (\(section.rows.count))\n"
            var header = "  " + "id".padded(to: idWidth) + "  " + (l == .vi ? "tên" : "name").padded(to: nameWidth)
            for (column, width) in zip(section.columns, widths) { header += "  " + column.id.padded(to: width) }
            out += header.trimmingTrailingSpaces() + "\n"
            for row in section.rows {
                var line = "  " + row.id.padded(to: idWidth) + "  " + String(row.name.prefix(nameWidth)).padded(to: nameWidth)
                for (cell, width) in zip(row.cells, widths) {
                    guard let verdict = cell else {
                        line += "  " + "".padded(to: width)
                        continue
                    }
                    line += "  " + paint(verdict.outcome, "\(verdict.outcome.mark) \(verdict.outcome.text(in: l))".padded(to: width))
                }
                out += line.trimmingTrailingSpaces() + "\n"
                for verdict in row.notPassed {
                    out += "      \(verdict.outcome.mark) \(verdict.criterion): \(reasons.reason(verdict.explanation))\n"
                }
            }
        }
        out += "\n" + Words.totals(summary.counts, l) + "\n"
        if summary.involvesProvisional {
            out += Words.provisionalRemark(l, mark: ExplanationTextRenderer.provisionalMark(l)) + "\n"
        }
        return out
    }

    private func paint(_ outcome: Outcome, _ text: String) -> String {
        guard color else { return text }
        return "\u{1B}[\(outcome.ansiColor)m\(text)\u{1B}[0m"
    }
}

extension Outcome {
    /// The ANSI colour code of the outcome on a terminal.
    var ansiColor: String {
        switch self {
        case .pass: "32"
        case .fail: "31"
        case .unknown: "33"
        case .notApplicable: "90"
        }
    }
}

extension ExplanationTextRenderer {
    /// The explanation of one entity's verdicts: a heading line, then one tree per verdict
    /// (only the reasons that mattered unless `full`).
    public func document(_ result: EvaluationResult, entity: Int, full: Bool) -> String {
        let record = result.dataset.entities[entity]
        let vi = language == .vi
        var out = "\(record.name) (\(record.id)) · \(Words.level(record.level, language)) · "
        out += (vi ? "ngày đánh giá " : "as of ") + "\(result.asOf)\n"
        if result.dataset.synthetic { out += "(\(Words.synthetic(language)))\n" }
        for verdict in result.verdicts(for: entity) {
            out += "\n" + render(full ? verdict.explanation : verdict.explanation.short)
        }
        return out
    }
}
