import Foundation

/// Finds and reads rule test files.
package enum RuleTestLoader {
    /// The test files under a path: the file itself, or every `.yaml` in a `tests/` folder below it.
    package static func testFiles(at path: String) throws -> [String] {
        try FileFinder.yamlFiles(at: path) { components in
            components.count >= 2 && components[components.count - 2] == "tests"
        }
    }

    /// Reads every test file, collecting the problems of all of them.
    package static func load(files: [String], graph: RuleGraph, limits: Limits = .default) throws -> [RuleTestCase] {
        let (cases, broken) = try loadEach(files: files, graph: graph, limits: limits)
        var diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
        for file in broken { diagnostics.emit(contentsOf: file.diagnostics) }
        try diagnostics.throwIfErrors()
        return cases
    }

    /// Reads test files held in memory (such as a playground's edited tests beside the served ones),
    /// collecting the problems of all of them.
    package static func load(sources: [SourceFile], graph: RuleGraph, limits: Limits = .default) throws -> [RuleTestCase] {
        var cases: [RuleTestCase] = []
        var diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
        for source in sources {
            do {
                cases += try RuleTestParser.parse(source, graph: graph, limits: limits)
            } catch {
                diagnostics.emit(contentsOf: error.diagnostics)
            }
        }
        try diagnostics.throwIfErrors()
        return cases
    }

    /// Reads every test file, keeping the cases of the files that read cleanly and, for each file
    /// that did not, its errors; only an error that is no diagnostic (an unreadable folder) throws.
    package static func loadEach(
        files: [String], graph: RuleGraph, limits: Limits = .default
    ) throws -> (cases: [RuleTestCase], broken: [BrokenTestFile]) {
        var cases: [RuleTestCase] = []
        var broken: [BrokenTestFile] = []
        for file in files {
            do {
                let source = try SourceReader.read(path: file, maxBytes: limits.maxRuleFileBytes)
                cases += try RuleTestParser.parse(source, graph: graph, limits: limits)
            } catch let error as DiagnosticsError {
                broken.append(BrokenTestFile(file: file, diagnostics: error.diagnostics))
            }
        }
        return (cases, broken)
    }
}
