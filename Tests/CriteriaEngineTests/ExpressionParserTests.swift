import CriteriaEngine
import Foundation
import Testing

// MARK: - Helpers

/// Foundation also declares an `Expression`; these tests mean the rule language's.
private typealias Expression = CriteriaEngine.Expression

/// The file and place every test expression is said to stand at: line 14, column 18.
private let ruleFile = "rules/xa-nong-thon-moi.yaml"

private func source(_ text: String, columnShift: Int? = 0) -> ExpressionSource {
    ExpressionSource(text: text, range: SourceRange(file: ruleFile, line: 14, column: 18), columnShift: columnShift)
}

private func parse(_ text: String, limits: Limits = .default) throws(DiagnosticsError) -> Expression {
    try ExpressionParser.parse(source(text), limits: limits)
}

/// The single diagnostic a failing parse reports (the test fails if the parse succeeds).
private func diagnostic(
    _ text: String, columnShift: Int? = 0, limits: Limits = .default, sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Diagnostic? {
    do {
        let expression = try ExpressionParser.parse(source(text, columnShift: columnShift), limits: limits)
        Issue.record("expected an error, parsed \(expression)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.diagnostics.count == 1, sourceLocation: sourceLocation)
        #expect(error.diagnostics.first?.severity == .error, sourceLocation: sourceLocation)
        #expect(error.diagnostics.first?.range?.file == ruleFile, sourceLocation: sourceLocation)
        return error.diagnostics.first
    }
}

/// Checks that `text` fails with `id` at line 14 and `column`, and returns the diagnostic.
@discardableResult
private func expectFailure(
    _ text: String, _ id: DiagnosticID, column: Int, columnShift: Int? = 0, limits: Limits = .default,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Diagnostic? {
    let found = diagnostic(text, columnShift: columnShift, limits: limits, sourceLocation: sourceLocation)
    #expect(found?.id == id, sourceLocation: sourceLocation)
    #expect(found?.range?.start == CriteriaEngine.SourceLocation(line: 14, column: column), sourceLocation: sourceLocation)
    return found
}

/// A fully bracketed prefix form of a tree, independent of offsets: `(+ a (* b c))`.
private func tree(_ expression: Expression) -> String {
    switch expression.kind {
    case .number(let value, let isPercent): isPercent ? "\((value * 100).description)%" : value.description
    case .string(let value): "\"\(value)\""
    case .bool(let value): value ? "true" : "false"
    case .list(let elements): "[" + elements.map(tree).joined(separator: " ") + "]"
    case .identifier(let name): name
    case .member(let receiver, let name): "(. \(tree(receiver)) \(name))"
    case .call(let name, let receiver, let arguments):
        "(\(name)" + (receiver.map { " ^" + tree($0) } ?? "") + arguments.map { " " + tree($0) }.joined() + ")"
    case .unary(let op, let operand): "(\(op.rawValue) \(tree(operand)))"
    case .binary(let op, let left, let right): "(\(op.rawValue) \(tree(left)) \(tree(right)))"
    case .conditional(let condition, let whenTrue, let whenFalse):
        "(? \(tree(condition)) \(tree(whenTrue)) \(tree(whenFalse)))"
    }
}

private func tree(_ text: String) throws -> String { tree(try parse(text)) }

/// The same tree with every offset and length set to 0.
private func stripped(_ expression: Expression) -> Expression {
    let kind: Expression.Kind =
        switch expression.kind {
        case .number, .string, .bool, .identifier: expression.kind
        case .list(let elements): .list(elements.map(stripped))
        case .member(let receiver, let name): .member(stripped(receiver), name)
        case .call(let name, let receiver, let arguments):
            .call(name: name, receiver: receiver.map(stripped), arguments: arguments.map(stripped))
        case .unary(let op, let operand): .unary(op, stripped(operand))
        case .binary(let op, let left, let right): .binary(op, stripped(left), stripped(right))
        case .conditional(let condition, let whenTrue, let whenFalse):
            .conditional(stripped(condition), stripped(whenTrue), stripped(whenFalse))
        }
    return Expression(kind, offset: 0, length: 0)
}

private func decimal(_ text: String) -> Decimal? { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }

private func limits(_ change: (inout Limits) -> Void) -> Limits {
    var result = Limits.default
    change(&result)
    return result
}

// MARK: - Precedence and associativity

@Suite("Expression parser: precedence")
struct ExpressionPrecedenceTests {
    @Test(
        "operators bind by CEL precedence",
        arguments: [
            ("a + b * c", "(+ a (* b c))"),
            ("a * b + c", "(+ (* a b) c)"),
            ("a - b / c", "(- a (/ b c))"),
            ("a || b && c", "(|| a (&& b c))"),
            ("a && b || c && d", "(|| (&& a b) (&& c d))"),
            ("a < b + 1", "(< a (+ b 1))"),
            ("a + 1 >= b * 2", "(>= (+ a 1) (* b 2))"),
            ("a == b && c != d", "(&& (== a b) (!= c d))"),
            ("a < b || c > d", "(|| (< a b) (> c d))"),
            ("x + 1 in list", "(in (+ x 1) list)"),
            ("a in b && c", "(&& (in a b) c)"),
            ("!a && b", "(&& (! a) b)"),
            ("!a == b", "(== (! a) b)"),
            ("-a * b", "(* (- a) b)"),
            ("a * -b", "(* a (- b))"),
            ("a - -b", "(- a (- b))"),
            ("!!a", "(! (! a))"),
            ("- -a", "(- (- a))"),
            ("!a.b", "(! (. a b))"),
            ("-x.size()", "(- (size ^x))"),
            ("(a + b) * c", "(* (+ a b) c)"),
            ("a * (b + c)", "(* a (+ b c))"),
            ("((a))", "a"),
            ("57 <= 60 * 95%", "(<= 57 (* 60 95%))"),
            ("17 / 25 >= 70%", "(>= (/ 17 25) 70%)"),
        ])
    func precedence(text: String, expected: String) throws {
        #expect(try tree(text) == expected)
    }

    @Test(
        "binary operators of one level associate to the left",
        arguments: [
            ("a - b - c", "(- (- a b) c)"),
            ("a + b - c + d", "(+ (- (+ a b) c) d)"),
            ("a / b / c", "(/ (/ a b) c)"),
            ("a * b / c * d", "(* (/ (* a b) c) d)"),
            ("a || b || c", "(|| (|| a b) c)"),
            ("a && b && c", "(&& (&& a b) c)"),
        ])
    func leftAssociative(text: String, expected: String) throws {
        #expect(try tree(text) == expected)
    }

    @Test(
        "the conditional is right-associative and binds least",
        arguments: [
            ("a ? b : c", "(? a b c)"),
            ("a ? b : c ? d : e", "(? a b (? c d e))"),
            ("a ? b ? c : d : e", "(? a (? b c d) e)"),
            ("a || b ? c : d", "(? (|| a b) c d)"),
            ("a ? b || c : d && e", "(? a (|| b c) (&& d e))"),
            ("x > 1 ? x * 2 : 0", "(? (> x 1) (* x 2) 0)"),
            ("(a ? b : c) ? d : e", "(? (? a b c) d e)"),
            ("f(a ? b : c)", "(f (? a b c))"),
            ("[a ? 1 : 2]", "[(? a 1 2)]"),
        ])
    func conditional(text: String, expected: String) throws {
        #expect(try tree(text) == expected)
    }

    @Test("every binary operator parses to its case", arguments: BinaryOperator.allCases)
    func everyBinaryOperator(op: BinaryOperator) throws {
        let expression = try parse("a \(op.rawValue) b")
        #expect(
            stripped(expression)
                == Expression(
                    .binary(
                        op, Expression(.identifier("a"), offset: 0, length: 0),
                        Expression(.identifier("b"), offset: 0, length: 0)), offset: 0, length: 0))
        #expect(expression.length == 4 + op.rawValue.count)
    }

    @Test("every unary operator parses to its case")
    func everyUnaryOperator() throws {
        #expect(try parse("!ok").kind == .unary(.not, Expression(.identifier("ok"), offset: 1, length: 2)))
        #expect(try parse("-n").kind == .unary(.negate, Expression(.identifier("n"), offset: 1, length: 1)))
    }

    @Test("spaces, tabs and line breaks between tokens do not matter")
    func whitespace() throws {
        #expect(try tree("a\n  &&\tb\r\n|| c") == "(|| (&& a b) c)")
        #expect(try tree("f ( x , y )") == "(f x y)")
    }
}

// MARK: - Literals and forms

@Suite("Expression parser: literals and forms")
struct ExpressionFormTests {
    @Test(
        "numbers are exact decimals",
        arguments: [("0", "0"), ("12", "12"), ("12.5", "12.5"), ("0.05", "0.05"), ("2019", "2019"), ("1.50", "1.5")])
    func numbers(text: String, value: String) throws {
        let expression = try parse(text)
        #expect(expression.kind == .number(try #require(decimal(value)), isPercent: false))
        #expect(expression.offset == 0 && expression.length == text.count)
    }

    @Test("a number with more than 19 digits keeps every digit")
    func longNumber() throws {
        let text = "12345678901234567890123456789.12345678"
        #expect(try parse(text).kind == .number(try #require(decimal(text)), isPercent: false))
    }

    @Test(
        "a percent sign right after a number divides it by 100",
        arguments: [("70%", "0.7"), ("100%", "1"), ("0.5%", "0.005"), ("95%", "0.95"), ("0%", "0")])
    func percent(text: String, value: String) throws {
        let expression = try parse(text)
        #expect(expression.kind == .number(try #require(decimal(value)), isPercent: true))
        #expect(expression.length == text.count)
    }

    @Test("strings take double or single quotes and the five escapes")
    func strings() throws {
        #expect(try parse("\"kha\"").kind == .string("kha"))
        #expect(try parse("'kha'").kind == .string("kha"))
        #expect(try parse("''").kind == .string(""))
        #expect(try parse(#"'it\'s'"#).kind == .string("it's"))
        #expect(try parse(#""say \"hi\"""#).kind == .string("say \"hi\""))
        #expect(try parse(#"'a\\b\nc\td'"#).kind == .string("a\\b\nc\td"))
        #expect(try parse(#""'""#).kind == .string("'"))
        #expect(try parse("\"H\u{E0} N\u{1ED9}i\"").kind == .string("H\u{E0} N\u{1ED9}i"))
        #expect(try parse(#"'a\'b'"#).length == 6)
    }

    @Test("true and false are literals, other names are identifiers")
    func namesAndBooleans() throws {
        #expect(try parse("true").kind == .bool(true))
        #expect(try parse("false").kind == .bool(false))
        #expect(try parse("poverty_rate").kind == .identifier("poverty_rate"))
        #expect(try parse("_x1").kind == .identifier("_x1"))
        #expect(try parse("True").kind == .identifier("True"))
        #expect(try parse("truest").kind == .identifier("truest"))
        #expect(try parse("inside").kind == .identifier("inside"))
        #expect(try parse("and").kind == .identifier("and"))
    }

    @Test(
        "lists",
        arguments: [
            ("[]", "[]"), ("[1]", "[1]"), ("[1, 2]", "[1 2]"), ("[1, 2,]", "[1 2]"),
            ("['kha', \"tot\"]", "[\"kha\" \"tot\"]"), ("[[1], [], a + 1]", "[[1] [] (+ a 1)]"),
            ("rank in ['kha', 'tot']", "(in rank [\"kha\" \"tot\"])"),
        ])
    func lists(text: String, expected: String) throws {
        #expect(try tree(text) == expected)
    }

    @Test(
        "member access, calls and receiver calls",
        arguments: [
            ("a.b", "(. a b)"),
            ("a.b.c", "(. (. a b) c)"),
            ("f()", "(f)"),
            ("f(a, b)", "(f a b)"),
            ("f(x).y", "(. (f x) y)"),
            ("hamlets.all(h, h.safe_antt)", "(all ^hamlets h (. h safe_antt))"),
            ("hamlets.exists(h, h.poor)", "(exists ^hamlets h (. h poor))"),
            ("hamlets.filter(h, h.poor).size() >= 3", "(>= (size ^(filter ^hamlets h (. h poor))) 3)"),
            ("size(hamlets) > 0", "(> (size hamlets) 0)"),
            ("share(households, h, h.poor) <= 5%", "(<= (share households h (. h poor)) 5%)"),
            ("count(households, h, h.poor)", "(count households h (. h poor))"),
            ("sum(hamlets, h, h.population)", "(sum hamlets h (. h population))"),
            ("crimes <= last_year(crimes)", "(<= crimes (last_year crimes))"),
            ("in_year(2019, income)", "(in_year 2019 income)"),
            ("meets(\"xa-ntm\")", "(meets \"xa-ntm\")"),
            ("meets(commune, 'xa-ntm')", "(meets commune \"xa-ntm\")"),
            ("recognised_on >= date(\"2022-03-08\")", "(>= recognised_on (date \"2022-03-08\"))"),
            ("!has(antt_plan)", "(! (has antt_plan))"),
            ("(a + b).size()", "(size ^(+ a b))"),
            ("[1, 2].size()", "(size ^[1 2])"),
            ("'abc'.size()", "(size ^\"abc\")"),
            ("a.b(c).d(e, f)", "(d ^(b ^a c) e f)"),
        ])
    func postfix(text: String, expected: String) throws {
        #expect(try tree(text) == expected)
    }

    @Test("nodes carry their offset and length in the expression text")
    func offsets() throws {
        let sum = try parse("a + b * c")
        #expect(sum.offset == 0 && sum.length == 9)
        guard case .binary(.add, let left, let right) = sum.kind else {
            Issue.record("not a sum: \(sum)")
            return
        }
        #expect(left.offset == 0 && left.length == 1)
        #expect(right.offset == 4 && right.length == 5)

        let grouped = try parse("(a + b) * c")
        guard case .binary(.multiply, let group, _) = grouped.kind else {
            Issue.record("not a product: \(grouped)")
            return
        }
        #expect(group.offset == 0 && group.length == 7)

        let call = try parse("hamlets.all(h, h.safe_antt) && x")
        guard case .binary(.and, let all, let x) = call.kind else {
            Issue.record("not a conjunction: \(call)")
            return
        }
        #expect(all.offset == 0 && all.length == 27)
        #expect(x.offset == 31 && x.length == 1)

        let negation = try parse("  !ok")
        #expect(negation.offset == 2 && negation.length == 3)
    }

    @Test("offsets count Unicode scalars, so text after Vietnamese strings maps to the right column")
    func unicodeOffsets() throws {
        let text = "\"H\u{E0} N\u{1ED9}i\" == x"
        guard case .binary(.equal, let name, let x) = try parse(text).kind else {
            Issue.record("not a comparison")
            return
        }
        #expect(name.offset == 0 && name.length == 8)
        #expect(x.offset == 12)
        #expect(source(text).range(of: x).start == CriteriaEngine.SourceLocation(line: 14, column: 30))
    }
}

// MARK: - Printer

@Suite("Expression printer")
struct ExpressionPrinterTests {
    @Test(
        "prints canonical text with minimal parentheses",
        arguments: [
            ("a+b*c", "a + b * c"),
            ("(a+b)*c", "(a + b) * c"),
            ("a-(b-c)", "a - (b - c)"),
            ("(a-b)-c", "a - b - c"),
            ("a/(b*c)", "a / (b * c)"),
            ("(a||b)&&c", "(a || b) && c"),
            ("a||(b&&c)", "a || b && c"),
            ("!(a&&b)", "!(a && b)"),
            ("!a", "!a"),
            ("!!a", "!!a"),
            ("-(a+b)", "-(a + b)"),
            ("a - -b", "a - -b"),
            ("(-a).b", "(-a).b"),
            ("(a<b)==c", "(a < b) == c"),
            ("a==(b<c)", "a == (b < c)"),
            ("(x in [1,2]) == true", "(x in [1, 2]) == true"),
            ("(a?b:c)?d:e", "(a ? b : c) ? d : e"),
            ("a?b:(c?d:e)", "a ? b : c ? d : e"),
            ("a ? (b ? c : d) : e", "a ? b ? c : d : e"),
            ("(a ? b : c) + 1", "(a ? b : c) + 1"),
            ("f((a ? b : c))", "f(a ? b : c)"),
            ("'kha'", "\"kha\""),
            (#"'say "hi"\n'"#, #""say \"hi\"\n""#),
            (#"'back\\slash\ttab'"#, #""back\\slash\ttab""#),
            ("70%", "70%"),
            ("70.0%", "70%"),
            ("0.5%", "0.5%"),
            ("100%", "100%"),
            ("12.50", "12.5"),
            ("60*95%", "60 * 95%"),
            ("hamlets.all(h,h.safe_antt)", "hamlets.all(h, h.safe_antt)"),
            ("(a + b).size()", "(a + b).size()"),
            ("[1,2,]", "[1, 2]"),
            ("[]", "[]"),
            ("f()", "f()"),
            ("meets( 'xa-ntm' )", "meets(\"xa-ntm\")"),
            ("x   in  ['a','b']", "x in [\"a\", \"b\"]"),
        ])
    func canonical(text: String, printed: String) throws {
        let expression = try parse(text)
        #expect(expression.description == printed)
        #expect(stripped(try parse(expression.description)) == stripped(expression))
    }

    @Test(
        "printing then parsing gives the same tree",
        arguments: [
            "social_order_crimes <= last_year(social_order_crimes) * 95%",
            "share(households, h, h.poor && !h.disabled) <= 5% || commune.mountainous",
            "hamlets.filter(h, h.population > 100).size() >= 3 ? score + 1 : score - 1",
            "a - (b - (c - d))", "-(-(-x))", "!(!(a || b) && c)", "x in [1, 2, 3] && y in ['a']",
            "((a ? b : c) ? (d ? e : f) : g ? h : i)", "in_year(2019, income / population) >= 0.0125",
            "12345678901234567890123456789.12345678 > 0",
        ])
    func roundTrip(text: String) throws {
        let expression = try parse(text)
        let printed = expression.description
        #expect(stripped(try parse(printed)) == stripped(expression))
        #expect(try parse(printed).description == printed)
    }

    @Test("random trees survive printing and parsing")
    func randomTrees() throws {
        var generator = SplitMix64(seed: 20_260_101)
        for _ in 0..<500 {
            let expression = randomExpression(depth: 5, using: &generator)
            let printed = expression.description
            let reparsed = try parse(printed)
            #expect(stripped(reparsed) == expression, "\(printed)")
        }
    }
}


/// A random tree of the shapes the parser can produce, with offsets 0.
private func randomExpression(depth: Int, using generator: inout SplitMix64) -> Expression {
    func node(_ kind: Expression.Kind) -> Expression { Expression(kind, offset: 0, length: 0) }
    let names = ["a", "b", "hamlets", "poverty_rate", "_x"]
    let numbers = ["0", "1", "12.5", "0.05", "2019"]
    if depth == 0 || Int.random(in: 0..<4, using: &generator) == 0 {
        switch Int.random(in: 0..<5, using: &generator) {
        case 0:
            let isPercent = Bool.random(using: &generator)
            let value = decimal(numbers.randomElement(using: &generator) ?? "1") ?? 1
            return node(.number(isPercent ? value / 100 : value, isPercent: isPercent))
        case 1: return node(.string(["kha", "it's", "a\"b", "x\\y\n", ""].randomElement(using: &generator) ?? ""))
        case 2: return node(.bool(Bool.random(using: &generator)))
        default: return node(.identifier(names.randomElement(using: &generator) ?? "a"))
        }
    }
    let next = depth - 1
    switch Int.random(in: 0..<7, using: &generator) {
    case 0:
        let op = [UnaryOperator.not, .negate].randomElement(using: &generator) ?? .not
        return node(.unary(op, randomExpression(depth: next, using: &generator)))
    case 1:
        return node(
            .conditional(
                randomExpression(depth: next, using: &generator), randomExpression(depth: next, using: &generator),
                randomExpression(depth: next, using: &generator)))
    case 2:
        return node(.member(randomExpression(depth: next, using: &generator), names.randomElement(using: &generator) ?? "a"))
    case 3:
        let count = Int.random(in: 0..<3, using: &generator)
        let receiver = Bool.random(using: &generator) ? randomExpression(depth: next, using: &generator) : nil
        return node(
            .call(
                name: ["all", "size", "share", "meets"].randomElement(using: &generator) ?? "f", receiver: receiver,
                arguments: (0..<count).map { _ in randomExpression(depth: next, using: &generator) }))
    case 4:
        let count = Int.random(in: 0..<3, using: &generator)
        return node(.list((0..<count).map { _ in randomExpression(depth: next, using: &generator) }))
    default:
        let op = BinaryOperator.allCases.randomElement(using: &generator) ?? .add
        return node(
            .binary(op, randomExpression(depth: next, using: &generator), randomExpression(depth: next, using: &generator)))
    }
}

// MARK: - Errors

@Suite("Expression parser: errors point at the exact column")
struct ExpressionErrorTests {
    @Test("expr.empty")
    func empty() {
        let found = expectFailure("", "expr.empty", column: 18)
        #expect(found?.message == "the expression is empty")
        expectFailure("   \n ", "expr.empty", column: 18)
    }

    @Test("expr.single-equals")
    func singleEquals() {
        let found = expectFailure("poverty_rate = 5%", "expr.single-equals", column: 31)
        #expect(found?.hint == "write '==' to compare")
        #expect(expectFailure("a => b", "expr.single-equals", column: 20)?.hint?.contains("'>='") == true)
        #expect(expectFailure("a =< b", "expr.single-equals", column: 20)?.hint?.contains("'<='") == true)
    }

    @Test("expr.word-operator")
    func wordOperators() {
        let and = expectFailure("a > 1 and b", "expr.word-operator", column: 24)
        #expect(and?.message == "'and' is not an operator")
        #expect(and?.hint == "write '&&' for 'and'")
        #expect(expectFailure("a or b", "expr.word-operator", column: 20)?.hint == "write '||' for 'or'")
        #expect(expectFailure("a AND b", "expr.word-operator", column: 20)?.hint == "write '&&' for 'and'")
        #expect(expectFailure("not has(x)", "expr.word-operator", column: 18)?.hint?.contains("'!'") == true)
        #expect(expectFailure("a && not b", "expr.word-operator", column: 23)?.hint?.contains("'!'") == true)
        expectFailure("x not in list", "expr.word-operator", column: 20)
        expectFailure("f(a and b)", "expr.word-operator", column: 22)
        expectFailure("(a or b)", "expr.word-operator", column: 21)
    }

    @Test(
        "expr.unicode-operator",
        arguments: [("a \u{2264} b", "<="), ("a \u{2265} b", ">="), ("a \u{2260} b", "!="), ("a \u{00D7} b", "*"),
                    ("a \u{00F7} b", "/"), ("a \u{2212} b", "-"), ("a <> b", "!=")])
    func unicodeOperators(text: String, ascii: String) {
        let found = expectFailure(text, "expr.unicode-operator", column: 20)
        #expect(found?.hint == "write '\(ascii)' instead" || found?.hint == "write '\(ascii)' for 'not equal'")
    }

    @Test("expr.unexpected-end points at the last token")
    func unexpectedEnd() {
        let found = expectFailure(
            "social_order_crimes <= last_year(social_order_crimes) *", "expr.unexpected-end", column: 72)
        #expect(found?.message == "the expression ends after '*'; a value is missing")
        #expect(expectFailure("a &&", "expr.unexpected-end", column: 20)?.message == "the expression ends after '&&'; a value is missing")
        expectFailure("!", "expr.unexpected-end", column: 18)
        expectFailure("f(a,", "expr.unexpected-end", column: 21)
        #expect(expectFailure("a.", "expr.unexpected-end", column: 19)?.message.contains("name is missing") == true)
        expectFailure("a ?", "expr.unexpected-end", column: 20)
        let colon = expectFailure("a ? b", "expr.unexpected-end", column: 22)
        #expect(colon?.message.contains("':'") == true)
        expectFailure("a ? b :", "expr.unexpected-end", column: 24)
    }

    @Test("expr.unexpected-token")
    func unexpectedToken() {
        #expect(
            expectFailure("a b", "expr.unexpected-token", column: 20)?.message
                == "expected an operator or the end of the expression but found 'b'")
        #expect(expectFailure("f(a b)", "expr.unexpected-token", column: 22)?.message == "expected ',' or ')' but found 'b'")
        #expect(expectFailure("[1 2]", "expr.unexpected-token", column: 21)?.message == "expected ',' or ']' but found '2'")
        #expect(expectFailure("* a", "expr.unexpected-token", column: 18)?.message == "expected a value but found '*'")
        #expect(expectFailure("a + && b", "expr.unexpected-token", column: 22)?.message == "expected a value but found '&&'")
        #expect(
            expectFailure("a.1", "expr.unexpected-token", column: 20)?.message
                == "expected a field or function name after '.' but found '1'")
        expectFailure("a.true", "expr.unexpected-token", column: 20)
        expectFailure("x in in", "expr.unexpected-token", column: 23)
        expectFailure("()", "expr.unexpected-token", column: 19)
        expectFailure("f(a,)", "expr.unexpected-token", column: 22)
        expectFailure("(a b)", "expr.unexpected-token", column: 21)
        #expect(expectFailure("a ? b c", "expr.unexpected-token", column: 24)?.message == "expected ':' but found 'c'")
        #expect(
            expectFailure("x == 'a' 'b'", "expr.unexpected-token", column: 27)?.message
                == "expected an operator or the end of the expression but found the text 'b'")
    }

    @Test("expr.unbalanced points at the opening bracket")
    func unbalanced() {
        let open = expectFailure("(a + b", "expr.unbalanced", column: 18)
        #expect(open?.message == "'(' is never closed")
        #expect(open?.hint == "add ')' where the bracketed part ends")
        expectFailure("f(a", "expr.unbalanced", column: 19)
        expectFailure("x in [1, 2", "expr.unbalanced", column: 23)
        expectFailure("((a)", "expr.unbalanced", column: 18)
        expectFailure("(a * (b + c)", "expr.unbalanced", column: 18)
        let mismatched = expectFailure("(a]", "expr.unbalanced", column: 18)
        #expect(mismatched?.message == "'(' is closed by ']'")
        #expect(mismatched?.notes.first?.range?.start == CriteriaEngine.SourceLocation(line: 14, column: 20))
        expectFailure("[a)", "expr.unbalanced", column: 18)
        #expect(expectFailure("a + b)", "expr.unbalanced", column: 23)?.message == "')' has no matching '('")
        expectFailure("a]", "expr.unbalanced", column: 19)
        expectFailure(")", "expr.unbalanced", column: 18)
    }

    @Test("expr.invalid-character")
    func invalidCharacter() {
        expectFailure("a # b", "expr.invalid-character", column: 20)
        expectFailure("a $ b", "expr.invalid-character", column: 20)
        expectFailure("{a: 1}", "expr.invalid-character", column: 18)
        #expect(expectFailure("a & b", "expr.invalid-character", column: 20)?.hint == "write '&&' for 'and'")
        #expect(expectFailure("a | b", "expr.invalid-character", column: 20)?.hint == "write '||' for 'or'")
        let vietnamese = expectFailure("h\u{1ED9}_ngh\u{E8}o > 0", "expr.invalid-character", column: 19)
        #expect(vietnamese?.hint?.contains("did you mean 'ho_ngheo'?") == true)
        #expect(vietnamese?.message == "'\u{1ED9}' (U+1ED9) cannot be used in a name")
        let road = expectFailure("\u{111}uong > 0", "expr.invalid-character", column: 18)
        #expect(road?.hint?.contains("'duong'") == true)
        let quote = expectFailure("rank == \u{201C}kha\u{201D}", "expr.invalid-character", column: 26)
        #expect(quote?.hint == "use straight quotes, \" or '")
        let space = expectFailure("a\u{00A0}> 1", "expr.invalid-character", column: 19)
        #expect(space?.message == "U+00A0 is an unusual space character")
        expectFailure("a > 1;", "expr.invalid-character", column: 23)
        expectFailure("a\u{0}", "expr.invalid-character", column: 19)
    }

    @Test("expr.unterminated-string points at the opening quote")
    func unterminatedString() {
        let found = expectFailure("name == \"kha", "expr.unterminated-string", column: 26)
        #expect(found?.hint == "add \" at the end of the text")
        expectFailure("'abc", "expr.unterminated-string", column: 18)
        expectFailure(#"'abc\'"#, "expr.unterminated-string", column: 18)
        expectFailure(#"'abc\"#, "expr.unterminated-string", column: 18)
    }

    @Test("expr.invalid-escape points at the backslash")
    func invalidEscape() {
        let found = expectFailure(#"'a\qb'"#, "expr.invalid-escape", column: 20)
        #expect(found?.message == #"'\q' is not an escape the rule language knows"#)
    }

    @Test("expr.invalid-number uses DecimalText's explanation")
    func invalidNumber() {
        let zero = expectFailure("code == 010", "expr.invalid-number", column: 26)
        #expect(zero?.message.contains(DecimalText.Rejection.leadingZero.explanation) == true)
        let comma = expectFailure("x >= 1,5", "expr.invalid-number", column: 23)
        #expect(comma?.message.contains(DecimalText.Rejection.decimalComma.explanation) == true)
        #expect(comma?.hint == "write 1.5")
        let huge = expectFailure("x < 1234567890123456789012345678901234567890", "expr.invalid-number", column: 22)
        #expect(huge?.message.contains(DecimalText.Rejection.outOfRange.explanation) == true)
        let hex = expectFailure("0x1F", "expr.invalid-number", column: 18)
        #expect(hex?.message.contains(DecimalText.Rejection.yamlNumberForm.explanation) == true)
        expectFailure("1_000", "expr.invalid-number", column: 18)
        expectFailure("a + 1.2.3", "expr.invalid-number", column: 22)
        expectFailure("1e5", "expr.invalid-number", column: 18)
        #expect(expectFailure("x < .5", "expr.invalid-number", column: 22)?.hint == "write 0.5")
    }

    @Test("a comma between numbers is fine where a comma belongs")
    func commaInArguments() throws {
        #expect(try tree("f(1,5)") == "(f 1 5)")
        #expect(try tree("[1,5]") == "[1 5]")
    }

    @Test("expr.unsupported: modulo and null")
    func unsupported() {
        let modulo = expectFailure("a % 2 == 0", "expr.unsupported", column: 20)
        #expect(modulo?.message == "modulo (%) is not supported")
        let spaced = expectFailure("rate <= 70 %", "expr.unsupported", column: 29)
        #expect(spaced?.hint?.contains("70%") == true)
        expectFailure("70%%", "expr.unsupported", column: 21)
        let null = expectFailure("x == null", "expr.unsupported", column: 23)
        #expect(null?.message == "null is not part of the rule language; use has(x) to test whether a fact is known")
    }

    @Test("expr.chained-comparison points at the second operator")
    func chainedComparison() {
        let found = expectFailure("0 <= x <= 1", "expr.chained-comparison", column: 25)
        #expect(found?.hint == "split it into two comparisons joined by '&&': 0 <= x && x <= 1")
        expectFailure("a == b == c", "expr.chained-comparison", column: 25)
        expectFailure("a < b in list", "expr.chained-comparison", column: 24)
        expectFailure("a < b < ", "expr.chained-comparison", column: 24)
    }

    @Test("the first error in the text is the one reported")
    func firstErrorOnly() {
        expectFailure("a b = c", "expr.unexpected-token", column: 20)
        expectFailure("a = b c", "expr.single-equals", column: 20)
        expectFailure("(a + ) \u{2264} b", "expr.unexpected-token", column: 23)
    }

    @Test("a quoted scalar shifts every column by one")
    func quotedStyle() {
        expectFailure("a = b", "expr.single-equals", column: 21, columnShift: 1)
        expectFailure("0 <= x <= 1", "expr.chained-comparison", column: 26, columnShift: 1)
        expectFailure("(a + b", "expr.unbalanced", column: 19, columnShift: 1)
    }

    @Test("when offsets cannot be mapped every error is at the scalar's start")
    func unmappedStyle() {
        expectFailure("a = b", "expr.single-equals", column: 18, columnShift: nil)
    }
}

// MARK: - Limits

@Suite("Expression parser: limits")
struct ExpressionLimitTests {
    @Test("limits.expression-length names the limit and the length")
    func length() throws {
        let atLimit = String(repeating: "a", count: 4096)
        #expect(try parse(atLimit).kind == .identifier(atLimit))
        let found = expectFailure(String(repeating: "a", count: 4097), "limits.expression-length", column: 18)
        #expect(found?.message.contains("4097") == true)
        #expect(found?.message.contains("4096") == true)
        expectFailure("a + b", "limits.expression-length", column: 18, limits: limits { $0.maxExpressionLength = 4 })
    }

    @Test("limits.expression-depth counts nested brackets")
    func bracketDepth() throws {
        // 63 brackets around a name is 64 levels: allowed.
        let allowed = String(repeating: "(", count: 63) + "a" + String(repeating: ")", count: 63)
        #expect(try parse(allowed).kind == .identifier("a"))
        let deep = String(repeating: "(", count: 64) + "a" + String(repeating: ")", count: 64)
        let found = expectFailure(deep, "limits.expression-depth", column: 18 + 63)
        #expect(found?.message.contains("64") == true)
        #expect(found?.message.contains("65") == true)
        let list = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        expectFailure(list, "limits.expression-depth", column: 18 + 63)
        let calls = String(repeating: "f(", count: 70) + String(repeating: ")", count: 70)
        expectFailure(calls, "limits.expression-depth", column: 18 + 2 * 63 + 1)
    }

    @Test("limits.expression-depth counts operators and prefix chains too")
    func operatorDepth() throws {
        // A chain of 64 names is 63 operators deep plus the leaf: 64 levels.
        let sum64 = (0..<64).map { _ in "a" }.joined(separator: "+")
        #expect(throws: Never.self) { try parse(sum64) }
        let sum65 = (0..<65).map { _ in "a" }.joined(separator: "+")
        expectFailure(sum65, "limits.expression-depth", column: 18 + 2 * 63 + 1)
        #expect(throws: Never.self) { try parse(String(repeating: "!", count: 63) + "a") }
        expectFailure(String(repeating: "!", count: 64) + "a", "limits.expression-depth", column: 18 + 63)
        expectFailure(String(repeating: "-", count: 3000) + "a", "limits.expression-depth", column: 18 + 63)
        let ternaries = (0..<70).map { _ in "a ? b : " }.joined() + "c"
        expectFailure(ternaries, "limits.expression-depth", column: 18 + 8 * 63 + 2)
    }

    @Test("100,000 opening brackets are refused quickly, without exhausting the stack")
    func hostileNesting() {
        let text = String(repeating: "(", count: 100_000)
        let clock = ContinuousClock()
        let started = clock.now
        let found = expectFailure(
            text, "limits.expression-depth", column: 18 + 63, limits: limits { $0.maxExpressionLength = 1_000_000 })
        #expect(clock.now - started < .seconds(60))  // a hang guard, generous for a loaded machine
        #expect(found?.message.contains("100001") == true)
        let brackets = String(repeating: "[(", count: 50_000)
        expectFailure(brackets, "limits.expression-depth", column: 18 + 63, limits: limits { $0.maxExpressionLength = 1_000_000 })
    }

    @Test("limits.expression-nodes names the limit and the count")
    func nodes() throws {
        let five = limits { $0.maxExpressionNodes = 5 }
        #expect(throws: Never.self) { try ExpressionParser.parse(source("a + b + c"), limits: five) }
        let found = expectFailure("a + b + c + d", "limits.expression-nodes", column: 30, limits: five)
        #expect(found?.message == "the expression has 7 parts, more than the limit of 5")
    }
}
