import Dispatch
import Foundation

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
