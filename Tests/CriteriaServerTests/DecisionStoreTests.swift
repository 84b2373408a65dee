import CriteriaEngine
import CriteriaServer
import Foundation
import Testing

@Suite("Decision records")
struct DecisionStoreTests {
    func sampleOutput(asOf: String = "2024-12-31") throws -> EvaluationOutputV1 {
        let graph = try RuleSetLoader.load(path: repositoryRoot + "/Rules")
        let dataset = try DatasetReader.read(path: repositoryRoot + "/Examples/thanh-hoa/province.yaml", inputs: graph.inputs)
        let date = try #require(LocalDate(iso: asOf))
        return EvaluationOutputV1(Evaluator(graph: graph).evaluate(dataset, asOf: date), full: true)
    }

    @Test("ids are KQ-year-number-random, numbered one after another, and read back exactly")
    func ids() throws {
        let store = try DecisionStore(path: ":memory:")
        let output = try sampleOutput()
        let now = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21
        let first = try store.record(evaluation: output, criteria: [], rulesHash: "r", inputHash: "i", inputName: "x.yaml", now: now)
        let second = try store.record(evaluation: output, criteria: ["xa-ntm.19.2"], rulesHash: "r", inputHash: "i", inputName: "x.yaml", now: now)
        #expect(first.id.hasPrefix("KQ-2026-000001-"))
        #expect(second.id.hasPrefix("KQ-2026-000002-"))
        let read = try #require(try store.record(id: first.id))
        #expect(read.contentHash == first.contentHash)
        #expect(read.evaluation.entities.count == output.entities.count)
        #expect(try store.record(id: "QD-2026-000003") == nil)
        #expect(try store.record(id: "QD-2026-000003-AAAAAA") == nil)
        #expect(try store.record(id: "'; DROP TABLE decision; --") == nil)
    }

    @Test("an id's content cannot change: UPDATE and DELETE are refused, a repeated id too")
    func appendOnly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("decisions-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try DecisionStore(path: path)
        let record = try store.record(evaluation: try sampleOutput(), criteria: [], rulesHash: "r", inputHash: "i", inputName: "x.yaml")
        let stored = try #require(try store.storedEvaluation(id: record.id))
        #expect(throws: (any Error).self) { try store.execute(sql: "UPDATE decision SET evaluation = '{}' WHERE id = '\(record.id)'") }
        #expect(throws: (any Error).self) { try store.execute(sql: "UPDATE decision SET asOf = '2020-01-01'") }
        #expect(throws: (any Error).self) { try store.execute(sql: "DELETE FROM decision") }
        #expect(throws: (any Error).self) {
            try store.execute(
                sql: """
                    INSERT INTO decision (id, recordedAt, asOf, criteria, rulesHash, inputHash, inputName, engineVersion, summary, evaluation, contentHash)
                    VALUES ('\(record.id)', '', '', '', '', '', '', '', '{}', '{}', '')
                    """)
        }
        #expect(throws: (any Error).self) { try store.execute(sql: "INSERT OR REPLACE INTO decision SELECT * FROM decision") }
        #expect(throws: (any Error).self) {
            try store.execute(
                sql: """
                    INSERT OR REPLACE INTO decision (seq, id, recordedAt, asOf, criteria, rulesHash, inputHash, inputName, engineVersion, summary, evaluation, contentHash)
                    SELECT seq, id, recordedAt, asOf, criteria, rulesHash, inputHash, inputName, engineVersion, summary, '{}', contentHash FROM decision
                    """)
        }
        // Reopened (as after a restart), the record is the same, byte for byte.
        let reopened = try DecisionStore(path: path)
        #expect(try reopened.storedEvaluation(id: record.id) == stored)
        #expect(try reopened.record(id: record.id)?.contentHash == RuleSetHash.sha256(Data(stored.utf8)))
        let next = try reopened.record(evaluation: try sampleOutput(), criteria: [], rulesHash: "r", inputHash: "i", inputName: "x.yaml")
        #expect(next.id != record.id)
    }
}

@Suite("Rule reload")
struct RuleReloadTests {
    @Test("an edit that checks is served; one that does not is reported and the last good set stays")
    func reload() async throws {
        let folder = try copyOfRules()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try RuleSetStore(folder: folder)
        let first = await store.current
        #expect(await store.reloadIfChanged() == false)
        let file = folder + "/parameters.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "2022-02-10: 70%", with: "2022-02-10: 75%").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(await store.reloadIfChanged())
        let second = await store.current
        #expect(second.hash != first.hash)
        #expect(second.graph.parameters["safe_unit_share"]?.values.first?.text == "75%")
        try (text + "\n? *alias\n: 1\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(await store.reloadIfChanged() == false)
        #expect(await store.current.hash == second.hash)
        let failure = try #require(await store.lastFailure)
        #expect(failure.diagnostics.contains { $0.id == "yaml.alias" })
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(await store.reloadIfChanged())
        #expect(await store.current.hash == first.hash)
        #expect(await store.lastFailure == nil)
    }

    @Test("the rule-set hash depends on paths and bytes, not on the folder's place")
    func hash() throws {
        let folder = try copyOfRules()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let original = try RuleSetHash.hash(files: try RuleSetLoader.ruleFiles(at: repositoryRoot + "/Rules"), folder: repositoryRoot + "/Rules")
        let copy = try RuleSetHash.hash(files: try RuleSetLoader.ruleFiles(at: folder), folder: folder)
        #expect(original == copy)
        #expect(original.count == 64)
    }
}

