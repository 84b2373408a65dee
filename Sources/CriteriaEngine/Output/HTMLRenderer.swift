import Foundation

/// Renders checks, explanations and plan reports as one self-contained HTML page each.
///
/// The page has its CSS inline and nothing external: no script, font, image or stylesheet. It works
/// without JavaScript (explanation trees collapse with `<details>`), reads on a phone (viewport,
/// tables that scroll sideways) and prints (print styles). Provisional clauses carry a visible badge
/// whose title is the note saying what is uncertain. Every text from rules or data is escaped, and
/// the markup is well-formed XML (every element closed, attributes quoted), so it can be checked
/// with an XML parser.
package struct HTMLRenderer: Sendable {
    /// The language of sentences and headings, and the page's `lang`.
    package var language: Language

    /// Creates a renderer.
    package init(language: Language = .vi) {
        self.language = language
    }

    // MARK: Check

    /// A check: one table of verdicts per level with the reasons under each entity that does not pass,
    /// the criteria with their sources, and the totals.
    package func check(_ summary: VerdictSummary) -> String {
        var out = ""
        check(summary) { out += $0 }
        return out
    }

    /// The same page, handed to `write` a row at a time, so that the page of a whole province is
    /// written as it is made.
    package func check(_ summary: VerdictSummary, write: (String) -> Void) {
        let l = language
        var head = pageStart(title: "\(Words.checkTitle(l)) — \(summary.source) — \(Words.date(summary.asOf, l))")
        head += "<header>\n" + officialHeading + "<h1>\(Words.checkTitle(l))</h1>\n"
        head += meta([dataset(summary.source, synthetic: summary.synthetic), asOf(summary.asOf)])
        head += "</header>\n<main>\n"
        write(head)
        checkSections(summary, write: write)
        var body = ""
        let columns = summary.sections.flatMap(\.columns)
        if !columns.isEmpty {
            body += "<section class=\"criteria\">\n<h2>\(Words.criteria(l))</h2>\n<ul>\n"
            for column in columns {
                body += "<li><code>\(e(column.id))</code> — \(e(column.title.text(in: l)))"
                if let source = column.source { body += " <span class=\"source\">(\(e(source.reference)))</span>" }
                if column.provisional { body += " " + badge(column.provisionalNote(in: language)) }
                body += "</li>\n"
            }
            body += "</ul>\n</section>\n"
        }
        body += "</main>\n<footer>\n<p class=\"totals\">\(e(Words.totals(summary.counts, l)))</p>\n"
        if summary.involvesProvisional {
            body += "<p class=\"remark\">\(e(Words.provisionalRemark(l, mark: "[\(Words.provisional(l))]")))</p>\n"
        }
        body += "</footer>\n"
        write(body + pageEnd)
    }

    /// The verdict tables of a check (one section per level) without the page around them, for a page
    /// that embeds them, such as the server's decision record.
    ///
    /// - Parameter link: the address of a row's explanation, which links the entity's id; `nil` for none.
    package func checkSections(_ summary: VerdictSummary, link: (VerdictSummary.Row) -> String? = { _ in nil }) -> String {
        var out = ""
        checkSections(summary, link: link) { out += $0 }
        return out
    }

    /// The same tables, handed to `write` a row at a time.
    package func checkSections(
        _ summary: VerdictSummary, link: (VerdictSummary.Row) -> String? = { _ in nil }, write: (String) -> Void
    ) {
        let l = language
        let reasons = ExplanationTextRenderer(language: l)
        for section in summary.sections {
            var head = "<section class=\"level\">\n<h2>\(e(Words.levelHeading(section.level, l))) (\(section.rows.count))</h2>\n"
            head += "<div class=\"table-wrap\">\n<table class=\"verdicts\">\n<thead>\n<tr><th scope=\"col\">\(Words.id(l))</th><th scope=\"col\">\(Words.name(l))</th>"
            for column in section.columns {
                head += "<th scope=\"col\"><abbr title=\"\(e(column.title.text(in: l)))\">\(e(column.id))</abbr></th>"
            }
            head += "</tr>\n</thead>\n<tbody>\n"
            write(head)
            // Each row's cells and reasons are made beside its explanations on every core; its link,
            // and the writing, here in order.
            section.rows.mapInOrder { [self] row -> (VerdictSummary.Row, String) in
                var body = "<td>\(e(row.name))</td>"
                for cell in row.outcomes {
                    if let outcome = cell {
                        body += "<td class=\"\(outcome.rawValue)\">\(mark(outcome)) \(outcome.text(in: l))</td>"
                    } else {
                        body += "<td></td>"
                    }
                }
                body += "</tr>\n"
                let notPassed = row.notPassed
                if !notPassed.isEmpty {
                    body += "<tr class=\"reasons\"><td colspan=\"\(section.columns.count + 2)\"><ul>"
                    for verdict in notPassed {
                        body += "<li class=\"\(verdict.outcome.rawValue)\">\(mark(verdict.outcome)) <code>\(e(verdict.criterion))</code>: "
                        body += "<span class=\"text\">\(e(reasons.reason(verdict.explanation)))</span></li>"
                    }
                    body += "</ul></td></tr>\n"
                }
                return (row, body)
            } _: { row, body in
                write("<tr><td>\(link(row).map { "<a href=\"\(e($0))\">\(e(row.id))</a>" } ?? e(row.id))</td>" + body)
            }
            write("</tbody>\n</table>\n</div>\n</section>\n")
        }
    }

    /// One explanation tree as a collapsible `<details class="explanation">` element, without the page
    /// around it: the tree as given (pass `explanation.short` for the reasons that mattered only).
    package func explanationTree(_ explanation: Explanation) -> String {
        var out = ""
        node(explanation, root: true, into: &out)
        return out
    }

    /// The styles of every page, for a page that embeds the fragments above.
    package static var stylesheet: String { css }

    // MARK: Explain

    /// One entity's verdicts, one collapsible `<details class="explanation">` per verdict with its
    /// conditions nested inside (only the reasons that mattered unless `full`).
    package func explain(_ result: EvaluationResult, entity: Int, full: Bool) -> String {
        let l = language
        let record = result.dataset.entities[entity]
        var body = "<header>\n<h1>\(e(record.name)) (\(e(record.id)))</h1>\n"
        body += meta([
            "\(Words.level(l)): \(Words.level(record.level, l))", asOf(result.asOf),
            dataset(result.dataset.source, synthetic: result.dataset.synthetic),
        ])
        body += "</header>\n<main>\n"
        for verdict in result.verdicts(for: entity) {
            node(full ? verdict.explanation : verdict.explanation.short, root: true, into: &body)
        }
        body += "</main>\n"
        return page(title: "\(Words.explainTitle(l)) — \(record.name) (\(record.id)) — \(Words.date(result.asOf, l))", body: body)
    }

    private func node(_ node: Explanation, root: Bool, into out: inout String) {
        let l = language
        let open = root || node.mattered || node.outcome != .pass ? " open=\"open\"" : ""
        out += "<details class=\"\(root ? "explanation" : "node") \(node.outcome.rawValue)\"\(open)>\n<summary>\(mark(node.outcome)) "
        let id = root ? node.id : (node.id.split(separator: "/").last.map(String.init) ?? node.id)
        out += "<code>\(e(id))</code> — <span class=\"text\">\(e(node.sentence.text(in: l)))</span>"
        if node.source?.status == .provisional { out += " " + badge(node.source?.note(in: l)) }
        out += "</summary>\n"
        // What an inspector reads is words; the expression and the names the values were read under
        // are for whoever checks the rule, behind "Chi tiết kỹ thuật".
        var facts: [String] = []
        var technical: [String] = []
        if let expression = node.expression { technical.append("\(Words.expression(l)): <code>\(e(expression))</code>") }
        for value in node.values {
            let parts = Words.value(value, l)
            facts.append("\(e(parts.label))\(e(parts.rest))")
            technical.append("<code>\(e(value.name))</code>: \(e(parts.label))")
        }
        if let source = node.source, root || node.kind == .check {
            var line = "\(Words.source(l)): \(e(source.reference))"
            if source.status == .provisional { line += " " + badge(source.note(in: l)) + (source.note(in: l).map { " — " + e($0) } ?? "") }
            facts.append(line)
        }
        if node.kind == .check && node.outcome == .unknown {
            for item in node.missing { facts.append("\(Words.missing(l)): \(e(item.message.text(in: l)))") }
        }
        if node.outcome == .fail, node.kind == .check, let requirement = node.requirement {
            facts.append("<strong>\(Words.toPass(l)):</strong> \(e(requirement.text(in: l)))")
        }
        if !technical.isEmpty {
            facts.append(
                "<details class=\"technical\"><summary>\(Words.technicalDetails(l))</summary><ul>"
                    + technical.map { "<li>\($0)</li>" }.joined() + "</ul></details>")
        }
        if !facts.isEmpty { out += "<ul class=\"facts\">" + facts.map { "<li>\($0)</li>" }.joined() + "</ul>\n" }
        for child in node.children { self.node(child, root: false, into: &out) }
        out += "</details>\n"
    }

    // MARK: Plan report

    /// A plan report: a table of targets, then one section per target with its figures and a
    /// collapsible list of the units that hold it back.
    package func report(_ report: PlanReport) -> String {
        let l = language
        let words = ReportWords(language: l)
        var body = "<header>\n" + officialHeading + "<h1>\(Words.reportTitle(l))</h1>\n<p class=\"plan-title\">\(e(report.plan.title.text(in: l)))</p>\n"
        var items = ["\(words.plan): <code>\(e(report.plan.id))</code>"]
        if let source = report.plan.source {
            items.append("\(Words.source(l).capitalizedFirst): \(e(source.reference))" + (source.status == .provisional ? " " + badge(source.note(in: l)) : ""))
        }
        if let by = report.plan.by { items.append("\(words.deadline): <time datetime=\"\(by)\">\(e(words.date(by)))</time>") }
        items.append(dataset(report.dataset, synthetic: report.synthetic))
        items.append(asOf(report.asOf) + " (\(e(words.figuresOf(report.year))))")
        body += meta(items)
        for note in report.notes { body += "<p class=\"note\" role=\"note\">\(e(note.text(in: l)))</p>\n" }
        body += "</header>\n<main>\n"
        body += reportSections(report)
        body += "</main>\n<footer>\n<p class=\"totals\">\(e(words.totals(report.counts)))</p>\n</footer>\n"
        return page(title: "\(Words.reportTitle(l)) — \(report.plan.id) — \(Words.date(report.asOf, l))", body: body)
    }

    /// The body of a plan report without the page around it (the targets table, then a section per
    /// target with its chart, its figures as a table and the units that hold it back), for a page
    /// that embeds it, such as the server's plan page.
    ///
    /// - Parameter link: the address of a holdout's explanation, which links its id and name; `nil` for none.
    package func reportSections(
        _ report: PlanReport, link: (Holdout, PlanTargetResult) -> String? = { _, _ in nil }
    ) -> String {
        let l = language
        let words = ReportWords(language: l)
        var body = "<div class=\"table-wrap\">\n<table class=\"targets\">\n<thead>\n<tr><th scope=\"col\"></th><th scope=\"col\">\(words.target)</th>"
        body += "<th scope=\"col\">\(words.measured)</th><th scope=\"col\">\(words.required)</th><th scope=\"col\">\(words.result)</th></tr>\n</thead>\n<tbody>\n"
        for result in report.targets {
            body += "<tr class=\"\(result.outcome.rawValue)\"><td>\(mark(result.outcome))</td>"
            body += "<td><a href=\"#\(e(anchor(result.target.id)))\"><code>\(e(result.target.id))</code></a> \(e(result.target.title.text(in: l)))"
            if result.provisional { body += " " + badge(result.provisionalNote?.text(in: language)) }
            body += "</td><td>\(e(words.measured(result)))</td><td>\(e(words.required(result)))</td>"
            body += "<td class=\"\(result.outcome.rawValue)\">\(e(words.outcome(result.outcome)))</td></tr>\n"
        }
        body += "</tbody>\n</table>\n</div>\n"
        for result in report.targets {
            body += "<section class=\"target \(result.outcome.rawValue)\" id=\"\(e(anchor(result.target.id)))\">\n"
            body += "<h2>\(mark(result.outcome)) <code>\(e(result.target.id))</code> — \(e(result.target.title.text(in: l)))"
            if result.provisional { body += " " + badge(result.provisionalNote?.text(in: language)) }
            body += "</h2>\n<p class=\"summary\">\(e(words.summary(result, year: report.year)))</p>\n"
            body += chartFigure(result, year: report.year)
            if !result.units.isEmpty {
                body += "<div class=\"table-wrap\">\n<table class=\"units\">\n<thead>\n<tr><th scope=\"col\"></th><th scope=\"col\">\(Words.id(l))</th><th scope=\"col\">\(Words.name(l))</th>"
                body += "<th scope=\"col\">\(e(words.figuresOf(report.year)))</th><th scope=\"col\">\(e(words.baseline(result)))</th><th scope=\"col\">\(words.limit)</th></tr>\n</thead>\n<tbody>\n"
                for unit in result.units {
                    let figures = words.unitFigures(unit)
                    body += "<tr class=\"\(unit.outcome.rawValue)\"><td>\(mark(unit.outcome))</td><td>\(e(unit.entityID))</td><td>\(e(unit.name))</td>"
                    body += "<td>\(e(figures.current))</td><td>\(e(figures.baseline))</td><td>\(e(figures.limit))</td></tr>\n"
                }
                body += "</tbody>\n</table>\n</div>\n"
            }
            if !result.holdouts.isEmpty {
                body += "<details class=\"holdouts\" open=\"open\">\n<summary>\(e(words.holdoutsHeading(result)))</summary>\n<ul>\n"
                for holdout in result.holdouts {
                    let parent = holdout.parentName.map { " (\(e($0)))" } ?? ""
                    let name = "\(e(holdout.entityID)) \(e(holdout.name))"
                    let linked = link(holdout, result).map { "<a href=\"\(e($0))\">\(name)</a>" } ?? name
                    body += "<li class=\"\(holdout.outcome.rawValue)\">\(mark(holdout.outcome)) <strong>\(linked)</strong>\(parent): "
                    body += "<span class=\"text\">\(e(holdout.reason.text(in: l)))</span></li>\n"
                }
                body += "</ul>\n</details>\n"
            }
            body += "</section>\n"
        }
        return body
    }

    /// A target's chart (`PlanChart`) in a `<figure>`, with its figures as a text table: for a share
    /// target the counts per parent (each district's communes); a reduction target's units table
    /// follows in the section. Empty when there is nothing to draw.
    private func chartFigure(_ result: PlanTargetResult, year: Int) -> String {
        let l = language
        guard let svg = PlanChart(language: l).chart(result, year: year, id: "chart-" + result.target.id) else { return "" }
        var out = "<figure class=\"chart\">\n" + svg
        let caption = language == .vi
            ? "Biểu đồ; số liệu của biểu đồ có trong bảng dưới đây."
            : "Chart; its figures are in the table below."
        out += "<figcaption class=\"meta\">\(e(caption))</figcaption>\n</figure>\n"
        guard let share = result.share, share.total > 0 else { return out }
        let vi = l == .vi
        let head = vi
            ? ["Đơn vị", "Đạt", "Chưa xác định", "Không đạt", "Tổng", "Tỷ lệ đạt"]
            : ["Unit", "Pass", "Unknown", "Fail", "Total", "Share passing"]
        out += "<div class=\"table-wrap\">\n<table class=\"groups\">\n<caption>\(e(vi ? "Số \(share.level.vietnamese) theo đơn vị cấp trên" : "\(share.level.pluralName.capitalizedFirst) by the unit above them"))</caption>\n<thead>\n<tr>"
        out += head.map { "<th scope=\"col\">\(e($0))</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
        func row(_ name: String, _ passed: Int, _ unknown: Int, _ total: Int, header: Bool) -> String {
            let share = total == 0 ? "–" : Words.shown(ValueFormatter.percentText(Decimal(passed) / Decimal(total)), language)
            let first = header ? "<th scope=\"row\">\(e(name))</th>" : "<td>\(e(name))</td>"
            return "<tr>\(first)<td>\(passed)</td><td>\(unknown)</td><td>\(total - passed - unknown)</td><td>\(total)</td><td>\(e(share))</td></tr>\n"
        }
        if result.groups.count > 1 {
            for group in result.groups {
                out += row(group.name.isEmpty ? "–" : group.name, group.passed, group.unknown, group.total, header: false)
            }
        }
        out += row(vi ? "Tổng cộng" : "All", share.passed, share.unknown, share.total, header: true)
        return out + "</tbody>\n</table>\n</div>\n"
    }

    // MARK: Page

    private func page(title: String, body: String) -> String {
        pageStart(title: title) + body + pageEnd
    }

    /// A page up to the start of its body.
    private func pageStart(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="Criteria"/>
        <title>\(e(title))</title>
        <style>
        \(Self.css)
        </style>
        </head>
        <body>

        """
    }

    /// The end of a page, after its body.
    private var pageEnd: String { "</body>\n</html>\n" }

    /// The heading of an official document, as Nghị định 30/2020/NĐ-CP lays it out, for a report that
    /// is printed and signed: on the left the governing body and the issuing body, left blank to fill
    /// in, and the document number; on the right the national title (quốc hiệu), the motto (tiêu ngữ)
    /// and the place and date, to fill in. The small captions under the blanks show on screen only.
    private var officialHeading: String {
        let vi = language == .vi
        func blank(_ caption: String, strong: Bool = false) -> String {
            let dots = "……………………………"
            return "<p class=\"fill\">\(strong ? "<strong>\(dots)</strong>" : dots)<br/><span class=\"caption\">(\(e(caption)))</span></p>\n"
        }
        var out = "<div class=\"official\">\n<div class=\"issuer\">\n"
        out += blank(vi ? "tên cơ quan, tổ chức chủ quản" : "governing body")
        out += blank(vi ? "tên cơ quan, tổ chức ban hành" : "issuing body", strong: true)
        out += "<p>\(vi ? "Số" : "No."): ……/……</p>\n</div>\n<div class=\"nation\">\n"
        out += vi
            ? "<p class=\"title\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>\n<p class=\"motto\">Độc lập - Tự do - Hạnh phúc</p>\n"
                + "<p class=\"place\">……, ngày … tháng … năm ……</p>\n"
            : "<p class=\"title\">SOCIALIST REPUBLIC OF VIETNAM</p>\n<p class=\"motto\">Independence - Freedom - Happiness</p>\n"
                + "<p class=\"place\">……, date ……</p>\n"
        return out + "</div>\n</div>\n"
    }

    private func meta(_ items: [String]) -> String {
        "<p class=\"meta\">" + items.joined(separator: " · ") + "</p>\n"
    }

    private func dataset(_ source: String, synthetic: Bool) -> String {
        "\(Words.dataset(language)): <code>\(e(source))</code>" + (synthetic ? " <span class=\"synthetic\">(\(Words.synthetic(language)))</span>" : "")
    }

    private func asOf(_ date: LocalDate) -> String {
        "\(Words.asOf(language)): <time datetime=\"\(date)\">\(Words.date(date, language))</time>"
    }

    private func mark(_ outcome: Outcome) -> String {
        "<span class=\"mark\" aria-hidden=\"true\">\(outcome.mark)</span>"
    }

    /// The provisional badge; its title (shown on hover, read by screen readers) is the note.
    private func badge(_ note: String?) -> String {
        let title = note ?? (language == .vi ? "Căn cứ chưa được xác nhận" : "The wording is not confirmed")
        return "<span class=\"badge provisional\" title=\"\(e(title))\">\(Words.provisional(language))</span>"
    }

    private func anchor(_ id: String) -> String { "target-" + id }

    private func e(_ text: String) -> String { Self.escape(text) }

    /// Escapes text for HTML element content and quoted attribute values (well-formed XML too).
    package static func escape(_ text: String) -> String { XMLText.escape(text) }

    /// The page's styles: screen, narrow screens and print. No `<` or `&`, so the page stays valid XML.
    static let css = """
        :root{--pass:#1a7f37;--fail:#c62828;--unknown:#8a5a00;--na:#59636e;--line:#d0d7de;--muted:#57606a}
        *{box-sizing:border-box}
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;line-height:1.5;margin:0 auto;max-width:75rem;padding:1rem;color:#1f2328;background:#fff}
        h1{font-size:1.5rem;margin:.25rem 0}
        h2{font-size:1.15rem;margin:1.5rem 0 .5rem;padding-bottom:.2rem;border-bottom:1px solid var(--line)}
        .meta,.plan-title{color:var(--muted);margin:.25rem 0}
        .note{border-left:4px solid var(--unknown);background:#fff8e1;padding:.5rem .75rem;margin:.5rem 0;font-weight:600}
        .table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.5rem 0}
        table{border-collapse:collapse;width:100%;font-size:.95rem}
        th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
        thead th{background:#f6f8fa}
        td.pass,li.pass>.mark,tr.pass>td:first-child,.pass>summary>.mark,h2>.mark{font-weight:600}
        .pass{color:var(--pass)}.fail{color:var(--fail)}.unknown{color:var(--unknown)}.not_applicable{color:var(--na)}
        tr.reasons td{background:#fafbfc;font-size:.9rem}
        figure.chart{margin:.75rem 0}figure.chart svg{display:block;max-width:52rem;height:auto}
        caption{text-align:left;font-weight:600;padding:.25rem 0}
        tr.reasons ul,.holdouts ul{margin:0;padding-left:1.2rem}
        .text,.summary,tr.reasons .text,table.groups,figure.chart{color:#1f2328}
        .badge{display:inline-block;padding:0 .45em;border-radius:.6em;font-size:.8em;font-weight:600;color:#6b4400;background:#fff3cd;border:1px solid #d4a72c;cursor:help;white-space:nowrap}
        details{margin:.3rem 0 .3rem 1rem;padding-left:.6rem;border-left:2px solid var(--line)}
        details.explanation{margin:1rem 0;padding:.5rem .75rem;border:1px solid var(--line);border-radius:6px}
        summary{cursor:pointer}
        details.technical{margin:.2rem 0;padding-left:0;border-left:none}details.technical>summary{color:var(--muted)}
        ul.facts{margin:.25rem 0;padding-left:1.4rem;color:#424a53;font-size:.92rem}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;background:#f6f8fa;padding:0 .2em;border-radius:3px;word-break:break-word}
        footer{margin-top:1.5rem;color:var(--muted)}
        .totals{font-weight:600;color:#1f2328}
        a{color:inherit}
        @media (max-width:40rem){body{padding:.5rem}table{font-size:.85rem}th,td{padding:.25rem .35rem}details{margin-left:.4rem}}
        .official{display:flex;justify-content:space-between;gap:1rem;text-align:center;margin:0 0 1rem}
        .official p{margin:0}.official .title,.official .fill strong{font-weight:700}
        .official .motto{font-weight:700;text-decoration:underline;text-underline-offset:.2em}.official .place{font-style:italic;margin-top:.5rem}
        .official .caption{font-size:.75rem;color:var(--muted)}
        @page{size:A4;margin:20mm 15mm 20mm 30mm}
        @media print{.official .caption{display:none}}
        @media print{body{max-width:none;padding:0;font-size:10pt}.table-wrap{overflow:visible}thead{display:table-header-group}tr,li{break-inside:avoid}details::details-content{content-visibility:visible;display:block}summary{list-style:none}a{text-decoration:none}.badge{color:#000;background:none;border:1px solid #000}.note{background:none}details.technical{display:none}}
        """
}
