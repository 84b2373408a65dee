@_spi(Fuzz) import CriteriaEngine

/// Text → expression: `ExpressionParser.parse` with the default limits. When it parses, the printed
/// form must parse to the same tree (the promise of `Expression.description`), and the expression is
/// checked as the condition of a commune criterion against `Rules/`; when that compiles, it is
/// evaluated on a fixed dataset.
enum ExpressionTarget {
    static let path = "fuzz.yaml"

    static func run(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        let count = text.unicodeScalars.count
        let source = ExpressionSource(text: text, range: SourceRange(file: path, line: 1, column: 1), columnShift: 0)
        let expression: Expression
        do {
            expression = try ExpressionParser.parse(source)
        } catch {
            for diagnostic in error.diagnostics {
                guard let start = diagnostic.range?.start, start.line == 1, (1...count + 1).contains(start.column) else {
                    FuzzProperty.violation("expression error outside the expression", diagnostic, bytes)
                }
            }
            if error.diagnostics.count != 1 { FuzzProperty.violation("the parser reported \(error.diagnostics.count) errors, not one") }
            return
        }
        roundTrip(expression, input: bytes)
        guard let graph = compile(expression, source: source, input: bytes) else { return }
        let evaluator = Evaluator(graph: graph, limits: EvaluatorTarget.limits(for: bytes))
        let result = evaluator.evaluate(
            DataGenerator.fixedDataset, asOf: DataGenerator.fixedDate, criteria: [criterionID], parallel: false)
        EvaluatorTarget.expectLocatedReasons(result)
        EvaluatorTarget.expectSameOutcomes(
            evaluator, DataGenerator.fixedDataset, asOf: DataGenerator.fixedDate, criteria: [criterionID], reference: result)
    }

    /// The printed form parses to the same tree.
    static func roundTrip(_ expression: Expression, input: [UInt8]) {
        let printed = expression.description
        var relaxed = Limits.default
        relaxed.maxExpressionLength = Int.max
        relaxed.maxExpressionDepth = 10_000
        relaxed.maxExpressionNodes = Int.max
        let again: Expression
        do {
            again = try ExpressionParser.parse(
                ExpressionSource(text: printed, range: SourceRange(file: path, line: 1, column: 1), columnShift: 0),
                limits: relaxed)
        } catch {
            FuzzProperty.violation("the printed expression does not parse: \(printed) — \(error.diagnostics.map(\.message))")
        }
        if shape(again) != shape(expression) {
            FuzzProperty.violation("printing changed the expression: \(printed)")
        }
    }

    /// The tree without offsets and lengths.
    static func shape(_ e: Expression) -> Expression {
        let kind: Expression.Kind
        switch e.kind {
        case .number, .string, .bool, .identifier: kind = e.kind
        case .list(let items): kind = .list(items.map(shape))
        case .member(let base, let name): kind = .member(shape(base), name)
        case .call(let name, let receiver, let arguments): kind = .call(name: name, receiver: receiver.map(shape), arguments: arguments.map(shape))
        case .unary(let op, let operand): kind = .unary(op, shape(operand))
        case .binary(let op, let l, let r): kind = .binary(op, shape(l), shape(r))
        case .conditional(let c, let a, let b): kind = .conditional(shape(c), shape(a), shape(b))
        }
        return Expression(kind, offset: 0, length: 0)
    }

    static let criterionID = "fuzz.t"

    /// A one-condition commune criterion around an expression, as the rule file parser would build it.
    static func ruleFile(_ expression: Expression, source: ExpressionSource, level: Level = .commune) -> RuleFile {
        let at = SourceRange(file: path, line: 1, column: 1)
        let citation = Citation(act: "Fuzz", status: .confirmed)
        let check = ConditionSyntax(
            id: "c", idRange: at, title: LocalizedText(vi: "Điều kiện"), source: nil,
            body: .check(source, expression), range: at)
        let root = ConditionSyntax(
            id: criterionID, idRange: at, title: LocalizedText(vi: "Fuzz"), source: nil, body: .group(.all, [check]),
            range: at)
        let criterion = CriterionSyntax(
            id: criterionID, idRange: at, title: LocalizedText(vi: "Fuzz"), level: level,
            inForce: Period(from: DataGenerator.epoch), inForceRange: at, source: citation, description: nil, root: root,
            range: at)
        return RuleFile(path: path, criterion: criterion)
    }

    /// The rule graph of `Rules/` plus the expression's criterion, or `nil` (after checking that the
    /// errors are located) when it does not compile.
    static func compile(_ expression: Expression, source: ExpressionSource, level: Level = .commune, input: [UInt8])
        -> RuleGraph?
    {
        do {
            return try RuleSetLoader.check(FuzzContext.shared.files(standingIn: ruleFile(expression, source: source, level: level)))
        } catch {
            for diagnostic in error.diagnostics where diagnostic.severity == .error {
                if FuzzProperty.placeless.contains(diagnostic.id.rawValue) { continue }
                guard let start = diagnostic.range?.start, start.line >= 1, start.column >= 1 else {
                    FuzzProperty.violation("checker error without a place", diagnostic, input)
                }
            }
            return nil
        }
    }
}
