import ArgumentParser
import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// Copies Rules/ to a temporary folder and applies a text change to one file.
private func mutatedRules(_ file: String, _ from: String, _ to: String) throws -> String {
    let folder = NSTemporaryDirectory() + "criteria-diff-" + UUID().uuidString
    try FileManager.default.copyItem(atPath: root + "/Rules", toPath: folder)
    let path = folder + "/" + file
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains(from))
    try text.replacingOccurrences(of: from, with: to).write(toFile: path, atomically: true, encoding: .utf8)
    return folder
}

@Suite struct DiffCommandTests {
    /// Finding 11: names that hold terminal escapes are shown escaped in the text diff, with `--explain` too.
    @Test func hostileNamesAreShownEscaped() throws {
        let new = try mutatedRules("parameters.yaml", "2022-02-10: 70%", "2022-02-10: 80%")
        defer { try? FileManager.default.removeItem(atPath: new) }
        let text = try String(contentsOfFile: root + "/Examples/thanh-hoa/province.yaml", encoding: .utf8)
            .replacingOccurrences(of: "name: \"Xã ", with: "name: \"Xã\\e[1A\\r ")
        let folder = NSTemporaryDirectory() + "criteria-diff-data-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try text.write(toFile: folder + "/province.yaml", atomically: true, encoding: .utf8)
        let output = try DiffCommand.parse([root + "/Rules", new, "--data", folder + "/province.yaml", "--as-of", "2024-12-31", "--explain"]).execute()
        #expect(output.exitCode == 0)
        #expect(output.stdout.contains(#"Xã\u{1B}[1A\u{0D} "#))
        #expect(!output.stdout.unicodeScalars.contains { $0 != "\n" && $0 != "\t" && DisplayText.invisible($0) != nil })
    }

    @Test func raisingTheUnitThresholdNamesExactlyTheCommunesThatFlip() throws {
        let new = try mutatedRules("parameters.yaml", "2022-02-10: 70%", "2022-02-10: 80%")
        defer { try? FileManager.default.removeItem(atPath: new) }
        let data = root + "/Examples/thanh-hoa/province.yaml"
        let output = try DiffCommand.parse([root + "/Rules", new, "--data", data, "--as-of", "2024-12-31", "--format", "json"]).execute()
        #expect(output.exitCode == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let flips = try #require(json["flips"] as? [[String: Any]])
        let flipped = Set(flips.filter { $0["criterion"] as? String == "xa-ntm.19.2" }.compactMap { $0["entity"] as? String })

        // Independently: the communes that passed, whose share of recognised units is at least 70% but below 80%.
        let graph = try RuleSetLoader.load(path: root + "/Rules")
        let dataset = try DatasetReader.read(path: data, inputs: graph.inputs)
        let before = Evaluator(graph: graph).evaluate(dataset, asOf: LocalDate(iso: "2024-12-31")!)
        var expected = Set<String>()
        for commune in dataset.indices(at: .commune) {
            guard before.verdict(entity: commune, criterion: "xa-ntm.19.2")?.outcome == .pass else { continue }
            let units = dataset.children(of: commune, at: .unit)
            let safe = units.filter { dataset.entities[$0].fact("antt_recognised", year: 2024)?.value == .bool(true) }.count
            if safe * 10 < units.count * 8 { expected.insert(dataset.entities[commune].id) }
        }
        #expect(!expected.isEmpty)
        #expect(flipped == expected)

        let changes = try #require(json["changes"] as? [[String: Any]])
        let texts = changes.compactMap { ($0["text"] as? [String: String])?["en"] }
        #expect(texts == ["threshold of `xa-ntm.19.2/don-vi-an-toan/don-vi-cong-nhan`, `tt124.xa/don-vi-dang-ky-cong-nhan/ty-le-cong-nhan` (parameter `safe_unit_share`) 70% → 80% from 2022-02-10"])
        // Every flip, the districts' included, is traced to that one change.
        #expect(flips.allSatisfy { ($0["cause"] as? String) == texts.first })
    }

    @Test func changesStatesAnEndDateAndAChangedCheck() throws {
        let new = try mutatedRules("xa-ntm/19.2.yaml", "check: social_order_crimes <= last_year(social_order_crimes)", "check: social_order_crimes < last_year(social_order_crimes)")
        defer { try? FileManager.default.removeItem(atPath: new) }
        let text = try String(contentsOfFile: new + "/huyen-ntm/9.4.yaml", encoding: .utf8)
        try text.replacingOccurrences(of: "until: 2025-06-30", with: "until: 2025-03-31").write(toFile: new + "/huyen-ntm/9.4.yaml", atomically: true, encoding: .utf8)
        let output = try ChangesCommand.parse([root + "/Rules", new, "--lang", "en"]).execute()
        #expect(output.exitCode == 0)
        #expect(output.stdout.contains("check of `xa-ntm.19.2/kiem-che-toi-pham`: `social_order_crimes <= last_year(social_order_crimes)` → `social_order_crimes < last_year(social_order_crimes)`"))
        #expect(output.stdout.contains("criterion `huyen-ntm.9.4` ends on 2025-03-31 (was 2025-06-30)"))
    }

    @Test func unknownRevisionIsOneSentenceAndUsageExit() throws {
        let output = try ChangesCommand.parse([root + "/Rules", "no-such-revision-xyz"]).execute()
        #expect(output.exitCode == 64)
        // Vietnamese by default, English with --lang en.
        #expect(output.stderr.contains("'no-such-revision-xyz' không phải là thư mục quy tắc, cũng không phải là một phiên bản git"))
        let english = try ChangesCommand.parse([root + "/Rules", "no-such-revision-xyz", "--lang", "en"]).execute()
        #expect(english.stderr.contains("'no-such-revision-xyz' is neither a rules folder nor a git revision"))
    }
}
