import ArgumentParser
import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// Safe, short text on every output (issue #16 item 6): the abuse report's findings 11, 14, 16 and 20
/// through the real commands.
@Suite struct SafeTextTests {
    /// Whether text holds a character a terminal would obey rather than show (tab and line feed aside).
    static func holdsRawControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 != "\n" && $0 != "\t" && DisplayText.invisible($0) != nil }
    }

    /// The golden dataset with a commune's name and a hamlet's name that try to move the cursor and overwrite rows.
    static func hostileDataset() throws -> String {
        let text = try String(contentsOfFile: Paths.dataset, encoding: .utf8)
            .replacingOccurrences(of: "name: \"Xã Bình\"", with: #"name: "Xã B\e[1A\e[2K\r  99102  Xã B   ✓ đạt FAKE PASS\e[8m""#)
            .replacingOccurrences(of: "name: \"Thôn 1\"", with: #"name: "Thôn\u202E1\u200B\u009B""#)
        return try temporaryFile("hostile.yaml", text)
    }

    @Test("finding 11: a name with ESC[1A and CR cannot overwrite a row of check", arguments: ["text", "markdown"])
    func checkShowsControlCharactersEscaped(format: String) throws {
        let path = try Self.hostileDataset()
        let out = criteria("check", path, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--color", "always", "--format", format)
        #expect(out.stdout.contains("Xã B"))
        // Only the renderer's own colours are escapes: the name's are shown as text.
        let withoutColours = out.stdout.replacingOccurrences(of: #"\u{1B}\[[0-9;]*m"#, with: "", options: .regularExpression)
        #expect(!Self.holdsRawControl(withoutColours))
        #expect(!out.stdout.contains("\u{1B}[1A") && !out.stdout.contains("\u{1B}[8m") && !out.stdout.contains("\r"))
        #expect(out.stdout.contains(format == "text" ? #"Xã B\u{1B}[1A\u{1B}[2K\u{0D}"# : #"Xã B\\u{1B}\[1A\\u{1B}\[2K\\u{0D}"#))
        if format == "text" {
            // The row of 99102 still shows its real verdict on its own line.
            let row = out.stdout.split(separator: "\n").first { $0.hasPrefix("  99102") }
            #expect(row?.contains("không đạt") == true)
        }
    }

    @Test("finding 11: explain and JSON: escaped for the terminal, exact in JSON")
    func explainAndJSON() throws {
        let path = try Self.hostileDataset()
        let explain = criteria("explain", path, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "99102", "--color", "never")
        #expect(!Self.holdsRawControl(explain.stdout))
        #expect(explain.stdout.hasPrefix(#"Xã B\u{1B}[1A\u{1B}[2K\u{0D}  99102"#))
        let json = criteria("check", path, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--format", "json")
        #expect(json.stdout.contains(#"Xã B\u001b[1A\u001b[2K\r  99102"#))
    }

    @Test("finding 11: the plan report shows the hostile name escaped", arguments: ["text", "markdown"])
    func reportShowsControlCharactersEscaped(format: String) throws {
        let path = try Self.hostileDataset()
        let out = criteria("report", path, "--plan", Paths.plan, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--color", "never", "--format", format)
        #expect(out.stdout.contains("Xã B"))
        #expect(!Self.holdsRawControl(out.stdout))
    }

    @Test("finding 11: a rule-test name with ESC reaches the test report escaped")
    func testNamesAreEscaped() throws {
        let folder = NSTemporaryDirectory() + "criteria-safe-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/tests", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.inputs.write(toFile: folder + "/inputs.yaml", atomically: true, encoding: .utf8)
        try Self.rule.write(toFile: folder + "/t.yaml", atomically: true, encoding: .utf8)
        try Self.tests(["A\\e[1A\\r ✓ fake", "B"], expect: ["pass", "fail"]).write(toFile: folder + "/tests/t.yaml", atomically: true, encoding: .utf8)
        let out = criteria("test", folder, "--rules", folder, "--color", "never")
        #expect(!Self.holdsRawControl(out.stdout + out.stderr))
        #expect(out.stdout.contains(#"✗ A\u{1B}[1A\u{0D} ✓ fake (2024-12-31)"#))
    }

    @Test("finding 20: two test names with one slug fail instead of sharing a snapshot file")
    func snapshotSlugCollision() throws {
        let folder = NSTemporaryDirectory() + "criteria-slug-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/tests", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.inputs.write(toFile: folder + "/inputs.yaml", atomically: true, encoding: .utf8)
        try Self.rule.write(toFile: folder + "/t.yaml", atomically: true, encoding: .utf8)
        try Self.tests(["Trùng tên ảnh chụp", "trung ten anh chup"], expect: ["fail", "fail"], snapshot: true)
            .write(toFile: folder + "/tests/t.yaml", atomically: true, encoding: .utf8)
        let update = criteria("test", folder, "--rules", folder, "--color", "never", "--update-snapshots", "--lang", "en")
        #expect(update.exitCode == 1)
        #expect(update.stdout.contains("1 passed, 1 failed"))
        #expect(update.stdout.contains("is also the snapshot of the test 'Trùng tên ảnh chụp'"))
        // The next run gives the same answer: the first test keeps its file, the second still fails.
        let again = criteria("test", folder, "--rules", folder, "--color", "never")
        #expect(again.stdout.contains("1 đúng, 1 sai") && again.stdout.contains("✓ Trùng tên ảnh chụp"))
        #expect(again.stdout.contains("cũng là ảnh chụp của phép kiểm thử 'Trùng tên ảnh chụp'"))
    }

    @Test("finding 14: a diagnostic at the end of a megabyte of minified JSON is short")
    func longLineSnippet() throws {
        let communes = (0..<9_000).map { #"{"id":"c\#($0)","name":"Xã \#($0)","facts":{"2024":{"antt_plan":true}}}"# }
        let json = #"{"dataset":1,"province":{"id":"99","name":"T","districts":[{"id":"991","name":"H","communes":["#
            + communes.joined(separator: ",") + #",{"id":"x","name":"Xã","facts":{"2024":{"antt_plan":"maybe"}}}]}]}}"#
        #expect(json.utf8.count > 500_000 && !json.contains("\n"))
        let path = try temporaryFile("minified.json", json)
        let out = criteria("check", path, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--color", "never")
        #expect(out.exitCode == 1)
        #expect(out.stderr.contains("[data.wrong-type]"))
        #expect(out.stderr.count < 1_000)
        #expect(out.stderr.contains("    1 | …") && out.stderr.contains(#""antt_plan":"maybe"}}}]}]}}"#))
    }

    @Test("finding 14: a CSV header of 20,000 unknown columns gives a short report, not the header 100 times")
    func manyUnknownColumns() throws {
        let folder = NSTemporaryDirectory() + "criteria-columns-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let header = "id,name,year," + (0..<20_000).map { "unknown_column_\($0)" }.joined(separator: ",")
        try (header + "\n").write(toFile: folder + "/province.csv", atomically: true, encoding: .utf8)
        let out = criteria("check", folder, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--color", "never")
        #expect(out.exitCode == 1)
        #expect(header.count > 300_000 && out.stderr.count < 3_000)
        #expect(out.stderr.contains("… và 95 lỗi khác cùng loại [data.unknown-fact]"))
        #expect(out.stderr.contains("… và 19900 lỗi khác không hiển thị (giới hạn 100) [limits.diagnostics]"))
        #expect(out.stderr.hasSuffix("101 lỗi\n"))
    }

    @Test("finding 14: the billion-laughs file folds its 72 alias errors", arguments: [("vi", "… và 67 lỗi khác cùng loại [yaml.alias]"), ("en", "… and 67 more errors of the same kind [yaml.alias]")])
    func billionLaughsFolds(language: String, line: String) throws {
        var text = "dataset: 1\na0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 { text += "a\(level): &a\(level) [" + (0..<9).map { _ in "*a\(level - 1)" }.joined(separator: ", ") + "]\n" }
        let path = try temporaryFile("laughs.yaml", text)
        let out = criteria("check", path, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--color", "never", "--lang", language)
        #expect(out.exitCode == 1)
        let severity = language == "vi" ? ": lỗi: " : ": error: "
        let shown = out.stderr.split(separator: "\n").filter { $0.contains(severity) && $0.hasSuffix("[yaml.alias]") }
        #expect(shown.count == DiagnosticRenderer.defaultFoldAfter)
        #expect(out.stderr.contains(line + "\n"))
        #expect(out.stderr.hasSuffix(language == "vi" ? "81 lỗi\n" : "81 errors\n"))
    }

    @Test("finding 22: --max-concurrent out of range is a usage error, not silently changed", arguments: ["0", "99999"])
    func maxConcurrentOutOfRange(value: String) {
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--max-concurrent", value]) }
        let out = CriteriaCommand.output(arguments: ["serve", "--max-concurrent", value])
        #expect(out.exitCode == 64 && out.stderr.contains("--max-concurrent must be 1 to"))
    }

    static let inputs = """
        criteria: 1
        inputs:
          - { name: cases, type: count, level: commune, label: { vi: Số vụ } }
        """

    static let rule = """
        criteria: 1
        id: t
        title: { vi: Thử }
        level: commune
        in_force: { from: 2022-01-01 }
        source: { act: Thử, status: confirmed }
        all:
          - id: c
            title: { vi: Điều kiện }
            check: cases <= 3
        """

    /// A test file of one case per name, each for commune C1 with 5 cases (so `t` fails), expecting
    /// the given outcomes.
    static func tests(_ names: [String], expect: [String], snapshot: Bool = false) -> String {
        var out = "criteria: 1\ntests:\n"
        for (name, outcome) in zip(names, expect) {
            out += """
                  - name: "\(name)"
                    as_of: 2024-12-31
                    data: { commune: { id: C1, name: Xã Một, facts: { 2024: { cases: 5 } } } }
                    expect:
                      - { criterion: t, entity: C1, outcome: \(outcome)\(snapshot ? ", snapshot: true" : "") }

                """
        }
        return out
    }
}
