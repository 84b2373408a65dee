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
        var byCriterion: [String: (range: SourceRange, entities: [Int])] = [:]
        var order: [String] = []
        for verdict in verdicts {
            guard let range = verdict.stepBudgetExhaustedAt else { continue }
            if byCriterion[verdict.criterion] == nil {
                order.append(verdict.criterion)
                byCriterion[verdict.criterion] = (range, [])
            }
            byCriterion[verdict.criterion]?.entities.append(verdict.entity)
        }
        return order.compactMap { id in
            guard let (range, entities) = byCriterion[id], let first = entities.first else { return nil }
            let count = entities.count
            let others = count > 1 ? " and \(count - 1) other\(count == 2 ? "" : "s")" : ""
            return Diagnostic(
                "limits.evaluation-steps", .warning,
                "criterion '\(id)' needed more than \(maxEvaluationSteps) evaluation steps, the limit, for \(dataset.entities[first].id)\(others); \(count == 1 ? "its verdict is" : "their verdicts are") unknown",
                at: range, hint: "raise the limit with --max-steps, or simplify the rule")
        }
    }

    /// How many verdicts have each outcome.
    public var counts: [Outcome: Int] {
        verdicts.reduce(into: [:]) { $0[$1.outcome, default: 0] += 1 }
    }
}

/// Evaluates datasets against a checked rule graph. A pure function of (graph, data, date).
///
/// Criteria are evaluated in dependency order, each over all entities of its level, in parallel on
/// every core; a criterion that reads another's verdicts (`meets`) finds them already computed, so
/// each criterion is evaluated at most once per entity and date.
public struct Evaluator: Sendable {
    /// The rules.
    public let graph: RuleGraph
    /// The limits (the evaluation step budget).
    public let limits: Limits

    /// Creates an evaluator for a graph.
    public init(graph: RuleGraph, limits: Limits = .default) {
        self.graph = graph
        self.limits = limits
    }

    /// Evaluates every entity against every criterion of its level (or only `criteria`).
    ///
    /// Criteria that the selected ones depend on are evaluated too, but not reported.
    ///
    /// - Parameter progress: called on the calling thread after each chunk of entities with the
    ///   number of (criterion, entity) pairs evaluated so far and the total; for a progress display.
    public func evaluate(
        _ dataset: Dataset, asOf: LocalDate, criteria selected: Set<String>? = nil, parallel: Bool = true,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) -> EvaluationResult {
        let needed = selected.map { closure(of: $0) } ?? Set(graph.order)
        var outcomes: [String: [Int: Outcome]] = [:]
        var byCriterion: [String: [Verdict]] = [:]
        let work = graph.order.filter(needed.contains).compactMap { id in graph.level(of: id).map { (id, dataset.indices(at: $0)) } }
        let total = work.reduce(0) { $0 + $1.1.count }
        var done = 0
        for (id, entities) in work {
            let snapshot = outcomes
            var verdicts: [Verdict] = []
            verdicts.reserveCapacity(entities.count)
            for start in stride(from: 0, to: entities.count, by: Self.chunkSize) {
                let chunk = Array(entities[start..<min(entities.count, start + Self.chunkSize)])
                verdicts += map(chunk, parallel: parallel) { entity in
                    var evaluation = CriterionEvaluation(
                        graph: graph, dataset: dataset, asOf: asOf, outcomes: snapshot, maxSteps: limits.maxEvaluationSteps)
                    return evaluation.verdict(criterion: id, entity: entity)
                }
                done += chunk.count
                progress?(done, total)
            }
            outcomes[id] = Dictionary(uniqueKeysWithValues: verdicts.map { ($0.entity, $0.outcome) })
            byCriterion[id] = verdicts
        }
        var result: [Verdict] = []
        let reported = graph.order.filter { selected?.contains($0) ?? true }
        for level in Level.allCases {
            let ids = reported.filter { graph.level(of: $0) == level }
            guard !ids.isEmpty else { continue }
            let lookup = ids.map { id in Dictionary(uniqueKeysWithValues: (byCriterion[id] ?? []).map { ($0.entity, $0) }) }
            for entity in dataset.indices(at: level) {
                for table in lookup { if let verdict = table[entity] { result.append(verdict) } }
            }
        }
        return EvaluationResult(
            asOf: asOf, dataset: dataset, verdicts: result, maxEvaluationSteps: limits.maxEvaluationSteps)
    }

    /// How many entities are evaluated between two progress reports.
    static let chunkSize = 4096

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

    private func map<T: Sendable>(_ items: [Int], parallel: Bool, _ body: @Sendable (Int) -> T) -> [T] {
        guard parallel, items.count > 64 else { return items.map(body) }
        let results = ResultSlots<T>(count: items.count)
        let chunks = min(items.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var index = chunk
            while index < items.count {
                results.store(body(items[index]), at: index)
                index += chunks
            }
        }
        return results.values
    }
}

/// Slots written once each from parallel workers, then read after they all finish.
///
/// `@unchecked Sendable` because each index is written by exactly one worker of
/// `concurrentPerform`, which returns only after every worker is done; no slot is read before that.
private final class ResultSlots<T>: @unchecked Sendable {
    private let pointer: UnsafeMutablePointer<T?>
    private let count: Int
    init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<T?>.allocate(capacity: count)
        pointer.initialize(repeating: nil, count: count)
    }
    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
    func store(_ value: T, at index: Int) { pointer[index] = value }
    var values: [T] { (0..<count).compactMap { pointer[$0] } }
}
