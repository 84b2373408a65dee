import Foundation
import Testing

@testable import CriteriaEngine

/// Levels declared in the rules folder (`levels.yaml`, issue #13 point 1): the shipped declaration,
/// a map of another shape end to end, and every mistake in a declaration as a located diagnostic.
@Suite struct LevelMapTests {
    static let example = repositoryRoot() + "/Examples/ban-do-hai-cap"

    /// A levels file, an inputs file with one fact per given level, and one criterion.
    static func sources(levels: String, inputs: String = "", criterion: String? = nil) -> [SourceFile] {
        var files = [
            SourceFile(path: "levels.yaml", text: "criteria: 1\nlevels:\n" + levels),
            SourceFile(path: "inputs.yaml", text: "criteria: 1\ninputs:\n" + (inputs.isEmpty ? "  []\n" : inputs)),
        ]
        if let criterion { files.append(SourceFile(path: "c.yaml", text: criterion)) }
        return files
    }

    static func diagnostics(_ sources: [SourceFile]) -> [Diagnostic] {
        do {
            _ = try RuleSetLoader.load(sources: sources, context: nil)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics
        } catch {
            return [Diagnostic("test.unexpected", .error, .same("\(error)"), at: nil)]
        }
    }

    static let twoLevels = """
          - { name: province, label: { vi: tỉnh, en: province } }
          - { name: commune, label: { vi: xã, en: commune }, parents: [province] }

        """

    @Test("the shipped Rules/levels.yaml declares the standard map, level for level")
    func shippedDeclarationIsTheStandardMap() throws {
        let graph = try RuleSetLoader.load(path: repositoryRoot() + "/Rules")
        let shipped = graph.inputs.map.declarations.map { d -> LevelDeclaration in
            var d = d
            d.range = nil
            d.parentRanges = []
            return d
        }
        #expect(shipped == LevelMap.standard.declarations)
        #expect(graph.inputs.map.names == ["province", "district", "commune", "hamlet", "unit"])
        #expect(graph.inputs.map["commune"]?.parents.map(\.name) == ["district", "province"])
        #expect(graph.inputs.map["unit"]?.depth == 3)
    }

    @Test("a map of another shape — four kinds of unit as four levels — evaluates the same from YAML, JSON and CSV")
    func exampleMapInEveryFormat() throws {
        let graph = try RuleSetLoader.load(path: Self.example + "/rules")
        let map = graph.inputs.map
        #expect(map.names == ["province", "commune", "khu_dan_cu", "co_quan", "doanh_nghiep", "co_so_giao_duc"])
        #expect(map["commune"]?.children.map(\.pluralName) == ["residential_areas", "agencies", "enterprises", "schools"])
        #expect(CSVDatasetReader.tableNames(map) == [
            "province.csv", "communes.csv", "residential_areas.csv", "agencies.csv", "enterprises.csv", "schools.csv",
        ])
        let date = try #require(LocalDate(iso: "2026-12-07"))
        var answers: [[String: Outcome]] = []
        for file in ["province.yaml", "province.json", "csv"] {
            let data = try DatasetReader.read(path: Self.example + "/" + file, inputs: graph.inputs)
            #expect(data.map == map)
            let outcomes = Evaluator(graph: graph).outcomes(data, asOf: date)
            var byID: [String: Outcome] = [:]
            for id in ["99001", "99002", "99003"] {
                byID[id] = outcomes.outcome(entity: try #require(data.index(of: id)), criterion: "vi-du.tt124.xa.khoan-4")
            }
            answers.append(byID)
            // The explanation goes through the declared collections.
            let verdicts = Evaluator(graph: graph).evaluate(data, asOf: date)
            let failed = try #require(verdicts.verdicts.first { data.entities[$0.entity].id == "99002" })
            #expect(failed.outcome == .fail)
        }
        #expect(answers.allSatisfy { $0 == ["99001": .pass, "99002": .fail, "99003": .unknown] })
    }

    @Test("a parent that is not declared is named, with the level it was probably meant to be; the files that depend on the map are not checked against a broken one")
    func unknownParent() throws {
        let list = Self.diagnostics(Self.sources(
            levels: """
                  - { name: province, label: { vi: tỉnh } }
                  - { name: commune, label: { vi: xã }, parents: [provinse] }

                """,
            criterion: """
                criteria: 1
                id: p
                title: { vi: P }
                level: province
                in_force: { from: 2022-01-01 }
                source: { act: X, status: confirmed }
                all:
                  - { id: a, title: { vi: A }, check: "communes.all(c, true)" }
                """))
        // Only the map's mistake, and a note that the rest waits for it: no "a province has no communes".
        #expect(list.filter { $0.severity == .error }.map(\.id.rawValue) == ["rules.unknown-level"])
        #expect(list.contains { $0.id.rawValue == "rules.names-not-checked" && $0.message.contains("the levels file has errors") })
        let found = try #require(list.first { $0.id == "rules.unknown-level" })
        #expect(found.range?.file == "levels.yaml")
        // At the item of `parents` that is wrong, not at the level's name.
        #expect(found.range?.start.line == 4)
        #expect(found.range?.start.column == 51)
        #expect(found.message.contains("the parent 'provinse' of 'commune' is not declared"))
        #expect(found.hint?.contains("did you mean 'province'?") == true)
        #expect(found.text.vi.contains("chưa được khai báo"))
    }

    @Test("levels that sit below themselves are one cycle error, with the chain")
    func cycle() throws {
        let list = Self.diagnostics(Self.sources(levels: """
              - { name: a, label: { vi: A }, parents: [c] }
              - { name: b, label: { vi: B }, parents: [a] }
              - { name: c, label: { vi: C }, parents: [b] }

            """))
        let cycles = list.filter { $0.id == "rules.level-cycle" }
        #expect(cycles.count == 1)
        #expect(cycles.first?.message.contains("a → c → b → a") == true)
        let own = Self.diagnostics(Self.sources(levels: "  - { name: a, label: { vi: A }, parents: [a] }\n"))
        #expect(own.contains { $0.id == "rules.level-cycle" && $0.message.contains("cannot be its own parent") })
    }

    @Test("a level declared twice, two levels with one collection, and a reserved collection name are errors")
    func duplicates() {
        let twice = Self.diagnostics(Self.sources(levels: Self.twoLevels + "  - { name: commune, label: { vi: xã } }\n"))
        #expect(twice.contains { $0.id == "rules.duplicate-id" && $0.message.contains("the level 'commune' is declared twice") })
        let collection = Self.diagnostics(Self.sources(levels: Self.twoLevels + "  - { name: ward, label: { vi: phường }, collection: communes, parents: [province] }\n"))
        #expect(collection.contains { $0.message.contains("the collection 'communes' is already the level 'commune''s") })
        let reserved = Self.diagnostics(Self.sources(levels: Self.twoLevels + "  - { name: x, label: { vi: X }, collection: name, parents: [commune] }\n"))
        #expect(reserved.contains { $0.message.contains("'name' is a reserved word") })
        let kinds = Self.diagnostics(Self.sources(levels: """
              - name: unit
                label: { vi: đơn vị }
                kinds: [{ value: a, label: { vi: A } }, { value: a, label: { vi: A } }]

            """))
        #expect(kinds.contains { $0.message.contains("the kind 'a' of the level 'unit' is listed twice") })
    }

    @Test("a collection named like an input is refused: an expression could not tell them apart")
    func collectionClashesWithInput() throws {
        let list = Self.diagnostics(Self.sources(
            levels: Self.twoLevels,
            inputs: "  - { name: communes, type: count, level: province, label: { vi: Số xã } }\n"))
        let found = try #require(list.first { $0.message.contains("has the name of an input") })
        #expect(found.range?.file == "levels.yaml")
        #expect(found.notes.first?.range?.file == "inputs.yaml")
    }

    @Test("a criterion or an input of a level the map does not declare is located, with the nearest level")
    func undeclaredLevelInRules() throws {
        let list = Self.diagnostics(Self.sources(
            levels: Self.twoLevels,
            inputs: "  - { name: cases, type: count, level: comune, label: { vi: Số vụ } }\n"))
        let found = try #require(list.first { $0.range?.file == "inputs.yaml" })
        #expect(found.hint?.contains("did you mean 'commune'?") == true)
        // The bundled levels are not known to a map that does not declare them.
        let hamlet = Self.diagnostics(Self.sources(
            levels: Self.twoLevels, inputs: "  - { name: cases, type: count, level: hamlet, label: { vi: Số vụ } }\n"))
        #expect(hamlet.contains { $0.range?.file == "inputs.yaml" && $0.message.contains("hamlet") })
    }

    @Test("'kinds' on a criterion of a level without kinds, and a kind the level does not declare")
    func kindsFollowTheDeclaration() {
        let levels = Self.twoLevels + """
              - name: unit
                label: { vi: đơn vị }
                parents: [commune]
                kinds: [{ value: truong, label: { vi: trường } }]

            """
        func criterion(level: String, kinds: String) -> String {
            """
            criteria: 1
            id: k
            title: { vi: K }
            level: \(level)
            kinds: \(kinds)
            in_force: { from: 2022-01-01 }
            source: { act: X, status: confirmed }
            all:
              - { id: a, title: { vi: A }, check: "true" }
            """
        }
        let onCommune = Self.diagnostics(Self.sources(levels: levels, criterion: criterion(level: "commune", kinds: "[truong]")))
        #expect(onCommune.contains { $0.message.contains("the level commune declares none") && $0.hint?.contains("level: unit") == true })
        let unknown = Self.diagnostics(Self.sources(levels: levels, criterion: criterion(level: "unit", kinds: "[truongg]")))
        #expect(unknown.contains { $0.hint?.contains("did you mean 'truong'?") == true })
        #expect(Self.diagnostics(Self.sources(levels: levels, criterion: criterion(level: "unit", kinds: "[truong]"))).isEmpty)
    }

    @Test("an empty list of levels is refused where it stands, not replaced by the bundled map")
    func emptyLevels() throws {
        let list = Self.diagnostics([SourceFile(path: "levels.yaml", text: "criteria: 1\nlevels: []\n")])
        let found = try #require(list.first { $0.message.contains("'levels' declares no level") })
        #expect(found.range?.file == "levels.yaml")
        #expect(found.range?.start.line == 2)
    }

    @Test("two files that declare levels: the second is refused, pointing at the first")
    func twoLevelFiles() throws {
        var sources = Self.sources(levels: Self.twoLevels)
        sources.append(SourceFile(path: "more-levels.yaml", text: "criteria: 1\nlevels:\n  - { name: x, label: { vi: X } }\n"))
        let list = Self.diagnostics(sources)
        let found = try #require(list.first { $0.message.contains("the levels are already declared in") })
        #expect(found.range?.file == "more-levels.yaml")
    }

    @Test("a dataset follows the declaration: a table of an undeclared level is named, with the nearest table")
    func datasetTablesFollowTheMap() throws {
        let graph = try RuleSetLoader.load(path: Self.example + "/rules")
        let folder = NSTemporaryDirectory() + "criteria-levels-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "id,name,year\n99,P,\n".write(toFile: folder + "/province.csv", atomically: true, encoding: .utf8)
        try "id,name,province_id,year\n1,X,99,\n".write(toFile: folder + "/communes.csv", atomically: true, encoding: .utf8)
        try "id,name,commune_id,year\nA,Thôn A,1,\n".write(toFile: folder + "/residental_areas.csv", atomically: true, encoding: .utf8)
        try "id,name,commune_id,year\nH,Thôn H,1,\n".write(toFile: folder + "/hamlets.csv", atomically: true, encoding: .utf8)
        do {
            _ = try DatasetReader.read(path: folder, inputs: graph.inputs)
            Issue.record("tables of undeclared levels must not be read")
        } catch let error as DiagnosticsError {
            let misspelt = try #require(error.diagnostics.first { $0.range?.file.hasSuffix("residental_areas.csv") == true })
            #expect(misspelt.id == "csv.unknown-table")
            #expect(misspelt.hint?.contains("did you mean 'residential_areas.csv'?") == true)
            // The bundled map's hamlets are not a level of this map.
            #expect(error.diagnostics.contains { $0.id == "csv.unknown-table" && $0.range?.file.hasSuffix("hamlets.csv") == true })
        }
        // A YAML dataset: a collection under a level that does not hold it.
        let yaml = """
            dataset: 1
            province:
              id: "99"
              name: P
              residential_areas: []
            """
        let list = datasetDiagnostics(yaml, inputs: graph.inputs)
        #expect(list.contains { $0.id == "data.unknown-key" && $0.message.contains("'residential_areas' cannot be listed under a province") })
    }

    @Test("criteria changes names the levels added, removed and changed, with the table data now goes in")
    func changesOfTheMap() throws {
        let graph = try RuleSetLoader.load(path: Self.example + "/rules")
        let changes = RuleChanges.compareLevels(old: .standard, new: graph.inputs.map)
        let byKind = Dictionary(grouping: changes, by: \.kind).mapValues { $0.map(\.subject) }
        #expect(byKind[.levelAdded] == ["khu_dan_cu", "co_quan", "doanh_nghiep", "co_so_giao_duc"])
        #expect(byKind[.levelRemoved] == ["district", "hamlet", "unit"])
        #expect(byKind[.levelChanged] == ["commune"])
        let added = try #require(changes.first { $0.subject == "khu_dan_cu" })
        #expect(added.text.vi.contains("bảng `residential_areas.csv`"))
        let commune = try #require(changes.first { $0.subject == "commune" })
        #expect(commune.text.english.contains("parents district, province → province"))
        #expect(RuleChanges.compareLevels(old: .standard, new: .standard).isEmpty)
    }

    func datasetDiagnostics(_ yaml: String, inputs: InputCatalog) -> [Diagnostic] {
        do {
            _ = try DatasetReader.read(SourceFile(path: "data.yaml", text: yaml), format: .yaml, inputs: inputs)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics
        } catch {
            return []
        }
    }
}
