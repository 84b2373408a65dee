import CriteriaEngine
import Foundation
import Testing

/// Evaluates a one-condition rule on one commune as of 2024-12-31 and returns the outcome.
private func outcome(_ check: String, facts: String, hamlets: [Bool?] = [true], extraYears: String = "", parameters: String? = nil) throws -> Verdict {
    var files = ["t.yaml": RuleSetFixture.criterion(check)]
    if let parameters { files["parameters.yaml"] = parameters }
    let fixture = try RuleSetFixture(files)
    let graph = try fixture.graph()
    let data = try RuleSetFixture.dataset(RuleSetFixture.commune(facts, hamlets: hamlets, extraYears: extraYears), graph: graph)
    let asOf = LocalDate(iso: "2024-12-31")!
    let evaluator = Evaluator(graph: graph)
    let result = evaluator.evaluate(data, asOf: asOf)
    let verdict = try #require(result.verdicts.first { $0.criterion == "t" })
    // The fast paths agree with the reference: outcomes only, and the short explanation.
    #expect(evaluator.outcomes(data, asOf: asOf).outcome(entity: verdict.entity, criterion: "t") == verdict.outcome)
    let short = evaluator.evaluate(data, asOf: asOf, detail: .short).verdicts.first { $0.criterion == "t" }
    #expect(short?.explanation == verdict.explanation.short)
    return verdict
}

@Suite struct KleeneLogicTests {
    static let values: [(String, Bool?)] = [("true", true), ("false", false), ("missing", nil)]

    static func facts(_ a: Bool?, _ b: Bool?) -> String {
        [a.map { "a: \($0)" }, b.map { "b: \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }

    static func expected(_ value: Bool?) -> Outcome { value.map { $0 ? .pass : .fail } ?? .unknown }

    @Test(arguments: [true, false, nil] as [Bool?], [true, false, nil] as [Bool?])
    func and(_ a: Bool?, _ b: Bool?) throws {
        let truth: Bool? = (a == false || b == false) ? false : (a == true && b == true ? true : nil)
        #expect(try outcome("a && b", facts: Self.facts(a, b)).outcome == Self.expected(truth))
        #expect(try outcome("b && a", facts: Self.facts(a, b)).outcome == Self.expected(truth))
    }

    @Test(arguments: [true, false, nil] as [Bool?], [true, false, nil] as [Bool?])
    func or(_ a: Bool?, _ b: Bool?) throws {
        let truth: Bool? = (a == true || b == true) ? true : (a == false && b == false ? false : nil)
        #expect(try outcome("a || b", facts: Self.facts(a, b)).outcome == Self.expected(truth))
        #expect(try outcome("b || a", facts: Self.facts(a, b)).outcome == Self.expected(truth))
    }

    @Test(arguments: [true, false, nil] as [Bool?])
    func not(_ a: Bool?) throws {
        #expect(try outcome("!a", facts: Self.facts(a, nil)).outcome == Self.expected(a.map { !$0 }))
    }

    @Test func missingFactIsNeverZero() throws {
        let verdict = try outcome("cases == 0", facts: "a: true")
        #expect(verdict.outcome == .unknown)
        #expect(verdict.explanation.missing.contains { $0.name == "cases" && $0.year == 2024 && $0.entityID == "C1" })
    }
}

@Suite struct ExactDecimalTests {
    @Test func fivePercentBelow2019AtTheBoundary() throws {
        #expect(try outcome("cases <= base * 95%", facts: "cases: 57, base: 60").outcome == .pass)
        #expect(try outcome("cases <= base * 95%", facts: "cases: 58, base: 60").outcome == .fail)
    }

    @Test func seventeenOfTwentyFiveIsNotSeventyPercent() throws {
        #expect(try outcome("cases / base >= 70%", facts: "cases: 17, base: 25").outcome == .fail)
        #expect(try outcome("cases / base >= 70%", facts: "cases: 18, base: 25").outcome == .pass)
        // 16 of 25 = 64% fails, 18 of 25 is the least that passes (the worked example of TT 23/2012).
        #expect(try outcome("cases / base >= 70%", facts: "cases: 16, base: 25").outcome == .fail)
    }

    @Test func decimalFractionsAreExact() throws {
        #expect(try outcome("0.1 + 0.2 == 0.3", facts: "a: true").outcome == .pass)
        #expect(try outcome("cases * 0.95 == 1918.05", facts: "cases: 2019").outcome == .pass)
    }

    @Test func divisionByZeroIsUnknownWithItsPlace() throws {
        let verdict = try outcome("cases / base >= 1", facts: "cases: 3, base: 0")
        #expect(verdict.outcome == .unknown)
        let message = try #require(verdict.explanation.missing.first?.message.en)
        #expect(message.contains("division by zero"))
        #expect(message.contains("t.yaml:10:"))
    }

    @Test func requirementStatesWhatIsNeeded() throws {
        let verdict = try outcome("cases <= 38", facts: "cases: 41")
        let check = try #require(verdict.explanation.children.first)
        #expect(check.requirement?.text(in: .vi) == "cần ≤ 38 vụ, thực tế 41 vụ — vượt 3 vụ")
        #expect(check.requirement?.text(in: .en) == "needs at most 38 cases, has 41 — 3 cases over")
        #expect(check.sentence.vi.contains("cần ≤ 38 vụ, thực tế 41 vụ — vượt 3 vụ"))
        #expect(check.requirement?.gap == RequirementGap(kind: .over, amount: "3", noun: check.requirement?.unit))

        // A comparison that holds says nothing of a gap.
        let passing = try #require(try outcome("cases <= 38", facts: "cases: 38").explanation.children.first)
        #expect(passing.requirement?.gap == nil)
        // A number that must reach a threshold: how much is missing.
        let short = try #require(try outcome("cases >= 5", facts: "cases: 3").explanation.children.first)
        #expect(short.requirement?.text(in: .vi) == "cần ≥ 5 vụ, thực tế 3 vụ — còn thiếu 2 vụ")
    }

    @Test(arguments: [
        // recognised hamlets, the comparison, how many more would pass it (nil: it passes)
        ([true, true, false, false, false, false, false], ">= 70%", "3"),  // 2/7: ⌈4.9⌉ = 5, 3 more
        ([true, false, false], ">= 70%", "2"),  // 1/3: ⌈2.1⌉ = 3, 2 more
        ([true, true, false, false], "> 50%", "1"),  // 2/4: more than half is 3, 1 more
        ([true, true, true, false], ">= 70%", "1"),  // 3/4 = 75% passes? no: 75% ≥ 70% passes
    ] as [([Bool], String, String)])
    func aFailedShareSaysHowManyMoreWouldPass(hamlets: [Bool], comparison: String, more: String) throws {
        let verdict = try outcome("share(hamlets, h, h.safe) \(comparison)", facts: "a: true", hamlets: hamlets)
        let check = try #require(verdict.explanation.children.first)
        if verdict.outcome == .pass {
            #expect(check.requirement?.gap == nil)
            return
        }
        #expect(check.requirement?.gap?.kind == .moreNeeded)
        #expect(check.requirement?.gap?.amount == more)
        #expect(check.requirement?.gap?.text(in: .vi) == "cần thêm \(more) thôn đạt điều kiện")
        #expect(check.requirement?.gap?.text(in: .en) == "\(more) more \(more == "1" ? "hamlet" : "hamlets") meeting it would pass")
        // The fold names the hamlets that do not meet it.
        let share = try #require(check.values.first { $0.name.hasPrefix("share(") })
        #expect(share.detail?.contains("✗ ") == true)
    }
}

@Suite struct CollectionTests {
    @Test func shareCountsKnownHamlets() throws {
        #expect(try outcome("share(hamlets, h, h.safe) >= 70%", facts: "a: true", hamlets: [true, true, false]).outcome == .fail)
        #expect(try outcome("share(hamlets, h, h.safe) >= 60%", facts: "a: true", hamlets: [true, true, false]).outcome == .pass)
    }

    @Test func aMissingHamletFactMakesTheShareUnknown() throws {
        let verdict = try outcome("share(hamlets, h, h.safe) >= 70%", facts: "a: true", hamlets: [true, nil, true])
        #expect(verdict.outcome == .unknown)
        #expect(verdict.explanation.missing.contains { $0.name == "safe" && $0.entityID == "H2" })
    }

    @Test func allIsFalseWhenOneIsFalseEvenIfAnotherIsMissing() throws {
        #expect(try outcome("hamlets.all(h, h.safe)", facts: "a: true", hamlets: [false, nil]).outcome == .fail)
        #expect(try outcome("hamlets.exists(h, h.safe)", facts: "a: true", hamlets: [true, nil]).outcome == .pass)
        #expect(try outcome("hamlets.exists(h, h.safe)", facts: "a: true", hamlets: [false, nil]).outcome == .unknown)
    }

    @Test func noHamletsListedIsUnknownNotVacuouslyTrue() throws {
        let fixture = try RuleSetFixture(["t.yaml": RuleSetFixture.criterion("hamlets.all(h, h.safe)")])
        let graph = try fixture.graph()
        let data = try RuleSetFixture.dataset(
            """
            dataset: 1
            commune: { id: C1, name: Xã Một, facts: { 2024: { a: true } } }
            """, graph: graph)
        let verdict = try #require(Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2024-06-01")!).verdicts.first)
        #expect(verdict.outcome == .unknown)
        #expect(verdict.explanation.missing.contains { $0.name == "hamlets" })
    }

    @Test func enumMembership() throws {
        #expect(try outcome(#"rating in ["xuat_sac", "kha"]"#, facts: "rating: kha").outcome == .pass)
        #expect(try outcome(#"rating in ["xuat_sac", "kha"]"#, facts: "rating: yeu").outcome == .fail)
    }

    @Test func lastYearAndGivenYear() throws {
        let years = "    2023: { cases: 10 }\n    2019: { cases: 20 }"
        #expect(try outcome("cases <= last_year(cases)", facts: "cases: 10", extraYears: years).outcome == .pass)
        #expect(try outcome("cases <= last_year(cases)", facts: "cases: 11", extraYears: years).outcome == .fail)
        #expect(try outcome("cases <= in_year(2019, cases) * 50%", facts: "cases: 10", extraYears: years).outcome == .pass)
        #expect(try outcome("cases <= in_year(2019, cases) * 50%", facts: "cases: 11", extraYears: years).outcome == .fail)
    }
}

@Suite struct DatedSelectionTests {
    static let parameters = """
        criteria: 1
        parameters:
          - name: threshold
            title: { vi: Ngưỡng }
            type: percent
            values:
              2022-01-01: 70%
              2025-01-01: 80%
        """

    @Test func parameterValueFollowsTheDate() throws {
        let fixture = try RuleSetFixture([
            "t.yaml": RuleSetFixture.criterion("share(hamlets, h, h.safe) >= threshold"), "parameters.yaml": Self.parameters,
        ])
        let graph = try fixture.graph()
        let hamlets = "hamlets: [ { id: H1, name: T1, facts: { 2024: { safe: true }, 2025: { safe: true } } }, { id: H2, name: T2, facts: { 2024: { safe: true }, 2025: { safe: true } } }, { id: H3, name: T3, facts: { 2024: { safe: true }, 2025: { safe: true } } }, { id: H4, name: T4, facts: { 2024: { safe: false }, 2025: { safe: false } } } ]"
        let data = try RuleSetFixture.dataset("dataset: 1\ncommune: { id: C1, name: X, \(hamlets) }", graph: graph)
        let evaluator = Evaluator(graph: graph)
        // 3 of 4 = 75%: enough under 70%, not under 80%.
        #expect(evaluator.evaluate(data, asOf: LocalDate(iso: "2024-12-31")!).verdicts.first?.outcome == .pass)
        #expect(evaluator.evaluate(data, asOf: LocalDate(iso: "2025-01-01")!).verdicts.first?.outcome == .fail)
        #expect(evaluator.evaluate(data, asOf: LocalDate(iso: "2021-12-31")!).verdicts.first?.outcome == .notApplicable)
    }

    @Test func ruleVersionFollowsTheDate() throws {
        let fixture = try RuleSetFixture([
            "v1.yaml": RuleSetFixture.criterion("cases <= 5", from: "2022-01-01", until: "2024-06-30"),
            "v2.yaml": RuleSetFixture.criterion("cases <= 3", from: "2024-07-01"),
        ])
        let graph = try fixture.graph()
        let data = try RuleSetFixture.dataset(
            "dataset: 1\ncommune: { id: C1, name: X, facts: { 2024: { cases: 4 } } }", graph: graph)
        let evaluator = Evaluator(graph: graph)
        #expect(evaluator.evaluate(data, asOf: LocalDate(iso: "2024-06-30")!).verdicts.first?.outcome == .pass)
        #expect(evaluator.evaluate(data, asOf: LocalDate(iso: "2024-07-01")!).verdicts.first?.outcome == .fail)
    }

    @Test func outsideEveryVersionIsNotApplicableWithThePeriods() throws {
        let fixture = try RuleSetFixture(["t.yaml": RuleSetFixture.criterion("a", until: "2025-06-30")])
        let graph = try fixture.graph()
        let data = try RuleSetFixture.dataset("dataset: 1\ncommune: { id: C1, name: X, facts: { 2025: { a: true } } }", graph: graph)
        let verdict = try #require(Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2025-07-01")!).verdicts.first)
        #expect(verdict.outcome == .notApplicable)
        #expect(verdict.explanation.sentence.en?.contains("from 2022-01-01 until 2025-06-30") == true)
    }
}

@Suite struct CrossLevelTests {
    static func graph() throws -> RuleGraph {
        try RuleSetFixture([
            "commune.yaml": RuleSetFixture.criterion("a", id: "xa"),
            "district.yaml": RuleSetFixture.criterion(#"hotspots == 0 && communes.all(c, meets(c, "xa"))"#, id: "huyen", level: "district"),
        ]).graph()
    }

    static func data(_ a1: Bool?, _ a2: Bool?, hotspots: Int? = 0, graph: RuleGraph) throws -> Dataset {
        func facts(_ a: Bool?) -> String { a.map { "a: \($0)" } ?? "" }
        return try RuleSetFixture.dataset(
            """
            dataset: 1
            district:
              id: D1
              name: Huyện Một
              facts: { 2024: { \(hotspots.map { "hotspots: \($0)" } ?? "") } }
              communes:
                - { id: C1, name: Xã Một, facts: { 2024: { \(facts(a1)) } } }
                - { id: C2, name: Xã Hai, facts: { 2024: { \(facts(a2)) } } }
            """, graph: graph)
    }

    static func district(_ a1: Bool?, _ a2: Bool?, hotspots: Int? = 0) throws -> Verdict {
        let graph = try graph()
        let result = Evaluator(graph: graph).evaluate(try data(a1, a2, hotspots: hotspots, graph: graph), asOf: LocalDate(iso: "2024-12-31")!)
        return try #require(result.verdicts.first { $0.criterion == "huyen" })
    }

    @Test func districtFollowsItsCommunes() throws {
        #expect(try Self.district(true, true).outcome == .pass)
        #expect(try Self.district(true, false).outcome == .fail)
        #expect(try Self.district(true, nil).outcome == .unknown)
        #expect(try Self.district(false, nil).outcome == .fail)
    }

    @Test func missingDistrictFactIsUnknown() throws {
        let verdict = try Self.district(true, true, hotspots: nil)
        #expect(verdict.outcome == .unknown)
        #expect(verdict.explanation.missing.contains { $0.name == "hotspots" && $0.entityID == "D1" })
    }

    @Test func failingCommunesAreNamedInTheExplanation() throws {
        let graph = try Self.graph()
        let data = try Self.data(true, false, graph: graph)
        let result = Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2024-12-31")!)
        let verdict = try #require(result.verdicts.first { $0.criterion == "huyen" })
        let values = verdict.explanation.children.flatMap(\.values)
        #expect(values.contains { $0.detail?.contains("Xã Hai (C2)") == true })
    }

    @Test func parallelAndSerialEvaluationAgree() throws {
        let graph = try Self.graph()
        let data = try Self.data(true, nil, graph: graph)
        let evaluator = Evaluator(graph: graph)
        let date = LocalDate(iso: "2024-12-31")!
        #expect(evaluator.evaluate(data, asOf: date, parallel: true).verdicts == evaluator.evaluate(data, asOf: date, parallel: false).verdicts)
    }
}

@Suite struct FormatsAgreeTests {
    @Test func sampleProvinceGivesTheSameVerdictsInEveryFormat() throws {
        let graph = try RuleSetLoader.load(path: repositoryRoot + "/Rules")
        let evaluator = Evaluator(graph: graph)
        let date = LocalDate(iso: "2024-12-31")!
        func verdicts(_ path: String) throws -> [String] {
            let data = try DatasetReader.read(path: repositoryRoot + "/Examples/thanh-hoa/" + path, inputs: graph.inputs)
            return evaluator.evaluate(data, asOf: date).verdicts.map { "\(data.entities[$0.entity].id) \($0.criterion) \($0.outcome)" }
        }
        let yaml = try verdicts("province.yaml")
        #expect(yaml.count > 100)
        #expect(try verdicts("province.json") == yaml)
        #expect(try verdicts("csv") == yaml)
    }
}
