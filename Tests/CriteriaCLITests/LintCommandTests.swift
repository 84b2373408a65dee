import ArgumentParser
import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Suite struct LintCommandTests {
    @Test func shippedRulesAreCleanAndSilent() throws {
        let output = try LintCommand.parse([repository + "/Rules"]).execute()
        #expect(output.exitCode == 0)
        #expect(output.stdout.isEmpty && output.stderr.isEmpty)
    }

    @Test func strictListsEveryProvisionalClauseAsANoteAndStillPasses() throws {
        let output = try LintCommand.parse([repository + "/Rules", "--strict", "--color", "never", "--lang", "en"]).execute()
        #expect(output.exitCode == 0)
        for clause in ["xa-ntm.19.2/khong-trong-an", "xa-ntm.19.2/kiem-che-toi-pham", "xa-ntm.19.2/don-vi-an-toan", "xa-ntm-2026.10"] {
            #expect(output.stderr.contains("note: clause '\(clause)' is provisional"))
        }
        #expect(output.stderr.contains("parameter 'advanced_commune_share' is provisional"))
        // TT 124's own standard was read verbatim: none of its clauses is provisional.
        #expect(!output.stderr.contains("clause 'tt124."))
    }

    @Test func threeIndependentMistakesAreAllReportedAtTheirPlaces() throws {
        let original = try String(contentsOfFile: repository + "/Rules/xa-ntm/19.2.yaml", encoding: .utf8)
        let broken = original
            .replacingOccurrences(of: "    check: serious_crimes == 0", with: "    check: serious_crime == 0")
            .replacingOccurrences(of: "    check: active_security_models >= 1", with: "    chek: active_security_models >= 1\n    check: active_security_models >= 1")
            .replacingOccurrences(of: "    check: commune_police_disciplined == 0", with: "    check: commune_police_disciplined == true")
        let folder = NSTemporaryDirectory() + "criteria-lint-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/19.2.yaml"
        try broken.write(toFile: path, atomically: true, encoding: .utf8)

        let output = try LintCommand.parse([path, "--rules", repository + "/Rules", "--format", "json"]).execute()
        #expect(output.exitCode == 1)
        let model = try JSONDecoder().decode(DiagnosticsOutputV1.self, from: Data(output.stdout.utf8))
        let found = model.diagnostics.filter { $0.severity == .error }.map { "\($0.id) \($0.range?.start.line ?? 0):\($0.range?.start.column ?? 0)" }
        let lines = broken.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func line(of text: String) -> Int { (lines.firstIndex { $0.contains(text) } ?? -1) + 1 }
        #expect(found.sorted() == [
            "rules.type-mismatch \(line(of: "commune_police_disciplined == true")):12",
            "rules.unknown-input \(line(of: "serious_crime == 0")):12",
            "rules.unknown-key \(line(of: "chek:")):5",
        ].sorted())
        let text = try LintCommand.parse([path, "--rules", repository + "/Rules", "--color", "never"]).execute()
        #expect(text.stderr.contains("lỗi: không có đầu vào 'serious_crime'; có phải là 'serious_crimes' không? [rules.unknown-input]"))
        #expect(text.stderr.contains("gợi ý: có phải là 'check' không?"))
        #expect(text.stderr.hasSuffix("3 lỗi\n"))
        let english = try LintCommand.parse([path, "--rules", repository + "/Rules", "--color", "never", "--lang", "en"]).execute()
        #expect(english.stderr.contains("did you mean 'serious_crimes'?"))
        #expect(english.stderr.contains("did you mean 'check'?"))
        #expect(english.stderr.hasSuffix("3 errors\n"))
    }
}
