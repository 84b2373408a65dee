import Dispatch
import Foundation

/// Evaluates datasets against a checked rule graph. A pure function of (graph, data, date).
///
/// Criteria are evaluated in dependency order, each over all entities of its level, in parallel on
/// every core; a criterion that reads another's verdicts (`meets`) finds them already computed, so
/// each criterion is evaluated at most once per entity and date.
///
/// Outcomes are computed by `VerdictEvaluator`, which reads facts from the dataset's columns and
/// computes with exact integers where it can; explanations are built by `CriterionEvaluation`, the
/// reference, which gives the same outcomes (`Docs/performance.md`).
public struct Evaluator: Sendable {
    /// The rules.
    public let graph: RuleGraph
    /// The limits (the evaluation step budget).
    public let limits: Limits
    /// The token that stops the evaluation early, if any (`CancellationToken`): once it is
    /// cancelled, every verdict still to come ends within `CancellationToken.checkInterval` steps
    /// (as unknown) and the rest are skipped, so the result is incomplete: a caller that passes a
    /// token must call `check()` on it after evaluating and drop the result when it throws.
    public let cancellation: CancellationToken?

    /// Creates an evaluator for a graph.
    public init(graph: RuleGraph, limits: Limits = .default, cancellation: CancellationToken? = nil) {
        self.graph = graph
        self.limits = limits
        self.cancellation = cancellation
    }

    /// Evaluates every entity against every criterion of its level (or only `criteria`), with
    /// explanations.
    ///
    /// Criteria that the selected ones depend on are evaluated too, but not reported.
    ///
    /// - Parameters:
    ///   - detail: the whole explanation tree (the default) or only its short form.
    ///   - progress: called on the calling thread after each chunk of entities with the number of
    ///     (criterion, entity) pairs evaluated so far and the total; for a progress display.
    public func evaluate(
        _ dataset: Dataset, asOf: LocalDate, criteria selected: Set<String>? = nil, parallel: Bool = true,
        detail: ExplanationDetail = .full, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) -> EvaluationResult {
        let run = run(dataset, asOf: asOf, selected: selected, parallel: parallel, mode: detail == .full ? .full : .short, progress: progress)
        var result: [Verdict] = []
        result.reserveCapacity(run.verdicts.values.reduce(0) { $0 + $1.count })
        let reported = graph.order.filter { selected?.contains($0) ?? true }
        for level in dataset.map.levels {
            let ids = reported.filter { graph.level(of: $0) == level }
            guard !ids.isEmpty else { continue }
            let tables = ids.compactMap { run.verdicts[$0] }
            for entity in dataset.structure.members[level.index] {
                let position = dataset.positions[entity]
                for table in tables where position < table.count {
                    if let verdict = table.take(position) { result.append(verdict) }
                }
            }
        }
        return EvaluationResult(
            asOf: asOf, dataset: dataset, verdicts: result, maxEvaluationSteps: limits.maxEvaluationSteps)
    }

    /// Evaluates every entity against every criterion of its level (or only `criteria`) without
    /// explanations: the outcomes only, several times faster than `evaluate`.
    public func outcomes(
        _ dataset: Dataset, asOf: LocalDate, criteria selected: Set<String>? = nil, parallel: Bool = true
    ) -> OutcomeTable {
        let run = run(dataset, asOf: asOf, selected: selected, parallel: parallel, mode: .outcomes, progress: nil)
        let reported = graph.order.filter { selected?.contains($0) ?? true }
        var levels: [String: Level] = [:]
        for id in reported { levels[id] = graph.level(of: id) }
        let explainer = Explainer(
            graph: graph, dataset: dataset, asOf: asOf, columns: run.columns, program: run.program, tables: run.tables,
            keep: run.keep, maxSteps: limits.maxEvaluationSteps)
        // In the order of `EvaluationResult.verdicts`: by level, entity, criterion.
        let rank = Dictionary(uniqueKeysWithValues: graph.order.enumerated().map { ($1, $0) })
        let records = dataset.entities
        let exhausted = run.exhausted.entries.sorted {
            (FactStore.levelIndex(records[$0.entity].level), $0.entity, rank[$0.criterion] ?? 0)
                < (FactStore.levelIndex(records[$1.entity].level), $1.entity, rank[$1.criterion] ?? 0)
        }
        return OutcomeTable(
            asOf: asOf, dataset: dataset, criteria: reported, columns: run.columns, levels: levels, explainer: explainer,
            exhausted: exhausted, maxEvaluationSteps: limits.maxEvaluationSteps)
    }

    /// The verdicts of one entity on `criteria` (in that order; those not of its level are left
    /// out), with full or short explanations: the use case behind `criteria explain` and a record's
    /// unit page. The other entities' outcomes are computed without explanations (a `meets`, a share
    /// or a count may read them); only this entity's explanation trees are built, so explaining one
    /// commune of a large province costs about what checking it does.
    public func explain(
        entity: Int, in dataset: Dataset, asOf: LocalDate, criteria: [String], detail: ExplanationDetail = .full,
        parallel: Bool = true
    ) -> EvaluationResult {
        let table = outcomes(dataset, asOf: asOf, criteria: Set(criteria), parallel: parallel)
        let verdicts = criteria.compactMap {
            detail == .full ? table.fullVerdict(entity: entity, criterion: $0) : table.verdict(entity: entity, criterion: $0)
        }
        return EvaluationResult(asOf: asOf, dataset: dataset, verdicts: verdicts, maxEvaluationSteps: limits.maxEvaluationSteps)
    }

    /// The criteria and everything they depend on.
    func closure(of ids: Set<String>) -> Set<String> {
        var result = Set<String>()
        var stack = Array(ids)
        while let id = stack.popLast() {
            guard result.insert(id).inserted else { continue }
            for version in graph.criteria[id] ?? [] { stack.append(contentsOf: version.dependencies) }
        }
        return result
    }

    /// How many entities are evaluated between two progress reports.
    static let chunkSize = 4096

    private enum Mode { case outcomes, short, full }

    private struct Run {
        var columns: OutcomeColumns
        /// By criterion, by position within its level.
        var verdicts: [String: Slots<Verdict?>] = [:]
        /// The compiled program and the outcome tables `meets` reads, kept for explaining later.
        var program: FastProgram
        var tables: Slots<UnsafeMutablePointer<Outcome>?>
        var keep: [Slots<Outcome>] = []
        /// The verdicts that ran out of evaluation steps (outcomes mode; the others keep it in the verdict).
        let exhausted = ExhaustedLog()
    }

    private func run(
        _ dataset: Dataset, asOf: LocalDate, selected: Set<String>?, parallel: Bool, mode: Mode,
        progress: ((_ done: Int, _ total: Int) -> Void)?
    ) -> Run {
        let needed = selected.map { closure(of: $0) } ?? Set(graph.order)
        let program = FastProgram(graph: graph, dataset: dataset, asOf: asOf)
        // The outcome table of each criterion of the graph, by index, as `meets` reads them.
        let tables = Slots<UnsafeMutablePointer<Outcome>?>(count: graph.order.count, initial: nil)
        var run = Run(columns: OutcomeColumns(dataset: dataset), program: program, tables: tables)
        let byLevel = dataset.structure.members
        let work = graph.order.filter(needed.contains).compactMap { id in graph.level(of: id).map { (id, $0) } }
        let total = work.reduce(0) { $0 + (dataset.map.index(of: $1.1).map { byLevel[$0].count } ?? 0) }
        var done = 0
        for (id, level) in work {
            var entities = dataset.map.index(of: level).map { byLevel[$0] } ?? []
            // A unit criterion of some kinds only: the other units are not applicable, and not evaluated.
            var otherKinds: [Int] = []
            if let kinds = graph.version(of: id, on: asOf)?.kinds {
                let records = dataset.records
                otherKinds = entities.filter { records[$0].kind.map { !kinds.contains($0) } ?? true }
                if !otherKinds.isEmpty {
                    let excluded = Set(otherKinds)
                    entities = entities.filter { !excluded.contains($0) }
                }
            }
            let count = dataset.store.count(at: level)
            let root = program.roots[id]
            let tree = mode == .short ? graph.version(of: id, on: asOf).map { ExplainTree($0) } : nil
            let snapshot = run.columns
            let outcomes = Slots<Outcome>(count: count, initial: .notApplicable)
            let verdicts = Slots<Verdict?>(count: mode == .outcomes ? 0 : count, initial: nil)
            let maxSteps = limits.maxEvaluationSteps
            if mode != .outcomes, !otherKinds.isEmpty, let kinds = graph.version(of: id, on: asOf)?.kinds {
                let reference = CriterionEvaluation(graph: graph, dataset: dataset, asOf: asOf, outcomes: snapshot, maxSteps: maxSteps)
                for entity in otherKinds {
                    var verdict = reference.notOfKind(id: id, entity: entity, kinds: kinds)
                    if mode == .short { verdict.explanation = verdict.explanation.short }
                    verdicts[dataset.positions[entity]] = verdict
                }
            }
            let structure = dataset.structure
            let exhausted = run.exhausted
            let cancellation = self.cancellation
            if cancellation?.isCancelled == true { break }
            let evaluateChunk: @Sendable (ArraySlice<Int>) -> Void = { chunk in
                let positions = structure.positions
                var fast = VerdictEvaluator(program: program, outcomes: tables.pointer, maxSteps: maxSteps, cancellation: cancellation)
                var reference = CriterionEvaluation(
                    graph: graph, dataset: dataset, asOf: asOf, outcomes: snapshot, maxSteps: maxSteps, cancellation: cancellation)
                /// Whether the work was cancelled: the chunk's other entities are skipped.
                func stopped() -> Bool { cancellation?.isCancelled ?? false }
                guard let root else {
                    // Not in force on the date, or nested too deep for the fast path: the reference.
                    let deep = program.deep.contains(id)
                    for entity in chunk {
                        if stopped() { return }
                        let position = Int(positions[entity])
                        switch mode {
                        case .outcomes:
                            guard deep else {
                                outcomes[position] = .notApplicable
                                continue
                            }
                            let verdict = reference.verdict(criterion: id, entity: entity)
                            outcomes[position] = verdict.outcome
                            if let range = verdict.stepBudgetExhaustedAt, verdict.outcome == .unknown { exhausted.add(id, entity, range) }
                        case .full:
                            let verdict = reference.verdict(criterion: id, entity: entity)
                            outcomes[position] = verdict.outcome
                            verdicts[position] = verdict
                        case .short:
                            var verdict = deep ? reference.verdict(criterion: id, entity: entity) : reference.shortNotApplicable(id: id, entity: entity)
                            if deep { verdict.explanation = verdict.explanation.short }
                            outcomes[position] = verdict.outcome
                            verdicts[position] = verdict
                        }
                    }
                    return
                }
                switch mode {
                case .outcomes:
                    for entity in chunk {
                        if stopped() { return }
                        fast.begin()
                        var outcome = fast.outcome(root, entity: entity)
                        if !fast.fitsBudget {
                            let verdict = reference.verdict(criterion: id, entity: entity)
                            outcome = verdict.outcome
                            if let range = verdict.stepBudgetExhaustedAt, verdict.outcome == .unknown { exhausted.add(id, entity, range) }
                        }
                        outcomes[Int(positions[entity])] = outcome
                    }
                case .full:
                    for entity in chunk {
                        if stopped() { return }
                        let verdict = reference.verdict(criterion: id, entity: entity)
                        outcomes[Int(positions[entity])] = verdict.outcome
                        verdicts[Int(positions[entity])] = verdict
                    }
                case .short:
                    guard let tree else { return }
                    var nodeOutcomes: [Outcome] = []
                    for entity in chunk {
                        if stopped() { return }
                        fast.begin()
                        nodeOutcomes.removeAll(keepingCapacity: true)
                        _ = fast.outcomes(root, entity: entity, into: &nodeOutcomes)
                        let verdict: Verdict
                        if fast.fitsBudget {
                            verdict = reference.shortVerdict(id: id, tree: tree, entity: entity, outcomes: nodeOutcomes)
                        } else {
                            var full = reference.verdict(criterion: id, entity: entity)
                            full.explanation = full.explanation.short
                            verdict = full
                        }
                        outcomes[Int(positions[entity])] = verdict.outcome
                        verdicts[Int(positions[entity])] = consume verdict
                    }
                }
            }
            if let progress {
                for start in stride(from: 0, to: entities.count, by: Self.chunkSize) {
                    let chunk = entities[start..<min(entities.count, start + Self.chunkSize)]
                    forEachChunk(chunk, parallel: parallel, evaluateChunk)
                    done += chunk.count
                    progress(done, total)
                }
            } else {
                forEachChunk(entities[...], parallel: parallel, evaluateChunk)
            }
            run.columns.columns[id] = outcomes.values
            if mode != .outcomes { run.verdicts[id] = verdicts }
            if let index = graph.order.firstIndex(of: id) { tables[index] = outcomes.pointer }
            run.keep.append(outcomes)
        }
        return run
    }

    /// Runs `body` over contiguous chunks of `items`, on every core when `parallel`.
    private func forEachChunk(_ items: ArraySlice<Int>, parallel: Bool, _ body: @Sendable (ArraySlice<Int>) -> Void) {
        guard parallel, items.count > 256 else {
            body(items)
            return
        }
        let chunks = min(items.count / 64, ProcessInfo.processInfo.activeProcessorCount * 8)
        let start = items.startIndex
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            body(items[(start + items.count * k / chunks)..<(start + items.count * (k + 1) / chunks)])
        }
    }
}
