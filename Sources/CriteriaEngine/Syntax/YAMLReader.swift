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
    ///   - maxNesting: the deepest nesting of collections allowed (a mapping or list counts as one level,
    ///     scalars add none: `a: {b: 1}` has two levels).
    ///   - limits: scalar and key length limits and the diagnostic cap.
    /// - Throws: `DiagnosticsError` with every problem the pre-scan found, or the parse error.
    public static func read(_ file: SourceFile, maxNesting: Int, limits: Limits = .default) throws(DiagnosticsError)
        -> DocumentNode
    {
        var scan = YAMLPreScan(file: file, limits: limits, maxNesting: maxNesting)
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
        let node = converter.convert(root)
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

        /// A collection being converted: its place, its children (for a mapping, key and value
        /// alternately) and what is converted of them so far.
        struct OpenCollection {
            var range: SourceRange
            var isMapping: Bool
            var children: [Node]
            var depth: Int
            var next = 0
            var items: [DocumentNode] = []
        }

        /// Converts a tree, depth first in document order, with an explicit stack: no nesting uses
        /// the thread's stack (Yams' own `compose` has already recursed this deep, but the limits keep
        /// it far from the edge). A collection deeper than `maxNesting` is reported once and read as
        /// null, and its children are not visited.
        mutating func convert(_ root: Node) -> DocumentNode {
            var stack: [OpenCollection] = []
            var done = open(root, depth: 1, onto: &stack)
            while true {
                if let node = done {
                    guard !stack.isEmpty else { return node }
                    stack[stack.count - 1].items.append(node)
                    done = nil
                }
                guard let top = stack.last else { return DocumentNode(.null, at: range(root.mark)) }
                if top.next < top.children.count {
                    let child = top.children[top.next]
                    stack[stack.count - 1].next += 1
                    done = open(child, depth: top.depth + 1, onto: &stack)
                } else {
                    stack.removeLast()
                    done = Self.close(top)
                }
            }
        }

        /// A scalar as a finished node, or a collection pushed on `stack` (`nil`).
        mutating func open(_ node: Node, depth: Int, onto stack: inout [OpenCollection]) -> DocumentNode? {
            switch node {
            case .scalar, .alias:
                return leaf(node)
            case .mapping(let mapping):
                guard depth <= maxNesting else { return tooDeep(node) }
                var children: [Node] = []
                children.reserveCapacity(mapping.count * 2)
                for (key, value) in mapping { children.append(contentsOf: [key, value]) }
                stack.append(OpenCollection(range: range(node.mark), isMapping: true, children: children, depth: depth))
                return nil
            case .sequence(let sequence):
                guard depth <= maxNesting else { return tooDeep(node) }
                stack.append(OpenCollection(range: range(node.mark), isMapping: false, children: Array(sequence), depth: depth))
                return nil
            }
        }

        /// The node of a collection whose children are all converted.
        static func close(_ collection: OpenCollection) -> DocumentNode {
            guard collection.isMapping else { return DocumentNode(.sequence(collection.items), at: collection.range) }
            var pairs: [DocumentNode.Pair] = []
            pairs.reserveCapacity(collection.items.count / 2)
            var index = 0
            while index + 1 < collection.items.count {
                pairs.append(DocumentNode.Pair(key: collection.items[index], value: collection.items[index + 1]))
                index += 2
            }
            return DocumentNode(.mapping(pairs), at: collection.range)
        }

        /// A collection one level past the limit: reported once, read as null.
        mutating func tooDeep(_ node: Node) -> DocumentNode {
            let at = range(node.mark)
            if !nestingReported {
                nestingReported = true
                diagnostics.emit(
                    Diagnostic(
                        "limits.nesting", .error, "nesting deeper than the limit of \(maxNesting) levels",
                        at: at, hint: "flatten the structure"))
            }
            return DocumentNode(.null, at: at)
        }

        /// A scalar (or an alias, which the pre-scan refuses before Yams runs).
        mutating func leaf(_ node: Node) -> DocumentNode {
            let at = range(node.mark)
            guard case .scalar(let scalar) = node else {
                diagnostics.emit(Diagnostic("yaml.alias", .error, "aliases (*name) are not allowed", at: at))
                return DocumentNode(.null, at: at)
            }
            let length = scalar.string.unicodeScalars.count
            if length > limits.maxScalarLength {
                diagnostics.emit(
                    Diagnostic(
                        "limits.scalar-length", .error,
                        "a value of \(length) characters is longer than the limit of \(limits.maxScalarLength)",
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
        }
    }

    static func diagnostic(for error: YamlError, in file: SourceFile) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let at = file.range(line: mark.line, column: mark.column)
            let notes = context.map { [DiagnosticNote($0.text, at: file.range(line: $0.mark.line, column: $0.mark.column))] } ?? []
            return syntaxDiagnostic(problem: problem, at: at, notes: notes)
        case .reader(let problem, let offset, _, _):
            // Yams turns libyaml's byte offset into an offset in `Character`s of the text it was given.
            let location = file.location(ofCharacterOffset: offset ?? 0)
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

    /// The diagnostic for a libyaml scanner, parser or composer problem, with our hint; shared with the
    /// pre-scan, which reports scanner problems with libyaml's own words.
    static func syntaxDiagnostic(problem: String, at: SourceRange, notes: [DiagnosticNote]) -> Diagnostic {
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

extension YAMLReader {
    /// What Yams alone makes of a text, without the pre-scan: the differential tests of the pre-scan
    /// compare the two. Returns Yams' error as a diagnostic, or whether the composed tree holds an
    /// alias (a node whose mark goes back in document order: an alias carries its anchor's mark) or
    /// an explicit tag.
    ///
    /// Outside tests, never call this: on hostile input (an alias used as a key) it does not return.
    static func yamsOnly(_ file: SourceFile) -> (error: Diagnostic?, aliasOrTag: Bool) {
        let root: Node?
        do {
            let parser = try Parser(yaml: file.text, resolver: .basic, constructor: .default, encoding: .utf8)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            return (diagnostic(for: error, in: file), false)
        } catch {
            return (Diagnostic("yaml.syntax", .error, "the YAML could not be read", at: nil), false)
        }
        guard let root else { return (nil, false) }
        // In document order, marks never go back, except that an alias repeats its anchor's mark.
        let plainTags: Set<String> = ["tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"]
        var latest = (line: 0, column: 0)
        var stack = [root]
        while let node = stack.popLast() {
            guard plainTags.contains(node.tag.description) else { return (nil, true) }
            switch node {
            case .scalar(let scalar):
                // An empty scalar (an omitted value) is placed at the next token; it proves nothing.
                if scalar.string.isEmpty { continue }
            case .mapping(let mapping):
                for (key, value) in mapping.reversed() { stack.append(contentsOf: [value, key]) }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence.reversed())
            case .alias:
                return (nil, true)
            }
            guard let mark = node.mark else { continue }
            if (mark.line, mark.column) < latest { return (nil, true) }
            latest = (mark.line, mark.column)
        }
        return (nil, false)
    }
}
