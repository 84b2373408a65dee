import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// A clause with its own `in_force` (issue #17, item 4), end to end through the CLI on a copy of the
/// bundled rules: the clause is absent before its first day, coverage asks for both sides of the
/// boundary until tests give them, and the page and `criteria changes` state the window in words.
@Suite struct ClauseWindowTests {
    /// The clause added to xa-ntm.19.2: from 2025-01-01 at most 40 social-order crimes in the year
    /// (every bundled test after that day has fewer, so none of them changes its verdict).
    static func clause(_ window: String) -> String {
        """
          - id: khong-qua-40-vu
            title:
              vi: Số vụ phạm tội về trật tự xã hội trong năm không quá 40
              en: At most 40 social-order crimes in the year
            in_force: \(window)
            check: social_order_crimes <= 40

        """
    }

    /// A copy of the bundled rules (and the original beside it, `Rules-goc`) with the clause added.
    static func rules(window: String = "{ from: 2025-01-01 }") throws -> (old: String, new: String) {
        let new = try DatedCoverageTests.rules(editing: "xa-ntm/19.2.yaml") {
            $0.replacingOccurrences(of: "\n  - id: don-vi-an-toan\n", with: "\n" + clause(window) + "  - id: don-vi-an-toan\n")
        }
        let old = (new as NSString).deletingLastPathComponent + "/Rules-goc"
        try FileManager.default.copyItem(atPath: Paths.rules, toPath: old)
        return (old, new)
    }

    /// The tests that cover the clause: its first day with 41 crimes (fails on the clause), and the
    /// day before with 41 (the clause absent: passes).
    static let cases = """
          - name: ngày đầu điều kiện không quá 40 vụ có hiệu lực, 41 vụ
            as_of: 2025-01-01
            carry: { from: 2024, to: 2025 }
            set: { X1: { 2024: { social_order_crimes: 41 }, 2025: { social_order_crimes: 41 } } }
            expect:
              - { criterion: xa-ntm.19.2, outcome: fail, reasons: [khong-qua-40-vu] }
          - name: ngày trước khi điều kiện không quá 40 vụ có hiệu lực, 41 vụ
            as_of: 2024-12-31
            set: { X1: { 2023: { social_order_crimes: 41 }, 2024: { social_order_crimes: 41 } } }
            expect:
              - { criterion: xa-ntm.19.2, outcome: pass, reasons: [] }

        """

    @Test func coverageAsksForBothSidesOfTheClauseUntilTestsGiveThem() throws {
        let (_, rules) = try Self.rules()
        let before = criteria("test", rules, "--min-coverage", "100")
        // Every old test passes (the bundled data has fewer than 40 crimes after 2025); only the
        // coverage fails: the day before is tested (many cases are on 2024-12-31), its first day not.
        #expect(before.exitCode == 1)
        #expect(before.stdout.hasSuffix(" đúng, 0 sai\n"))
        #expect(before.stdout.contains("  Thời hạn hiệu lực riêng của điều kiện:\n    ✗ xa-ntm.19.2/khong-qua-40-vu từ 01/01/2025  ✓ ngày trước  · ngày đầu\n"))
        #expect(before.stdout.contains("  ✗ điều kiện xa-ntm.19.2/khong-qua-40-vu có hiệu lực từ 01/01/2025: chưa thử vào ngày 2025-01-01 (có điều kiện)\n"))
        #expect(before.stdout.contains("        as_of: 2025-01-01\n"))
        #expect(before.stdout.contains("    ✗ xa-ntm.19.2/khong-qua-40-vu  đạt ✓  không đạt ·"))
        let english = criteria("test", rules, "--min-coverage", "100", "--lang", "en")
        #expect(english.stdout.contains("  Clauses' own in_force windows:\n    ✗ xa-ntm.19.2/khong-qua-40-vu from 2025-01-01  ✓ day before  · first day\n"))
        #expect(english.stdout.contains("  ✗ clause xa-ntm.19.2/khong-qua-40-vu in force from 2025-01-01: not tested on 2025-01-01 (with the clause)\n"))

        try DatedCoverageTests.paste(Self.cases, into: rules + "/xa-ntm/tests/19.2.yaml")
        let after = criteria("test", rules, "--min-coverage", "100")
        #expect(after.exitCode == 0, "\(after.stdout)\(after.stderr)")
        #expect(after.stdout.contains("    ✓ xa-ntm.19.2/khong-qua-40-vu từ 01/01/2025  ✓ ngày trước  ✓ ngày đầu\n"))
        #expect(after.stdout.contains("    ✓ xa-ntm.19.2/khong-qua-40-vu  đạt ✓  không đạt ✓"))
        #expect(!after.stdout.contains("Chưa phủ"))
    }

    @Test func aWindowThatEndsHasTwoMoreMarks() throws {
        let (_, rules) = try Self.rules(window: "{ from: 2025-01-01, until: 2025-09-30 }")
        let output = criteria("test", rules, "--min-coverage", "100")
        #expect(output.exitCode == 1)
        #expect(output.stdout.contains("    ✗ xa-ntm.19.2/khong-qua-40-vu từ 01/01/2025 đến 30/09/2025  ✓ ngày trước  · ngày đầu  · ngày cuối  · ngày sau\n"))
        #expect(output.stdout.contains("chưa thử vào ngày 2025-01-01 (có điều kiện), 2025-09-30 (có điều kiện), 2025-10-01 (chưa có hoặc đã hết điều kiện)\n"))
        let english = criteria("test", rules, "--min-coverage", "100", "--lang", "en")
        #expect(english.stdout.contains("    ✗ xa-ntm.19.2/khong-qua-40-vu from 2025-01-01 until 2025-09-30  ✓ day before  · first day  · last day  · day after\n"))
    }

    @Test func theExplanationBeforeTheFirstDayDoesNotNameTheClause() throws {
        let (_, rules) = try Self.rules()
        let graph = try RuleSetLoader.load(path: rules)
        let cases = try RuleTestLoader.load(files: [rules + "/xa-ntm/tests/19.2.yaml"], graph: graph)
        let base = try #require(cases.first { $0.name == "đạt đủ 8 nội dung" })
        var data = base.dataset
        let commune = try #require(data.index(of: "X1"))
        for (year, facts) in data.entities[commune].facts where year == 2024 {
            for (name, fact) in facts { data.setFact(fact, name: name, year: 2025, entity: commune) }
        }
        for year in [2023, 2024, 2025] { data.setFact(Fact(.number(41)), name: "social_order_crimes", year: year, entity: commune) }
        let evaluator = Evaluator(graph: graph)
        for (day, outcome, named) in [(LocalDate(year: 2024, month: 12, day: 31), Outcome.pass, false), (LocalDate(year: 2025, month: 1, day: 1), .fail, true)] {
            let date = try #require(day)
            let full = evaluator.evaluate(data, asOf: date, detail: .full)
            let verdict = try #require(full.verdict(entity: commune, criterion: "xa-ntm.19.2"))
            #expect(verdict.outcome == outcome)
            let ids = verdict.explanation.children.map(\.id)
            #expect(ids.contains("xa-ntm.19.2/khong-qua-40-vu") == named, "\(date): \(ids)")
            // The fast evaluator (outcomes only) and the short explanations agree.
            let table = evaluator.outcomes(data, asOf: date)
            #expect(table.outcome(entity: commune, criterion: "xa-ntm.19.2") == outcome)
            let short = try #require(table.verdict(entity: commune, criterion: "xa-ntm.19.2"))
            #expect(short.outcome == outcome)
            #expect(short.explanation.children.map(\.id).contains("xa-ntm.19.2/khong-qua-40-vu") == named)
        }
    }

    @Test func changesAndThePageStateTheWindowInWords() throws {
        let (old, rules) = try Self.rules()
        let changes = criteria("changes", old, rules)
        #expect(changes.stdout.contains("- điều kiện `xa-ntm.19.2/khong-qua-40-vu` được thêm, có hiệu lực từ 01/01/2025: `social_order_crimes <= 40`\n"), "\(changes.stdout)")
        let english = criteria("changes", old, rules, "--lang", "en")
        #expect(english.stdout.contains("- condition `xa-ntm.19.2/khong-qua-40-vu` added, in force from 2025-01-01: `social_order_crimes <= 40`\n"), "\(english.stdout)")

        let pages = NSTemporaryDirectory() + "criteria-clause-window-pages-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: pages) }
        #expect(criteria("docs", "--rules", rules, "--output", pages).exitCode == 0)
        let page = try String(contentsOfFile: pages + "/xa-ntm.19.2.md", encoding: .utf8)
        #expect(page.contains("| `khong-qua-40-vu` | Số vụ phạm tội về trật tự xã hội trong năm không quá 40 *(từ 01/01/2025 / from 2025-01-01)* |"))

        // Moving the window is a change of its own.
        let moved = (rules as NSString).deletingLastPathComponent + "/Rules-sau"
        try FileManager.default.copyItem(atPath: rules, toPath: moved)
        let file = moved + "/xa-ntm/19.2.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "in_force: { from: 2025-01-01 }", with: "in_force: { from: 2025-07-01 }").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(criteria("changes", rules, moved).stdout.contains("- thời hạn hiệu lực riêng của `xa-ntm.19.2/khong-qua-40-vu`: từ 01/01/2025 → từ 01/07/2025\n"))
    }

    @Test func theSchemaAcceptsAClauseWindow() throws {
        let schema = criteria("schema").stdout
        #expect(schema.contains("The clause's own period, inside its criterion version's"))
    }
}
