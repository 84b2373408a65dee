import Foundation

/// Finds and reads rule test files.
public enum RuleTestLoader {
    /// The test files under a path: the file itself, or every `.yaml` in a `tests/` folder below it.
    public static func testFiles(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EnvironmentError.unreadable(path: path, reason: "no such file or folder")
        }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw EnvironmentError.unreadable(path: path, reason: "the folder cannot be listed")
        }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let parts = relative.split(separator: "/")
            guard parts.count >= 2, parts[parts.count - 2] == "tests",
                relative.hasSuffix(".yaml") || relative.hasSuffix(".yml")
            else { continue }
            result.append((path as NSString).appendingPathComponent(relative))
        }
        return result.sorted()
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
