import CriteriaEngine
import Foundation

/// Builds small rule sets and datasets from text in a temporary folder, for evaluation tests.
struct RuleSetFixture {
    let folder: String

    /// Inputs shared by the evaluation tests: two booleans, counts, an enum and a hamlet fact.
    static let inputs = """
        criteria: 1
        inputs:
          - { name: a, type: bool, level: commune, label: { vi: A } }
          - { name: b, type: bool, level: commune, label: { vi: B } }
          - { name: cases, type: count, level: commune, label: { vi: Số vụ, en: Cases }, unit: { vi: vụ, en: cases } }
          - { name: base, type: count, level: commune, label: { vi: Cơ sở } }
          - { name: rating, type: enum, values: [xuat_sac, kha, trung_binh, yeu], level: commune, label: { vi: Xếp loại } }
          - { name: safe, type: bool, level: hamlet, label: { vi: Thôn an toàn } }
          - { name: hotspots, type: count, level: district, label: { vi: Tụ điểm } }
        """

    /// Writes `inputs.yaml` and the given files (name → text) and loads the rule set.
    init(_ files: [String: String], withInputs: Bool = true) throws {
        folder = NSTemporaryDirectory() + "criteria-fixture-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var all = files
        if withInputs { all["inputs.yaml"] = Self.inputs }
        for (name, text) in all {
            let path = folder + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    func graph() throws -> RuleGraph { try RuleSetLoader.load(path: folder) }

    /// A one-condition criterion `t` at a level, in force from 2022-01-01.
    static func criterion(_ check: String, id: String = "t", level: String = "commune", from: String = "2022-01-01", until: String? = nil) -> String {
        """
        criteria: 1
        id: \(id)
        title: { vi: Thử \(id) }
        level: \(level)
        in_force: { from: \(from)\(until.map { ", until: \($0)" } ?? "") }
        source: { act: Thử, status: confirmed }
        all:
          - id: c
            title: { vi: Điều kiện }
            check: '\(check.replacingOccurrences(of: "'", with: "''"))'
        """
    }

    /// Decodes a dataset written in YAML against a graph's inputs.
    static func dataset(_ yaml: String, graph: RuleGraph) throws -> Dataset {
        let file = SourceFile(path: "data.yaml", text: yaml)
        let node = try YAMLReader.read(file, maxNesting: 32)
        return try DatasetDecoder.decode(node, inputs: graph.inputs)
    }

    /// A dataset of one commune with the given 2024 facts (YAML flow text such as `a: true, cases: 3`)
    /// and hamlets with the given `safe` values (nil leaves the fact out).
    static func commune(_ facts: String, hamlets: [Bool?] = [true], extraYears: String = "") -> String {
        let hamletLines = hamlets.enumerated().map { index, safe in
            "      - { id: H\(index + 1), name: Thôn \(index + 1), facts: { 2024: { \(safe.map { "safe: \($0)" } ?? "") } } }"
        }.joined(separator: "\n")
        return """
            dataset: 1
            commune:
              id: C1
              name: Xã Một
              facts:
                2024: { \(facts) }
            \(extraYears)
              hamlets:
            \(hamletLines)
            """
    }
}
