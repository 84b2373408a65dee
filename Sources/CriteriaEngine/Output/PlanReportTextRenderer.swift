/// Renders a plan report for a terminal: the plan and date, one overview line per target, then each
/// target with its measurement and the units that hold it back.
package struct PlanReportTextRenderer: Sendable {
    /// The language of sentences and headings.
    package var language: Language
    /// Whether to colour outcomes with ANSI escapes.
    package var color: Bool

    /// Creates a renderer.
    package init(language: Language = .vi, color: Bool = false) {
        self.language = language
        self.color = color
    }

    /// The report.
    package func render(_ report: PlanReport) -> String {
        let l = language
        let words = ReportWords(language: l)
        var out = "\(words.plan): \(report.plan.title.text(in: l)) (\(report.plan.id))\n"
        if let source = report.plan.source {
            out += "\(Words.source(l).capitalizedFirst): \(source.reference)"
            if source.status == .provisional { out += " " + ExplanationTextRenderer.provisionalMark(l) }
            out += "\n"
        }
        if let by = report.plan.by { out += "\(words.deadline): \(words.date(by))\n" }
        let synthetic = report.synthetic ? " (\(Words.synthetic(l)))" : ""
        out += "\(Words.dataset(l)): \(DisplayText.line(report.dataset))\(synthetic) — \(Words.asOf(l).lowercased()) \(words.date(report.asOf)) (\(words.figuresOf(report.year)))\n"
        for note in report.notes { out += "! " + DisplayText.line(note.text(in: l)) + "\n" }

        let rows = report.targets.map { [$0.target.id, words.measured($0), words.required($0), words.outcome($0.outcome)] }
        let headings = [words.target.lowercased(), words.measured.lowercased(), words.required.lowercased(), words.result.lowercased()]
        let widths = (0..<4).map { column in (rows.map { $0[column].count } + [headings[column].count]).max() ?? 0 }
        out += "\n    " + zip(headings, widths).map { $0.padded(to: $1) }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        for (result, row) in zip(report.targets, rows) {
            let line = zip(row, widths).map { $0.padded(to: $1) }.joined(separator: "  ").trimmingTrailingSpaces()
            out += "  " + paint(result.outcome, result.outcome.mark) + " " + line + "\n"
        }

        for result in report.targets {
            let provisional = result.provisional ? " " + ExplanationTextRenderer.provisionalMark(l) : ""
            out += "\n" + paint(result.outcome, "\(result.outcome.mark) \(result.target.id)") + " — \(result.target.title.text(in: l))\(provisional)\n"
            out += "    " + words.summary(result, year: report.year) + "\n"
            if !result.units.isEmpty {
                let table = result.units.map { unit -> [String] in
                    let figures = words.unitFigures(unit)
                    return [DisplayText.line(unit.entityID), DisplayText.line(unit.name), figures.current, figures.baseline, figures.limit]
                }
                let heads = [Words.id(l).lowercased(), Words.name(l).lowercased(), words.figuresOf(report.year), words.baseline(result), words.limit.lowercased()]
                let w = (0..<5).map { column in (table.map { $0[column].count } + [heads[column].count]).max() ?? 0 }
                out += "      " + zip(heads, w).map { $0.padded(to: $1) }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
                for (unit, row) in zip(result.units, table) {
                    out += "    " + paint(unit.outcome, unit.outcome.mark) + " " + zip(row, w).map { $0.padded(to: $1) }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
                }
            }
            if !result.holdouts.isEmpty {
                out += "    \(words.holdoutsHeading(result)):\n"
                for holdout in result.holdouts {
                    let parent = holdout.parentName.map { " (\($0))" } ?? ""
                    let text = "\(holdout.entityID) \(holdout.name)\(parent): \(holdout.reason.text(in: l))"
                    out += "      " + paint(holdout.outcome, holdout.outcome.mark) + " " + DisplayText.line(text) + "\n"
                }
            }
        }
        out += "\n" + words.totals(report.counts) + "\n"
        return out
    }

    private func paint(_ outcome: Outcome, _ text: String) -> String {
        guard color else { return text }
        return "\u{1B}[\(outcome.ansiColor)m\(text)\u{1B}[0m"
    }
}

extension String {
    /// The text padded with spaces to a width counted in characters.
    func padded(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
