import CriteriaEngine
import Foundation
import Testing

/// Plan files: the format, its diagnostics, and exact measurement of targets.
@Suite("Plans")
struct PlanTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A rule set with a commune criterion `t` (passes when `a`) and a district criterion `d` (when every commune meets `t`).
    static func graph() throws -> RuleGraph {
        try RuleSetFixture([
            "t.yaml": RuleSetFixture.criterion("a"),
            "d.yaml": RuleSetFixture.criterion(#"communes.all(c, meets(c, "t"))"#, id: "d", level: "district"),
        ]).graph()
    }

    static func parse(_ text: String, graph: RuleGraph) -> (Plan?, [Diagnostic]) {
        do {
            return (try PlanParser.parse(SourceFile(path: "plan.yaml", text: text), graph: graph), [])
        } catch {
            return (nil, error.diagnostics)
        }
    }

    static let header = """
        criteria: 1
        plan:
          id: p
          title: { vi: Kế hoạch thử }
          by: 2025-12-31
        targets:

        """

    /// A province of one district whose communes have `a` and `cases` per year as given (nil leaves the fact out).
    static func province(_ communes: [(a: Bool?, now: Int?, base: Int?)]) -> String {
        var text = "dataset: 1\nprovince:\n  id: P\n  name: Tỉnh\n  districts:\n    - id: D\n      name: Huyện\n      communes:\n"
        for (index, commune) in communes.enumerated() {
            var now: [String] = []
            if let a = commune.a { now.append("a: \(a)") }
            if let cases = commune.now { now.append("cases: \(cases)") }
            text += "        - id: C\(index)\n          name: Xã \(index)\n          facts:\n"
            text += "            2024: { \(now.joined(separator: ", ")) }\n"
            text += "            2019: { \(commune.base.map { "cases: \($0)" } ?? "") }\n"
        }
        return text
    }

    static func measure(_ targets: String, _ communes: [(a: Bool?, now: Int?, base: Int?)], asOf: String = "2024-12-31") throws
        -> PlanReport
    {
        let graph = try graph()
        let plan = try PlanParser.parse(SourceFile(path: "plan.yaml", text: header + targets), graph: graph)
        let data = try RuleSetFixture.dataset(province(communes), graph: graph)
        return PlanEvaluator(graph: graph).evaluate(plan, dataset: data, asOf: LocalDate(iso: asOf)!)
    }

    // MARK: The bundled plan

    @Test("the Thanh Hóa plan reads against the bundled rules: six targets")
    func bundledPlan() throws {
        let graph = try RuleSetLoader.load(path: Self.root + "/Rules")
        let plan = try PlanParser.load(path: Self.root + "/Rules/plans/thanh-hoa-2022-2025.yaml", graph: graph)
        #expect(plan.id == "thanh-hoa-2022-2025")
        #expect(plan.by == LocalDate(iso: "2025-12-31"))
        #expect(plan.source?.act == "QĐ 926/QĐ-TTg")
        #expect(plan.targets.map(\.measure) == [
            .share(of: .commune, meeting: "xa-ntm.19.2", atLeast: Decimal(string: "0.99")!),
            .share(of: .commune, meeting: "xa-ntm-nang-cao.19.2", atLeast: Decimal(string: "0.5")!),
            .share(of: .commune, meeting: "xa-ntm-kieu-mau.antt", atLeast: Decimal(string: "0.2")!),
            .share(of: .district, meeting: "huyen-ntm.9.4", atLeast: Decimal(string: "0.6")!),
            .share(of: .district, meeting: "huyen-ntm-nang-cao.9.1", atLeast: Decimal(string: "0.25")!),
            .reduction(input: "social_order_crimes", baselineYear: 2019, atMost: Decimal(string: "0.95")!, units: [.district, .province]),
        ])
    }

    // MARK: Diagnostics

    @Test("a misspelt key is one diagnostic with a did-you-mean, not also a missing key")
    func misspeltKey() throws {
        let (_, list) = Self.parse(Self.header + "  - { id: x, title: { vi: X }, share_of: commune, meting: t, at_least: 50% }\n", graph: try Self.graph())
        #expect(list.count == 1)
        expectDiagnostic(list, "plan.unknown-key", at: 7, 51, hint: "did you mean 'meeting'?")
    }

    @Test("a criterion that does not exist, or of another level")
    func criteria() throws {
        let text = Self.header + """
              - { id: x, title: { vi: X }, share_of: commune, meeting: tt, at_least: 50% }
              - { id: y, title: { vi: Y }, share_of: district, meeting: t, at_least: 50% }

            """
        let (_, list) = Self.parse(text, graph: try Self.graph())
        expectDiagnostic(list, "plan.unknown-criterion", at: 7, 60, hint: "did you mean 't'?")
        expectDiagnostic(list, "plan.level-mismatch", at: 8, 61, message: "'t' applies to a commune, but the target counts districts")
    }

    @Test("shares are percentages from 0% to 100%; a bare 99 asks for 99%")
    func shares() throws {
        let text = Self.header + """
              - { id: x, title: { vi: X }, share_of: commune, meeting: t, at_least: 99 }
              - { id: y, title: { vi: Y }, crime_vs: 2019, input: cases, at_most: "95%", for: [district] }

            """
        let (_, list) = Self.parse(text, graph: try Self.graph())
        expectDiagnostic(list, "plan.invalid-number", at: 7, 73, hint: "write it as a percentage, e.g. '99%'")
        expectDiagnostic(list, "plan.wrong-type", at: 8, 71)
    }

    @Test("a target measures one thing; ids are unique; inputs exist and are commune numbers")
    func targets() throws {
        let text = Self.header + """
              - { id: x, title: { vi: X }, share_of: commune, meeting: t, at_least: 50%, crime_vs: 2019 }
              - { id: y, title: { vi: Y } }
              - { id: z, title: { vi: Z }, crime_vs: 2019, input: case, at_most: 95%, for: [district] }
              - { id: z, title: { vi: Z }, crime_vs: 2019, input: hotspots, at_most: 95%, for: [hamlet] }

            """
        let (_, list) = Self.parse(text, graph: try Self.graph())
        expectDiagnostic(list, "plan.conflicting-keys", at: 7, 78)
        expectDiagnostic(list, "plan.missing-key", at: 8, 5, message: "the target 'y' says nothing to measure")
        expectDiagnostic(list, "plan.unknown-input", at: 9, 55, hint: "did you mean 'cases'?")
        expectDiagnostic(list, "plan.wrong-type", at: 10, 55)
        expectDiagnostic(list, "plan.invalid-value", at: 10, 85)
    }

    @Test("the file needs its version, plan and targets")
    func file() throws {
        let (_, list) = Self.parse("criteria: 2\nplan: { id: p }\n", graph: try Self.graph())
        expectDiagnostic(list, "plan.missing-key", at: 1, 1, message: "the plan file is missing the required key 'targets'")
        expectDiagnostic(list, "plan.unsupported-version", at: 1, 11)
        expectDiagnostic(list, "plan.missing-key", at: 2, 7, message: "'plan' is missing the required key 'title'")
        let (_, empty) = Self.parse("", graph: try Self.graph())
        expectDiagnostic(empty, "yaml.empty", at: 1, 1, hint: "a plan file starts with 'criteria: 1', then 'plan:' and 'targets:'")
    }

    @Test("duplicate target ids point at the first")
    func duplicate() throws {
        let text = Self.header + """
              - { id: x, title: { vi: X }, share_of: commune, meeting: t, at_least: 50% }
              - { id: x, title: { vi: X }, share_of: commune, meeting: t, at_least: 60% }

            """
        let (_, list) = Self.parse(text, graph: try Self.graph())
        let found = expectDiagnostic(list, "plan.duplicate-id", at: 8, 11)
        #expect(found?.notes.first?.range?.start.line == 7)
    }

    // MARK: Measurement

    static let crime = "  - { id: c, title: { vi: Giảm }, crime_vs: 2019, input: cases, at_most: 95%, for: [district, province] }\n"

    @Test("57 cases against 60 in 2019 meets ≤ 95%; 58 does not — exact decimals")
    func crimeBoundary() throws {
        let met = try Self.measure(Self.crime, [(true, 30, 31), (true, 27, 29)])
        #expect(met.targets[0].outcome == .pass)
        #expect(met.targets[0].units.map(\.limit) == [57, 57])
        #expect(met.targets[0].units.map(\.level) == [.district, .province])
        let over = try Self.measure(Self.crime, [(true, 31, 31), (true, 27, 29)])
        #expect(over.targets[0].outcome == .fail)
        #expect(over.targets[0].holdouts.map(\.entityID) == ["D", "P"])
        #expect(over.targets[0].holdouts[0].reason.en == "2024: 58 cases, above the most allowed, 57 cases (95% of 60 cases in 2019).")
    }

    @Test("missing figures count both ways: unknown only when they could decide")
    func crimeMissing() throws {
        // This year's figure missing: 30 known ≤ 57, but the missing one could push it over.
        let open = try Self.measure(Self.crime, [(true, 30, 31), (true, nil, 29)])
        #expect(open.targets[0].outcome == .unknown)
        #expect(open.targets[0].units[0].currentMissing == 1)
        // Already over with a figure missing: 58 known > 57 however large the rest.
        let over = try Self.measure(Self.crime, [(true, 58, 31), (true, nil, 29)])
        #expect(over.targets[0].outcome == .fail)
        // A baseline figure missing only raises the limit: 20 ≤ 29.45 whatever it is.
        let under = try Self.measure(Self.crime, [(true, 10, 31), (true, 10, nil)])
        #expect(under.targets[0].outcome == .pass)
    }

    static let share = "  - { id: s, title: { vi: Tỷ lệ }, share_of: commune, meeting: t, at_least: 60% }\n"

    @Test("a share compares whole numbers: 3 of 5 meets 60%, 2 of 5 does not, unknowns decide the rest")
    func shareExact() throws {
        let yes: (a: Bool?, now: Int?, base: Int?) = (true, 1, 1)
        let no: (a: Bool?, now: Int?, base: Int?) = (false, 1, 1)
        let open: (a: Bool?, now: Int?, base: Int?) = (nil, 1, 1)
        let met = try Self.measure(Self.share, [yes, yes, yes, no, no])
        #expect(met.targets[0].outcome == .pass)
        #expect(met.targets[0].share?.needed == 3)
        #expect(met.targets[0].share?.share == Decimal(string: "0.6"))
        let short = try Self.measure(Self.share, [yes, yes, no, no, no])
        #expect(short.targets[0].outcome == .fail)
        #expect(short.targets[0].holdouts.count == 3)
        let undecided = try Self.measure(Self.share, [yes, yes, open, no, no])
        #expect(undecided.targets[0].outcome == .unknown)
        #expect(undecided.targets[0].share?.upperShare == Decimal(string: "0.6"))
        let hopeless = try Self.measure(Self.share, [yes, open, no, no, no])
        #expect(hopeless.targets[0].outcome == .fail)
    }

    @Test("a target over a criterion not in force is not applicable, with its period")
    func notInForce() throws {
        let report = try Self.measure(Self.share, [(true, 1, 1)], asOf: "2021-06-30")
        #expect(report.targets[0].outcome == .notApplicable)
        #expect(report.targets[0].note?.en == "Not applicable on 2021-06-30: t is in force from 2022-01-01.")
        let late = try Self.measure(Self.share, [(true, 1, 1)], asOf: "2026-01-01")
        #expect(late.notes.map(\.en) == ["The evaluation date 2026-01-01 is after the plan's deadline (2025-12-31)."])
    }
}
