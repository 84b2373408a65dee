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
                Diagnostic("yaml.syntax", .error, .vi("không đọc được tệp YAML", en: "the YAML could not be read"), at: file.range(line: 1, column: 1)))
        }
        guard let root else {
            throw DiagnosticsError(
                Diagnostic(
                    "yaml.empty", .error, .vi("tệp trống", en: "the file is empty"), at: file.range(line: 1, column: 1),
                    hint: .vi("tệp quy tắc bắt đầu bằng dòng 'criteria: 1'", en: "a rule file starts with 'criteria: 1'")))
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
                        "limits.nesting", .error, .vi("cấu trúc lồng nhau sâu quá giới hạn \(maxNesting) cấp", en: "nesting deeper than the limit of \(maxNesting) levels"),
                        at: at, hint: .vi("hãy giảm độ lồng của cấu trúc", en: "flatten the structure")))
            }
            return DocumentNode(.null, at: at)
        }

        /// A scalar (or an alias, which the pre-scan refuses before Yams runs).
        mutating func leaf(_ node: Node) -> DocumentNode {
            let at = range(node.mark)
            guard case .scalar(let scalar) = node else {
                diagnostics.emit(Diagnostic("yaml.alias", .error, .vi("không được dùng bí danh YAML (*tên)", en: "aliases (*name) are not allowed"), at: at))
                return DocumentNode(.null, at: at)
            }
            let length = scalar.string.unicodeScalars.count
            if length > limits.maxScalarLength {
                diagnostics.emit(
                    Diagnostic(
                        "limits.scalar-length", .error,
                        .vi("giá trị dài \(length) ký tự, vượt giới hạn \(limits.maxScalarLength)", en: "a value of \(length) characters is longer than the limit of \(limits.maxScalarLength)"),
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
            let notes = context.map { [DiagnosticNote(libraryWords($0.text), at: file.range(line: $0.mark.line, column: $0.mark.column))] } ?? []
            return syntaxDiagnostic(problem: problem, at: at, notes: notes)
        case .reader(let problem, let offset, _, _):
            // Yams turns libyaml's byte offset into an offset in `Character`s of the text it was given.
            let location = file.location(ofCharacterOffset: offset ?? 0)
            return Diagnostic(
                "yaml.syntax", .error, libraryWords(problem), at: SourceRange(file: file.path, start: location))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark
            let second = DuplicateKeyLocator.secondOccurrence(
                of: key, firstLine: first.line, firstColumn: first.column, in: file)
            return Diagnostic(
                "yaml.duplicate-key", .error,
                .vi("khoá '\(key)' bị lặp (đã có ở dòng \(first.line), cột \(first.column))", en: "duplicate key '\(key)' (first defined at \(first.line):\(first.column))"),
                at: file.range(line: second?.line ?? first.line, column: second?.column ?? first.column),
                notes: [DiagnosticNote(.vi("khai báo lần đầu ở đây", en: "first defined here"), at: file.range(line: first.line, column: first.column))],
                hint: .vi("hãy giữ một trong hai; mỗi khoá chỉ được xuất hiện một lần trong một bảng", en: "keep one of the two; a key may appear only once in a mapping"))
        default:
            return Diagnostic("yaml.syntax", .error, .vi("không đọc được tệp YAML", en: "the YAML could not be read"), at: file.range(line: 1, column: 1))
        }
    }

    /// The diagnostic for a libyaml scanner, parser or composer problem, with our hint; shared with the
    /// pre-scan, which reports scanner problems with libyaml's own words.
    static func syntaxDiagnostic(problem: String, at: SourceRange, notes: [DiagnosticNote]) -> Diagnostic {
        if problem.contains("but found another document") {
            return Diagnostic(
                "yaml.multiple-documents", .error, .vi("tệp chứa nhiều hơn một tài liệu YAML", en: "the file holds more than one YAML document"), at: at, notes: [],
                hint: .vi("hãy xoá dòng '---'; mỗi tệp chỉ chứa một tài liệu", en: "remove the '---' line; each file holds one document"))
        }
        if problem.contains("Maximum nesting level") {
            return Diagnostic("limits.nesting", .error, .vi("cấu trúc lồng sâu hơn mức YAML đọc được", en: "nesting deeper than YAML can read"), at: at,
                hint: .vi("hãy giảm độ lồng của cấu trúc", en: "flatten the structure"))
        }
        var hint: LocalizedText? = nil
        if problem.contains("mapping values are not allowed") {
            hint = .vi("giá trị có chứa ': ' phải đặt trong dấu nháy", en: "a value that contains ': ' must be put in quotes")
        } else if problem.contains("cannot start any token") {
            hint = .vi("ký tự này không thể mở đầu một giá trị; hãy đặt giá trị trong dấu nháy", en: "this character cannot start a value; put the value in quotes")
        } else if problem.contains("did not find expected") {
            hint = .vi("hãy kiểm tra ngoặc, dấu nháy và thụt lề ngay trước vị trí này", en: "check the brackets, quotes and indentation just before this point")
        }
        return Diagnostic("yaml.syntax", .error, libraryWords(problem), at: at, notes: notes, hint: hint)
    }

    /// libyaml's words (a problem such as "mapping values are not allowed in this context", or a
    /// context such as "while scanning a simple key"), with the Vietnamese of each phrase libyaml
    /// and the pre-scan say; a phrase not in the list is named as the YAML library's own words.
    static func libraryWords(_ english: String) -> LocalizedText {
        let phrases: [(String, String)] = [
            ("while scanning for the next token", "khi tìm ký hiệu tiếp theo"),
            ("found character that cannot start any token", "gặp ký tự không thể mở đầu một ký hiệu"),
            ("while scanning a simple key", "khi đọc một khoá"),
            ("could not find expected ':'", "không thấy dấu ':' cần có"),
            ("block sequence entries are not allowed in this context", "không được mở mục danh sách ('- ') ở vị trí này"),
            ("mapping keys are not allowed in this context", "không được đặt khoá ở vị trí này"),
            ("mapping values are not allowed in this context", "không được ghi giá trị 'khoá: giá trị' ở vị trí này"),
            ("while scanning a block scalar", "khi đọc một khối văn bản nhiều dòng"),
            ("found an indentation indicator equal to 0", "gặp chỉ số thụt lề bằng 0"),
            ("did not find expected comment or line break", "không thấy chú thích hoặc xuống dòng cần có"),
            ("found a tab character where an indentation space is expected", "gặp ký tự tab ở chỗ cần dấu cách thụt lề"),
            ("while scanning a quoted scalar", "khi đọc một giá trị trong dấu nháy"),
            ("while parsing a quoted scalar", "khi đọc một giá trị trong dấu nháy"),
            ("found unexpected document indicator", "gặp dấu bắt đầu tài liệu ('---' hoặc '...') không đúng chỗ"),
            ("found unexpected end of stream", "tệp kết thúc khi dấu nháy chưa đóng"),
            ("found unknown escape character", "gặp mã thoát (\\) không hợp lệ"),
            ("did not find expected hexdecimal number", "không thấy chữ số hệ 16 cần có"),
            ("found invalid Unicode character escape code", "gặp mã thoát ký tự Unicode không hợp lệ"),
            ("while scanning a plain scalar", "khi đọc một giá trị không có dấu nháy"),
            ("found unexpected ':'", "gặp dấu ':' không đúng chỗ"),
            ("found a tab character that violates indentation", "gặp ký tự tab làm sai thụt lề"),
            ("while parsing a block mapping", "khi đọc một bảng khoá"),
            ("while parsing a block collection", "khi đọc một danh sách"),
            ("while parsing a flow mapping", "khi đọc một bảng khoá trong ngoặc nhọn"),
            ("while parsing a flow sequence", "khi đọc một danh sách trong ngoặc vuông"),
            ("did not find expected key", "không thấy khoá cần có"),
            ("did not find expected '-' indicator", "không thấy dấu '-' cần có"),
            ("did not find expected ',' or '}'", "không thấy dấu ',' hoặc '}' cần có"),
            ("did not find expected ',' or ']'", "không thấy dấu ',' hoặc ']' cần có"),
            ("did not find expected node content", "không thấy nội dung giá trị cần có"),
            ("while parsing a block node", "khi đọc một giá trị"),
            ("while parsing a flow node", "khi đọc một giá trị trong ngoặc"),
            ("did not find expected <document start>", "không thấy phần bắt đầu tài liệu cần có"),
            ("invalid leading UTF-8 octet", "byte đầu của ký tự UTF-8 không hợp lệ"),
            ("invalid trailing UTF-8 octet", "byte sau của ký tự UTF-8 không hợp lệ"),
            ("incomplete UTF-8 octet sequence", "chuỗi byte UTF-8 bị cụt"),
            ("control characters are not allowed", "không được dùng ký tự điều khiển"),
        ]
        for (en, vi) in phrases where english.hasPrefix(en) {
            return .vi(vi + english.dropFirst(en.count), en: english)
        }
        return .vi("thư viện YAML báo lỗi cú pháp: \"\(english)\"", en: english)
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
            return (Diagnostic("yaml.syntax", .error, .vi("không đọc được tệp YAML", en: "the YAML could not be read"), at: nil), false)
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
