import CriteriaCLI
import Foundation
import Testing

/// The renderings of `check`, `explain` and `report` on the small fixed dataset, pinned as golden
/// files in `Snapshots/` (rewritten with `RECORD_SNAPSHOTS=1`).
///
/// The dataset (`Fixtures/mini-province.yaml`) gives every outcome as of 2024-12-31: a commune that
/// passes everything at the exact 5% boundary, fails, unknowns from a missing fact and from a missing
/// figure, a district at exactly 95% of its 2019 crime.
@Suite("Golden renderings")
struct GoldenTests {
    static let formats = ["text": "txt", "markdown": "md", "html": "html"]

    @Test("check", arguments: ["text", "markdown", "html"])
    func check(format: String) {
        let out = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--format", format)
        #expect(out.exitCode == 0)
        #expect(out.stderr.isEmpty)
        assertSnapshot(out.stdout, named: "check.\(Self.formats[format] ?? format)")
    }

    @Test("explain a failing commune", arguments: ["text", "markdown", "html"])
    func explain(format: String) {
        let out = criteria(
            "explain", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "99202", "--format", format)
        #expect(out.exitCode == 0)
        assertSnapshot(out.stdout, named: "explain-99202.\(Self.formats[format] ?? format)")
    }

    @Test("an inspector's explanation leaves the expressions out; --technical shows them")
    func technicalDetails() {
        let arguments = ["explain", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "99202"]
        let plain = CriteriaCommand.output(arguments: arguments)
        #expect(plain.exitCode == 0)
        #expect(!plain.stdout.contains("biểu thức:"))
        #expect(!plain.stdout.contains("[safe_hamlet_share]"))
        #expect(plain.stdout.contains("• Tỷ lệ tối thiểu thôn được công nhận “An toàn về ANTT”: 70% (từ 10/02/2022)"))
        let technical = CriteriaCommand.output(arguments: arguments + ["--technical"])
        #expect(technical.stdout.contains("biểu thức: share(hamlets, h, h.safe_antt) >= safe_hamlet_share"))
        #expect(technical.stdout.contains("• Tỷ lệ tối thiểu thôn được công nhận “An toàn về ANTT” [safe_hamlet_share]: 70% (từ 10/02/2022)"))
        let english = CriteriaCommand.output(arguments: arguments + ["--technical", "--lang", "en"])
        #expect(english.stdout.contains("check: share(hamlets, h, h.safe_antt) >= safe_hamlet_share"))
    }

    @Test("explain every condition of an undecided commune, in English")
    func explainFullEnglish() {
        let out = criteria(
            "explain", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "99201", "--full", "--lang", "en",
            "--criterion", "xa-ntm.19.2")
        #expect(out.exitCode == 0)
        assertSnapshot(out.stdout, named: "explain-99201-full-en.txt")
    }

    @Test("report", arguments: ["text", "markdown", "html"])
    func report(format: String) {
        let out = criteria(
            "report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", Paths.plan, "--as-of", "2024-12-31", "--format", format)
        #expect(out.exitCode == 0)
        assertSnapshot(out.stdout, named: "report.\(Self.formats[format] ?? format)")
    }

    @Test("report after the district rules ended: targets over them are not applicable, with their periods")
    func reportAfterDistricts() {
        let out = criteria("report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", Paths.plan, "--as-of", "2025-12-31", "--lang", "en")
        #expect(out.exitCode == 0)
        let lines = out.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("– huyen-ntm-9-4              –                         ≥ 60%                 not applicable"))
        #expect(lines.contains("Not applicable on 2025-12-31: huyen-ntm.9.4 is in force from 2022-03-08 until 2025-06-30."))
        #expect(lines.contains("Not applicable on 2025-12-31: huyen-ntm-nang-cao.9.1 is in force from 2022-03-08 until 2025-06-30."))
        #expect(lines.last == "Targets: 0 met · 0 not met · 4 unknown · 2 not applicable")
    }
}
