import Foundation

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
