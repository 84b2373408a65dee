import Foundation

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
