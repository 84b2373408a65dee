import Foundation

/// Finds and reads rule test files.
public enum RuleTestLoader {
    /// The test files under a path: the file itself, or every `.yaml` in a `tests/` folder below it.
    public static func testFiles(at path: String) throws -> [String] {
        try FileFinder.yamlFiles(at: path) { components in
            components.count >= 2 && components[components.count - 2] == "tests"
        }
    }

    /// Reads every test file, collecting the problems of all of them.
    public static func load(files: [String], graph: RuleGraph, limits: Limits = .default) throws -> [RuleTestCase] {
        var diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
        var cases: [RuleTestCase] = []
        for file in files {
            do {
                let source = try SourceReader.read(path: file, maxBytes: limits.maxRuleFileBytes)
                cases += try RuleTestParser.parse(source, graph: graph, limits: limits)
            } catch let error as DiagnosticsError {
                diagnostics.emit(contentsOf: error.diagnostics)
            }
        }
        try diagnostics.throwIfErrors()
        return cases
    }
}
