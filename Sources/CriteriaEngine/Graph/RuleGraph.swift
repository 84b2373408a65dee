/// A condition of a criterion, checked and compiled.
public struct ConditionNode: Sendable, Hashable {
    /// What the condition holds.
    public enum Body: Sendable, Hashable {
        /// A leaf check with its compiled expression and source text.
        case check(CompiledExpression, ExpressionSource)
        /// A group of conditions.
        case group(GroupKind, [ConditionNode])
    }

    /// The condition's own id.
    public var id: String
    /// Its full path, `criterion/condition/…`, unique in the rule set.
    public var path: String
    /// Its title (the criterion's, for the root).
    public var title: LocalizedText
    /// Its legal citation; inherited from the enclosing node when the rule gives none.
    public var source: Citation?
    /// The condition itself.
    public var body: Body
    /// Sentence overrides.
    public var explain: ExplainTemplates
    /// Where it is defined.
    public var range: SourceRange

    /// Every node of the subtree, this one first, depth-first.
    public var allNodes: [ConditionNode] {
        var result: [ConditionNode] = []
        var stack = [self]
        while let node = stack.popLast() {
            result.append(node)
            if case .group(_, let children) = node.body { stack.append(contentsOf: children.reversed()) }
        }
        return result
    }
}

/// One version of a criterion, in force for a period.
public struct CriterionVersion: Sendable, Hashable {
    /// The criterion's id.
    public var id: String
    /// Its title.
    public var title: LocalizedText
    /// The level of entity it applies to.
    public var level: Level
    /// When this version is in force.
    public var inForce: Period
    /// Its assessment year (the calendar year unless the criterion declares another).
    public var period: AssessmentPeriod = .calendar
    /// For a unit criterion, the kinds of unit it applies to; `nil` for every entity of its level.
    public var kinds: [String]? = nil
    /// Its legal citation.
    public var source: Citation
    /// The legal wording or a summary.
    public var description: LocalizedText?
    /// Its conditions, as one root group whose id is the criterion's.
    public var root: ConditionNode
    /// The file it is defined in.
    public var file: String
    /// The criteria it reads through `meets`.
    public var dependencies: [String]
}

/// A named threshold with dated values.
public struct Parameter: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// Its title.
    public var title: LocalizedText?
    /// `percent`, `number` or `count`.
    public var type: InputType
    /// Its legal citation.
    public var source: Citation?
    /// Its values, in date order.
    public var values: [ParameterSyntax.DatedValue]
    /// Where it is declared.
    public var range: SourceRange

    /// The value in force on a date: the last one whose date is not after it.
    public func value(on date: LocalDate) -> ParameterSyntax.DatedValue? {
        values.last { $0.from <= date }
    }
}

/// The checked rule set: an immutable graph of criteria, their conditions, parameters and inputs.
///
/// Built once by `RuleSetLoader`, evaluated many times, from many threads.
public struct RuleGraph: Sendable {
    /// The declared inputs.
    public var inputs: InputCatalog
    /// The parameters by name.
    public var parameters: [String: Parameter]
    /// The versions of each criterion by id, in date order.
    public var criteria: [String: [CriterionVersion]]
    /// The criterion ids with every dependency before its dependents (then by id).
    public var order: [String]
    /// Warnings and notes found while checking (such as provisional clauses).
    public var diagnostics: [Diagnostic]

    /// The version of a criterion in force on a date.
    public func version(of id: String, on date: LocalDate) -> CriterionVersion? {
        criteria[id]?.first { $0.inForce.contains(date) }
    }

    /// The level a criterion applies to.
    public func level(of id: String) -> Level? { criteria[id]?.first?.level }

    /// The criteria that apply to a level, in evaluation order.
    public func criteria(at level: Level) -> [String] { order.filter { self.level(of: $0) == level } }
}
