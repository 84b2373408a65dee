/// The versioned JSON model every front end (CLI, server) writes. Documented in `Docs/explanations.md`.
package enum OutputModel {
    /// The version of the model; it changes only when a field changes meaning or disappears.
    package static let version = 1
}

/// The JSON form of a list of diagnostics.
package struct DiagnosticsOutputV1: Codable, Sendable {
    /// The model version, `1`.
    package var version = OutputModel.version
    /// The diagnostics, each with its id, severity, message, place, notes and hint.
    package var diagnostics: [Diagnostic]
    /// How many errors, warnings and notes there are.
    package var summary: [String: Int]

    /// Wraps diagnostics.
    package init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
        self.summary = [
            "errors": diagnostics.filter { $0.severity == .error }.count,
            "warnings": diagnostics.filter { $0.severity == .warning }.count,
            "notes": diagnostics.filter { $0.severity == .note }.count,
        ]
    }
}

/// The JSON form of an evaluation: every verdict with its explanation.
public struct EvaluationOutputV1: Codable, Sendable {
    /// The model version, `1`.
    package var version = OutputModel.version
    /// The evaluation date, `YYYY-MM-DD`.
    package var asOf: String
    /// The dataset's path.
    package var dataset: String
    /// Whether the dataset says it is made up.
    package var synthetic: Bool
    /// Counts per outcome.
    package var summary: [String: Int]
    /// The entities with their verdicts.
    package var entities: [EntityVerdictsV1]
    /// What reading the dataset converted on the way (`Dataset.notes`: a CSV table read as
    /// Windows-1258, `data.converted-encoding`); absent when nothing was.
    package var notes: [Diagnostic]? = nil

    /// The levels of its entities, in the order they first appear (the output lists entities by level).
    package var levels: [Level] {
        entities.reduce(into: []) { levels, entity in
            if !levels.contains(entity.level) { levels.append(entity.level) }
        }
    }

    /// One entity and its verdicts.
    package struct EntityVerdictsV1: Codable, Sendable {
        /// The entity's id.
        package var id: String
        /// Its name.
        package var name: String
        /// Its level.
        package var level: Level
        /// The id of its parent, if any.
        package var parent: String?
        /// Its verdicts.
        package var verdicts: [VerdictV1]
    }

    /// One verdict.
    package struct VerdictV1: Codable, Sendable {
        /// The criterion's id.
        package var criterion: String
        /// The outcome.
        package var outcome: Outcome
        /// Whether any clause it used is provisional.
        package var provisional: Bool
        /// The explanation (short form unless the full tree was asked for).
        package var explanation: Explanation
    }

    /// Builds the model from an evaluation result.
    public init(_ result: EvaluationResult, full: Bool, entities filter: Set<Int>? = nil) {
        asOf = result.asOf.description
        dataset = result.dataset.source
        synthetic = result.dataset.synthetic
        notes = result.dataset.notes.isEmpty ? nil : result.dataset.notes
        summary = Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, result.counts[$0] ?? 0) })
        var grouped: [Int: [Verdict]] = [:]
        var order: [Int] = []
        for verdict in result.verdicts where filter?.contains(verdict.entity) ?? true {
            if grouped[verdict.entity] == nil { order.append(verdict.entity) }
            grouped[verdict.entity, default: []].append(verdict)
        }
        entities = order.map { EntityVerdictsV1($0, of: result.dataset, verdicts: grouped[$0] ?? [], full: full) }
    }

    /// The model of an outcome table without its entities: the header and the counts, for a writer
    /// that adds the entities one at a time (`EntityVerdictsV1.init(_:of:verdicts:full:)`).
    package init(header table: OutcomeTable) {
        asOf = table.asOf.description
        dataset = table.dataset.source
        synthetic = table.dataset.synthetic
        let counts = table.counts
        summary = Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        entities = []
    }
}

extension EvaluationOutputV1.EntityVerdictsV1 {
    /// One entity of a dataset with its verdicts (their short explanations unless `full`).
    package init(_ entity: Int, of dataset: Dataset, verdicts: [Verdict], full: Bool) {
        let record = dataset.entities[entity]
        self.init(
            id: record.id, name: record.name, level: record.level, parent: record.parent.map { dataset.entities[$0].id },
            verdicts: verdicts.map { verdict in
                EvaluationOutputV1.VerdictV1(
                    criterion: verdict.criterion, outcome: verdict.outcome,
                    provisional: verdict.explanation.involvesProvisional,
                    explanation: full ? verdict.explanation : verdict.explanation.short)
            })
    }
}
