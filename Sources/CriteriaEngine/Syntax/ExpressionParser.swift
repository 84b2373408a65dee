import Foundation

/// Parses the text of a rule expression (a subset of CEL syntax) into an `Expression`.
///
/// The grammar, the precedence table and every error message are described in `Docs/expressions.md`.
/// Parsing stops at the first mistake and reports it as one diagnostic placed at the exact column of
/// the offending token in the YAML file (through `ExpressionSource.range(ofOffset:)`).
///
/// The parser follows a recursive-descent grammar, but runs it as a machine with an explicit stack of
/// frames on the heap, so the depth of an expression costs no thread stack at all (a recursive version
/// needed about 14 KB of stack per bracket in a release build, 34 KB in a debug build). Every construct
/// that nests (brackets, lists, call arguments, prefix operators, the branches of `?:`) first checks
/// the nesting against `Limits.maxExpressionDepth`, before anything is built.
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
                    .vi("biểu thức dài \(scalars.count) ký tự, vượt giới hạn \(limits.maxExpressionLength)", en: "the expression is \(scalars.count) characters long, longer than the limit of \(limits.maxExpressionLength)"),
                    at: source.range(ofOffset: 0),
                    hint: .vi("hãy tách thành các tiêu chí nhỏ hơn rồi kết hợp chúng bằng meets(\"criterion-id\")", en: "split it into smaller criteria and combine them with meets(\"criterion-id\")")))
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
                "expr.empty", .vi("biểu thức trống", en: "the expression is empty"), at: 0,
                hint: .vi("hãy viết một điều kiện, ví dụ 'poverty_rate <= 5%', hoặc bỏ khoá này", en: "write a condition such as 'poverty_rate <= 5%', or remove the key"))
        }
        let node = try parseExpression()
        let next = try current()
        if next.kind != .end {
            throw unexpectedAfterOperand(next, expected: .vi("một phép toán hoặc chỗ kết thúc biểu thức", en: "an operator or the end of the expression"), missing: .same(""))
        }
        if nodeCount > limits.maxExpressionNodes {
            throw failure(
                "limits.expression-nodes",
                .vi("biểu thức có \(nodeCount) thành phần, vượt giới hạn \(limits.maxExpressionNodes)", en: "the expression has \(nodeCount) parts, more than the limit of \(limits.maxExpressionNodes)"),
                at: firstExcessNodeOffset ?? 0,
                hint: .vi("hãy tách thành các tiêu chí nhỏ hơn rồi kết hợp chúng bằng meets(\"criterion-id\")", en: "split it into smaller criteria and combine them with meets(\"criterion-id\")"))
        }
        return node.expression
    }

    // MARK: - Grammar
    //
    // The grammar is parsed by a machine with an explicit stack instead of recursive calls, so that no
    // expression, however deeply nested, uses more of the thread's stack than a flat one: each grammar
    // function of a recursive-descent parser is a `Goal` to start, and each point where such a function
    // would wait for a sub-expression is a `Frame` pushed on `frames`. A finished sub-expression is
    // handed to the frame on top (`resume`). The machine makes the same calls on the tokens, in the same
    // order, as the recursive parser it replaced, so every error is the same:
    //
    //   expression     := or ('?' expression ':' expression)?       — right-associative
    //   or             := and ('||' and)*
    //   and            := relation ('&&' relation)*
    //   relation       := additive (relop additive)?                — a second relop is an error
    //   additive       := multiplicative (('+' | '-') multiplicative)*
    //   multiplicative := unary (('*' | '/') unary)*
    //   unary          := ('!' | '-')* postfix
    //   postfix        := primary ('.' IDENT ('(' arguments? ')')?)*
    //   primary        := NUMBER '%'? | STRING | 'true' | 'false' | IDENT ('(' arguments? ')')?
    //                   | '(' expression ')' | '[' (expression (',' expression)* ','?)? ']'

    /// A grammar rule to parse from the current token.
    enum Goal {
        case expression, or, and, relation, additive, multiplicative, unary, postfix, primary
    }

    /// What to do with the arguments of a call once its `)` is read.
    enum CallTarget {
        /// `name(arguments)`, at the name's token.
        case function(name: String, token: ExpressionToken)
        /// `receiver.name(arguments)`, at the dot.
        case method(receiver: ParsedNode, name: String, dot: ExpressionToken)
    }

    /// A rule waiting for a sub-expression.
    enum Frame {
        /// `expression`: the condition (an `or`) is being parsed.
        case expressionCondition
        /// `expression`: after `?`, the value when true.
        case expressionWhenTrue(condition: ParsedNode, question: ExpressionToken)
        /// `expression`: after `:`, the value when false.
        case expressionWhenFalse(condition: ParsedNode, whenTrue: ParsedNode, question: ExpressionToken)
        /// `or`, `and`, `additive`, `multiplicative`: the first operand.
        case chainFirst(Goal)
        /// The same rules: the operand after an operator.
        case chainNext(Goal, left: ParsedNode, op: BinaryOperator, token: ExpressionToken)
        /// `relation`: the left operand.
        case relationLeft
        /// `relation`: the right operand.
        case relationRight(left: ParsedNode, op: BinaryOperator, token: ExpressionToken)
        /// `relation`: the operand after a second comparison, parsed only for the hint of the error; a
        /// failure inside it is caught here. `level` is the nesting to restore then.
        case relationThird(left: ParsedNode, op: BinaryOperator, middle: ParsedNode, second: BinaryOperator,
            token: ExpressionToken, level: Int)
        /// `unary`: the operand of the prefix operators read so far.
        case unaryOperand(prefixes: [(UnaryOperator, ExpressionToken)], startLevel: Int)
        /// `postfix`: the primary.
        case postfixPrimary
        /// `primary`: the expression inside `(`.
        case parenthesized(open: ExpressionToken)
        /// `primary`: an element of a list literal.
        case listElement(open: ExpressionToken, elements: [ParsedNode])
        /// A call's arguments.
        case arguments(open: ExpressionToken, arguments: [ParsedNode], target: CallTarget)
    }

    /// The machine's next move.
    enum Step {
        /// Parse a rule from the current token.
        case start(Goal)
        /// Hand a finished sub-expression to the frame on top (or return it).
        case deliver(ParsedNode)
        /// A failure inside the third operand of a chained comparison was caught: report the chain.
        case chainedWithoutThird(Frame)
    }

    /// expression := or ('?' expression ':' expression)?
    mutating func parseExpression() throws(DiagnosticsError) -> ParsedNode {
        var frames: [Frame] = []
        var step = Step.start(.expression)
        while true {
            do {
                switch step {
                case .start(let goal):
                    step = try start(goal, &frames)
                case .deliver(let node):
                    guard let frame = frames.popLast() else { return node }
                    step = try resume(frame, with: node, &frames)
                case .chainedWithoutThird(let frame):
                    step = try resume(frame, with: nil, &frames)
                }
            } catch {
                // Only the third operand of a chained comparison catches failures (for its hint).
                guard let index = frames.lastIndex(where: { if case .relationThird = $0 { true } else { false } }),
                    case .relationThird(_, _, _, _, _, let savedLevel) = frames[index]
                else { throw error }
                let frame = frames[index]
                frames.removeSubrange(index...)
                level = savedLevel
                step = .chainedWithoutThird(frame)
            }
        }
    }

    /// Begins a rule: consumes what it can and either finishes it or pushes a frame and starts a sub-rule.
    mutating func start(_ goal: Goal, _ frames: inout [Frame]) throws(DiagnosticsError) -> Step {
        switch goal {
        case .expression:
            frames.append(.expressionCondition)
            return .start(.or)
        case .or:
            frames.append(.chainFirst(.or))
            return .start(.and)
        case .and:
            frames.append(.chainFirst(.and))
            return .start(.relation)
        case .relation:
            frames.append(.relationLeft)
            return .start(.additive)
        case .additive:
            frames.append(.chainFirst(.additive))
            return .start(.multiplicative)
        case .multiplicative:
            frames.append(.chainFirst(.multiplicative))
            return .start(.unary)
        case .unary:
            // Prefix operators are collected in a loop; each is one more level of nesting.
            var prefixes: [(UnaryOperator, ExpressionToken)] = []
            let startLevel = level
            while true {
                let token = try current()
                let op: UnaryOperator
                switch token.kind {
                case .symbol(.not): op = .not
                case .symbol(.minus): op = .negate
                default:
                    frames.append(.unaryOperand(prefixes: prefixes, startLevel: startLevel))
                    return .start(.postfix)
                }
                advance()
                try enter()
                prefixes.append((op, token))
            }
        case .postfix:
            frames.append(.postfixPrimary)
            return .start(.primary)
        case .primary:
            return try startPrimary(&frames)
        }
    }

    /// The operator that continues a left-associative chain of `goal`, if the current token is one.
    func chainOperator(_ goal: Goal) throws(DiagnosticsError) -> BinaryOperator? {
        let token = try current()
        switch (goal, token.kind) {
        case (.or, .symbol(.or)): return .or
        case (.and, .symbol(.and)): return .and
        case (.additive, .symbol(.plus)): return .add
        case (.additive, .symbol(.minus)): return .subtract
        case (.multiplicative, .symbol(.star)): return .multiply
        case (.multiplicative, .symbol(.slash)): return .divide
        default: return nil
        }
    }

    /// The rule whose operands a chain of `goal` is made of.
    static func operandGoal(of goal: Goal) -> Goal {
        switch goal {
        case .or: .and
        case .and: .relation
        case .additive: .multiplicative
        default: .unary
        }
    }

    /// Continues a frame with the sub-expression it waited for (`nil` only for `.relationThird`, whose
    /// operand failed).
    mutating func resume(_ frame: Frame, with node: ParsedNode?, _ frames: inout [Frame]) throws(DiagnosticsError) -> Step {
        switch frame {
        case .expressionCondition:
            guard let condition = node else { return .start(.expression) }
            guard try current().kind == .symbol(.question) else { return .deliver(condition) }
            let question = advance()
            try enter()
            frames.append(.expressionWhenTrue(condition: condition, question: question))
            return .start(.expression)
        case .expressionWhenTrue(let condition, let question):
            guard let whenTrue = node else { return .start(.expression) }
            let colon = try current()
            guard colon.kind == .symbol(.colon) else {
                throw unexpectedAfterOperand(
                    colon, expected: .same("':'"),
                    missing: .vi("còn thiếu ':' và giá trị dùng khi điều kiện sai", en: "':' and the value for when the condition is false are missing"))
            }
            advance()
            frames.append(.expressionWhenFalse(condition: condition, whenTrue: whenTrue, question: question))
            return .start(.expression)
        case .expressionWhenFalse(let condition, let whenTrue, let question):
            guard let whenFalse = node else { return .start(.expression) }
            let result = try make(
                .conditional(condition.expression, whenTrue.expression, whenFalse.expression),
                from: condition.expression.offset, to: whenFalse.end,
                depth: 1 + max(condition.depth, whenTrue.depth, whenFalse.depth), at: question.offset)
            level -= 1
            return .deliver(result)
        case .chainFirst(let goal):
            guard let left = node else { return .start(goal) }
            return try continueChain(goal, left: left, &frames)
        case .chainNext(let goal, let left, let op, let token):
            guard let right = node else { return .start(goal) }
            return try continueChain(goal, left: try binary(op, left, right, at: token), &frames)
        case .relationLeft:
            guard let left = node else { return .start(.relation) }
            guard let op = Self.relation(try current()) else { return .deliver(left) }
            let token = advance()
            frames.append(.relationRight(left: left, op: op, token: token))
            return .start(.additive)
        case .relationRight(let left, let op, let token):
            guard let right = node else { return .start(.relation) }
            let result = try binary(op, left, right, at: token)
            guard let second = Self.relation(try current()) else { return .deliver(result) }
            let secondToken = advance()
            frames.append(
                .relationThird(left: left, op: op, middle: right, second: second, token: secondToken, level: level))
            return .start(.additive)
        case .relationThird(let left, let op, let right, let second, let secondToken, _):
            let middle = right.expression.description
            let hint: LocalizedText
            if let third = node {
                hint =
                    .vi("hãy tách thành hai phép so sánh nối bằng '&&': \(left.expression) \(op.rawValue) \(middle) && \(middle) \(second.rawValue) \(third.expression)", en: "split it into two comparisons joined by '&&': \(left.expression) \(op.rawValue) \(middle) && \(middle) \(second.rawValue) \(third.expression)")
            } else {
                hint = .vi("hãy tách thành hai phép so sánh nối bằng '&&'", en: "split it into two comparisons joined by '&&'")
            }
            throw failure(
                "expr.chained-comparison",
                .vi("không được viết các phép so sánh nối tiếp nhau: '\(second.rawValue)' đứng sau '\(op.rawValue)'", en: "comparisons cannot be chained: '\(second.rawValue)' follows '\(op.rawValue)'"),
                at: secondToken.offset, hint: hint)
        case .unaryOperand(let prefixes, let startLevel):
            guard var result = node else { return .start(.unary) }
            for (op, token) in prefixes.reversed() {
                result = try make(
                    .unary(op, result.expression), from: token.offset, to: result.end, depth: result.depth + 1,
                    at: token.offset)
            }
            level = startLevel
            return .deliver(result)
        case .postfixPrimary:
            guard let primary = node else { return .start(.postfix) }
            return try continuePostfix(primary, &frames)
        case .parenthesized(let open):
            guard let inner = node else { return .start(.primary) }
            let close = try closing(.closeParen, opener: open, expected: .vi("')' hoặc một phép toán", en: "')' or an operator"))
            var expression = inner.expression
            expression.offset = open.offset
            expression.length = close.offset + close.length - open.offset
            let depth = inner.depth + 1
            try checkDepth(depth, at: open.offset)
            level -= 1
            return .deliver(ParsedNode(expression: expression, depth: depth))
        case .listElement(let open, var elements):
            guard let element = node else { return .start(.primary) }
            elements.append(element)
            let next = try current()
            if next.kind == .symbol(.comma) {
                advance()
                if try current().kind == .symbol(.closeBracket) { return try finishList(open, elements) }
                frames.append(.listElement(open: open, elements: elements))
                return .start(.expression)
            }
            if next.kind == .symbol(.closeBracket) { return try finishList(open, elements) }
            _ = try closing(.closeBracket, opener: open, expected: .vi("',' hoặc ']'", en: "',' or ']'"))
            return try finishList(open, elements)  // not reached: `closing` throws unless the token is ']'
        case .arguments(let open, var arguments, let target):
            guard let argument = node else { return .start(.expression) }
            arguments.append(argument)
            let next = try current()
            if next.kind == .symbol(.comma) {
                advance()
                frames.append(.arguments(open: open, arguments: arguments, target: target))
                return .start(.expression)
            }
            let close = try closing(.closeParen, opener: open, expected: .vi("',' hoặc ')'", en: "',' or ')'"))
            level -= 1
            return try finishCall(target, arguments: arguments, close: close, &frames)
        }
    }

    /// After an operand of a left-associative chain: another operator and operand, or the chain is done.
    mutating func continueChain(_ goal: Goal, left: ParsedNode, _ frames: inout [Frame]) throws(DiagnosticsError) -> Step {
        guard let op = try chainOperator(goal) else { return .deliver(left) }
        let token = advance()
        frames.append(.chainNext(goal, left: left, op: op, token: token))
        return .start(Self.operandGoal(of: goal))
    }

    /// postfix := primary ('.' IDENT ('(' args? ')')?)* — after the primary or a call.
    mutating func continuePostfix(_ start: ParsedNode, _ frames: inout [Frame]) throws(DiagnosticsError) -> Step {
        var node = start
        while try current().kind == .symbol(.dot) {
            let dot = advance()
            let nameToken = try current()
            guard case .identifier(let name) = nameToken.kind else {
                throw unexpected(
                    nameToken, expected: .vi("tên trường hoặc tên hàm sau dấu '.'", en: "a field or function name after '.'"),
                    missing: .vi("còn thiếu tên trường hoặc tên hàm", en: "a field or function name is missing"))
            }
            advance()
            if try current().kind == .symbol(.openParen) {
                let open = advance()
                return try startArguments(open: open, target: .method(receiver: node, name: name, dot: dot), &frames)
            }
            node = try make(
                .member(node.expression, name), from: node.expression.offset,
                to: nameToken.offset + nameToken.length, depth: node.depth + 1, at: dot.offset)
        }
        return .deliver(node)
    }

    /// args := expr (',' expr)*, after the '(' and through the ')'.
    mutating func startArguments(open: ExpressionToken, target: CallTarget, _ frames: inout [Frame])
        throws(DiagnosticsError) -> Step
    {
        try enter()
        if try current().kind == .symbol(.closeParen) {
            let close = advance()
            level -= 1
            return try finishCall(target, arguments: [], close: close, &frames)
        }
        frames.append(.arguments(open: open, arguments: [], target: target))
        return .start(.expression)
    }

    /// Makes a call node once its `)` is read; a method call continues its postfix chain.
    mutating func finishCall(_ target: CallTarget, arguments: [ParsedNode], close: ExpressionToken, _ frames: inout [Frame])
        throws(DiagnosticsError) -> Step
    {
        let argumentDepth = arguments.map(\.depth).max() ?? 0
        switch target {
        case .function(let name, let token):
            return .deliver(
                try make(
                    .call(name: name, receiver: nil, arguments: arguments.map(\.expression)),
                    from: token.offset, to: close.offset + close.length, depth: 1 + argumentDepth, at: token.offset))
        case .method(let receiver, let name, let dot):
            let node = try make(
                .call(name: name, receiver: receiver.expression, arguments: arguments.map(\.expression)),
                from: receiver.expression.offset, to: close.offset + close.length,
                depth: 1 + max(receiver.depth, argumentDepth), at: dot.offset)
            return try continuePostfix(node, &frames)
        }
    }

    /// A list literal once its `]` is the current token.
    mutating func finishList(_ open: ExpressionToken, _ elements: [ParsedNode]) throws(DiagnosticsError) -> Step {
        let close = advance()
        level -= 1
        return .deliver(
            try make(
                .list(elements.map(\.expression)), from: open.offset, to: close.offset + close.length,
                depth: 1 + (elements.map(\.depth).max() ?? 0), at: open.offset))
    }

    /// primary := NUMBER | NUMBER '%' | STRING | 'true' | 'false' | IDENT | IDENT '(' args? ')'
    ///          | '(' expr ')' | '[' (expr (',' expr)* ','?)? ']'
    mutating func startPrimary(_ frames: inout [Frame]) throws(DiagnosticsError) -> Step {
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
                            .vi("'\(text)%' không phải là số ngôn ngữ quy tắc chấp nhận: \(DecimalText.Rejection.outOfRange.words.vi)", en: "'\(text)%' is not a number the rule language accepts: \(DecimalText.Rejection.outOfRange.explanation)"),
                            at: token.offset)
                    }
                    value = share
                }
                return .deliver(try leaf(.number(value, isPercent: isPercent), token))
            case .failure(let rejection):
                throw failure(
                    "expr.invalid-number",
                    .vi("'\(text)' không phải là số ngôn ngữ quy tắc chấp nhận: \(rejection.words.vi)", en: "'\(text)' is not a number the rule language accepts: \(rejection.explanation)"),
                    at: token.offset)
            }
        case .string(let value):
            advance()
            return .deliver(try leaf(.string(value), token))
        case .keyword(.true):
            advance()
            return .deliver(try leaf(.bool(true), token))
        case .keyword(.false):
            advance()
            return .deliver(try leaf(.bool(false), token))
        case .identifier(let name):
            if name == "null" {
                throw failure(
                    "expr.unsupported", .vi("null không thuộc ngôn ngữ quy tắc; hãy dùng has(x) để kiểm tra một dữ kiện đã có hay chưa", en: "null is not part of the rule language; use has(x) to test whether a fact is known"),
                    at: token.offset, hint: .vi("hãy viết has(dữ_kiện) hoặc !has(dữ_kiện)", en: "write has(fact) or !has(fact)"))
            }
            if name.lowercased() == "not", Self.startsOperand(peek(1)) {
                throw failure(
                    "expr.word-operator", .vi("'\(name)' không phải là phép toán", en: "'\(name)' is not an operator"), at: token.offset,
                    hint: .vi("hãy viết '!' cho phủ định ('not'), ví dụ !has(fact) hoặc !(x in list)", en: "write '!' for 'not', as in !has(fact) or !(x in list)"))
            }
            advance()
            if try current().kind == .symbol(.openParen) {
                let open = advance()
                return try startArguments(open: open, target: .function(name: name, token: token), &frames)
            }
            return .deliver(try leaf(.identifier(name), token))
        case .symbol(.openParen):
            advance()
            try enter()
            frames.append(.parenthesized(open: token))
            return .start(.expression)
        case .symbol(.openBracket):
            advance()
            try enter()
            if try current().kind == .symbol(.closeBracket) { return try finishList(token, []) }
            frames.append(.listElement(open: token, elements: []))
            return .start(.expression)
        case .symbol(.dot):
            if case .number(let text, _) = peek(1).kind, peek(1).offset == token.offset + 1 {
                throw failure(
                    "expr.invalid-number", .vi("'.\(text)' không phải là số ngôn ngữ quy tắc chấp nhận: số phải bắt đầu bằng chữ số", en: "'.\(text)' is not a number the rule language accepts: a number starts with a digit"),
                    at: token.offset, hint: .vi("hãy viết 0.\(text)", en: "write 0.\(text)"))
            }
            throw unexpected(token, expected: .vi("một giá trị", en: "a value"), missing: .vi("còn thiếu một giá trị", en: "a value is missing"))
        case .symbol(.closeParen), .symbol(.closeBracket):
            if previousToken == nil {
                throw strayCloser(token)
            }
            throw unexpected(token, expected: .vi("một giá trị", en: "a value"), missing: .vi("còn thiếu một giá trị", en: "a value is missing"))
        default:
            throw unexpected(token, expected: .vi("một giá trị", en: "a value"), missing: .vi("còn thiếu một giá trị", en: "a value is missing"))
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
    mutating func closing(_ symbol: ExpressionToken.Symbol, opener: ExpressionToken, expected: LocalizedText)
        throws(DiagnosticsError) -> ExpressionToken
    {
        let token = try current()
        if token.kind == .symbol(symbol) { return advance() }
        let open = symbol == .closeParen ? "(" : "["
        switch token.kind {
        case .end:
            throw failure(
                "expr.unbalanced", .vi("'\(open)' chưa được đóng", en: "'\(open)' is never closed"), at: opener.offset,
                notes: [DiagnosticNote(.vi("biểu thức kết thúc ở đây", en: "the expression ends here"), at: source.range(ofOffset: token.offset))],
                hint: .vi("hãy thêm '\(symbol.rawValue)' ở chỗ kết thúc phần trong ngoặc", en: "add '\(symbol.rawValue)' where the bracketed part ends"))
        case .symbol(.closeParen), .symbol(.closeBracket):
            let found = token.kind == .symbol(.closeParen) ? ")" : "]"
            throw failure(
                "expr.unbalanced", .vi("'\(open)' lại được đóng bằng '\(found)'", en: "'\(open)' is closed by '\(found)'"), at: opener.offset,
                notes: [DiagnosticNote(.vi("'\(found)' ở đây", en: "'\(found)' is here"), at: source.range(ofOffset: token.offset))],
                hint: .vi("hãy đóng '\(open)' bằng '\(symbol.rawValue)'", en: "close '\(open)' with '\(symbol.rawValue)'"))
        default:
            throw unexpectedAfterOperand(token, expected: expected, missing: .same(""))
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
            .vi("biểu thức lồng sâu ít nhất \(seen) cấp, vượt giới hạn \(limits.maxExpressionDepth)", en: "the expression is nested at least \(seen) levels deep, deeper than the limit of \(limits.maxExpressionDepth)"),
            at: offset, hint: .vi("hãy tách thành các tiêu chí nhỏ hơn rồi kết hợp chúng bằng meets(\"criterion-id\")", en: "split it into smaller criteria and combine them with meets(\"criterion-id\")"))
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
        _ id: DiagnosticID, _ message: LocalizedText, at offset: Int, notes: [DiagnosticNote] = [], hint: LocalizedText? = nil
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
    func describe(_ token: ExpressionToken) -> LocalizedText {
        if case .string = token.kind { return .vi("văn bản \(text(of: token))", en: "the text \(text(of: token))") }
        return .same("'\(text(of: token))'")
    }

    /// The error for a token found where something else was expected.
    func unexpected(_ token: ExpressionToken, expected: LocalizedText, missing: LocalizedText) -> DiagnosticsError {
        if token.kind == .end, let last = previousToken {
            return failure(
                "expr.unexpected-end", .vi("biểu thức kết thúc sau \(describe(last).vi); \(missing.vi)", en: "the expression ends after \(describe(last).english); \(missing.english)"), at: last.offset,
                hint: .vi("hãy thêm phần còn thiếu sau \(describe(last).vi), hoặc bỏ \(describe(last).vi)", en: "add what is missing after \(describe(last).english), or remove \(describe(last).english)"))
        }
        return failure("expr.unexpected-token", .vi("cần \(expected.vi) nhưng gặp \(describe(token).vi)", en: "expected \(expected.english) but found \(describe(token).english)"), at: token.offset)
    }

    /// The error for a token found right after a complete value, where an operator or a closing
    /// bracket was expected: recognises words used as operators, a stray closing bracket and a
    /// decimal comma.
    func unexpectedAfterOperand(_ token: ExpressionToken, expected: LocalizedText, missing: LocalizedText) -> DiagnosticsError {
        if case .identifier(let word) = token.kind {
            let replacement: String? =
                switch word.lowercased() {
                case "and": "&&"
                case "or": "||"
                case "not": "!"
                default: nil
                }
            if let replacement {
                let hint: LocalizedText =
                    replacement == "!"
                    ? .vi("hãy viết '!' trước giá trị cần phủ định, ví dụ !(x in list)", en: "write '!' before the value it negates, as in !(x in list)")
                    : .vi("hãy viết '\(replacement)' thay cho '\(word.lowercased())'", en: "write '\(replacement)' for '\(word.lowercased())'")
                return failure("expr.word-operator", .vi("'\(word)' không phải là phép toán", en: "'\(word)' is not an operator"), at: token.offset, hint: hint)
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
                .vi("'\(whole),\(fraction)' không phải là số ngôn ngữ quy tắc chấp nhận: \(DecimalText.Rejection.decimalComma.words.vi)", en: "'\(whole),\(fraction)' is not a number the rule language accepts: \(DecimalText.Rejection.decimalComma.explanation)"),
                at: before.offset, hint: .vi("hãy viết \(whole).\(fraction)", en: "write \(whole).\(fraction)"))
        }
        if token.kind == .end, !missing.vi.isEmpty { return unexpected(token, expected: expected, missing: missing) }
        return failure("expr.unexpected-token", .vi("cần \(expected.vi) nhưng gặp \(describe(token).vi)", en: "expected \(expected.english) but found \(describe(token).english)"), at: token.offset)
    }

    func strayCloser(_ token: ExpressionToken) -> DiagnosticsError {
        let (close, open) = token.kind == .symbol(.closeParen) ? (")", "(") : ("]", "[")
        return failure(
            "expr.unbalanced", .vi("'\(close)' không có '\(open)' tương ứng", en: "'\(close)' has no matching '\(open)'"), at: token.offset,
            hint: .vi("hãy bỏ nó, hoặc thêm '\(open)' còn thiếu ở chỗ bắt đầu phần trong ngoặc", en: "remove it, or add the missing '\(open)' where the bracketed part starts"))
    }
}
