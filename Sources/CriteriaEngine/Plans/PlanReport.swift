import Foundation

/// A plan measured against a dataset as of a date: for each target, what was measured, what it
/// requires, whether it is met, and the units that hold it back.
public struct PlanReport: Sendable {
    /// The plan.
    public var plan: Plan
    /// The evaluation date.
    public var asOf: LocalDate
    /// The year whose facts are measured (the year of `asOf`).
    public var year: Int { asOf.year }
    /// The dataset's path.
    public var dataset: String
    /// Whether the dataset says it is made up.
    public var synthetic: Bool
    /// One result per target, in plan order.
    public var targets: [PlanTargetResult]
    /// Remarks about the date or the data that a reader must see before the figures.
    public var notes: [LocalizedText]

    /// How many targets have each outcome.
    public var counts: [Outcome: Int] { targets.reduce(into: [:]) { $0[$1.outcome, default: 0] += 1 } }
}

/// The result of one target.
public struct PlanTargetResult: Sendable {
    /// The target.
    public var target: PlanTarget
    /// `pass` met, `fail` not met, `unknown` when missing data could decide it either way,
    /// `not_applicable` when its criterion is not in force on the date.
    public var outcome: Outcome
    /// For a share target, the measured share.
    public var share: ShareMeasurement?
    /// For a reduction target, one measurement per unit (each district, the province, …).
    public var units: [UnitMeasurement]
    /// The units that hold the target back: entities not passing the criterion, or units whose
    /// figures are above the limit or not known.
    public var holdouts: [Holdout]
    /// Why the target could not be measured, for `not_applicable`.
    public var note: LocalizedText?
    /// Whether the target's criterion rests on a provisional clause.
    public var provisional: Bool
    /// What is uncertain about the criterion's wording, when it is provisional.
    public var provisionalNote: LocalizedText? = nil
    /// For a share target, the counted entities grouped by their parent (each district's communes,
    /// or the province's), in data order: the per-district table and chart.
    public var groups: [ShareGroup] = []
}

/// The entities of a share target under one parent (a district's communes): how many pass, are
/// unknown and do not pass.
public struct ShareGroup: Sendable, Hashable {
    /// The parent's id, or `nil` for entities without a parent.
    public var entityID: String?
    /// The parent's name (empty for entities without a parent).
    public var name: String
    /// The parent's level, if any.
    public var level: Level?
    /// Entities that pass.
    public var passed: Int
    /// Entities whose verdict is unknown.
    public var unknown: Int
    /// Entities counted under this parent.
    public var total: Int
    /// Entities that fail: `total - passed - unknown`.
    public var failed: Int { total - passed - unknown }
    /// `passed / total`; `nil` when nothing is counted.
    public var share: Decimal? { total == 0 ? nil : Decimal(passed) / Decimal(total) }
}

/// The share of a level's entities that pass a criterion.
public struct ShareMeasurement: Sendable, Hashable {
    /// The level counted.
    public var level: Level
    /// The criterion counted.
    public var criterion: String
    /// The criterion's title.
    public var criterionTitle: LocalizedText
    /// Entities that pass.
    public var passed: Int
    /// Entities whose verdict is unknown.
    public var unknown: Int
    /// Entities counted (the verdicts that apply).
    public var total: Int
    /// The least share that meets the target (0.99 for 99%).
    public var required: Decimal
    /// The least number of passing entities that meets the target: ⌈required × total⌉.
    public var needed: Int

    /// `passed / total`, exact up to the precision of `Decimal`; `nil` when nothing is counted.
    public var share: Decimal? { total == 0 ? nil : Decimal(passed) / Decimal(total) }
    /// The share if every unknown verdict passed.
    public var upperShare: Decimal? { total == 0 ? nil : Decimal(passed + unknown) / Decimal(total) }
}

/// A unit's figure in the evaluation year against its baseline year.
public struct UnitMeasurement: Sendable, Hashable {
    /// The unit's id.
    public var entityID: String
    /// Its name.
    public var name: String
    /// Its level.
    public var level: Level
    /// How many communes are summed.
    public var communes: Int
    /// The sum of the known figures in the evaluation year.
    public var current: Decimal
    /// How many communes have no figure for the evaluation year.
    public var currentMissing: Int
    /// The sum of the known figures in the baseline year.
    public var baseline: Decimal
    /// How many communes have no figure for the baseline year.
    public var baselineMissing: Int
    /// The most allowed: the known baseline times the target's share.
    public var limit: Decimal
    /// Met, not met, or unknown.
    public var outcome: Outcome
}

/// A unit that holds a target back, with the reason in one line.
public struct Holdout: Sendable, Hashable {
    /// Its id.
    public var entityID: String
    /// Its name.
    public var name: String
    /// Its level.
    public var level: Level
    /// The name of its parent (a commune's district), if any.
    public var parentName: String?
    /// Its outcome: `fail` or `unknown`.
    public var outcome: Outcome
    /// Why, in one line.
    public var reason: LocalizedText
}
