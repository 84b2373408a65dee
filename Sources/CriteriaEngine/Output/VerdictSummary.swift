/// The verdicts of an evaluation arranged for display: one section per level, one row per entity,
/// one column per criterion.
///
/// Every renderer of a whole-dataset check (text, Markdown, HTML) draws this one arrangement, so
/// they agree on order and counts. Building it is linear in the number of verdicts.
package struct VerdictSummary: Sendable {
    /// A criterion shown as a column.
    package struct Column: Sendable, Hashable {
        /// The criterion's id.
        package var id: String
        /// Its title.
        package var title: LocalizedText
        /// Its legal citation.
        package var source: Citation?
        /// Whether any shown verdict of it rests on a provisional clause.
        package var provisional: Bool

        /// What is uncertain: the criterion's own note when its source is provisional.
        package var provisionalNote: String? { source?.status == .provisional ? source?.note : nil }

        /// The same note in a language (a note given `{vi, en}` in the one asked for).
        package func provisionalNote(in language: Language) -> String? {
            source?.status == .provisional ? source?.note(in: language) : nil
        }
    }

    /// An entity shown as a row.
    package struct Row: Sendable {
        /// The entity's index in the dataset.
        package var entity: Int
        /// Its id.
        package var id: String
        /// Its name.
        package var name: String
        /// One outcome per column, `nil` when that criterion has no verdict for the entity.
        package var outcomes: [Outcome?]
        /// The verdicts that are not a pass (fail or unknown), in column order, with their short
        /// explanations: the reasons under the row.
        package var notPassed: [Verdict]
    }

    /// The rows of a section: stored, or made one at a time from an `OutcomeTable`, so that a check of
    /// a whole province written as it goes holds the explanations of one row at a time.
    package struct Rows: RandomAccessCollection, Sendable {
        private enum Storage: Sendable {
            case stored([Row])
            case table(OutcomeTable, entities: [Int], criteria: [String])
        }

        private let storage: Storage

        init(_ rows: [Row]) { storage = .stored(rows) }

        init(_ table: OutcomeTable, entities: [Int], criteria: [String]) {
            storage = .table(table, entities: entities, criteria: criteria)
        }

        /// The first position, 0.
        package var startIndex: Int { 0 }

        /// One past the last position: the number of rows.
        package var endIndex: Int {
            switch storage {
            case .stored(let rows): rows.count
            case .table(_, let entities, _): entities.count
            }
        }

        /// The row at a position; from a table, its outcomes are read and the explanations of the
        /// verdicts that are not a pass are made now.
        package subscript(position: Int) -> Row {
            switch storage {
            case .stored(let rows):
                return rows[position]
            case .table(let table, let entities, let criteria):
                let entity = entities[position]
                let record = table.dataset.entities[entity]
                let outcomes = outcomes(at: position)
                var notPassed: [Verdict] = []
                for (criterion, outcome) in zip(criteria, outcomes) where outcome == .fail || outcome == .unknown {
                    if let verdict = table.verdict(entity: entity, criterion: criterion) { notPassed.append(verdict) }
                }
                return Row(entity: entity, id: record.id, name: record.name, outcomes: outcomes, notPassed: notPassed)
            }
        }

        /// Hands `transform` of every row to `body` in order. Rows of an outcome table are made and
        /// transformed on every core, a block at a time, while `body` takes the block before: a
        /// check's reasons are explained and written out in parallel, holding two blocks at most.
        package func mapInOrder<T: Sendable>(_ transform: @escaping @Sendable (Row) -> T, _ body: (T) -> Void) {
            switch storage {
            case .stored(let rows):
                for row in rows { body(transform(row)) }
            case .table(let table, let entities, let criteria):
                table.forEachInOrder(Array(entities.indices)) { table, position in
                    transform(Rows(table, entities: entities, criteria: criteria)[position])
                } _: { body($0) }
            }
        }

        /// The outcomes of the row at a position, without explaining any.
        package func outcomes(at position: Int) -> [Outcome?] {
            switch storage {
            case .stored(let rows):
                return rows[position].outcomes
            case .table(let table, let entities, let criteria):
                return criteria.map { table.outcome(entity: entities[position], criterion: $0) }
            }
        }

        /// The id and name of the row at a position, without its verdicts (for column widths).
        package func label(at position: Int) -> (id: String, name: String) {
            switch storage {
            case .stored(let rows):
                return (rows[position].id, rows[position].name)
            case .table(let table, let entities, _):
                let record = table.dataset.entities[entities[position]]
                return (record.id, record.name)
            }
        }
    }

    /// The entities of one level.
    package struct Section: Sendable {
        /// The level.
        package var level: Level
        /// The criteria of the level, in evaluation order.
        package var columns: [Column]
        /// The entities, in data order.
        package var rows: Rows
    }

    /// The evaluation date.
    package var asOf: LocalDate
    /// The dataset's path.
    package var source: String
    /// Whether the dataset says it is made up.
    package var synthetic: Bool
    /// The sections, province first.
    package var sections: [Section]
    /// How many shown verdicts have each outcome.
    package var counts: [Outcome: Int]
    /// Whether any shown verdict rests on a provisional clause.
    package var involvesProvisional: Bool

    /// Arranges an evaluation result, keeping only the given entities when `entities` is set.
    package init(_ result: EvaluationResult, entities: Set<Int>? = nil) {
        asOf = result.asOf
        source = result.dataset.source
        synthetic = result.dataset.synthetic
        var counts: [Outcome: Int] = [:]
        var provisional = false
        var byLevel: [Level: (columns: [Column], columnIndex: [String: Int], rows: [Row], rowIndex: [Int: Int])] = [:]
        var pending: [Level: [(row: Int, criterion: String, verdict: Verdict)]] = [:]
        for verdict in result.verdicts where entities?.contains(verdict.entity) ?? true {
            let level = result.dataset.entities[verdict.entity].level
            let involves = verdict.explanation.involvesProvisional
            // Updated in place: a copy of the group per verdict made this quadratic (minutes for
            // 400 000 verdicts).
            let row = Self.place(verdict, involves: involves, in: &byLevel[level, default: ([], [:], [], [:])], dataset: result.dataset)
            pending[level, default: []].append((row, verdict.criterion, verdict))
            counts[verdict.outcome, default: 0] += 1
            provisional = provisional || involves
        }
        sections = result.dataset.map.levels.compactMap { level in
            guard var group = byLevel[level] else { return nil }
            var cells = group.rows.map { _ in [Verdict?](repeating: nil, count: group.columns.count) }
            for item in pending[level] ?? [] {
                guard let column = group.columnIndex[item.criterion] else { continue }
                cells[item.row][column] = item.verdict
            }
            for index in group.rows.indices { group.rows[index].fill(cells[index]) }
            return Section(level: level, columns: group.columns, rows: Rows(group.rows))
        }
        self.counts = counts
        involvesProvisional = provisional
    }

    /// Adds a verdict's column (once) and row (once) to its level's group; returns its row.
    private static func place(
        _ verdict: Verdict, involves: Bool,
        in group: inout (columns: [Column], columnIndex: [String: Int], rows: [Row], rowIndex: [Int: Int]), dataset: Dataset
    ) -> Int {
        if let index = group.columnIndex[verdict.criterion] {
            if involves { group.columns[index].provisional = true }
        } else {
            group.columnIndex[verdict.criterion] = group.columns.count
            group.columns.append(
                Column(
                    id: verdict.criterion, title: verdict.explanation.title, source: verdict.explanation.source,
                    provisional: involves))
        }
        if let index = group.rowIndex[verdict.entity] { return index }
        let record = dataset.entities[verdict.entity]
        let row = group.rows.count
        group.rowIndex[verdict.entity] = row
        group.rows.append(Row(entity: verdict.entity, id: record.id, name: record.name, outcomes: [], notPassed: []))
        return row
    }
}

extension VerdictSummary {
    /// Arranges a stored evaluation (the JSON model), so that a page can be drawn again from what was
    /// recorded without evaluating anew. A row's `entity` is the entity's position in `output.entities`.
    /// `nil` when the model's `asOf` is not a date.
    package init?(_ output: EvaluationOutputV1) {
        guard let date = LocalDate(iso: output.asOf) else { return nil }
        asOf = date
        source = output.dataset
        synthetic = output.synthetic
        var counts: [Outcome: Int] = [:]
        var provisional = false
        var sections: [Section] = []
        for level in output.levels {
            var columns: [Column] = []
            var columnIndex: [String: Int] = [:]
            var rows: [Row] = []
            for (index, entity) in output.entities.enumerated() where entity.level == level {
                for verdict in entity.verdicts {
                    if let column = columnIndex[verdict.criterion] {
                        if verdict.provisional { columns[column].provisional = true }
                    } else {
                        columnIndex[verdict.criterion] = columns.count
                        columns.append(
                            Column(
                                id: verdict.criterion, title: verdict.explanation.title, source: verdict.explanation.source,
                                provisional: verdict.provisional))
                    }
                    counts[verdict.outcome, default: 0] += 1
                    provisional = provisional || verdict.provisional
                }
                rows.append(Row(entity: index, id: entity.id, name: entity.name, outcomes: [], notPassed: []))
            }
            guard !columns.isEmpty else { continue }
            for row in rows.indices {
                var cells = [Verdict?](repeating: nil, count: columns.count)
                for verdict in output.entities[rows[row].entity].verdicts {
                    guard let column = columnIndex[verdict.criterion] else { continue }
                    cells[column] = Verdict(
                        entity: rows[row].entity, criterion: verdict.criterion, outcome: verdict.outcome, explanation: verdict.explanation)
                }
                rows[row].fill(cells)
            }
            sections.append(Section(level: level, columns: columns, rows: Rows(rows)))
        }
        self.sections = sections
        self.counts = counts
        involvesProvisional = provisional
    }
}

extension VerdictSummary {
    /// Arranges the outcomes of an evaluation without holding explanations: each row's reasons are
    /// explained when the row is read (`Rows`), so a renderer that writes row by row needs the memory
    /// of one row. Shows the same as `init(_:entities:)` on `Evaluator.evaluate(…, detail: .short)`.
    package init(_ table: OutcomeTable, entities filter: Set<Int>? = nil) {
        asOf = table.asOf
        source = table.dataset.source
        synthetic = table.dataset.synthetic
        var counts: [Outcome: Int] = [:]
        var provisional = false
        var sections: [Section] = []
        let records = table.dataset.entities
        for level in table.dataset.map.levels {
            let criteria = table.criteria.filter { table.level(of: $0) == level }
            guard !criteria.isEmpty else { continue }
            var entities: [Int] = []
            for entity in records.indices where records[entity].level == level && (filter?.contains(entity) ?? true) {
                entities.append(entity)
                for criterion in criteria {
                    if let outcome = table.outcome(entity: entity, criterion: criterion) { counts[outcome, default: 0] += 1 }
                }
            }
            guard !entities.isEmpty else { continue }
            // A criterion's title, citation and provisional mark are the same in every verdict of it
            // on one date (they do not depend on the data): they are read off the first row's.
            let columns = criteria.map { id in
                let root = table.verdict(entity: entities[0], criterion: id)?.explanation
                let involves = root?.involvesProvisional ?? false
                provisional = provisional || involves
                return Column(
                    id: id, title: root?.title ?? LocalizedText(vi: id, en: id), source: root?.source, provisional: involves)
            }
            sections.append(Section(level: level, columns: columns, rows: Rows(table, entities: entities, criteria: criteria)))
        }
        self.sections = sections
        self.counts = counts
        involvesProvisional = provisional
    }
}

extension VerdictSummary.Row {
    /// Sets the outcomes and the reasons from one verdict (or none) per column.
    mutating func fill(_ cells: [Verdict?]) {
        outcomes = cells.map { $0?.outcome }
        notPassed = cells.compactMap { $0 }.filter { $0.outcome == .fail || $0.outcome == .unknown }
    }
}
