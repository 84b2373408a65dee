import CriteriaEngine
import Foundation
import Testing

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

@Suite struct RuleSetLoaderTests {
    @Test func bundledRulesLoadWithoutErrors() throws {
        let graph: RuleGraph
        do {
            graph = try RuleSetLoader.load(path: repositoryRoot + "/Rules")
        } catch let error as DiagnosticsError {
            Issue.record("\(error.diagnostics.map { "\($0.range.map { "\($0.file):\($0.start.line):\($0.start.column)" } ?? "") \($0.id) \($0.message)" }.joined(separator: "\n"))")
            return
        }
        #expect(
            Set(graph.order) == [
                "xa-ntm.19.2", "xa-ntm-nang-cao.19.2", "xa-ntm-kieu-mau.antt", "huyen-ntm.9.4", "huyen-ntm-nang-cao.9.1",
                "tt124.xa", "tt124.khu-dan-cu", "xa-ntm-2026.10",
            ])
        // Dependencies come first.
        let position = Dictionary(uniqueKeysWithValues: graph.order.enumerated().map { ($1, $0) })
        #expect(position["xa-ntm.19.2"]! < position["xa-ntm-nang-cao.19.2"]!)
        #expect(position["xa-ntm-nang-cao.19.2"]! < position["xa-ntm-kieu-mau.antt"]!)
        #expect(position["huyen-ntm.9.4"]! < position["huyen-ntm-nang-cao.9.1"]!)
        #expect(graph.diagnostics.allSatisfy { $0.severity == .note && $0.id == "rules.provisional" })
        #expect(position["tt124.xa"]! < position["xa-ntm-2026.10"]!)
        #expect(graph.diagnostics.contains { $0.message.contains("xa-ntm.19.2/don-vi-an-toan") })
    }
}
