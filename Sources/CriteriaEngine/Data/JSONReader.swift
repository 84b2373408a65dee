/// Reads JSON text (RFC 8259) into the same `DocumentNode` tree the YAML reader produces.
///
/// The parser is strict and small, and works on the UTF-8 bytes of an already validated
/// `SourceFile`, so multi-megabyte files are read in one linear pass. Every node carries its 1-based
/// line and column; columns count Unicode scalars, as everywhere in Criteria.
///
/// What becomes what:
/// - a number keeps its raw text as `.scalar(text, .plain)`; it is never converted through `Double`,
///   so typing (`DecimalText`) sees exactly what was written;
/// - a string becomes `.scalar(text, .quoted)`, so `"12"` stays text;
/// - `true` and `false` become the plain scalars `true` and `false`;
/// - `null` becomes `.null`.
///
/// Problems reported: syntax errors at the offending character with what was expected
/// (`json.syntax`), an empty file (`json.empty`), a key repeated in one object (`data.duplicate-key`,
/// at the second key, with a note at the first), nesting deeper than the limit (`limits.nesting`,
/// checked before descending; nesting is read with an explicit stack, never recursion), and over-long strings and keys (`limits.scalar-length`,
/// `limits.key-length`). A syntax error stops the parse; the other problems are collected.
public enum JSONReader {
    /// Parses one JSON document.
    ///
    /// - Parameters:
    ///   - file: the validated source text (a leading byte-order mark is already removed).
    ///   - maxNesting: the deepest nesting allowed, counted in nodes from the root (the root is at
    ///     depth 1, a value inside it at depth 2), as the YAML reader counts.
    ///   - limits: string and key length limits and the diagnostic cap.
    /// - Returns: the root node.
    /// - Throws: `DiagnosticsError` with every problem found.
    public static func read(_ file: SourceFile, maxNesting: Int, limits: Limits = .default) throws(DiagnosticsError)
        -> DocumentNode
    {
        var parser = JSONParser(file: file, maxNesting: maxNesting, limits: limits)
        let root: DocumentNode
        do {
            root = try parser.parseDocument()
        } catch {
            parser.diagnostics.emit(error.diagnostic)
            throw DiagnosticsError(parser.diagnostics.sorted)
        }
        try parser.diagnostics.throwIfErrors()
        return root
    }
}

/// A problem that stops the parse.
private struct JSONStop: Error {
    var diagnostic: Diagnostic
}

/// The parser's state: a cursor over the UTF-8 bytes with its line and column.
private struct JSONParser {
    let path: String
    let bytes: [UInt8]
    let maxNesting: Int
    let limits: Limits
    var diagnostics: DiagnosticCollector
    /// The offset of the next byte to read.
    var index = 0
    /// The 1-based line of `bytes[index]`.
    var line = 1
    /// The 1-based column, in Unicode scalars, of `bytes[index]`.
    var column = 1

    init(file: SourceFile, maxNesting: Int, limits: Limits) {
        self.path = file.path
        self.bytes = Array(file.text.utf8)
        self.maxNesting = maxNesting
        self.limits = limits
        self.diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
    }

    // MARK: Cursor

    var atEnd: Bool { index >= bytes.count }
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }
    var here: SourceRange { SourceRange(file: path, line: line, column: column) }

    /// Moves past one byte that is not a line end; the column advances on the first byte of each
    /// scalar only, so it counts scalars.
    mutating func advance() {
        if bytes[index] & 0xC0 != 0x80 { column += 1 }
        index += 1
    }

    /// Skips JSON whitespace, counting lines.
    mutating func skipWhitespace() {
        bytes.withUnsafeBufferPointer { JSONWhitespace.skip($0, &index, &line, &column) }
    }

    /// A description of what stands at the cursor, for messages: `'x'`, `U+0007` or `the end of the file`.
    func found() -> LocalizedText {
        guard index < bytes.count else { return .vi("cuối tệp", en: "the end of the file") }
        var end = index + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 && end - index < 4 { end += 1 }
        guard let text = String(validating: bytes[index..<end], as: UTF8.self), let scalar = text.unicodeScalars.first
        else { return .vi("một ký tự không đọc được", en: "an unreadable character") }
        if scalar.value < 0x20 || scalar.value == 0x7F {
            return .vi("ký tự điều khiển U+" + Self.hex4(scalar.value), en: "the control character U+" + Self.hex4(scalar.value))
        }
        return .same("'\(text)'")
    }

    /// The word (letters, digits, `_`, `.`, `+`, `-`) at the cursor, for messages about bare words.
    func word() -> String {
        var end = index
        while end < bytes.count, end - index < 40 {
            let b = bytes[end]
            let isWordByte =
                (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
                || b == 0x2E || b == 0x2B || b == 0x2D
            if !isWordByte { break }
            end += 1
        }
        return String(validating: bytes[index..<end], as: UTF8.self) ?? ""
    }

    func stop(_ message: LocalizedText, hint: LocalizedText? = nil, at range: SourceRange? = nil) -> JSONStop {
        JSONStop(diagnostic: Diagnostic("json.syntax", .error, message, at: range ?? here, hint: hint))
    }

    // MARK: Grammar

    mutating func parseDocument() throws(JSONStop) -> DocumentNode {
        skipWhitespace()
        if atEnd {
            throw JSONStop(
                diagnostic: Diagnostic(
                    "json.empty", .error, .vi("tệp trống; cần một đối tượng JSON", en: "the file is empty; expected a JSON object"), at: here,
                    hint: .vi("bộ dữ liệu bắt đầu bằng {\"dataset\": 1, …}", en: "a dataset starts with {\"dataset\": 1, …}")))
        }
        let root = try parseTree()
        skipWhitespace()
        if !atEnd {
            throw stop(
                .vi("sau giá trị JSON phải là cuối tệp, nhưng gặp \(found().vi)", en: "expected the end of the file after the JSON value, found \(found().english)"),
                hint: .vi("mỗi tệp chỉ chứa một giá trị JSON; hãy bỏ phần phía sau, hoặc kiểm tra xem có thiếu dấu ',' hay thừa dấu '}' không", en: "a file holds one JSON value; remove what follows it, or check for a missing ',' or an extra '}'"))
        }
        return root
    }

    /// An object or array whose values are being read.
    enum OpenContainer {
        /// An object: where it starts, its pairs so far, where each key was first written, and the key
        /// whose value is being read.
        case object(start: SourceRange, pairs: [DocumentNode.Pair], firstKeyAt: [String: SourceRange], key: (text: String, at: SourceRange))
        /// An array: where it starts and its items so far.
        case array(start: SourceRange, items: [DocumentNode])
    }

    /// Reads one value and everything nested in it, with an explicit stack of open objects and arrays
    /// instead of recursion, so that nesting costs no thread stack. A value at depth d (the root at 1)
    /// deeper than `maxNesting` stops the parse where it starts.
    mutating func parseTree() throws(JSONStop) -> DocumentNode {
        var stack: [OpenContainer] = []
        while true {
            var value = try parseValueOrOpen(depth: stack.count + 1, &stack)
            // A finished value: add it to the container on top, and close every container that ends here.
            while let finished = value {
                guard var top = stack.popLast() else { return finished }
                value = try add(finished, to: &top, &stack)
            }
        }
    }

    /// Reads a value at `depth`: a scalar or an empty object or array is returned; a non-empty object
    /// or array is pushed on `stack` (its first key read), and `nil` returned.
    mutating func parseValueOrOpen(depth: Int, _ stack: inout [OpenContainer]) throws(JSONStop) -> DocumentNode? {
        guard let byte = current else {
            throw stop(.vi("cần một giá trị, nhưng tệp đã hết", en: "expected a value, found the end of the file"), hint: .vi("tệp kết thúc quá sớm; hãy kiểm tra xem có thiếu '}' hoặc ']' không", en: "the file ends too early; check for a missing '}' or ']'"))
        }
        if depth > maxNesting {
            throw JSONStop(
                diagnostic: Diagnostic(
                    "limits.nesting", .error, .vi("cấu trúc lồng nhau sâu quá giới hạn \(maxNesting) cấp", en: "nesting deeper than the limit of \(maxNesting) levels"), at: here,
                    hint: .vi("hãy giảm độ lồng của cấu trúc", en: "flatten the structure")))
        }
        switch byte {
        case UInt8(ascii: "{"):
            let start = here
            advance()  // {
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                advance()
                return DocumentNode(.mapping([]), at: start)
            }
            var firstKeyAt: [String: SourceRange] = [:]
            let key = try parseKey(isFirst: true, firstKeyAt: &firstKeyAt)
            stack.append(.object(start: start, pairs: [], firstKeyAt: firstKeyAt, key: key))
            return nil
        case UInt8(ascii: "["):
            let start = here
            advance()  // [
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                advance()
                return DocumentNode(.sequence([]), at: start)
            }
            skipWhitespace()
            stack.append(.array(start: start, items: []))
            return nil
        case UInt8(ascii: "\""):
            let start = here
            let text = try parseString()
            checkLength(text, limit: limits.maxScalarLength, id: "limits.scalar-length", what: .vi("một chuỗi", en: "a string"), at: start)
            return DocumentNode(.scalar(text, .quoted), at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return try parseLiteral()
        default:
            throw unexpectedValue()
        }
    }

    /// Adds a finished value to a container; returns the container itself when its closing bracket
    /// follows (it is finished too), or `nil` after pushing it back to read its next value.
    ///
    /// `container` is emptied first, so that its list (or pairs and keys) is held once and grows in
    /// place: a list of 100 000 items was copied at every item, quadratic work on the error path.
    mutating func add(_ value: DocumentNode, to container: inout OpenContainer, _ stack: inout [OpenContainer])
        throws(JSONStop) -> DocumentNode?
    {
        skipWhitespace()
        switch container {
        case .array(let start, var items):
            container = .array(start: start, items: [])
            items.append(value)
            switch current {
            case UInt8(ascii: ","):
                advance()
                skipWhitespace()
                stack.append(.array(start: start, items: items))
                return nil
            case UInt8(ascii: "]"):
                advance()
                return DocumentNode(.sequence(items), at: start)
            default:
                throw stop(
                    .vi("sau một mục của danh sách cần ',' hoặc ']', nhưng gặp \(found().vi)", en: "expected ',' or ']' after a list item, found \(found().english)"),
                    hint: atEnd ? .vi("danh sách mở ở dòng \(start.start.line), cột \(start.start.column) chưa được đóng", en: "the list opened at \(start.start.line):\(start.start.column) is not closed") : .vi("hãy ngăn cách các mục của danh sách bằng ','", en: "separate the items of a list with ','"))
            }
        case .object(let start, var pairs, var firstKeyAt, let key):
            container = .array(start: start, items: [])
            pairs.append(DocumentNode.Pair(key: DocumentNode(.scalar(key.text, .quoted), at: key.at), value: value))
            switch current {
            case UInt8(ascii: ","):
                advance()
                let next = try parseKey(isFirst: false, firstKeyAt: &firstKeyAt)
                stack.append(.object(start: start, pairs: pairs, firstKeyAt: firstKeyAt, key: next))
                return nil
            case UInt8(ascii: "}"):
                advance()
                return DocumentNode(.mapping(pairs), at: start)
            default:
                throw stop(
                    .vi("sau giá trị của '\(Self.shorten(key.text))' cần ',' hoặc '}', nhưng gặp \(found().vi)", en: "expected ',' or '}' after the value of '\(Self.shorten(key.text))', found \(found().english)"),
                    hint: atEnd ? .vi("đối tượng mở ở dòng \(start.start.line), cột \(start.start.column) chưa được đóng", en: "the object opened at \(start.start.line):\(start.start.column) is not closed") : .vi("hãy ngăn cách các mục của đối tượng bằng ','", en: "separate the entries of an object with ','"))
            }
        }
    }

    /// Reads a key and its `:` (and the spaces after it), reporting a key repeated in the object.
    mutating func parseKey(isFirst: Bool, firstKeyAt: inout [String: SourceRange]) throws(JSONStop) -> (text: String, at: SourceRange) {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else {
            if current == UInt8(ascii: "}") {
                throw stop(
                    .vi("sau ',' cần một khoá trong dấu nháy kép, nhưng gặp '}'", en: "expected a key in double quotes after ',', found '}'"),
                    hint: .vi("JSON không cho phép dấu phẩy ngay trước dấu đóng ngoặc; hãy bỏ dấu ',' cuối cùng", en: "JSON does not allow a comma before a closing bracket; remove the last ','"))
            }
            let hint: LocalizedText?
            switch current {
            case UInt8(ascii: "'"):
                hint = .vi("khoá JSON dùng dấu nháy kép (\"…\"), không dùng nháy đơn", en: "JSON keys use double quotes (\"…\"), not single quotes")
            case .some(let b) where isDigit(b) && !isFirst:
                hint = .vi("nếu số trước dấu ',' có phần thập phân, hãy viết dấu chấm thập phân (1.5, không viết 1,5)", en: "if the number before the ',' has a decimal part, write a decimal point (1.5, not 1,5)")
            case .some(let b) where (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F:
                hint = .vi("hãy đặt khoá trong dấu nháy kép: \"\(word())\"", en: "put the key in double quotes: \"\(word())\"")
            case UInt8(ascii: "/"), UInt8(ascii: "#"):
                hint = .vi("JSON không cho phép chú thích; hãy bỏ chúng", en: "JSON does not allow comments; remove them")
            default:
                hint = nil
            }
            throw stop(.vi("cần một khoá trong dấu nháy kép, nhưng gặp \(found().vi)", en: "expected a key in double quotes, found \(found().english)"), hint: hint)
        }
        let keyAt = here
        let key = try parseString()
        checkLength(key, limit: limits.maxKeyLength, id: "limits.key-length", what: .vi("một khoá", en: "a key"), at: keyAt)
        if let first = firstKeyAt[key] {
            diagnostics.emit(
                Diagnostic(
                    "data.duplicate-key", .error,
                    .vi("khoá '\(Self.shorten(key))' bị lặp (đã có ở dòng \(first.start.line), cột \(first.start.column))", en: "duplicate key '\(Self.shorten(key))' (first defined at \(first.start.line):\(first.start.column))"),
                    at: keyAt, notes: [DiagnosticNote(.vi("khai báo lần đầu ở đây", en: "first defined here"), at: first)],
                    hint: .vi("hãy giữ một trong hai; mỗi khoá chỉ được xuất hiện một lần trong một đối tượng", en: "keep one of the two; a key may appear only once in an object")))
        } else {
            firstKeyAt[key] = keyAt
        }
        skipWhitespace()
        guard current == UInt8(ascii: ":") else {
            throw stop(.vi("sau khoá '\(Self.shorten(key))' cần ':', nhưng gặp \(found().vi)", en: "expected ':' after the key '\(Self.shorten(key))', found \(found().english)"))
        }
        advance()
        skipWhitespace()
        return (key, keyAt)
    }

    /// The error for something that cannot start a value, with a hint for the usual mistakes.
    func unexpectedValue() -> JSONStop {
        let byte = current
        let expected = LocalizedText.vi("cần một giá trị (đối tượng, danh sách, chuỗi trong dấu nháy kép, số, true, false hoặc null)", en: "expected a value (an object, a list, a string in double quotes, a number, true, false or null)")
        switch byte {
        case UInt8(ascii: "'"):
            return stop(.vi("\(expected.vi), nhưng gặp \(found().vi)", en: "\(expected.english), found \(found().english)"), hint: .vi("chuỗi JSON dùng dấu nháy kép (\"…\"), không dùng nháy đơn", en: "JSON strings use double quotes (\"…\"), not single quotes"))
        case UInt8(ascii: "/"), UInt8(ascii: "#"):
            return stop(.vi("\(expected.vi), nhưng gặp \(found().vi)", en: "\(expected.english), found \(found().english)"), hint: .vi("JSON không cho phép chú thích; hãy bỏ chúng", en: "JSON does not allow comments; remove them"))
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
            return stop(.vi("\(expected.vi), nhưng gặp \(found().vi)", en: "\(expected.english), found \(found().english)"), hint: .vi("JSON không cho phép dấu phẩy ngay trước dấu đóng ngoặc; hãy bỏ dấu ',' cuối cùng", en: "JSON does not allow a comma before a closing bracket; remove the last ','"))
        case UInt8(ascii: "."), UInt8(ascii: "+"):
            return stop(.vi("\(expected.vi), nhưng gặp \(found().vi)", en: "\(expected.english), found \(found().english)"), hint: .vi("hãy viết số bắt đầu bằng chữ số và không có '+': 0.5, không viết .5 hay +0.5", en: "write numbers with a digit first and no '+': 0.5, not .5 or +0.5"))
        case .some(let b) where (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A):
            let w = word()
            let lower = w.lowercased()
            let hint: LocalizedText
            if lower == "true" || lower == "false" || lower == "null" {
                hint = .vi("hãy viết \(lower) bằng chữ thường", en: "write \(lower) in lower case")
            } else if ["nan", "infinity", "inf"].contains(lower) {
                hint = .vi("JSON không có NaN hay vô cực, và Criteria cũng không nhận; hãy bỏ trống dữ kiện nếu chưa biết", en: "JSON has no NaN or infinity, and Criteria accepts neither; leave the fact out if it is unknown")
            } else {
                hint = .vi("hãy đặt văn bản trong dấu nháy kép: \"\(w)\"", en: "put text in double quotes: \"\(w)\"")
            }
            return stop(.vi("\(expected.vi), nhưng gặp '\(w)'", en: "\(expected.english), found '\(w)'"), hint: hint)
        default:
            return stop(.vi("\(expected.vi), nhưng gặp \(found().vi)", en: "\(expected.english), found \(found().english)"))
        }
    }

    /// Reads a string; the cursor is on its opening quote.
    mutating func parseString() throws(JSONStop) -> String {
        let open = here
        advance()  // "
        var buffer: [UInt8] = []
        var segmentStart = index
        while true {
            guard index < bytes.count else {
                throw stop(
                    .vi("cần '\"' để đóng chuỗi mở ở dòng \(open.start.line), cột \(open.start.column), nhưng tệp đã hết", en: "expected '\"' to close the string opened at \(open.start.line):\(open.start.column), found the end of the file"),
                    at: open)
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                buffer.append(contentsOf: bytes[segmentStart..<index])
                advance()
                break
            }
            if byte < 0x20 {
                if byte == 0x0A || byte == 0x0D {
                    throw stop(
                        .vi("cần '\"' để đóng chuỗi mở ở dòng \(open.start.line), cột \(open.start.column), nhưng dòng đã hết", en: "expected '\"' to close the string opened at \(open.start.line):\(open.start.column), found the end of the line"),
                        hint: .vi("chuỗi JSON không được kéo sang dòng khác; hãy viết dấu xuống dòng là \\n", en: "a JSON string cannot span lines; write a line break as \\n"))
                }
                throw stop(
                    .vi("ký tự điều khiển (U+\(Self.hex4(UInt32(byte)))) phải được viết dạng mã thoát trong chuỗi", en: "a control character (U+\(Self.hex4(UInt32(byte)))) must be escaped inside a string"),
                    hint: .vi("hãy viết thành \\u\(Self.hex4(UInt32(byte))), hoặc bỏ đi", en: "write it as \\u\(Self.hex4(UInt32(byte))), or remove it"))
            }
            if byte == UInt8(ascii: "\\") {
                buffer.append(contentsOf: bytes[segmentStart..<index])
                try parseEscape(into: &buffer)
                segmentStart = index
                continue
            }
            advance()
        }
        guard let text = String(validating: buffer, as: UTF8.self) else {
            throw stop(.vi("chuỗi không phải UTF-8 hợp lệ", en: "the string is not valid UTF-8"), at: open)
        }
        return text
    }

    /// Reads one escape sequence; the cursor is on the backslash.
    mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONStop) {
        let at = here
        advance()  // backslash
        guard let byte = current else { throw stop(.vi("sau '\\' cần một mã thoát, nhưng tệp đã hết", en: "expected an escape after '\\', found the end of the file")) }
        let simple: UInt8?
        switch byte {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default:
            throw stop(
                .vi("sau '\\' cần một mã thoát (\\\" \\\\ \\/ \\b \\f \\n \\r \\t hoặc \\uXXXX), nhưng gặp \(found().vi)", en: "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX) after '\\', found \(found().english)"),
                hint: .vi("dấu gạch chéo ngược viết là \\\\", en: "write a backslash itself as \\\\"), at: at)
        }
        advance()
        if let simple {
            buffer.append(simple)
            return
        }
        var value = try parseHex4(escapeAt: at)
        if (0xD800...0xDBFF).contains(value) {
            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw stop(.vi("nửa cặp thay thế \\u\(Self.hex4(value)) đứng riêng không phải là một ký tự", en: "a lone surrogate \\u\(Self.hex4(value)) is not a character"), hint: .vi("hãy viết chính ký tự đó, hoặc cả hai nửa của cặp thay thế", en: "write the character itself, or both halves of its surrogate pair"), at: at)
            }
            advance()
            advance()
            let low = try parseHex4(escapeAt: at)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw stop(.vi("nửa cặp thay thế \\u\(Self.hex4(value)) đứng riêng không phải là một ký tự", en: "a lone surrogate \\u\(Self.hex4(value)) is not a character"), hint: .vi("hãy viết chính ký tự đó, hoặc cả hai nửa của cặp thay thế", en: "write the character itself, or both halves of its surrogate pair"), at: at)
            }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(value) {
            throw stop(.vi("nửa cặp thay thế \\u\(Self.hex4(value)) đứng riêng không phải là một ký tự", en: "a lone surrogate \\u\(Self.hex4(value)) is not a character"), hint: .vi("hãy viết chính ký tự đó, hoặc cả hai nửa của cặp thay thế", en: "write the character itself, or both halves of its surrogate pair"), at: at)
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw stop(.vi("\\u\(Self.hex4(value)) không phải là một ký tự", en: "\\u\(Self.hex4(value)) is not a character"), at: at)
        }
        buffer.append(contentsOf: String(Character(scalar)).utf8)
    }

    mutating func parseHex4(escapeAt: SourceRange) throws(JSONStop) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else {
                throw stop(.vi("sau \\u cần bốn chữ số hệ 16, nhưng tệp đã hết", en: "expected four hexadecimal digits after \\u, found the end of the file"), at: escapeAt)
            }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw stop(.vi("sau \\u cần bốn chữ số hệ 16, nhưng gặp \(found().vi)", en: "expected four hexadecimal digits after \\u, found \(found().english)"))
            }
            value = value * 16 + digit
            advance()
        }
        return value
    }

    /// Reads a number by the RFC 8259 grammar `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` and
    /// keeps its text.
    mutating func parseNumber() throws(JSONStop) -> DocumentNode {
        let start = here
        let startIndex = index
        if current == UInt8(ascii: "-") { advance() }
        guard let first = current, isDigit(first) else {
            throw stop(.vi("sau '-' cần một chữ số, nhưng gặp \(found().vi)", en: "expected a digit after '-', found \(found().english)"))
        }
        advance()
        if first == UInt8(ascii: "0"), let next = current, isDigit(next) {
            throw stop(
                .vi("số JSON không được bắt đầu bằng 0, nhưng sau nó lại có \(found().vi)", en: "a JSON number may not start with 0, found \(found().english) after it"),
                hint: .vi("nếu đây là mã số như 01234, hãy viết thành chuỗi trong dấu nháy kép: \"01234\"", en: "if this is a code such as 01234, write it as a string in double quotes: \"01234\""), at: start)
        }
        while let b = current, isDigit(b) { advance() }
        if current == UInt8(ascii: ".") {
            advance()
            guard let b = current, isDigit(b) else {
                throw stop(.vi("sau dấu chấm thập phân cần một chữ số, nhưng gặp \(found().vi)", en: "expected a digit after the decimal point, found \(found().english)"), hint: .vi("hãy viết 1.0 hoặc 1, không viết 1.", en: "write 1.0 or 1, not 1."))
            }
            while let b = current, isDigit(b) { advance() }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            advance()
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { advance() }
            guard let b = current, isDigit(b) else {
                throw stop(.vi("phần số mũ cần một chữ số, nhưng gặp \(found().vi)", en: "expected a digit in the exponent, found \(found().english)"))
            }
            while let b = current, isDigit(b) { advance() }
        }
        guard let text = String(validating: bytes[startIndex..<index], as: UTF8.self) else {
            throw stop(.vi("số không phải UTF-8 hợp lệ", en: "the number is not valid UTF-8"), at: start)  // unreachable: ASCII only
        }
        checkLength(text, limit: limits.maxScalarLength, id: "limits.scalar-length", what: .vi("một số", en: "a number"), at: start)
        return DocumentNode(.scalar(text, .plain), at: start)
    }

    /// Reads `true`, `false` or `null`, exactly as written.
    mutating func parseLiteral() throws(JSONStop) -> DocumentNode {
        let start = here
        let w = word()
        let node: DocumentNode.Kind
        switch w {
        case "true": node = .scalar("true", .plain)
        case "false": node = .scalar("false", .plain)
        case "null": node = .null
        default: throw unexpectedValue()
        }
        for _ in 0..<w.utf8.count { advance() }
        return DocumentNode(node, at: start)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func checkLength(_ text: String, limit: Int, id: DiagnosticID, what: LocalizedText, at range: SourceRange) {
        guard text.utf8.count > limit else { return }  // a scalar is at least one byte: a cheap first test
        let count = text.unicodeScalars.count
        if count > limit {
            diagnostics.emit(
                Diagnostic(id, .error, .vi("\(what.vi) dài \(count) ký tự, vượt giới hạn \(limit)", en: "\(what.english) of \(count) characters is longer than the limit of \(limit)"), at: range))
        }
    }

    static func hex4(_ value: UInt32) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    /// A key or value shortened for a message, so that hostile input is never echoed in full.
    static func shorten(_ text: String) -> String { QuotedInput.body(text) }
}

/// JSON's whitespace, skipped the same way by both JSON readers.
enum JSONWhitespace {
    /// Moves `index` past spaces, tabs, line feeds and carriage returns, counting lines and columns;
    /// `\r\n` is one line end.
    @inline(__always)
    static func skip(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ line: inout Int, _ column: inout Int) {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09:
                index += 1
                column += 1
            case 0x0A:
                index += 1
                line += 1
                column = 1
            case 0x0D:
                index += 1
                if index < bytes.count && bytes[index] == 0x0A { index += 1 }
                line += 1
                column = 1
            default:
                return
            }
        }
    }
}
