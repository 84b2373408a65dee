import Foundation

/// Evaluates compiled criteria for one entity at a time, to outcomes only: the fast path of
/// `Evaluator` when no explanation is asked for, and the first pass when only the short explanation is.
///
/// It gives exactly the outcomes of the reference (`CriterionEvaluation`, which builds the whole
/// explanation tree with `ExpressionEvaluator`): it follows `ExpressionEvaluator` case for case, with
/// the same three-valued logic, the same order of evaluation and the same short-circuits, and it
/// counts the same steps. Explaining costs the reference no step of the verdict's budget (a
/// requirement is stated from the operands already evaluated; an `all` that goes on past its first
/// false for the explanation counts those steps apart), so both run out at the same step: when this
/// one does, the caller asks the reference, which says where (`fitsBudget`). Numbers are
/// `FastNumber`s, which compute what the reference's `Decimal`s would.
///
/// Everything it reads is plain data behind pointers (the program, the fact columns, the entity
/// structure, the outcome tables), so evaluating touches no reference count: on two cores it scales.
struct VerdictEvaluator {
    let program: FastProgram
    private let nodes: UnsafeMutablePointer<FastNode>
    private let operands: UnsafeMutablePointer<Int32>
    private let constants: UnsafeMutablePointer<FastValue>
    private let cells: UnsafeMutablePointer<ColumnCells>
    private let conditions: UnsafeMutablePointer<FastCondition>
    private let conditionChildren: UnsafeMutablePointer<Int32>
    private let levels: UnsafeMutablePointer<UInt8>
    private let positions: UnsafeMutablePointer<Int32>
    private let childStart: UnsafeMutablePointer<Int32>
    private let childDepth: UnsafeMutablePointer<UInt8>
    /// The depth of each level of the dataset's map (`EntityStructure.levelDepths`).
    private let levelDepths: UnsafeMutablePointer<UInt8>
    /// The number of levels of the dataset's map: the stride of `cells`.
    private let levelCount: Int
    private let children: UnsafeMutablePointer<Int32>
    /// The UTF-8 length of each text the program knows, and their number.
    private let textLengths: UnsafeMutablePointer<Int>
    private let textCount: Int
    /// The outcome table of each criterion of the graph (by its index in `program.criteria`), once
    /// computed; `nil` when it is not (yet) evaluated.
    private let outcomes: UnsafeMutablePointer<UnsafeMutablePointer<Outcome>?>
    let maxSteps: Int
    var steps = 0
    /// When to look at the budget and the cancellation token next.
    private var checkpoint: StepCheckpoint
    private var slots: [Int] = []
    /// The decimals of the program, then those computed for the current verdict.
    private var arena: DecimalArena
    /// The items of the lists built for the current verdict.
    private var lists: [FastValue] = []
    /// Texts met while evaluating (an entity's id or name) that the program does not know.
    private var newTexts: [String: Int32] = [:]
    /// The UTF-8 length of each of `newTexts`, by its number past the program's texts.
    private var newTextLengths: [Int] = []

    init(
        program: FastProgram, outcomes: UnsafeMutablePointer<UnsafeMutablePointer<Outcome>?>, maxSteps: Int,
        cancellation: CancellationToken? = nil
    ) {
        checkpoint = StepCheckpoint(maxSteps: maxSteps, cancellation: cancellation)
        self.program = program
        arena = DecimalArena(program.decimals)
        nodes = program.nodes
        operands = program.operands
        constants = program.constants
        cells = program.cells
        conditions = program.conditions
        conditionChildren = program.children
        levels = program.structure.levels
        positions = program.structure.positions
        childStart = program.structure.childStart
        childDepth = program.structure.childDepth
        levelDepths = program.structure.levelDepths
        levelCount = program.levelCount
        children = program.structure.children
        textLengths = program.textLengths
        textCount = program.texts.count
        self.outcomes = outcomes
        self.maxSteps = maxSteps
    }

    /// Whether the last criterion stayed within the step budget, as the reference then does too.
    /// (Never once the work is cancelled: the caller then falls back to the reference, which stops too.)
    var fitsBudget: Bool { steps <= maxSteps && !checkpoint.cancelled }

    /// Starts a criterion's verdict for an entity: no steps taken, no values kept.
    mutating func begin() {
        steps = 0
        checkpoint.reset()
        arena.reset()
        if !lists.isEmpty { lists.removeAll(keepingCapacity: true) }
    }

    /// A list's items in order.
    private func items(of start: Int32, _ count: Int32) -> [FastValue] {
        if start < 0 { return (0..<Int(count)).map { program.items[Int(-start - 1) + $0] } }
        return Array(lists[Int(start)..<Int(start + count)])
    }

    /// Keeps a list's items; returns the list.
    private mutating func list(_ values: [FastValue]) -> FastValue {
        let start = Int32(lists.count)
        lists += values
        return .list(start: start, count: Int32(values.count))
    }

    /// The number of a text, known or new.
    private mutating func text(_ t: String) -> FastValue {
        if let known = program.textIDs[t] { return .text(known) }
        if let known = newTexts[t] { return .text(known) }
        let id = Int32(program.texts.count + newTexts.count)
        newTexts[t] = id
        newTextLengths.append(t.utf8.count)
        return .text(id)
    }

    /// The UTF-8 length of a text, by its number.
    private func textLength(_ id: Int32) -> Int {
        let k = Int(id)
        return k < textCount ? textLengths[k] : newTextLengths[k - textCount]
    }

    /// Whether comparing the value may cost more than its own step: a text or a list.
    @inline(__always) private static func mayCost(_ a: FastValue) -> Bool {
        switch a {
        case .text, .list: return true
        default: return false
        }
    }

    /// As `ExpressionEvaluator.comparisonSteps`: texts by their length, lists of the same size item by item.
    private func comparisonSteps(_ a: FastValue, _ b: FastValue) -> Int {
        switch (a, b) {
        case (.text(let x), .text(let y)): return textComparisonSteps(textLength(x), textLength(y))
        case (.list(let xs, let xn), .list(let ys, let yn)) where xn == yn:
            return zip(items(of: xs, xn), items(of: ys, yn)).reduce(0) { $0 + comparisonSteps($1.0, $1.1) }
        default: return 0
        }
    }

    /// Charges `extra` steps before a comparison, as the reference does; whether the budget is then
    /// spent (or the work cancelled).
    private mutating func charge(_ extra: Int) -> Bool {
        guard extra > 0 else { return false }
        steps += extra
        return steps > checkpoint.limit && checkpoint.stop(at: steps)
    }

    /// A stored value that is not a boolean, a number or a text (a date, a list, an entity).
    private mutating func fast(_ v: Value) -> FastValue {
        switch v {
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(arena.number(n))
        case .text(let t): return text(t)
        case .date(let d): return .date(FastValue.packed(d))
        case .entity(let e): return .entity(e)
        case .list(let values):
            let converted = values.map { fast($0) }
            return list(converted)
        }
    }

    /// `Value`'s equality: numbers by value, lists item by item, different kinds unequal.
    /// `equal` for values of the same plain kind (booleans, texts, whole numbers, dates, entities),
    /// without reading `self`: from a mutating method, a call to a non-mutating one copies the whole
    /// evaluator (152 bytes, with `memcpy`). `nil` for anything else.
    @inline(__always) static func plainEqual(_ a: FastValue, _ b: FastValue) -> Bool? {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y
        case (.text(let x), .text(let y)): return x == y
        case (.number(.integer(let x)), .number(.integer(let y))): return x == y
        case (.date(let x), .date(let y)): return x == y
        case (.entity(let x), .entity(let y)): return x == y
        default: return nil
        }
    }

    func equal(_ a: FastValue, _ b: FastValue) -> Bool {
        switch a {
        case .bool(let x): if case .bool(let y) = b { return x == y }
        case .number(let x): if case .number(let y) = b { return arena.compare(x, y) == 0 }
        case .text(let x): if case .text(let y) = b { return x == y }
        case .date(let x): if case .date(let y) = b { return x == y }
        case .entity(let x): if case .entity(let y) = b { return x == y }
        case .list(let xs, let xn):
            if case .list(let ys, let yn) = b {
                return xn == yn && zip(items(of: xs, xn), items(of: ys, yn)).allSatisfy { equal($0, $1) }
            }
        }
        return false
    }

    /// The outcome of a condition tree; `groupsStop`: whether a group may stop at the first child that
    /// decides it (for verdicts only: a decided group cannot change, whatever follows).
    mutating func outcome(_ index: Int32, entity: Int, groupsStop: Bool = true) -> Outcome {
        let condition = conditions[Int(index)]
        guard let kind = condition.kind else {
            switch evaluate(condition.expression, entity) {
            case .known(.bool(true)): return .pass
            case .known(.bool(false)): return .fail
            default: return .unknown
            }
        }
        var tally = GroupTally()
        let count = Int(condition.count)
        for k in 0..<count {
            tally.add(outcome(conditionChildren[Int(condition.first) + k], entity: entity, groupsStop: groupsStop))
            if groupsStop, let decided = tally.decided(kind, remaining: count - k - 1) { return decided }
        }
        return tally.outcome(of: kind)
    }

    /// The outcome of every node of a condition tree, in depth-first order (no group stops early).
    mutating func outcomes(_ index: Int32, entity: Int, into result: inout [Outcome]) -> Outcome {
        let condition = conditions[Int(index)]
        guard let kind = condition.kind else {
            let o = outcome(index, entity: entity, groupsStop: false)
            result.append(o)
            return o
        }
        let slot = result.count
        result.append(.notApplicable)
        var tally = GroupTally()
        for k in 0..<Int(condition.count) {
            tally.add(outcomes(conditionChildren[Int(condition.first) + k], entity: entity, into: &result))
        }
        let o = tally.outcome(of: kind)
        result[slot] = o
        return o
    }

    // MARK: Expressions

    mutating func evaluate(_ index: Int32, _ entity: Int) -> FastResult {
        steps += 1
        if steps > checkpoint.limit, checkpoint.stop(at: steps) { return .failure }
        let node = nodes[Int(index)]
        switch node.op {
        case .constant:
            return .known(constants[Int(node.index)])
        case .fact:
            var target = entity
            if node.a >= 0 {
                switch evaluate(node.a, entity) {
                case .known(.entity(let e)): target = e
                case .known: return .failure
                case let unknown: return unknown
                }
            }
            let column = cells[Int(node.index) * levelCount + Int(levels[target])]
            let position = Int(positions[target])
            guard position < column.capacity, let kinds = column.kinds, let payloads = column.payloads else {
                return .missing
            }
            return cell(kinds[position], payloads[position])
        case .parameter:
            return node.index >= 0 ? .known(constants[Int(node.index)]) : .other
        case .variable:
            let slot = Int(node.index)
            guard slot < slots.count else { return .failure }
            return .known(.entity(slots[slot]))
        case .collection:
            guard let owner = owner(node.a, entity) else { return .failure }
            let members = descendants(of: owner, at: node.level)
            if members.isEmpty { return .other }
            return .known(list(members.map { .entity($0) }))
        case .attribute:
            guard let owner = owner(node.a, entity) else { return .failure }
            let record = program.records[owner]
            switch node.attribute {
            case .id:
                steps += textSteps(record.id)
                return .known(text(record.id))
            case .name:
                steps += textSteps(record.name)
                return .known(text(record.name))
            case .group:
                guard let group = record.group else { return .other }
                return .known(.number(.integer(Int64(group))))
            case .kind:
                guard let kind = record.kind else { return .other }
                return .known(text(kind))
            }
        case .not:
            let value = evaluate(node.a, entity)
            guard case .known(let v) = value else { return value }
            if case .bool(let b) = v { return .known(.bool(!b)) }
            return .failure
        case .negate:
            let value = evaluate(node.a, entity)
            guard case .known(let v) = value else { return value }
            if case .number(let n) = v { return .known(.number(arena.negate(n))) }
            return .failure
        case .binary:
            return binary(node.binary, node.a, node.b, entity)
        case .leafComparison:
            return leafComparison(node, entity)
        case .conditional:
            let condition = evaluate(node.a, entity)
            switch condition {
            case .known(.bool(true)): return evaluate(node.b, entity)
            case .known(.bool(false)): return evaluate(node.c, entity)
            case .known: return .failure
            case .unknown:
                let x = evaluate(node.b, entity)
                let y = evaluate(node.c, entity)
                if case .known(let vx) = x, case .known(let vy) = y {
                    if Self.mayCost(vx), charge(comparisonSteps(vx, vy)) { return .failure }
                    if equal(vx, vy) { return x }
                }
                return .merged(condition, x, y)
            }
        case .list:
            var values: [FastValue] = []
            var reasons = 0
            var only = true
            var error = false
            for k in 0..<Int(node.count) {
                switch evaluate(operands[Int(node.index) + k], entity) {
                case .known(let v): values.append(v)
                case .unknown(let n, let m, let e):
                    reasons += n
                    only = only && m
                    error = error || e
                }
            }
            return reasons == 0 ? .known(list(values)) : .unknown(reasons: reasons, onlyMissing: only, error: error)
        case .quantifier:
            return fold(node, entity)
        case .size:
            let value = evaluate(node.a, entity)
            guard case .known(let v) = value else { return value }
            guard case .list(_, let count) = v else { return .failure }
            return .known(.number(.integer(Int64(count))))
        case .year:
            return evaluate(node.a, entity)
        case .constantList:
            // The reference evaluates the list and each item: one step each.
            steps += Int(node.count)
            if steps > checkpoint.limit, checkpoint.stop(at: steps) { return .failure }
            return .known(constants[Int(node.index)])
        case .meets:
            var target = entity
            if node.a >= 0 {
                guard let e = owner(node.a, entity) else { return .failure }
                target = e
            }
            guard node.index >= 0, let table = outcomes[Int(node.index)],
                Int(levels[target]) == program.criterionLevels[Int(node.index)]
            else { return .other }
            switch table[Int(positions[target])] {
            case .pass: return .known(.bool(true))
            case .fail: return .known(.bool(false))
            case .unknown, .notApplicable: return .other
            }
        case .has:
            switch evaluate(node.a, entity) {
            case .known: return .known(.bool(true))
            case .unknown(let n, let only, let error):
                return only ? .known(.bool(false)) : .unknown(reasons: n, onlyMissing: only, error: error)
            }
        }
    }

    /// The value of a fact cell.
    @inline(__always) private mutating func cell(_ kind: UInt8, _ payload: Int64) -> FastResult {
        switch kind {
        case FactStore.Kind.bool.rawValue: return .known(.bool(payload != 0))
        case FactStore.Kind.integer.rawValue: return .known(.number(.integer(payload)))
        case FactStore.Kind.decimal.rawValue: return .known(.number(.decimal(Int32(payload))))
        case FactStore.Kind.text.rawValue: return .known(.text(Int32(payload)))
        case FactStore.Kind.other.rawValue: return .known(fast(program.others[Int(payload)]))
        default: return .missing
        }
    }

    /// The entity a subject names (the current entity when there is none, `a < 0`), or `nil` when it is
    /// not an entity; the reference turns that into a located error, whatever the reasons.
    @inline(__always) private mutating func owner(_ a: Int32, _ entity: Int) -> Int? {
        guard a >= 0 else { return entity }
        if case .known(.entity(let e)) = evaluate(a, entity) { return e }
        return nil
    }

    /// The descendants of an entity at a lower level (by its index in the dataset's map), in data
    /// order (as `ExpressionEvaluator`).
    func descendants(of owner: Int, at level: UInt8) -> [Int] {
        level == .max ? [] : program.structure.descendants(of: owner, atIndex: level)
    }

    private mutating func binary(_ op: BinaryOperator, _ l: Int32, _ r: Int32, _ entity: Int) -> FastResult {
        if op == .and || op == .or {
            let decisive = op == .or
            let left = evaluate(l, entity)
            if case .known(.bool(decisive)) = left { return left }
            let right = evaluate(r, entity)
            if case .known(.bool(decisive)) = right { return right }
            if case .known(.bool) = left, case .known(.bool) = right { return .known(.bool(!decisive)) }
            return .merged(left, right)
        }
        if op == .in, nodes[Int(r)].op == .constantList {
            // Membership in a list of constants: the items are read in place, not copied as a list;
            // the reference evaluates the list and each item, one step each.
            let left = evaluate(l, entity)
            let list = nodes[Int(r)]
            steps += 1 + Int(list.count)
            if steps > checkpoint.limit, checkpoint.stop(at: steps) { return .failure }
            guard case .known(let a) = left else { return left }
            let items = program.items + Int(list.c)
            if Self.mayCost(a) {
                var extra = 0
                for k in 0..<Int(list.count) { extra += comparisonSteps(a, items[k]) }
                if charge(extra) { return .failure }
            }
            for k in 0..<Int(list.count) where Self.plainEqual(a, items[k]) ?? equal(a, items[k]) { return .known(.bool(true)) }
            return .known(.bool(false))
        }
        let left = evaluate(l, entity)
        let right = evaluate(r, entity)
        guard case .known(let a) = left, case .known(let b) = right else {
            if let decided = decideByBounds(op, l, r, left, right, entity) { return decided }
            return .merged(left, right)
        }
        // The operator first, then each operand on its own: a switch over a tuple of the values would
        // copy both of them.
        switch op {
        case .add, .subtract, .multiply, .divide:
            guard case .number(let x) = a, case .number(let y) = b else { return .failure }
            // The result first, then the check: `checked(arena.add(x, y))` would read a copy of `self`
            // taken before `add` stored a computed decimal.
            let n: FastNumber
            switch op {
            case .add: n = arena.add(x, y)
            case .subtract: n = arena.subtract(x, y)
            case .multiply: n = arena.multiply(x, y)
            default:
                if arena.isZero(y) { return .failure }
                n = arena.divide(x, y)
            }
            return checked(n)
        case .equal, .notEqual:
            if Self.mayCost(a), charge(comparisonSteps(a, b)) { return .failure }
            let same = Self.plainEqual(a, b) ?? equal(a, b)
            return .known(.bool(op == .equal ? same : !same))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let order: Int
            if case .number(let x) = a, case .number(let y) = b {
                order = arena.compare(x, y)
            } else if case .date(let x) = a, case .date(let y) = b {
                order = x < y ? -1 : x == y ? 0 : 1
            } else {
                return .failure
            }
            return .known(.bool(op.holds(order: order)))
        case .in:
            guard case .list(let start, let count) = b else { return .failure }
            if Self.mayCost(a), charge(items(of: start, count).reduce(0) { $0 + comparisonSteps(a, $1) }) { return .failure }
            for item in items(of: start, count) where equal(a, item) { return .known(.bool(true)) }
            return .known(.bool(false))
        case .and, .or:
            return .failure  // handled above
        }
    }

    /// A comparison of two leaves, with the steps the reference takes for it (the comparison, each
    /// operand, and a `year` around a fact). Neither operand is a fold, so no bounds decide it.
    private mutating func leafComparison(_ node: FastNode, _ entity: Int) -> FastResult {
        let left = leaf(node.a, entity)
        let right = leaf(node.b, entity)
        if steps > checkpoint.limit, checkpoint.stop(at: steps) { return .failure }
        guard case .known(let a) = left, case .known(let b) = right else { return .merged(left, right) }
        if Self.mayCost(a), node.binary == .equal || node.binary == .notEqual, charge(comparisonSteps(a, b)) { return .failure }
        switch node.binary {
        case .equal: return .known(.bool(Self.plainEqual(a, b) ?? equal(a, b)))
        case .notEqual: return .known(.bool(!(Self.plainEqual(a, b) ?? equal(a, b))))
        default:
            let order: Int
            if case .number(.integer(let x)) = a, case .number(.integer(let y)) = b {
                order = x < y ? -1 : x == y ? 0 : 1
            } else if case .number(let x) = a, case .number(let y) = b {
                order = arena.compare(x, y)
            } else if case .date(let x) = a, case .date(let y) = b {
                order = x < y ? -1 : x == y ? 0 : 1
            } else {
                return .failure
            }
            return .known(.bool(node.binary.holds(order: order)))
        }
    }

    /// The value of a leaf node, counting its steps.
    @inline(__always) private mutating func leaf(_ index: Int32, _ entity: Int) -> FastResult {
        var node = nodes[Int(index)]
        steps += 1
        if node.op == .year {
            node = nodes[Int(node.a)]
            steps += 1
        }
        switch node.op {
        case .constant: return .known(constants[Int(node.index)])
        case .parameter: return node.index >= 0 ? .known(constants[Int(node.index)]) : .other
        default:
            let column = cells[Int(node.index) * levelCount + Int(levels[entity])]
            let position = Int(positions[entity])
            guard position < column.capacity, let kinds = column.kinds, let payloads = column.payloads else { return .missing }
            return cell(kinds[position], payloads[position])
        }
    }

    /// As `ExpressionEvaluator.decideByBounds`: an ordering comparison between a `share` or `count`
    /// that is unknown only because some elements are and a known number, decided when it holds (or
    /// fails) at both ends of the fold's possible values.
    private mutating func decideByBounds(
        _ op: BinaryOperator, _ l: Int32, _ r: Int32, _ left: FastResult, _ right: FastResult, _ entity: Int
    ) -> FastResult? {
        guard op == .less || op == .lessOrEqual || op == .greater || op == .greaterOrEqual else { return nil }
        let ends: [(FastValue, FastValue)]
        switch (left, right) {
        case (.unknown, .known(let b)):
            guard let (low, high) = bounds(of: l, entity) else { return nil }
            ends = [(low, b), (high, b)]
        case (.known(let a), .unknown):
            guard let (low, high) = bounds(of: r, entity) else { return nil }
            ends = [(a, low), (a, high)]
        default:
            return nil
        }
        var answers: [Bool] = []
        for (x, y) in ends {
            let order: Int
            switch (x, y) {
            case (.number(let p), .number(let q)): order = arena.compare(p, q)
            case (.date(let p), .date(let q)): order = p < q ? -1 : p == q ? 0 : 1
            default: continue
            }
            answers.append(op.holds(order: order))
        }
        guard answers.count == 2, answers[0] == answers[1] else { return nil }
        return .known(.bool(answers[0]))
    }

    /// As `ExpressionEvaluator.bounds`: the least and greatest values of a `share` or `count` node whose
    /// elements are each true, false or unknown for want of data; it evaluates the list and the body
    /// again, as the reference does (the same steps).
    private mutating func bounds(of index: Int32, _ entity: Int) -> (FastValue, FastValue)? {
        let node = nodes[Int(index)]
        guard node.op == .quantifier, node.quantifier == .share || node.quantifier == .count,
            case .known(.list(let start, let count)) = evaluate(node.a, entity), count > 0
        else { return nil }
        let items = items(of: start, count)
        let slot = Int(node.index)
        if slots.count <= slot { slots.append(contentsOf: repeatElement(0, count: slot + 1 - slots.count)) }
        var trues: Int64 = 0
        var unknowns: Int64 = 0
        for item in items {
            guard case .entity(let e) = item else { return nil }
            slots[slot] = e
            switch evaluate(node.b, entity) {
            case .known(.bool(true)): trues += 1
            case .known(.bool(false)): break
            case .unknown(_, _, let error):
                if error { return nil }
                unknowns += 1
            case .known: return nil
            }
        }
        if node.quantifier == .share {
            let count = Int64(items.count)
            return (.number(.ratio(trues, count)), .number(.ratio(trues + unknowns, count)))
        }
        return (.number(.integer(trues)), .number(.integer(trues + unknowns)))
    }

    @inline(__always) private func checked(_ n: FastNumber) -> FastResult {
        arena.isNaN(n) ? .failure : .known(.number(n))
    }

    private mutating func fold(_ node: FastNode, _ entity: Int) -> FastResult {
        let slot = Int(node.index)
        if slots.count <= slot { slots.append(contentsOf: repeatElement(0, count: slot + 1 - slots.count)) }
        var state = FoldState(quantifier: node.quantifier)
        let list = nodes[Int(node.a)]
        // The common case, a fold over the children of an entity, reads them in place.
        if list.op == .collection {
            steps += 1
            if steps > checkpoint.limit, checkpoint.stop(at: steps) { return .failure }
            guard let owner = owner(list.a, entity) else { return .failure }
            let target = list.level
            guard target != .max else { return .other }
            let (start, end) = (Int(childStart[owner]), Int(childStart[owner + 1]))
            // As `descendants`: one step down when the owner is above the level and none of its children is.
            let depth = levelDepths[Int(target)]
            if levelDepths[Int(levels[owner])] < depth && childDepth[owner] >= depth {
                var count = 0
                if node.bodyFact >= 0 && steps + 2 * (end - start) <= maxSteps {
                    // The body reads one fact of the element: two steps (the fact and the variable).
                    let column = cells[Int(node.bodyFact) * levelCount + Int(target)]
                    for k in start..<end {
                        let child = Int(children[k])
                        guard levels[child] == target else { continue }
                        count += 1
                        steps += 2
                        let position = Int(positions[child])
                        let value: FastResult
                        if position < column.capacity, let kinds = column.kinds, let payloads = column.payloads {
                            value = cell(kinds[position], payloads[position])
                        } else {
                            value = .missing
                        }
                        if let early = state.add(value, item: child, &arena) {
                            slots[slot] = child
                            return early
                        }
                    }
                    if count > 0 { slots[slot] = Int(children[end - 1]) }
                } else {
                    for k in start..<end {
                        let child = Int(children[k])
                        guard levels[child] == target else { continue }
                        count += 1
                        slots[slot] = child
                        if let early = state.add(evaluate(node.b, entity), item: child, &arena) { return early }
                    }
                }
                if count == 0 { return .other }
                return state.result(total: count, &arena, &lists)
            }
            let members = descendants(of: owner, at: list.level)
            if members.isEmpty { return .other }
            for member in members {
                slots[slot] = member
                if let early = state.add(evaluate(node.b, entity), item: member, &arena) { return early }
            }
            return state.result(total: members.count, &arena, &lists)
        }
        let listValue = evaluate(node.a, entity)
        guard case .known(.list(let start, let count)) = listValue else { return listValue }
        let items = items(of: start, count)
        for item in items {
            guard case .entity(let e) = item else { return .failure }
            slots[slot] = e
            if let early = state.add(evaluate(node.b, entity), item: e, &arena) { return early }
        }
        return state.result(total: items.count, &arena, &lists)
    }
}

/// The running state of a quantifier, as `ExpressionEvaluator.fold` keeps it.
private struct FoldState {
    let quantifier: Quantifier
    var trues = 0
    var falses = 0
    var total = FastNumber.integer(0)
    var kept: [FastValue] = []
    var reasons = 0
    var onlyMissing = true
    var error = false

    init(quantifier: Quantifier) {
        self.quantifier = quantifier
    }

    /// Takes one element's value; returns the fold's result when it ends early.
    @inline(__always) mutating func add(_ value: FastResult, item: Int, _ arena: inout DecimalArena) -> FastResult? {
        switch value {
        case .known(.bool(true)):
            trues += 1
            if quantifier == .exists { return .known(.bool(true)) }
            if quantifier == .filter { kept.append(.entity(item)) }
        case .known(.bool(false)):
            falses += 1
            if quantifier == .all { return .known(.bool(false)) }
        case .known(.number(let n)):
            total = arena.add(total, n)
            if arena.isNaN(total) { return .failure }
        case .known:
            return .failure
        case .unknown(let n, let only, let failed):
            if reasons < 50 {
                reasons += n
                onlyMissing = onlyMissing && only
                error = error || failed
            }
        }
        return nil
    }

    func result(total count: Int, _ arena: inout DecimalArena, _ lists: inout [FastValue]) -> FastResult {
        if quantifier == .all && falses > 0 { return .known(.bool(false)) }
        if reasons > 0 { return .unknown(reasons: reasons, onlyMissing: onlyMissing, error: error) }
        switch quantifier {
        case .all: return .known(.bool(true))
        case .exists: return .known(.bool(false))
        case .filter:
            let start = Int32(lists.count)
            lists += kept
            return .known(.list(start: start, count: Int32(kept.count)))
        case .share:
            // The reference divides Decimal(trues) by Decimal(count); over no element that is an
            // error ("'share' of an empty list divides by zero").
            if count == 0 { return .failure }
            return .known(.number(arena.share(trues, of: count)))
        case .count: return .known(.number(.integer(Int64(trues))))
        case .sum: return .known(.number(total))
        }
    }
}
