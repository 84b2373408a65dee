@testable import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// Details of the formats that the golden files do not make obvious.
@Suite("Output formats")
struct FormatTests {
    @Test("Markdown escapes what would break a table or start markup, and leaves snake_case names alone")
    func markdownEscaping() {
        let renderer = MarkdownRenderer()
        #expect(renderer.escape("a | b") == "a \\| b")
        #expect(renderer.escape("*x* [y](z) <b> `c`") == "\\*x\\* \\[y\\](z) \\<b\\> \\`c\\`")
        #expect(renderer.escape("social_order_crimes") == "social_order_crimes")
        #expect(renderer.escape("_x_") == "\\_x\\_")
        #expect(renderer.escape("line\nbreak") == "line break")
    }

    @Test("a name with a pipe does not add a column to the Markdown table")
    func markdownTableCells() throws {
        let data = try String(contentsOfFile: Paths.dataset, encoding: .utf8)
            .replacingOccurrences(of: "\"Xã Dương\"", with: "\"Xã | Dương\"")
        let path = try temporaryFile("pipe.yaml", data)
        let out = criteria("check", path, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--format", "markdown")
        let row = out.stdout.split(separator: "\n").first { $0.hasPrefix("| 99202 |") }
        #expect(row?.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 6)
    }

    @Test("JSON of a report keeps decimals exact, as strings")
    func reportJSON() throws {
        let out = criteria("report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", Paths.plan, "--as-of", "2024-12-31", "--format", "json")
        #expect(out.exitCode == 0)
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        #expect(object?["version"] as? Int == 1)
        let targets = object?["targets"] as? [[String: Any]] ?? []
        #expect(targets.count == 6)
        let crime = targets.last
        #expect((crime?["measure"] as? [String: Any])?["atMost"] as? String == "0.95")
        let units = crime?["units"] as? [[String: Any]] ?? []
        let hai = units.first { $0["id"] as? String == "992" }
        #expect(hai?["current"] as? String == "57")
        #expect(hai?["limit"] as? String == "57")
        #expect(hai?["outcome"] as? String == "pass")
        let share = targets.first?["share"] as? [String: Any]
        #expect(share?["passed"] as? Int == 1)
        #expect(share?["unknown"] as? Int == 2)
        #expect(share?["share"] as? String == "0.2")
        #expect(share?["upperShare"] as? String == "0.6")
    }

    @Test("the progress line")
    func progressLine() {
        #expect(ProgressBar.line(label: "đánh giá", done: 30, total: 100, width: 10) == "đánh giá [███░░░░░░░]  30% 30/100")
        #expect(ProgressBar.line(label: "x", done: 5, total: 5, width: 4) == "x [████] 100% 5/5")
    }

    @Test("--lang en writes an English page")
    func englishCheck() {
        let out = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--lang", "en", "--format", "markdown")
        #expect(out.stdout.hasPrefix("# Verdicts\n"))
        #expect(out.stdout.contains("| 99101 | Xã An | ✓ pass | ✓ pass | ✓ pass |"))
        #expect(out.stdout.contains("**21 verdicts: 3 pass · 14 fail · 4 unknown · 0 not applicable**"))
    }
}
