/// A lexical pass over YAML text that refuses what Criteria never accepts, before Yams sees it.
///
/// It exists because one input (an alias used as a mapping key) makes Yams itself hang, so the check
/// cannot wait for the parse. It refuses:
/// - anchors (`&a`), aliases (`*a`), tags (`!t`, `!!str`) and merge keys (`<<`);
/// - tabs where YAML expects indentation;
/// - raw control, bidirectional, zero-width and line-separator characters, and the characters
///   libyaml's reader refuses (so no reader error, which has no line and column, reaches Yams);
/// - plain or quoted keys longer than the key limit;
/// - collections nested deeper than the nesting limit (so that, for any limit below 500, libyaml's own
///   limit of 1000 levels is never reached).
///
/// To know where a node starts, it runs the token scanner of libyaml 0.2.5 (the one vendored by Yams
/// 6.2.2) without building values: the same rules for plain, quoted and block scalars, flow levels,
/// indentation and simple keys. So an `&`, `*` or `!` is reported exactly when libyaml would read an
/// anchor, alias or tag there, and an expression such as `a <= b * 95%` or `a != b` inside a plain
/// scalar is left alone. A scanner error (for example `a: b: c`) is reported with libyaml's
/// problem and position, and the text never reaches Yams.
///
/// After it has reported a refusal it keeps scanning to report more, but it no longer has to agree
/// with libyaml: the file is refused anyway.
struct YAMLPreScan {
    let file: SourceFile
    let limits: Limits
    /// The deepest nesting of collections allowed; deeper input stops the scan.
    let maxNesting: Int
    private(set) var diagnostics: DiagnosticCollector

    /// Creates a pre-scan of `file`. `maxNesting` defaults to the rule file limit.
    init(file: SourceFile, limits: Limits, maxNesting: Int? = nil) {
        self.file = file
        self.limits = limits
        self.maxNesting = maxNesting ?? limits.maxRuleNesting
        self.diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
    }

    /// Runs the character check and the token scan, collecting diagnostics.
    mutating func run() {
        checkCharacters()
        text = Array(file.text.unicodeScalars)
        do {
            try scanStream()
        } catch {
            switch error {
            case .nesting(let at):
                emit(
                    "limits.nesting", .vi("cấu trúc lồng nhau sâu quá giới hạn \(maxNesting) cấp", en: "nesting deeper than the limit of \(maxNesting) levels"), at: at,
                    hint: .vi("hãy giảm độ lồng của cấu trúc", en: "flatten the structure"))
            case .scanner(let problem):
                report(problem)
            }
        }
    }

    // MARK: - Characters

    private mutating func checkCharacters() {
        for (lineIndex, line) in file.lines.enumerated() {
            var column = 0
            for scalar in line.unicodeScalars {
                column += 1
                guard let what = YAMLPreScan.forbiddenCharacter(scalar) else { continue }
                diagnostics.emit(
                    Diagnostic(
                        "source.control-character", .error, .vi("không được dùng \(what.vi)", en: "\(what.english) is not allowed"),
                        at: file.range(line: lineIndex + 1, column: column),
                        hint: .vi("hãy xoá ký tự vô hình này; trong văn bản tự do, hãy viết nó ở dạng mã thoát trong dấu nháy kép (\"\\u…\")", en: "delete the invisible character; in free text write it escaped in double quotes (\"\\u…\")")))
            }
        }
    }

    /// What is wrong with a character that may not appear raw in a YAML file, or `nil` if it may.
    static func forbiddenCharacter(_ scalar: Unicode.Scalar) -> LocalizedText? {
        // Tab and the line ends are YAML's own; every other invisible character is refused
        // (`DisplayText.invisible`, the one list of them).
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return nil }
        return DisplayText.invisible(scalar).map {
            .vi("ký tự vô hình \(DisplayText.codePoint(scalar))", en: "\($0.description) (\(DisplayText.codePoint(scalar)))")
        }
    }

    // MARK: - Scanner state (libyaml's `yaml_parser_t` fields of the same names)

    /// A 0-based position, as libyaml counts it: `index` and `column` in Unicode scalars.
    private struct Mark {
        var index = 0
        var line = 0
        var column = 0
    }

    private struct SimpleKey {
        var possible = false
        var required = false
        var mark = Mark()
    }

    private struct ScanError {
        var context: String?
        var contextMark: Mark?
        var problem: String
        var mark: Mark
        var isTab = false
    }

    private enum Stop: Error {
        case scanner(ScanError)
        case nesting(Mark)
    }

    private var text: [Unicode.Scalar] = []
    private var mark = Mark()
    private var flowLevel = 0
    private var indent = -1
    private var indents: [Int] = []
    private var simpleKeyAllowed = true
    private var simpleKeys: [SimpleKey] = [SimpleKey()]
    /// The start of a key already reported as too long: it is not expired at libyaml's 1024 limit.
    private var longKeyStart: Int? = nil

    // MARK: - Characters at the cursor

    private func at(_ k: Int = 0) -> Unicode.Scalar? {
        let i = mark.index + k
        return i < text.count ? text[i] : nil
    }
    private func check(_ c: Unicode.Scalar, _ k: Int = 0) -> Bool { at(k) == c }
    private func isZ(_ k: Int = 0) -> Bool { at(k) == nil }
    private func isBlank(_ k: Int = 0) -> Bool { check(" ", k) || check("\t", k) }
    private func isBreak(_ k: Int = 0) -> Bool { check("\n", k) || check("\r", k) }
    private func isBreakZ(_ k: Int = 0) -> Bool { isBreak(k) || isZ(k) }
    private func isBlankZ(_ k: Int = 0) -> Bool { isBlank(k) || isBreakZ(k) }
    private func isDocumentIndicator() -> Bool {
        mark.column == 0
            && ((check("-") && check("-", 1) && check("-", 2)) || (check(".") && check(".", 1) && check(".", 2)))
            && isBlankZ(3)
    }
    private static func isAlpha(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return ("0"..."9").contains(c) || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == "-"
    }
    private static func hexValue(_ c: Unicode.Scalar?) -> UInt64? {
        guard let c else { return nil }
        switch c {
        case "0"..."9": return UInt64(c.value - 0x30)
        case "a"..."f": return UInt64(c.value - 0x61 + 10)
        case "A"..."F": return UInt64(c.value - 0x41 + 10)
        default: return nil
        }
    }

    private mutating func skip() {
        mark.index += 1
        mark.column += 1
    }

    /// Consumes one line break (`\r\n` counts as one), if there is one.
    private mutating func skipLine() {
        if check("\r") && check("\n", 1) {
            mark.index += 2
        } else if isBreak() {
            mark.index += 1
        } else {
            return
        }
        mark.line += 1
        mark.column = 0
    }

    private func failure(_ context: String?, _ contextMark: Mark?, _ problem: String, isTab: Bool = false) -> Stop {
        .scanner(ScanError(context: context, contextMark: contextMark, problem: problem, mark: mark, isTab: isTab))
    }

    // MARK: - Token dispatch (`yaml_parser_fetch_next_token`)

    private mutating func scanStream() throws(Stop) {
        while true {
            try scanToNextToken()
            try staleSimpleKeys()
            unrollIndent(mark.column)
            guard let c = at() else {
                // libyaml moves the mark to a new line before STREAM-END, then checks the keys again.
                if mark.column != 0 {
                    mark.column = 0
                    mark.line += 1
                }
                unrollIndent(-1)
                try removeSimpleKey()
                simpleKeyAllowed = false
                try staleSimpleKeys()
                return
            }
            if mark.column == 0 && c == "%" {
                try fetchDirective()
            } else if mark.column == 0 && isDocumentIndicator() {
                unrollIndent(-1)
                try removeSimpleKey()
                simpleKeyAllowed = false
                skip()
                skip()
                skip()
            } else if c == "[" || c == "{" {
                try saveSimpleKey()
                try increaseFlowLevel()
                simpleKeyAllowed = true
                skip()
            } else if c == "]" || c == "}" {
                try removeSimpleKey()
                if flowLevel > 0 {
                    flowLevel -= 1
                    simpleKeys.removeLast()
                }
                simpleKeyAllowed = false
                skip()
            } else if c == "," {
                try removeSimpleKey()
                simpleKeyAllowed = true
                skip()
            } else if c == "-" && isBlankZ(1) {
                try fetchBlockEntry()
            } else if c == "?" && (flowLevel > 0 || isBlankZ(1)) {
                try fetchKey()
            } else if c == ":" && (flowLevel > 0 || isBlankZ(1)) {
                try fetchValue()
            } else if c == "*" || c == "&" {
                try saveSimpleKey()
                simpleKeyAllowed = false
                fetchAnchor(alias: c == "*")
            } else if c == "!" {
                try saveSimpleKey()
                simpleKeyAllowed = false
                fetchTag()
            } else if (c == "|" || c == ">") && flowLevel == 0 {
                try removeSimpleKey()
                simpleKeyAllowed = true
                try scanBlockScalar()
            } else if c == "'" || c == "\"" {
                try saveSimpleKey()
                simpleKeyAllowed = false
                let start = mark
                try scanQuotedScalar(single: c == "'")
                checkKey(start: start, end: mark, length: mark.index - start.index - 2, plain: false)
            } else if startsPlainScalar(c) {
                try saveSimpleKey()
                simpleKeyAllowed = false
                let start = mark
                let end = try scanPlainScalar()
                checkKey(start: start, end: end, length: end.index - start.index, plain: true)
            } else {
                throw failure(
                    "while scanning for the next token", mark, "found character that cannot start any token",
                    isTab: c == "\t")
            }
            // `yaml_parser_fetch_more_tokens` checks the keys again right after each token.
            try staleSimpleKeys()
        }
    }

    /// `,`, `[`, `]`, `{` and `}`, which end a plain scalar in a flow collection.
    private static let flowIndicators: Set<Unicode.Scalar> = [",", "[", "]", "{", "}"]
    /// The characters that cannot start a plain scalar (some can when followed by a non-space).
    private static let indicators: Set<Unicode.Scalar> = [
        "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`",
    ]

    private func startsPlainScalar(_ c: Unicode.Scalar) -> Bool {
        !(isBlankZ() || YAMLPreScan.indicators.contains(c))
            || (c == "-" && !isBlank(1))
            || (flowLevel == 0 && (c == "?" || c == ":") && !isBlankZ(1))
    }

    /// Skips spaces, tabs where they are not indentation, comments and line breaks.
    private mutating func scanToNextToken() throws(Stop) {
        while true {
            if mark.column == 0 && check("\u{FEFF}") { skip() }
            while check(" ") || ((flowLevel > 0 || !simpleKeyAllowed) && check("\t")) { skip() }
            if check("#") {
                while !isBreakZ() { skip() }
            }
            guard isBreak() else { return }
            skipLine()
            if flowLevel == 0 { simpleKeyAllowed = true }
        }
    }

    // MARK: - Simple keys and indentation

    private mutating func staleSimpleKeys() throws(Stop) {
        for i in simpleKeys.indices {
            let key = simpleKeys[i]
            let tooLong = key.mark.index + 1024 < mark.index && key.mark.index != longKeyStart
            if key.possible && (key.mark.line < mark.line || tooLong) {
                if key.required {
                    throw failure("while scanning a simple key", key.mark, "could not find expected ':'")
                }
                simpleKeys[i].possible = false
            }
        }
    }

    private mutating func saveSimpleKey() throws(Stop) {
        let required = flowLevel == 0 && indent == mark.column
        if simpleKeyAllowed {
            try removeSimpleKey()
            simpleKeys[simpleKeys.count - 1] = SimpleKey(possible: true, required: required, mark: mark)
        }
    }

    private mutating func removeSimpleKey() throws(Stop) {
        let key = simpleKeys[simpleKeys.count - 1]
        if key.possible && key.required {
            throw failure("while scanning a simple key", key.mark, "could not find expected ':'")
        }
        simpleKeys[simpleKeys.count - 1].possible = false
    }

    private mutating func increaseFlowLevel() throws(Stop) {
        simpleKeys.append(SimpleKey())
        flowLevel += 1
        if flowLevel + indents.count > maxNesting { throw .nesting(mark) }
    }

    private mutating func rollIndent(_ column: Int, at position: Mark) throws(Stop) {
        guard flowLevel == 0, indent < column else { return }
        indents.append(indent)
        indent = column
        if indents.count > maxNesting { throw .nesting(position) }
    }

    private mutating func unrollIndent(_ column: Int) {
        guard flowLevel == 0 else { return }
        while indent > column, let previous = indents.popLast() { indent = previous }
    }

    // MARK: - Indicators

    private mutating func fetchDirective() throws(Stop) {
        unrollIndent(-1)
        try removeSimpleKey()
        simpleKeyAllowed = false
        // libyaml either reads the whole line (name, value, comment) or fails; nothing in it starts a node.
        while !isBreakZ() { skip() }
        skipLine()
    }

    private mutating func fetchBlockEntry() throws(Stop) {
        if flowLevel == 0 {
            guard simpleKeyAllowed else {
                throw failure(nil, nil, "block sequence entries are not allowed in this context")
            }
            try rollIndent(mark.column, at: mark)
        }
        try removeSimpleKey()
        simpleKeyAllowed = true
        skip()
    }

    private mutating func fetchKey() throws(Stop) {
        if flowLevel == 0 {
            guard simpleKeyAllowed else {
                throw failure(nil, nil, "mapping keys are not allowed in this context")
            }
            try rollIndent(mark.column, at: mark)
        }
        try removeSimpleKey()
        simpleKeyAllowed = flowLevel == 0
        skip()
    }

    private mutating func fetchValue() throws(Stop) {
        let key = simpleKeys[simpleKeys.count - 1]
        if key.possible {
            try rollIndent(key.mark.column, at: key.mark)
            simpleKeys[simpleKeys.count - 1].possible = false
            simpleKeyAllowed = false
        } else {
            if flowLevel == 0 {
                guard simpleKeyAllowed else {
                    throw failure(nil, nil, "mapping values are not allowed in this context")
                }
                try rollIndent(mark.column, at: mark)
            }
            simpleKeyAllowed = flowLevel == 0
        }
        skip()
    }

    /// An anchor or alias: always refused. The name is skipped as libyaml reads it.
    private mutating func fetchAnchor(alias: Bool) {
        if alias {
            emit(
                "yaml.alias", .vi("không được dùng bí danh YAML (*tên)", en: "aliases (*name) are not allowed"), at: mark,
                hint: .vi("hãy viết đầy đủ giá trị; nếu đây là biểu thức, hãy đặt trong dấu nháy", en: "write the value out in full; if this is an expression, put it in quotes"))
        } else {
            emit(
                "yaml.anchor", .vi("không được dùng mốc YAML (&tên)", en: "anchors (&name) are not allowed"), at: mark,
                hint: .vi("hãy viết đầy đủ giá trị; muốn dùng lại một tiêu chí thì gọi nó bằng mã", en: "write the value out in full; to reuse a criterion, refer to it by its id"))
        }
        skip()
        while YAMLPreScan.isAlpha(at()) { skip() }
    }

    /// A tag: always refused. A tag that looks like a negated expression (`!antt_plan`) gets its own
    /// message, because YAML silently drops the `!` of `check: !antt_plan`.
    private mutating func fetchTag() {
        let start = mark
        var end = start.index
        while end < text.count, !" \t\r\n".unicodeScalars.contains(text[end]), !(flowLevel > 0 && text[end] == ",") {
            end += 1
        }
        // The message quotes at most 60 characters, so that a long line of tags stays linear.
        let shown = 60
        let word = YAMLPreScan.excerpt(text[start.index..<end], limit: shown)
        var lineEnd = end
        while lineEnd < text.count && lineEnd - start.index <= shown && text[lineEnd] != "\n" && text[lineEnd] != "\r" {
            lineEnd += 1
        }
        let rest = YAMLPreScan.excerpt(text[start.index..<lineEnd], limit: shown).trimmingTrailingSpaces()
        let identifier = word.dropFirst()
        let looksLikeExpression =
            identifier.unicodeScalars.first.map { $0.properties.isAlphabetic || $0 == "_" || $0 == "(" } ?? false
        if looksLikeExpression && !word.hasPrefix("!!") && !tagIntroducesCollection(afterIndex: end) {
            emit(
                "yaml.swallowed-expression",
                .vi("YAML đọc '\(word)' thành một thẻ (tag), nên dấu '!' của biểu thức này sẽ bị mất", en: "YAML reads '\(word)' as a tag, so the '!' of this expression would be lost"), at: start,
                hint: .vi("hãy đặt biểu thức trong dấu nháy (\"\(rest)\") hoặc viết '\(identifier) == false'", en: "put the expression in quotes (\"\(rest)\") or write '\(identifier) == false'"))
        } else {
            emit(
                "yaml.tag", .vi("không hỗ trợ thẻ YAML ('\(word)')", en: "YAML tags ('\(word)') are not supported"), at: start,
                hint: .vi("hãy bỏ thẻ; Criteria xác định kiểu của mọi giá trị theo lược đồ quy tắc", en: "remove the tag; Criteria types every value from the rule schema"))
        }
        skip()
        if check("<") {
            while !isBlankZ() && !check(">") { skip() }
            if check(">") { skip() }
        } else {
            let uri: Set<Unicode.Scalar> = [";", "/", "?", ":", "@", "&", "=", "+", "$", ".", "%", "!", "~", "*", "'", "(", ")"]
            while let c = at(), YAMLPreScan.isAlpha(c) || uri.contains(c) { skip() }
        }
    }

    /// At most `limit` characters of a slice, with `…` when cut.
    private static func excerpt(_ slice: ArraySlice<Unicode.Scalar>, limit: Int) -> String {
        let text = String(String.UnicodeScalarView(slice.prefix(limit)))
        return slice.count > limit ? text + "…" : text
    }

    /// Whether what follows a tag is a collection (`!t {…}`, `!t [...]`, or an indented block on the
    /// next lines), in which case the tag is a tag and not a negated expression.
    private func tagIntroducesCollection(afterIndex index: Int) -> Bool {
        var i = index
        while i < text.count && (text[i] == " " || text[i] == "\t") { i += 1 }
        if i < text.count, text[i] != "#", text[i] != "\n", text[i] != "\r" {
            return "[{|>".unicodeScalars.contains(text[i])
        }
        guard let line = file.line(mark.line + 1) else { return false }
        let lineIndent = line.unicodeScalars.prefix { $0 == " " }.count
        var next = mark.line + 2
        while let candidate = file.line(next) {
            let trimmed = candidate.unicodeScalars.drop { $0 == " " }
            if let first = trimmed.first, first != "#" {
                return candidate.unicodeScalars.count - trimmed.count > lineIndent
            }
            next += 1
        }
        return false
    }

    // MARK: - Scalars

    /// A block scalar (`|` or `>`): its header, then every line indented at least as much as the first.
    private mutating func scanBlockScalar() throws(Stop) {
        let start = mark
        skip()
        var increment = 0
        if check("+") || check("-") {
            skip()
            if let digit = at(), ("0"..."9").contains(digit) {
                if digit == "0" {
                    throw failure("while scanning a block scalar", start, "found an indentation indicator equal to 0")
                }
                increment = Int(digit.value - 0x30)
                skip()
            }
        } else if let digit = at(), ("0"..."9").contains(digit) {
            if digit == "0" {
                throw failure("while scanning a block scalar", start, "found an indentation indicator equal to 0")
            }
            increment = Int(digit.value - 0x30)
            skip()
            if check("+") || check("-") { skip() }
        }
        while isBlank() { skip() }
        if check("#") {
            while !isBreakZ() { skip() }
        }
        guard isBreakZ() else {
            throw failure("while scanning a block scalar", start, "did not find expected comment or line break")
        }
        skipLine()
        var blockIndent = increment > 0 ? (indent >= 0 ? indent + increment : increment) : 0
        try scanBlockScalarBreaks(&blockIndent, start: start)
        while mark.column == blockIndent && !isZ() {
            while !isBreakZ() { skip() }
            skipLine()
            try scanBlockScalarBreaks(&blockIndent, start: start)
        }
    }

    private mutating func scanBlockScalarBreaks(_ blockIndent: inout Int, start: Mark) throws(Stop) {
        var maxIndent = 0
        while true {
            while (blockIndent == 0 || mark.column < blockIndent) && check(" ") { skip() }
            maxIndent = max(maxIndent, mark.column)
            if (blockIndent == 0 || mark.column < blockIndent) && check("\t") {
                throw failure(
                    "while scanning a block scalar", start, "found a tab character where an indentation space is expected",
                    isTab: true)
            }
            guard isBreak() else { break }
            skipLine()
        }
        if blockIndent == 0 { blockIndent = max(maxIndent, indent + 1, 1) }
    }

    /// A single- or double-quoted scalar, possibly over several lines, with libyaml's escape checks.
    private mutating func scanQuotedScalar(single: Bool) throws(Stop) {
        let start = mark
        let quote: Unicode.Scalar = single ? "'" : "\""
        skip()
        while true {
            if isDocumentIndicator() {
                throw failure("while scanning a quoted scalar", start, "found unexpected document indicator")
            }
            if isZ() {
                throw failure("while scanning a quoted scalar", start, "found unexpected end of stream")
            }
            while !isBlankZ() {
                if single && check("'") && check("'", 1) {
                    skip()
                    skip()
                } else if check(quote) {
                    break
                } else if !single && check("\\") && isBreak(1) {
                    skip()
                    skipLine()
                    break
                } else if !single && check("\\") {
                    var codeLength = 0
                    switch at(1) {
                    case "0", "a", "b", "t", "\t", "n", "v", "f", "r", "e", " ", "\"", "/", "\\", "N", "_", "L", "P":
                        break
                    case "x": codeLength = 2
                    case "u": codeLength = 4
                    case "U": codeLength = 8
                    default:
                        throw failure("while parsing a quoted scalar", start, "found unknown escape character")
                    }
                    skip()
                    skip()
                    if codeLength > 0 {
                        var value: UInt64 = 0
                        for k in 0..<codeLength {
                            guard let digit = YAMLPreScan.hexValue(at(k)) else {
                                throw failure("while parsing a quoted scalar", start, "did not find expected hexdecimal number")
                            }
                            value = value << 4 + digit
                        }
                        if (0xD800...0xDFFF).contains(value) || value > 0x10FFFF {
                            throw failure("while parsing a quoted scalar", start, "found invalid Unicode character escape code")
                        }
                        for _ in 0..<codeLength { skip() }
                    }
                } else {
                    skip()
                }
            }
            if check(quote) { break }
            while isBlank() || isBreak() {
                if isBlank() { skip() } else { skipLine() }
            }
        }
        skip()
    }

    /// A plain scalar; returns where its text ends (before trailing blanks and line breaks).
    private mutating func scanPlainScalar() throws(Stop) -> Mark {
        let start = mark
        var end = mark
        var leadingBlanks = false
        let scalarIndent = indent + 1
        while true {
            if isDocumentIndicator() || check("#") { break }
            while let c = at(), c != " " && c != "\t" && c != "\n" && c != "\r" {
                if c == ":" {
                    if flowLevel > 0, let next = at(1), YAMLPreScan.flowIndicators.contains(next) || next == "?" {
                        throw failure("while scanning a plain scalar", start, "found unexpected ':'")
                    }
                    if isBlankZ(1) { break }
                }
                if flowLevel > 0 && YAMLPreScan.flowIndicators.contains(c) { break }
                leadingBlanks = false
                skip()
                end = mark
            }
            guard isBlank() || isBreak() else { break }
            while isBlank() || isBreak() {
                if isBlank() {
                    if leadingBlanks && mark.column < scalarIndent && check("\t") {
                        throw failure(
                            "while scanning a plain scalar", start, "found a tab character that violates indentation",
                            isTab: true)
                    }
                    skip()
                } else {
                    skipLine()
                    leadingBlanks = true
                }
            }
            if flowLevel == 0 && mark.column < scalarIndent { break }
        }
        if leadingBlanks { simpleKeyAllowed = true }
        return end
    }

    /// Checks a scalar that is followed, on its line, by a value indicator: a merge key or a key longer
    /// than the limit.
    private mutating func checkKey(start: Mark, end: Mark, length: Int, plain: Bool) {
        guard start.line == end.line else { return }
        var i = end.index
        while i < text.count && (text[i] == " " || text[i] == "\t") { i += 1 }
        guard i < text.count, text[i] == ":" else { return }
        let endsAfterColon = i + 1 == text.count || " \t\r\n".unicodeScalars.contains(text[i + 1])
        guard flowLevel > 0 || endsAfterColon else { return }
        if plain && length == 2 && text[start.index] == "<" && text[start.index + 1] == "<" {
            emit("yaml.merge-key", .vi("không được dùng khoá gộp (<<)", en: "merge keys (<<) are not allowed"), at: start, hint: .vi("hãy viết đầy đủ các khoá", en: "write the keys out in full"))
        }
        if length > limits.maxKeyLength {
            emit(
                "limits.key-length", .vi("khoá dài \(length) ký tự, vượt giới hạn \(limits.maxKeyLength)", en: "a key of \(length) characters is longer than the limit of \(limits.maxKeyLength)"),
                at: start, hint: .vi("hãy dùng khoá ngắn hơn", en: "use a shorter key"))
            longKeyStart = start.index
        }
    }

    // MARK: - Reporting

    private mutating func report(_ error: ScanError) {
        if error.isTab {
            emit(
                "yaml.tab-indent", .vi("dùng ký tự tab để thụt lề", en: "a tab is used for indentation"), at: error.mark,
                hint: .vi("chỉ thụt lề bằng dấu cách; YAML không cho dùng tab ở vị trí này", en: "indent with spaces only; YAML does not allow tabs there"))
            return
        }
        var notes: [DiagnosticNote] = []
        if let context = error.context, let contextMark = error.contextMark {
            notes.append(DiagnosticNote(YAMLReader.libraryWords(context), at: range(contextMark)))
        }
        diagnostics.emit(YAMLReader.syntaxDiagnostic(problem: error.problem, at: range(error.mark), notes: notes))
    }

    private func range(_ mark: Mark) -> SourceRange {
        file.range(line: mark.line + 1, column: mark.column + 1)
    }

    private mutating func emit(_ id: DiagnosticID, _ message: LocalizedText, at mark: Mark, hint: LocalizedText?) {
        diagnostics.emit(Diagnostic(id, .error, message, at: range(mark), hint: hint))
    }
}

extension String {
    /// The string without trailing spaces and tabs.
    func trimmingTrailingSpaces() -> String {
        var scalars = Substring(self).unicodeScalars
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
