/// Why a value could not be known.
public enum UnknownReason: Sendable, Hashable {
    /// A fact of an entity for a year is absent from the data.
    case missingFact(entity: Int, name: String, year: Int)
    /// An entity has no children of a level in the data (a commune with no hamlets listed).
    case noEntities(entity: Int, level: Level)
    /// Another criterion's outcome for an entity is not pass or fail.
    case criterion(entity: Int, id: String, outcome: Outcome)
    /// A parameter has no value in force on the date.
    case parameter(name: String, date: LocalDate)
    /// The arithmetic could not be done (division by zero, overflow), with its place.
    case evaluationError(message: String, range: SourceRange?)
    /// The verdict needed more evaluation steps than `Limits.maxEvaluationSteps` allows
    /// (`limits.evaluation-steps`); `range` is the expression being evaluated when the budget ran out.
    case stepBudgetExhausted(limit: Int, range: SourceRange?)
    /// An entity's attribute (such as its group) is absent.
    case missingAttribute(entity: Int, name: String)
}

/// The value of an expression under three-valued logic: known, or unknown with the reasons.
enum Evaluated: Sendable {
    case known(Value)
    case unknown([UnknownReason])

    var reasons: [UnknownReason] {
        if case .unknown(let reasons) = self { return reasons }
        return []
    }
}
