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
        // The condition is covered; the rule's one version is not (no test on its first day): 1 of 2.
        let window = try #require(report.coverage.criteria.first?.windows.first)
        #expect(window.inside && !window.firstDay)
        #expect(report.coverage.counts == (1, 2))
        #expect(report.coverage.percent == 50)
    }

    // MARK: set and unset name facts of the entity's level (issue #17, item 3)

    /// A suite whose case sets or unsets facts on commune C1, which has a hamlet H1.
    static func suite(changing change: String) -> String {
        """
        criteria: 1
        tests:
          - name: một ca
            as_of: 2024-12-31
            data: { commune: { id: C1, name: Xã Một, facts: { 2024: { cases: 5 } }, hamlets: [ { id: H1, name: Thôn 1 } ] } }
            \(change)
            expect:
              - { criterion: t, outcome: fail }
        """
    }

    @Test func settingAFactOfAnotherLevelIsALocatedError() throws {
        let found = try Self.diagnostics(Self.suite(changing: "set: { C1: { 2024: { safe: true } } }"))
        let d = try #require(found.first)
        #expect(found.count == 1)
        #expect(d.id == "tests.wrong-level")
        #expect(d.message == "'safe' is a hamlet fact; it cannot be given for a commune")
        #expect(d.hint == "give it in the facts of each hamlet of this commune")
        #expect(d.range?.start == SourceLocation(line: 6, column: 26))
    }

    @Test func settingACommuneFactOnAHamletIsALocatedError() throws {
        let found = try Self.diagnostics(Self.suite(changing: "set: { H1: { 2024: { cases: 1 } } }"))
        #expect(found.map(\.id.rawValue) == ["tests.wrong-level"])
        #expect(found.first?.hint == "give it in the facts of the commune this hamlet belongs to")
    }

    @Test func unsettingAFactOfAnotherLevelIsALocatedError() throws {
        let found = try Self.diagnostics(Self.suite(changing: "unset: { C1: { 2024: [hotspots] } }"))
        #expect(found.map(\.id.rawValue) == ["tests.wrong-level"])
        #expect(found.first?.range?.start == SourceLocation(line: 6, column: 27))
    }

    @Test func settingAnUndeclaredFactIsALocatedErrorWithADidYouMean() throws {
        let found = try Self.diagnostics(Self.suite(changing: "set: { C1: { 2024: { case: 1 } } }"))
        #expect(found.map(\.id.rawValue) == ["tests.unknown-fact"])
        #expect(found.first?.hint == "did you mean 'cases'?")
        #expect(found.first?.range?.start == SourceLocation(line: 6, column: 26))
    }

    @Test func settingAFactOfTheRightLevelStillWorks() throws {
        let report = try Self.run(Self.suite(changing: "set: { C1: { 2024: { cases: 2 } }, H1: { 2024: { safe: true } } }"))
        #expect(report.results.first?.checks.first?.actual == .pass)
    }

    // MARK: A broken test file in the machine-readable reports

    /// Loads the rules, a good test file and a broken one, as `criteria test --format junit` does.
    static func runWithABrokenFile() throws -> RuleTestRunner.Report {
        let broken = suite("{ criterion: tt, outcome: fail }")
        let fixture = try RuleSetFixture(["t.yaml": rule, "tests/a.yaml": suite("{ criterion: t, outcome: fail }"), "tests/b.yaml": broken])
        let graph = try fixture.graph()
        let (cases, brokenFiles) = try RuleTestLoader.loadEach(files: try RuleTestLoader.testFiles(at: fixture.folder), graph: graph)
        return RuleTestRunner(graph: graph).run(cases, brokenFiles: brokenFiles, snapshot: { _ in nil })
    }

    @Test func aBrokenTestFileIsAFailedTestInJUnit() throws {
        let report = try Self.runWithABrokenFile()
        #expect(report.passed == 1 && report.failed == 1)
        let xml = TestReport.junit(report)
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "JUnit output is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(xml.contains("<testsuites name=\"criteria\" tests=\"2\" failures=\"1\">"))
        #expect(xml.contains("tests/b.yaml\" tests=\"1\" failures=\"1\">"))
        #expect(xml.contains("b.yaml:7:22: there is no criterion &apos;tt&apos;; did you mean &apos;t&apos;? [tests.unknown-criterion]"))
    }

    @Test func aBrokenTestFileIsAFailedCaseInJSON() throws {
        let report = try Self.runWithABrokenFile()
        let model = TestReportV1(report)
        #expect(model.failed == 1)
        let broken = try #require(model.cases.first { !$0.passed })
        #expect(broken.name == TestReport.brokenFileName)
        #expect(broken.file.hasSuffix("tests/b.yaml"))
        #expect(broken.diagnostics?.map(\.id.rawValue) == ["tests.unknown-criterion"])
        #expect(broken.line == 7)
    }

    // MARK: A base case and carrying facts to another year

    /// A file with a base fixture (cases = 2 in 2024, 4 in 2023) and the given cases.
    static func withBase(_ cases: String, base: String = "base: f") -> String {
        """
        criteria: 1
        fixtures:
          - name: f
            data: { commune: { id: C1, name: Xã Một, facts: { 2023: { cases: 4 }, 2024: { cases: 2, a: true } } } }
        \(base)
        tests:
        \(cases)
        """
    }

    @Test func aCaseWithoutDataStartsFromTheBase() throws {
        let report = try Self.run(Self.withBase("""
              - { name: base, as_of: 2024-12-31, expect: [ { criterion: t, outcome: pass } ] }
              - { name: changed, as_of: 2024-12-31, set: { C1: { 2024: { cases: 5 } } }, expect: [ { criterion: t, outcome: fail } ] }
            """))
        #expect(report.passed == 2 && report.failed == 0)
    }

    @Test func carryGivesTheSameFactsInAnotherYear() throws {
        // Without carry, 2025 has no facts: unknown. With it, the 2024 facts hold in 2025 and 2026.
        let report = try Self.run(Self.withBase("""
              - { name: no carry, as_of: 2025-12-31, expect: [ { criterion: t, outcome: unknown } ] }
              - { name: carried, as_of: 2025-12-31, carry: { from: 2024, to: 2025 }, expect: [ { criterion: t, outcome: pass } ] }
              - { name: carried twice, as_of: 2026-12-31, carry: { from: 2024, to: [2025, 2026] }, expect: [ { criterion: t, outcome: pass } ] }
              - { name: carried then set, as_of: 2025-12-31, carry: { from: 2024, to: 2025 }, set: { C1: { 2025: { cases: 9 } } }, expect: [ { criterion: t, outcome: fail } ] }
            """))
        #expect(report.results.map(\.passed) == [true, true, true, true])
        // Carrying from 2023 replaces 2024's value (4 > 3 fails) and keeps the fact only 2024 has.
        let replaced = try Self.run(Self.withBase("""
              - { name: replaced, as_of: 2024-12-31, carry: { from: 2023, to: 2024 }, expect: [ { criterion: t, outcome: fail } ] }
            """))
        #expect(replaced.failed == 0)
    }

    @Test func carryingFromAYearWithoutFactsIsALocatedError() throws {
        let found = try Self.diagnostics(Self.withBase("""
              - { name: x, as_of: 2025-12-31, carry: { from: 2019, to: 2025 }, expect: [ { criterion: t, outcome: pass } ] }
            """))
        #expect(found.map(\.id.rawValue) == ["tests.invalid-value"])
        #expect(found.first?.message == "no entity of the data has facts for 2019, so there is nothing to carry")
        #expect(found.first?.range?.start == SourceLocation(line: 7, column: 50))
    }

    @Test func carryingOntoTheSameYearIsALocatedError() throws {
        let found = try Self.diagnostics(Self.withBase("""
              - { name: x, as_of: 2024-12-31, carry: { from: 2024, to: [2024] }, expect: [ { criterion: t, outcome: pass } ] }
            """))
        #expect(found.map(\.id.rawValue) == ["tests.invalid-value"])
    }

    @Test func anUnknownBaseIsALocatedErrorWithADidYouMean() throws {
        let found = try Self.diagnostics(Self.withBase("""
              - { name: x, as_of: 2024-12-31, expect: [ { criterion: t, outcome: pass } ] }
            """, base: "base: g"))
        #expect(found.map(\.id.rawValue) == ["tests.unknown-fixture"])
        #expect(found.first?.message == "there is no fixture named 'g'; did you mean 'f'?")
        #expect(found.first?.range?.start == SourceLocation(line: 5, column: 7))
    }

    @Test func aCaseWithoutDataNeedsABase() throws {
        let found = try Self.diagnostics(Self.withBase("""
              - { name: x, as_of: 2024-12-31, expect: [ { criterion: t, outcome: pass } ] }
            """, base: ""))
        #expect(found.map(\.id.rawValue) == ["tests.missing-key"])
        #expect(found.first?.hint?.contains("'base: …'") == true)
    }

    /// The example file of `Docs/testing.md` (fenced `yaml test-file`) runs against the bundled rules
    /// and every case passes, as the page says.
    @Test func theExampleOfTestingMdPasses() throws {
        let page = try String(contentsOfFile: repositoryRoot + "/Docs/testing.md", encoding: .utf8)
        let start = try #require(page.range(of: "```yaml test-file\n"))
        let end = try #require(page.range(of: "\n```", range: start.upperBound..<page.endIndex))
        let text = String(page[start.upperBound..<end.lowerBound])
        let folder = NSTemporaryDirectory() + "criteria-testing-md-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: folder + "/vi-du.yaml", atomically: true, encoding: .utf8)
        let graph = try RuleSetLoader.load(path: repositoryRoot + "/Rules")
        let cases = try RuleTestLoader.load(files: [folder + "/vi-du.yaml"], graph: graph)
        let report = RuleTestRunner(graph: graph).run(cases, snapshot: { _ in nil })
        #expect(report.results.map(\.name) == ["đạt đủ 8 nội dung", "thiếu kế hoạch của UBND", "cùng các dữ kiện năm 2025", "năm 2025 tội phạm tăng so với năm 2024"])
        #expect(report.failed == 0)
    }
}
