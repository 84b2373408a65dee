import Foundation

/// A plan measured against a dataset as of a date: for each target, what was measured, what it
/// requires, whether it is met, and the units that hold it back.
package struct PlanReport: Sendable {
    /// The plan.
    package var plan: Plan
    /// The evaluation date.
    package var asOf: LocalDate
    /// The year whose facts are measured (the year of `asOf`).
    package var year: Int { asOf.year }
    /// The dataset's path.
    package var dataset: String
    /// Whether the dataset says it is made up.
    package var synthetic: Bool
    /// One result per target, in plan order.
    package var targets: [PlanTargetResult]
    /// Remarks about the date or the data that a reader must see before the figures.
    package var notes: [LocalizedText]

    /// How many targets have each outcome.
    package var counts: [Outcome: Int] { targets.reduce(into: [:]) { $0[$1.outcome, default: 0] += 1 } }
}

/// The result of one target.
package struct PlanTargetResult: Sendable {
    /// The target.
    package var target: PlanTarget
    /// `pass` met, `fail` not met, `unknown` when missing data could decide it either way,
    /// `not_applicable` when its criterion is not in force on the date.
    package var outcome: Outcome
    /// For a share target, the measured share.
    package var share: ShareMeasurement?
    /// For a reduction target, one measurement per unit (each district, the province, …).
    package var units: [UnitMeasurement]
    /// The units that hold the target back: entities not passing the criterion, or units whose
    /// figures are above the limit or not known.
    package var holdouts: [Holdout]
    /// Why the target could not be measured, for `not_applicable`.
    package var note: LocalizedText?
    /// Whether the target's criterion rests on a provisional clause.
    package var provisional: Bool
    /// What is uncertain about the criterion's wording, when it is provisional.
    package var provisionalNote: LocalizedText? = nil
    /// For a share target, the counted entities grouped by their parent (each district's communes,
    /// or the province's), in data order: the per-district table and chart.
    package var groups: [ShareGroup] = []
}

/// The entities of a share target under one parent (a district's communes): how many pass, are
/// unknown and do not pass.
package struct ShareGroup: Sendable, Hashable {
    /// The parent's id, or `nil` for entities without a parent.
    package var entityID: String?
    /// The parent's name (empty for entities without a parent).
    package var name: String
    /// The parent's level, if any.
    package var level: Level?
    /// Entities that pass.
    package var passed: Int
    /// Entities whose verdict is unknown.
    package var unknown: Int
    /// Entities counted under this parent.
    package var total: Int
    /// Entities that fail: `total - passed - unknown`.
    package var failed: Int { total - passed - unknown }
    /// `passed / total`; `nil` when nothing is counted.
    package var share: Decimal? { total == 0 ? nil : Decimal(passed) / Decimal(total) }
}

/// The share of a level's entities that pass a criterion.
package struct ShareMeasurement: Sendable, Hashable {
    /// The level counted.
    package var level: Level
    /// The criterion counted.
    package var criterion: String
    /// The criterion's title.
    package var criterionTitle: LocalizedText
    /// Entities that pass.
    package var passed: Int
    /// Entities whose verdict is unknown.
    package var unknown: Int
    /// Entities counted (the verdicts that apply).
    package var total: Int
    /// The least share that meets the target (0.99 for 99%).
    package var required: Decimal
    /// The least number of passing entities that meets the target: ⌈required × total⌉.
    package var needed: Int

    /// `passed / total`, exact up to the precision of `Decimal`; `nil` when nothing is counted.
    package var share: Decimal? { total == 0 ? nil : Decimal(passed) / Decimal(total) }
    /// The share if every unknown verdict passed.
    package var upperShare: Decimal? { total == 0 ? nil : Decimal(passed + unknown) / Decimal(total) }
}

/// A unit's figure in the evaluation year against its baseline year.
package struct UnitMeasurement: Sendable, Hashable {
    /// The unit's id.
    package var entityID: String
    /// Its name.
    package var name: String
    /// Its level.
    package var level: Level
    /// How many communes are summed.
    package var communes: Int
    /// The sum of the known figures in the evaluation year.
    package var current: Decimal
    /// How many communes have no figure for the evaluation year.
    package var currentMissing: Int
    /// The sum of the known figures in the baseline year.
    package var baseline: Decimal
    /// How many communes have no figure for the baseline year.
    package var baselineMissing: Int
    /// The most allowed: the known baseline times the target's share.
    package var limit: Decimal
    /// Met, not met, or unknown.
    package var outcome: Outcome
}

/// A unit that holds a target back, with the reason in one line.
package struct Holdout: Sendable, Hashable {
    /// Its id.
    package var entityID: String
    /// Its name.
    package var name: String
    /// Its level.
    package var level: Level
    /// The name of its parent (a commune's district), if any.
    package var parentName: String?
    /// Its outcome: `fail` or `unknown`.
    package var outcome: Outcome
    /// Why, in one line.
    package var reason: LocalizedText
}
