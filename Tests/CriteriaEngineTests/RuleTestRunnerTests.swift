import CriteriaEngine
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing

/// Tests of the rule test runner itself: every kind of mismatch fails, a correct suite passes, the
/// JUnit report is well-formed XML, and mistakes in a test file are located errors.
@Suite struct RuleTestRunnerTests {
    static let rule = RuleSetFixture.criterion("cases <= 3")

    static func suite(_ expect: String, data: String = #"{ commune: { id: C1, name: Xã Một, facts: { 2024: { cases: 5 } } } }"#) -> String {
        """
        criteria: 1
        tests:
          - name: một ca
            as_of: 2024-12-31
            data: \(data)
            expect:
              - \(expect)
        """
    }

    /// Loads the rules plus one test file and runs it.
    static func run(_ testFile: String, snapshot: String? = nil) throws -> RuleTestRunner.Report {
        let fixture = try RuleSetFixture(["t.yaml": rule, "tests/t.yaml": testFile])
        let graph = try fixture.graph()
        let cases = try RuleTestLoader.load(files: try RuleTestLoader.testFiles(at: fixture.folder), graph: graph)
        return RuleTestRunner(graph: graph).run(cases, snapshot: { _ in snapshot })
    }

    @Test func aCorrectSuitePasses() throws {
        let report = try Self.run(Self.suite("{ criterion: t, outcome: fail, reasons: [c] }"))
        #expect(report.passed == 1 && report.failed == 0)
    }

    @Test func aWrongOutcomeFails() throws {
        let report = try Self.run(Self.suite("{ criterion: t, outcome: pass }"))
        #expect(report.failed == 1)
        #expect(report.results.first?.checks.first?.mismatches == [.outcome(expected: .pass, actual: .fail)])
    }

    @Test func notApplicableWhereFailWasExpectedFails() throws {
        let file = Self.suite("{ criterion: t, outcome: fail }").replacingOccurrences(of: "as_of: 2024-12-31", with: "as_of: 2021-12-31")
        let report = try Self.run(file)
        #expect(report.results.first?.checks.first?.mismatches == [.outcome(expected: .fail, actual: .notApplicable)])
    }

    @Test func wrongReasonsFail() throws {
        let report = try Self.run(Self.suite("{ criterion: t, outcome: fail, reasons: [] }"))
        #expect(report.results.first?.checks.first?.mismatches == [.reasons(expected: [], actual: ["c"])])
    }

    @Test func aDifferentGoldenTextFailsAndAMissingOneToo() throws {
        let file = Self.suite("{ criterion: t, outcome: fail, snapshot: true }")
        let differing = try Self.run(file, snapshot: "some other text\n")
        guard case .snapshot(_, let expected, let actual)? = differing.results.first?.checks.first?.mismatches.first else {
            Issue.record("expected a snapshot mismatch")
            return
        }
        #expect(expected == "some other text\n")
        #expect(actual.contains("cần ≤ 3 vụ, thực tế 5 vụ"))
        let missing = try Self.run(file, snapshot: nil)
        #expect(missing.failed == 1)
        // The same text as the snapshot passes.
        let matching = try Self.run(file, snapshot: actual)
        #expect(matching.failed == 0)
    }

    @Test func junitIsWellFormedXML() throws {
        let report = try Self.run(Self.suite("{ criterion: t, outcome: pass }"))
        let xml = TestReport.junit(report)
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "JUnit output is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(xml.contains("<testsuites name=\"criteria\" tests=\"1\" failures=\"1\">"))
        #expect(xml.contains("expected outcome pass, got fail"))
    }

    static func diagnostics(_ testFile: String) throws -> [Diagnostic] {
        do {
            _ = try run(testFile)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics
        }
    }

    @Test func aTypoInACriterionIdIsALocatedError() throws {
        let found = try Self.diagnostics(Self.suite("{ criterion: tt, outcome: fail }"))
        let d = try #require(found.first { $0.id == "tests.unknown-criterion" })
        #expect(d.range?.start.line == 7)
        #expect(d.message.contains("did you mean 't'?"))
    }

    @Test func aMissingOutcomeIsALocatedError() throws {
        let found = try Self.diagnostics(Self.suite("{ criterion: t }"))
        let d = try #require(found.first { $0.id == "tests.missing-key" })
        #expect(d.message.contains("'outcome'"))
        #expect(d.range?.start.line == 7)
    }

    @Test func aDateInTheWrongFormatIsALocatedError() throws {
        let file = Self.suite("{ criterion: t, outcome: fail }").replacingOccurrences(of: "as_of: 2024-12-31", with: "as_of: 31/12/2024")
        let found = try Self.diagnostics(file)
        let d = try #require(found.first { $0.id == "tests.invalid-date" })
        #expect(d.range?.start == SourceLocation(line: 4, column: 12))
        #expect(d.hint?.contains("YYYY-MM-DD") == true)
    }

    @Test func coverageCountsBothWaysAndBoundaries() throws {
        let file = """
            criteria: 1
            fixtures:
              - name: f
                data: { commune: { id: C1, name: Xã Một, facts: { 2024: { cases: 3 } } } }
            tests:
              - { name: at, as_of: 2024-12-31, data: f, expect: [ { criterion: t, outcome: pass } ] }
              - { name: above, as_of: 2024-12-31, data: f, set: { C1: { 2024: { cases: 4 } } }, expect: [ { criterion: t, outcome: fail } ] }
            """
        let report = try Self.run(file)
        #expect(report.failed == 0)
        let condition = try #require(report.coverage.criteria.first?.conditions.first)
        #expect(condition.bothWays)
        #expect(condition.isThreshold)
        #expect(condition.positions == [0, 1])
        #expect(!condition.boundaryTested)
        #expect(report.coverage.percent == 100)
    }
}
