/// Renders a check as a terminal table: one section per level, one row per entity, the reason under
/// each fail or unknown, and a summary line.
package struct VerdictTextRenderer: Sendable {
    /// The language of sentences and headings.
    package var language: Language
    /// Whether to colour outcomes with ANSI escapes.
    package var color: Bool

    /// Creates a renderer.
    package init(language: Language = .vi, color: Bool = false) {
        self.language = language
        self.color = color
    }

    /// The table of a whole check.
    package func render(_ summary: VerdictSummary) -> String {
        var out = ""
        render(summary) { out += $0 }
        return out
    }

    /// The table of a whole check, handed to `write` a row at a time (a row is its line and the
    /// reasons under it), so that a check of a whole province can be written as it is made.
    ///
    /// - Parameter progress: called after each row with the rows written and the rows in all.
    package func render(
        _ summary: VerdictSummary, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }, write: (String) -> Void
    ) {
        let l = language
        let reasons = ExplanationTextRenderer(language: l, color: false)
        let synthetic = summary.synthetic ? " (\(Words.synthetic(l)))" : ""
        write(
            l == .vi
                ? "Dữ liệu: \(DisplayText.line(summary.source))\(synthetic) — ngày đánh giá \(Words.date(summary.asOf, l))\n"
                : "Dataset: \(DisplayText.line(summary.source))\(synthetic) — as of \(summary.asOf)\n")
        let total = summary.sections.reduce(0) { $0 + $1.rows.count }
        var done = 0
        for section in summary.sections {
            // Ids and names are shown through `DisplayText`: a control character in one can neither move the
            // cursor nor overwrite a row.
            let labels = section.rows.indices.map { section.rows.label(at: $0) }
            let idWidth = max(2, labels.map { DisplayText.line($0.id).count }.max() ?? 2)
            let nameWidth = min(28, max(4, labels.map { DisplayText.line($0.name).count }.max() ?? 4))
            let widths = section.columns.map { max($0.id.count, 16) }
            var header = "  " + "id".padded(to: idWidth) + "  " + (l == .vi ? "tên" : "name").padded(to: nameWidth)
            for (column, width) in zip(section.columns, widths) { header += "  " + column.id.padded(to: width) }
            write("\n" + Words.levelHeading(section.level, l) + " (\(section.rows.count))\n" + header.trimmingTrailingSpaces() + "\n")
            // Each row's text is made beside its explanations, on every core; written in order here.
            section.rows.mapInOrder { [self] row in
                var line = "  " + DisplayText.line(row.id).padded(to: idWidth) + "  " + String(DisplayText.line(row.name).prefix(nameWidth)).padded(to: nameWidth)
                for (cell, width) in zip(row.outcomes, widths) {
                    guard let outcome = cell else {
                        line += "  " + "".padded(to: width)
                        continue
                    }
                    line += "  " + paint(outcome, "\(outcome.mark) \(outcome.text(in: l))".padded(to: width))
                }
                var out = line.trimmingTrailingSpaces() + "\n"
                for verdict in row.notPassed {
                    out += "      \(verdict.outcome.mark) \(DisplayText.line(verdict.criterion)): \(DisplayText.line(reasons.reason(verdict.explanation)))\n"
                }
                return out
            } _: { text in
                write(text)
                done += 1
                progress(done, total)
            }
        }
        var out = "\n" + Words.totals(summary.counts, l) + "\n"
        if summary.involvesProvisional {
            out += Words.provisionalRemark(l, mark: ExplanationTextRenderer.provisionalMark(l)) + "\n"
        }
        write(out)
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
    package func document(_ result: EvaluationResult, entity: Int, full: Bool) -> String {
        let record = result.dataset.entities[entity]
        let vi = language == .vi
        var out = "\(DisplayText.line(record.name)) (\(DisplayText.line(record.id))) · \(Words.level(record.level, language)) · "
        out += (vi ? "ngày đánh giá " : "as of ") + "\(Words.date(result.asOf, language))\n"
        if result.dataset.synthetic { out += "(\(Words.synthetic(language)))\n" }
        for verdict in result.verdicts(for: entity) {
            out += "\n" + render(full ? verdict.explanation : verdict.explanation.short)
        }
        return out
    }
}
