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

/// A value while the verdict evaluator works: `Value` as plain data, so that copying one costs no
/// reference counting. Numbers are `FastNumber`s; texts are numbers in the program's table of texts
/// (equal texts, equal numbers); dates are packed as yyyymmdd; lists are a range of the evaluator's
/// list items (or, with a negative start, of the program's constant lists).
enum FastValue: Sendable {
    case bool(Bool)
    case number(FastNumber)
    case text(Int32)
    case date(Int32)
    case entity(Int)
    case list(start: Int32, count: Int32)

    /// A date packed so that its order is the numbers' order.
    static func packed(_ d: LocalDate) -> Int32 { Int32(d.year * 10_000 + d.month * 100 + d.day) }
}

/// The result of an expression for the verdict evaluator: a value, or unknown. An unknown keeps what
/// the reference's list of reasons decides: how many reasons it has (a fold keeps at most about 50),
/// whether they are all missing facts (which `has` turns into `false`), and whether one is a failed
/// computation (which stops a `share` or `count` from being decided by its bounds).
enum FastResult: Sendable {
    case known(FastValue)
    case unknown(reasons: Int, onlyMissing: Bool, error: Bool)

    /// A failed computation (the reference's `evaluationError`).
    static let failure = FastResult.unknown(reasons: 1, onlyMissing: false, error: true)
    /// A missing fact.
    static let missing = FastResult.unknown(reasons: 1, onlyMissing: true, error: false)
    /// Any other reason: no entities, another criterion's verdict, a parameter, an attribute.
    static let other = FastResult.unknown(reasons: 1, onlyMissing: false, error: false)

    @inline(__always) var reasonCount: Int {
        if case .unknown(let n, _, _) = self { return n }
        return 0
    }

    @inline(__always) var onlyMissing: Bool {
        if case .unknown(_, let m, _) = self { return m }
        return true
    }

    @inline(__always) var hasError: Bool {
        if case .unknown(_, _, let e) = self { return e }
        return false
    }

    /// The unknown made of the reasons of two results, as the reference concatenates them.
    @inline(__always) static func merged(_ a: FastResult, _ b: FastResult) -> FastResult {
        .unknown(
            reasons: a.reasonCount + b.reasonCount, onlyMissing: a.onlyMissing && b.onlyMissing, error: a.hasError || b.hasError)
    }

    /// The unknown made of the reasons of three results.
    @inline(__always) static func merged(_ a: FastResult, _ b: FastResult, _ c: FastResult) -> FastResult {
        .unknown(
            reasons: a.reasonCount + b.reasonCount + c.reasonCount, onlyMissing: a.onlyMissing && b.onlyMissing && c.onlyMissing,
            error: a.hasError || b.hasError || c.hasError)
    }
}

/// One node of a compiled expression: `CompiledExpression` flattened into an array, with every name
/// resolved for one dataset and date (facts to columns, parameters to values, years to fixed years).
/// Plain data, so evaluating it touches no reference count. Mirrors `CompiledExpression` node for
/// node (a `year` node stays, to take the same steps as the reference).
struct FastNode {
    enum Op: UInt8 {
        case constant, fact, parameter, variable, collection, attribute, not, negate, binary, conditional, list
        case quantifier, size, year, meets, has
        /// A list literal of constants, evaluated once: `index` is its constant, `count` its items.
        case constantList
        /// A comparison of two leaves (constants, parameters, facts of the current entity, maybe in
        /// another year), evaluated in one go: `a` and `b` are the operands as for `binary`.
        case leafComparison
    }
    var op: Op
    var binary: BinaryOperator = .and
    var quantifier: Quantifier = .all
    var attribute: EntityAttribute = .id
    /// A collection's level, as its index in the dataset's map (`UInt8.max`: a level the dataset's
    /// map does not have, whose collections are empty).
    var level: UInt8 = .max
    /// Operands (node indices) or -1: the subject, the left operand, the list, the condition.
    var a: Int32 = -1
    /// The right operand, the body, the `true` branch.
    var b: Int32 = -1
    /// The `false` branch.
    var c: Int32 = -1
    /// A constant's index; a fact's index into the columns (× the levels of the map); a variable's slot; a list's
    /// first operand in `operands`; the index of a `meets` criterion (-1 when it is not in the graph);
    /// a parameter's constant index (-1 when it has no value on the date).
    var index: Int32 = -1
    /// A list's number of items.
    var count: Int32 = 0
    /// For a quantifier whose list is a collection and whose body reads one fact of the bound
    /// variable (`hamlets.all(h, h.safe_antt)`): the fact's columns, read in a tight loop.
    var bodyFact: Int32 = -1
}

/// Where the cells of one fact column are (a plain copy of `FactColumn`'s pointers).
struct ColumnCells {
    var kinds: UnsafeMutablePointer<UInt8>?
    var payloads: UnsafeMutablePointer<Int64>?
    var capacity = 0
}

/// One node of a compiled condition tree: a check (its expression) or a group (its children).
struct FastCondition {
    var expression: Int32 = -1
    var kind: GroupKind?
    var first: Int32 = 0
    var count: Int32 = 0
}

/// A rule graph compiled for one dataset and date: every criterion's condition tree and expressions.
///
/// Its arrays are copied into plain allocations it owns, so that `VerdictEvaluator` reads them through
/// pointers; the fact columns it points into belong to the dataset, which the evaluation keeps.
final class FastProgram: @unchecked Sendable {
    let nodes: UnsafeMutablePointer<FastNode>
    let operands: UnsafeMutablePointer<Int32>
    let constants: UnsafeMutablePointer<FastValue>
    let cells: UnsafeMutablePointer<ColumnCells>
    let conditions: UnsafeMutablePointer<FastCondition>
    let children: UnsafeMutablePointer<Int32>
    /// Every text the program knows: the dataset's, then the rules' constants, by number.
    let texts: [String]
    let textIDs: [String: Int32]
    /// The UTF-8 length of each of `texts`, by number (what comparing two texts charges).
    let textLengths: UnsafeMutablePointer<Int>
    /// The decimals the program knows: the dataset's (by their number in the store), then the rules'.
    let decimals: [Decimal]
    let others: UnsafeMutablePointer<Value>
    /// The items of constant lists, one after the other (a `constantList` node's `c` is its first).
    let items: UnsafeMutablePointer<FastValue>
    let counts: (nodes: Int, operands: Int, constants: Int, cells: Int, conditions: Int, children: Int, others: Int, items: Int)
    /// The root condition of each criterion in force on the date, by id, but for those nested deeper
    /// than `FastCompiler.maxNesting` (in `deep`), which the reference evaluates.
    let roots: [String: Int32]
    /// The criteria in force on the date that the fast path leaves to the reference: nested too deep.
    let deep: Set<String>
    /// The criteria `meets` can name, in graph order, and the level of each.
    let criteria: [String]
    /// Each criterion's level, as its index in the dataset's map (-1: a level the map does not have).
    let criterionLevels: [Int]
    /// The number of levels of the dataset's map: the stride of `cells`.
    let levelCount: Int
    /// The entities, for the attributes `id`, `name` and `group`.
    let records: [Entity]
    /// The entity structure, kept alive with the program.
    let structure: EntityStructure

    init(graph: RuleGraph, dataset: Dataset, asOf: LocalDate) {
        var compiler = FastCompiler(graph: graph, store: dataset.store, map: dataset.map, asOf: asOf)
        var roots: [String: Int32] = [:]
        var deep: Set<String> = []
        for id in graph.order {
            guard let version = graph.version(of: id, on: asOf) else { continue }
            compiler.deepest = 0
            let root = compiler.condition(version.root)
            if compiler.deepest <= FastCompiler.maxNesting { roots[id] = root } else { deep.insert(id) }
        }
        func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
            _ = UnsafeMutableBufferPointer(start: p, count: array.count).initialize(from: array)
            return p
        }
        let storage = dataset.store.storage
        nodes = copy(compiler.nodes)
        operands = copy(compiler.operands)
        constants = copy(compiler.constants)
        cells = copy(compiler.cells)
        conditions = copy(compiler.conditions)
        children = copy(compiler.children)
        texts = compiler.texts
        textIDs = compiler.textIDs
        textLengths = copy(compiler.texts.map(\.utf8.count))
        decimals = compiler.arena.values
        others = copy(storage.others)
        items = copy(compiler.items)
        counts = (
            compiler.nodes.count, compiler.operands.count, compiler.constants.count, compiler.cells.count,
            compiler.conditions.count, compiler.children.count, storage.others.count, compiler.items.count
        )
        self.roots = roots
        self.deep = deep
        criteria = graph.order
        criterionLevels = graph.order.map { id in graph.level(of: id).flatMap { dataset.map.index(of: $0) } ?? -1 }
        levelCount = dataset.map.count
        records = dataset.records
        structure = dataset.structure
    }

    deinit {
        nodes.deinitialize(count: counts.nodes)
        constants.deinitialize(count: counts.constants)
        others.deinitialize(count: counts.others)
        items.deinitialize(count: counts.items)
        for p in [UnsafeMutableRawPointer(textLengths), UnsafeMutableRawPointer(items), UnsafeMutableRawPointer(nodes), UnsafeMutableRawPointer(operands), UnsafeMutableRawPointer(constants),
            UnsafeMutableRawPointer(cells), UnsafeMutableRawPointer(conditions), UnsafeMutableRawPointer(children),
            UnsafeMutableRawPointer(others)]
        {
            p.deallocate()
        }
    }
}

/// Flattens a rule graph's conditions and expressions for one dataset and date.
struct FastCompiler {
    let graph: RuleGraph
    let store: FactStore
    /// The dataset's map: a fact has one column of cells per level of it.
    let map: LevelMap
    let asOf: LocalDate
    var nodes: [FastNode] = []
    var operands: [Int32] = []
    var constants: [FastValue] = []
    var cells: [ColumnCells] = []
    var conditions: [FastCondition] = []
    var children: [Int32] = []
    var items: [FastValue] = []
    /// The texts: the store's first (a text fact's payload is its number), then the rules'.
    var texts: [String]
    var textIDs: [String: Int32] = [:]
    /// The decimals: the store's first (a decimal fact's payload is its number), then the rules'.
    var arena: DecimalArena
    /// The nesting of the condition or expression being compiled (groups and expression nodes), and
    /// the deepest met since `deepest` was last reset.
    var nesting = 0
    var deepest = 0

    /// The deepest nesting of conditions and expressions the fast path compiles. Compiling and
    /// evaluating recurse once per level; a debug build's frames are several KiB, and evaluation may
    /// run on a 512 KiB stack (a secondary thread on macOS), so deeper criteria (rules' limits allow
    /// 64 groups and 64 expression levels) are left to the reference evaluator. The criteria of
    /// `Rules/` nest at most 7 deep.
    static let maxNesting = 24

    init(graph: RuleGraph, store: FactStore, map: LevelMap, asOf: LocalDate) {
        self.graph = graph
        self.store = store
        self.map = map
        self.asOf = asOf
        texts = store.storage.texts
        for (k, text) in texts.enumerated() where textIDs[text] == nil { textIDs[text] = Int32(k) }
        arena = DecimalArena(store.storage.decimals)
    }

    /// A rule's value as a `FastValue`, its texts, decimals and list items kept in the program.
    mutating func value(_ v: Value) -> FastValue {
        switch v {
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(arena.number(n))
        case .text(let t):
            if let known = textIDs[t] { return .text(known) }
            texts.append(t)
            textIDs[t] = Int32(texts.count - 1)
            return .text(Int32(texts.count - 1))
        case .date(let d): return .date(FastValue.packed(d))
        case .entity(let e): return .entity(e)
        case .list(let list):
            let values = list.map { value($0) }
            let first = Int32(items.count)
            items += values
            return .list(start: -first - 1, count: Int32(values.count))
        }
    }

    /// Compiles a condition tree; returns the index of its root.
    mutating func condition(_ node: ConditionNode) -> Int32 {
        nesting += 1
        deepest = max(deepest, nesting)
        defer { nesting -= 1 }
        // Past the limit the criterion is left to the reference: stop compiling this branch.
        if nesting > Self.maxNesting { return 0 }
        let index = Int32(conditions.count)
        conditions.append(FastCondition())
        switch node.body {
        case .check(let e, _):
            conditions[Int(index)].expression = expression(e, year: asOf.year)
        case .group(let kind, let list):
            let compiled = list.map { condition($0) }
            conditions[Int(index)].kind = kind
            conditions[Int(index)].first = Int32(children.count)
            conditions[Int(index)].count = Int32(compiled.count)
            children += compiled
        }
        return index
    }

    /// Whether a compiled node is a leaf: a constant, a parameter, or a fact of the current entity,
    /// maybe in another year.
    private func isLeaf(_ index: Int32) -> Bool {
        let node = nodes[Int(index)]
        switch node.op {
        case .constant, .parameter: return true
        case .fact: return node.a < 0
        case .year: return nodes[Int(node.a)].op == .fact && nodes[Int(node.a)].a < 0
        default: return false
        }
    }

    private mutating func add(_ node: FastNode) -> Int32 {
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    private mutating func constant(_ value: FastValue) -> Int32 {
        constants.append(value)
        return Int32(constants.count - 1)
    }

    /// Compiles an expression evaluated for `year`; returns its node's index.
    mutating func expression(_ e: CompiledExpression, year: Int) -> Int32 {
        nesting += 1
        deepest = max(deepest, nesting)
        defer { nesting -= 1 }
        if nesting > Self.maxNesting { return add(FastNode(op: .constant, index: constant(.bool(false)))) }
        func sub(_ x: CompiledExpression?) -> Int32 { x.map { expression($0, year: year) } ?? -1 }
        switch e.kind {
        case .constant(let v):
            let fast = value(v)
            return add(FastNode(op: .constant, index: constant(fast)))
        case .fact(let subject, let name):
            let a = sub(subject)
            let index = Int32(cells.count / map.count)
            for level in map.levels {
                if let id = store.columnID(level: level, name: name, year: year) {
                    let column = store.column(id)
                    cells.append(ColumnCells(kinds: column.kinds, payloads: column.payloads, capacity: column.capacity))
                } else {
                    cells.append(ColumnCells())
                }
            }
            return add(FastNode(op: .fact, a: a, index: index))
        case .parameter(let name):
            let dated = graph.parameters[name]?.value(on: asOf)
            if let groups = dated?.groups {
                // A value per commune group: `group == 1 ? v1 : group == 2 ? v2 : v3`, unknown without a group
                // (as the reference reads it).
                let group = CompiledExpression(.attribute(subject: nil, .group), type: .number(percent: false), offset: e.offset, length: e.length)
                var chosen = CompiledExpression(.constant(groups[groups.count - 1].value), type: e.type, offset: e.offset, length: e.length)
                for k in stride(from: groups.count - 2, through: 0, by: -1) {
                    let test = CompiledExpression(
                        .binary(.equal, group, CompiledExpression(.constant(.number(Decimal(k + 1))), type: .number(percent: false), offset: e.offset, length: e.length)),
                        type: .bool, offset: e.offset, length: e.length)
                    let this = CompiledExpression(.constant(groups[k].value), type: e.type, offset: e.offset, length: e.length)
                    chosen = CompiledExpression(.conditional(test, this, chosen), type: e.type, offset: e.offset, length: e.length)
                }
                return expression(chosen, year: year)
            }
            let known = dated.map { value($0.value) }
            return add(FastNode(op: .parameter, index: known.map { constant($0) } ?? -1))
        case .variable(let slot):
            return add(FastNode(op: .variable, index: Int32(slot)))
        case .collection(let subject, let level):
            return add(FastNode(op: .collection, level: map.index(of: level).map { UInt8($0) } ?? .max, a: sub(subject)))
        case .attribute(let subject, let attribute):
            return add(FastNode(op: .attribute, attribute: attribute, a: sub(subject)))
        case .unary(let op, let x):
            let a = expression(x, year: year)
            return add(FastNode(op: op == .not ? .not : .negate, a: a))
        case .binary(let op, let l, let r):
            let a = expression(l, year: year)
            let b = expression(r, year: year)
            let comparison: Set<BinaryOperator> = [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual]
            let leaves = comparison.contains(op) && isLeaf(a) && isLeaf(b)
            return add(FastNode(op: leaves ? .leafComparison : .binary, binary: op, a: a, b: b))
        case .conditional(let c, let x, let y):
            let a = expression(c, year: year)
            let b = expression(x, year: year)
            let c = expression(y, year: year)
            return add(FastNode(op: .conditional, a: a, b: b, c: c))
        case .list(let items):
            if items.allSatisfy({ if case .constant = $0.kind { true } else { false } }) {
                let list = value(.list(items.map { item -> Value in
                    if case .constant(let v) = item.kind { return v }
                    preconditionFailure("checked above")
                }))
                guard case .list(let start, _) = list else { preconditionFailure("a list") }
                return add(FastNode(op: .constantList, c: -start - 1, index: constant(list), count: Int32(items.count)))
            }
            let compiled = items.map { expression($0, year: year) }
            let first = Int32(operands.count)
            operands += compiled
            return add(FastNode(op: .list, index: first, count: Int32(compiled.count)))
        case .quantifier(let q, let list, let slot, let body):
            let a = expression(list, year: year)
            let b = expression(body, year: year)
            var node = FastNode(op: .quantifier, quantifier: q, a: a, b: b, index: Int32(slot))
            if case .collection = list.kind, case .fact(let subject?, _) = body.kind, case .variable(slot) = subject.kind {
                node.bodyFact = nodes[Int(b)].index
            }
            return add(node)
        case .size(let x):
            return add(FastNode(op: .size, a: expression(x, year: year)))
        case .year(let selector, let inner):
            let target: Int
            switch selector {
            case .previous: target = year - 1
            case .fixed(let y): target = y
            }
            return add(FastNode(op: .year, a: expression(inner, year: target)))
        case .meets(let subject, let criterion):
            let a = sub(subject)
            let index = graph.order.firstIndex(of: criterion).map(Int32.init) ?? -1
            return add(FastNode(op: .meets, a: a, index: index))
        case .has(let inner):
            return add(FastNode(op: .has, a: expression(inner, year: year)))
        }
    }
}

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
