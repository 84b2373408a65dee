import Foundation

/// One token of an expression, with its place in the expression text.
///
/// `offset` and `length` count Unicode scalars from the start of the expression text, the unit
/// `ExpressionSource.range(ofOffset:)` maps to file columns.
struct ExpressionToken: Sendable, Hashable {
    /// What the token is.
    var kind: Kind
    /// The offset of its first scalar.
    var offset: Int
    /// Its length in scalars, as written (quotes, escapes and a percent sign included).
    var length: Int

    /// The kinds of token.
    enum Kind: Sendable, Hashable {
        /// A name, `[A-Za-z_][A-Za-z0-9_]*`, that is not a keyword.
        case identifier(String)
        /// A number as written, without its percent sign; `isPercent` when `%` follows directly.
        case number(text: String, isPercent: Bool)
        /// A string literal's value, escapes resolved.
        case string(String)
        /// `true`, `false` or `in`.
        case keyword(Keyword)
        /// An operator or punctuation.
        case symbol(Symbol)
        /// The end of the text.
        case end
        /// The place where the text could not be read; the error is the lexer's `failure`.
        case invalid
    }

    /// Reserved words.
    enum Keyword: String, Sendable, Hashable {
        /// The literal `true`.
        case `true`
        /// The literal `false`.
        case `false`
        /// The membership operator `in`.
        case `in`
    }

    /// Operators and punctuation.
    enum Symbol: String, Sendable, Hashable {
        case openParen = "("
        case closeParen = ")"
        case openBracket = "["
        case closeBracket = "]"
        case comma = ","
        case dot = "."
        case question = "?"
        case colon = ":"
        case not = "!"
        case minus = "-"
        case plus = "+"
        case star = "*"
        case slash = "/"
        case or = "||"
        case and = "&&"
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }
}

/// Why the lexer stopped: a diagnostic without its file position, which the parser adds.
struct ExpressionLexError: Error, Sendable, Hashable {
    /// The diagnostic id.
    var id: DiagnosticID
    /// One sentence saying what is wrong.
    var message: LocalizedText
    /// What to write instead.
    var hint: LocalizedText?
    /// The offset (in scalars) of the offending text.
    var offset: Int
}

/// Splits expression text into tokens.
///
/// The lexer reads the whole text in one pass without recursion. It stops at the first character it
/// cannot read: the tokens before it are kept, followed by an `.invalid` token at that place, so the
/// parser can report earlier mistakes first and this one only when it gets there.
struct ExpressionLexer {
    /// The tokens read, ending with `.end` or `.invalid`.
    private(set) var tokens: [ExpressionToken] = []
    /// Why lexing stopped early, when the last token is `.invalid`.
    private(set) var failure: ExpressionLexError?

    private let scalars: [Unicode.Scalar]
    private var index = 0

    /// Reads `scalars` into tokens.
    init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
        run()
    }

    /// Reads the text of an expression into tokens.
    init(text: String) {
        self.init(scalars: Array(text.unicodeScalars))
    }

    // MARK: - Scanning

    private mutating func run() {
        while true {
            skipWhitespace()
            guard index < scalars.count else {
                tokens.append(ExpressionToken(kind: .end, offset: scalars.count, length: 0))
                return
            }
            do {
                try scanToken()
            } catch {
                failure = error
                tokens.append(ExpressionToken(kind: .invalid, offset: error.offset, length: 0))
                return
            }
        }
    }

    private mutating func skipWhitespace() {
        while index < scalars.count, Self.isWhitespace(scalars[index]) { index += 1 }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    private mutating func emit(_ kind: ExpressionToken.Kind, from start: Int) {
        tokens.append(ExpressionToken(kind: kind, offset: start, length: index - start))
    }

    private mutating func symbol(_ symbol: ExpressionToken.Symbol, length: Int) {
        let start = index
        index += length
        emit(.symbol(symbol), from: start)
    }

    private mutating func scanToken() throws(ExpressionLexError) {
        let start = index
        let scalar = scalars[index]
        if Self.isIdentifierStart(scalar) { return try scanIdentifier() }
        if Self.isDigit(scalar) { return try scanNumber() }
        let next = peek(1)
        switch scalar {
        case "\"", "'": try scanString()
        case "(": symbol(.openParen, length: 1)
        case ")": symbol(.closeParen, length: 1)
        case "[": symbol(.openBracket, length: 1)
        case "]": symbol(.closeBracket, length: 1)
        case ",": symbol(.comma, length: 1)
        case "?": symbol(.question, length: 1)
        case ":": symbol(.colon, length: 1)
        case "+": symbol(.plus, length: 1)
        case "-": symbol(.minus, length: 1)
        case "*": symbol(.star, length: 1)
        case "/": symbol(.slash, length: 1)
        case ".": symbol(.dot, length: 1)
        case "!": next == "=" ? symbol(.notEqual, length: 2) : symbol(.not, length: 1)
        case "<":
            if next == "=" {
                symbol(.lessOrEqual, length: 2)
            } else if next == ">" {
                throw ExpressionLexError(
                    id: "expr.unicode-operator", message: .vi("'<>' không phải là phép toán", en: "'<>' is not an operator"),
                    hint: .vi("hãy viết '!=' cho phép so sánh khác", en: "write '!=' for 'not equal'"), offset: start)
            } else {
                symbol(.less, length: 1)
            }
        case ">": next == "=" ? symbol(.greaterOrEqual, length: 2) : symbol(.greater, length: 1)
        case "=":
            if next == "=" {
                symbol(.equal, length: 2)
            } else if next == ">" {
                throw ExpressionLexError(
                    id: "expr.single-equals", message: .vi("'=>' không phải là phép toán", en: "'=>' is not an operator"),
                    hint: .vi("hãy viết '>=' cho phép so sánh lớn hơn hoặc bằng", en: "write '>=' for 'greater than or equal'"), offset: start)
            } else if next == "<" {
                throw ExpressionLexError(
                    id: "expr.single-equals", message: .vi("'=<' không phải là phép toán", en: "'=<' is not an operator"),
                    hint: .vi("hãy viết '<=' cho phép so sánh nhỏ hơn hoặc bằng", en: "write '<=' for 'less than or equal'"), offset: start)
            } else {
                throw ExpressionLexError(
                    id: "expr.single-equals", message: .vi("một dấu '=' đơn lẻ không phải là phép toán", en: "a single '=' is not an operator"),
                    hint: .vi("hãy viết '==' để so sánh bằng", en: "write '==' to compare"), offset: start)
            }
        case "&":
            if next == "&" { return symbol(.and, length: 2) }
            throw ExpressionLexError(
                id: "expr.invalid-character", message: .vi("một dấu '&' đơn lẻ không phải là phép toán", en: "a single '&' is not an operator"),
                hint: .vi("hãy viết '&&' cho phép 'và'", en: "write '&&' for 'and'"), offset: start)
        case "|":
            if next == "|" { return symbol(.or, length: 2) }
            throw ExpressionLexError(
                id: "expr.invalid-character", message: .vi("một dấu '|' đơn lẻ không phải là phép toán", en: "a single '|' is not an operator"),
                hint: .vi("hãy viết '||' cho phép 'hoặc'", en: "write '||' for 'or'"), offset: start)
        case "%":
            throw percentError(at: start)
        default:
            throw invalidCharacter(at: start)
        }
    }

    private mutating func scanIdentifier() throws(ExpressionLexError) {
        let start = index
        while let scalar = peek(), Self.isIdentifierPart(scalar) { index += 1 }
        if let scalar = peek(), Self.isNonASCIILetter(scalar) { throw invalidCharacter(at: index) }
        var name = ""
        name.unicodeScalars.append(contentsOf: scalars[start..<index])
        switch name {
        case "true": emit(.keyword(.true), from: start)
        case "false": emit(.keyword(.false), from: start)
        case "in": emit(.keyword(.in), from: start)
        default: emit(.identifier(name), from: start)
        }
    }

    /// A number token runs over digits, ASCII letters, `_` and any `.` followed by a digit, so that
    /// forms such as `0x1F`, `1_000`, `1e5` or `1.2.3` reach `DecimalText` whole and get its reason.
    private mutating func scanNumber() throws(ExpressionLexError) {
        let start = index
        while let scalar = peek() {
            if Self.isIdentifierPart(scalar) {
                index += 1
            } else if scalar == ".", let after = peek(1), Self.isDigit(after) {
                index += 1
            } else {
                break
            }
        }
        if let scalar = peek(), Self.isNonASCIILetter(scalar) { throw invalidCharacter(at: index) }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars[start..<index])
        let isPercent = peek() == "%"
        if isPercent { index += 1 }
        emit(.number(text: text, isPercent: isPercent), from: start)
    }

    private mutating func scanString() throws(ExpressionLexError) {
        let start = index
        let quote = scalars[index]
        index += 1
        var value = String.UnicodeScalarView()
        while true {
            guard let scalar = peek() else {
                throw ExpressionLexError(
                    id: "expr.unterminated-string", message: .vi("đoạn văn bản bắt đầu từ đây chưa có dấu \(quote) đóng", en: "the text starting here has no closing \(quote)"),
                    hint: .vi("hãy thêm \(quote) ở cuối đoạn văn bản", en: "add \(quote) at the end of the text"), offset: start)
            }
            if scalar == quote {
                index += 1
                break
            }
            if scalar == "\\" {
                let escapeStart = index
                guard let escaped = peek(1) else {
                    throw ExpressionLexError(
                        id: "expr.unterminated-string", message: .vi("đoạn văn bản bắt đầu từ đây chưa có dấu \(quote) đóng", en: "the text starting here has no closing \(quote)"),
                        hint: .vi("hãy thêm \(quote) ở cuối đoạn văn bản", en: "add \(quote) at the end of the text"), offset: start)
                }
                switch escaped {
                case "\\", "\"", "'": value.append(escaped)
                case "n": value.append("\n")
                case "t": value.append("\t")
                default:
                    throw ExpressionLexError(
                        id: "expr.invalid-escape", message: .vi("'\\\(escaped)' không phải là mã thoát mà ngôn ngữ quy tắc biết", en: "'\\\(escaped)' is not an escape the rule language knows"),
                        hint: .vi("các mã thoát là \\\\ \\\" \\' \\n và \\t; hãy viết \\\\ cho dấu gạch chéo ngược", en: "the escapes are \\\\ \\\" \\' \\n and \\t; write \\\\ for a backslash"),
                        offset: escapeStart)
                }
                index += 2
                continue
            }
            value.append(scalar)
            index += 1
        }
        emit(.string(String(value)), from: start)
    }

    // MARK: - Errors

    private func percentError(at offset: Int) -> ExpressionLexError {
        var hint: LocalizedText = .vi("không có phép chia lấy dư", en: "there is no remainder operator")
        if let last = tokens.last, case .number(let text, false) = last.kind {
            hint = .vi("muốn viết tỷ lệ phần trăm thì đặt '%' ngay sau số, không có dấu cách: \(text)%", en: "for a percentage write the '%' right after the number, with no space: \(text)%")
        }
        return ExpressionLexError(
            id: "expr.unsupported", message: .vi("không hỗ trợ phép chia lấy dư (%)", en: "modulo (%) is not supported"), hint: hint, offset: offset)
    }

    private func invalidCharacter(at offset: Int) -> ExpressionLexError {
        let scalar = scalars[offset]
        let shown = Self.describe(scalar)
        if let ascii = Self.unicodeOperators[scalar] {
            return ExpressionLexError(
                id: "expr.unicode-operator", message: .vi("\(shown) không phải là phép toán của ngôn ngữ quy tắc", en: "\(shown) is not an operator of the rule language"),
                hint: .vi("hãy viết '\(ascii)' thay thế", en: "write '\(ascii)' instead"), offset: offset)
        }
        if ["\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}", "\u{201E}", "\u{00AB}", "\u{00BB}"].contains(scalar) {
            return ExpressionLexError(
                id: "expr.invalid-character", message: .vi("\(shown) là dấu nháy kiểu in ấn (cong)", en: "\(shown) is a typographic quote"),
                hint: .vi("hãy dùng dấu nháy thẳng, \" hoặc '", en: "use straight quotes, \" or '"), offset: offset)
        }
        if scalar.properties.isWhitespace || scalar == "\u{200B}" || scalar == "\u{FEFF}" {
            return ExpressionLexError(
                id: "expr.invalid-character", message: .vi("\(shown) là một ký tự khoảng trắng lạ", en: "\(shown) is an unusual space character"),
                hint: .vi("hãy thay bằng dấu cách thông thường", en: "replace it with an ordinary space"), offset: offset)
        }
        if Self.isNonASCIILetter(scalar) {
            var hint: LocalizedText = .vi("tên chỉ được viết bằng chữ cái ASCII, chữ số và '_'", en: "names are written with ASCII letters, digits and '_' only")
            if let suggestion = asciiName(around: offset) { hint = hint.appending(Suggestion.guess(suggestion), separator: "; ") }
            return ExpressionLexError(
                id: "expr.invalid-character", message: .vi("không được dùng \(shown) trong tên", en: "\(shown) cannot be used in a name"), hint: hint, offset: offset)
        }
        var hint: LocalizedText? = nil
        switch scalar {
        case "{", "}": hint = .vi("ngôn ngữ quy tắc không có bảng khoá; dùng [a, b] cho một danh sách", en: "maps are not part of the rule language; use [a, b] for a list")
        case ";": hint = .vi("biểu thức chỉ là một công thức; hãy nối các điều kiện bằng && hoặc ||", en: "an expression is a single formula; join conditions with && or ||")
        case "#": hint = .vi("chú thích thuộc về YAML, trên một dòng riêng bắt đầu bằng '#'", en: "comments belong in YAML, on their own line starting with '#'")
        case "\\": hint = .vi("dấu gạch chéo ngược chỉ được dùng trong văn bản đặt trong dấu nháy", en: "a backslash is only allowed inside quoted text")
        default: break
        }
        return ExpressionLexError(
            id: "expr.invalid-character", message: .vi("không được dùng \(shown) trong biểu thức", en: "\(shown) cannot be used in an expression"), hint: hint,
            offset: offset)
    }

    /// The ASCII spelling of the word around `offset` with diacritics removed (`hộ_nghèo` → `ho_ngheo`),
    /// when that is a valid name.
    private func asciiName(around offset: Int) -> String? {
        func inWord(_ scalar: Unicode.Scalar) -> Bool { Self.isIdentifierPart(scalar) || Self.isNonASCIILetter(scalar) }
        var start = offset
        while start > 0, inWord(scalars[start - 1]) { start -= 1 }
        var end = offset
        while end < scalars.count, inWord(scalars[end]) { end += 1 }
        var word = ""
        word.unicodeScalars.append(contentsOf: scalars[start..<end])
        let folded = word.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive], locale: nil)
        let result = Array(folded.unicodeScalars)
        guard let first = result.first, Self.isIdentifierStart(first), result.allSatisfy(Self.isIdentifierPart) else {
            return nil
        }
        return folded
    }

    // MARK: - Character classes

    /// Look-alike operators and the ASCII operator to write instead.
    static let unicodeOperators: [Unicode.Scalar: String] = [
        "\u{2264}": "<=", "\u{2265}": ">=", "\u{2260}": "!=", "\u{00D7}": "*", "\u{00F7}": "/",
        "\u{2212}": "-", "\u{2013}": "-", "\u{2227}": "&&", "\u{2228}": "||", "\u{00AC}": "!",
        "\u{2A7D}": "<=", "\u{2A7E}": ">=", "\u{22C5}": "*", "\u{2217}": "*",
    ]

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || isDigit(scalar)
    }

    static func isNonASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        !scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.generalCategory == .nonspacingMark)
    }

    /// A character as a message shows it: quoted, with its code point when it is not plain ASCII.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if scalar.isASCII && scalar.properties.generalCategory != .control { return "'\(scalar)'" }
        if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
            || scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .nonspacingMark
        {
            return code
        }
        return "'\(scalar)' (\(code))"
    }
}
