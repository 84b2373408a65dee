import Foundation

/// Explains verdicts of an `OutcomeTable` on demand, one at a time (a lock keeps callers in turn).
final class Explainer: @unchecked Sendable {
    private let lock = NSLock()
    private let graph: RuleGraph
    private let asOf: LocalDate
    private let program: FastProgram
    private let tables: Slots<UnsafeMutablePointer<Outcome>?>
    private let keep: [Slots<Outcome>]
    private var fast: VerdictEvaluator
    private var reference: CriterionEvaluation
    private var trees: [String: ExplainTree] = [:]
    private var nodeOutcomes: [Outcome] = []

    private let dataset: Dataset
    private let columns: OutcomeColumns
    private let maxSteps: Int

    init(
        graph: RuleGraph, dataset: Dataset, asOf: LocalDate, columns: OutcomeColumns, program: FastProgram,
        tables: Slots<UnsafeMutablePointer<Outcome>?>, keep: [Slots<Outcome>], maxSteps: Int
    ) {
        self.dataset = dataset
        self.columns = columns
        self.maxSteps = maxSteps
        self.graph = graph
        self.asOf = asOf
        self.program = program
        self.tables = tables
        self.keep = keep
        fast = VerdictEvaluator(program: program, outcomes: tables.pointer, maxSteps: maxSteps)
        reference = CriterionEvaluation(graph: graph, dataset: dataset, asOf: asOf, outcomes: columns, maxSteps: maxSteps)
    }

    /// An explainer of the same outcomes with evaluators of its own, for another thread.
    func fresh() -> Explainer {
        Explainer(
            graph: graph, dataset: dataset, asOf: asOf, columns: columns, program: program, tables: tables, keep: keep,
            maxSteps: maxSteps)
    }

    /// The verdict with its full tree, from the reference.
    func fullVerdict(entity: Int, criterion id: String) -> Verdict {
        lock.lock()
        defer { lock.unlock() }
        if let kinds = graph.version(of: id, on: asOf)?.kinds, dataset.records[entity].kind.map({ !kinds.contains($0) }) ?? true {
            return reference.notOfKind(id: id, entity: entity, kinds: kinds)
        }
        return reference.verdict(criterion: id, entity: entity)
    }

    func verdict(entity: Int, criterion id: String) -> Verdict {
        lock.lock()
        defer { lock.unlock() }
        guard let root = program.roots[id], let version = graph.version(of: id, on: asOf) else {
            guard program.deep.contains(id) else { return reference.shortNotApplicable(id: id, entity: entity) }
            var full = reference.verdict(criterion: id, entity: entity)
            full.explanation = full.explanation.short
            return full
        }
        fast.begin()
        nodeOutcomes.removeAll(keepingCapacity: true)
        _ = fast.outcomes(root, entity: entity, into: &nodeOutcomes)
        guard fast.fitsBudget else {
            var full = reference.verdict(criterion: id, entity: entity)
            full.explanation = full.explanation.short
            return full
        }
        let tree: ExplainTree
        if let known = trees[id] {
            tree = known
        } else {
            tree = ExplainTree(version)
            trees[id] = tree
        }
        return reference.shortVerdict(id: id, tree: tree, entity: entity, outcomes: nodeOutcomes)
    }
}
