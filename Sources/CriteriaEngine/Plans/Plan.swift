import Foundation

/// A province's programme plan: targets over a population of communes or districts, by a date.
///
/// Read from a YAML file in `Rules/plans/` by `PlanParser`; measured against a dataset by
/// `PlanEvaluator`. The format is documented in `Docs/plans.md`.
package struct Plan: Sendable, Hashable {
    /// The plan's stable id.
    package var id: String
    /// Its title.
    package var title: LocalizedText
    /// The act the plan implements, if given.
    package var source: Citation?
    /// The date by which the targets are to be reached, if given.
    package var by: LocalDate?
    /// The targets, in file order.
    package var targets: [PlanTarget]
    /// The file the plan was read from.
    package var file: String

    /// Creates a plan.
    package init(id: String, title: LocalizedText, source: Citation?, by: LocalDate?, targets: [PlanTarget], file: String) {
        self.id = id
        self.title = title
        self.source = source
        self.by = by
        self.targets = targets
        self.file = file
    }
}

/// One target of a plan.
package struct PlanTarget: Sendable, Hashable {
    /// What the target measures and what it requires.
    package enum Measure: Sendable, Hashable {
        /// At least `atLeast` (a fraction, 0.99 for 99%) of the entities of a level pass a criterion.
        case share(of: Level, meeting: String, atLeast: Decimal)
        /// In each unit of the given levels, the sum of a commune input over the unit's communes in
        /// the evaluation year is at most `atMost` (a fraction, 0.95) of the same sum in `baselineYear`.
        case reduction(input: String, baselineYear: Int, atMost: Decimal, units: [Level])
    }

    /// The target's id, unique in the plan.
    package var id: String
    /// Its title.
    package var title: LocalizedText
    /// Its own citation, or `nil` to use the plan's.
    package var source: Citation?
    /// What it measures.
    package var measure: Measure
    /// Where it is defined.
    package var range: SourceRange?

    /// Creates a target.
    package init(id: String, title: LocalizedText, source: Citation?, measure: Measure, range: SourceRange?) {
        self.id = id
        self.title = title
        self.source = source
        self.measure = measure
        self.range = range
    }

    /// The criterion the target counts, for a share target.
    package var criterion: String? {
        if case .share(_, let id, _) = measure { return id }
        return nil
    }
}
