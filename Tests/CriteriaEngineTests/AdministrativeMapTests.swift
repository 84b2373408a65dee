import CriteriaEngine
import Foundation
import Testing

/// The map as it stands since 2025-07-01: communes directly under a province, TT 124 units of four
/// kinds under a commune, commune groups, and successions (mergers, renamings, splits, abolished
/// districts) whose former units' facts a successor reads for the years before.
@Suite struct AdministrativeMapTests {
    static let inputs = """
        criteria: 1
        inputs:
          - { name: cases, type: count, level: commune, label: { vi: Số vụ, en: Cases }, unit: { vi: vụ, en: cases } }
          - { name: plan, type: bool, level: commune, label: { vi: Có kế hoạch, en: Plan } }
          - { name: anyplan, type: bool, level: commune, merge: any, label: { vi: Có kế hoạch (bất kỳ) } }
          - { name: rating, type: enum, values: [kha, yeu], level: commune, label: { vi: Xếp loại } }
          - { name: safe, type: bool, level: hamlet, label: { vi: Thôn an toàn } }
          - { name: recognised, type: bool, level: unit, label: { vi: Được công nhận, en: Recognised } }
        """

    static func graph(_ criteria: [String: String]) throws -> RuleGraph {
        var files = criteria
        files["inputs.yaml"] = inputs
        return try RuleSetFixture(files, withInputs: false).graph()
    }

    static func outcome(_ graph: RuleGraph, _ data: Dataset, _ entity: String, _ criterion: String, on date: String) -> Outcome? {
        let result = Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: date)!)
        guard let index = data.index(of: entity) else { return nil }
        return result.verdict(entity: index, criterion: criterion)?.outcome
    }

    static func verdict(_ graph: RuleGraph, _ data: Dataset, _ entity: String, _ criterion: String, on date: String) -> Verdict? {
        let result = Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: date)!)
        return data.index(of: entity).flatMap { result.verdict(entity: $0, criterion: criterion) }
    }

    // MARK: Two-tier provinces and units

    static let twoTier = """
        dataset: 1
        province:
          id: "38"
          name: Tỉnh Thử
          communes:
            - id: X1
              name: Xã Một
              group: 1
              facts: { 2026: { cases: 3 } }
              units:
                - { id: U1, name: Thôn 1, kind: khu_dan_cu, facts: { 2026: { recognised: true } } }
                - { id: U2, name: Trường A, kind: co_so_giao_duc, facts: { 2026: { recognised: true } } }
                - { id: U3, name: UBND xã, kind: co_quan, facts: { 2026: { recognised: false } } }
                - { id: U4, name: Công ty B, kind: doanh_nghiep, facts: { 2026: { recognised: true } } }
            - id: X2
              name: Xã Hai
              units:
                - { id: U5, name: Thôn 2, kind: khu_dan_cu, facts: { 2026: { recognised: true } } }
        """

    @Test func communesSitDirectlyUnderAProvinceAndTheProvinceCountsThem() throws {
        let graph = try Self.graph([
            "a.yaml": RuleSetFixture.criterion("share(units, u, u.recognised) >= 70%", id: "a"),
            "p.yaml": RuleSetFixture.criterion("share(communes, c, meets(c, \"a\")) >= 100%", id: "p", level: "province"),
        ])
        let data = try RuleSetFixture.dataset(Self.twoTier, graph: graph)
        #expect(Self.outcome(graph, data, "X1", "a", on: "2026-12-07") == .pass)  // 3 of 4 units
        #expect(Self.outcome(graph, data, "X2", "a", on: "2026-12-07") == .pass)
        #expect(Self.outcome(graph, data, "38", "p", on: "2026-12-07") == .pass)
        #expect(data.entities[try #require(data.index(of: "X1"))].parent == data.index(of: "38"))
    }

    @Test func aUnitsKindIsReadableAndEachKindCounts() throws {
        let graph = try Self.graph([
            "k.yaml": RuleSetFixture.criterion("units.filter(u, u.kind == \"co_quan\").all(u, u.recognised)", id: "k"),
            "n.yaml": RuleSetFixture.criterion("count(units, u, u.kind in [\"khu_dan_cu\", \"doanh_nghiep\"]) == 2", id: "n"),
        ])
        let data = try RuleSetFixture.dataset(Self.twoTier, graph: graph)
        #expect(Self.outcome(graph, data, "X1", "k", on: "2026-12-07") == .fail)
        #expect(Self.outcome(graph, data, "X1", "n", on: "2026-12-07") == .pass)
    }

    @Test func aKindThatIsNotOneOfTheFourIsARuleError() throws {
        #expect(throws: DiagnosticsError.self) {
            _ = try Self.graph(["k.yaml": RuleSetFixture.criterion("units.all(u, u.kind == \"truong_hoc\")", id: "k")])
        }
        do {
            _ = try Self.graph(["k.yaml": RuleSetFixture.criterion("kind == \"co_quan\"", id: "k")])
            Issue.record("a commune rule reading 'kind' must not load")
        } catch let error as DiagnosticsError {
            let diagnostic = try #require(error.diagnostics.first { $0.id == "rules.wrong-level" })
            #expect(diagnostic.message.contains("'kind' belongs to each unit"))
        }
    }

    @Test func theGroupIsReadAndAMissingGroupIsUnknownNamingIt() throws {
        let graph = try Self.graph(["g.yaml": RuleSetFixture.criterion("group == 1", id: "g")])
        let data = try RuleSetFixture.dataset(Self.twoTier, graph: graph)
        #expect(Self.outcome(graph, data, "X1", "g", on: "2026-12-07") == .pass)
        let verdict = try #require(Self.verdict(graph, data, "X2", "g", on: "2026-12-07"))
        #expect(verdict.outcome == .unknown)
        let missing = verdict.explanation.allMissing.map { $0.message.text(in: .vi) }
        #expect(missing.contains { $0.contains("nhóm xã") && $0.contains("Xã Hai") })
    }

    @Test func unitDataMistakesAreLocated() {
        let missingKind = Load.diagnostics {
            try Load.yaml(
                """
                dataset: 1
                commune:
                  id: X1
                  name: Xã Một
                  units:
                    - { id: U1, name: Thôn 1 }
                    - { id: U2, name: Thôn 2, kind: khu_dan_cuu }
                  kind: co_quan
                """, inputs: Self.catalog)
        }
        expectDiagnostic(missingKind, "data.missing-key", at: 6, 7, message: "the unit has no 'kind'")
        expectDiagnostic(missingKind, "data.wrong-type", at: 7, 37, hint: "did you mean 'khu_dan_cu'?")
        expectDiagnostic(missingKind, "data.unknown-key", at: 8, 3, message: "'kind' is allowed only on a unit")
    }

    static let catalog = InputCatalog([
        DataDictionary.input("cases", .count, .commune),
        DataDictionary.input("plan", .bool, .commune),
        DataDictionary.input("recognised", .bool, .unit),
    ])

    @Test func csvTwoTierTablesWithUnitsReadAsTheYAML() throws {
        let data = try Load.csv(
            [
                .province: "id,name,year\n38,Tỉnh Thử,\n",
                .commune: "id,name,province_id,year,group,cases\nX1,Xã Một,38,2026,1,3\n",
                .unit: "id,name,commune_id,kind,year,recognised\nU1,Thôn 1,X1,khu_dan_cu,2026,true\nU2,UBND,X1,co_quan,2026,false\n",
            ], inputs: Self.catalog)
        let x1 = try #require(data.index(of: "X1"))
        #expect(data.entities[x1].parent == data.index(of: "38"))
        #expect(data.entities[x1].group == 1)
        let u2 = try #require(data.index(of: "U2"))
        #expect(data.entities[u2].kind == "co_quan")
        #expect(data.entities[u2].parent == x1)
        #expect(data.entities[u2].fact("recognised", year: 2026)?.value == .bool(false))
    }

    @Test func csvUnitsNeedAKindAndTheirParentsTable() {
        let noKind = Load.diagnostics {
            try Load.csv(
                [
                    .commune: "id,name,year\nX1,Xã Một,2026\n",
                    .unit: "id,name,commune_id,kind,year\nU1,Thôn 1,X1,,2026\nU2,Thôn 2,X1,truong,2026\n",
                ], inputs: Self.catalog)
        }
        expectDiagnostic(noKind, "data.wrong-type", at: 2, 14, message: "has no 'kind'")
        expectDiagnostic(noKind, "data.wrong-type", at: 3, 14, message: "found 'truong'")
        let orphan = Load.diagnostics {
            try Load.csv([.province: "id,name,year\n38,Tỉnh,\n", .unit: "id,name,commune_id,kind,year\nU1,Thôn 1,X1,co_quan,2026\n"], inputs: Self.catalog)
        }
        expectDiagnostic(orphan, "csv.missing-table", at: 1, 1, message: "units.csv needs the table of its parents, communes.csv")
    }

    @Test func csvCommunesMaySitUnderADistrictOrDirectlyUnderTheProvince() throws {
        let data = try Load.csv(
            [
                .province: "id,name,year\n38,Tỉnh Thử,\n",
                .district: "id,name,province_id,year\n381,Huyện Cũ,38,\n",
                .commune: "id,name,district_id,province_id,year,cases\nA,Xã A,381,,2024,3\nM,Xã Mới,,38,2026,1\nM,Xã Mới,,38,2025,2\n",
            ], inputs: Self.catalog)
        let province = try #require(data.index(of: "38"))
        #expect(data.entities[try #require(data.index(of: "A"))].parent == data.index(of: "381"))
        #expect(data.entities[try #require(data.index(of: "M"))].parent == province)
        #expect(data.entities[province].children.map { data.entities[$0].id } == ["381", "M"])
        let both = Load.diagnostics {
            try Load.csv(
                [
                    .province: "id,name,year\n38,Tỉnh Thử,\n",
                    .district: "id,name,province_id,year\n381,Huyện Cũ,38,\n",
                    .commune: "id,name,district_id,province_id,year\nA,Xã A,381,38,2024\nB,Xã B,,,2024\nC,Xã C,,39,2024\n",
                ], inputs: Self.catalog)
        }
        expectDiagnostic(both, "csv.inconsistent-row", at: 2, 12, message: "names both a district ('district_id') and a province ('province_id')")
        expectDiagnostic(both, "data.missing-key", at: 3, 9, message: "has no 'district_id' or 'province_id'")
        expectDiagnostic(both, "data.unknown-parent", at: 4, 9, message: "column 'province_id' names '39', which is not a province")
    }

    // MARK: Successions

    static let merged = """
        dataset: 1
        province:
          id: "38"
          name: Tỉnh Thử
          districts:
            - id: "381"
              name: Huyện Cũ
              communes:
                - { id: A, name: Xã A, facts: { 2024: { cases: 20, plan: true, anyplan: false } } }
                - { id: B, name: Xã B, facts: { 2024: { cases: 18, plan: true, anyplan: true } } }
                - { id: C, name: Xã C, facts: { 2024: { cases: 4 }, 2025: { cases: 4 } } }
          communes:
            - { id: M, name: Xã Mới, facts: { 2025: { cases: 30 } } }
        successions:
          - { date: 2025-07-01, merged: [A, B], into: M }
          - { date: 2025-07-01, abolished: "381", children_to: "38" }
        """

    @Test func aMergedCommuneReadsItsFormerCommunesFactsForLastYear() throws {
        let graph = try Self.graph(["d.yaml": RuleSetFixture.criterion("cases <= last_year(cases)", id: "d")])
        let data = try RuleSetFixture.dataset(Self.merged, graph: graph)
        // 30 against 20 + 18 = 38.
        let verdict = try #require(Self.verdict(graph, data, "M", "d", on: "2025-12-31"))
        #expect(verdict.outcome == .pass)
        let values = verdict.explanation.children.flatMap(\.values)
        let last = try #require(values.first { $0.year == 2024 })
        #expect(last.value == "38")
        let words = try #require(last.derivation)
        #expect(words.vi == "tổng của Xã A (A): 20; Xã B (B): 18 — trước khi sáp nhập ngày 01/07/2025")
        #expect(words.text(in: .en).contains("the sum of Xã A (A): 20; Xã B (B): 18, before they merged on 2025-07-01"))
    }

    /// The former units' values in a derivation are worded per language: a truth value có / yes,
    /// never the machine `true`.
    @Test func aDerivationWordsTheFormerUnitsValues() throws {
        let graph = try Self.graph(["d.yaml": RuleSetFixture.criterion("cases >= 0", id: "d")])
        let data = try RuleSetFixture.dataset(Self.merged, graph: graph)
        let m = try #require(data.index(of: "M"))
        let words = try #require(data.derivation(entity: m, name: "anyplan", year: 2024))
        #expect(words.vi.contains("Xã A (A): không; Xã B (B): có"), "\(words.vi)")
        #expect(words.text(in: .en).contains("Xã A (A): no; Xã B (B): yes"), "\(words.text(in: .en))")
        #expect(!words.vi.contains("true") && !words.vi.contains("false"))
    }

    @Test func formerUnitsLeaveTheMapAndAnAbolishedDistrictsCommunesMove() throws {
        let graph = try Self.graph([
            "d.yaml": RuleSetFixture.criterion("cases >= 0", id: "d"),
            "p.yaml": RuleSetFixture.criterion("size(communes) == 2", id: "p", level: "province"),
        ])
        let data = try RuleSetFixture.dataset(Self.merged, graph: graph)
        #expect(data.index(of: "A") == nil)
        #expect(data.index(of: "381") == nil)
        let c = try #require(data.index(of: "C"))
        #expect(data.entities[c].parent == data.index(of: "38"))
        #expect(Self.outcome(graph, data, "38", "p", on: "2025-12-31") == .pass)
    }

    @Test func booleansCombineAsTheirInputDeclares() throws {
        let graph = try Self.graph([
            "all.yaml": RuleSetFixture.criterion("in_year(2024, plan)", id: "all"),
            "any.yaml": RuleSetFixture.criterion("in_year(2024, anyplan)", id: "any"),
            "en.yaml": RuleSetFixture.criterion("in_year(2024, has(rating))", id: "en"),
        ])
        let data = try RuleSetFixture.dataset(Self.merged, graph: graph)
        #expect(Self.outcome(graph, data, "M", "all", on: "2025-12-31") == .pass)
        #expect(Self.outcome(graph, data, "M", "any", on: "2025-12-31") == .pass)
    }

    @Test func aSplitWithoutSharesLeavesAdditiveFactsUnknownAndSaysWhy() throws {
        let graph = try Self.graph(["d.yaml": RuleSetFixture.criterion("last_year(cases) >= 0", id: "d")])
        func data(_ into: String) throws -> Dataset {
            try RuleSetFixture.dataset(
                """
                dataset: 1
                province:
                  id: "38"
                  name: Tỉnh Thử
                  communes:
                    - { id: S, name: Xã Cũ, facts: { 2024: { cases: 10 } } }
                    - { id: P, name: Xã P, facts: { 2025: { cases: 1 } } }
                    - { id: Q, name: Xã Q, facts: { 2025: { cases: 1 } } }
                successions:
                  - { date: 2025-01-01, split: S, into: \(into) }
                """, graph: graph)
        }
        let unshared = try data("[P, Q]")
        let verdict = try #require(Self.verdict(graph, unshared, "P", "d", on: "2025-12-31"))
        #expect(verdict.outcome == .unknown)
        let missing = verdict.explanation.allMissing.map { $0.message.text(in: .vi) }
        #expect(missing.contains { $0.contains("chia tách không có tỷ lệ") })
        let shared = try data("{ P: 60%, Q: 40% }")
        let p = try #require(shared.index(of: "P"))
        #expect(shared.entities[p].fact("cases", year: 2024)?.value == .number(6))
        let q = try #require(shared.index(of: "Q"))
        #expect(shared.entities[q].fact("cases", year: 2024)?.value == .number(4))
        // 10 cases split 65% / 35% give 6.5 and 3.5: no count, so unknown, saying why.
        let uneven = try data("{ P: 65%, Q: 35% }")
        let up = try #require(uneven.index(of: "P"))
        #expect(uneven.entities[up].fact("cases", year: 2024) == nil)
        #expect(uneven.derivation(entity: up, name: "cases", year: 2024)?.vi.contains("6.5") == true)
    }

    @Test func aRenamedCommuneCarriesItsFactsOver() throws {
        let graph = try Self.graph(["d.yaml": RuleSetFixture.criterion("cases <= last_year(cases)", id: "d")])
        let data = try RuleSetFixture.dataset(
            """
            dataset: 1
            province:
              id: "38"
              name: Tỉnh Thử
              communes:
                - { id: OLD, name: Xã Cũ, facts: { 2024: { cases: 5, rating: kha } } }
                - { id: NEW, name: Phường Mới, facts: { 2025: { cases: 5 } } }
            successions:
              - { date: 2025-07-01, renamed: OLD, into: NEW }
            """, graph: graph)
        #expect(Self.outcome(graph, data, "NEW", "d", on: "2025-12-31") == .pass)
        let new = try #require(data.index(of: "NEW"))
        #expect(data.entities[new].fact("rating", year: 2024)?.value == .text("kha"))
    }

    @Test func successionMistakesAreLocatedErrors() {
        func diagnostics(_ successions: String, communes: String = "") -> [Diagnostic] {
            Load.diagnostics {
                try Load.yaml(
                    """
                    dataset: 1
                    province:
                      id: "38"
                      name: Tỉnh Thử
                      communes:
                        - { id: A, name: Xã A, facts: { 2024: { cases: 1 } } }
                        - { id: B, name: Xã B, facts: { 2024: { cases: 1 } } }
                        - { id: C, name: Xã C, facts: { 2025: { cases: 1 } } }
                    \(communes)successions:
                    \(successions)
                    """, inputs: Self.catalog)
            }
        }
        expectDiagnostic(
            diagnostics("  - { date: 2025-07-01, merged: [A, BB], into: C }"), "data.succession", at: 10, 37,
            hint: "did you mean 'B'?")
        let overlap = diagnostics("  - { date: 2025-07-01, merged: [A, B], into: C }\n  - { date: 2025-08-01, renamed: A, into: B }")
        expectDiagnostic(overlap, "data.succession", at: 11, 34, message: "'A' is a former unit of two successions")
        let cycle = diagnostics("  - { date: 2025-07-01, renamed: A, into: B }\n  - { date: 2025-08-01, renamed: B, into: A }")
        #expect(cycle.contains { $0.id == "data.succession" && $0.message.contains("lead back to it") })
        expectDiagnostic(
            diagnostics("  - { date: 2025-07-01, split: A, into: { B: 60%, C: 30% } }"), "data.succession", at: 10, 5,
            message: "add up to 90%, not 100%")
        expectDiagnostic(
            diagnostics("  - { date: 2031-07-01, renamed: A, into: C }"), "data.succession", at: 10, 5,
            message: "outside the data's years (2024–2025)")
        expectDiagnostic(
            diagnostics("  - { date: 2025-07-01, merged: [A], into: C }"), "data.succession", at: 10, 5,
            message: "two or more former units")
        expectDiagnostic(
            diagnostics("  - { date: 2025-07-01, merged: [A, B], renamed: C, into: C }"), "data.missing-key", at: 10, 5,
            message: "both merged and renamed")
        expectDiagnostic(
            diagnostics("  - { date: 1/7/2025, renamed: A, into: C }"), "data.wrong-type", at: 10, 13,
            message: "a date such as 2025-07-01")
        expectDiagnostic(
            diagnostics("  - { date: 2025-07-01, renamed: A, into: \"38\" }"), "data.succession", at: 10, 43,
            message: "but the succession is between communes")
    }

    @Test func csvSuccessionsReadAsTheYAML() throws {
        let tables: [Level: String] = [
            .province: "id,name,year\n38,Tỉnh Thử,\n",
            .commune: "id,name,province_id,year,cases\nA,Xã A,38,2024,20\nB,Xã B,38,2024,18\nM,Xã Mới,38,2025,30\n",
        ]
        var files: [Level: SourceFile] = [:]
        for (level, text) in tables { files[level] = SourceFile(path: CSVDatasetReader.tableName(level), text: text) }
        let folder = NSTemporaryDirectory() + "criteria-succession-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (level, text) in tables { try text.write(toFile: folder + "/" + (CSVDatasetReader.tableName(level)), atomically: true, encoding: .utf8) }
        try "date,change,from,into,share\n2025-07-01,merged,A,M,\n2025-07-01,merged,B,M,\n"
            .write(toFile: folder + "/successions.csv", atomically: true, encoding: .utf8)
        let data = try DatasetReader.read(path: folder, inputs: Self.catalog)
        #expect(data.index(of: "A") == nil)
        let m = try #require(data.index(of: "M"))
        #expect(data.entities[m].fact("cases", year: 2024)?.value == .number(38))
        try "date,change,from,into,share\n2025-07-01,merged,A,M,\n2025-07-01,merged,X,M,\n"
            .write(toFile: folder + "/successions.csv", atomically: true, encoding: .utf8)
        let unknown = Load.diagnostics { try DatasetReader.read(path: folder, inputs: Self.catalog) }
        expectDiagnostic(unknown, "data.succession", at: 3, 19, message: "names 'X', which is not an entity")
        try "date,change,from,into,share\n2025-07-01,splitt,A,M,\n2025-07-01,split,A,M,60%\n2025-07-01,split,A,B,\n"
            .write(toFile: folder + "/successions.csv", atomically: true, encoding: .utf8)
        let list = Load.diagnostics { try DatasetReader.read(path: folder, inputs: Self.catalog) }
        expectDiagnostic(list, "data.wrong-type", at: 2, 12, hint: "did you mean 'split'?")
        expectDiagnostic(list, "data.succession", at: 4, 22, message: "some parts of the split have a share")
    }

    /// The property the issue names: a dataset in which a commune's facts before a merger are the sum
    /// of two communes' facts, and the same dataset with the two communes merged into it on that date,
    /// give the same verdicts for count-based clauses.
    @Test func aMergerGivesTheVerdictsOfTheSummedFacts() throws {
        let graph = try Self.graph([
            "d.yaml": RuleSetFixture.criterion("cases <= last_year(cases)", id: "d"),
            "e.yaml": RuleSetFixture.criterion("cases * 100 <= in_year(2023, cases) * 95", id: "e"),
        ])
        var random = SplitMix64(seed: 20_261_207)
        for _ in 0..<150 {
            func count() -> String { random.next() % 7 == 0 ? "~" : "\(random.next() % 40)" }
            // M always states its own 2025 cases, so that the data's years reach the merger's.
            let (a23, b23, a24, b24, m25) = (count(), count(), count(), count(), "\(random.next() % 40)")
            func sum(_ x: String, _ y: String) -> String { x == "~" || y == "~" ? "~" : "\(Int(x)! + Int(y)!)" }
            let summed = try RuleSetFixture.dataset(
                """
                dataset: 1
                province:
                  id: "38"
                  name: Tỉnh
                  communes:
                    - { id: M, name: Xã Mới, facts: { 2023: { cases: \(sum(a23, b23)) }, 2024: { cases: \(sum(a24, b24)) }, 2025: { cases: \(m25) } } }
                """, graph: graph)
            let merged = try RuleSetFixture.dataset(
                """
                dataset: 1
                province:
                  id: "38"
                  name: Tỉnh
                  communes:
                    - { id: A, name: Xã A, facts: { 2023: { cases: \(a23) }, 2024: { cases: \(a24) } } }
                    - { id: B, name: Xã B, facts: { 2023: { cases: \(b23) }, 2024: { cases: \(b24) } } }
                    - { id: M, name: Xã Mới, facts: { 2025: { cases: \(m25) } } }
                successions:
                  - { date: 2025-01-01, merged: [A, B], into: M }
                """, graph: graph)
            for criterion in ["d", "e"] {
                let expected = Self.outcome(graph, summed, "M", criterion, on: "2025-12-31")
                let actual = Self.outcome(graph, merged, "M", criterion, on: "2025-12-31")
                #expect(expected == actual, "\(criterion): A \(a23)/\(a24), B \(b23)/\(b24), M \(m25)")
            }
        }
    }
}

extension Explanation {
    /// The missing items of this node and every node below it.
    var allMissing: [MissingItem] { missing + children.flatMap(\.allMissing) }
}

/// Parameters with a value per 2026–2030 commune group.
@Suite struct GroupParameterTests {
    static let parameters = """
        criteria: 1
        parameters:
          - name: need
            title: { vi: Mức tối thiểu, en: Least share }
            type: percent
            source: { act: Thử, status: confirmed }
            values:
              2022-01-01: 70%
              2026-02-15: { 1: 90%, 2: 80%, 3: 70% }
        """

    static let data = """
        dataset: 1
        province:
          id: "38"
          name: Tỉnh
          communes:
            - { id: G1, name: Xã Nhóm 1, group: 1, facts: { 2026: { share: 85% } } }
            - { id: G2, name: Xã Nhóm 2, group: 2, facts: { 2026: { share: 85% } } }
            - { id: G0, name: Xã Chưa Xếp Nhóm, facts: { 2026: { share: 85% } } }
        """

    static func graph() throws -> RuleGraph {
        try RuleSetFixture(
            [
                "inputs.yaml": """
                    criteria: 1
                    inputs:
                      - { name: share, type: percent, level: commune, label: { vi: Tỷ lệ } }
                    """,
                "parameters.yaml": parameters,
                "t.yaml": RuleSetFixture.criterion("share >= need", id: "t"),
            ], withInputs: false
        ).graph()
    }

    @Test func eachCommuneIsHeldToItsGroupsValueAndOneWithoutAGroupIsUnknown() throws {
        let graph = try Self.graph()
        let data = try RuleSetFixture.dataset(Self.data, graph: graph)
        for (detail, name) in [(ExplanationDetail.full, "full"), (.short, "short")] {
            let result = Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2026-12-07")!, detail: detail)
            func outcome(_ id: String) -> Outcome? { data.index(of: id).flatMap { result.verdict(entity: $0, criterion: "t")?.outcome } }
            #expect(outcome("G1") == .fail, "\(name)")  // 85% < 90%
            #expect(outcome("G2") == .pass, "\(name)")  // 85% ≥ 80%
            #expect(outcome("G0") == .unknown, "\(name)")
            let g0 = try #require(data.index(of: "G0").flatMap { result.verdict(entity: $0, criterion: "t") })
            #expect(g0.explanation.allMissing.contains { $0.message.text(in: .vi).contains("nhóm xã") })
        }
        let outcomes = Evaluator(graph: graph).outcomes(data, asOf: LocalDate(iso: "2026-12-07")!)
        #expect(outcomes.outcome(entity: try #require(data.index(of: "G1")), criterion: "t") == .fail)
        #expect(outcomes.outcome(entity: try #require(data.index(of: "G2")), criterion: "t") == .pass)
        #expect(outcomes.outcome(entity: try #require(data.index(of: "G0")), criterion: "t") == .unknown)
        // Before the value per group, one value for all: 85% ≥ 70%.
        let before = Evaluator(graph: graph).outcomes(data, asOf: LocalDate(iso: "2026-02-14")!)
        #expect(before.outcome(entity: try #require(data.index(of: "G1")), criterion: "t") == .pass)
    }

    @Test func aValuePerGroupNamesGroupsOneTwoAndThree() {
        for (values, message) in [
            ("{ 1: 90%, 2: 80% }", "gives groups 1, 2 and 3, found 2"),
            ("{ 1: 90%, 3: 80%, 2: 70% }", "lists groups 1, 2 and 3 in order"),
        ] {
            do {
                _ = try RuleSetFixture(
                    [
                        "inputs.yaml": "criteria: 1\ninputs:\n  - { name: share, type: percent, level: commune, label: { vi: Tỷ lệ } }\n",
                        "parameters.yaml": Self.parameters.replacingOccurrences(of: "{ 1: 90%, 2: 80%, 3: 70% }", with: values),
                        "t.yaml": RuleSetFixture.criterion("share >= need", id: "t"),
                    ], withInputs: false
                ).graph()
                Issue.record("\(values) must not load")
            } catch let error as DiagnosticsError {
                #expect(error.diagnostics.contains { $0.message.contains(message) }, "\(values)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}

/// Criteria whose assessment year is not the calendar year (TT 124 Art. 8(2)).
@Suite struct AssessmentPeriodTests {
    static func graph(_ period: String) throws -> RuleGraph {
        try RuleSetFixture([
            "t.yaml": RuleSetFixture.criterion("cases <= last_year(cases)", id: "t")
                .replacingOccurrences(of: "in_force:", with: "assessment_period: \(period)\nin_force:"),
        ]).graph()
    }

    @Test func theYearsDaysAreShownBesideEveryFactRead() throws {
        let graph = try Self.graph("{ from: 16/11, until: 15/11 }")
        let data = try RuleSetFixture.dataset(
            "dataset: 1\ncommune:\n  id: X\n  name: Xã X\n  facts: { 2025: { cases: 4 }, 2026: { cases: 3 } }\n", graph: graph)
        let result = Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2026-12-07")!)
        let verdict = try #require(result.verdict(entity: 0, criterion: "t"))
        #expect(verdict.outcome == .pass)
        let periods = verdict.explanation.children.flatMap(\.values).compactMap(\.period)
        #expect(periods.map(\.vi) == ["năm 2026 (16/11/2025 – 15/11/2026)", "năm 2025 (16/11/2024 – 15/11/2025)"])
        #expect(periods.first?.text(in: .en) == "2026 (2025-11-16 – 2026-11-15)")
        let text = ExplanationTextRenderer(language: .vi).render(verdict.explanation)
        #expect(text.contains("năm 2026 (16/11/2025 – 15/11/2026): 3"))
    }

    @Test func aPeriodThatDoesNotTileTheYearIsRefused() {
        for (period, message) in [
            ("{ from: 16/11, until: 14/11 }", "it ends on 15/11, not 14/11"),
            ("{ from: 31/11, until: 30/11 }", "a day and month such as 16/11"),
            ("{ from: 16/11 }", "until"),
        ] {
            do {
                _ = try Self.graph(period)
                Issue.record("\(period) must not load")
            } catch let error as DiagnosticsError {
                #expect(error.diagnostics.contains { $0.message.contains(message) }, "\(period): \(error.diagnostics.map(\.message))")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func aCalendarYearIsWhatARuleWithoutAPeriodReads() {
        #expect(AssessmentPeriod.calendar.days(of: 2024) == (LocalDate(iso: "2024-01-01")!, LocalDate(iso: "2024-12-31")!))
        let tt124 = AssessmentPeriod(startDay: 1, startMonth: 11)!
        #expect(tt124.days(of: 2024) == (LocalDate(iso: "2023-11-01")!, LocalDate(iso: "2024-10-31")!))
        let march = AssessmentPeriod(startDay: 1, startMonth: 3)!
        #expect(march.days(of: 2024).last == LocalDate(iso: "2024-02-29")!)
    }
}

/// A unit criterion that applies to some kinds of unit only (TT 124 Art. 4 is the khu dân cư standard).
@Suite struct UnitKindCriterionTests {
    static func graph(_ extra: String = "kinds: [khu_dan_cu]", level: String = "unit") throws -> RuleGraph {
        try RuleSetFixture(
            [
                "inputs.yaml": AdministrativeMapTests.inputs,
                "k.yaml": RuleSetFixture.criterion("recognised", id: "k", level: level)
                    .replacingOccurrences(of: "in_force:", with: "\(extra)\nin_force:"),
            ], withInputs: false
        ).graph()
    }

    @Test func aUnitOfAnotherKindIsNotApplicableAndSaysWhy() throws {
        let graph = try Self.graph()
        let data = try RuleSetFixture.dataset(AdministrativeMapTests.twoTier, graph: graph)
        let date = LocalDate(iso: "2026-12-07")!
        for detail in [ExplanationDetail.full, .short] {
            let result = Evaluator(graph: graph).evaluate(data, asOf: date, detail: detail)
            func verdict(_ id: String) -> Verdict? { data.index(of: id).flatMap { result.verdict(entity: $0, criterion: "k") } }
            #expect(verdict("U1")?.outcome == .pass)
            #expect(verdict("U3")?.outcome == .notApplicable)
            #expect(verdict("U3")?.explanation.sentence.vi == "Không áp dụng: tiêu chí chỉ áp dụng cho đơn vị loại khu_dan_cu (khu dân cư); UBND xã là co_quan (cơ quan).")
        }
        let outcomes = Evaluator(graph: graph).outcomes(data, asOf: date)
        #expect(outcomes.outcome(entity: try #require(data.index(of: "U2")), criterion: "k") == .notApplicable)
        #expect(outcomes.outcome(entity: try #require(data.index(of: "U5")), criterion: "k") == .pass)
    }

    @Test func kindsBelongToUnitCriteriaAndNameKnownKinds() {
        for (extra, level, message) in [
            ("kinds: [khu_dan_cu]", "commune", "'kinds' chooses among the kinds of a level, but the level commune declares none"),
            ("kinds: [khu_dan_cuu]", "unit", "khu_dan_cu"),
            ("kinds: []", "unit", "'kinds' lists no kind"),
        ] {
            do {
                _ = try Self.graph(extra, level: level)
                Issue.record("\(extra) on a \(level) criterion must not load")
            } catch let error as DiagnosticsError {
                #expect(error.diagnostics.contains { $0.message.contains(message) || ($0.hint ?? "").contains(message) }, "\(error.diagnostics.map(\.message))")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}

/// The bundled two-tier sample (Examples/thanh-hoa-2026): its three formats give the same verdicts
/// today, with passes, fails and unknowns, and a merged commune's "so với năm trước" is explained
/// through the communes it was merged from.
@Suite struct TwoTierSampleTests {
    static let folder = repositoryRoot() + "/Examples/thanh-hoa-2026"

    static func outcomes(_ path: String, graph: RuleGraph) throws -> [String: Outcome] {
        let data = try DatasetReader.read(path: path, inputs: graph.inputs)
        let result = Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2026-12-07")!, detail: .short)
        var map: [String: Outcome] = [:]
        for verdict in result.verdicts { map[data.entities[verdict.entity].id + " " + verdict.criterion] = verdict.outcome }
        return map
    }

    @Test func theFourFormatsGiveTheSameVerdictsToday() throws {
        let graph = try RuleSetLoader.load(path: repositoryRoot() + "/Rules")
        let yaml = try Self.outcomes(Self.folder + "/province.yaml", graph: graph)
        #expect(yaml == (try Self.outcomes(Self.folder + "/province.json", graph: graph)))
        #expect(yaml == (try Self.outcomes(Self.folder + "/csv", graph: graph)))
        // The Excel twin (make-xlsx.py): typed cells, dates and percentages read as the CSV text.
        #expect(yaml == (try Self.outcomes(Self.folder + "/province.xlsx", graph: graph)))
        // As the sample's README says.
        #expect(yaml["16001 tt124.xa"] == .pass)
        #expect(yaml["16002 tt124.xa"] == .fail)
        #expect(yaml["16003 tt124.xa"] == .fail)
        #expect(yaml["16004 tt124.xa"] == .pass)
        #expect(yaml["16005 tt124.xa"] == .fail)
        #expect(yaml["16006 tt124.xa"] == .unknown)
        #expect(yaml["16007 tt124.xa"] == .unknown)
        #expect(yaml["15407 tt124.xa"] == .unknown)
        #expect(yaml["16001 xa-ntm-2026.10"] == .pass)
        #expect(yaml["16001-05 tt124.khu-dan-cu"] == .notApplicable)
        #expect(yaml.keys.allSatisfy { !$0.hasPrefix("15301 ") && !$0.hasPrefix("381 ") })
    }

    @Test func aMergedCommuneIsExplainedThroughItsFormerCommunes() throws {
        let graph = try RuleSetLoader.load(path: repositoryRoot() + "/Rules")
        let data = try DatasetReader.read(path: Self.folder + "/province.yaml", inputs: graph.inputs)
        let entity = try #require(data.index(of: "16002"))
        let result = Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2026-12-07")!, criteria: ["tt124.xa"])
        let verdict = try #require(result.verdict(entity: entity, criterion: "tt124.xa"))
        func all(_ e: Explanation) -> [Explanation] { [e] + e.children.flatMap(all) }
        let derived = all(verdict.explanation).flatMap(\.values).compactMap(\.derivation?.vi)
        #expect(derived.contains("tổng của Xã Đông Khê (15310): 8; Xã Đông Thanh (15313): 7 — trước khi sáp nhập ngày 01/07/2025"))
        let unshared = try #require(data.index(of: "16006"))
        let split = Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2026-12-07")!, criteria: ["tt124.xa"])
        let reasons = try #require(split.verdict(entity: unshared, criterion: "tt124.xa")).explanation.allMissing.map { $0.message.vi }
        #expect(reasons.contains { $0.contains("chia tách không có tỷ lệ") })
    }
}

/// Every way a `successions` list or `successions.csv` can be written wrong is a located error.
@Suite struct SuccessionSyntaxTests {
    static func diagnostics(_ successions: String) -> [Diagnostic] {
        Load.diagnostics {
            try Load.yaml(
                """
                dataset: 1
                province:
                  id: "38"
                  name: Tỉnh Thử
                  communes:
                    - { id: A, name: Xã A, facts: { 2024: { cases: 1 } } }
                    - { id: B, name: Xã B, facts: { 2025: { cases: 1 } } }
                successions:\(successions)
                """, inputs: AdministrativeMapTests.catalog)
        }
    }

    /// One diagnostic with this id on this line whose message contains the words.
    static func expect(
        _ list: [Diagnostic], _ id: String, line: Int, _ words: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(
            list.contains { $0.id.rawValue == id && $0.range?.start.line == line && $0.message.contains(words) },
            "no \(id) at line \(line) saying \(words): \(list.map { "\($0.range?.start.line ?? 0) \($0.id) \($0.message)" })",
            sourceLocation: sourceLocation)
    }

    @Test func mistakesInTheListAreLocated() {
        Self.expect(Self.diagnostics(" { merged: [A] }"), "data.wrong-type", line: 8, "'successions' expects a list")
        Self.expect(Self.diagnostics("\n  - A"), "data.wrong-type", line: 9, "a succession is a mapping")
        let unknown = Self.diagnostics("\n  - { date: 2025-07-01, renamed: A, into: B, dat: 1 }")
        #expect(unknown.contains { $0.id == "data.unknown-key" && $0.hint == "did you mean 'date'?" })
        Self.expect(Self.diagnostics("\n  - { renamed: A, into: B }"), "data.missing-key", line: 9, "has no 'date'")
        Self.expect(Self.diagnostics("\n  - { date: 2025-07-01, renamed: A }"), "data.missing-key", line: 9, "has no 'into'")
        Self.expect(Self.diagnostics("\n  - { date: 2025-07-01, into: B }"), "data.missing-key", line: 9, "says nothing of what happened")
        Self.expect(
            Self.diagnostics("\n  - { date: 2025-07-01, abolished: A, into: B }"), "data.unknown-key", line: 9,
            "'into' does not go with 'abolished'")
        Self.expect(
            Self.diagnostics("\n  - { date: 2025-07-01, renamed: { A: 1 }, into: B }"), "data.wrong-type", line: 9,
            "expects an id or a list of ids")
        Self.expect(
            Self.diagnostics("\n  - { date: 2025-07-01, merged: [A, [B]], into: B }"), "data.wrong-type", line: 9, "expects ids")
        Self.expect(
            Self.diagnostics("\n  - { date: 2025-07-01, split: A, into: { B: 60 } }"), "data.wrong-type", line: 9,
            "a part's share is a percentage above 0")
    }

    @Test func mistakesInTheCSVTableAreLocated() throws {
        let folder = NSTemporaryDirectory() + "criteria-succession-csv-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "id,name,year\n38,Tỉnh,\n".write(toFile: folder + "/province.csv", atomically: true, encoding: .utf8)
        try "id,name,province_id,year,cases\nA,Xã A,38,2024,1\nB,Xã B,38,2025,1\n"
            .write(toFile: folder + "/communes.csv", atomically: true, encoding: .utf8)
        func read(_ table: String) throws -> [Diagnostic] {
            try table.write(toFile: folder + "/successions.csv", atomically: true, encoding: .utf8)
            return Load.diagnostics { try DatasetReader.read(path: folder, inputs: AdministrativeMapTests.catalog) }
        }
        Self.expect(try read("date,change,from,into,shares\n"), "csv.unknown-column", line: 1, "unknown column 'shares'")
        Self.expect(try read("date,change,from\n"), "csv.missing-column", line: 1, "has no 'into' column")
        Self.expect(try read("date,change,from,into,share\n1/7/2025,renamed,A,B,\n"), "data.wrong-type", line: 2, "expects a date")
        Self.expect(
            try read("date,change,from,into,share\n2025-07-01,renamed,A,B,50%\n"), "data.wrong-type", line: 2,
            "column 'share' expects a split part's share")
    }
}
