import Foundation

/// Renders checks, explanations and plan reports as CommonMark (GitHub-flavoured tables): tables of
/// verdicts with the marks ✓ ✗ ? –, explanation trees as nested lists, provisional clauses marked.
///
/// Pure functions of the evaluation result; every text from rules or data is escaped.
package struct MarkdownRenderer: Sendable {
    /// The language of sentences and headings.
    package var language: Language

    /// Creates a renderer.
    package init(language: Language = .vi) {
        self.language = language
    }

    // MARK: Check

    /// A check: one table per level, the reasons for each fail or unknown, the criteria with their
    /// sources, and the totals.
    package func check(_ summary: VerdictSummary) -> String {
        var out = ""
        check(summary) { out += $0 }
        return out
    }

    /// The same document, handed to `write` a row at a time, so that the check of a whole province is
    /// written as it is made.
    package func check(_ summary: VerdictSummary, write: (String) -> Void) {
        let l = language
        let reasons = ExplanationTextRenderer(language: l)
        write("# \(Words.checkTitle(l))\n\n" + header(source: summary.source, synthetic: summary.synthetic, asOf: summary.asOf))
        for section in summary.sections {
            var head = "\n## \(Words.levelHeading(section.level, l)) (\(section.rows.count))\n\n"
            head += "| \(Words.id(l)) | \(Words.name(l)) | " + section.columns.map { "`\($0.id)`" }.joined(separator: " | ") + " |\n"
            head += "| --- | --- | " + section.columns.map { _ in "---" }.joined(separator: " | ") + " |\n"
            write(head)
            for index in section.rows.indices {
                let label = section.rows.label(at: index)
                let cells = section.rows.outcomes(at: index).map { $0.map { "\($0.mark) \($0.text(in: l))" } ?? "" }
                write("| \(cell(label.id)) | \(cell(label.name)) | " + cells.joined(separator: " | ") + " |\n")
            }
            // The reasons under each row that has some, made beside the row's explanations on every
            // core, written in order here.
            var heading = false
            section.rows.mapInOrder { [self] row -> String? in
                guard !row.notPassed.isEmpty else { return nil }
                var out = "- **\(escape(row.id)) \(escape(row.name))**\n"
                for verdict in row.notPassed {
                    out += "  - \(verdict.outcome.mark) `\(verdict.criterion)`: \(escape(reasons.reason(verdict.explanation)))\n"
                }
                return out
            } _: { text in
                guard let text else { return }
                if !heading {
                    write("\n\(Words.reasons(l)):\n\n")
                    heading = true
                }
                write(text)
            }
        }
        var out = ""
        let columns = summary.sections.flatMap(\.columns)
        if !columns.isEmpty {
            out += "\n## \(Words.criteria(l))\n\n"
            for column in columns {
                out += "- `\(column.id)` — \(escape(column.title.text(in: l)))"
                if let source = column.source { out += " (\(escape(source.reference)))" }
                if column.provisional { out += " " + badge(column.provisionalNote(in: language)) }
                out += "\n"
            }
        }
        out += "\n**" + escape(Words.totals(summary.counts, l)) + "**\n"
        if summary.involvesProvisional {
            out += "\n> " + Words.provisionalRemark(l, mark: "**[\(Words.provisional(l))]**") + "\n"
        }
        write(out)
    }

    // MARK: Explain

    /// One entity's verdicts, each as a section with its explanation tree as a nested list (only the
    /// reasons that mattered unless `full`).
    package func explain(_ result: EvaluationResult, entity: Int, full: Bool) -> String {
        let l = language
        let record = result.dataset.entities[entity]
        var out = "# \(escape(record.name)) (\(escape(record.id)))\n\n"
        out += "- \(Words.level(l)): \(Words.level(record.level, l))\n"
        out += "- \(Words.asOf(l)): \(Words.date(result.asOf, l))\n"
        out += "- \(Words.dataset(l)): `\(code(result.dataset.source))`" + (result.dataset.synthetic ? " (\(Words.synthetic(l)))" : "") + "\n"
        for verdict in result.verdicts(for: entity) {
            let node = full ? verdict.explanation : verdict.explanation.short
            out += "\n## \(node.outcome.mark) `\(verdict.criterion)` — \(node.outcome.text(in: l))"
            if node.source?.status == .provisional { out += " " + badge(nil) }
            out += "\n\n\(escape(node.sentence.text(in: l)))\n\n"
            for line in details(node, root: true) { out += "- \(line)\n" }
            for child in node.children { tree(child, depth: 0, into: &out) }
        }
        return out
    }

    private func tree(_ node: Explanation, depth: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: depth)
        let id = node.id.split(separator: "/").last.map(String.init) ?? node.id
        var line = "\(pad)- \(node.outcome.mark) **\(escape(id))** — \(escape(node.sentence.text(in: language)))"
        if node.source?.status == .provisional { line += " " + badge(nil) }
        out += line + "\n"
        for detail in details(node, root: false) { out += "\(pad)  - \(detail)\n" }
        for child in node.children { tree(child, depth: depth + 1, into: &out) }
    }

    /// The lines under a node: its check, the values read, its source, what is missing, what would pass.
    private func details(_ node: Explanation, root: Bool) -> [String] {
        let l = language
        var lines: [String] = []
        if let expression = node.expression { lines.append("\(Words.expression(l)): `\(code(expression))`") }
        for value in node.values {
            let parts = Words.value(value, l)
            lines.append("\(escape(parts.label)) `\(code(value.name))`\(escape(parts.rest))")
        }
        if let source = node.source, root || node.kind == .check {
            var line = "\(Words.source(l)): \(escape(source.reference))"
            if source.status == .provisional { line += " " + badge(nil) + (source.note(in: l).map { " — " + escape($0) } ?? "") }
            lines.append(line)
        }
        if node.kind == .check && node.outcome == .unknown {
            for item in node.missing { lines.append("\(Words.missing(l)): \(escape(item.message.text(in: l)))") }
        }
        if node.outcome == .fail, node.kind == .check, let requirement = node.requirement {
            lines.append("\(Words.toPass(l)): \(escape(requirement.text(in: l)))")
        }
        return lines
    }

    // MARK: Plan report

    /// A plan report: a table of targets, then for each target the units that hold it back.
    package func report(_ report: PlanReport) -> String {
        let l = language
        let words = ReportWords(language: l)
        var out = "# \(Words.reportTitle(l)): \(escape(report.plan.title.text(in: l)))\n\n"
        out += "- \(words.plan): `\(code(report.plan.id))` (`\(code(report.plan.file))`)\n"
        if let source = report.plan.source {
            out += "- \(Words.source(l).capitalizedFirst): \(escape(source.reference))"
            if source.status == .provisional { out += " " + badge(source.note(in: l)) }
            out += "\n"
        }
        if let by = report.plan.by { out += "- \(words.deadline): \(words.date(by))\n" }
        out += "- \(Words.dataset(l)): `\(code(report.dataset))`" + (report.synthetic ? " (\(Words.synthetic(l)))" : "") + "\n"
        out += "- \(Words.asOf(l)): \(words.date(report.asOf)) (\(words.figuresOf(report.year)))\n"
        for note in report.notes { out += "\n> **\(escape(note.text(in: l)))**\n" }
        out += "\n| | \(words.target) | \(words.measured) | \(words.required) | \(words.result) |\n| --- | --- | --- | --- | --- |\n"
        for result in report.targets {
            var title = "`\(result.target.id)` \(cell(result.target.title.text(in: l)))"
            if result.provisional { title += " " + badge(nil) }
            out += "| \(result.outcome.mark) | \(title) | \(cell(words.measured(result))) | \(cell(words.required(result))) | \(words.outcome(result.outcome)) |\n"
        }
        for result in report.targets {
            out += "\n## \(result.outcome.mark) `\(result.target.id)` — \(escape(result.target.title.text(in: l)))"
            out += (result.provisional ? " " + badge(nil) : "") + "\n\n"
            out += escape(words.summary(result, year: report.year)) + "\n"
            if let note = result.note { out += "\n" + escape(note.text(in: l)) + "\n" }
            if !result.units.isEmpty {
                out += "\n| | \(Words.id(l)) | \(Words.name(l)) | \(words.figuresOf(report.year)) | \(words.baseline(result)) | \(words.limit) |\n"
                out += "| --- | --- | --- | --- | --- | --- |\n"
                for unit in result.units {
                    let figures = words.unitFigures(unit)
                    out += "| \(unit.outcome.mark) | \(cell(unit.entityID)) | \(cell(unit.name)) | \(cell(figures.current)) | \(cell(figures.baseline)) | \(cell(figures.limit)) |\n"
                }
            }
            if !result.holdouts.isEmpty {
                out += "\n\(words.holdoutsHeading(result)):\n\n"
                for holdout in result.holdouts {
                    let parent = holdout.parentName.map { " (\(escape($0)))" } ?? ""
                    out += "- \(holdout.outcome.mark) **\(escape(holdout.entityID)) \(escape(holdout.name))**\(parent): \(escape(holdout.reason.text(in: l)))\n"
                }
            }
        }
        out += "\n**" + escape(words.totals(report.counts)) + "**\n"
        return out
    }

    // MARK: Helpers

    private func header(source: String, synthetic: Bool, asOf: LocalDate) -> String {
        "- \(Words.dataset(language)): `\(code(source))`" + (synthetic ? " (\(Words.synthetic(language)))" : "") + "\n"
            + "- \(Words.asOf(language)): \(Words.date(asOf, language))\n"
    }

    /// The provisional mark, with its note after it when given.
    private func badge(_ note: String?) -> String {
        "**[\(Words.provisional(language))]**" + (note.map { " — " + escape($0) } ?? "")
    }

    /// Escapes text for Markdown: backslash, emphasis, code, links, HTML and table pipes; `_` only
    /// where it could open or close emphasis (not inside `social_order_crimes`); a line break becomes
    /// a space and any other invisible character is shown escaped (`DisplayText`).
    package func escape(_ text: String) -> String {
        var out = ""
        let characters = Array(DisplayText.line(text.replacingOccurrences(of: "\n", with: " ")))
        for (index, character) in characters.enumerated() {
            switch character {
            case "\\", "*", "`", "[", "]", "<", ">", "|", "#":
                out += "\\" + String(character)
            case "_":
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + 1 < characters.count ? characters[index + 1] : " "
                out += before.isLetter || before.isNumber ? (after.isLetter || after.isNumber ? "_" : "\\_") : "\\_"
            case "\n":
                out += " "
            default:
                out.append(character)
            }
        }
        return out
    }

    /// Text for a table cell.
    private func cell(_ text: String) -> String { escape(text) }

    /// Text inside a code span: backticks cannot be escaped there, so they become quotes.
    private func code(_ text: String) -> String {
        DisplayText.line(text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "\n", with: " "))
    }
}

extension String {
    /// The text with its first character in upper case.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
