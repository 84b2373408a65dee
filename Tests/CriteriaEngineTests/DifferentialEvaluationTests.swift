import CriteriaEngine
import Foundation
import PropertyBased
import Testing

/// A random expression and dataset, written from a tape of numbers: the tape is what the property
/// check generates and shrinks, so a failing case shrinks to a short expression on a small commune.
///
/// Past the end of the tape every choice is 0, which is always a leaf, so any tape gives a finished
/// expression. The expressions are well typed against `RuleSetFixture.inputs` by construction:
/// booleans, numbers (counts, decimals, arithmetic that can divide by zero), folds over the hamlets
/// with the commune's facts read inside them, shares against percentages, other years, `has`,
/// conditionals and enum membership.
struct ExpressionTape: CustomStringConvertible {
    let numbers: [Int]
    private var next = 0

    init(_ numbers: [Int]) { self.numbers = numbers }

    /// The next choice among `n`.
    mutating func pick(_ n: Int) -> Int {
        defer { next += 1 }
        return next < numbers.count ? numbers[next] % n : 0
    }

    /// A boolean expression of the commune.
    mutating func bool(_ depth: Int = 0) -> String {
        switch pick(depth >= 4 ? 4 : 15) {
        case 0: return ["a", "b"][pick(2)]
        case 1: return ["true", "false"][pick(2)]
        case 2: return ["has(a)", "has(cases)", "has(rating)"][pick(3)]
        case 3: return #"rating in ["xuat_sac", "kha"]"#
        case 4: return "!(\(bool(depth + 1)))"
        case 5: return "(\(bool(depth + 1)) && \(bool(depth + 1)))"
        case 6: return "(\(bool(depth + 1)) || \(bool(depth + 1)))"
        case 7: return "(\(bool(depth + 1)) ? \(bool(depth + 1)) : \(bool(depth + 1)))"
        case 8, 9: return "(\(number(depth + 1)) \(["<", "<=", ">", ">=", "==", "!="][pick(6)]) \(number(depth + 1)))"
        case 10: return "hamlets.all(h, \(hamlet(depth + 1)))"
        case 11: return "hamlets.exists(h, \(hamlet(depth + 1)))"
        case 12: return "share(hamlets, h, \(hamlet(depth + 1))) \([">=", ">", "<=", "<"][pick(4)]) \(["0%", "50%", "70%", "100%"][pick(4)])"
        case 13: return "last_year(\(bool(depth + 1)))"
        default: return "has(\(number(depth + 1)))"
        }
    }

    /// A number expression of the commune.
    mutating func number(_ depth: Int = 0) -> String {
        switch pick(depth >= 4 ? 4 : 13) {
        case 0: return ["cases", "base"][pick(2)]
        case 1: return ["0", "1", "2", "3", "0.5", "1.5", "10"][pick(7)]
        case 2: return "last_year(cases)"
        case 3: return "in_year(2019, base)"
        case 4: return "(\(number(depth + 1)) + \(number(depth + 1)))"
        case 5: return "(\(number(depth + 1)) - \(number(depth + 1)))"
        case 6: return "(\(number(depth + 1)) * \(number(depth + 1)))"
        case 7: return "(\(number(depth + 1)) / \(number(depth + 1)))"
        case 8: return "-(\(number(depth + 1)))"
        case 9: return "count(hamlets, h, \(hamlet(depth + 1)))"
        case 10: return "size(hamlets)"
        case 11: return "(\(bool(depth + 1)) ? \(number(depth + 1)) : \(number(depth + 1)))"
        default: return "sum(hamlets, h, (\(hamlet(depth + 1)) ? 1 : 0))"
        }
    }

    /// A boolean expression of the hamlet `h` (reading the commune's facts too, and the hamlet's
    /// verdict on the hamlet criterion `th`).
    mutating func hamlet(_ depth: Int) -> String {
        switch pick(depth >= 4 ? 3 : 7) {
        case 0: return "h.safe"
        case 1: return "has(h.safe)"
        case 2: return #"meets(h, "th")"#
        case 3: return "!(\(hamlet(depth + 1)))"
        case 4: return "(\(hamlet(depth + 1)) && \(bool(depth + 1)))"
        case 5: return "(\(hamlet(depth + 1)) || \(hamlet(depth + 1)))"
        default: return "(\(bool(depth + 1)) ? \(hamlet(depth + 1)) : \(hamlet(depth + 1)))"
        }
    }

    /// The check of the hamlet criterion `th`, which the commune's check reads with `meets`.
    mutating func hamletCriterion() -> String {
        ["safe", "!(safe)", "has(safe)", "(safe || false)", "(safe && true)"][pick(5)]
    }

    /// The facts of a year of the commune, some missing.
    mutating func communeFacts() -> String {
        var facts: [String] = []
        for name in ["a", "b"] {
            let choice = pick(3)
            if choice < 2 { facts.append("\(name): \(choice == 0)") }
        }
        for name in ["cases", "base"] {
            let choice = pick(7)
            if choice < 6 { facts.append("\(name): \(["0", "1", "2", "3", "7", "0"][choice])") }
        }
        let rating = pick(5)
        if rating < 4 { facts.append("rating: \(["xuat_sac", "kha", "trung_binh", "yeu"][rating])") }
        return facts.joined(separator: ", ")
    }

    /// A commune with facts for 2024, 2023 and 2019 and zero to four hamlets, in YAML.
    mutating func commune() -> String {
        let facts = communeFacts()
        let years = "    2023: { \(communeFacts()) }\n    2019: { \(communeFacts()) }"
        let hamlets = (0..<pick(5)).map { _ -> Bool? in
            let choice = pick(3)
            return choice == 2 ? nil : choice == 0
        }
        return RuleSetFixture.commune(facts, hamlets: hamlets, extraYears: years)
    }

    /// A step budget: the default once in four, else a tiny one (1 to 150 steps), near what the
    /// generated checks take, so that running out at any step is searched.
    mutating func stepBudget() -> Int {
        pick(4) == 0 ? Limits.default.maxEvaluationSteps : 1 + pick(150)
    }

    var description: String { "\(numbers)" }
}

/// Issue #15, point 2: the verdict evaluator (behind `criteria check`, `outcomes` and short
/// explanations) and the reference evaluator (behind full explanations) give every verdict the same
/// outcome, on expressions and data that a generator searches, not on a fixed list.
@Suite struct DifferentialEvaluationTests {
    /// One generated case, evaluated both ways; `nil` when the expression does not compile (the
    /// generator is typed, so that is rare and counted). Every verdict is compared — the commune's on
    /// `t` and each hamlet's on `th`, which `t` may read — and each verdict that ran out of steps must
    /// say so the same way (the warnings of the outcomes are those of the full evaluation).
    static func disagreement(_ numbers: [Int]) throws -> String?? {
        var tape = ExpressionTape(numbers)
        let check = tape.bool()
        let hamletCheck = tape.hamletCriterion()
        let commune = tape.commune()
        var limits = Limits.default
        limits.maxEvaluationSteps = tape.stepBudget()
        guard
            let graph = try? RuleSetFixture([
                "t.yaml": RuleSetFixture.criterion(check),
                "th.yaml": RuleSetFixture.criterion(hamletCheck, id: "th", level: "hamlet"),
            ]).graph()
        else { return .none }
        let data = try RuleSetFixture.dataset(commune, graph: graph)
        let asOf = try #require(LocalDate(iso: "2024-12-31"))
        let evaluator = Evaluator(graph: graph, limits: limits)
        let full = evaluator.evaluate(data, asOf: asOf, parallel: false)
        let table = evaluator.outcomes(data, asOf: asOf, parallel: false)
        let short = evaluator.evaluate(data, asOf: asOf, parallel: false, detail: .short)
        let context = "check: \(check)\nhamlet check: \(hamletCheck)\nstep budget: \(limits.maxEvaluationSteps)\n\(commune)"
        guard full.verdicts.contains(where: { $0.criterion == "t" }), full.verdicts.count == short.verdicts.count else {
            return .some("a verdict is missing\n\(context)")
        }
        for (reference, brief) in zip(full.verdicts, short.verdicts) {
            let fast = table.outcome(entity: reference.entity, criterion: reference.criterion)
            if fast != reference.outcome || brief.outcome != reference.outcome {
                return .some(
                    "\(reference.criterion) of entity \(reference.entity): reference \(reference.outcome), verdict evaluator "
                        + "\(fast.map { "\($0)" } ?? "none"), short \(brief.outcome)\n\(context)")
            }
            if brief.explanation != reference.explanation.short {
                return .some("\(reference.criterion): the short explanation is not the full one's short form\n\(context)")
            }
        }
        if table.limitDiagnostics.map(\.message) != full.limitDiagnostics.map(\.message) {
            return .some("the step budget warnings differ\n\(context)")
        }
        return .some(nil)
    }

    @Test("the verdict evaluator and the reference agree on generated expressions and communes")
    func evaluatorsAgree() async throws {
        let compiled = Counter()
        // 300 cases in the suite; a longer search sets CRITERIA_DIFFERENTIAL_CASES (`Docs/fuzzing.md`).
        let cases = ProcessInfo.processInfo.environment["CRITERIA_DIFFERENTIAL_CASES"].flatMap { Int($0) } ?? 300
        await propertyCheck(count: cases, input: Gen.int(in: 0...1_000).array(of: 0...160)) { numbers in
            let found = try Self.disagreement(numbers)
            guard case .some(let difference) = found else { return }
            compiled.add()
            #expect(difference == nil, "\(difference ?? "")")
        }
        // The generator is typed, so most cases compile (about 250 of 300; the checker refuses a few
        // shapes such as `has` of a computed value in some positions) and the check is not vacuous.
        #expect(compiled.value >= cases * 2 / 3)
    }

    /// Checks whose explanation does more than their verdict: an `all` that goes on past its first
    /// false to name the other failing hamlets, requirements stated from a comparison's operands, a
    /// share's gap, `meets` inside a fold.
    static let sweptChecks = [
        "hamlets.all(h, h.safe) || a",
        "(hamlets.all(h, h.safe) || cases >= 2) && share(hamlets, h, h.safe) >= 70%",
        #"share(hamlets, h, meets(h, "th")) >= 50% || count(hamlets, h, !h.safe) <= base"#,
        "cases + base >= 3 && (hamlets.all(h, h.safe && a) ? true : cases <= 1)",
    ]

    @Test("at every step budget from 1 to 90 both evaluators give the same verdicts and warnings", arguments: sweptChecks)
    func everyBudgetAgrees(check: String) throws {
        let graph = try RuleSetFixture([
            "t.yaml": RuleSetFixture.criterion(check),
            "th.yaml": RuleSetFixture.criterion("safe", id: "th", level: "hamlet"),
        ]).graph()
        let data = try RuleSetFixture.dataset(
            RuleSetFixture.commune("a: false, cases: 2, base: 4", hamlets: [true, false, nil, false, true, false]), graph: graph)
        let asOf = try #require(LocalDate(iso: "2024-12-31"))
        var outcomes: Set<Outcome> = []
        for budget in 1...90 {
            var limits = Limits.default
            limits.maxEvaluationSteps = budget
            let evaluator = Evaluator(graph: graph, limits: limits)
            let full = evaluator.evaluate(data, asOf: asOf, parallel: false)
            let table = evaluator.outcomes(data, asOf: asOf, parallel: false)
            for verdict in full.verdicts {
                #expect(
                    table.outcome(entity: verdict.entity, criterion: verdict.criterion) == verdict.outcome,
                    "budget \(budget): \(verdict.criterion) of entity \(verdict.entity)")
            }
            #expect(table.limitDiagnostics.map(\.message) == full.limitDiagnostics.map(\.message), "budget \(budget)")
            guard let verdict = full.verdict(entity: 0, criterion: "t") else { continue }
            outcomes.insert(verdict.outcome)
            // However tight the budget, a decided `all` names every hamlet that failed: that work
            // is the explanation's, with a budget of its own.
            if check.hasPrefix("hamlets.all"), verdict.outcome == .fail {
                let detail = verdict.explanation.children.first?.values.first { $0.name.hasPrefix("hamlets.all") }?.detail
                #expect(detail == "2/6, ? 1; ✗ Thôn 2 (H2), Thôn 4 (H4), Thôn 6 (H6)", "budget \(budget)")
            }
        }
        // The sweep reaches both a budget too small (unknown) and one large enough (decided).
        #expect(outcomes.contains(.unknown) && outcomes.count >= 2, "\(outcomes)")
    }

    /// What the generator must reach.
    static let words = [
        "share(", "count(", "sum(", "last_year(", "in_year(", " / ", "hamlets.all", "?", "has(", " in [", "meets(h",
    ]

    @Test("the generator writes expressions that compile, with folds, shares, arithmetic, other years and meets")
    func generatorReachesTheLanguage() throws {
        var seen = Set<String>()
        var random = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var tape = ExpressionTape((0..<80).map { _ in Int(random.next() % 1_000) })
            let check = tape.bool()
            for word in Self.words where check.contains(word) { seen.insert(word) }
        }
        #expect(seen == Set(Self.words), "never generated: \(Set(Self.words).subtracting(seen))")
        // An empty tape is the smallest expression.
        var empty = ExpressionTape([])
        #expect(empty.bool() == "a")
    }
}

/// A count shared by the property check's cases.
private final class Counter: @unchecked Sendable {
    // `@unchecked Sendable`: `count` is read and written under `lock` only.
    private let lock = NSLock()
    private var count = 0

    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
