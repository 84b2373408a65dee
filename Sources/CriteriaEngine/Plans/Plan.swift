import Foundation

/// A province's programme plan: targets over a population of communes or districts, by a date.
///
/// Read from a YAML file in `Rules/plans/` by `PlanParser`; measured against a dataset by
/// `PlanEvaluator`. The format is documented in `Docs/plans.md`.
public struct Plan: Sendable, Hashable {
    /// The plan's stable id.
    public var id: String
    /// Its title.
    public var title: LocalizedText
    /// The act the plan implements, if given.
    public var source: Citation?
    /// The date by which the targets are to be reached, if given.
    public var by: LocalDate?
    /// The targets, in file order.
    public var targets: [PlanTarget]
    /// The file the plan was read from.
    public var file: String

    /// Creates a plan.
    public init(id: String, title: LocalizedText, source: Citation?, by: LocalDate?, targets: [PlanTarget], file: String) {
        self.id = id
        self.title = title
        self.source = source
        self.by = by
        self.targets = targets
        self.file = file
    }
}

/// One target of a plan.
public struct PlanTarget: Sendable, Hashable {
    /// What the target measures and what it requires.
    public enum Measure: Sendable, Hashable {
        /// At least `atLeast` (a fraction, 0.99 for 99%) of the entities of a level pass a criterion.
        case share(of: Level, meeting: String, atLeast: Decimal)
        /// In each unit of the given levels, the sum of a commune input over the unit's communes in
        /// the evaluation year is at most `atMost` (a fraction, 0.95) of the same sum in `baselineYear`.
        case reduction(input: String, baselineYear: Int, atMost: Decimal, units: [Level])
    }

    /// The target's id, unique in the plan.
    public var id: String
    /// Its title.
    public var title: LocalizedText
    /// Its own citation, or `nil` to use the plan's.
    public var source: Citation?
    /// What it measures.
    public var measure: Measure
    /// Where it is defined.
    public var range: SourceRange?

    /// Creates a target.
    public init(id: String, title: LocalizedText, source: Citation?, measure: Measure, range: SourceRange?) {
        self.id = id
        self.title = title
        self.source = source
        self.measure = measure
        self.range = range
    }

    /// The criterion the target counts, for a share target.
    public var criterion: String? {
        if case .share(_, let id, _) = measure { return id }
        return nil
    }
}
