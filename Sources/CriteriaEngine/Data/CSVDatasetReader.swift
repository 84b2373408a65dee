import Foundation

/// Reads a dataset from a folder of CSV tables, one table per level.
///
/// The tables (`Docs/data-format.md` has the full reference):
///
/// | file | one row per | columns |
/// | --- | --- | --- |
/// | `dataset.csv` (optional) | — (one row) | `dataset` (1), optional `synthetic`, `description` |
/// | `province.csv` | province and year | `id`, `name`, `year`, facts |
/// | `districts.csv` | district and year | `id`, `name`, `province_id`, `year`, facts |
/// | `communes.csv` | commune and year | `id`, `name`, `district_id`, `year`, `group`, facts |
/// | `hamlets.csv` | hamlet and year | `id`, `name`, `commune_id`, `year`, facts |
///
/// Each table is optional, but the tables present must be consecutive levels; the highest one holds
/// the roots and has no parent column. A fact column is named after a declared input of the table's
/// level. An entity repeats its `id` and `name` (and parent and group) on each of its rows; a row
/// whose fact cells are all empty may leave `year` empty, to list an entity without facts. An
/// empty cell is unknown. Quotes in CSV only protect commas and line breaks: a quoted `"12"` is a
/// number where a count is expected. Booleans are `true`/`false` in any letter case.
///
/// Every problem is collected across all tables, then all are thrown together, each located at
/// `file:line:column` of the cell (the physical line where the field starts, the column in Unicode
/// scalars) and naming the column.
public enum CSVDatasetReader {
    /// The table file of each level.
    public static let tableNames: [Level: String] = [
        .province: "province.csv", .district: "districts.csv", .commune: "communes.csv", .hamlet: "hamlets.csv",
    ]

    /// The optional file with the dataset's format version and synthetic flag.
    public static let metadataName = "dataset.csv"

    /// The column of a table that holds the parent's id (`province_id`, `district_id`, `commune_id`),
    /// or `nil` for a province.
    public static func parentColumn(of level: Level) -> String? {
        level.parent.map { $0.rawValue + "_id" }
    }

    /// Reads the tables in a folder. Files other than `*.csv` are ignored; an unknown `.csv` name is
    /// an error, so that a misspelt table is never silently skipped.
    ///
    /// - Parameters:
    ///   - folder: the folder's path as the user named it; messages show the files under it.
    ///   - inputs: the declared inputs, which decide each fact column's level and type.
    ///   - limits: the largest file (`maxDataBytes`) and the diagnostic cap.
    /// - Throws: `EnvironmentError` when the folder cannot be listed or holds no table;
    ///   `DiagnosticsError` with every problem in the tables.
    public static func read(folder: String, inputs: InputCatalog, limits: Limits = .default) throws -> Dataset {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw EnvironmentError.unreadable(path: folder, reason: "the folder cannot be listed")
        }
        func path(_ name: String) -> String { folder.hasSuffix("/") ? folder + name : folder + "/" + name }
        var diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
        let known = Array(tableNames.values) + [metadataName]
        var tables: [Level: SourceFile] = [:]
        var metadata: SourceFile?
        var sawTable = false
        for name in names where name.lowercased().hasSuffix(".csv") {
            guard known.contains(name) else {
                diagnostics.emit(
                    Diagnostic(
                        "csv.unknown-table", .error, "\(QuotedInput.quote(name)) is not a table Criteria reads",
                        at: SourceRange(file: path(name), line: 1, column: 1),
                        hint: Suggestion.hint(for: name, among: known)
                            ?? "the tables are " + (Level.allCases.compactMap { tableNames[$0] } + [metadataName]).joined(separator: ", ")))
                continue
            }
            sawTable = true
            let file: SourceFile
            do {
                file = try SourceReader.read(path: path(name), maxBytes: limits.maxDataBytes, option: "--max-data-size")
            } catch let error as DiagnosticsError {
                diagnostics.emit(contentsOf: error.diagnostics)
                continue
            }
            if name == metadataName {
                metadata = file
            } else if let level = Level.allCases.first(where: { tableNames[$0] == name }) {
                tables[level] = file
            }
        }
        guard sawTable else {
            throw EnvironmentError.wrongKind(
                path: folder, expected: "a dataset folder: it holds none of province.csv, districts.csv, communes.csv, hamlets.csv")
        }
        // Every table that exists could not be read (too large, not UTF-8): that is the problem, not
        // that the dataset has no table.
        if tables.isEmpty && diagnostics.hasErrors { throw DiagnosticsError(diagnostics.sorted) }
        var builder = CSVDatasetBuilder(inputs: inputs, limits: limits, diagnostics: diagnostics)
        return try builder.build(tables: tables, metadata: metadata, source: folder)
    }

    /// Reads tables already loaded as text, such as files uploaded to a server.
    ///
    /// - Parameters:
    ///   - tables: the text of each level's table; each file's `path` is used in messages.
    ///   - metadata: the text of `dataset.csv`, if any.
    ///   - source: what to call the dataset (a folder path or upload name).
    ///   - inputs: the declared inputs.
    ///   - limits: the diagnostic cap.
    /// - Throws: `DiagnosticsError` with every problem in the tables.
    public static func read(
        tables: [Level: SourceFile], metadata: SourceFile? = nil, source: String, inputs: InputCatalog,
        limits: Limits = .default
    ) throws(DiagnosticsError) -> Dataset {
        var builder = CSVDatasetBuilder(
            inputs: inputs, limits: limits, diagnostics: DiagnosticCollector(limit: limits.maxDiagnostics))
        return try builder.build(tables: tables, metadata: metadata, source: source)
    }
}

/// An entity being assembled from the rows of one table.
private struct PendingEntity {
    var entity: Entity
    /// The first row's id, name, parent and group cells, against which later rows are compared.
    var idCell: CSVField
    var nameCell: CSVField
    var parentCell: CSVField?
    var groupCell: CSVField?
    /// The year cell of the row that gave each year, for duplicate-row reports.
    var yearCells: [Int: CSVField] = [:]
}

/// The reader's state while it assembles one dataset.
private struct CSVDatasetBuilder {
    let inputs: InputCatalog
    let limits: Limits
    var diagnostics: DiagnosticCollector
    /// The entities of each level, in order of first appearance.
    var pending: [Level: [PendingEntity]] = [:]
    /// Where each id lives: its level and index in `pending`.
    var locationOfID: [String: (level: Level, index: Int)] = [:]

    init(inputs: InputCatalog, limits: Limits, diagnostics: DiagnosticCollector) {
        self.inputs = inputs
        self.limits = limits
        self.diagnostics = diagnostics
    }

    mutating func error(
        _ id: DiagnosticID, _ message: String, at range: SourceRange?, hint: String?, notes: [DiagnosticNote] = []
    ) {
        diagnostics.emit(Diagnostic(id, .error, message, at: range, notes: notes, hint: hint))
    }

    mutating func build(tables: [Level: SourceFile], metadata: SourceFile?, source: String) throws(DiagnosticsError)
        -> Dataset
    {
        let synthetic = metadata.map { readMetadata($0) } ?? false
        let levels = Level.allCases.filter { tables[$0] != nil }
        guard let top = levels.first, let bottom = levels.last else {
            error(
                "csv.missing-table", "the dataset has no table", at: nil,
                hint: "add districts.csv, communes.csv or hamlets.csv")
            throw DiagnosticsError(diagnostics.sorted)
        }
        for level in Level.allCases where level > top && level < bottom && tables[level] == nil {
            let name = CSVDatasetReader.tableNames[level] ?? ""
            // Placed at the start of the first table below the gap, whose parents are missing.
            let below = Level.allCases.first { $0 > level && tables[$0] != nil }.flatMap { tables[$0] }
            error(
                "csv.missing-table",
                "\(name) is missing: the tables must be consecutive levels, from \(CSVDatasetReader.tableNames[top] ?? "") to \(CSVDatasetReader.tableNames[bottom] ?? "")",
                at: below.map { $0.range(line: 1, column: 1) }, hint: "add \(name), or remove the tables below it")
        }
        for level in levels {
            if let file = tables[level] {
                readTable(file, level: level, hasParentTable: level != top)
            }
        }
        let entities = link(top: top)
        try diagnostics.throwIfErrors()
        return Dataset(entities: entities, source: source, synthetic: synthetic)
    }

    // MARK: dataset.csv

    mutating func readMetadata(_ file: SourceFile) -> Bool {
        guard let records = CSVTable.records(of: file, maxFieldLength: limits.maxScalarLength, diagnostics: &diagnostics) else { return false }
        guard let header = records.first else {
            error(
                "csv.missing-column", "\(file.path) is empty", at: file.range(line: 1, column: 1),
                hint: "write the header 'dataset,synthetic,description' and one row such as '1,true,…'")
            return false
        }
        let allowed = ["dataset", "synthetic", "description"]
        for field in header.fields where !allowed.contains(field.text) {
            error(
                "data.unknown-key", "unknown column \(QuotedInput.quote(field.text)) in dataset.csv", at: field.range,
                hint: Suggestion.hint(for: field.text, among: allowed) ?? "the columns are dataset, synthetic, description")
        }
        guard let versionColumn = header.fields.firstIndex(where: { $0.text == "dataset" }) else {
            error(
                "csv.missing-column", "dataset.csv has no 'dataset' column with the format version",
                at: file.range(line: header.line, column: 1), hint: "add the column 'dataset' with the value 1")
            return false
        }
        let rows = records.dropFirst()
        guard let row = rows.first, rows.count == 1 else {
            error(
                "csv.ragged-row", "dataset.csv must have exactly one row below its header, found \(rows.count)",
                at: rows.dropFirst().first?.fields.first?.range ?? file.range(line: header.line, column: 1),
                hint: "keep one row, such as '1,true,…'")
            return false
        }
        guard checkWidth(row, header: header) else { return false }
        let version = row.fields[versionColumn]
        if version.text != "1" {
            error(
                "data.unsupported-version",
                "expected format version \(DatasetDecoder.formatVersion) in column 'dataset', found \(QuotedInput.quote(version.text))",
                at: version.range, hint: "write 1; this version of Criteria reads format 1")
        }
        guard let syntheticColumn = header.fields.firstIndex(where: { $0.text == "synthetic" }) else { return false }
        let cell = row.fields[syntheticColumn]
        if cell.text.isEmpty { return false }
        let declaration = InputDeclaration(
            name: "synthetic", type: .bool, level: .province, label: LocalizedText(vi: "dữ liệu giả định", en: "synthetic"))
        switch FactTyping.value(cell.text, written: .csv, for: declaration) {
        case .success(let value): return value == .bool(true)
        case .failure(let problem):
            error("data.wrong-type", problem.message, at: cell.range, hint: problem.hint)
            return false
        }
    }

    // MARK: Tables

    /// Reports a row whose number of fields differs from the header's; returns whether it fits.
    mutating func checkWidth(_ row: CSVRecord, header: CSVRecord) -> Bool {
        let expected = header.fields.count
        if row.fields.count == expected { return true }
        if row.fields.count == expected + 1, let (comma, isCount) = numberWithComma(in: row, header: header) {
            let column = header.fields[comma].text
            let written = row.fields[comma].text + "," + row.fields[comma + 1].text
            let what = isCount ? "a thousands separator" : "a decimal comma"
            error(
                "csv.ragged-row",
                "the row has \(row.fields.count) fields, but the header has \(expected) columns: \(QuotedInput.quote(written)) in column \(QuotedInput.quote(column)) looks like a number written with \(what), which CSV reads as two fields",
                at: row.fields[comma].range,
                hint: isCount
                    ? "write \(QuotedInput.body(written.replacingOccurrences(of: ",", with: ""))), without the separator; a comma separates the columns"
                    : "write \(FactTyping.decimalPoint(written)), with a decimal point; a comma separates the columns")
            return false
        }
        if row.fields.count > expected {
            let extra = row.fields[expected]
            error(
                "csv.ragged-row",
                "the row has \(row.fields.count) fields, but the header has \(expected) columns; this field is past the last column '\(QuotedInput.body(header.fields[expected - 1].text))'",
                at: extra.range, hint: "remove the extra fields, or put a value that contains a comma in double quotes")
        } else {
            let missing = header.fields[row.fields.count...].map { "'" + QuotedInput.body($0.text) + "'" }
            error(
                "csv.ragged-row",
                "the row has \(row.fields.count) fields, but the header has \(expected) columns; no field for \(missing.joined(separator: ", "))",
                at: row.fields.first?.range,
                hint: "give every column a field, leaving it empty (just the comma) when the value is unknown")
        }
        return false
    }

    /// The first field of a row with one field too many that, with the next, reads as a number
    /// written with a decimal comma (`1,5` in a number or percentage column) or a thousands separator
    /// (`1,500` in a count column), if there is one, and whether its column is a count.
    func numberWithComma(in row: CSVRecord, header: CSVRecord) -> (Int, Bool)? {
        func digits(_ text: String, sign: Bool) -> Bool {
            let body = sign && text.hasPrefix("-") ? String(text.dropFirst()) : text
            return !body.isEmpty && body.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
        }
        for index in row.fields.indices.dropLast() where index < header.fields.count {
            guard let input = inputs[header.fields[index].text] else { continue }
            let next = row.fields[index + 1].text
            switch input.type {
            case .number, .percent:
                let fraction = next.hasSuffix("%") ? String(next.dropLast()) : next
                if digits(row.fields[index].text, sign: true) && digits(fraction, sign: false) { return (index, false) }
            case .count:
                // Only a group of three digits after the comma: `0,1` is more likely two fields.
                if digits(row.fields[index].text, sign: false) && row.fields[index].text.count <= 3 && next.count == 3
                    && digits(next, sign: false)
                {
                    return (index, true)
                }
            default:
                continue
            }
        }
        return nil
    }

    /// Reports a stray space or tab around an id, a parent id or a year, which are compared exactly;
    /// returns whether the cell is clean.
    mutating func checkWhitespace(_ cell: CSVField, column: String) -> Bool {
        let trimmed = cell.text.trimmingCharacters(in: .whitespaces)
        guard trimmed != cell.text else { return true }
        let what = cell.text.contains("\t") ? "a tab" : "a space"
        error(
            "csv.whitespace", "column '\(column)' holds \(QuotedInput.quote(cell.text)), with \(what) around the value",
            at: cell.range, hint: "write \(QuotedInput.quote(trimmed)): \(column == "year" ? "years" : "ids") are compared exactly")
        return false
    }

    /// The roles of a table's columns.
    struct Columns {
        var id = 0
        var name = 0
        var year = 0
        var parent: Int?
        var group: Int?
        var facts: [(column: Int, input: InputDeclaration)] = []
    }

    /// Reads a table's header; returns the column roles, or `nil` when a required column is missing.
    mutating func readHeader(_ header: CSVRecord, file: SourceFile, level: Level, hasParentTable: Bool) -> Columns? {
        let tableName = CSVDatasetReader.tableNames[level] ?? ""
        let parentColumn = CSVDatasetReader.parentColumn(of: level)
        var columns = Columns()
        var seen: [String: SourceRange] = [:]
        var found: Set<String> = []
        let structural = ["id", "name", "year", "group", "province_id", "district_id", "commune_id"]
        for (offset, field) in header.fields.enumerated() {
            let name = field.text
            if let first = seen[name] {
                error(
                    "csv.duplicate-column", "the column \(QuotedInput.quote(name)) appears twice in \(tableName)",
                    at: field.range, hint: "keep one of the two columns",
                    notes: [DiagnosticNote("first column here", at: first)])
                continue
            }
            seen[name] = field.range
            switch name {
            case "id": columns.id = offset
            case "name": columns.name = offset
            case "year": columns.year = offset
            case "group" where level == .commune: columns.group = offset
            case _ where name == parentColumn && hasParentTable: columns.parent = offset
            default:
                if name == parentColumn, let parent = level.parent {
                    error(
                        "csv.unknown-column",
                        "the column '\(name)' refers to \(CSVDatasetReader.tableNames[parent] ?? ""), which is not in the dataset",
                        at: field.range, hint: "add \(CSVDatasetReader.tableNames[parent] ?? ""), or remove the column")
                    continue
                }
                if structural.contains(name) {
                    let hint: String
                    if name == "group" {
                        hint = "'group' is a column of communes.csv only"
                    } else if let parent = level.parent {
                        hint = "in \(tableName) the parent's id goes in '\(parent.rawValue)_id'"
                    } else {
                        hint = "\(tableName) holds the roots of the dataset and has no parent column"
                    }
                    error("csv.unknown-column", "the column '\(name)' does not belong in \(tableName)", at: field.range, hint: hint)
                    continue
                }
                if name.isEmpty {
                    error(
                        "csv.missing-column", "column \(offset + 1) of \(tableName) has no name", at: field.range,
                        hint: "name the column after the fact it holds, or delete it")
                    continue
                }
                if let input = FactTyping.declaration(
                    of: name, at: field.range, level: level, inputs: inputs, diagnostics: &diagnostics)
                {
                    columns.facts.append((offset, input))
                }
                continue
            }
            found.insert(name)
        }
        var required = ["id", "name", "year"]
        if hasParentTable, let parentColumn { required.insert(parentColumn, at: 2) }
        let missing = required.filter { !found.contains($0) }
        if !missing.isEmpty {
            error(
                "csv.missing-column",
                "\(tableName) has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column",
                at: file.range(line: header.line, column: 1),
                hint: "the header of \(tableName) starts with " + required.joined(separator: ","))
            return nil
        }
        return columns
    }

    mutating func readTable(_ file: SourceFile, level: Level, hasParentTable: Bool) {
        guard let records = CSVTable.records(of: file, maxFieldLength: limits.maxScalarLength, diagnostics: &diagnostics) else { return }
        guard let header = records.first else {
            error(
                "csv.missing-column", "\(file.path) is empty", at: file.range(line: 1, column: 1),
                hint: "the first line names the columns: id,name,…")
            return
        }
        if header.fields.count == 1, let separator = [";", "\t"].first(where: { header.fields[0].text.contains($0) }) {
            error(
                "csv.syntax",
                "the header has a single column that contains \(separator == ";" ? "';'" : "tabs"): the file is \(separator == ";" ? "semicolon" : "tab")-separated",
                at: header.fields[0].range,
                hint: "Criteria reads comma-separated files; export the sheet as 'CSV UTF-8 (comma delimited)'")
            return
        }
        guard let columns = readHeader(header, file: file, level: level, hasParentTable: hasParentTable) else { return }
        for row in records.dropFirst() where checkWidth(row, header: header) {
            readRow(row, columns: columns, header: header, level: level)
        }
    }

    mutating func readRow(_ row: CSVRecord, columns: Columns, header: CSVRecord, level: Level) {
        let tableName = CSVDatasetReader.tableNames[level] ?? ""
        let idCell = row.fields[columns.id]
        let nameCell = row.fields[columns.name]
        let parentCell = columns.parent.map { row.fields[$0] }
        let groupCell = columns.group.map { row.fields[$0] }
        let yearCell = row.fields[columns.year]
        if idCell.text.isEmpty {
            error("data.missing-key", "the row has no 'id'", at: idCell.range, hint: "write the \(level.rawValue)'s code in column 'id'")
            return
        }
        var clean = checkWhitespace(idCell, column: "id")
        if let parentCell, let column = CSVDatasetReader.parentColumn(of: level) {
            clean = checkWhitespace(parentCell, column: column) && clean
        }
        clean = checkWhitespace(yearCell, column: "year") && clean
        guard clean else { return }
        if nameCell.text.isEmpty {
            error(
                "data.missing-key", "the row of \(QuotedInput.quote(idCell.text)) has no 'name'", at: nameCell.range,
                hint: "write the \(level.rawValue)'s Vietnamese name in column 'name', on every row")
        }
        if let parentCell, parentCell.text.isEmpty, let column = CSVDatasetReader.parentColumn(of: level) {
            error(
                "data.missing-key", "the row of \(QuotedInput.quote(idCell.text)) has no '\(column)'", at: parentCell.range,
                hint: "write the id of the \(level.parent?.rawValue ?? "parent") it belongs to")
        }
        let group = groupCell.flatMap { readGroup($0) }

        // Find or create the entity.
        let index: Int
        if let known = locationOfID[idCell.text] {
            guard known.level == level, let existing = pending[level]?[known.index] else {
                let first = pending[known.level]?[known.index].idCell.range
                error(
                    "data.duplicate-id",
                    "duplicate id \(QuotedInput.quote(idCell.text)): it is already a \(known.level.rawValue) in \(CSVDatasetReader.tableNames[known.level] ?? "")",
                    at: idCell.range, hint: "every entity needs its own id, unique in the whole dataset",
                    notes: first.map { [DiagnosticNote("first used here", at: $0)] } ?? [])
                return
            }
            index = known.index
            compare(nameCell, with: existing.nameCell, column: "name", id: idCell.text)
            if let parentCell, let first = existing.parentCell {
                compare(parentCell, with: first, column: CSVDatasetReader.parentColumn(of: level) ?? "", id: idCell.text)
            }
            if let groupCell, !groupCell.text.isEmpty {
                if let first = existing.groupCell {
                    compare(groupCell, with: first, column: "group", id: idCell.text)
                } else {
                    pending[level]?[index].groupCell = groupCell
                    pending[level]?[index].entity.group = group
                }
            }
        } else {
            index = pending[level, default: []].count
            locationOfID[idCell.text] = (level, index)
            let groupGiven = groupCell.flatMap { $0.text.isEmpty ? nil : $0 }
            pending[level, default: []].append(
                PendingEntity(
                    entity: Entity(id: idCell.text, name: nameCell.text, level: level, group: group, range: idCell.range),
                    idCell: idCell, nameCell: nameCell, parentCell: parentCell, groupCell: groupGiven))
        }

        // The year and the facts.
        let factCells = columns.facts.map { (cell: row.fields[$0.column], input: $0.input) }.filter { !$0.cell.text.isEmpty }
        if yearCell.text.isEmpty {
            if let first = factCells.first {
                error(
                    "data.invalid-year",
                    "the row of \(QuotedInput.quote(idCell.text)) has facts but no 'year' (first fact: '\(first.input.name)')",
                    at: yearCell.range, hint: "write the year the facts describe, such as 2024")
            }
            return
        }
        guard let year = FactTyping.year(yearCell.text) else {
            error(
                "data.invalid-year", "column 'year' expects a 4-digit year such as 2024, found \(QuotedInput.quote(yearCell.text))",
                at: yearCell.range, hint: "write the year the facts describe, such as 2024")
            return
        }
        if let first = pending[level]?[index].yearCells[year] {
            error(
                "csv.duplicate-row",
                "\(QuotedInput.quote(idCell.text)) already has a row for \(year) in \(tableName) (line \(first.range.start.line))",
                at: yearCell.range, hint: "merge the two rows: one row per \(level.rawValue) and year",
                notes: [DiagnosticNote("the first row for \(year)", at: first.range)])
            return
        }
        pending[level]?[index].yearCells[year] = yearCell
        for (cell, input) in factCells {
            switch FactTyping.value(cell.text, written: .csv, for: input) {
            case .success(let value):
                pending[level]?[index].entity.facts[year, default: [:]][input.name] = Fact(value, at: cell.range)
            case .failure(let problem):
                error("data.wrong-type", "column " + problem.message, at: cell.range, hint: problem.hint)
            }
        }
    }

    /// Reports a cell that disagrees with the entity's first row.
    mutating func compare(_ cell: CSVField, with first: CSVField, column: String, id: String) {
        guard cell.text != first.text else { return }
        error(
            "csv.inconsistent-row",
            "column '\(column)' of \(QuotedInput.quote(id)) is \(QuotedInput.quote(cell.text)) here but \(QuotedInput.quote(first.text)) on line \(first.range.start.line)",
            at: cell.range, hint: "an entity's rows must agree on its \(column); correct one of them",
            notes: [DiagnosticNote("the first row says \(QuotedInput.quote(first.text))", at: first.range)])
    }

    /// A commune group cell: empty, 1, 2 or 3.
    mutating func readGroup(_ cell: CSVField) -> Int? {
        if cell.text.isEmpty { return nil }
        if ["1", "2", "3"].contains(cell.text) { return Int(cell.text) }
        error(
            "data.wrong-type", "column 'group' expects 1, 2 or 3, found \(QuotedInput.quote(cell.text))", at: cell.range,
            hint: "write the commune's 2026–2030 group: 1, 2 or 3, or leave the cell empty")
        return nil
    }

    // MARK: Linking

    /// Resolves parent ids and lays the entities out parents first, each followed by its
    /// descendants (the order a nested document has).
    mutating func link(top: Level) -> [Entity] {
        var childrenOf: [Level: [[Int]]] = [:]
        for level in Level.allCases {
            childrenOf[level] = Array(repeating: [], count: pending[level]?.count ?? 0)
        }
        for level in Level.allCases where level > top {
            guard let parentLevel = level.parent, let list = pending[level] else { continue }
            for (index, item) in list.enumerated() {
                guard let cell = item.parentCell, !cell.text.isEmpty else { continue }
                let column = CSVDatasetReader.parentColumn(of: level) ?? ""
                guard let known = locationOfID[cell.text], known.level == parentLevel else {
                    let elsewhere = locationOfID[cell.text].map { " (it is a \($0.level.rawValue))" } ?? ""
                    let ids = pending[parentLevel]?.map(\.entity.id) ?? []
                    error(
                        "data.unknown-parent",
                        "column '\(column)' names \(QuotedInput.quote(cell.text)), which is not a \(parentLevel.rawValue) in \(CSVDatasetReader.tableNames[parentLevel] ?? "")\(elsewhere)",
                        at: cell.range,
                        hint: Suggestion.hint(for: cell.text, among: ids)
                            ?? "write the id of a \(parentLevel.rawValue) listed in \(CSVDatasetReader.tableNames[parentLevel] ?? "")")
                    continue
                }
                childrenOf[parentLevel]?[known.index].append(index)
            }
        }
        var entities: [Entity] = []
        var stack: [(level: Level, index: Int, parent: Int?)] =
            (pending[top] ?? []).indices.reversed().map { (top, $0, nil) }
        while let (level, index, parent) = stack.popLast() {
            guard var entity = pending[level]?[index].entity else { continue }
            let position = entities.count
            entity.parent = parent
            entity.children = []
            entities.append(entity)
            if let parent { entities[parent].children.append(position) }
            if let child = level.child, let kids = childrenOf[level]?[index] {
                stack.append(contentsOf: kids.reversed().map { (child, $0, position) })
            }
        }
        return entities
    }
}
