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
