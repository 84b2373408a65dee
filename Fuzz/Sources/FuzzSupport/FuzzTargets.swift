@_spi(Fuzz) import CriteriaEngine
import Foundation

/// The fuzz targets of Criteria and the properties they check on every input.
///
/// The property, for every target: no crash, no trap, no timeout, and every error located — each
/// diagnostic of severity error has a place with line ≥ 1 and column ≥ 1 inside the text it reports
/// on, except the ids documented as having no place (`FuzzProperty.placeless`). A violation calls
/// `fatalError`, which libFuzzer records as a crash and `FuzzReplay` as a failed seed.
public enum FuzzTargets {
    /// Which target.
    public enum Target: String, Sendable, CaseIterable {
        /// Bytes → `SourceReader.decode` → `RuleFileParser.parse`, then the rule checker with `Rules/` as context.
        case ruleFile
        /// Text → `ExpressionParser.parse`; a parsed expression is printed and parsed again (same tree),
        /// then checked and evaluated as the condition of a criterion.
        case expression
        /// An expression on the first line and random facts from the rest → `Evaluator`, small limits.
        case evaluator
        /// A format byte and a file → the YAML, JSON or CSV dataset reader and the decoder.
        case dataset
        /// Bytes as an `.xlsx` workbook → `XLSXWorkbook` → `XLSXDatasetReader` (`XLSXTarget`).
        case xlsx
    }

    /// Loads what a target needs before the first input (the rules of `Rules/`), so that start-up
    /// work is not counted against the first input's time.
    public static func prepare(_ target: Target) {
        _ = FuzzContext.shared
    }

    /// Runs one input through a target.
    public static func run(_ target: Target, _ bytes: UnsafeBufferPointer<UInt8>) {
        switch target {
        case .ruleFile: RuleFileTarget.run(Array(bytes))
        case .expression: ExpressionTarget.run(Array(bytes))
        case .evaluator: EvaluatorTarget.run(Array(bytes))
        case .dataset: DatasetTarget.run(Array(bytes))
        case .xlsx: XLSXTarget.run(Array(bytes))
        }
    }
}

/// The rules every target checks its input against: the parsed files of the repository's `Rules/`.
struct FuzzContext: Sendable {
    /// The rule files of `Rules/`, parsed.
    let files: [RuleFile]
    /// Their graph.
    let graph: RuleGraph

    static let shared: FuzzContext = load()

    /// The repository's `Rules/` folder: `CRITERIA_FUZZ_RULES`, or found from this source file's place.
    static var rulesFolder: String {
        if let path = ProcessInfo.processInfo.environment["CRITERIA_FUZZ_RULES"] { return path }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Rules")
            .standardizedFileURL.path
    }

    private static func load() -> FuzzContext {
        do {
            var files: [RuleFile] = []
            for path in try RuleSetLoader.ruleFiles(at: rulesFolder) {
                let source = try SourceReader.read(path: path, maxBytes: Limits.default.maxRuleFileBytes)
                let (file, diagnostics) = RuleFileParser.parse(source)
                guard let file, !diagnostics.contains(where: { $0.severity == .error }) else {
                    fatalError("the rules in \(rulesFolder) do not parse: \(diagnostics.map(\.message))")
                }
                files.append(file)
            }
            return FuzzContext(files: files, graph: try RuleSetLoader.check(files))
        } catch {
            fatalError("cannot load the rules in \(rulesFolder) (set CRITERIA_FUZZ_RULES): \(error)")
        }
    }

    /// The context files with those replaced by `file` taken out, as `RuleSetLoader.load(files:context:)`
    /// does: a criterion of the same id, or the inputs when `file` declares inputs.
    func files(standingIn file: RuleFile) -> [RuleFile] {
        files.filter { context in
            if let id = file.criterion?.id, context.criterion?.id == id { return false }
            if !file.inputs.isEmpty && !context.inputs.isEmpty { return false }
            return true
        } + [file]
    }
}

/// The properties checked on what the engine reports.
public enum FuzzProperty {
    /// Error ids documented as having no place in a file (`Docs/limits.md`, `Docs/fuzzing.md`).
    public static let placeless: Set<String> = ["limits.diagnostics"]

    /// Stops the process when an error diagnostic has no place, or a place outside `file`
    /// (when given: line 1…lines + 1, column 1…length of the line + 2).
    static func expectLocated(_ diagnostics: [Diagnostic], in file: SourceFile?, input: [UInt8]) {
        for diagnostic in diagnostics where diagnostic.severity == .error {
            if placeless.contains(diagnostic.id.rawValue) { continue }
            guard let range = diagnostic.range else {
                violation("error without a place", diagnostic, input)
            }
            let start = range.start
            guard start.line >= 1, start.column >= 1 else { violation("error at line or column below 1", diagnostic, input) }
            guard let file, range.file == file.path else { continue }
            guard start.line <= file.lines.count + 1 else { violation("error past the last line", diagnostic, input) }
            let length = file.line(start.line).map { $0.unicodeScalars.count } ?? 0
            guard start.column <= length + 2 else { violation("error past the end of its line", diagnostic, input) }
            for note in diagnostic.notes {
                if let at = note.range, at.start.line < 1 || at.start.column < 1 {
                    violation("note at line or column below 1", diagnostic, input)
                }
            }
        }
    }

    /// Reports a broken property with the diagnostic and the input, and stops.
    static func violation(_ what: String, _ diagnostic: Diagnostic, _ input: [UInt8]) -> Never {
        let place = diagnostic.range.map { "\($0.file):\($0.start.line):\($0.start.column)" } ?? "(no place)"
        fatalError("\(what): \(diagnostic.id) at \(place): \(diagnostic.message); input \(input.count) bytes")
    }

    /// Reports a broken property that is not about a diagnostic, and stops.
    static func violation(_ what: String) -> Never {
        fatalError(what)
    }
}
