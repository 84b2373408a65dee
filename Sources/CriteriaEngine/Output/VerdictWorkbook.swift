import Foundation

/// Verdicts and plan reports as an Excel workbook (`criteria check|report --format xlsx`, the web's
/// "Tải về .xlsx"), in words a reader needs no code for.
///
/// A check has a sheet per level (id, name, the verdict of each criterion in words, the reasons in
/// words), then a sheet of sources (criterion, its title, clause, act, status, note) and a sheet of
/// totals. A plan report has a sheet of targets (measured, required, result), one of the units that
/// hold them back, and the same sheet of sources for the plan.
package struct VerdictWorkbook: Sendable {
    /// The language of the words.
    package var language: Language

    /// Creates a writer in a language (Vietnamese by default).
    package init(language: Language = .vi) { self.language = language }

    private var vi: Bool { language == .vi }

    /// One level's table, whatever it was made from.
    private struct Level_ {
        var level: Level
        var columns: [(id: String, title: String, source: Citation?)]
        var rows: [(id: String, name: String, outcomes: [Outcome?], reasons: String)]
    }

    /// The sheets of a check.
    package func sheets(_ summary: VerdictSummary) -> [XLSXWriter.Sheet] {
        let l = language
        let reasons = ExplanationTextRenderer(language: l)
        var levels: [Level_] = []
        for section in summary.sections {
            var table = Level_(level: section.level, columns: section.columns.map { ($0.id, $0.title.text(in: l), $0.source) }, rows: [])
            section.rows.mapInOrder { row in
                (row.id, row.name, row.outcomes, row.notPassed.map { "\($0.criterion): \(reasons.reason($0.explanation))" }.joined(separator: "\n"))
            } _: { table.rows.append($0) }
            levels.append(table)
        }
        var counts: [Outcome: Int] = summary.counts
        for outcome in Outcome.allCases where counts[outcome] == nil { counts[outcome] = 0 }
        return sheets(
            levels, source: summary.source, asOf: summary.asOf, synthetic: summary.synthetic, counts: counts,
            provisional: summary.involvesProvisional)
    }

    /// The sheets of a recorded evaluation (the web's "Tải về .xlsx"): the criteria's titles and
    /// sources from `graph` on the record's date, when given.
    package func sheets(_ evaluation: EvaluationOutputV1, graph: RuleGraph?) -> [XLSXWriter.Sheet] {
        let l = language
        let reasons = ExplanationTextRenderer(language: l)
        let date = LocalDate(iso: evaluation.asOf)
        var levels: [Level_] = []
        for level in evaluation.levels {
            let entities = evaluation.entities.filter { $0.level == level }
            guard !entities.isEmpty else { continue }
            var ids: [String] = []
            for entity in entities { for verdict in entity.verdicts where !ids.contains(verdict.criterion) { ids.append(verdict.criterion) } }
            let columns = ids.map { id -> (id: String, title: String, source: Citation?) in
                let version = date.flatMap { graph?.version(of: id, on: $0) }
                return (id, version?.title.text(in: l) ?? id, version?.source)
            }
            let rows = entities.map { entity -> (id: String, name: String, outcomes: [Outcome?], reasons: String) in
                let outcomes = ids.map { id in entity.verdicts.first { $0.criterion == id }?.outcome }
                let why = entity.verdicts.filter { $0.outcome != .pass }.map { "\($0.criterion): \(reasons.reason($0.explanation))" }
                return (entity.id, entity.name, outcomes, why.joined(separator: "\n"))
            }
            levels.append(Level_(level: level, columns: columns, rows: rows))
        }
        var counts: [Outcome: Int] = [:]
        for outcome in Outcome.allCases { counts[outcome] = evaluation.summary[outcome.rawValue] ?? 0 }
        let provisional = evaluation.entities.contains { $0.verdicts.contains(where: \.provisional) }
        return sheets(
            levels, source: evaluation.dataset, asOf: date, synthetic: evaluation.synthetic, counts: counts, provisional: provisional,
            asOfText: evaluation.asOf)
    }

    /// A sheet per level, then the sources and the totals.
    private func sheets(
        _ levels: [Level_], source: String, asOf: LocalDate?, synthetic: Bool, counts: [Outcome: Int], provisional: Bool,
        asOfText: String = ""
    ) -> [XLSXWriter.Sheet] {
        let l = language
        var sheets: [XLSXWriter.Sheet] = []
        for section in levels {
            var header: [XLSXWriter.Cell?] = [.text(Words.id(l), .header), .text(Words.name(l), .header)]
            header += section.columns.map { .text($0.id, .header) }
            header.append(.text(Words.reasons(l), .header))
            var titles: [XLSXWriter.Cell?] = [.text(vi ? "(tên tiêu chí)" : "(criterion)", .note), nil]
            titles += section.columns.map { .text($0.title, .note) }
            var rows: [[XLSXWriter.Cell?]] = [header, titles]
            for row in section.rows {
                var cells: [XLSXWriter.Cell?] = [.text(row.id), .text(row.name)]
                cells += row.outcomes.map { $0.map { .text($0.text(in: l)) } ?? nil }
                cells.append(row.reasons.isEmpty ? nil : .text(row.reasons, .wrapped))
                rows.append(cells)
            }
            var widths: [Int: Int] = [1: 12, 2: 28]
            for column in section.columns.indices { widths[column + 3] = 16 }
            widths[section.columns.count + 3] = 80
            sheets.append(XLSXWriter.Sheet(name: Words.levelHeading(section.level, l), rows: rows, widths: widths, frozenRows: 2))
        }
        sheets.append(sourcesSheet(levels.flatMap(\.columns)))
        let date = asOf.map { vi ? $0.vietnamese : $0.description } ?? asOfText
        var totals: [[XLSXWriter.Cell?]] = [
            [.text(Words.checkTitle(l), .header)],
            [.text(Words.dataset(l)), .text(source)],
            [.text(Words.asOf(l)), .text(date)],
        ]
        if synthetic { totals.append([.text(Words.dataset(l)), .text(Words.synthetic(l))]) }
        for outcome in Outcome.allCases {
            totals.append([.text(outcome.text(in: l)), .number(String(counts[outcome] ?? 0))])
        }
        if provisional { totals.append([.text(Words.provisionalRemark(l, mark: Words.provisional(l)), .wrapped)]) }
        sheets.append(XLSXWriter.Sheet(name: vi ? "Tổng hợp" : "Totals", rows: totals, widths: [1: 30, 2: 40], frozenRows: 0))
        return sheets
    }

    /// The sheets of a plan report.
    package func sheets(_ report: PlanReport) -> [XLSXWriter.Sheet] {
        let l = language
        let words = ReportWords(language: l)
        var rows: [[XLSXWriter.Cell?]] = [[
            .text(vi ? "Mục tiêu" : "Target", .header), .text(words.target, .header), .text(words.measured, .header),
            .text(words.required, .header), .text(words.result, .header), .text(vi ? "Diễn giải" : "Summary", .header),
        ]]
        var holdouts: [[XLSXWriter.Cell?]] = [[
            .text(vi ? "Mục tiêu" : "Target", .header), .text(Words.id(l), .header), .text(Words.name(l), .header),
            .text(vi ? "Trực thuộc" : "Under", .header), .text(words.result, .header), .text(Words.reasons(l), .header),
        ]]
        for result in report.targets {
            var summary = words.summary(result, year: report.year)
            if let note = result.note?.text(in: l), !summary.contains(note) { summary += "\n" + note }
            rows.append([
                .text(result.target.id), .text(result.target.title.text(in: l), .wrapped), .text(words.measured(result)),
                .text(words.required(result)), .text(words.outcome(result.outcome)), .text(summary, .wrapped),
            ])
            for holdout in result.holdouts {
                holdouts.append([
                    .text(result.target.id), .text(holdout.entityID), .text(holdout.name), holdout.parentName.map { .text($0) },
                    .text(holdout.outcome.text(in: l)), .text(holdout.reason.text(in: l), .wrapped),
                ])
            }
        }
        var sheets = [
            XLSXWriter.Sheet(name: vi ? "Mục tiêu" : "Targets", rows: rows, widths: [1: 16, 2: 40, 3: 24, 4: 24, 5: 14, 6: 80]),
            XLSXWriter.Sheet(name: vi ? "Đơn vị chưa đạt" : "Holding back", rows: holdouts, widths: [1: 16, 2: 12, 3: 28, 4: 28, 5: 14, 6: 80]),
        ]
        let plan: [(id: String, title: String, source: Citation?)] = [(report.plan.id, report.plan.title.text(in: l), report.plan.source)]
        sheets.append(sourcesSheet(plan + report.targets.map { ($0.target.id, $0.target.title.text(in: l), $0.target.source) }))
        return sheets
    }

    /// The sheet of sources: each criterion's clause, act and status.
    private func sourcesSheet(_ items: [(id: String, title: String, source: Citation?)]) -> XLSXWriter.Sheet {
        var rows: [[XLSXWriter.Cell?]] = [[
            .text(vi ? "Tiêu chí" : "Criterion", .header), .text(vi ? "Nội dung" : "Title", .header),
            .text(vi ? "Điều khoản" : "Clause", .header), .text(vi ? "Văn bản" : "Act", .header),
            .text(vi ? "Tình trạng" : "Status", .header), .text(vi ? "Ghi chú" : "Note", .header),
        ]]
        for item in items {
            let status: String? = item.source.map {
                switch $0.status {
                case .confirmed: vi ? "đã đối chiếu văn bản" : "confirmed"
                case .provisional: vi ? "tạm thời (chưa đối chiếu văn bản)" : "provisional"
                }
            }
            rows.append([
                .text(item.id), .text(item.title, .wrapped), item.source?.part.map { .text($0, .wrapped) }, item.source.map { .text($0.act) },
                status.map { .text($0) }, item.source?.note(in: vi ? .vi : .en).map { .text($0, .wrapped) },
            ])
        }
        return XLSXWriter.Sheet(name: vi ? "Căn cứ" : "Sources", rows: rows, widths: [1: 22, 2: 50, 3: 36, 4: 24, 5: 22, 6: 50])
    }

    /// The workbook of a check.
    package func data(_ summary: VerdictSummary) throws -> Data { try XLSXWriter.data(sheets(summary)) }

    /// The workbook of a recorded evaluation.
    package func data(_ evaluation: EvaluationOutputV1, graph: RuleGraph?) throws -> Data { try XLSXWriter.data(sheets(evaluation, graph: graph)) }

    /// The workbook of a plan report.
    package func data(_ report: PlanReport) throws -> Data { try XLSXWriter.data(sheets(report)) }
}
