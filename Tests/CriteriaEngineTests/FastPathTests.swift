import CriteriaEngine
import Foundation
import Testing

/// The fast paths give exactly what the reference paths give: the verdict evaluator and the short
/// explanations (against the full evaluation), the JSON reader's direct path (against JSONReader +
/// DatasetDecoder) and the CSV reader (against the same data in YAML).
@Suite struct FastPathTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let dates = ["2019-06-30", "2022-03-08", "2023-12-31", "2024-12-31", "2025-06-30", "2025-07-01", "2026-02-15"]

    static func rules() throws -> RuleGraph { try RuleSetLoader.load(path: root.appendingPathComponent("Rules").path) }

    static func sample(_ graph: RuleGraph) throws -> Dataset {
        try DatasetReader.read(path: root.appendingPathComponent("Examples/thanh-hoa/province.yaml").path, inputs: graph.inputs)
    }

    /// Every outcome of `outcomes()` and every short explanation equal the full evaluation's.
    static func expectSame(_ evaluator: Evaluator, _ data: Dataset, _ date: LocalDate, parallel: Bool = false) {
        let full = evaluator.evaluate(data, asOf: date, parallel: parallel)
        let table = evaluator.outcomes(data, asOf: date, parallel: parallel)
        var fromTable: [(Int, String, Outcome)] = []
        table.forEach { fromTable.append(($0, $1, $2)) }
        #expect(fromTable.count == full.verdicts.count)
        for (verdict, fast) in zip(full.verdicts, fromTable) {
            #expect(verdict.entity == fast.0 && verdict.criterion == fast.1 && verdict.outcome == fast.2, "\(verdict.criterion) \(verdict.entity) \(date)")
        }
        let short = evaluator.evaluate(data, asOf: date, parallel: parallel, detail: .short)
        #expect(short.verdicts.count == full.verdicts.count)
        for (a, b) in zip(full.verdicts, short.verdicts) {
            #expect(a.explanation.short == b.explanation, "\(a.criterion) \(a.entity) \(date)")
            #expect(a.explanation.involvesProvisional == b.explanation.involvesProvisional)
            // Explained on demand from the outcome table: the same verdict.
            let onDemand = table.verdict(entity: a.entity, criterion: a.criterion)
            #expect(onDemand?.outcome == a.outcome && onDemand?.explanation == b.explanation)
        }
    }

    @Test(arguments: dates) func sampleProvinceAgrees(date: String) throws {
        let graph = try Self.rules()
        let data = try Self.sample(graph)
        Self.expectSame(Evaluator(graph: graph), data, LocalDate(iso: date)!)
        Self.expectSame(Evaluator(graph: graph), data, LocalDate(iso: date)!, parallel: true)
    }

    /// `Evaluator.explain` (behind `criteria explain` and a record's unit page) explains one entity
    /// from the outcome table: the same verdicts, full or short, as evaluating everything with trees,
    /// and none of the other entities'.
    @Test(arguments: ["2024-12-31", "2026-02-15"]) func explainingOneEntityGivesItsVerdicts(date: String) throws {
        let graph = try Self.rules()
        let data = try Self.sample(graph)
        let asOf = try #require(LocalDate(iso: date))
        let evaluator = Evaluator(graph: graph)
        let full = evaluator.evaluate(data, asOf: asOf)
        var explained = 0
        for entity in data.entities.indices {
            let criteria = graph.criteria(at: data.entities[entity].level)
            let one = evaluator.explain(entity: entity, in: data, asOf: asOf, criteria: criteria)
            #expect(one.verdicts == full.verdicts(for: entity), "\(data.entities[entity].id) \(date)")
            let short = evaluator.explain(entity: entity, in: data, asOf: asOf, criteria: criteria, detail: .short)
            #expect(short.verdicts.map(\.explanation) == full.verdicts(for: entity).map(\.explanation.short))
            explained += one.verdicts.count
        }
        #expect(explained == full.verdicts.count)
    }

    @Test func onlySelectedCriteriaAndTheirDependencies() throws {
        let graph = try Self.rules()
        let data = try Self.sample(graph)
        let date = LocalDate(iso: "2024-12-31")!
        let evaluator = Evaluator(graph: graph)
        let selected: Set<String> = ["xa-ntm-kieu-mau.antt", "huyen-ntm-nang-cao.9.1"]
        let full = evaluator.evaluate(data, asOf: date, criteria: selected)
        let table = evaluator.outcomes(data, asOf: date, criteria: selected)
        for verdict in full.verdicts {
            #expect(table.outcome(entity: verdict.entity, criterion: verdict.criterion) == verdict.outcome)
        }
        #expect(table.outcome(entity: full.verdicts[0].entity, criterion: "xa-ntm.19.2") == nil)
        #expect(Dictionary(uniqueKeysWithValues: table.counts.map { ($0.key, $0.value) }) == full.counts)
    }

    /// A tiny budget: the fast path gives way to the reference, which reports the exhausted budget.
    @Test func stepBudgetFallsBackToTheReference() throws {
        let graph = try Self.rules()
        let data = try Self.sample(graph)
        var limits = Limits.default
        for steps in [3, 10, 25, 40, 80] {
            limits.maxEvaluationSteps = steps
            Self.expectSame(Evaluator(graph: graph, limits: limits), data, LocalDate(iso: "2024-12-31")!)
        }
    }

    // MARK: Random expressions

    /// Expressions over every kind of node, read against communes whose facts are often missing.
    static let checks = [
        "a && b", "a || b", "!a", "a == b", "a != b", "has(a) && !has(b)", "has(cases)",
        "cases <= base", "cases < base * 0.95", "cases * 2 >= base + 1", "cases - base > -3", "cases / base >= 0.5",
        "base / cases <= 1.25", "-cases < 0", "cases == 0", "cases != 3",
        "cases <= last_year(cases)", "cases <= in_year(2019, cases) * (100% - 5%)", "last_year(cases) >= 0 || has(base)",
        "rating in [\"xuat_sac\", \"kha\"]", "rating == \"kha\"", "rating != \"yeu\"",
        "share(hamlets, h, h.safe) >= 70%", "share(hamlets, h, h.safe) > 2 / 3", "share(hamlets, h, h.safe) == 50%",
        "hamlets.all(h, h.safe)", "hamlets.exists(h, h.safe)", "count(hamlets, h, h.safe) >= 2",
        "size(hamlets) >= 3", "count(hamlets, h, !h.safe) == 0", "hamlets.all(h, has(h.safe))",
        "size(hamlets.filter(h, h.safe)) >= 1", "a ? cases <= 3 : cases <= base", "(a ? cases : base) >= 2",
        "(cases > 2 || a) && (b || base < 4)", "has(rating) ? rating == \"xuat_sac\" : b",
        // Arithmetic errors (an inexact product, a share of an empty list) and a non-terminating quotient.
        "cases * 99999999999999999999 * 99999999999999999999 >= 0", "share(hamlets.filter(h, h.safe && !h.safe), h, h.safe) >= 0",
        "cases / 3 * 3 == cases", "base * 0.000000000000000001 * 0.000000000000000001 <= cases",
    ]

    @Test func randomCommunesAgree() throws {
        var files: [String: String] = [:]
        for (k, check) in Self.checks.enumerated() {
            files["c\(k).yaml"] = RuleSetFixture.criterion(check, id: "c\(k)")
        }
        files["all.yaml"] = """
            criteria: 1
            id: z
            title: { vi: Tổng hợp }
            level: commune
            in_force: { from: 2022-01-01 }
            source: { act: Thử, status: confirmed }
            at_least:
              count: 2
              of:
                - { id: m1, title: { vi: M1 }, check: 'meets("c0")' }
                - { id: m2, title: { vi: M2 }, check: 'meets("c7")' }
                - id: m3
                  title: { vi: M3 }
                  any:
                    - { id: m4, title: { vi: M4 }, check: 'meets("c22")' }
                    - id: m5
                      title: { vi: M5 }
                      none:
                        - { id: m6, title: { vi: M6 }, check: 'cases > base' }
            """
        let fixture = try RuleSetFixture(files)
        let graph = try fixture.graph()
        var random = SplitMix64(seed: 2024)
        var communes = ""
        for c in 0..<150 {
            func maybe(_ text: String) -> String { random.next() % 4 == 0 ? "" : text + ", " }
            let facts2024 = maybe("a: \(random.next() % 2 == 0)") + maybe("b: \(random.next() % 2 == 0)")
                + maybe("cases: \(random.next() % 6)") + maybe("base: \(random.next() % 6)")
                + maybe("rating: \(["xuat_sac", "kha", "trung_binh", "yeu"][Int(random.next() % 4)])")
            let hamlets = (0..<Int(random.next() % 5)).map { h -> String in
                let safe = random.next() % 5 == 0 ? "" : "safe: \(random.next() % 3 != 0)"
                return "        - { id: C\(c)-H\(h), name: Thôn \(h), facts: { 2024: { \(safe) } } }"
            }
            communes += "    - id: C\(c)\n      name: Xã \(c)\n      facts:\n"
            communes += "        2019: { \(maybe("cases: \(random.next() % 8)")) }\n"
            communes += "        2023: { \(maybe("cases: \(random.next() % 6)")) }\n"
            communes += "        2024: { \(facts2024) }\n"
            if !hamlets.isEmpty { communes += "      hamlets:\n" + hamlets.joined(separator: "\n") + "\n" }
        }
        let yaml = "dataset: 1\ndistrict:\n  id: D1\n  name: Huyện\n  communes:\n" + communes
        let data = try RuleSetFixture.dataset(yaml, graph: graph)
        Self.expectSame(Evaluator(graph: graph), data, LocalDate(iso: "2024-12-31")!)
    }

    // MARK: Readers

    func write(_ text: String, name: String) throws -> String {
        let folder = NSTemporaryDirectory() + "criteria-fast-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `DatasetReader` (which tries the direct path first) and JSONReader + DatasetDecoder give the
    /// same dataset, or the same diagnostics.
    func expectSameJSON(_ text: String) throws {
        let path = try write(text, name: "data.json")
        let inputs = DataDictionary.extended
        let reference: Result<Dataset, DiagnosticsError>
        do {
            reference = .success(try Load.json(text, path: path, inputs: inputs))
        } catch let error as DiagnosticsError {
            reference = .failure(error)
        }
        do {
            let read = try DatasetReader.read(path: path, inputs: inputs)
            guard case .success(let expected) = reference else {
                Issue.record("read succeeded where the reference failed")
                return
            }
            #expect(read == expected)
            for index in read.entities.indices { #expect(read.entities[index].facts == expected.entities[index].facts) }
        } catch let error as DiagnosticsError {
            guard case .failure(let expected) = reference else {
                Issue.record("read failed where the reference succeeded: \(error)")
                return
            }
            #expect(error.diagnostics == expected.diagnostics)
        }
    }

    @Test func sampleProvinceJSONReadsTheSameDirectly() throws {
        let text = try String(contentsOfFile: Self.root.appendingPathComponent("Examples/thanh-hoa/province.json").path, encoding: .utf8)
        try expectSameJSON(text)
    }

    static let jsonCases = [
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "group": 2, "facts": {"2024": {"serious_crimes": 0, "antt_plan": true, "movement_rating": "kha", "notes": "a \"quoted\" \\ note", "budget_million_vnd": 1250.75, "safe_share_reported": 0.7}}}}"#,
        #"{"synthetic": true, "description": null, "dataset": 1, "commune": {"name": "Xã", "id": "C1", "facts": {"2024": {"serious_crimes": null}, "2023": null}, "hamlets": [{"id": "H1", "name": "Thôn", "facts": {"2024": {"safe_antt": false}}}, {"id": "H2", "name": "Thôn 2"}]}}"#,
        #"{"dataset": 1, "district": {"id": 380, "name": "Huyện", "communes": [], "facts": {"2024": {"social_order_hotspots": 1}}}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "hamlets": null, "group": null}}"#,
        #"{"dataset": 1, "commune": {"hamlets": [{"id": "H1", "name": "T"}], "id": "C1", "name": "Xã"}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã\u00e1", "facts": {"2024": {"serious_crimes": 1e2}}}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "facts": {"2024": {"serious_crimes": "1"}}}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "facts": {"2024": {"serious_crimes": -1}}}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "facts": {"2024": {"unknown_fact": 1}}}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "facts": {"2024": {"safe_antt": true}}}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "facts": {"2024": {"serious_crimes": 1, "serious_crimes": 2}}}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "facts": {"2024": {"serious_crimes": null, "serious_crimes": 2}}}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "hamlets": [{"id": "C1", "name": "T"}]}}"#,
        #"{"dataset": 2, "commune": {"id": "C1", "name": "Xã"}}"#,
        #"{"dataset": 1, "commune": {"id": "", "name": "Xã"}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "group": 4}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "facts": {"24": {}}}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "extra": 1}}"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã"}} x"#,
        #"{"dataset": 1, "commune": {"id": "C1", "name": "Xã", "facts": {"2024": {"antt_plan": True}}}}"#,
        "{\"dataset\": 1,\r\n \"commune\": {\"id\": \"C1\",\r\n\t\"name\": \"Xã Đông\", \"facts\": {\"2024\": {\"antt_plan\": false}}}}\r\n",
        #"{"dataset": 1, "province": {"id": "P", "name": "T", "districts": [{"id": "D", "name": "H", "communes": [{"id": "C", "name": "X", "hamlets": [{"id": "H", "name": "T", "facts": {"2024": {"safe_antt": true}}}]}]}]}}"#,
    ]

    @Test(arguments: jsonCases) func jsonReadsTheSameDirectly(text: String) throws {
        try expectSameJSON(text)
    }

    /// The CSV tables of the sample province read as the same dataset as its YAML (ids, structure,
    /// facts and their values; the places differ by format).
    @Test func sampleProvinceCSVEvaluatesAsTheYAML() throws {
        let graph = try Self.rules()
        let yaml = try Self.sample(graph)
        let csv = try DatasetReader.read(path: Self.root.appendingPathComponent("Examples/thanh-hoa/csv").path, inputs: graph.inputs)
        #expect(yaml.entities.map(\.id) == csv.entities.map(\.id))
        for index in yaml.entities.indices {
            #expect(yaml.entities[index].facts.mapValues { $0.mapValues(\.value) } == csv.entities[index].facts.mapValues { $0.mapValues(\.value) })
        }
        let date = LocalDate(iso: "2024-12-31")!
        let a = Evaluator(graph: graph).evaluate(yaml, asOf: date, detail: .short).verdicts.map(\.outcome)
        let b = Evaluator(graph: graph).outcomes(csv, asOf: date)
        var outcomes: [Outcome] = []
        b.forEach { _, _, o in outcomes.append(o) }
        #expect(a == outcomes)
    }
}


/// Criteria nested deeper than the fast path compiles go to the reference, on a small stack too.
@Suite struct FastPathDepthTests {
    @Test func deepCriteriaAgreeOnTheSmallStack() throws {
        var files = SmallStackTests.chain(length: 64)
        files["sau.yaml"] = SmallStackTests.nestedCriterion(groups: 31, checks: SmallStackTests.checksAtTheLimits)
        files["nong.yaml"] = SmallStackTests.nestedCriterion(id: "nong", groups: 3, checks: ["a && cases >= 0"])
        let fixture = try RuleSetFixture(files)
        let limits = SmallStackTests.limits
        let graph = try RuleSetLoader.load(path: fixture.folder, limits: limits)
        let data = try RuleSetFixture.dataset(SmallStackTests.data, graph: graph)
        let date = try #require(LocalDate(iso: "2024-12-31"))
        let outcomes = try onSmallStack { () -> [String: Outcome] in
            let evaluator = Evaluator(graph: graph, limits: limits)
            FastPathTests.expectSame(evaluator, data, date)
            let table = evaluator.outcomes(data, asOf: date, parallel: false)
            var outcomes: [String: Outcome] = [:]
            table.forEach { outcomes[$1] = $2 }
            return outcomes
        }
        #expect(outcomes["sau"] == .pass && outcomes["nong"] == .pass && outcomes["k0"] == .pass)
    }
}
