import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// Coverage of what changes with the date (issue #17, item 2): a new dated parameter value and a new
/// rule version are coverage items; `--min-coverage 100` fails until tests evaluate them, and the
/// report says what is missing with a test case to paste.
@Suite struct DatedCoverageTests {
    /// A copy of the bundled rules in a fresh folder, with `edit` applied to one file.
    static func rules(editing file: String, _ edit: (String) -> String) throws -> String {
        let folder = NSTemporaryDirectory() + "criteria-dated-coverage-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Paths.rules, toPath: folder + "/Rules")
        let path = folder + "/Rules/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = edit(text)
        #expect(edited != text, "the edit of \(file) changed nothing")
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        return folder + "/Rules"
    }

    /// The rules with `2027-01-01: 75%` added to `safe_unit_share`.
    static func newThreshold() throws -> String {
        try rules(editing: "parameters.yaml") {
            $0.replacingOccurrences(of: "      2022-02-10: 70%\n", with: "      2022-02-10: 70%\n      2027-01-01: 75%\n")
        }
    }

    /// Inserts test cases right under `tests:` of a test file.
    static func paste(_ cases: String, into file: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\ntests:\n", with: "\ntests:\n" + cases).write(toFile: file, atomically: true, encoding: .utf8)
    }

    @Test func aNewDatedValueWithoutTestsFailsMinCoverageAndSaysWhatIsMissing() throws {
        // Before: the bundled rules are fully covered.
        #expect(criteria("test", Paths.rules, "--min-coverage", "100").exitCode == 0)
        let rules = try Self.newThreshold()
        let output = criteria("test", rules, "--min-coverage", "100")
        // Every old test still passes; only the coverage fails.
        #expect(output.exitCode == 1)
        #expect(output.stdout.hasSuffix(" đúng, 0 sai\n"))
        #expect(output.stdout.contains("    ✗ safe_unit_share = 75% từ 2027-01-01 (xa-ntm.19.2, tt124.xa)  · ngày đầu  ngưỡng: ·dưới ·tại ·trên\n"))
        #expect(output.stdout.contains("    ✓ safe_unit_share = 70% từ 2022-02-10 (xa-ntm.19.2, tt124.xa)  ✓ ngày đầu  ngưỡng: ✓dưới ✓tại ✓trên\n"))
        #expect(output.stdout.contains("  ✗ safe_unit_share = 75% từ 2027-01-01: chưa thử vào ngày 2027-01-01; chưa thấy dưới, đúng, trên ngưỡng\n"))
        #expect(output.stdout.contains("phép kiểm thử gợi ý, dán vào \(rules)/xa-ntm-2026/tests/10.yaml (dưới 'tests:'):"))
        #expect(output.stderr.contains("thấp hơn --min-coverage 100.0%"))

        let english = criteria("test", rules, "--min-coverage", "100", "--lang", "en")
        #expect(english.stdout.contains("    ✗ safe_unit_share = 75% from 2027-01-01 (xa-ntm.19.2, tt124.xa)  · first day  boundary: ·below ·at ·above\n"))
        #expect(english.stdout.contains("Not covered:\n  ✗ safe_unit_share = 75% from 2027-01-01: not tested on 2027-01-01; not seen below, at, above the threshold\n"))
        #expect(english.stdout.contains(" passed, 0 failed\n"))
        #expect(english.stderr.contains("is below --min-coverage 100.0%"))
    }

    @Test func theSuggestedCasesPasteAsTheyAreAndCoverTheFirstDayAndTheBoundary() throws {
        let rules = try Self.newThreshold()
        let report = criteria("test", rules, "--min-coverage", "100").stdout
        // The suggested YAML, exactly as printed, under the file's `tests:`.
        let start = try #require(report.range(of: "(dưới 'tests:'):\n"))
        let block = report[start.upperBound...].prefix { _ in true }.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("      ") }.map { String($0.dropFirst(4)) }.joined(separator: "\n") + "\n"
        #expect(block.contains("  - name: \"safe_unit_share 75% từ 2027-01-01, đúng ngưỡng\"\n    as_of: 2027-01-01\n    data: xa-nhom-1\n    carry: { from: 2026, to: 2027 }\n"))
        let file = rules + "/xa-ntm-2026/tests/10.yaml"
        try Self.paste(block, into: file)
        let after = criteria("test", rules, "--min-coverage", "100")
        // The fixture has 9 of 12 units recognised, exactly 75%: the case "at" passes as pasted and the
        // value is seen on its first day and at the threshold; below and above are still missing (their
        // `set:` is a comment to replace), and the "below" case fails because its data is not below yet.
        #expect(after.stdout.contains("  ✓ safe_unit_share 75% từ 2027-01-01, đúng ngưỡng (2027-01-01)\n"))
        #expect(after.stdout.contains("  ✗ safe_unit_share 75% từ 2027-01-01, dưới ngưỡng (2027-01-01)\n"))
        #expect(after.stdout.contains("    ✗ safe_unit_share = 75% từ 2027-01-01 (xa-ntm.19.2, tt124.xa)  ✓ ngày đầu  ngưỡng: ·dưới ✓tại ·trên\n"))
        #expect(after.stdout.contains("  ✗ safe_unit_share = 75% từ 2027-01-01: chưa thấy dưới, trên ngưỡng\n"))

        // With the `set:` lines the comments ask for, everything is covered.
        var fixed = try String(contentsOfFile: file, encoding: .utf8)
        fixed = fixed.replacingOccurrences(
            of: "    # thêm 'set:' để giá trị so với safe_unit_share (75%) nằm dưới ngưỡng\n",
            with: "    set: { N1-9: { 2027: { antt_recognised: false } } }\n")
        fixed = fixed.replacingOccurrences(
            of: "    # thêm 'set:' để giá trị so với safe_unit_share (75%) nằm trên ngưỡng\n",
            with: "    set: { N1-10: { 2027: { antt_recognised: true } } }\n")
        try fixed.write(toFile: file, atomically: true, encoding: .utf8)
        let covered = criteria("test", rules, "--min-coverage", "100")
        #expect(covered.exitCode == 0, "\(covered.stderr)")
        #expect(covered.stdout.contains("    ✓ safe_unit_share = 75% từ 2027-01-01 (xa-ntm.19.2, tt124.xa)  ✓ ngày đầu  ngưỡng: ✓dưới ✓tại ✓trên\n"))
        #expect(!covered.stdout.contains("Chưa phủ:"))
    }

    @Test func aNewRuleVersionIsAnItemUntilTestedOnItsFirstDay() throws {
        // tt124.khu-dan-cu gets a second version from 2027-01-01 (a copy of the file with new periods).
        let rules = try Self.rules(editing: "tt124/khu-dan-cu.yaml") {
            $0.replacingOccurrences(of: "in_force: { from: 2022-02-10 }", with: "in_force: { from: 2022-02-10, until: 2026-12-31 }")
        }
        let original = try String(contentsOfFile: rules + "/tt124/khu-dan-cu.yaml", encoding: .utf8)
        try original.replacingOccurrences(of: "in_force: { from: 2022-02-10, until: 2026-12-31 }", with: "in_force: { from: 2027-01-01 }")
            .write(toFile: rules + "/tt124/khu-dan-cu-2027.yaml", atomically: true, encoding: .utf8)
        let output = criteria("test", rules, "--min-coverage", "100", "--lang", "en")
        #expect(output.exitCode == 1, "\(output.stderr)")
        #expect(output.stdout.contains("(· first day)"))
        #expect(output.stdout.contains("  ✗ version tt124.khu-dan-cu from 2027-01-01: no test on its first day 2027-01-01\n"))
        #expect(output.stdout.contains("        as_of: 2027-01-01\n"))
    }

    @Test func theCoverageJSONIsInAFixedOrder() throws {
        let first = criteria("test", Paths.rules, "--format", "json")
        let second = criteria("test", Paths.rules, "--format", "json")
        #expect(first.stdout == second.stdout)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let coverage = try #require(json["coverage"] as? [String: Any])
        let criteria = try #require(coverage["criteria"] as? [[String: Any]])
        let order = Outcome.allCases.map(\.rawValue)
        for criterion in criteria {
            let outcomes = try #require(criterion["outcomes"] as? [String])
            #expect(outcomes == order.filter(outcomes.contains), "outcomes of \(criterion["id"] ?? "?") out of order: \(outcomes)")
            for condition in criterion["conditions"] as? [[String: Any]] ?? [] {
                let positions = try #require(condition["positions"] as? [Int])
                #expect(positions == positions.sorted())
            }
        }
        // Every criterion reaches all four outcomes: with a set, their order would vary between runs.
        #expect(criteria.contains { ($0["outcomes"] as? [String])?.count == 4 })
        let values = try #require(coverage["values"] as? [[String: Any]])
        #expect(values.map { "\($0["parameter"] ?? "")" } == ["advanced_commune_share", "crime_reduction_vs_2019", "safe_unit_share"])
    }

    @Test func theSummaryIsVietnameseByDefaultAndEnglishWithLangEn() {
        let file = Paths.rules + "/tt124/tests/khu-dan-cu.yaml"
        let vi = criteria("test", file, "--rules", Paths.rules)
        #expect(vi.exitCode == 0)
        #expect(vi.stdout.hasSuffix(" đúng, 0 sai\n"))
        let en = criteria("test", file, "--rules", Paths.rules, "--lang", "en")
        #expect(en.stdout.hasSuffix(" passed, 0 failed\n"))
    }
}
