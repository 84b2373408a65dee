import CriteriaEngine
import Foundation
import Testing

/// The step budget charges comparing texts by their length (issue #16, finding 14 of the abuse
/// report: "the step budget does not bound string work"), in both evaluators alike: a huge text fact
/// compared with `==`, `!=` or `in` costs steps in proportion to the work, so it runs out of a small
/// budget instead of doing unbounded work in one step.
@Suite("Text comparisons cost steps")
struct TextStepsTests {
    static let inputs = """
        criteria: 1
        inputs:
          - { name: note, type: text, level: commune, label: { vi: Ghi chú } }
          - { name: other, type: text, level: commune, label: { vi: Ghi chú khác } }
          - { name: remark, type: text, level: hamlet, label: { vi: Ghi chú của thôn } }
          - { name: flag, type: bool, level: commune, label: { vi: Cờ (không có trong dữ liệu) } }
        """

    /// A commune with `note` and `other` facts of `length` characters (equal texts), and three
    /// hamlets whose `remark` is the same text.
    static func data(length: Int) -> String {
        let text = String(repeating: "x", count: length)
        let hamlets = (1...3).map { "      - { id: H\($0), name: Thôn \($0), facts: { 2024: { remark: \(text) } } }" }
        return """
            dataset: 1
            commune:
              id: C1
              name: Xã Một
              facts:
                2024: { note: \(text), other: \(text) }
              hamlets:
            \(hamlets.joined(separator: "\n"))
            """
    }

    /// The verdict of `check` with the given budget, by the reference evaluator (with explanations)
    /// and by the verdict evaluator (the outcome table), which must agree.
    static func outcome(_ check: String, length: Int, steps: Int) throws -> Outcome {
        let fixture = try RuleSetFixture(["inputs.yaml": inputs, "t.yaml": RuleSetFixture.criterion(check)], withInputs: false)
        let graph = try fixture.graph()
        let data = try RuleSetFixture.dataset(data(length: length), graph: graph)
        var limits = Limits.default
        limits.maxEvaluationSteps = steps
        let date = try #require(LocalDate(iso: "2024-12-31"))
        let evaluator = Evaluator(graph: graph, limits: limits)
        let full = evaluator.evaluate(data, asOf: date)
        let verdict = try #require(full.verdicts.first { $0.criterion == "t" })
        var fast: Outcome? = nil
        evaluator.outcomes(data, asOf: date).forEach { _, criterion, outcome in if criterion == "t" { fast = outcome } }
        #expect(fast == verdict.outcome, "the two evaluators differ on \(check)")
        if verdict.outcome == .unknown {
            #expect(verdict.explanation.missing.first?.name == "limits.evaluation-steps")
        }
        return verdict.outcome
    }

    @Test(
        "comparing 60,000-character texts runs out of a small budget that short texts stay within",
        arguments: [
            "note == other", "note != other || note == other", "note in [other, other, other, other]",
            "hamlets.all(h, hamlets.all(g, h.remark == g.remark))", "(flag ? note : other) != \"y\"",
        ])
    func longTextsCost(check: String) throws {
        // Short texts: a few dozen steps, well within 400.
        #expect(try Self.outcome(check, length: 20, steps: 400) == .pass)
        // Each comparison of two 60,000-byte texts costs 937 steps: past 400, whatever the expression.
        #expect(try Self.outcome(check, length: 60_000, steps: 400) == .unknown)
        // With the default budget the long texts are compared, and equal.
        #expect(try Self.outcome(check, length: 60_000, steps: Limits.default.maxEvaluationSteps) == .pass)
    }

    @Test("membership in a list of long text constants costs steps by their length")
    func constantList() throws {
        func check(_ length: Int) -> String {
            "note in [" + Array(repeating: "\"" + String(repeating: "x", count: length) + "\"", count: 6).joined(separator: ", ") + "]"
        }
        #expect(try Self.outcome(check(20), length: 20, steps: 30) == .pass)
        // Six comparisons of 600-byte texts: 9 steps each, past 30.
        #expect(try Self.outcome(check(600), length: 600, steps: 30) == .unknown)
        #expect(try Self.outcome(check(600), length: 600, steps: 1000) == .pass)
    }
}
