import Foundation

/// The outcomes computed so far, as `meets` reads them: per criterion, one outcome per entity of its
/// level, by the entity's position within the level.
struct OutcomeColumns: Sendable {
    /// The outcomes of each evaluated criterion, by position within its level.
    var columns: [String: [Outcome]] = [:]
    /// The dataset's entities (for their levels) and their positions within their levels.
    let records: [Entity]
    let positions: [Int]

    init(dataset: Dataset) {
        records = dataset.records
        positions = dataset.positions
    }

    /// The outcome of a criterion for an entity, or `nil` when it was not evaluated for it.
    func outcome(_ criterion: String, entity: Int, level: Level) -> Outcome? {
        guard records[entity].level == level, let column = columns[criterion] else { return nil }
        let position = positions[entity]
        return position < column.count ? column[position] : nil
    }
}
