import Foundation
import Testing

@testable import CriteriaEngine

/// The sentences of checks that passed or failed are made once per chunk of entities and reused
/// (`CriterionEvaluation.checkSentences`): every one must be the sentence made anew for its node.
@Suite struct SentenceCacheTests {
    @Test(arguments: ["2022-03-08", "2024-12-31", "2025-07-01"]) func reusedSentencesAreTheSentencesMadeAnew(date: String) throws {
        let graph = try FastPathTests.rules()
        let data = try FastPathTests.sample(graph)
        let asOf = try #require(LocalDate(iso: date))
        let sentences = Sentences(graph: graph, dataset: data)
        var templates: [String: ExplainTemplates] = [:]
        for id in graph.order {
            guard let version = graph.version(of: id, on: asOf) else { continue }
            for node in version.root.allNodes { templates[node.path] = node.explain }
        }
        var checked = 0
        for detail in [ExplanationDetail.full, .short] {
            let result = Evaluator(graph: graph).evaluate(data, asOf: asOf, parallel: false, detail: detail)
            for verdict in result.verdicts {
                var stack = verdict.explanation.children
                while let node = stack.popLast() {
                    stack += node.children
                    guard node.kind == .check, let explain = templates[node.id] else { continue }
                    #expect(node.sentence == sentences.check(node, templates: explain), "\(verdict.criterion) \(node.id)")
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }
}
