import Foundation

/// Parses the text of a rule expression (a subset of CEL syntax) into an `Expression`.
///
/// The grammar, the precedence table and every error message are described in `Docs/expressions.md`.
/// Parsing stops at the first mistake and reports it as one diagnostic placed at the exact column of
/// the offending token in the YAML file (through `ExpressionSource.range(ofOffset:)`).
///
/// The parser is recursive descent with precedence climbing. Every construct that recurses (brackets,
/// lists, call arguments, prefix operators, the branches of `?:`) first checks the nesting against
/// `Limits.maxExpressionDepth`, so no input, however deeply nested, can exhaust the stack.
public enum ExpressionParser {
    /// Parses an expression.
    ///
    /// - Parameters:
    ///   - source: the expression text and where it stands in its file.
    ///   - limits: the bounds on length (`maxExpressionLength`), nesting (`maxExpressionDepth`) and size
    ///     (`maxExpressionNodes`).
    /// - Returns: the syntax tree, each node carrying its offset and length in the expression text.
    /// - Throws: `DiagnosticsError` holding exactly one error diagnostic, with an `expr.*` or
    ///   `limits.expression-*` id.
    public static func parse(_ source: ExpressionSource, limits: Limits = .default) throws(DiagnosticsError)
        -> Expression
    {
        let scalars = Array(source.text.unicodeScalars)
        if scalars.count > limits.maxExpressionLength {
            throw DiagnosticsError(
                Diagnostic(
                    "limits.expression-length", .error,
                    "the expression is \(scalars.count) characters long, longer than the limit of \(limits.maxExpressionLength)",
                    at: source.range(ofOffset: 0),
                    hint: "split it into smaller criteria and combine them with meets(\"criterion-id\")"))
        }
        var parser = ExpressionParserState(source: source, scalars: scalars, limits: limits)
        return try parser.parseWhole()
    }
}

/// A parsed sub-expression and the depth of its tree (brackets counted as one level each).
private struct ParsedNode {
    var expression: Expression
    var depth: Int
    var end: Int { expression.offset + expression.length }
}

/// The state of one parse: the tokens, the position, the nesting level and the node count.
private struct ExpressionParserState {
    let source: ExpressionSource
    let scalars: [Unicode.Scalar]
    let limits: Limits
    let tokens: [ExpressionToken]
    let lexFailure: ExpressionLexError?
    var position = 0
    /// How many constructs enclose the one being parsed.
    var level = 0
    /// How many nodes have been made.
    var nodeCount = 0
    /// Where the first node beyond the limit was made.
    var firstExcessNodeOffset: Int?

    init(source: ExpressionSource, scalars: [Unicode.Scalar], limits: Limits) {
        self.source = source
        self.scalars = scalars
        self.limits = limits
        let lexer = ExpressionLexer(scalars: scalars)
        self.tokens = lexer.tokens
        self.lexFailure = lexer.failure
    }

    // MARK: - Entry

    mutating func parseWhole() throws(DiagnosticsError) -> Expression {
        if tokens.count == 1, tokens[0].kind == .end {
            throw failure(
                "expr.empty", "the expression is empty", at: 0,
                hint: "write a condition such as 'poverty_rate <= 5%', or remove the key")
        }
        let node = try parseExpression()
        let next = try current()
        if next.kind != .end {
            throw unexpectedAfterOperand(next, expected: "an operator or the end of the expression", missing: "")
        }
        if nodeCount > limits.maxExpressionNodes {
            throw failure(
                "limits.expression-nodes",
                "the expression has \(nodeCount) parts, more than the limit of \(limits.maxExpressionNodes)",
                at: firstExcessNodeOffset ?? 0,
                hint: "split it into smaller criteria and combine them with meets(\"criterion-id\")")
        }
        return node.expression
    }

    // MARK: - Grammar

    /// expr := or ('?' expr ':' expr)?
    mutating func parseExpression() throws(DiagnosticsError) -> ParsedNode {
        let condition = try parseOr()
        guard try current().kind == .symbol(.question) else { return condition }
        let question = advance()
        try enter()
        defer { level -= 1 }
        let whenTrue = try parseExpression()
        let colon = try current()
        guard colon.kind == .symbol(.colon) else {
            throw unexpectedAfterOperand(
                colon, expected: "':'",
                missing: "':' and the value for when the condition is false are missing")
        }
        advance()
        let whenFalse = try parseExpression()
        return try make(
            .conditional(condition.expression, whenTrue.expression, whenFalse.expression),
            from: condition.expression.offset, to: whenFalse.end,
            depth: 1 + max(condition.depth, whenTrue.depth, whenFalse.depth), at: question.offset)
    }

    /// or := and ('||' and)*
    mutating func parseOr() throws(DiagnosticsError) -> ParsedNode {
        var left = try parseAnd()
        while try current().kind == .symbol(.or) {
            let op = advance()
            let right = try parseAnd()
            left = try binary(.or, left, right, at: op)
        }
        return left
    }

    /// and := rel ('&&' rel)*
    mutating func parseAnd() throws(DiagnosticsError) -> ParsedNode {
        var left = try parseRelation()
        while try current().kind == .symbol(.and) {
            let op = advance()
            let right = try parseRelation()
            left = try binary(.and, left, right, at: op)
        }
        return left
    }

    /// rel := add (relop add)?, not associative.
    mutating func parseRelation() throws(DiagnosticsError) -> ParsedNode {
        let left = try parseAdditive()
        guard let op = Self.relation(try current()) else { return left }
        let opToken = advance()
        let right = try parseAdditive()
        let node = try binary(op, left, right, at: opToken)
        if let second = Self.relation(try current()) {
            let secondToken = advance()
            let third = try? parseAdditive()
            let middle = right.expression.description
            let hint: String
            if let third {
                hint =
                    "split it into two comparisons joined by '&&': \(left.expression) \(op.rawValue) \(middle) && \(middle) \(second.rawValue) \(third.expression)"
            } else {
                hint = "split it into two comparisons joined by '&&'"
            }
            throw failure(
                "expr.chained-comparison",
                "comparisons cannot be chained: '\(second.rawValue)' follows '\(op.rawValue)'",
                at: secondToken.offset, hint: hint)
        }
        return node
    }

    /// add := mul (('+' | '-') mul)*
    mutating func parseAdditive() throws(DiagnosticsError) -> ParsedNode {
        var left = try parseMultiplicative()
        while true {
            let token = try current()
            let op: BinaryOperator
            switch token.kind {
            case .symbol(.plus): op = .add
            case .symbol(.minus): op = .subtract
            default: return left
            }
            advance()
            let right = try parseMultiplicative()
            left = try binary(op, left, right, at: token)
        }
    }

    /// mul := unary (('*' | '/') unary)*
    mutating func parseMultiplicative() throws(DiagnosticsError) -> ParsedNode {
        var left = try parseUnary()
        while true {
            let token = try current()
            let op: BinaryOperator
            switch token.kind {
            case .symbol(.star): op = .multiply
            case .symbol(.slash): op = .divide
            default: return left
            }
            advance()
            let right = try parseUnary()
            left = try binary(op, left, right, at: token)
        }
    }

    /// unary := ('!' | '-') unary | postfix — prefix operators are collected in a loop, not recursion.
    mutating func parseUnary() throws(DiagnosticsError) -> ParsedNode {
        var prefixes: [(UnaryOperator, ExpressionToken)] = []
        let startLevel = level
        defer { level = startLevel }
        while true {
            let token = try current()
            let op: UnaryOperator
            switch token.kind {
            case .symbol(.not): op = .not
            case .symbol(.minus): op = .negate
            default:
                var node = try parsePostfix()
                for (op, token) in prefixes.reversed() {
                    node = try make(
                        .unary(op, node.expression), from: token.offset, to: node.end, depth: node.depth + 1,
                        at: token.offset)
                }
                return node
            }
            advance()
            try enter()
            prefixes.append((op, token))
        }
    }

    /// postfix := primary ('.' IDENT ('(' args? ')')?)*
    mutating func parsePostfix() throws(DiagnosticsError) -> ParsedNode {
        var node = try parsePrimary()
        while try current().kind == .symbol(.dot) {
            let dot = advance()
            let nameToken = try current()
            guard case .identifier(let name) = nameToken.kind else {
                throw unexpected(
                    nameToken, expected: "a field or function name after '.'",
                    missing: "a field or function name is missing")
            }
            advance()
            if try current().kind == .symbol(.openParen) {
                let open = advance()
                let (arguments, close) = try parseArguments(open: open)
                node = try make(
                    .call(name: name, receiver: node.expression, arguments: arguments.map(\.expression)),
                    from: node.expression.offset, to: close.offset + close.length,
                    depth: 1 + max(node.depth, arguments.map(\.depth).max() ?? 0), at: dot.offset)
            } else {
                node = try make(
                    .member(node.expression, name), from: node.expression.offset,
                    to: nameToken.offset + nameToken.length, depth: node.depth + 1, at: dot.offset)
            }
        }
        return node
    }

    /// primary := NUMBER | NUMBER '%' | STRING | 'true' | 'false' | IDENT | IDENT '(' args? ')'
    ///          | '(' expr ')' | '[' (expr (',' expr)* ','?)? ']'
    mutating func parsePrimary() throws(DiagnosticsError) -> ParsedNode {
        let token = try current()
        switch token.kind {
        case .number(let text, let isPercent):
            advance()
            switch DecimalText.parse(text, allowPercent: false) {
            case .success(var value):
                if isPercent {
                    guard let share = DecimalText.percentage(value) else {
                        throw failure(
                            "expr.invalid-number",
                            "'\(text)%' is not a number the rule language accepts: \(DecimalText.Rejection.outOfRange.explanation)",
                            at: token.offset)
                    }
                    value = share
                }
                return try leaf(.number(value, isPercent: isPercent), token)
            case .failure(let rejection):
                throw failure(
                    "expr.invalid-number",
                    "'\(text)' is not a number the rule language accepts: \(rejection.explanation)",
                    at: token.offset)
            }
        case .string(let value):
            advance()
            return try leaf(.string(value), token)
        case .keyword(.true):
            advance()
            return try leaf(.bool(true), token)
        case .keyword(.false):
            advance()
            return try leaf(.bool(false), token)
        case .identifier(let name):
            if name == "null" {
                throw failure(
                    "expr.unsupported", "null is not part of the rule language; use has(x) to test whether a fact is known",
                    at: token.offset, hint: "write has(fact) or !has(fact)")
            }
            if name.lowercased() == "not", Self.startsOperand(peek(1)) {
                throw failure(
                    "expr.word-operator", "'\(name)' is not an operator", at: token.offset,
                    hint: "write '!' for 'not', as in !has(fact) or !(x in list)")
            }
            advance()
            if try current().kind == .symbol(.openParen) {
                let open = advance()
                let (arguments, close) = try parseArguments(open: open)
                return try make(
                    .call(name: name, receiver: nil, arguments: arguments.map(\.expression)),
                    from: token.offset, to: close.offset + close.length,
                    depth: 1 + (arguments.map(\.depth).max() ?? 0), at: token.offset)
            }
            return try leaf(.identifier(name), token)
        case .symbol(.openParen):
            advance()
            try enter()
            defer { level -= 1 }
            let inner = try parseExpression()
            let close = try closing(.closeParen, opener: token, expected: "')' or an operator")
            var expression = inner.expression
            expression.offset = token.offset
            expression.length = close.offset + close.length - token.offset
            let depth = inner.depth + 1
            try checkDepth(depth, at: token.offset)
            return ParsedNode(expression: expression, depth: depth)
        case .symbol(.openBracket):
            advance()
            try enter()
            defer { level -= 1 }
            var elements: [ParsedNode] = []
            while true {
                if try current().kind == .symbol(.closeBracket) { break }
                elements.append(try parseExpression())
                let next = try current()
                if next.kind == .symbol(.comma) {
                    advance()
                    continue
                }
                if next.kind == .symbol(.closeBracket) { break }
                _ = try closing(.closeBracket, opener: token, expected: "',' or ']'")
            }
            let close = advance()
            return try make(
                .list(elements.map(\.expression)), from: token.offset, to: close.offset + close.length,
                depth: 1 + (elements.map(\.depth).max() ?? 0), at: token.offset)
        case .symbol(.dot):
            if case .number(let text, _) = peek(1).kind, peek(1).offset == token.offset + 1 {
                throw failure(
                    "expr.invalid-number", "'.\(text)' is not a number the rule language accepts: a number starts with a digit",
                    at: token.offset, hint: "write 0.\(text)")
            }
            throw unexpected(token, expected: "a value", missing: "a value is missing")
        case .symbol(.closeParen), .symbol(.closeBracket):
            if previousToken == nil {
                throw strayCloser(token)
            }
            throw unexpected(token, expected: "a value", missing: "a value is missing")
        default:
            throw unexpected(token, expected: "a value", missing: "a value is missing")
        }
    }

    /// args := expr (',' expr)*, after the '(' and through the ')'.
    mutating func parseArguments(open: ExpressionToken) throws(DiagnosticsError) -> ([ParsedNode], ExpressionToken) {
        try enter()
        defer { level -= 1 }
        var arguments: [ParsedNode] = []
        if try current().kind == .symbol(.closeParen) { return (arguments, advance()) }
        while true {
            arguments.append(try parseExpression())
            let next = try current()
            if next.kind == .symbol(.comma) {
                advance()
                continue
            }
            let close = try closing(.closeParen, opener: open, expected: "',' or ')'")
            return (arguments, close)
        }
    }

    // MARK: - Tokens

    /// The current token; throws the lexer's error when the parser reaches the place it stopped.
    func current() throws(DiagnosticsError) -> ExpressionToken {
        let token = tokens[position]
        if token.kind == .invalid, let lexFailure {
            throw DiagnosticsError(
                Diagnostic(
                    lexFailure.id, .error, lexFailure.message, at: source.range(ofOffset: lexFailure.offset),
                    hint: lexFailure.hint))
        }
        return token
    }

    /// The token `ahead` places after the current one, without checking it (the last token repeats).
    func peek(_ ahead: Int) -> ExpressionToken {
        tokens[min(position + ahead, tokens.count - 1)]
    }

    var previousToken: ExpressionToken? { position > 0 ? tokens[position - 1] : nil }

    /// Moves past the current token and returns it.
    @discardableResult
    mutating func advance() -> ExpressionToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    /// Consumes the closing bracket `symbol` of `opener`, or reports what is wrong there.
    mutating func closing(_ symbol: ExpressionToken.Symbol, opener: ExpressionToken, expected: String)
        throws(DiagnosticsError) -> ExpressionToken
    {
        let token = try current()
        if token.kind == .symbol(symbol) { return advance() }
        let open = symbol == .closeParen ? "(" : "["
        switch token.kind {
        case .end:
            throw failure(
                "expr.unbalanced", "'\(open)' is never closed", at: opener.offset,
                notes: [DiagnosticNote("the expression ends here", at: source.range(ofOffset: token.offset))],
                hint: "add '\(symbol.rawValue)' where the bracketed part ends")
        case .symbol(.closeParen), .symbol(.closeBracket):
            let found = token.kind == .symbol(.closeParen) ? ")" : "]"
            throw failure(
                "expr.unbalanced", "'\(open)' is closed by '\(found)'", at: opener.offset,
                notes: [DiagnosticNote("'\(found)' is here", at: source.range(ofOffset: token.offset))],
                hint: "close '\(open)' with '\(symbol.rawValue)'")
        default:
            throw unexpectedAfterOperand(token, expected: expected, missing: "")
        }
    }

    // MARK: - Nodes and limits

    /// Enters one more level of nesting, refusing to go beyond the depth limit before recursing.
    mutating func enter() throws(DiagnosticsError) {
        level += 1
        guard level + 1 > limits.maxExpressionDepth else { return }
        // A lower bound of the depth the input asks for: this level, what the brackets ahead add, a leaf.
        var relative = 0
        var deepest = 0
        var index = position
        scan: while index < tokens.count {
            switch tokens[index].kind {
            case .symbol(.openParen), .symbol(.openBracket):
                relative += 1
                deepest = max(deepest, relative)
            case .symbol(.closeParen), .symbol(.closeBracket):
                relative -= 1
                if relative < 0 { break scan }
            case .end, .invalid:
                break scan
            default:
                break
            }
            index += 1
        }
        let offset = previousToken?.offset ?? 0
        throw depthFailure(seen: level + 1 + deepest, at: offset)
    }

    func checkDepth(_ depth: Int, at offset: Int) throws(DiagnosticsError) {
        if depth > limits.maxExpressionDepth { throw depthFailure(seen: depth, at: offset) }
    }

    func depthFailure(seen: Int, at offset: Int) -> DiagnosticsError {
        failure(
            "limits.expression-depth",
            "the expression is nested at least \(seen) levels deep, deeper than the limit of \(limits.maxExpressionDepth)",
            at: offset, hint: "split it into smaller criteria and combine them with meets(\"criterion-id\")")
    }

    mutating func make(_ kind: Expression.Kind, from start: Int, to end: Int, depth: Int, at offset: Int)
        throws(DiagnosticsError) -> ParsedNode
    {
        try checkDepth(depth, at: offset)
        nodeCount += 1
        if nodeCount > limits.maxExpressionNodes, firstExcessNodeOffset == nil { firstExcessNodeOffset = offset }
        return ParsedNode(expression: Expression(kind, offset: start, length: end - start), depth: depth)
    }

    mutating func leaf(_ kind: Expression.Kind, _ token: ExpressionToken) throws(DiagnosticsError) -> ParsedNode {
        try make(kind, from: token.offset, to: token.offset + token.length, depth: 1, at: token.offset)
    }

    mutating func binary(_ op: BinaryOperator, _ left: ParsedNode, _ right: ParsedNode, at token: ExpressionToken)
        throws(DiagnosticsError) -> ParsedNode
    {
        try make(
            .binary(op, left.expression, right.expression), from: left.expression.offset, to: right.end,
            depth: 1 + max(left.depth, right.depth), at: token.offset)
    }

    static func relation(_ token: ExpressionToken) -> BinaryOperator? {
        switch token.kind {
        case .symbol(.equal): .equal
        case .symbol(.notEqual): .notEqual
        case .symbol(.less): .less
        case .symbol(.lessOrEqual): .lessOrEqual
        case .symbol(.greater): .greater
        case .symbol(.greaterOrEqual): .greaterOrEqual
        case .keyword(.in): .in
        default: nil
        }
    }

    /// Whether a token can begin a value (so a word before it is being used as a prefix operator).
    static func startsOperand(_ token: ExpressionToken) -> Bool {
        switch token.kind {
        case .identifier, .number, .string, .keyword(.true), .keyword(.false), .symbol(.openParen),
            .symbol(.openBracket), .symbol(.not), .symbol(.minus):
            true
        default:
            false
        }
    }

    // MARK: - Diagnostics

    func failure(
        _ id: DiagnosticID, _ message: String, at offset: Int, notes: [DiagnosticNote] = [], hint: String? = nil
    ) -> DiagnosticsError {
        DiagnosticsError(Diagnostic(id, .error, message, at: source.range(ofOffset: offset), notes: notes, hint: hint))
    }

    /// The source text of a token, shortened when long.
    func text(of token: ExpressionToken) -> String {
        let end = min(token.offset + token.length, scalars.count)
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[token.offset..<min(end, token.offset + 30)])
        if end - token.offset > 30 { result += "…" }
        return result
    }

    /// A token as messages show it: `'b'`, `'+'`, or a string literal as written.
    func describe(_ token: ExpressionToken) -> String {
        if case .string = token.kind { return "the text \(text(of: token))" }
        return "'\(text(of: token))'"
    }

    /// The error for a token found where something else was expected.
    func unexpected(_ token: ExpressionToken, expected: String, missing: String) -> DiagnosticsError {
        if token.kind == .end, let last = previousToken {
            return failure(
                "expr.unexpected-end", "the expression ends after \(describe(last)); \(missing)", at: last.offset,
                hint: "add what is missing after \(describe(last)), or remove \(describe(last))")
        }
        return failure("expr.unexpected-token", "expected \(expected) but found \(describe(token))", at: token.offset)
    }

    /// The error for a token found right after a complete value, where an operator or a closing
    /// bracket was expected: recognises words used as operators, a stray closing bracket and a
    /// decimal comma.
    func unexpectedAfterOperand(_ token: ExpressionToken, expected: String, missing: String) -> DiagnosticsError {
        if case .identifier(let word) = token.kind {
            let replacement: String? =
                switch word.lowercased() {
                case "and": "&&"
                case "or": "||"
                case "not": "!"
                default: nil
                }
            if let replacement {
                let hint =
                    replacement == "!"
                    ? "write '!' before the value it negates, as in !(x in list)"
                    : "write '\(replacement)' for '\(word.lowercased())'"
                return failure("expr.word-operator", "'\(word)' is not an operator", at: token.offset, hint: hint)
            }
        }
        if level == 0, token.kind == .symbol(.closeParen) || token.kind == .symbol(.closeBracket) {
            return strayCloser(token)
        }
        if token.kind == .symbol(.comma), let before = previousToken, case .number(let whole, false) = before.kind,
            before.offset + before.length == token.offset, case .number(let fraction, _) = peek(1).kind,
            peek(1).offset == token.offset + 1, fraction.unicodeScalars.allSatisfy(ExpressionLexer.isDigit)
        {
            return failure(
                "expr.invalid-number",
                "'\(whole),\(fraction)' is not a number the rule language accepts: \(DecimalText.Rejection.decimalComma.explanation)",
                at: before.offset, hint: "write \(whole).\(fraction)")
        }
        if token.kind == .end, !missing.isEmpty { return unexpected(token, expected: expected, missing: missing) }
        return failure("expr.unexpected-token", "expected \(expected) but found \(describe(token))", at: token.offset)
    }

    func strayCloser(_ token: ExpressionToken) -> DiagnosticsError {
        let (close, open) = token.kind == .symbol(.closeParen) ? (")", "(") : ("]", "[")
        return failure(
            "expr.unbalanced", "'\(close)' has no matching '\(open)'", at: token.offset,
            hint: "remove it, or add the missing '\(open)' where the bracketed part starts")
    }
}
