import CriteriaEngine
import Foundation

/// The engine calls the benchmark measures, in one place.
enum EngineRun {
    /// The outcomes only (what the verdicts-only figure times).
    static func outcomes(_ evaluator: Evaluator, _ dataset: Dataset, _ asOf: LocalDate, parallel: Bool) -> OutcomeTable {
        evaluator.outcomes(dataset, asOf: asOf, parallel: parallel)
    }

    /// Every verdict's outcome, without explanations: (entity, criterion, outcome).
    static func verdicts(_ evaluator: Evaluator, _ dataset: Dataset, _ asOf: LocalDate, parallel: Bool)
        -> [(Int, String, Outcome)]
    {
        var out: [(Int, String, Outcome)] = []
        evaluator.outcomes(dataset, asOf: asOf, parallel: parallel).forEach { out.append(($0, $1, $2)) }
        return out
    }

    /// Every verdict with its short explanation.
    static func explained(_ evaluator: Evaluator, _ dataset: Dataset, _ asOf: LocalDate, parallel: Bool) -> EvaluationResult {
        evaluator.evaluate(dataset, asOf: asOf, parallel: parallel, detail: .short)
    }

    /// Every verdict with its full explanation tree.
    static func explainedFully(_ evaluator: Evaluator, _ dataset: Dataset, _ asOf: LocalDate, parallel: Bool) -> EvaluationResult {
        evaluator.evaluate(dataset, asOf: asOf, parallel: parallel, detail: .full)
    }

    /// The JSON output of `criteria check --format json`.
    static func writeJSON(_ result: EvaluationResult) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(EvaluationOutputV1(result, full: false))) ?? Data()
    }
}
