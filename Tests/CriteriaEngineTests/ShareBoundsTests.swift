import CriteriaEngine
import Foundation
import Testing

/// A `share` or `count` compared with a threshold is decided when the elements with missing data
/// cannot change the answer (7 of 10 hamlets known safe meets "at least 70%"), and stays unknown
/// when they can.
@Suite struct ShareBoundsTests {
    static let rules: [String: String] = [
        "inputs.yaml": """
            criteria: 1
            inputs:
              - { name: safe_antt, type: bool, level: hamlet, label: { vi: Thôn an toàn } }
            """,
        "share.yaml": """
            criteria: 1
            id: t.share
            title: { vi: Tỷ lệ thôn an toàn }
            level: commune
            in_force: { from: 2022-01-01 }
            source: { act: Thử nghiệm, status: confirmed }
            all:
              - id: ty-le
                title: { vi: Ít nhất 70% thôn an toàn }
                check: share(hamlets, h, h.safe_antt) >= 70%
            """,
        "share-reversed.yaml": """
            criteria: 1
            id: t.share-reversed
            title: { vi: "Tỷ lệ thôn an toàn, viết ngược" }
            level: commune
            in_force: { from: 2022-01-01 }
            source: { act: Thử nghiệm, status: confirmed }
            all:
              - id: ty-le
                title: { vi: Ít nhất 70% thôn an toàn }
                check: 70% <= share(hamlets, h, h.safe_antt)
            """,
        "count.yaml": """
            criteria: 1
            id: t.count
            title: { vi: Số thôn an toàn }
            level: commune
            in_force: { from: 2022-01-01 }
            source: { act: Thử nghiệm, status: confirmed }
            all:
              - id: so-thon
                title: { vi: Dưới 8 thôn an toàn }
                check: count(hamlets, h, h.safe_antt) < 8
            """,
    ]

    /// Evaluates a commune of 10 hamlets: `safe` true, `unsafe` false, the rest missing.
    static func outcomes(safe: Int, unsafe: Int) throws -> [String: Outcome] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("share-bounds-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("rules"), withIntermediateDirectories: true)
        for (name, text) in rules { try text.write(to: folder.appendingPathComponent("rules/\(name)"), atomically: true, encoding: .utf8) }
        var hamlets = ""
        for i in 1...10 {
            let fact = i <= safe ? "{ 2024: { safe_antt: true } }" : i <= safe + unsafe ? "{ 2024: { safe_antt: false } }" : "{}"
            hamlets += "    - { id: H\(i), name: Thôn \(i), facts: \(fact) }\n"
        }
        let data = folder.appendingPathComponent("data.yaml")
        try "dataset: 1\ncommune:\n  id: X\n  name: Xã Thử\n  hamlets:\n\(hamlets)".write(to: data, atomically: true, encoding: .utf8)
        let graph = try RuleSetLoader.load(path: folder.appendingPathComponent("rules").path)
        let dataset = try DatasetReader.read(path: data.path, inputs: graph.inputs)
        let result = Evaluator(graph: graph).evaluate(dataset, asOf: LocalDate(year: 2024, month: 12, day: 31)!)
        return Dictionary(uniqueKeysWithValues: result.verdicts.map { ($0.criterion, $0.outcome) })
    }

    @Test func missingElementsThatCannotChangeTheAnswerDoNotMakeItUnknown() throws {
        // 7 safe, 2 not, 1 missing: between 70% and 80%, at least 70% either way.
        let o = try Self.outcomes(safe: 7, unsafe: 2)
        #expect(o["t.share"] == .pass)
        #expect(o["t.share-reversed"] == .pass)
        // 7 or 8 safe: "fewer than 8" depends on the missing one.
        #expect(o["t.count"] == .unknown)
    }

    @Test func missingElementsThatCanChangeTheAnswerMakeItUnknown() throws {
        // 6 safe, 3 not, 1 missing: 60% or 70%.
        let o = try Self.outcomes(safe: 6, unsafe: 3)
        #expect(o["t.share"] == .unknown)
        #expect(o["t.share-reversed"] == .unknown)
        #expect(o["t.count"] == .pass)
    }

    @Test func missingElementsThatCannotReachTheThresholdFail() throws {
        // 5 safe, 4 not, 1 missing: at most 60%.
        let o = try Self.outcomes(safe: 5, unsafe: 4)
        #expect(o["t.share"] == .fail)
        #expect(o["t.share-reversed"] == .fail)
        // 3 safe, 7 missing: between 3 and 10 — unknown; 0 safe, 1 missing and 9 not: pass.
        #expect(try Self.outcomes(safe: 3, unsafe: 0)["t.count"] == .unknown)
        #expect(try Self.outcomes(safe: 0, unsafe: 9)["t.count"] == .pass)
    }

    @Test func completeDataIsUnchanged() throws {
        #expect(try Self.outcomes(safe: 7, unsafe: 3)["t.share"] == .pass)
        #expect(try Self.outcomes(safe: 6, unsafe: 4)["t.share"] == .fail)
    }
}
