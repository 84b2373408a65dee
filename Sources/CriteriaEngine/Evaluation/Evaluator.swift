import Dispatch
import Foundation

/// The verdicts of every entity of a dataset against a rule graph, as of a date.
public struct EvaluationResult: Sendable {
    /// The evaluation date.
    public var asOf: LocalDate
    /// The dataset evaluated.
    public var dataset: Dataset
    /// Every verdict, by level (province first), then entity in data order, then criterion order.
    public var verdicts: [Verdict]
    /// The step budget the verdicts were evaluated with (`Limits.maxEvaluationSteps`).
    public var maxEvaluationSteps: Int = Limits.default.maxEvaluationSteps

    /// The verdicts of one entity.
    public func verdicts(for entity: Int) -> [Verdict] { verdicts.filter { $0.entity == entity } }

    /// The verdict of one entity on one criterion.
    public func verdict(entity: Int, criterion: String) -> Verdict? {
        verdicts.first { $0.entity == entity && $0.criterion == criterion }
    }

    /// One warning (`limits.evaluation-steps`) for each criterion whose verdicts ran out of evaluation
    /// steps, at the place where the first of them did, saying for how many entities; those verdicts
    /// are `unknown`. Empty when no verdict ran out.
    public var limitDiagnostics: [Diagnostic] {
        StepBudgetWarnings.diagnostics(
            verdicts.compactMap { verdict in
                // A verdict decided although a branch ran out (fail ∧ unknown is fail) is not affected.
                guard verdict.outcome == .unknown else { return nil }
                return verdict.stepBudgetExhaustedAt.map { (verdict.criterion, verdict.entity, $0) }
            },
            dataset: dataset, maxSteps: maxEvaluationSteps)
    }

    /// How many verdicts have each outcome.
    public var counts: [Outcome: Int] {
        verdicts.reduce(into: [:]) { $0[$1.outcome, default: 0] += 1 }
    }
}

/// The outcomes of an evaluation without explanations (`Evaluator.outcomes`): one byte per verdict.
public struct OutcomeTable: Sendable {
    /// The evaluation date.
    public var asOf: LocalDate
    /// The dataset evaluated.
    public var dataset: Dataset
    /// The criteria reported, in evaluation order.
    public var criteria: [String]
    /// The outcomes of every evaluated criterion (reported or depended on).
    let columns: OutcomeColumns
    /// The level of each reported criterion (and of no other).
    let levels: [String: Level]
    /// What explains a verdict on demand.
    var explainer: Explainer
    /// The verdicts that ran out of evaluation steps: criterion, entity, where.
    let exhausted: [(criterion: String, entity: Int, at: SourceRange)]
    /// The step budget the outcomes were evaluated with.
    let maxEvaluationSteps: Int

    /// One warning (`limits.evaluation-steps`) for each criterion whose verdicts ran out of evaluation
    /// steps, as `EvaluationResult.limitDiagnostics` gives it. Empty when no verdict ran out.
    public var limitDiagnostics: [Diagnostic] {
        StepBudgetWarnings.diagnostics(
            exhausted.filter { criteria.contains($0.criterion) }, dataset: dataset, maxSteps: maxEvaluationSteps)
    }

    /// The verdict of one entity on one reported criterion with its short explanation (as
    /// `Evaluator.evaluate(_:asOf:detail: .short)` gives it), built now: a caller that shows the
    /// explanations of some verdicts only — those that fail, a page of entities — needs the memory of
    /// those only. `nil` when the criterion is not reported or not of the entity's level.
    public func verdict(entity: Int, criterion: String) -> Verdict? {
        guard outcome(entity: entity, criterion: criterion) != nil else { return nil }
        return explainer.verdict(entity: entity, criterion: criterion)
    }

    /// The verdict of one entity on one reported criterion with its full explanation tree (as
    /// `Evaluator.evaluate(_:asOf:detail: .full)` gives it), built now: a record that keeps short
    /// explanations rebuilds one unit's trees this way. `nil` as for `verdict(entity:criterion:)`.
    public func fullVerdict(entity: Int, criterion: String) -> Verdict? {
        guard outcome(entity: entity, criterion: criterion) != nil else { return nil }
        return explainer.fullVerdict(entity: entity, criterion: criterion)
    }

    /// The outcome of one entity on one reported criterion, or `nil` when the criterion is not
    /// reported or not of the entity's level.
    public func outcome(entity: Int, criterion: String) -> Outcome? {
        // `levels` holds the reported criteria only.
        guard let level = levels[criterion] else { return nil }
        return columns.outcome(criterion, entity: entity, level: level)
    }

    /// Transforms `items` (entities, say) with `transform` on every core, a block at a time, each
    /// worker explaining verdicts with an evaluator of its own, and hands the results to `body` in the
    /// order of `items`, on the calling thread, while the next block is being made: rows of a check
    /// made in parallel and written in order, holding two blocks at most.
    package func forEachInOrder<T: Sendable>(
        _ items: [Int], block: Int = 1024, _ transform: @escaping @Sendable (_ table: OutcomeTable, _ item: Int) -> T,
        _ body: (T) -> Void
    ) {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, items.count / 16))
        let tables = (0..<workers).map { k in
            var table = self
            if k > 0 { table.explainer = explainer.fresh() }
            return table
        }
        let blocks = stride(from: 0, to: items.count, by: block).map { Array(items[$0..<min($0 + block, items.count)]) }
        let queue = DispatchQueue(label: "criteria.outcome-table.blocks")
        /// Starts making a block on the workers; the group is left when it is made.
        func start(_ slice: [Int]) -> (Slots<T?>, DispatchGroup) {
            let results = Slots<T?>(count: slice.count, initial: nil)
            let group = DispatchGroup()
            group.enter()
            queue.async {
                let parts = min(workers, max(1, slice.count / 16))
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    for i in (slice.count * part / parts)..<(slice.count * (part + 1) / parts) {
                        results[i] = transform(tables[part], slice[i])
                    }
                }
                group.leave()
            }
            return (results, group)
        }
        var pending = blocks.first.map(start)
        for k in blocks.indices {
            guard let (results, group) = pending else { break }
            group.wait()
            pending = k + 1 < blocks.count ? start(blocks[k + 1]) : nil
            for i in blocks[k].indices {
                if let result = results.take(i) { body(result) }
            }
        }
    }

    /// The level of a reported criterion, `nil` for one that is not reported.
    public func level(of criterion: String) -> Level? { levels[criterion] }

    /// Every verdict's outcome, in the order of `EvaluationResult.verdicts`: by level, then entity in
    /// data order, then criterion.
    public func forEach(_ body: (_ entity: Int, _ criterion: String, _ outcome: Outcome) -> Void) {
        let records = dataset.records
        for level in dataset.map.levels {
            let ids = criteria.filter { levels[$0] == level }
            guard !ids.isEmpty else { continue }
            let tables = ids.map { columns.columns[$0] ?? [] }
            for entity in records.indices where records[entity].level == level {
                let position = dataset.positions[entity]
                for (id, table) in zip(ids, tables) where position < table.count { body(entity, id, table[position]) }
            }
        }
    }

    /// How many verdicts have each outcome.
    public var counts: [Outcome: Int] {
        var counts: [Outcome: Int] = [:]
        for id in criteria {
            for outcome in columns.columns[id] ?? [] { counts[outcome, default: 0] += 1 }
        }
        return counts
    }
}

/// The warnings for verdicts that ran out of evaluation steps, grouped by criterion.
enum StepBudgetWarnings {
    /// One warning per criterion, in the order the criteria first ran out, at the place where the first
    /// of its verdicts did, saying for how many entities.
    static func diagnostics(
        _ exhausted: [(criterion: String, entity: Int, at: SourceRange)], dataset: Dataset, maxSteps: Int
    ) -> [Diagnostic] {
        var byCriterion: [String: (range: SourceRange, entities: [Int])] = [:]
        var order: [String] = []
        for (criterion, entity, range) in exhausted {
            if byCriterion[criterion] == nil {
                order.append(criterion)
                byCriterion[criterion] = (range, [])
            }
            byCriterion[criterion]?.entities.append(entity)
        }
        return order.compactMap { id in
            guard let (range, entities) = byCriterion[id], let first = entities.first else { return nil }
            let words = Sentences.stepBudgetWarning(
                criterion: id, maxSteps: maxSteps, first: dataset.records[first].id, others: entities.count - 1)
            return Diagnostic("limits.evaluation-steps", .warning, words.message, at: range, hint: words.hint)
        }
    }
}

/// How much explanation `Evaluator.evaluate` builds.
public enum ExplanationDetail: Sendable {
    /// The whole tree: every condition with its values and sentence.
    case full
    /// The short form (`Explanation.short`): only the conditions that mattered. Much faster: the
    /// outcomes are computed first, then only the conditions that mattered are explained.
    case short
}

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

/// Slots written once each from parallel workers, then read after they all finish.
///
/// `@unchecked Sendable` because each index is written by exactly one worker of
/// `concurrentPerform`, which returns only after every worker is done; no slot is read before that.
final class Slots<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    let count: Int
    init(count: Int, initial: T) {
        self.count = count
        pointer = UnsafeMutablePointer<T>.allocate(capacity: count)
        pointer.initialize(repeating: initial, count: count)
    }
    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
    subscript(index: Int) -> T {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }
    var values: [T] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

extension Slots {
    /// Moves a value out, leaving `nil`.
    func take<U>(_ index: Int) -> U? where T == U? {
        let value = (pointer + index).move()
        (pointer + index).initialize(to: nil)
        return value
    }
}

/// The verdicts that ran out of evaluation steps, noted from parallel workers (rarely: a lock is enough).
final class ExhaustedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(criterion: String, entity: Int, at: SourceRange)] = []

    func add(_ criterion: String, _ entity: Int, _ range: SourceRange) {
        lock.lock()
        defer { lock.unlock() }
        list.append((criterion, entity, range))
    }

    var entries: [(criterion: String, entity: Int, at: SourceRange)] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}

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
