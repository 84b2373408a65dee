import CriteriaCLI
import CriteriaEngine
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing

/// `criteria test` with a test file that cannot be read: the machine-readable reports carry it as a
/// failed test with its diagnostic, instead of being empty (issue #17, item 3).
@Suite struct TestCommandTests {
    /// A broken test file (a fact of the wrong level) written beside the bundled rules' tests.
    static func brokenFile() throws -> String {
        let folder = NSTemporaryDirectory() + "criteria-test-command-" + UUID().uuidString + "/tests"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/broken.yaml"
        try """
            criteria: 1
            tests:
              - name: một thôn an toàn đặt ở cấp xã
                as_of: 2024-12-31
                data: { commune: { id: X1, name: Xã Thử, facts: { 2024: { serious_crimes: 0 } } } }
                set: { X1: { 2024: { safe_antt: true } } }
                expect:
                  - { criterion: xa-ntm.19.2, outcome: unknown }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let good = Paths.rules + "/xa-ntm/tests/19.2.yaml"

    @Test func junitCarriesTheBrokenFileAsAFailedTest() throws {
        let broken = try Self.brokenFile()
        let output = criteria("test", Self.good, broken, "--rules", Paths.rules, "--format", "junit")
        #expect(output.exitCode == 1)
        let parser = XMLParser(data: Data(output.stdout.utf8))
        #expect(parser.parse(), "JUnit output is not well-formed")
        #expect(output.stdout.contains("name=\"\(TestReport.brokenFileName)\""))
        #expect(output.stdout.contains("broken.yaml:6:26: &apos;safe_antt&apos; is a hamlet fact; it cannot be given for a commune [tests.wrong-level]"))
        // The good file's cases ran and passed.
        #expect(output.stdout.contains("xa-ntm/tests/19.2.yaml\" tests="))
        #expect(output.stderr.contains("[tests.wrong-level]"))
    }

    @Test func jsonCarriesTheBrokenFileWithItsDiagnostics() throws {
        let broken = try Self.brokenFile()
        let output = criteria("test", Self.good, broken, "--rules", Paths.rules, "--format", "json")
        #expect(output.exitCode == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(json["failed"] as? Int == 1)
        #expect((json["passed"] as? Int ?? 0) > 0)
        let cases = try #require(json["cases"] as? [[String: Any]])
        let failed = try #require(cases.first { $0["passed"] as? Bool == false })
        let diagnostics = try #require(failed["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.first?["id"] as? String == "tests.wrong-level")
    }

    @Test func textStopsAtTheBrokenFileWithItsError() throws {
        let broken = try Self.brokenFile()
        let vi = criteria("test", Self.good, broken, "--rules", Paths.rules)
        #expect(vi.stderr.contains("broken.yaml:6:26: lỗi: 'safe_antt' là dữ kiện cấp thôn; không ghi được cho xã [tests.wrong-level]"))
        let output = criteria("test", Self.good, broken, "--rules", Paths.rules, "--lang", "en")
        #expect(output.exitCode == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("broken.yaml:6:26: error: 'safe_antt' is a hamlet fact; it cannot be given for a commune [tests.wrong-level]"))
        #expect(output.stderr.contains("hint: give it in the facts of each hamlet of this commune"))
    }
}
