import CriteriaEngine
import Foundation

/// The engine calls the benchmark measures, in one place.
enum EngineRun {
    /// Every verdict's outcome, without explanations: (entity, criterion, outcome).
    static func verdicts(_ evaluator: Evaluator, _ dataset: Dataset, _ asOf: LocalDate, parallel: Bool)
        -> [(Int, String, Outcome)]
    {
        evaluator.evaluate(dataset, asOf: asOf, parallel: parallel).verdicts.map { ($0.entity, $0.criterion, $0.outcome) }
    }

    /// Every verdict with its short explanation.
    static func explained(_ evaluator: Evaluator, _ dataset: Dataset, _ asOf: LocalDate, parallel: Bool) -> EvaluationResult {
        var result = evaluator.evaluate(dataset, asOf: asOf, parallel: parallel)
        for k in result.verdicts.indices { result.verdicts[k].explanation = result.verdicts[k].explanation.short }
        return result
    }

    /// The JSON output of `criteria check --format json`.
    static func writeJSON(_ result: EvaluationResult) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(EvaluationOutputV1(result, full: false))) ?? Data()
    }
}
