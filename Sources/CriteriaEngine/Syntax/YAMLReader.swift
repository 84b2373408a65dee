import Yams

/// Reads YAML text into a `DocumentNode` tree. The only file in the project that sees Yams.
///
/// The text first goes through `YAMLPreScan`; then Yams composes it with the basic resolver (every
/// plain scalar stays text) and explicit UTF-8 encoding (so no environment variable can change what is
/// read or make Yams print); then the tree is converted, bounded in depth and scalar length. A Yams
/// error becomes a diagnostic at its mark with its context as a note; its `description`, which embeds
/// the whole document, is never used.
public enum YAMLReader {
    /// Parses one YAML document.
    ///
    /// - Parameters:
    ///   - file: the validated source text.
    ///   - maxNesting: the deepest nesting of collections allowed.
    ///   - limits: scalar and key length limits and the diagnostic cap.
    /// - Throws: `DiagnosticsError` with every problem the pre-scan found, or the parse error.
    public static func read(_ file: SourceFile, maxNesting: Int, limits: Limits = .default) throws(DiagnosticsError)
        -> DocumentNode
    {
        var scan = YAMLPreScan(file: file, limits: limits)
        scan.run()
        try scan.diagnostics.throwIfErrors()

        let root: Node?
        do {
            let parser = try Parser(yaml: file.text, resolver: .basic, constructor: .default, encoding: .utf8)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            throw DiagnosticsError(diagnostic(for: error, in: file))
        } catch {
            throw DiagnosticsError(
                Diagnostic("yaml.syntax", .error, "the YAML could not be read", at: file.range(line: 1, column: 1)))
        }
        guard let root else {
            throw DiagnosticsError(
                Diagnostic(
                    "yaml.empty", .error, "the file is empty", at: file.range(line: 1, column: 1),
                    hint: "a rule file starts with 'criteria: 1'"))
        }
        var converter = Converter(file: file, maxNesting: maxNesting, limits: limits)
        let node = converter.convert(root, depth: 1)
        try converter.diagnostics.throwIfErrors()
        return node
    }

    private struct Converter {
        let file: SourceFile
        let maxNesting: Int
        let limits: Limits
        var diagnostics: DiagnosticCollector
        var nestingReported = false

        init(file: SourceFile, maxNesting: Int, limits: Limits) {
            self.file = file
            self.maxNesting = maxNesting
            self.limits = limits
            self.diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
        }

        func range(_ mark: Mark?) -> SourceRange {
            file.range(line: mark?.line ?? 1, column: mark?.column ?? 1)
        }

        /// Converts a node; recursion is bounded by `maxNesting`, far below what any stack can hold.
        mutating func convert(_ node: Node, depth: Int) -> DocumentNode {
            let at = range(node.mark)
            if depth > maxNesting {
                if !nestingReported {
                    nestingReported = true
                    diagnostics.emit(
                        Diagnostic(
                            "limits.nesting", .error, "nesting deeper than the limit of \(maxNesting) levels",
                            at: at, hint: "flatten the structure"))
                }
                return DocumentNode(.null, at: at)
            }
            switch node {
            case .scalar(let scalar):
                if scalar.string.unicodeScalars.count > limits.maxScalarLength {
                    diagnostics.emit(
                        Diagnostic(
                            "limits.scalar-length", .error,
                            "a value of \(scalar.string.unicodeScalars.count) characters is longer than the limit of \(limits.maxScalarLength)",
                            at: at))
                }
                switch scalar.style {
                case .singleQuoted, .doubleQuoted:
                    return DocumentNode(.scalar(scalar.string, .quoted), at: at)
                case .literal, .folded:
                    return DocumentNode(.scalar(scalar.string, .block), at: at)
                case .plain, .any:
                    if scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
                        return DocumentNode(.null, at: at)
                    }
                    return DocumentNode(.scalar(scalar.string, .plain), at: at)
                }
            case .mapping(let mapping):
                var pairs: [DocumentNode.Pair] = []
                pairs.reserveCapacity(mapping.count)
                for (key, value) in mapping {
                    let k = convert(key, depth: depth + 1)
                    let v = convert(value, depth: depth + 1)
                    pairs.append(DocumentNode.Pair(key: k, value: v))
                }
                return DocumentNode(.mapping(pairs), at: at)
            case .sequence(let sequence):
                var items: [DocumentNode] = []
                items.reserveCapacity(sequence.count)
                for item in sequence { items.append(convert(item, depth: depth + 1)) }
                return DocumentNode(.sequence(items), at: at)
            case .alias:
                diagnostics.emit(Diagnostic("yaml.alias", .error, "aliases (*name) are not allowed", at: at))
                return DocumentNode(.null, at: at)
            }
        }
    }

    static func diagnostic(for error: YamlError, in file: SourceFile) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let at = file.range(line: mark.line, column: mark.column)
            let notes = context.map { [DiagnosticNote($0.text, at: file.range(line: $0.mark.line, column: $0.mark.column))] } ?? []
            return translate(problem: problem, at: at, notes: notes)
        case .reader(let problem, let offset, _, _):
            let location = file.location(ofScalarOffset: offset ?? 0)
            return Diagnostic(
                "yaml.syntax", .error, problem, at: SourceRange(file: file.path, start: location))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark
            let second = DuplicateKeyLocator.secondOccurrence(
                of: key, firstLine: first.line, firstColumn: first.column, in: file)
            return Diagnostic(
                "yaml.duplicate-key", .error,
                "duplicate key '\(key)' (first defined at \(first.line):\(first.column))",
                at: file.range(line: second?.line ?? first.line, column: second?.column ?? first.column),
                notes: [DiagnosticNote("first defined here", at: file.range(line: first.line, column: first.column))],
                hint: "keep one of the two; a key may appear only once in a mapping")
        default:
            return Diagnostic("yaml.syntax", .error, "the YAML could not be read", at: file.range(line: 1, column: 1))
        }
    }

    private static func translate(problem: String, at: SourceRange, notes: [DiagnosticNote]) -> Diagnostic {
        if problem.contains("but found another document") {
            return Diagnostic(
                "yaml.multiple-documents", .error, "the file holds more than one YAML document", at: at, notes: [],
                hint: "remove the '---' line; each file holds one document")
        }
        if problem.contains("Maximum nesting level") {
            return Diagnostic("limits.nesting", .error, "nesting deeper than YAML can read", at: at,
                hint: "flatten the structure")
        }
        var hint: String? = nil
        if problem.contains("mapping values are not allowed") {
            hint = "a value that contains ': ' must be put in quotes"
        } else if problem.contains("cannot start any token") {
            hint = "this character cannot start a value; put the value in quotes"
        } else if problem.contains("did not find expected") {
            hint = "check the brackets, quotes and indentation just before this point"
        }
        return Diagnostic("yaml.syntax", .error, problem, at: at, notes: notes, hint: hint)
    }
}
