import CriteriaEngine
import Foundation
import Testing

/// Every field of `Limits` is enforced where it belongs, through the public entry points (rule
/// loading, dataset reading, evaluation), with a diagnostic that names the limit, the value seen and
/// the place. `everyFieldHasACheck` fails when a field is added without a case here.
@Suite struct LimitsTests {
    /// A temporary folder with files (relative path → bytes), removed by `remove()`.
    struct Folder {
        let path: String

        init(_ files: [String: [UInt8]]) throws {
            path = NSTemporaryDirectory() + "criteria-limits-" + UUID().uuidString
            for (name, bytes) in files {
                let file = path + "/" + name
                try FileManager.default.createDirectory(
                    atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(bytes).write(to: URL(fileURLWithPath: file))
            }
        }

        init(_ files: [String: String]) throws {
            try self.init(files.mapValues { Array($0.utf8) })
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Limits with one field changed.
    static func limits(_ change: (inout Limits) -> Void) -> Limits {
        var limits = Limits.default
        change(&limits)
        return limits
    }

    /// The diagnostics of loading a rules folder.
    static func ruleDiagnostics(_ files: [String: String], limits: Limits) throws -> [Diagnostic] {
        let folder = try Folder(files.merging(["inputs.yaml": RuleSetFixture.inputs]) { a, _ in a })
        defer { folder.remove() }
        do {
            _ = try RuleSetLoader.load(path: folder.path, limits: limits)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics.map { diagnostic in
                var relative = diagnostic
                relative.range?.file = String(diagnostic.range?.file.dropFirst(folder.path.count + 1) ?? "")
                return relative
            }
        }
    }

    /// The diagnostics of reading a dataset file or folder.
    static func dataDiagnostics(_ files: [String: String], path: String, limits: Limits) throws -> [Diagnostic] {
        let folder = try Folder(files)
        defer { folder.remove() }
        do {
            _ = try DatasetReader.read(path: folder.path + "/" + path, inputs: DataDictionary.extended, limits: limits)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics.map { diagnostic in
                var relative = diagnostic
                relative.range?.file = String(diagnostic.range?.file.dropFirst(folder.path.count + 1) ?? "")
                return relative
            }
        }
    }

    /// Expects exactly one error with `id` at `file:line:column`, whose message contains every text.
    static func expectOne(
        _ diagnostics: [Diagnostic], _ id: String, at file: String?, _ line: Int, _ column: Int, saying texts: [String],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.id.rawValue) == [id], "\(errors.map { "\($0.id) \($0.message)" })", sourceLocation: sourceLocation)
        guard let found = errors.first(where: { $0.id.rawValue == id }) else { return }
        if let file {
            #expect(found.range?.file == file, sourceLocation: sourceLocation)
            #expect(found.range?.start == CriteriaEngine.SourceLocation(line: line, column: column), sourceLocation: sourceLocation)
        }
        for text in texts {
            #expect(found.message.contains(text), "\(found.message) should contain \(text)", sourceLocation: sourceLocation)
        }
    }

    static let criterionHeader = """
        criteria: 1
        id: t
        title: { vi: Thử }
        level: commune
        in_force: { from: 2022-01-01 }
        source: { act: Thử, status: confirmed }

        """

    // MARK: - One test per field

    static let checkedFields: Set<String> = [
        "maxRuleFileBytes", "maxYAMLDataBytes", "maxDataBytes", "maxRuleNesting", "maxDataNesting", "maxScalarLength",
        "maxKeyLength", "maxExpressionLength", "maxExpressionDepth", "maxExpressionNodes", "maxEvaluationSteps",
        "maxGraphDepth", "maxDiagnostics",
    ]

    @Test func everyFieldHasACheck() {
        let fields = Set(Mirror(reflecting: Limits.default).children.compactMap(\.label))
        #expect(fields == Self.checkedFields)
    }

    @Test func maxRuleFileBytes() throws {
        // inputs.yaml has about 600 bytes; the criterion file is padded with a comment past the limit.
        let text = "# " + String(repeating: "x", count: 800) + "\n" + RuleSetFixture.criterion("a")
        let found = try Self.ruleDiagnostics(["t.yaml": text], limits: Self.limits { $0.maxRuleFileBytes = 900 })
        Self.expectOne(found, "limits.file-size", at: "t.yaml", 1, 1, saying: ["\(text.utf8.count) bytes", "limit of 900"])
    }

    @Test func maxYAMLDataBytesAndMaxDataBytes() throws {
        let yaml = Self.limits { $0.maxYAMLDataBytes = 100 }
        let found = try Self.dataDiagnostics(["d.yaml": DatasetFormatsTests.yaml], path: "d.yaml", limits: yaml)
        Self.expectOne(found, "limits.file-size", at: "d.yaml", 1, 1, saying: ["\(DatasetFormatsTests.yaml.utf8.count) bytes", "limit of 100"])
        // The YAML limit does not apply to JSON, nor the JSON/CSV limit to YAML.
        #expect(try Self.dataDiagnostics(["d.json": DatasetFormatsTests.json], path: "d.json", limits: yaml).isEmpty)
        let data = Self.limits { $0.maxDataBytes = 100 }
        #expect(try Self.dataDiagnostics(["d.yaml": DatasetFormatsTests.yaml], path: "d.yaml", limits: data).isEmpty)
        let json = try Self.dataDiagnostics(["d.json": DatasetFormatsTests.json], path: "d.json", limits: data)
        Self.expectOne(json, "limits.file-size", at: "d.json", 1, 1, saying: ["limit of 100"])
        let communes = "id,name,year,antt_plan\n" + (1...20).map { "C\($0),Xã \($0),2024,true" }.joined(separator: "\n")
        let csv = try Self.dataDiagnostics(["csv/communes.csv": communes], path: "csv", limits: data)
        Self.expectOne(csv, "limits.file-size", at: "csv/communes.csv", 1, 1, saying: ["\(communes.utf8.count) bytes", "limit of 100"])
    }

    @Test func maxRuleNesting() throws {
        let nested = Self.criterionHeader + "description: { vi: [[[[x]]]] }\nall:\n  - { id: c, title: { vi: C }, check: a }\n"
        let found = try Self.ruleDiagnostics(["t.yaml": nested], limits: Self.limits { $0.maxRuleNesting = 4 })
        Self.expectOne(found, "limits.nesting", at: "t.yaml", 7, 22, saying: ["limit of 4"])
        // At the limit, the nesting is read (and the schema refuses a list as a title).
        let atLimit = try Self.ruleDiagnostics(["t.yaml": nested], limits: Self.limits { $0.maxRuleNesting = 6 })
        #expect(!atLimit.contains { $0.id == "limits.nesting" })
    }

    @Test func maxDataNesting() throws {
        let yaml = "dataset: 1\ncommune: { id: C, name: X, facts: { 2024: { notes: [[1]] } } }\n"
        let limits = Self.limits { $0.maxDataNesting = 4 }
        Self.expectOne(
            try Self.dataDiagnostics(["d.yaml": yaml], path: "d.yaml", limits: limits), "limits.nesting", at: "d.yaml", 2, 52,
            saying: ["limit of 4"])
        let json = #"{"dataset": 1, "commune": {"id": "C", "name": "X", "facts": {"2024": {"notes": [[1]]}}}}"#
        Self.expectOne(
            try Self.dataDiagnostics(["d.json": json], path: "d.json", limits: limits), "limits.nesting", at: "d.json", 1, 80,
            saying: ["limit of 4"])
    }

    @Test func maxScalarLength() throws {
        // The longest value of RuleSetFixture.inputs has 12 characters.
        let rule = Self.criterionHeader + "description: { vi: Mô tả dài hơn hai mươi ký tự }\nall:\n  - { id: c, title: { vi: C }, check: a }\n"
        Self.expectOne(
            try Self.ruleDiagnostics(["t.yaml": rule], limits: Self.limits { $0.maxScalarLength = 20 }),
            "limits.scalar-length", at: "t.yaml", 7, 20, saying: ["28 characters", "limit of 20"])
        let limits = Self.limits { $0.maxScalarLength = 10 }
        let yaml = "dataset: 1\ncommune: { id: C, name: Xã Một Hai Ba Bốn }\n"
        Self.expectOne(
            try Self.dataDiagnostics(["d.yaml": yaml], path: "d.yaml", limits: limits), "limits.scalar-length", at: "d.yaml",
            2, 25, saying: ["17 characters", "limit of 10"])
        let json = #"{"dataset": 1, "commune": {"id": "C", "name": "Xã Một Hai Ba Bốn"}}"#
        Self.expectOne(
            try Self.dataDiagnostics(["d.json": json], path: "d.json", limits: limits), "limits.scalar-length", at: "d.json",
            1, 47, saying: ["17 characters", "limit of 10"])
        let csv = "id,name,year\nC,Xã Một Hai Ba Bốn,2024\n"
        Self.expectOne(
            try Self.dataDiagnostics(["csv/communes.csv": csv], path: "csv", limits: limits), "limits.scalar-length",
            at: "csv/communes.csv", 2, 3, saying: ["17 characters", "limit of 10"])
    }

    @Test func maxKeyLength() throws {
        let limits = Self.limits { $0.maxKeyLength = 8 }
        let rule = Self.criterionHeader + "abcdefghijkl: 1\nall:\n  - { id: c, title: { vi: C }, check: a }\n"
        Self.expectOne(
            try Self.ruleDiagnostics(["t.yaml": rule], limits: limits), "limits.key-length", at: "t.yaml", 7, 1,
            saying: ["12 characters", "limit of 8"])
        let json = #"{"dataset": 1, "abcdefghijkl": 1}"#
        Self.expectOne(
            try Self.dataDiagnostics(["d.json": json], path: "d.json", limits: limits), "limits.key-length", at: "d.json",
            1, 16, saying: ["12 characters", "limit of 8"])
    }

    @Test func maxExpressionLengthDepthAndNodes() throws {
        let long = try Self.ruleDiagnostics(
            ["t.yaml": RuleSetFixture.criterion("a && b")], limits: Self.limits { $0.maxExpressionLength = 5 })
        Self.expectOne(long, "limits.expression-length", at: "t.yaml", 10, 13, saying: ["6 characters", "limit of 5"])
        let deep = try Self.ruleDiagnostics(
            ["t.yaml": RuleSetFixture.criterion("((a))")], limits: Self.limits { $0.maxExpressionDepth = 2 })
        Self.expectOne(deep, "limits.expression-depth", at: "t.yaml", 10, 14, saying: ["3 levels", "limit of 2"])
        let many = try Self.ruleDiagnostics(
            ["t.yaml": RuleSetFixture.criterion("cases + 1 + 2 > 3")], limits: Self.limits { $0.maxExpressionNodes = 4 })
        Self.expectOne(many, "limits.expression-nodes", at: "t.yaml", 10, 23, saying: ["7 parts", "limit of 4"])
    }

    @Test func maxGraphDepth() throws {
        let files = [
            "a.yaml": RuleSetFixture.criterion(#"meets("b")"#, id: "a"),
            "b.yaml": RuleSetFixture.criterion(#"meets("c")"#, id: "b"),
            "c.yaml": RuleSetFixture.criterion("a", id: "c"),
        ]
        #expect(try Self.ruleDiagnostics(files, limits: Self.limits { $0.maxGraphDepth = 3 }).isEmpty)
        let found = try Self.ruleDiagnostics(files, limits: Self.limits { $0.maxGraphDepth = 2 })
        Self.expectOne(found, "limits.graph-depth", at: "a.yaml", 10, 19, saying: ["'a'", "chain of 3 criteria", "limit of 2"])
    }

    @Test func maxDiagnostics() throws {
        let broken = (1...5).map { "  - { id: c\($0), title: { vi: C }, check: nope\($0) }" }.joined(separator: "\n")
        let found = try Self.ruleDiagnostics(
            ["t.yaml": Self.criterionHeader + "all:\n" + broken + "\n"], limits: Self.limits { $0.maxDiagnostics = 2 })
        #expect(found.map(\.id.rawValue) == ["rules.unknown-input", "rules.unknown-input", "limits.diagnostics"])
        #expect(found.last?.message.contains("3 more problems") == true)
        #expect(found.last?.message.contains("limit 2") == true)
        #expect(found.last?.range == nil)
        // The checker called on its own keeps the limit too.
        let files = try (1...5).map { index -> RuleFile in
            let source = SourceFile(path: "t\(index).yaml", text: RuleSetFixture.criterion("nope", id: "t\(index)"))
            return try #require(RuleFileParser.parse(source).0)
        }
        do {
            _ = try RuleSetLoader.check(files, limits: Self.limits { $0.maxDiagnostics = 3 })
            Issue.record("expected errors")
        } catch {
            #expect(error.diagnostics.count == 4)
            #expect(error.diagnostics.last?.id == "limits.diagnostics")
        }
        // Data readers keep it as well.
        let rows = (1...5).map { "C\($0),Xã,2024,maybe" }.joined(separator: "\n")
        let csv = try Self.dataDiagnostics(
            ["csv/communes.csv": "id,name,year,antt_plan\n" + rows], path: "csv", limits: Self.limits { $0.maxDiagnostics = 2 })
        #expect(csv.map(\.id.rawValue) == ["data.wrong-type", "data.wrong-type", "limits.diagnostics"])
    }

    @Test func maxEvaluationSteps() throws {
        let fixture = try RuleSetFixture(["t.yaml": RuleSetFixture.criterion("hamlets.all(h, h.safe) && cases >= 0")])
        let graph = try fixture.graph()
        let data = try RuleSetFixture.dataset(
            RuleSetFixture.commune("cases: 1", hamlets: Array(repeating: true, count: 10)), graph: graph)
        let date = try #require(LocalDate(iso: "2024-12-31"))
        let ample = Evaluator(graph: graph).evaluate(data, asOf: date)
        #expect(ample.verdicts.first?.outcome == .pass)
        #expect(ample.limitDiagnostics.isEmpty)
        #expect(ample.verdicts.first?.stepBudgetExhaustedAt == nil)

        let result = Evaluator(graph: graph, limits: Self.limits { $0.maxEvaluationSteps = 12 }).evaluate(data, asOf: date)
        let verdict = try #require(result.verdicts.first)
        #expect(verdict.outcome == .unknown)
        // Where it ran out: inside the `all`, at `h.safe` (column 13 + 15).
        #expect(verdict.stepBudgetExhaustedAt?.file == fixture.folder + "/t.yaml")
        #expect(verdict.stepBudgetExhaustedAt?.start == CriteriaEngine.SourceLocation(line: 10, column: 28))
        let missing = verdict.explanation.missing.first
        #expect(missing?.name == "limits.evaluation-steps")
        #expect(missing?.message.text(in: .en).contains("more than 12 steps") == true)
        #expect(missing?.message.text(in: .en).contains("t.yaml:10:28") == true)
        #expect(missing?.message.text(in: .en).contains("--max-steps") == true)
        let warning = try #require(result.limitDiagnostics.first)
        #expect(result.limitDiagnostics.count == 1)
        #expect(warning.id == "limits.evaluation-steps")
        #expect(warning.severity == .warning)
        #expect(warning.message == "criterion 't' needed more than 12 evaluation steps, the limit, for C1; its verdict is unknown")
        #expect(warning.range?.start == CriteriaEngine.SourceLocation(line: 10, column: 28))
    }
}
