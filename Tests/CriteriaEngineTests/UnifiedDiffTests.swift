import Foundation
import Testing

@testable import CriteriaEngine

@Suite("Unified diffs and change sets")
struct UnifiedDiffTests {
    @Test("one changed line gets three lines of context each side, and the git header")
    func oneLine() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n"
        let new = "a\nb\nc\nd\nE\nf\ng\nh\ni\n"
        #expect(
            UnifiedDiff.file(path: "Rules/x.yaml", old: old, new: new) == """
                diff --git a/Rules/x.yaml b/Rules/x.yaml
                --- a/Rules/x.yaml
                +++ b/Rules/x.yaml
                @@ -2,7 +2,7 @@
                 b
                 c
                 d
                -e
                +E
                 f
                 g
                 h

                """)
    }

    @Test("a new file without a final newline, and a removed file")
    func newAndRemoved() {
        #expect(
            UnifiedDiff.file(path: "R/n.yaml", old: nil, new: "x\ny") == """
                diff --git a/R/n.yaml b/R/n.yaml
                new file mode 100644
                --- /dev/null
                +++ b/R/n.yaml
                @@ -0,0 +1,2 @@
                +x
                +y
                \\ No newline at end of file

                """)
        #expect(
            UnifiedDiff.file(path: "R/o.yaml", old: "only\n", new: nil) == """
                diff --git a/R/o.yaml b/R/o.yaml
                deleted file mode 100644
                --- a/R/o.yaml
                +++ /dev/null
                @@ -1 +0,0 @@
                -only

                """)
    }

    @Test("changes more than six lines apart are two hunks; closer ones share a hunk; equal texts are no diff")
    func hunks() {
        let old = (1...20).map { "l\($0)\n" }.joined()
        var far = old.replacingOccurrences(of: "l2\n", with: "L2\n")
        far = far.replacingOccurrences(of: "l18\n", with: "L18\n")
        let farDiff = UnifiedDiff.file(path: "f", old: old, new: far)
        #expect(farDiff.components(separatedBy: "@@ -").count == 3)
        #expect(farDiff.contains("@@ -1,5 +1,5 @@\n l1\n-l2\n+L2\n l3\n"))
        #expect(farDiff.contains("@@ -15,6 +15,6 @@\n l15\n"))
        // Six kept lines between two changes: their contexts touch, one hunk (as git writes it).
        let near = old.replacingOccurrences(of: "l2\n", with: "L2\n").replacingOccurrences(of: "l9\n", with: "L9\n")
        let nearDiff = UnifiedDiff.file(path: "f", old: old, new: near)
        #expect(nearDiff.contains("@@ -1,12 +1,12 @@\n"))
        #expect(nearDiff.components(separatedBy: "@@ -").count == 2)
        #expect(UnifiedDiff.file(path: "f", old: old, new: old) == "")
        // Two spellings of "ộ" (composed, decomposed) are a change, byte for byte.
        #expect(UnifiedDiff.file(path: "f", old: "\u{1ED9}\n", new: "o\u{323}\u{302}\n") != "")
    }

    @Test("a change set's patch applies with git apply to a copy of the rules and gives the edited files byte for byte")
    func gitApply() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("criteria-patch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repositoryRoot() + "/Rules", toPath: work + "/Rules")
        func served(_ path: String) throws -> String { try String(contentsOfFile: work + "/Rules/" + path, encoding: .utf8) }

        let parameters = try served("parameters.yaml")
        var editedParameters = parameters.replacingOccurrences(of: "      2022-02-10: 70%\n", with: "      2022-02-10: 70%\n      2025-01-01: 75%\n")
        editedParameters = "# Đổi ngưỡng\n" + editedParameters + "# cuối tệp\n"
        let inputs = try served("inputs.yaml")
        #expect(inputs.hasSuffix("\n"))
        let inputsWithoutNewline = String(inputs.dropLast()) + "\n  - name: drug_hotspots\n    type: count\n    level: commune\n    label: { vi: \"Số điểm ma túy\", en: \"Drug hotspots\" }"
        let criterion = try served("xa-ntm/19.2.yaml")
        let editedCriterion = criterion.replacingOccurrences(of: "check: active_security_models >= 1", with: "check: active_security_models >= 2")
            .replacingOccurrences(of: "check: commune_police_disciplined == 0", with: "check: commune_police_disciplined == 0 && drug_hotspots == 0")
        let newFile = "criteria: 1\n# một tệp mới, không có dòng trống cuối"
        let set = RuleChangeSet(files: [
            .init(path: "parameters.yaml", old: parameters, new: editedParameters),
            .init(path: "inputs.yaml", old: inputs, new: inputsWithoutNewline),
            .init(path: "xa-ntm/19.2.yaml", old: criterion, new: editedCriterion),
            .init(path: "xa-ntm/moi.yaml", old: nil, new: newFile),
            .init(path: "huyen-ntm/9.4.yaml", old: try served("huyen-ntm/9.4.yaml"), new: nil),
            .init(path: "xa-ntm-2026/khong-doi.yaml", old: "giống\n", new: "giống\n"),
        ])
        #expect(set.files.map(\.path) == ["huyen-ntm/9.4.yaml", "inputs.yaml", "parameters.yaml", "xa-ntm/19.2.yaml", "xa-ntm/moi.yaml"])
        let patch = set.patch(root: "Rules", description: "Đề xuất thay đổi quy tắc\n\n- ngưỡng `safe_unit_share`: 70% → 75%\n")
        #expect(patch.hasPrefix("Đề xuất thay đổi quy tắc\n"))
        try patch.write(toFile: work + "/thay-doi.patch", atomically: true, encoding: .utf8)

        #expect(try git(["apply", "--check", "thay-doi.patch"], in: work) == 0)
        #expect(try git(["apply", "thay-doi.patch"], in: work) == 0)
        func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: work + "/Rules/" + path) }
        #expect(bytes("parameters.yaml") == Data(editedParameters.utf8))
        #expect(bytes("inputs.yaml") == Data(inputsWithoutNewline.utf8))
        #expect(bytes("xa-ntm/19.2.yaml") == Data(editedCriterion.utf8))
        #expect(bytes("xa-ntm/moi.yaml") == Data(newFile.utf8))
        #expect(bytes("huyen-ntm/9.4.yaml") == nil)
    }

    @Test("random edits of a rule file: every patch applies with git apply and gives the new text")
    func randomEdits() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("criteria-patch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.createDirectory(atPath: work + "/R", withIntermediateDirectories: true)
        let old = try String(contentsOfFile: repositoryRoot() + "/Rules/xa-ntm/19.2.yaml", encoding: .utf8)
        var random = SplitMix64(seed: 17)
        for round in 0..<8 {
            var lines = old.components(separatedBy: "\n")
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let at = Int.random(in: 0..<lines.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: lines.remove(at: at)
                case 1: lines.insert("# thêm \(round)", at: at)
                default: lines[at] += " # sửa"
                }
            }
            let new = lines.joined(separator: "\n")
            try old.write(toFile: work + "/R/f.yaml", atomically: true, encoding: .utf8)
            try RuleChangeSet(files: [.init(path: "f.yaml", old: old, new: new)]).patch(root: "R", description: "")
                .write(toFile: work + "/p.patch", atomically: true, encoding: .utf8)
            #expect(try git(["apply", "p.patch"], in: work) == 0, "round \(round)")
            #expect(FileManager.default.contents(atPath: work + "/R/f.yaml") == Data(new.utf8), "round \(round)")
        }
    }

    /// Runs git in a folder; its exit status.
    func git(_ arguments: [String], in folder: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
