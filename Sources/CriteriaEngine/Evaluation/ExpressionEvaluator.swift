import Foundation

/// Evaluates compiled expressions for one entity under three-valued logic with exact decimals.
///
/// A missing fact is unknown, never zero or false. `&&` and `||` follow Kleene's tables whatever the
/// order of their operands. Arithmetic goes through `ExactArithmetic`: division by zero, a result that
/// needs more than 38 significant digits or leaves the range of `Decimal`, and an exhausted step
/// budget make the value unknown with a located reason; nothing here can trap. Recursion follows the
/// expression tree, whose depth the parser bounds.
struct ExpressionEvaluator {
    let graph: RuleGraph
    let dataset: Dataset
    let asOf: LocalDate
    /// Outcomes of criteria already evaluated.
    let outcomes: OutcomeColumns
    let maxSteps: Int
    var steps = 0
    /// When to look at the budget and the cancellation token next.
    var checkpoint: StepCheckpoint
    /// Where the step budget ran out, once it has.
    var exhaustedAt: SourceRange?
    var slots: [Int] = []
    /// The source of the expression being evaluated, to locate errors.
    var source: ExpressionSource?
    /// Values read at the top level (outside quantifiers), collected when explaining.
    var trace: [ObservedValue]? = nil
    /// When explaining: the operands of the last comparison at the top level, as they were evaluated
    /// (a check's requirement, "needs ≥ 70%, found 57.14%", is stated from them, not by evaluating
    /// them again).
    var comparedOperands: (left: Evaluated, right: Evaluated)? = nil
    /// When explaining: the number of elements of each fold at the top level, by the fold's offset
    /// in its expression (a share's gap, "3 more hamlets", is counted from it).
    var foldSizes: [(offset: Int, count: Int)] = []
    /// Above zero while a fold at the top level that is already decided (`all` met a false) goes on
    /// through its other elements for the explanation only: that work is not the verdict's, so it
    /// counts its steps against a budget of its own (as large), not the verdict's, and running out in
    /// it leaves those elements unknown in the explanation without marking the verdict as having run
    /// out (`Docs/limits.md`).
    private var explainingBeyond = 0
    /// The assessment year of the criterion being evaluated, shown beside the facts it reads.
    var period: AssessmentPeriod = .calendar
    /// Fact columns looked up, by name, year and level: a few checks read a few facts, over and over,
    /// and comparing short names costs less than hashing them.
    private var columnCache: [(name: String, year: Int, level: Level, column: Int?)] = []
    /// Criteria read by `meets`, with their level.
    private var levelCache: [(criterion: String, level: Level)] = []

    init(
        graph: RuleGraph, dataset: Dataset, asOf: LocalDate, outcomes: OutcomeColumns, maxSteps: Int,
        cancellation: CancellationToken? = nil
    ) {
        checkpoint = StepCheckpoint(maxSteps: maxSteps, cancellation: cancellation)
        self.graph = graph
        self.dataset = dataset
        self.asOf = asOf
        self.outcomes = outcomes
        self.maxSteps = maxSteps
    }

    private func failure(_ problem: EvaluationProblem, _ e: CompiledExpression) -> Evaluated {
        let range = source.map {
            $0.range(of: Expression(.bool(false), offset: e.offset, length: e.length))
        }
        return .unknown([.evaluationError(problem, range: range)])
    }

    /// Evaluates an expression for an entity and a year.
    ///
    /// This function and every function it calls for a sub-expression are on the stack once per level
    /// of the expression tree, so they are kept small: each kind of node has its own function, which
    /// takes the node apart itself, and work that does not recurse (arithmetic, comparisons, tracing)
    /// happens in functions called after the sub-expressions are done.
    mutating func evaluate(_ e: CompiledExpression, entity: Int, year: Int, depth: Int = 0) -> Evaluated {
        steps += 1
        if steps > checkpoint.limit, checkpoint.stop(at: steps) { return exhausted(e) }
        switch e.kind {
        case .constant(let value): return .known(value)
        case .fact: return evaluateFact(e, entity: entity, year: year, depth: depth)
        case .parameter: return evaluateParameter(e, entity: entity, depth: depth)
        case .variable: return evaluateVariable(e)
        case .collection: return evaluateCollection(e, entity: entity, year: year, depth: depth)
        case .attribute: return evaluateAttribute(e, entity: entity, year: year, depth: depth)
        case .unary: return evaluateUnary(e, entity: entity, year: year, depth: depth)
        case .binary: return binary(e, entity: entity, year: year, depth: depth)
        case .conditional: return evaluateConditional(e, entity: entity, year: year, depth: depth)
        case .list: return evaluateList(e, entity: entity, year: year, depth: depth)
        case .quantifier: return fold(e, entity: entity, year: year, depth: depth)
        case .size: return evaluateSize(e, entity: entity, year: year, depth: depth)
        case .year: return evaluateYear(e, entity: entity, year: year, depth: depth)
        case .meets: return evaluateMeets(e, entity: entity, year: year, depth: depth)
        case .has: return evaluateHas(e, entity: entity, year: year, depth: depth)
        }
    }

    /// The reason for a verdict that ran out of steps, noting where it first did.
    private mutating func exhausted(_ e: CompiledExpression) -> Evaluated {
        let range = source.map { $0.range(of: Expression(.bool(false), offset: e.offset, length: e.length)) }
        if exhaustedAt == nil && explainingBeyond == 0 { exhaustedAt = range }
        return .unknown([.stepBudgetExhausted(limit: maxSteps, range: range)])
    }

    /// The entity an optional subject names: the current one without a subject, else the subject's
    /// value, or `nil` with what to answer instead.
    private mutating func subjectEntity(
        _ subject: CompiledExpression?, entity: Int, year: Int, depth: Int
    ) -> (entity: Int?, otherwise: Evaluated?) {
        guard let subject else { return (entity, nil) }
        let value = evaluate(subject, entity: entity, year: year, depth: depth)
        switch value {
        case .known(.entity(let index)): return (index, nil)
        case .known: return (nil, nil)
        case .unknown: return (nil, value)
        }
    }

    private mutating func evaluateFact(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .fact(let subject, _) = e.kind else { return .unknown([]) }
        let (target, otherwise) = subjectEntity(subject, entity: entity, year: year, depth: depth)
        guard let target else { return otherwise ?? wrongSubject(e) }
        return readFact(e, target: target, year: year, depth: depth)
    }

    private mutating func wrongSubject(_ e: CompiledExpression) -> Evaluated {
        switch e.kind {
        case .fact(_, let name): failure(.notAnEntity(.fact(name)), e)
        case .collection: failure(.notAnEntity(.list), e)
        case .attribute: failure(.notAnEntity(.attribute), e)
        default: failure(.notAnEntity(.meets), e)
        }
    }

    private mutating func readFact(_ e: CompiledExpression, target: Int, year: Int, depth: Int) -> Evaluated {
        guard case .fact(_, let name) = e.kind else { return .unknown([]) }
        // The value straight from the dataset's columns (`Dataset.entities` would build the entity).
        let level = dataset.records[target].level
        var cached: Int?? = nil
        for entry in columnCache where entry.year == year && entry.level == level && entry.name == name {
            cached = .some(entry.column)
            break
        }
        if cached == nil {
            let found = dataset.store.columnID(level: level, name: name, year: year)
            if columnCache.count < 32 { columnCache.append((name, year, level, found)) }
            cached = .some(found)
        }
        let column = cached ?? nil
        let value = column.flatMap { dataset.store.value(column: dataset.store.column($0), position: dataset.positions[target]) }
        if depth == 0 && trace != nil { record(fact: name, entity: target, year: year, value: value) }
        guard let value else { return .unknown([.missingFact(entity: target, name: name, year: year)]) }
        return .known(value)
    }

    private mutating func evaluateParameter(_ e: CompiledExpression, entity: Int, depth: Int) -> Evaluated {
        guard case .parameter(let name) = e.kind else { return .unknown([]) }
        guard let dated = graph.parameters[name]?.value(on: asOf) else {
            return .unknown([.parameter(name: name, date: asOf)])
        }
        // A value per commune group is the value of the evaluated commune's group.
        let group = dated.groups == nil ? nil : dataset.records[entity].group
        let value = dated.value(forGroup: group)
        if depth == 0 && trace != nil, let parameter = graph.parameters[name] {
            let shown = value.map { ValueFormatter.format($0, percent: parameter.type == .percent) }
            appendTrace(
                ObservedValue(
                    name: name, label: parameter.title ?? LocalizedText(vi: name), value: shown,
                    since: dated.from.description,
                    derivation: dated.groups == nil ? nil : Sentences.groupValue(group: group, dated: dated)))
        }
        guard let value else { return .unknown([.missingAttribute(entity: entity, name: "group")]) }
        return .known(value)
    }

    private func evaluateVariable(_ e: CompiledExpression) -> Evaluated {
        guard case .variable(let slot) = e.kind else { return .unknown([]) }
        guard slot < slots.count else { return failure(.variableOutsideList, e) }
        return .known(.entity(slots[slot]))
    }

    private mutating func evaluateCollection(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .collection(let subject, let level) = e.kind else { return .unknown([]) }
        let (owner, _) = subjectEntity(subject, entity: entity, year: year, depth: depth)
        guard let owner else { return wrongSubject(e) }
        let members = descendants(of: owner, at: level)
        if members.isEmpty { return .unknown([.noEntities(entity: owner, level: level)]) }
        return .known(.list(members.map { .entity($0) }))
    }

    private mutating func evaluateAttribute(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .attribute(let subject, let attribute) = e.kind else { return .unknown([]) }
        let (owner, _) = subjectEntity(subject, entity: entity, year: year, depth: depth)
        guard let owner else { return wrongSubject(e) }
        let record = dataset.records[owner]
        switch attribute {
        case .id:
            steps += textSteps(record.id)
            return .known(.text(record.id))
        case .name:
            steps += textSteps(record.name)
            return .known(.text(record.name))
        case .group:
            guard let group = record.group else { return .unknown([.missingAttribute(entity: owner, name: "group")]) }
            return .known(.number(Decimal(group)))
        case .kind:
            guard let kind = record.kind else { return .unknown([.missingAttribute(entity: owner, name: "kind")]) }
            return .known(.text(kind))
        }
    }

    private mutating func evaluateUnary(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .unary(_, let operand) = e.kind else { return .unknown([]) }
        return applyUnary(e, evaluate(operand, entity: entity, year: year, depth: depth))
    }

    private func applyUnary(_ e: CompiledExpression, _ value: Evaluated) -> Evaluated {
        guard case .unary(let op, _) = e.kind, case .known(let v) = value else { return value }
        switch (op, v) {
        case (.not, .bool(let b)): return .known(.bool(!b))
        case (.negate, .number(let n)): return .known(.number(-n))
        default: return failure(.wrongOperand(operation: op.rawValue), e)
        }
    }

    private mutating func evaluateConditional(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .conditional(let c, let a, let b) = e.kind else { return .unknown([]) }
        let condition = evaluate(c, entity: entity, year: year, depth: depth)
        switch condition {
        case .known(.bool(true)): return evaluate(a, entity: entity, year: year, depth: depth)
        case .known(.bool(false)): return evaluate(b, entity: entity, year: year, depth: depth)
        case .known: return failure(.conditionNotTruthValue, e)
        case .unknown:
            let x = evaluate(a, entity: entity, year: year, depth: depth)
            let y = evaluate(b, entity: entity, year: year, depth: depth)
            if case .known(let vx) = x, case .known(let vy) = y, let stop = charge(Self.comparisonSteps(vx, vy), e) { return stop }
            return Self.eitherBranch(condition, x, y)
        }
    }

    /// The value of `c ? a : b` when `c` is unknown: `a` if both branches are known and equal.
    private static func eitherBranch(_ condition: Evaluated, _ x: Evaluated, _ y: Evaluated) -> Evaluated {
        if case .known(let vx) = x, case .known(let vy) = y, vx == vy { return x }
        return .unknown(condition.reasons + x.reasons + y.reasons)
    }

    private mutating func evaluateList(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .list(let items) = e.kind else { return .unknown([]) }
        var values: [Value] = []
        var reasons: [UnknownReason] = []
        for item in items {
            switch evaluate(item, entity: entity, year: year, depth: depth) {
            case .known(let v): values.append(v)
            case .unknown(let r): reasons += r
            }
        }
        return reasons.isEmpty ? .known(.list(values)) : .unknown(reasons)
    }

    private mutating func evaluateSize(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .size(let list) = e.kind else { return .unknown([]) }
        let value = evaluate(list, entity: entity, year: year, depth: depth + 1)
        guard case .known(let v) = value else { return value }
        guard case .list(let items) = v else { return failure(.sizeOfNonList, e) }
        return .known(.number(Decimal(items.count)))
    }

    private mutating func evaluateYear(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .year(let selector, let inner) = e.kind else { return .unknown([]) }
        let target: Int
        switch selector {
        case .previous: target = year - 1
        case .fixed(let y): target = y
        }
        return evaluate(inner, entity: entity, year: target, depth: depth)
    }

    private mutating func evaluateMeets(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .meets(let subject, let criterion) = e.kind else { return .unknown([]) }
        let (found, _) = subjectEntity(subject, entity: entity, year: year, depth: depth)
        guard let target = found else { return wrongSubject(e) }
        var level: Level? = nil
        for entry in levelCache where entry.criterion == criterion {
            level = entry.level
            break
        }
        if level == nil {
            level = graph.level(of: criterion) ?? .province
            levelCache.append((criterion, level ?? .province))
        }
        let outcome = outcomes.outcome(criterion, entity: target, level: level ?? .province) ?? .notApplicable
        switch outcome {
        case .pass: return .known(.bool(true))
        case .fail: return .known(.bool(false))
        case .unknown, .notApplicable: return .unknown([.criterion(entity: target, id: criterion, outcome: outcome)])
        }
    }

    private mutating func evaluateHas(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .has(let inner) = e.kind else { return .unknown([]) }
        return Self.known(evaluate(inner, entity: entity, year: year, depth: depth + 1))
    }

    /// `has(…)`: true when known, false when only missing facts make it unknown.
    private static func known(_ value: Evaluated) -> Evaluated {
        switch value {
        case .known: return .known(.bool(true))
        case .unknown(let reasons):
            let onlyMissing = reasons.allSatisfy {
                if case .missingFact = $0 { return true }
                return false
            }
            return onlyMissing ? .known(.bool(false)) : .unknown(reasons)
        }
    }

    /// The descendants of an entity at a lower level, in data order.
    func descendants(of owner: Int, at level: Level) -> [Int] {
        dataset.structure.descendants(of: owner, at: level)
    }

    private mutating func binary(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .binary(let op, let l, let r) = e.kind else { return .unknown([]) }
        let left = evaluate(l, entity: entity, year: year, depth: depth)
        if op == .and || op == .or {
            // Kleene: the decisive value (false for &&, true for ||) on either side decides.
            if case .known(.bool(op == .or)) = left { return left }
            return Self.kleene(op, left, evaluate(r, entity: entity, year: year, depth: depth))
        }
        let right = evaluate(r, entity: entity, year: year, depth: depth)
        if depth == 0 && trace != nil && op.isComparison { comparedOperands = (left, right) }
        return combine(e, left, right, entity: entity, year: year, depth: depth)
    }

    /// `left && right` or `left || right` once the left side did not decide.
    private static func kleene(_ op: BinaryOperator, _ left: Evaluated, _ right: Evaluated) -> Evaluated {
        let decisive = op == .or
        if case .known(.bool(decisive)) = right { return right }
        if case .known(.bool) = left, case .known(.bool) = right { return .known(.bool(!decisive)) }
        return .unknown(left.reasons + right.reasons)
    }

    /// A binary operation other than `&&` and `||` on its evaluated operands.
    private mutating func combine(
        _ e: CompiledExpression, _ left: Evaluated, _ right: Evaluated, entity: Int, year: Int, depth: Int
    ) -> Evaluated {
        guard case .binary(let op, let l, let r) = e.kind else { return .unknown([]) }
        guard case .known(let a) = left, case .known(let b) = right else {
            if let decided = decideByBounds(op, l, r, left, right, entity: entity, year: year, depth: depth) { return decided }
            return .unknown(left.reasons + right.reasons)
        }
        switch op {
        case .equal, .notEqual:
            if let stop = charge(Self.comparisonSteps(a, b), e) { return stop }
        case .in:
            if case .list(let items) = b, let stop = charge(items.reduce(0) { $0 + Self.comparisonSteps(a, $1) }, e) { return stop }
        default: break
        }
        switch (op, a, b) {
        case (.add, .number(let x), .number(let y)): return arithmetic(ExactArithmetic.add(x, y), op, e)
        case (.subtract, .number(let x), .number(let y)): return arithmetic(ExactArithmetic.subtract(x, y), op, e)
        case (.multiply, .number(let x), .number(let y)): return arithmetic(ExactArithmetic.multiply(x, y), op, e)
        case (.divide, .number(let x), .number(let y)): return arithmetic(ExactArithmetic.divide(x, y), op, e)
        case (.equal, _, _): return .known(.bool(a == b))
        case (.notEqual, _, _): return .known(.bool(a != b))
        case (.less, _, _), (.lessOrEqual, _, _), (.greater, _, _), (.greaterOrEqual, _, _):
            guard let order = Self.compare(a, b) else { return failure(.unordered, e) }
            return .known(.bool(op.holds(order: order)))
        case (.in, _, .list(let items)): return .known(.bool(items.contains(a)))
        default: return failure(.wrongOperands(operation: op.rawValue), e)
        }
    }

    /// The steps of comparing two values beyond the comparison's own: texts by their length
    /// (`textComparisonSteps`), lists of the same size item by item, anything else nothing.
    static func comparisonSteps(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.text(let x), .text(let y)): return textComparisonSteps(x.utf8.count, y.utf8.count)
        case (.list(let xs), .list(let ys)) where xs.count == ys.count:
            return zip(xs, ys).reduce(0) { $0 + comparisonSteps($1.0, $1.1) }
        default: return 0
        }
    }

    /// Charges `extra` steps before a comparison; the verdict's unknown value when the budget is
    /// then spent (or the work cancelled), `nil` to go on.
    private mutating func charge(_ extra: Int, _ e: CompiledExpression) -> Evaluated? {
        guard extra > 0 else { return nil }
        steps += extra
        if steps > checkpoint.limit, checkpoint.stop(at: steps) { return exhausted(e) }
        return nil
    }

    /// The value of an arithmetic operation, or unknown with a located reason saying why it has none.
    private func arithmetic(_ result: Result<Decimal, ExactArithmetic.Failure>, _ op: BinaryOperator, _ e: CompiledExpression)
        -> Evaluated
    {
        switch result {
        case .success(let value): return .known(.number(value))
        case .failure(let failure): return self.failure(Self.problem(failure, of: op.rawValue), e)
        }
    }

    /// Why an operation (an operator or a fold, such as `*` or `sum`) has no value.
    static func problem(_ failure: ExactArithmetic.Failure, of operation: String) -> EvaluationProblem {
        switch failure {
        case .divisionByZero: .divisionByZero
        case .inexact: .inexact(operation: operation)
        case .outOfRange: .outOfRange(operation: operation)
        }
    }

    /// Decides an ordering comparison between a `share` or `count` whose value is unknown only because
    /// some elements are, and a known number. The fold can only take values between its least (every
    /// unknown element false) and greatest (every one true); the comparison is monotonic, so when it
    /// gives the same answer at both ends the unknown elements cannot change it: 7 of 10 hamlets known
    /// safe meets "at least 70%" whatever the tenth turns out to be. Otherwise `nil` (stays unknown).
    private mutating func decideByBounds(
        _ op: BinaryOperator, _ l: CompiledExpression, _ r: CompiledExpression, _ left: Evaluated, _ right: Evaluated,
        entity: Int, year: Int, depth: Int
    ) -> Evaluated? {
        guard [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(op) else { return nil }
        let ends: [(Value, Value)]
        switch (left, right) {
        case (.unknown, .known(let b)):
            guard let (low, high) = bounds(of: l, entity: entity, year: year, depth: depth) else { return nil }
            ends = [(low, b), (high, b)]
        case (.known(let a), .unknown):
            guard let (low, high) = bounds(of: r, entity: entity, year: year, depth: depth) else { return nil }
            ends = [(a, low), (a, high)]
        default:
            return nil
        }
        let answers = ends.compactMap { Self.compare($0.0, $0.1).map { op.holds(order: $0) } }
        guard answers.count == 2, answers[0] == answers[1] else { return nil }
        return .known(.bool(answers[0]))
    }

    /// The least and greatest values of a `share` or `count` whose elements are each true, false or
    /// unknown for want of data; `nil` for any other expression, an empty or unknown list, or an
    /// element that is unknown because a computation failed.
    private mutating func bounds(of e: CompiledExpression, entity: Int, year: Int, depth: Int) -> (Value, Value)? {
        guard case .quantifier(let quantifier, let list, let slot, let body) = e.kind, quantifier == .share || quantifier == .count,
            case .known(.list(let items)) = evaluate(list, entity: entity, year: year, depth: depth + 1), !items.isEmpty
        else { return nil }
        if slots.count <= slot { slots.append(contentsOf: repeatElement(0, count: slot + 1 - slots.count)) }
        var trues = 0
        var unknowns = 0
        for item in items {
            guard case .entity(let index) = item else { return nil }
            slots[slot] = index
            switch evaluate(body, entity: entity, year: year, depth: depth + 1) {
            case .known(.bool(true)): trues += 1
            case .known(.bool(false)): break
            case .unknown(let reasons):
                for reason in reasons {
                    switch reason {
                    case .evaluationError, .stepBudgetExhausted: return nil
                    default: continue
                    }
                }
                unknowns += 1
            case .known: return nil
            }
        }
        let whole = quantifier == .share ? Decimal(items.count) : 1
        return (.number(Decimal(trues) / whole), .number(Decimal(trues + unknowns) / whole))
    }

    /// -1, 0 or 1, or `nil` when the values cannot be ordered.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.number(let x), .number(let y)): x < y ? -1 : x == y ? 0 : 1
        case (.date(let x), .date(let y)): x < y ? -1 : x == y ? 0 : 1
        default: nil
        }
    }

    /// What a fold has seen of its elements so far.
    private struct FoldTally {
        var trues = 0
        var falses = 0
        var total = Decimal(0)
        var kept: [Value] = []
        var reasons: [UnknownReason] = []
        var failing: [Int] = []
    }

    private mutating func fold(_ e: CompiledExpression, entity: Int, year: Int, depth: Int) -> Evaluated {
        guard case .quantifier(let quantifier, let list, let slot, let body) = e.kind else { return .unknown([]) }
        let listValue = evaluate(list, entity: entity, year: year, depth: depth + 1)
        guard case .known(.list(let items)) = listValue else { return listValue }
        if slots.count <= slot { slots.append(contentsOf: repeatElement(0, count: slot + 1 - slots.count)) }
        var tally = FoldTally()
        let tracing = depth == 0 && trace != nil
        if tracing && foldSizes.count < 64 { foldSizes.append((e.offset, items.count)) }
        // The steps when an `all` met its first false while explaining: the verdict is decided there,
        // as the verdict evaluator decides it; the other elements are counted for the explanation only.
        var decidedAt: Int? = nil
        for item in items {
            guard case .entity(let index) = item else {
                if decidedAt != nil { break }
                return failure(.notAListOfEntities, e)
            }
            slots[slot] = index
            let value = evaluate(body, entity: entity, year: year, depth: depth + 1)
            if let decided = absorb(value, item: item, index: index, into: &tally, e, tracing: tracing) {
                if decidedAt != nil { break }
                return decided
            }
            if tracing && decidedAt == nil && quantifier == .all && tally.falses > 0 {
                // The explanation's own work has a budget of its own, as large as the verdict's.
                decidedAt = steps
                steps = 0
                explainingBeyond += 1
            }
        }
        if let decidedAt {
            steps = decidedAt
            explainingBeyond -= 1
        }
        return finish(e, tally, count: items.count, year: year, tracing: tracing)
    }

    /// Counts one element's value; returns the fold's value when that element decides it.
    private func absorb(
        _ value: Evaluated, item: Value, index: Int, into tally: inout FoldTally, _ e: CompiledExpression, tracing: Bool
    ) -> Evaluated? {
        guard case .quantifier(let quantifier, _, _, _) = e.kind else { return nil }
        switch value {
        case .known(.bool(true)):
            tally.trues += 1
            if quantifier == .exists { return .known(.bool(true)) }
            if quantifier == .filter { tally.kept.append(item) }
        case .known(.bool(false)):
            tally.falses += 1
            if tracing && tally.failing.count < 10 { tally.failing.append(index) }
            if quantifier == .all && !tracing { return .known(.bool(false)) }
        case .known(.number(let n)):
            switch ExactArithmetic.add(tally.total, n) {
            case .success(let sum): tally.total = sum
            case .failure(let problem): return failure(Self.problem(problem, of: "sum"), e)
            }
        case .known:
            return failure(.quantifierWrongType(quantifier: quantifier.rawValue), e)
        case .unknown(let r):
            if tally.reasons.count < 50 { tally.reasons += r }
        }
        return nil
    }

    /// The fold's value once every element is counted.
    private mutating func finish(_ e: CompiledExpression, _ tally: FoldTally, count: Int, year: Int, tracing: Bool) -> Evaluated {
        guard case .quantifier(let quantifier, _, _, _) = e.kind else { return .unknown([]) }
        let result: Evaluated
        if quantifier == .all && tally.falses > 0 {
            result = .known(.bool(false))
        } else if !tally.reasons.isEmpty {
            result = .unknown(tally.reasons)
        } else {
            switch quantifier {
            case .all: result = .known(.bool(true))
            case .exists: result = .known(.bool(false))
            case .filter: result = .known(.list(tally.kept))
            case .share:
                // A list that a filter emptied has no share: that would divide by zero.
                result =
                    count == 0
                    ? failure(.shareOfEmptyList, e) : .known(.number(Decimal(tally.trues) / Decimal(count)))
            case .count: result = .known(.number(Decimal(tally.trues)))
            case .sum: result = .known(.number(tally.total))
            }
        }
        if tracing {
            recordFold(
                quantifier, e, year: year, result: result, trues: tally.trues, total: count,
                unknowns: count - tally.trues - tally.falses, failing: tally.failing)
        }
        return result
    }

    // MARK: Tracing

    private mutating func appendTrace(_ value: ObservedValue) {
        if trace?.contains(value) == false { trace?.append(value) }
    }

    private mutating func record(fact name: String, entity: Int, year: Int, value: Value?) {
        guard let input = graph.inputs[name] else { return }
        appendTrace(
            ObservedValue(
                name: name, label: input.label, unit: input.unit,
                value: value.map { ValueFormatter.format($0, percent: input.type == .percent) },
                entityID: dataset.records[entity].id, year: year,
                derivation: dataset.derivation(entity: entity, name: name, year: year),
                period: period == .calendar
                    ? nil : LocalizedText(vi: period.text(of: year, in: .vi), en: period.text(of: year, in: .en)),
                valueLabel: value.flatMap { Words.label(of: $0, input: input) }))
    }

    /// Records a fold's value, named by its own text (`share(hamlets, h, h.safe_antt)`,
    /// `communes.all(c, meets(c, "xa-ntm.19.2"))`) and dated by the year its facts were read for.
    private mutating func recordFold(
        _ quantifier: Quantifier, _ e: CompiledExpression, year: Int, result: Evaluated, trues: Int, total: Int,
        unknowns: Int, failing: [Int]
    ) {
        let text = source.flatMap { source -> String? in
            // The scalars from `offset` for `length`, without copying the whole text into an array.
            let scalars = source.text.unicodeScalars
            guard e.offset >= 0,
                let start = scalars.index(scalars.startIndex, offsetBy: e.offset, limitedBy: scalars.endIndex),
                start < scalars.endIndex
            else { return nil }
            let end = scalars.index(start, offsetBy: max(0, e.length), limitedBy: scalars.endIndex) ?? scalars.endIndex
            return String(scalars[start..<end])
        }
        var shown: String? = nil
        var label: LocalizedText? = nil
        if case .known(let v) = result {
            shown = ValueFormatter.format(v, percent: quantifier == .share)
            label = Words.label(of: v, input: nil)
        }
        var detail = quantifier == .sum ? "n = \(total)" : "\(trues)/\(total)"
        if unknowns > 0 && quantifier != .sum { detail += ", ? \(unknowns)" }
        // The elements that did not meet the condition, by name: what an inspector acts on.
        if (quantifier == .all || quantifier == .share) && !failing.isEmpty {
            detail += "; ✗ " + failing.map { "\(dataset.records[$0].name) (\(dataset.records[$0].id))" }.joined(separator: ", ")
        }
        appendTrace(
            ObservedValue(
                name: text ?? "\(quantifier.rawValue)(…)",
                label: Sentences.label(of: quantifier),
                value: shown, detail: detail, year: year, valueLabel: label))
    }

}
