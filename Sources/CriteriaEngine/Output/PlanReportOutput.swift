import Foundation

/// The JSON form of a plan report (model version 1, documented in `Docs/plans.md`).
///
/// Decimals are written as strings (`"0.95"`, `"57"`) so that no reader turns them into binary
/// floating point; shares also come as whole counts (`passed`, `total`), which are exact.
package struct PlanReportOutputV1: Codable, Sendable {
    /// The model version, `1`.
    package var version = OutputModel.version
    /// The plan.
    package var plan: PlanV1
    /// The evaluation date, `YYYY-MM-DD`.
    package var asOf: String
    /// The year whose facts were measured.
    package var year: Int
    /// The dataset's path.
    package var dataset: String
    /// Whether the dataset says it is made up.
    package var synthetic: Bool
    /// Remarks about the date or the data.
    package var notes: [LocalizedText]
    /// How many targets have each outcome.
    package var summary: [String: Int]
    /// One entry per target.
    package var targets: [TargetV1]

    /// The plan's identity.
    package struct PlanV1: Codable, Sendable {
        /// Its id.
        package var id: String
        /// Its title.
        package var title: LocalizedText
        /// The act it implements.
        package var source: Citation?
        /// Its deadline, `YYYY-MM-DD`.
        package var by: String?
        /// The file it was read from.
        package var file: String
    }

    /// One target and its result.
    package struct TargetV1: Codable, Sendable {
        /// Its id.
        package var id: String
        /// Its title.
        package var title: LocalizedText
        /// `pass` (met), `fail` (not met), `unknown` or `not_applicable`.
        package var outcome: Outcome
        /// Whether its criterion rests on a provisional clause.
        package var provisional: Bool
        /// What is uncertain about the criterion's wording, when it is provisional.
        package var provisionalNote: String?
        /// What it measures: `share` or `reduction`, with its parameters.
        package var measure: MeasureV1
        /// For a share target, the counts and the share.
        package var share: ShareV1?
        /// For a reduction target, one entry per unit.
        package var units: [UnitV1]?
        /// The units that hold it back.
        package var holdouts: [HoldoutV1]
        /// For a share target, the counted entities by parent (each district's communes).
        package var groups: [GroupV1]?
        /// Why it could not be measured, for `not_applicable`.
        package var note: LocalizedText?
    }

    /// A target's definition.
    package struct MeasureV1: Codable, Sendable {
        /// `share` or `reduction`.
        package var kind: String
        /// For a share: the level counted.
        package var level: Level?
        /// For a share: the criterion counted.
        package var criterion: String?
        /// For a share: the least share, as a decimal string (`"0.99"`).
        package var atLeast: String?
        /// For a reduction: the input summed.
        package var input: String?
        /// For a reduction: the baseline year.
        package var baselineYear: Int?
        /// For a reduction: the most allowed, as a fraction of the baseline (`"0.95"`).
        package var atMost: String?
        /// For a reduction: the levels of the units measured.
        package var units: [Level]?
    }

    /// A measured share.
    package struct ShareV1: Codable, Sendable {
        /// Entities that pass.
        package var passed: Int
        /// Entities whose verdict is unknown.
        package var unknown: Int
        /// Entities counted.
        package var total: Int
        /// The least number of passing entities that meets the target.
        package var needed: Int
        /// `passed / total` as a decimal string.
        package var share: String?
        /// `(passed + unknown) / total` as a decimal string.
        package var upperShare: String?
    }

    /// One unit of a reduction target.
    package struct UnitV1: Codable, Sendable {
        /// Its id.
        package var id: String
        /// Its name.
        package var name: String
        /// Its level.
        package var level: Level
        /// How many communes were summed.
        package var communes: Int
        /// The known sum in the evaluation year.
        package var current: String
        /// Communes without a figure for the evaluation year.
        package var currentMissing: Int
        /// The known sum in the baseline year.
        package var baseline: String
        /// Communes without a figure for the baseline year.
        package var baselineMissing: Int
        /// The most allowed.
        package var limit: String
        /// Met, not met or unknown.
        package var outcome: Outcome
    }

    /// A share target's counted entities under one parent.
    package struct GroupV1: Codable, Sendable {
        /// The parent's id (absent for entities without a parent).
        package var id: String?
        /// The parent's name.
        package var name: String
        /// Entities that pass.
        package var passed: Int
        /// Entities whose verdict is unknown.
        package var unknown: Int
        /// Entities counted.
        package var total: Int
    }

    /// A unit that holds a target back.
    package struct HoldoutV1: Codable, Sendable {
        /// Its id.
        package var id: String
        /// Its name.
        package var name: String
        /// Its level.
        package var level: Level
        /// Its parent's name.
        package var parent: String?
        /// `fail` or `unknown`.
        package var outcome: Outcome
        /// Why, in one line.
        package var reason: LocalizedText
    }

    /// Builds the model from a report.
    package init(_ report: PlanReport) {
        plan = PlanV1(
            id: report.plan.id, title: report.plan.title, source: report.plan.source, by: report.plan.by?.description,
            file: report.plan.file)
        asOf = report.asOf.description
        year = report.year
        dataset = report.dataset
        synthetic = report.synthetic
        notes = report.notes
        let counts = report.counts
        summary = Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        targets = report.targets.map { result in
            let measure: MeasureV1
            switch result.target.measure {
            case .share(let level, let criterion, let atLeast):
                measure = MeasureV1(kind: "share", level: level, criterion: criterion, atLeast: atLeast.description)
            case .reduction(let input, let year, let atMost, let units):
                measure = MeasureV1(kind: "reduction", input: input, baselineYear: year, atMost: atMost.description, units: units)
            }
            return TargetV1(
                id: result.target.id, title: result.target.title, outcome: result.outcome, provisional: result.provisional,
                provisionalNote: result.provisionalNote?.english, measure: measure,
                share: result.share.map {
                    ShareV1(
                        passed: $0.passed, unknown: $0.unknown, total: $0.total, needed: $0.needed, share: $0.share?.description,
                        upperShare: $0.upperShare?.description)
                },
                units: result.units.isEmpty
                    ? nil
                    : result.units.map {
                        UnitV1(
                            id: $0.entityID, name: $0.name, level: $0.level, communes: $0.communes, current: $0.current.description,
                            currentMissing: $0.currentMissing, baseline: $0.baseline.description, baselineMissing: $0.baselineMissing,
                            limit: $0.limit.description, outcome: $0.outcome)
                    },
                holdouts: result.holdouts.map {
                    HoldoutV1(id: $0.entityID, name: $0.name, level: $0.level, parent: $0.parentName, outcome: $0.outcome, reason: $0.reason)
                },
                groups: result.groups.isEmpty
                    ? nil
                    : result.groups.map { GroupV1(id: $0.entityID, name: $0.name, passed: $0.passed, unknown: $0.unknown, total: $0.total) },
                note: result.note)
        }
    }
}
