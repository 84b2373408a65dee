import CriteriaEngine
import Foundation
import Testing

/// A check arranged from the outcome table (rows explained when read, what `criteria check` writes
/// as it goes) shows exactly what the arrangement of a whole short evaluation shows.
@Suite struct StreamedSummaryTests {
    /// Renders both arrangements in every check format and compares them.
    static func expectSameRendering(
        _ evaluator: Evaluator, _ data: Dataset, _ date: LocalDate, criteria: Set<String>? = nil, entities: Set<Int>? = nil
    ) {
        let result = evaluator.evaluate(data, asOf: date, criteria: criteria, detail: .short)
        let table = evaluator.outcomes(data, asOf: date, criteria: criteria)
        let eager = VerdictSummary(result, entities: entities)
        let streamed = VerdictSummary(table, entities: entities)
        let place = "\(date) \(criteria ?? []) \(entities ?? [])"
        #expect(streamed.counts == eager.counts, "\(place)")
        #expect(streamed.involvesProvisional == eager.involvesProvisional, "\(place)")
        #expect(streamed.sections.map(\.columns) == eager.sections.map(\.columns), "\(place)")
        for language in [Language.vi, .en] {
            #expect(VerdictTextRenderer(language: language).render(streamed) == VerdictTextRenderer(language: language).render(eager), "\(place)")
            #expect(MarkdownRenderer(language: language).check(streamed) == MarkdownRenderer(language: language).check(eager), "\(place)")
            #expect(HTMLRenderer(language: language).check(streamed) == HTMLRenderer(language: language).check(eager), "\(place)")
        }
    }

    @Test(arguments: FastPathTests.dates) func everyFormatAgreesOnTheSample(date: String) throws {
        let graph = try FastPathTests.rules()
        let data = try FastPathTests.sample(graph)
        Self.expectSameRendering(Evaluator(graph: graph), data, LocalDate(iso: date)!)
    }

    @Test func selectedCriteriaAndOneEntity() throws {
        let graph = try FastPathTests.rules()
        let data = try FastPathTests.sample(graph)
        let date = LocalDate(iso: "2024-12-31")!
        let evaluator = Evaluator(graph: graph)
        Self.expectSameRendering(evaluator, data, date, criteria: ["xa-ntm-kieu-mau.antt", "huyen-ntm-nang-cao.9.1"])
        let commune = try #require(data.entities.firstIndex { $0.level == .commune })
        Self.expectSameRendering(evaluator, data, date, entities: [commune])
        Self.expectSameRendering(evaluator, data, date, criteria: ["huyen-ntm.9.4"], entities: [commune])
    }

    @Test func verdictsThatRunOutOfStepsWarnTheSameWay() throws {
        let graph = try FastPathTests.rules()
        let data = try FastPathTests.sample(graph)
        let date = LocalDate(iso: "2024-12-31")!
        for steps in [3, 40, 200] {
            var limits = Limits.default
            limits.maxEvaluationSteps = steps
            let evaluator = Evaluator(graph: graph, limits: limits)
            let result = evaluator.evaluate(data, asOf: date, detail: .short)
            let table = evaluator.outcomes(data, asOf: date)
            #expect(!result.limitDiagnostics.isEmpty || steps > 40)
            #expect(table.limitDiagnostics == result.limitDiagnostics, "max \(steps) steps")
            // Each warning counts the verdicts that are unknown because they ran out; one decided although
            // a branch ran out (fail ∧ unknown = fail) is not among them.
            for diagnostic in result.limitDiagnostics {
                let text = diagnostic.message
                let counted = result.verdicts.filter {
                    text.contains("'\($0.criterion)'") && $0.stepBudgetExhaustedAt != nil && $0.outcome == .unknown
                }
                let others = counted.count - 1
                #expect(text.contains(others == 0 ? "; its verdict is unknown" : "and \(others) other\(others == 1 ? "" : "s");"), "\(text)")
            }
            Self.expectSameRendering(evaluator, data, date)
        }
    }

    @Test func textIsWrittenARowAtATime() throws {
        let graph = try FastPathTests.rules()
        let data = try FastPathTests.sample(graph)
        let table = Evaluator(graph: graph).outcomes(data, asOf: LocalDate(iso: "2024-12-31")!)
        let summary = VerdictSummary(table)
        var pieces: [String] = []
        var reported: [(Int, Int)] = []
        VerdictTextRenderer().render(summary, progress: { reported.append(($0, $1)) }) { pieces.append($0) }
        let rows = summary.sections.reduce(0) { $0 + $1.rows.count }
        // A heading, a header per level, a piece per row, the totals.
        #expect(pieces.count == 1 + summary.sections.count + rows + 1)
        #expect(pieces.joined() == VerdictTextRenderer().render(summary))
        #expect(reported.last.map { $0 == (rows, rows) } == true)
        #expect(reported.count == rows)
    }
}
