import ArgumentParser
@testable import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// `criteria check` writes as it evaluates; what it writes is what the whole model would encode to.
@Suite("Streamed check")
struct StreamedCheckTests {
    static func load() throws -> (RuleGraph, Dataset) {
        let graph = try RuleSetLoader.load(path: Paths.rules)
        let data = try DatasetReader.read(path: Paths.root + "/Examples/thanh-hoa/province.yaml", inputs: graph.inputs)
        return (graph, data)
    }

    @Test("the JSON written entity by entity is the JSON of the whole model", arguments: ["2023-12-31", "2024-12-31", "2026-02-15"])
    func jsonByEntity(date: String) throws {
        let (graph, data) = try Self.load()
        let day = try #require(LocalDate(iso: date))
        let evaluator = Evaluator(graph: graph)
        let commune = try #require(data.entities.firstIndex { $0.level == .commune })
        let cases: [(Set<String>?, Set<Int>?)] = [(nil, nil), (["huyen-ntm.9.4", "xa-ntm.19.2"], nil), (nil, [commune]), (["huyen-ntm.9.4"], [commune])]
        for (criteria, entities) in cases {
            let whole = JSON.encode(
                EvaluationOutputV1(evaluator.evaluate(data, asOf: day, criteria: criteria, detail: .short), full: false, entities: entities))
            var streamed = ""
            var pieces = 0
            StreamedEvaluationJSON.write(evaluator.outcomes(data, asOf: day, criteria: criteria), entities: entities) {
                streamed += $0
                pieces += 1
            }
            #expect(streamed == whole, "\(date) \(criteria ?? []) \(entities ?? [])")
            let shown = (try JSONSerialization.jsonObject(with: Data(streamed.utf8)) as? [String: Any])?["entities"] as? [Any]
            // The part before the entities, one piece per entity, the part after; one piece when none.
            let count = shown?.count ?? 0
            #expect(pieces == (count == 0 ? 1 : count + 2))
        }
    }

    @Test("the command writes a piece per row, and the pieces make the whole output")
    func commandStreams() throws {
        let command = try #require(
            try CriteriaCommand.parseAsRoot(["check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31"]) as? CheckCommand)
        var pieces: [String] = []
        let output = command.execute { pieces.append($0) }
        #expect(output.exitCode == 0 && output.stdout.isEmpty)
        let whole = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31").stdout
        #expect(pieces.joined() == whole)
        // Every entity's line (two spaces, then its id) arrives as a piece of its own.
        let rows = whole.split(separator: "\n").filter { $0.hasPrefix("  ") && ($0.dropFirst(2).first?.isNumber ?? false) }
        #expect(rows.count >= 8)
        #expect(rows.allSatisfy { row in pieces.contains { $0.hasPrefix(row + "\n") } })
    }

    @Test("Markdown and HTML are written a row at a time too", arguments: ["markdown", "html"])
    func otherFormatsStream(format: String) throws {
        let arguments = ["check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--format", format]
        let command = try #require(try CriteriaCommand.parseAsRoot(arguments) as? CheckCommand)
        var pieces: [String] = []
        let output = command.execute { pieces.append($0) }
        #expect(output.exitCode == 0 && output.stdout.isEmpty)
        let whole = CriteriaCommand.output(arguments: arguments).stdout
        #expect(pieces.joined() == whole)
        // The fixture has a province, 3 districts and 5 communes: at least a piece for each.
        #expect(pieces.count >= 9)
    }
}
