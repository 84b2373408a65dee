import Foundation

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
