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
    /// A computation could not be done (division by zero, overflow, a value of the wrong type), with
    /// its place.
    case evaluationError(EvaluationProblem, range: SourceRange?)
    /// The verdict needed more evaluation steps than `Limits.maxEvaluationSteps` allows
    /// (`limits.evaluation-steps`); `range` is the expression being evaluated when the budget ran out.
    case stepBudgetExhausted(limit: Int, range: SourceRange?)
    /// An entity's attribute (such as its group) is absent.
    case missingAttribute(entity: Int, name: String)
}

/// Why a computation has no value (`UnknownReason.evaluationError`): what went wrong, as data; its
/// words in Vietnamese and English are given where it is shown (`EvaluationProblem.text(in:)`).
public enum EvaluationProblem: Sendable, Hashable {
    /// A division by zero.
    case divisionByZero
    /// The result of an operation (`'*'`, `'sum'`) needs more than 38 significant digits.
    case inexact(operation: String)
    /// The result of an operation is too large or too small for an exact decimal.
    case outOfRange(operation: String)
    /// A `share` of a list that a filter emptied.
    case shareOfEmptyList
    /// A value read from something that is not an entity.
    case notAnEntity(NotAnEntity)
    /// A quantifier's variable used outside its list.
    case variableOutsideList
    /// A unary operator (`!`, `-`) applied to a value of the wrong type.
    case wrongOperand(operation: String)
    /// A binary operator applied to values of the wrong types.
    case wrongOperands(operation: String)
    /// Values that have no order compared with `<`, `<=`, `>` or `>=`.
    case unordered
    /// The condition of `c ? a : b` is not a truth value.
    case conditionNotTruthValue
    /// `size` of something that is not a list.
    case sizeOfNonList
    /// A quantifier over a list that is not of entities.
    case notAListOfEntities
    /// A quantifier's condition or term gave a value of the wrong type.
    case quantifierWrongType(quantifier: String)

    /// What was read from something that is not an entity.
    public enum NotAnEntity: Sendable, Hashable {
        /// A fact, by its name.
        case fact(String)
        /// A list of lower-level entities.
        case list
        /// An attribute (`id`, `name`, `group`, `kind`).
        case attribute
        /// `meets`.
        case meets
    }
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
