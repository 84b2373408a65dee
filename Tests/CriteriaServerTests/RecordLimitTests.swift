import CriteriaEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CriteriaServer

extension Explanation {
    /// How many nodes the tree has.
    var nodeCount: Int { 1 + children.reduce(0) { $0 + $1.nodeCount } }
}

@Suite("Small records and a sound database (abuse report 2026-12, findings 1, 2, 18)")
struct RecordLimitTests {
    let sample = multipart([("sample", nil, Data("thanh-hoa".utf8))])

    @Test("finding 1: a record stores short explanations; one unit's full trees are rebuilt on demand from the kept rules and input")
    func shortRecordsAndRebuiltTrees() async throws {
        let service = try makeService()
        let (form, headers) = sample
        try await withClient(service) { client in
            let record = try await client.execute(
                uri: "/v1/evaluations?as_of=2024-12-31&criteria=xa-ntm.19.2", method: .post, headers: headers, body: form
            ) { response async throws in
                #expect(response.status == .created)
                return try response.decode(DecisionRecordV1.self)
            }
            #expect(record.version == 2)
            #expect(record.explanations == "brief")
            #expect(record.inputKept)
            let failing = try #require(record.evaluation.entities.first { $0.verdicts.contains { $0.outcome == .fail } })
            let stored = try #require(failing.verdicts.first)
            // Brief: the criterion's node and the conditions that decided it, without their values.
            #expect(stored.explanation.children.allSatisfy { $0.children.isEmpty && $0.values.isEmpty && $0.kind == .check })
            #expect(!stored.explanation.children.isEmpty)
            let unit = try await client.execute(
                uri: "/v1/decisions/\(record.id)/entities/\(failing.id)?full=1", method: .get
            ) { response async throws in
                #expect(response.status == .ok, "\(response.text.prefix(300))")
                return try response.decode(DecisionEntityV1.self)
            }
            #expect(unit.rebuilt)
            #expect(unit.explanations == "full")
            let full = try #require(unit.entity.verdicts.first)
            #expect(full.outcome == stored.outcome)
            #expect(full.explanation.nodeCount > stored.explanation.nodeCount)
            // Without full=1, the short trees (the reasons that mattered, with their values) are rebuilt.
            try await client.execute(uri: "/v1/decisions/\(record.id)/entities/\(failing.id)", method: .get) { response async throws in
                let short = try response.decode(DecisionEntityV1.self)
                #expect(short.rebuilt)
                #expect(short.explanations == "short")
                let tree = try #require(short.entity.verdicts.first?.explanation)
                #expect(tree.outcome == stored.outcome)
                #expect(tree.nodeCount < full.explanation.nodeCount)
                #expect(tree.nodeCount >= stored.explanation.nodeCount)
            }
            try await client.execute(uri: "/decisions/\(record.id)/entities/\(failing.id)?full=1", method: .get) { response async throws in
                #expect(response.status == .ok)
                #expect(response.text.contains(failing.name))
            }
            try await client.execute(uri: "/v1/decisions/\(record.id)/entities/nope", method: .get) { response async throws in
                #expect(response.status == .notFound)
                #expect(response.text.contains("request.unknown-entity"))
            }
        }
    }

    @Test("a record that keeps no input cannot rebuild full trees: 422, and its unit page shows the brief explanations")
    func notReproducible() async throws {
        let service = try makeService()
        let graph = await service.rules.current.graph
        let dataset = try DatasetReader.read(path: repositoryRoot + "/Examples/thanh-hoa/province.yaml", inputs: graph.inputs)
        let date = try #require(LocalDate(iso: "2024-12-31"))
        let output = EvaluationOutputV1(
            Evaluator(graph: graph).evaluate(dataset, asOf: date, criteria: ["xa-ntm.19.2"], detail: .short), full: false)
        let record = try service.decisions.record(
            evaluation: output, criteria: ["xa-ntm.19.2"], rulesHash: "r", inputHash: "i", inputName: "x.yaml")
        #expect(!record.inputKept)
        try await withClient(service) { client in
            try await client.execute(uri: "/v1/decisions/\(record.id)/entities/15100?full=1", method: .get) { response async throws in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("request.not-reproducible"))
            }
            try await client.execute(uri: "/v1/decisions/\(record.id)/entities/15100", method: .get) { response async throws in
                #expect(response.status == .ok)
                let unit = try response.decode(DecisionEntityV1.self)
                #expect(!unit.rebuilt)
                #expect(unit.explanations == "brief")
            }
        }
    }

    @Test("finding 1: a record above the cap is refused with 413 (in Vietnamese on the page) and nothing is written")
    func recordCap() async throws {
        let service = try makeService { $0.maxRecordBytes = 40_000 }
        let (form, headers) = sample
        try await withClient(service) { client in
            try await client.execute(uri: "/v1/evaluations?as_of=2024-12-31", method: .post, headers: headers, body: form) {
                response async throws in
                #expect(response.status == .contentTooLarge, "\(response.text.prefix(300))")
                let problems = try response.decode(DiagnosticsOutputV1.self)
                #expect(problems.diagnostics.first?.id == "request.record-too-large")
            }
            let (page, pageHeaders) = multipart([("sample", nil, Data("thanh-hoa".utf8)), ("as_of", nil, Data("2024-12-31".utf8))])
            try await client.execute(uri: "/inspect", method: .post, headers: pageHeaders, body: page) { response async throws in
                #expect(response.status == .contentTooLarge)
                #expect(response.text.contains("Phiếu kết quả sẽ chiếm"))
            }
            #expect(try await recorded(client).isEmpty)
        }
        // A dataset whose verdicts alone cannot fit is refused before it is evaluated.
        let tiny = try makeService { $0.maxRecordBytes = 2_000 }
        try await withClient(tiny) { client in
            try await client.execute(uri: "/v1/evaluations?as_of=2024-12-31", method: .post, headers: headers, body: form) {
                response async throws in
                #expect(response.status == .contentTooLarge)
                #expect(response.text.contains("at least"))
            }
            #expect(try await recorded(client).isEmpty)
        }
    }

    @Test("finding 2: one unit is read from a record without the others")
    func oneUnit() throws {
        let store = try DecisionStore(path: ":memory:")
        let graph = try RuleSetLoader.load(path: repositoryRoot + "/Rules")
        let dataset = try DatasetReader.read(path: repositoryRoot + "/Examples/thanh-hoa/province.yaml", inputs: graph.inputs)
        let date = try #require(LocalDate(iso: "2024-12-31"))
        let output = EvaluationOutputV1(Evaluator(graph: graph).evaluate(dataset, asOf: date, detail: .short), full: false)
        let record = try store.record(evaluation: output, criteria: [], rulesHash: "r", inputHash: "i", inputName: "x.yaml")
        let units = try #require(try store.record(id: record.id, entities: ["15100", "381"]))
        #expect(Set(units.evaluation.entities.map(\.id)) == ["15100", "381"])
        #expect(units.evaluation.summary == output.summary)
        #expect(units.contentHash == record.contentHash)
        #expect(try store.record(id: record.id, entities: ["nope"])?.evaluation.entities.isEmpty == true)
        #expect(try store.record(id: "QD-2026-000999-AAAAAA", entities: ["15100"]) == nil)
    }

    @Test("finding 18: a database error answers a generic message; the SQL stays in the server's log")
    func databaseErrorsSayNoSQL() async throws {
        let service = try makeService()
        try service.decisions.execute(
            sql: "CREATE TRIGGER refuse BEFORE INSERT ON decision BEGIN SELECT RAISE(ABORT, 'secret-trigger-text'); END;")
        let (form, headers) = sample
        try await withClient(service) { client in
            try await client.execute(
                uri: "/v1/evaluations?as_of=2024-12-31&criteria=xa-ntm.19.2", method: .post, headers: headers, body: form
            ) { response async throws in
                #expect(response.status == .internalServerError)
                #expect(!response.text.contains("secret-trigger-text"))
                #expect(!response.text.contains("INSERT"))
                #expect(!response.text.contains("SQLite"))
                #expect(response.text.contains("decision records cannot be read or written"))
            }
        }
    }

    @Test("finding 18: ids carry a random part, so a lost database does not give an id again")
    func idsNotReissued() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("decisions-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try DecisionStoreTests().sampleOutput()
        let first = try DecisionStore(path: path).record(evaluation: output, criteria: [], rulesHash: "r", inputHash: "i", inputName: "x")
        try FileManager.default.removeItem(atPath: path)
        let again = try DecisionStore(path: path).record(evaluation: output, criteria: [], rulesHash: "r", inputHash: "i", inputName: "x")
        #expect(first.id.hasPrefix("KQ-"))
        #expect(first.id.dropLast(7) == again.id.dropLast(7))
        #expect(first.id != again.id)
        #expect(DecisionStore.isWellFormed(first.id))
        #expect(DecisionStore.isWellFormed("QD-2026-000001"))
        // Ids are KQ- now (a QD- id read like the number of a QĐ); those made before still open.
        #expect(DecisionStore.isWellFormed("KQ-2026-000001-ABCDEF"))
        #expect(DecisionStore.isWellFormed("QD-2026-000001-ABCDEF"))
        #expect(!DecisionStore.isWellFormed("QĐ-2026-000001-ABCDEF"))
        #expect(!DecisionStore.isWellFormed("QD-2026-000001-ABCDEI"))
        #expect(!DecisionStore.isWellFormed("QD-2026-000001-ABC"))
    }

    @Test("finding 18: a second server on the same database waits for the other's write instead of failing 'locked'")
    func secondServerWaits() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("decisions-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try DecisionStore(path: path)
        let second = try DecisionStore(path: path)
        // An empty evaluation: encoding it takes no time, so the write starts while the lock is held.
        let output = try JSONDecoder().decode(
            EvaluationOutputV1.self,
            from: Data(#"{"version":1,"asOf":"2024-12-31","dataset":"x","synthetic":false,"summary":{},"entities":[]}"#.utf8))
        // The first takes the write lock and holds it until a second after the second starts writing.
        let writing = LockedFlag()
        let secondStarted = LockedFlag()
        let holding = Thread {
            try? first.whileWriting {
                writing.set()
                while !secondStarted.value { Thread.sleep(forTimeInterval: 0.005) }
                Thread.sleep(forTimeInterval: 1)
            }
        }
        holding.start()
        while !writing.value { try await Task.sleep(for: .milliseconds(5)) }
        secondStarted.set()
        // Without a busy timeout this throws at once ("database is locked").
        let record = try second.record(evaluation: output, criteria: [], rulesHash: "r", inputHash: "i", inputName: "x")
        #expect(try first.record(id: record.id) != nil)
    }

    @Test("retention: old records are archived to a file and removed, the archive is recorded, and the rest stays append-only")
    func archive() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try DecisionStore(path: folder + "/decisions.sqlite")
        let output = try DecisionStoreTests().sampleOutput()
        let old = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15
        let first = try store.record(evaluation: output, criteria: [], rulesHash: "r", inputHash: "i", inputName: "a", input: Data("x".utf8), now: old)
        let second = try store.record(evaluation: output, criteria: [], rulesHash: "r", inputHash: "i", inputName: "b", now: old)
        let kept = try store.record(evaluation: output, criteria: [], rulesHash: "r", inputHash: "i", inputName: "c")
        // Before any archive, nothing may be deleted.
        #expect(throws: (any Error).self) { try store.execute(sql: "DELETE FROM decision WHERE id = '\(first.id)'") }
        let cutoff = try #require(LocalDate(iso: "2026-01-01"))
        let file = folder + "/archive.jsonl"
        let archive = try store.archive(before: cutoff, to: file)
        #expect(archive.records == 2)
        #expect(archive.firstID == first.id && archive.lastID == second.id)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        let archived = try lines.map { try JSONDecoder().decode(DecisionStore.ArchivedRecordV1.self, from: Data($0.utf8)) }
        #expect(archived.map(\.record.id) == [first.id, second.id])
        #expect(archived.first?.input == Data("x".utf8))
        #expect(archive.fileHash == RuleSetHash.sha256(try Data(contentsOf: URL(fileURLWithPath: file))))
        #expect(try store.record(id: first.id) == nil)
        #expect(try store.record(id: kept.id) != nil)
        #expect(try store.archives().map(\.records) == [2])
        // The records left, and the archive log, are still append-only.
        #expect(throws: (any Error).self) { try store.execute(sql: "DELETE FROM decision WHERE id = '\(kept.id)'") }
        #expect(throws: (any Error).self) { try store.execute(sql: "DELETE FROM archive") }
        #expect(throws: (any Error).self) { try store.execute(sql: "UPDATE archive SET records = 0") }
        // Numbers are not given again, an existing file is not overwritten, a day to come is refused.
        let next = try store.record(evaluation: output, criteria: [], rulesHash: "r", inputHash: "i", inputName: "d")
        #expect(next.id.split(separator: "-")[2] == "000004")
        #expect(throws: EnvironmentError.self) { try store.archive(before: cutoff, to: file) }
        let future = try #require(LocalDate(iso: "2999-01-01"))
        #expect(throws: EnvironmentError.self) { try store.archive(before: future, to: folder + "/later.jsonl") }
    }
}
