import Foundation

/// The outcomes computed so far, as `meets` reads them: per criterion, one outcome per entity of its
/// level, by the entity's position within the level.
struct OutcomeColumns: Sendable {
    /// The outcomes of each evaluated criterion, by position within its level.
    var columns: [String: [Outcome]] = [:]
    /// The dataset's entities (for their levels) and their positions within their levels.
    let records: [Entity]
    let positions: [Int]

    init(dataset: Dataset) {
        records = dataset.records
        positions = dataset.positions
    }

    /// The outcome of a criterion for an entity, or `nil` when it was not evaluated for it.
    func outcome(_ criterion: String, entity: Int, level: Level) -> Outcome? {
        guard records[entity].level == level, let column = columns[criterion] else { return nil }
        let position = positions[entity]
        return position < column.count ? column[position] : nil
    }
}

/// A value while the verdict evaluator works: `Value` with numbers as `FastNumber`.
enum FastValue: Sendable {
    case bool(Bool)
    case number(FastNumber)
    case text(String)
    case date(LocalDate)
    case entity(Int)
    case list([FastValue])

    init(_ value: Value) {
        switch value {
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(FastNumber(n))
        case .text(let t): self = .text(t)
        case .date(let d): self = .date(d)
        case .entity(let e): self = .entity(e)
        case .list(let items): self = .list(items.map(FastValue.init))
        }
    }

    /// `Value`'s equality: numbers by value, lists item by item, different kinds unequal.
    static func equal(_ a: FastValue, _ b: FastValue) -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): FastNumber.compare(x, y) == 0
        case (.text(let x), .text(let y)): x == y
        case (.date(let x), .date(let y)): x == y
        case (.entity(let x), .entity(let y)): x == y
        case (.list(let x), .list(let y)): x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        default: false
        }
    }
}

/// The result of an expression for the verdict evaluator: a value, or unknown. An unknown keeps what
/// the reference's list of reasons decides: how many reasons it has (a fold keeps at most about 50)
/// and whether they are all missing facts (which `has` turns into `false`).
enum FastResult: Sendable {
    case known(FastValue)
    case unknown(reasons: Int, onlyMissing: Bool)

    static let failure = FastResult.unknown(reasons: 1, onlyMissing: false)
    static let missing = FastResult.unknown(reasons: 1, onlyMissing: true)

    @inline(__always) var reasonCount: Int {
        if case .unknown(let n, _) = self { return n }
        return 0
    }

    @inline(__always) var onlyMissing: Bool {
        if case .unknown(_, let m) = self { return m }
        return true
    }

    /// The unknown made of the reasons of several results, as the reference concatenates them.
    @inline(__always) static func merged(_ parts: FastResult...) -> FastResult {
        var count = 0
        var only = true
        for p in parts {
            count += p.reasonCount
            only = only && p.onlyMissing
        }
        return .unknown(reasons: count, onlyMissing: only)
    }
}

/// A compiled expression with every name resolved for one dataset and date: facts to columns,
/// parameters to their values, years to fixed years. Mirrors `CompiledExpression` node for node, so
/// that it takes the same steps as the reference evaluator.
indirect enum FastExpression: Sendable {
    case constant(FastValue)
    /// A fact: the column of its (name, year) at each level, indexed like `FactStore.levelIndex`.
    case fact(subject: FastExpression?, columns: [FactColumn?])
    case parameter(FastValue?)
    case variable(Int)
    case collection(subject: FastExpression?, level: Level)
    case attribute(subject: FastExpression?, EntityAttribute)
    case unary(UnaryOperator, FastExpression)
    case binary(BinaryOperator, FastExpression, FastExpression)
    case conditional(FastExpression, FastExpression, FastExpression)
    case list([FastExpression])
    /// `traced`: at the top of a check, where the reference does not stop an `all` at the first false.
    case quantifier(Quantifier, list: FastExpression, slot: Int, body: FastExpression, traced: Bool)
    case size(FastExpression)
    /// Another year; the inner expression is already compiled for it.
    case year(FastExpression)
    case meets(subject: FastExpression?, criterion: String, level: Level)
    case has(FastExpression)
}

/// A condition tree compiled for the verdict evaluator.
indirect enum FastCondition: Sendable {
    case check(FastExpression)
    case group(GroupKind, [FastCondition])
}

/// Compiles a rule graph's criteria for one dataset and date.
struct FastCompiler {
    let graph: RuleGraph
    let store: FactStore
    let asOf: LocalDate
    /// Each stored decimal as a `FastNumber`, by its id in the store.
    let decimals: [FastNumber]

    init(graph: RuleGraph, dataset: Dataset, asOf: LocalDate) {
        self.graph = graph
        self.store = dataset.store
        self.asOf = asOf
        decimals = dataset.store.storage.decimals.map(FastNumber.init)
    }

    func condition(_ node: ConditionNode) -> FastCondition {
        switch node.body {
        case .check(let e, _): .check(expression(e, year: asOf.year, depth: 0))
        case .group(let kind, let children): .group(kind, children.map(condition))
        }
    }

    func expression(_ e: CompiledExpression, year: Int, depth: Int) -> FastExpression {
        func sub(_ x: CompiledExpression?, _ d: Int = depth) -> FastExpression? { x.map { expression($0, year: year, depth: d) } }
        switch e.kind {
        case .constant(let v): return .constant(FastValue(v))
        case .fact(let subject, let name):
            let columns = Level.allCases.map { level in
                store.columnID(level: level, name: name, year: year).map { store.column($0) }
            }
            return .fact(subject: sub(subject), columns: columns)
        case .parameter(let name):
            return .parameter(graph.parameters[name]?.value(on: asOf).map { FastValue($0.value) })
        case .variable(let slot): return .variable(slot)
        case .collection(let subject, let level): return .collection(subject: sub(subject), level: level)
        case .attribute(let subject, let attribute): return .attribute(subject: sub(subject), attribute)
        case .unary(let op, let x): return .unary(op, expression(x, year: year, depth: depth))
        case .binary(let op, let l, let r):
            return .binary(op, expression(l, year: year, depth: depth), expression(r, year: year, depth: depth))
        case .conditional(let c, let a, let b):
            return .conditional(
                expression(c, year: year, depth: depth), expression(a, year: year, depth: depth),
                expression(b, year: year, depth: depth))
        case .list(let items): return .list(items.map { expression($0, year: year, depth: depth) })
        case .quantifier(let q, let list, let slot, let body):
            return .quantifier(
                q, list: expression(list, year: year, depth: depth + 1), slot: slot,
                body: expression(body, year: year, depth: depth + 1), traced: depth == 0)
        case .size(let x): return .size(expression(x, year: year, depth: depth + 1))
        case .year(let selector, let inner):
            let target: Int
            switch selector {
            case .previous: target = year - 1
            case .fixed(let y): target = y
            }
            return .year(expression(inner, year: target, depth: depth))
        case .meets(let subject, let criterion):
            // A criterion that is not in the graph is never evaluated: its outcome is not applicable.
            return .meets(subject: sub(subject), criterion: criterion, level: graph.level(of: criterion) ?? .province)
        case .has(let inner): return .has(expression(inner, year: year, depth: depth + 1))
        }
    }
}

/// Evaluates compiled criteria for one entity at a time, to outcomes only: the fast path of
/// `Evaluator` when no explanation is asked for, and the first pass when only the short explanation is.
///
/// It gives exactly the outcomes of the reference (`CriterionEvaluation`, which builds the whole
/// explanation tree with `ExpressionEvaluator`): it follows `ExpressionEvaluator` case for case, with
/// the same three-valued logic, the same order of evaluation and the same short-circuits, and it
/// counts the same steps. The reference also takes steps to trace values and state requirements, at
/// most as many again, so when `2 × steps` stays within the step budget neither runs out; otherwise
/// the caller falls back to the reference (`fitsBudget`). Numbers are `FastNumber`s, which compute what
/// the reference's `Decimal`s would.
struct VerdictEvaluator {
    let store: FactStore
    let records: [Entity]
    let positions: [Int]
    let outcomes: OutcomeColumns
    let decimals: [FastNumber]
    let maxSteps: Int
    var steps = 0
    var slots: [Int] = []

    init(dataset: Dataset, outcomes: OutcomeColumns, decimals: [FastNumber], maxSteps: Int) {
        store = dataset.store
        records = dataset.records
        positions = dataset.positions
        self.outcomes = outcomes
        self.decimals = decimals
        self.maxSteps = maxSteps
    }

    /// Whether the reference would have stayed within the step budget for the last criterion.
    var fitsBudget: Bool { steps <= maxSteps / 2 }

    /// The outcome of a criterion's condition tree; `groupsStop`: whether a group may stop at the first
    /// child that decides it (for verdicts only: a decided group cannot change, whatever follows).
    mutating func outcome(_ condition: FastCondition, entity: Int, groupsStop: Bool = true) -> Outcome {
        switch condition {
        case .check(let e):
            switch evaluate(e, entity: entity) {
            case .known(.bool(true)): return .pass
            case .known(.bool(false)): return .fail
            default: return .unknown
            }
        case .group(let kind, let children):
            var passed = 0
            var failed = 0
            var open = 0
            for (k, child) in children.enumerated() {
                switch outcome(child, entity: entity, groupsStop: groupsStop) {
                case .pass: passed += 1
                case .fail: failed += 1
                case .unknown: open += 1
                case .notApplicable: break
                }
                guard groupsStop else { continue }
                let remaining = children.count - k - 1
                switch kind {
                case .all where failed > 0: return .fail
                case .any where passed > 0: return .pass
                case .none where passed > 0: return .fail
                case .atLeast(let n) where passed >= n: return .pass
                case .atLeast(let n) where passed + open + remaining < n: return .fail
                default: break
                }
            }
            switch kind {
            case .all: return failed > 0 ? .fail : open > 0 ? .unknown : .pass
            case .any: return passed > 0 ? .pass : open > 0 ? .unknown : .fail
            case .none: return passed > 0 ? .fail : open > 0 ? .unknown : .pass
            case .atLeast(let n): return passed >= n ? .pass : passed + open < n ? .fail : .unknown
            }
        }
    }

    /// The outcome of every node of a condition tree, in depth-first order (no group stops early).
    mutating func outcomes(_ condition: FastCondition, entity: Int, into result: inout [Outcome]) -> Outcome {
        switch condition {
        case .check:
            let o = outcome(condition, entity: entity, groupsStop: false)
            result.append(o)
            return o
        case .group(let kind, let children):
            let slot = result.count
            result.append(.notApplicable)
            var childOutcomes: [Outcome] = []
            childOutcomes.reserveCapacity(children.count)
            for child in children { childOutcomes.append(outcomes(child, entity: entity, into: &result)) }
            let o: Outcome
            switch kind {
            case .all: o = Outcome.all(childOutcomes)
            case .any: o = Outcome.any(childOutcomes)
            case .none: o = Outcome.any(childOutcomes).negated
            case .atLeast(let n): o = Outcome.atLeast(n, childOutcomes)
            }
            result[slot] = o
            return o
        }
    }

    // MARK: Expressions

    @inline(__always) private func level(of entity: Int) -> Level { records[entity].level }

    mutating func evaluate(_ e: FastExpression, entity: Int) -> FastResult {
        steps += 1
        if steps > maxSteps { return .failure }
        switch e {
        case .constant(let v):
            return .known(v)
        case .fact(let subject, let columns):
            var target = entity
            if let subject {
                switch evaluate(subject, entity: entity) {
                case .known(.entity(let index)): target = index
                case .known: return .failure
                case let unknown: return unknown
                }
            }
            guard let column = columns[FactStore.levelIndex(level(of: target))] else { return .missing }
            let position = positions[target]
            guard position < column.capacity else { return .missing }
            let payload = column.payloads[position]
            switch FactStore.Kind(rawValue: column.kinds[position]) {
            case .bool: return .known(.bool(payload != 0))
            case .integer: return .known(.number(.integer(payload)))
            case .decimal: return .known(.number(decimals[Int(payload)]))
            case .text: return .known(.text(store.text(payload)))
            case .other: return .known(FastValue(store.other(payload)))
            case .missing, nil: return .missing
            }
        case .parameter(let value):
            guard let value else { return .failure }
            return .known(value)
        case .variable(let slot):
            guard slot < slots.count else { return .failure }
            return .known(.entity(slots[slot]))
        case .collection(let subject, let level):
            guard let owner = owner(subject, entity: entity) else { return .failure }
            let members = descendants(of: owner, at: level)
            if members.isEmpty { return .failure }
            return .known(.list(members.map { .entity($0) }))
        case .attribute(let subject, let attribute):
            guard let owner = owner(subject, entity: entity) else { return .failure }
            let record = records[owner]
            switch attribute {
            case .id: return .known(.text(record.id))
            case .name: return .known(.text(record.name))
            case .group:
                guard let group = record.group else { return .failure }
                return .known(.number(.integer(Int64(group))))
            }
        case .unary(let op, let operand):
            let value = evaluate(operand, entity: entity)
            guard case .known(let v) = value else { return value }
            switch (op, v) {
            case (.not, .bool(let b)): return .known(.bool(!b))
            case (.negate, .number(let n)): return .known(.number(FastNumber.negate(n)))
            default: return .failure
            }
        case .binary(let op, let l, let r):
            return binary(op, l, r, entity: entity)
        case .conditional(let c, let a, let b):
            let condition = evaluate(c, entity: entity)
            switch condition {
            case .known(.bool(true)): return evaluate(a, entity: entity)
            case .known(.bool(false)): return evaluate(b, entity: entity)
            case .known: return .failure
            case .unknown:
                let x = evaluate(a, entity: entity)
                let y = evaluate(b, entity: entity)
                if case .known(let vx) = x, case .known(let vy) = y, FastValue.equal(vx, vy) { return x }
                return .merged(condition, x, y)
            }
        case .list(let items):
            var values: [FastValue] = []
            var reasons = 0
            var only = true
            for item in items {
                switch evaluate(item, entity: entity) {
                case .known(let v): values.append(v)
                case .unknown(let n, let m):
                    reasons += n
                    only = only && m
                }
            }
            return reasons == 0 ? .known(.list(values)) : .unknown(reasons: reasons, onlyMissing: only)
        case .quantifier(let quantifier, let list, let slot, let body, let traced):
            return fold(quantifier, list: list, slot: slot, body: body, traced: traced, entity: entity)
        case .size(let list):
            let value = evaluate(list, entity: entity)
            guard case .known(let v) = value else { return value }
            guard case .list(let items) = v else { return .failure }
            return .known(.number(.integer(Int64(items.count))))
        case .year(let inner):
            return evaluate(inner, entity: entity)
        case .meets(let subject, let criterion, let level):
            var target = entity
            if let subject {
                guard let index = owner(subject, entity: entity) else { return .failure }
                target = index
            }
            switch outcomes.outcome(criterion, entity: target, level: level) ?? .notApplicable {
            case .pass: return .known(.bool(true))
            case .fail: return .known(.bool(false))
            case .unknown, .notApplicable: return .failure
            }
        case .has(let inner):
            switch evaluate(inner, entity: entity) {
            case .known: return .known(.bool(true))
            case .unknown(let n, let only): return only ? .known(.bool(false)) : .unknown(reasons: n, onlyMissing: only)
            }
        }
    }

    /// The entity an optional subject names (the current entity when there is none), or `nil` when
    /// it is not an entity; the reference turns that into a located error, whatever the reasons.
    @inline(__always) private mutating func owner(_ subject: FastExpression?, entity: Int) -> Int? {
        guard let subject else { return entity }
        if case .known(.entity(let index)) = evaluate(subject, entity: entity) { return index }
        return nil
    }

    /// The descendants of an entity at a lower level, in data order (as `ExpressionEvaluator`).
    func descendants(of owner: Int, at level: Level) -> [Int] {
        var frontier = [owner]
        while let first = frontier.first, records[first].level < level {
            frontier = frontier.flatMap { records[$0].children }
            if frontier.isEmpty { break }
        }
        return frontier.filter { records[$0].level == level }
    }

    private mutating func binary(_ op: BinaryOperator, _ l: FastExpression, _ r: FastExpression, entity: Int) -> FastResult {
        if op == .and || op == .or {
            let decisive = op == .or
            let left = evaluate(l, entity: entity)
            if case .known(.bool(decisive)) = left { return left }
            let right = evaluate(r, entity: entity)
            if case .known(.bool(decisive)) = right { return right }
            if case .known(.bool) = left, case .known(.bool) = right { return .known(.bool(!decisive)) }
            return .merged(left, right)
        }
        let left = evaluate(l, entity: entity)
        let right = evaluate(r, entity: entity)
        guard case .known(let a) = left, case .known(let b) = right else { return .merged(left, right) }
        switch (op, a, b) {
        case (.add, .number(let x), .number(let y)): return checked(FastNumber.add(x, y))
        case (.subtract, .number(let x), .number(let y)): return checked(FastNumber.subtract(x, y))
        case (.multiply, .number(let x), .number(let y)): return checked(FastNumber.multiply(x, y))
        case (.divide, .number(let x), .number(let y)):
            if y.isZero { return .failure }
            return checked(FastNumber.divide(x, y))
        case (.equal, _, _): return .known(.bool(FastValue.equal(a, b)))
        case (.notEqual, _, _): return .known(.bool(!FastValue.equal(a, b)))
        case (.less, _, _), (.lessOrEqual, _, _), (.greater, _, _), (.greaterOrEqual, _, _):
            let order: Int
            switch (a, b) {
            case (.number(let x), .number(let y)): order = FastNumber.compare(x, y)
            case (.date(let x), .date(let y)): order = x < y ? -1 : x == y ? 0 : 1
            default: return .failure
            }
            switch op {
            case .less: return .known(.bool(order < 0))
            case .lessOrEqual: return .known(.bool(order <= 0))
            case .greater: return .known(.bool(order > 0))
            default: return .known(.bool(order >= 0))
            }
        case (.in, _, .list(let items)): return .known(.bool(items.contains { FastValue.equal(a, $0) }))
        default: return .failure
        }
    }

    @inline(__always) private func checked(_ n: FastNumber) -> FastResult {
        n.isNaN ? .failure : .known(.number(n))
    }

    private mutating func fold(
        _ quantifier: Quantifier, list: FastExpression, slot: Int, body: FastExpression, traced: Bool, entity: Int
    ) -> FastResult {
        if slots.count <= slot { slots.append(contentsOf: repeatElement(0, count: slot + 1 - slots.count)) }
        var state = FoldState(quantifier: quantifier, traced: traced)
        // The common case, a fold over the children of an entity, reads them in place.
        if case .collection(let subject, let level) = list {
            steps += 1
            if steps > maxSteps { return .failure }
            guard let owner = owner(subject, entity: entity) else { return .failure }
            if let childLevel = records[owner].level.child, childLevel == level {
                let children = records[owner].children
                var count = 0
                for child in children where records[child].level == level {
                    count += 1
                    slots[slot] = child
                    if let early = state.add(evaluate(body, entity: entity), item: .entity(child)) { return early }
                }
                if count == 0 { return .failure }
                return state.result(total: count)
            }
            let members = descendants(of: owner, at: level)
            if members.isEmpty { return .failure }
            for member in members {
                slots[slot] = member
                if let early = state.add(evaluate(body, entity: entity), item: .entity(member)) { return early }
            }
            return state.result(total: members.count)
        }
        let listValue = evaluate(list, entity: entity)
        guard case .known(.list(let items)) = listValue else {
            if case .known = listValue { return listValue }
            return listValue
        }
        for item in items {
            guard case .entity(let index) = item else { return .failure }
            slots[slot] = index
            if let early = state.add(evaluate(body, entity: entity), item: item) { return early }
        }
        return state.result(total: items.count)
    }
}

/// The running state of a quantifier, as `ExpressionEvaluator.fold` keeps it.
private struct FoldState {
    let quantifier: Quantifier
    let traced: Bool
    var trues = 0
    var falses = 0
    var total = FastNumber.integer(0)
    var kept: [FastValue] = []
    var reasons = 0
    var onlyMissing = true

    init(quantifier: Quantifier, traced: Bool) {
        self.quantifier = quantifier
        self.traced = traced
    }

    /// Takes one element's value; returns the fold's result when it ends early.
    @inline(__always) mutating func add(_ value: FastResult, item: FastValue) -> FastResult? {
        switch value {
        case .known(.bool(true)):
            trues += 1
            if quantifier == .exists { return .known(.bool(true)) }
            if quantifier == .filter { kept.append(item) }
        case .known(.bool(false)):
            falses += 1
            if quantifier == .all && !traced { return .known(.bool(false)) }
        case .known(.number(let n)):
            total = FastNumber.add(total, n)
            if total.isNaN { return .failure }
        case .known:
            return .failure
        case .unknown(let n, let only):
            if reasons < 50 {
                reasons += n
                onlyMissing = onlyMissing && only
            }
        }
        return nil
    }

    func result(total count: Int) -> FastResult {
        if quantifier == .all && falses > 0 { return .known(.bool(false)) }
        if reasons > 0 { return .unknown(reasons: reasons, onlyMissing: onlyMissing) }
        switch quantifier {
        case .all: return .known(.bool(true))
        case .exists: return .known(.bool(false))
        case .filter: return .known(.list(kept))
        case .share: return .known(.number(.ratio(Int64(trues), Int64(count))))
        case .count: return .known(.number(.integer(Int64(trues))))
        case .sum: return .known(.number(total))
        }
    }
}
