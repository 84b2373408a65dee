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
/// | `communes.csv` | commune and year | `id`, `name`, `district_id` (or `province_id` without districts), `year`, `group`, facts |
/// | `hamlets.csv` | hamlet and year | `id`, `name`, `commune_id`, `year`, facts |
/// | `units.csv` | TT 124 unit and year | `id`, `name`, `commune_id`, `kind`, `year`, facts |
///
/// Each table is optional, but every table below the highest one needs its parent's table: a
/// commune's parent is a district when `districts.csv` is present, else the province (a two-tier
/// province). The highest table holds the roots and has no parent column. A fact column is named after a declared input of the table's
/// level. An entity repeats its `id` and `name` (and parent and group) on each of its rows; a row
/// whose fact cells are all empty may leave `year` empty, to list an entity without facts. An
/// empty cell is unknown. Quotes in CSV only protect commas and line breaks: a quoted `"12"` is a
/// number where a count is expected. Booleans are `true`/`false` in any letter case.
///
/// Every problem is collected across all tables, then all are thrown together, each located at
/// `file:line:column` of the cell (the physical line where the field starts, the column in Unicode
/// scalars) and naming the column.
public enum CSVDatasetReader {
    /// The table file of a level: its collection with `.csv` (`communes.csv`), or, for a level at the
    /// top of the map, of which a dataset has one entity, its name (`province.csv`).
    package static func tableName(_ level: Level) -> String {
        (level.parents.isEmpty ? level.name : level.pluralName) + ".csv"
    }

    /// The table files of a map's levels, from the top down.
    package static func tableNames(_ map: LevelMap) -> [String] { map.topDown.map(tableName) }

    /// The level whose table a file name is, if any.
    package static func level(ofTable name: String, in map: LevelMap) -> Level? {
        map.topDown.first { tableName($0) == name }
    }

    /// The optional file with the dataset's format version and synthetic flag.
    package static let metadataName = "dataset.csv"

    /// The optional table of successions (`Succession`): `date,change,from,into,share`, one row per
    /// former unit of a merger and per part of a split.
    package static let successionsName = "successions.csv"

    /// The column of a table that holds the id of a parent of a level (`province_id`, `district_id`,
    /// `commune_id`).
    package static func parentColumn(_ parent: Level) -> String { parent.name + "_id" }

    /// Reads the tables in a folder. Files other than `*.csv` are ignored; an unknown `.csv` name is
    /// an error, so that a misspelt table is never silently skipped.
    ///
    /// - Parameters:
    ///   - folder: the folder's path as the user named it; messages show the files under it.
    ///   - inputs: the declared inputs, which decide each fact column's level and type.
    ///   - limits: the largest file (`maxDataBytes`) and the diagnostic cap.
    /// - Throws: `EnvironmentError` when the folder cannot be listed or holds no table;
    ///   `DiagnosticsError` with every problem in the tables.
    package static func read(folder: String, inputs: InputCatalog, limits: Limits = .default) throws -> Dataset {
        // The tables are read one at a time while the dataset is built, so that a large dataset never
        // holds all its files in memory at once. If one cannot be read, the folder is read again the
        // way that reports it: every file first, in name order, then the tables that could be read.
        try read(folder: folder, inputs: inputs, limits: limits, pieceSize: 4 << 20)
    }

    /// Reads a folder, its plain tables in pieces of about `pieceSize` bytes (tests make them small).
    static func read(folder: String, inputs: InputCatalog, limits: Limits, pieceSize: Int) throws -> Dataset {
        if let dataset = try read(folder: folder, inputs: inputs, limits: limits, eagerly: false, pieceSize: pieceSize) {
            return dataset
        }
        return try read(folder: folder, inputs: inputs, limits: limits, eagerly: true, pieceSize: pieceSize)!
    }

    /// Reads a folder; without `eagerly`, returns `nil` when a table cannot be read.
    private static func read(folder: String, inputs: InputCatalog, limits: Limits, eagerly: Bool, pieceSize: Int) throws -> Dataset? {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw EnvironmentError.unreadable(path: folder, reason: SourceReader.missingReason(folder, .vi("không liệt kê được thư mục", en: "the folder cannot be listed")))
        }
        func path(_ name: String) -> String { folder.hasSuffix("/") ? folder + name : folder + "/" + name }
        var diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
        let known = tableNames(inputs.map) + [metadataName, successionsName]
        var tables: [Level: CSVDatasetBuilder.Table] = [:]
        var metadata: SourceFile?
        var successions: SourceFile?
        var sawTable = false
        var notes: [Diagnostic] = []
        for name in names where name.lowercased().hasSuffix(".csv") {
            guard known.contains(name) else {
                diagnostics.emit(
                    Diagnostic(
                        "csv.unknown-table", .error, .vi("\(QuotedInput.quote(name)) không phải là bảng Criteria đọc", en: "\(QuotedInput.quote(name)) is not a table Criteria reads"),
                        at: SourceRange(file: path(name), line: 1, column: 1),
                        hint: Suggestion.hint(for: name, among: known)
                            ?? .vi(
                                "các bảng là " + (tableNames(inputs.map) + [metadataName]).joined(separator: ", "),
                                en: "the tables are " + (tableNames(inputs.map) + [metadataName]).joined(separator: ", "))))
                continue
            }
            sawTable = true
            let level = Self.level(ofTable: name, in: inputs.map)
            if let level, !eagerly {
                // (dataset.csv and successions.csv are small: they are always read whole.)
                tables[level] = .path(path(name))
                continue
            }
            let file: SourceFile
            do {
                let note: Diagnostic?
                (file, note) = try SpreadsheetText.read(path: path(name), maxBytes: limits.maxDataBytes, option: "--max-data-size")
                if let note { notes.append(note) }
            } catch let error as DiagnosticsError {
                if !eagerly { return nil }
                diagnostics.emit(contentsOf: error.diagnostics)
                continue
            } catch {
                if !eagerly { return nil }
                throw error
            }
            if let level {
                tables[level] = .loaded(file)
            } else if name == successionsName {
                successions = file
            } else {
                metadata = file
            }
        }
        guard sawTable else {
            let tables = tableNames(inputs.map).joined(separator: ", ")
            throw EnvironmentError.wrongKind(
                path: folder,
                expected: .vi("một thư mục dữ liệu: trong đó không có bảng nào trong số \(tables)", en: "a dataset folder: it holds none of \(tables)"))
        }
        // Every table that exists could not be read (too large, not UTF-8): that is the problem, not
        // that the dataset has no table.
        if tables.isEmpty && diagnostics.hasErrors { throw DiagnosticsError(diagnostics.sorted) }
        notes = SpreadsheetText.combined(notes)
        var builder = CSVDatasetBuilder(inputs: inputs, limits: limits, diagnostics: diagnostics)
        builder.pieceSize = pieceSize
        do {
            var dataset = try builder.build(tables: tables, metadata: metadata, successions: successions, source: folder)
            dataset.notes = notes
            return dataset
        } catch let error as DiagnosticsError where !notes.isEmpty {
            // What was converted explains what went wrong after it (a name that reads oddly).
            throw DiagnosticsError(notes + error.diagnostics)
        } catch is CSVDatasetBuilder.Unreadable {
            return nil
        }
    }

    /// Reads tables already loaded as text, such as files uploaded to a server.
    ///
    /// - Parameters:
    ///   - tables: the text of each level's table; each file's `path` is used in messages.
    ///   - metadata: the text of `dataset.csv`, if any.
    ///   - successions: the text of `successions.csv`, if any.
    ///   - source: what to call the dataset (a folder path or upload name).
    ///   - inputs: the declared inputs.
    ///   - limits: the diagnostic cap.
    ///   - cancellation: looked at between rows; once cancelled, the rows left are skipped (`limits.cancelled`).
    /// - Throws: `DiagnosticsError` with every problem in the tables.
    public static func read(
        tables: [Level: SourceFile], metadata: SourceFile? = nil, successions: SourceFile? = nil, source: String,
        inputs: InputCatalog, limits: Limits = .default, cancellation: CancellationToken? = nil
    ) throws(DiagnosticsError) -> Dataset {
        var builder = CSVDatasetBuilder(
            inputs: inputs, limits: limits, diagnostics: DiagnosticCollector(limit: limits.maxDiagnostics))
        builder.checkpoint = ReadingCheckpoint(cancellation)
        do {
            return try builder.build(tables: tables.mapValues { .loaded($0) }, metadata: metadata, successions: successions, source: source)
        } catch let error as DiagnosticsError {
            throw error
        } catch {
            preconditionFailure("loaded tables are always readable")
        }
    }
}

/// An entity being assembled from the rows of one table: its first row's cells, against which later
/// rows are compared, kept as text and places rather than whole fields.
private struct PendingEntity {
    var id: String
    var name: String
    /// The first row's parent cell.
    var parent: String?
    /// Where the first row's id, name and parent cells are (line, column).
    var idAt: (Int32, Int32)
    var nameAt: (Int32, Int32)
    var parentAt: (Int32, Int32)
    /// Whether the parent is of the table's second parent level (`alternateParents`).
    var underAlternate = false
}

/// A commune's group, from its first non-empty `group` cell: kept aside, since only communes have
/// one (a hamlet's pending entity, of which a province has most, is smaller without it).
private struct PendingGroup {
    /// The group, or `nil` when the cell is not one.
    var value: Int?
    /// The cell's text and place.
    var text: String
    var at: (Int32, Int32)
}

/// A unit's kind, from its first row's `kind` cell.
private struct PendingKind {
    /// The kind, or `nil` when the cell is not one.
    var value: String?
    /// The cell's text and place.
    var text: String
    var at: (Int32, Int32)
}

/// The reader's state while it assembles one dataset.
private struct CSVDatasetBuilder {
    /// A table: its text, or the path of a file that is read when its turn comes.
    enum Table {
        case loaded(SourceFile)
        case path(String)

        var path: String {
            switch self {
            case .loaded(let file): file.path
            case .path(let path): path
            }
        }
    }

    let inputs: InputCatalog
    let limits: Limits
    var diagnostics: DiagnosticCollector
    /// The entities of each level (by `FactStore.levelIndex`), in order of first appearance.
    var pending: [[PendingEntity]]
    /// The group of each entity that has one, by its level's index, then its index in `pending`.
    var groups: [[Int: PendingGroup]]
    /// The kind of each entity that has one, by its level's index, then its index in `pending`, with
    /// its first cell's text and place.
    var kinds: [[Int: PendingKind]]
    /// The level of each table's parents in this dataset (a commune's: a district, or the province).
    var parentLevels: [Level: Level] = [:]
    /// A second level a table's entities may sit under, with its own column: a commune directly under
    /// the province (`province_id`) in a dataset that also has districts, while a province is reorganised.
    var alternateParents: [Level: Level] = [:]
    /// Where each id lives: its level and index in `pending`.
    var locationOfID: [String: (level: Level, index: Int)] = [:]
    /// The facts; an entity's position in its level is its index in `pending`.
    var store = FactStore()
    /// The file of each level's table, for the entities' ranges.
    var tablePaths: [Level: String] = [:]
    /// The diagnostics of the current table's rows, kept aside until its scan ends (they follow the
    /// scanner's, as when the whole table was scanned first) and dropped if the scan stops.
    var rowDiagnostics = DiagnosticCollector()
    /// How many bytes of a table file are read at a time.
    var pieceSize = 4 << 20
    /// When to look at the cancellation token: rows are skipped once it is cancelled.
    var checkpoint = ReadingCheckpoint(nil)

    init(inputs: InputCatalog, limits: Limits, diagnostics: DiagnosticCollector) {
        self.inputs = inputs
        pending = Array(repeating: [], count: inputs.map.count)
        groups = Array(repeating: [:], count: inputs.map.count)
        kinds = Array(repeating: [:], count: inputs.map.count)
        self.limits = limits
        self.diagnostics = diagnostics
    }

    mutating func error(
        _ id: DiagnosticID, _ message: LocalizedText, at range: SourceRange?, hint: LocalizedText?, notes: [DiagnosticNote] = []
    ) {
        diagnostics.emit(Diagnostic(id, .error, message, at: range, notes: notes, hint: hint))
    }

    mutating func rowError(
        _ id: DiagnosticID, _ message: LocalizedText, at range: SourceRange?, hint: LocalizedText?, notes: [DiagnosticNote] = []
    ) {
        rowDiagnostics.emit(Diagnostic(id, .error, message, at: range, notes: notes, hint: hint))
    }

    /// A table given by its path could not be read: the caller reads the folder again, eagerly.
    struct Unreadable: Error {}

    mutating func build(tables: [Level: Table], metadata: SourceFile?, successions: SourceFile? = nil, source: String) throws -> Dataset {
        let synthetic = metadata.map { readMetadata($0) } ?? false
        let levels = inputs.map.topDown.filter { tables[$0] != nil }
        guard let top = levels.first, let bottom = levels.last else {
            error(
                "csv.missing-table", .vi("bộ dữ liệu không có bảng nào", en: "the dataset has no table"), at: nil,
                hint: .vi("hãy thêm districts.csv, communes.csv hoặc hamlets.csv", en: "add districts.csv, communes.csv or hamlets.csv"))
            throw DiagnosticsError(diagnostics.sorted)
        }
        _ = bottom
        for level in levels where level != top {
            let present = level.parents.filter { tables[$0] != nil }
            if let parent = present.first {
                parentLevels[level] = parent
                if present.count > 1 { alternateParents[level] = present[1] }
                continue
            }
            let name = CSVDatasetReader.tableName(level)
            let wanted = level.parents.map(CSVDatasetReader.tableName).joined(separator: " or ")
            error(
                "csv.missing-table",
                .vi("\(name) cần bảng của cấp trên là \(wanted), nhưng bảng này không có trong bộ dữ liệu", en: "\(name) needs the table of its parents, \(wanted), which is not in the dataset"),
                at: tables[level].map { SourceRange(file: $0.path, line: 1, column: 1) },
                hint: .vi("hãy thêm \(wanted), hoặc bỏ \(name)", en: "add \(wanted), or remove \(name)"))
        }
        for level in levels {
            guard let table = tables[level] else { continue }
            tablePaths[level] = table.path
            // A file is read in pieces; one over its size limit, one that turns out not to be plain
            // (quotes, bad UTF-8), or any other trouble has the dataset read again whole.
            guard readTable(table, level: level, parent: parentLevels[level]) == .done else { throw Unreadable() }
            if let stopped = checkpoint.error { throw stopped }
        }
        let (entities, positions) = link(top: top)
        let stated = successions.map { readSuccessions($0) } ?? []
        try diagnostics.throwIfErrors()
        let dataset = Dataset(records: entities, positions: positions, store: store, map: inputs.map, source: source, synthetic: synthetic)
        guard let applied = SuccessionApplier.apply(stated, to: dataset, inputs: inputs, diagnostics: &diagnostics) else {
            throw DiagnosticsError(diagnostics.sorted)
        }
        return applied
    }

    // MARK: dataset.csv

    /// Reads successions.csv: `date,change,from,into,share`; a merger's rows (one per former unit) are
    /// grouped by date and successor, a split's (one per part) by date and former unit.
    mutating func readSuccessions(_ file: SourceFile) -> [Succession] {
        guard let records = CSVTable.records(of: file, maxFieldLength: limits.maxScalarLength, diagnostics: &diagnostics) else { return [] }
        let columns = ["date", "change", "from", "into", "share"]
        guard let header = records.first else { return [] }
        var at: [String: Int] = [:]
        for (k, field) in header.fields.enumerated() {
            if columns.contains(field.text) {
                at[field.text] = k
            } else {
                error(
                    "csv.unknown-column", .vi("cột \(QuotedInput.quote(field.text)) không có trong successions.csv", en: "unknown column \(QuotedInput.quote(field.text)) in successions.csv"), at: field.range,
                    hint: Suggestion.hint(for: field.text, among: columns) ?? .vi("các cột là " + columns.joined(separator: ","), en: "the columns are " + columns.joined(separator: ",")))
            }
        }
        let missing = columns.dropLast().filter { at[$0] == nil }
        guard missing.isEmpty, let date = at["date"], let change = at["change"], let from = at["from"], let into = at["into"] else {
            error(
                "csv.missing-column", .vi("successions.csv thiếu cột \(missing.map { "'\($0)'" }.joined(separator: ", "))", en: "successions.csv has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column"),
                at: file.range(line: header.line, column: 1), hint: .vi("dòng tiêu đề là date,change,from,into,share", en: "the header is date,change,from,into,share"))
            return []
        }
        var result: [Succession] = []
        var groupOf: [String: Int] = [:]
        for row in records.dropFirst() {
            guard checkWidth(row, header: header) else { continue }
            let cells = row.fields
            guard let day = LocalDate(iso: cells[date].text) else {
                error("data.wrong-type", .vi("cột 'date' cần một ngày như 2025-07-01, nhưng gặp \(QuotedInput.quote(cells[date].text))", en: "column 'date' expects a date such as 2025-07-01, found \(QuotedInput.quote(cells[date].text))"), at: cells[date].range, hint: .vi("hãy viết ngày thay đổi có hiệu lực, theo dạng YYYY-MM-DD", en: "write the day the change took effect, YYYY-MM-DD"))
                continue
            }
            guard let kind = Succession.Change(rawValue: cells[change].text) else {
                let names = Succession.Change.allCases.map(\.rawValue)
                error(
                    "data.wrong-type", .vi("cột 'change' cần một trong các giá trị \(names.joined(separator: ", ")), nhưng gặp \(QuotedInput.quote(cells[change].text))", en: "column 'change' expects one of \(names.joined(separator: ", ")), found \(QuotedInput.quote(cells[change].text))"),
                    at: cells[change].range, hint: Suggestion.hint(for: cells[change].text, among: names) ?? .vi("hãy viết merged, renamed, split hoặc abolished", en: "write merged, renamed, split or abolished"))
                continue
            }
            var share: Decimal?
            if let column = at["share"], !cells[column].text.isEmpty {
                guard kind == .split, case .success(.number(let value)) = FactTyping.value(cells[column].text, written: .csv, for: Succession.shareInput), value > 0 else {
                    error("data.wrong-type", .vi("cột 'share' cần tỷ lệ lớn hơn 0 của một phần được chia tách, ví dụ 60%, nhưng gặp \(QuotedInput.quote(cells[column].text))", en: "column 'share' expects a split part's share above 0, such as 60%, found \(QuotedInput.quote(cells[column].text))"), at: cells[column].range, hint: kind == .split ? .vi("hãy viết tỷ lệ phần này nhận từ đơn vị cũ", en: "write the part's share of the former unit") : .vi("hãy để trống: chỉ chia tách mới có tỷ lệ", en: "leave it empty: only a split has shares"))
                    continue
                }
                share = value
            }
            let key = "\(day)|\(kind.rawValue)|" + (kind == .merged ? cells[into].text : kind == .split ? cells[from].text : "\(result.count)")
            if let k = groupOf[key] {
                if kind == .merged {
                    result[k].from.append(cells[from].text)
                    result[k].fromRanges.append(cells[from].range)
                } else {
                    if (result[k].shares == nil) != (share == nil) {
                        error(
                            "data.succession", .vi("trong lần chia tách, có phần ghi tỷ lệ và có phần không ghi", en: "some parts of the split have a share and some do not"),
                            at: at["share"].map { cells[$0].range } ?? cells[into].range, hint: .vi("hãy ghi tỷ lệ cho mọi phần, hoặc không ghi cho phần nào", en: "give every part its share, or none"))
                        continue
                    }
                    result[k].into.append(cells[into].text)
                    result[k].intoRanges.append(cells[into].range)
                    result[k].shares = result[k].shares.flatMap { list in share.map { list + [$0] } }
                }
                continue
            }
            groupOf[key] = result.count
            var succession = Succession(
                change: kind, date: day, from: [cells[from].text], into: [cells[into].text], shares: share.map { [$0] },
                range: cells[date].range)
            succession.fromRanges = [cells[from].range]
            succession.intoRanges = [cells[into].range]
            result.append(succession)
        }
        return result
    }

    mutating func readMetadata(_ file: SourceFile) -> Bool {
        guard let records = CSVTable.records(of: file, maxFieldLength: limits.maxScalarLength, diagnostics: &diagnostics) else { return false }
        guard let header = records.first else {
            error(
                "csv.missing-column", .vi("\(file.path) trống", en: "\(file.path) is empty"), at: file.range(line: 1, column: 1),
                hint: .vi("hãy viết dòng tiêu đề 'dataset,synthetic,description' và một dòng như '1,true,…'", en: "write the header 'dataset,synthetic,description' and one row such as '1,true,…'"))
            return false
        }
        let allowed = ["dataset", "synthetic", "description"]
        for field in header.fields where !allowed.contains(field.text) {
            error(
                "data.unknown-key", .vi("cột \(QuotedInput.quote(field.text)) không có trong dataset.csv", en: "unknown column \(QuotedInput.quote(field.text)) in dataset.csv"), at: field.range,
                hint: Suggestion.hint(for: field.text, among: allowed) ?? .vi("các cột là dataset, synthetic, description", en: "the columns are dataset, synthetic, description"))
        }
        guard let versionColumn = header.fields.firstIndex(where: { $0.text == "dataset" }) else {
            error(
                "csv.missing-column", .vi("dataset.csv không có cột 'dataset' ghi phiên bản định dạng", en: "dataset.csv has no 'dataset' column with the format version"),
                at: file.range(line: header.line, column: 1), hint: .vi("hãy thêm cột 'dataset' với giá trị 1", en: "add the column 'dataset' with the value 1"))
            return false
        }
        let rows = records.dropFirst()
        guard let row = rows.first, rows.count == 1 else {
            error(
                "csv.ragged-row", .vi("dataset.csv phải có đúng một dòng dưới dòng tiêu đề, nhưng có \(rows.count)", en: "dataset.csv must have exactly one row below its header, found \(rows.count)"),
                at: rows.dropFirst().first?.fields.first?.range ?? file.range(line: header.line, column: 1),
                hint: .vi("hãy giữ một dòng, ví dụ '1,true,…'", en: "keep one row, such as '1,true,…'"))
            return false
        }
        guard checkWidth(row, header: header) else { return false }
        let version = row.fields[versionColumn]
        if version.text != "1" {
            error(
                "data.unsupported-version",
                .vi("cột 'dataset' cần phiên bản định dạng \(DatasetDecoder.formatVersion), nhưng gặp \(QuotedInput.quote(version.text))", en: "expected format version \(DatasetDecoder.formatVersion) in column 'dataset', found \(QuotedInput.quote(version.text))"),
                at: version.range, hint: .vi("hãy viết 1; phiên bản Criteria này đọc định dạng 1", en: "write 1; this version of Criteria reads format 1"))
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
            let what: LocalizedText = isCount ? .vi("dấu phân cách hàng nghìn", en: "a thousands separator") : .vi("dấu phẩy thập phân", en: "a decimal comma")
            error(
                "csv.ragged-row",
                .vi("dòng có \(row.fields.count) ô, nhưng dòng tiêu đề có \(expected) cột: \(QuotedInput.quote(written)) ở cột \(QuotedInput.quote(column)) có vẻ là số viết với \(what.vi), nên CSV đọc thành hai ô", en: "the row has \(row.fields.count) fields, but the header has \(expected) columns: \(QuotedInput.quote(written)) in column \(QuotedInput.quote(column)) looks like a number written with \(what.english), which CSV reads as two fields"),
                at: row.fields[comma].range,
                hint: isCount
                    ? .vi("hãy viết \(QuotedInput.body(written.replacingOccurrences(of: ",", with: ""))), không có dấu phân cách; dấu phẩy dùng để ngăn cách các cột", en: "write \(QuotedInput.body(written.replacingOccurrences(of: ",", with: ""))), without the separator; a comma separates the columns")
                    : .vi("hãy viết \(FactTyping.decimalPoint(written)), dùng dấu chấm thập phân; dấu phẩy dùng để ngăn cách các cột", en: "write \(FactTyping.decimalPoint(written)), with a decimal point; a comma separates the columns"))
            return false
        }
        if row.fields.count > expected {
            let extra = row.fields[expected]
            error(
                "csv.ragged-row",
                .vi("dòng có \(row.fields.count) ô, nhưng dòng tiêu đề có \(expected) cột; ô này nằm sau cột cuối cùng '\(QuotedInput.body(header.fields[expected - 1].text))'", en: "the row has \(row.fields.count) fields, but the header has \(expected) columns; this field is past the last column '\(QuotedInput.body(header.fields[expected - 1].text))'"),
                at: extra.range, hint: .vi("hãy bỏ các ô thừa, hoặc đặt giá trị có dấu phẩy trong dấu nháy kép", en: "remove the extra fields, or put a value that contains a comma in double quotes"))
        } else {
            let missing = header.fields[row.fields.count...].map { "'" + QuotedInput.body($0.text) + "'" }
            error(
                "csv.ragged-row",
                .vi("dòng có \(row.fields.count) ô, nhưng dòng tiêu đề có \(expected) cột; thiếu ô cho \(missing.joined(separator: ", "))", en: "the row has \(row.fields.count) fields, but the header has \(expected) columns; no field for \(missing.joined(separator: ", "))"),
                at: row.fields.first?.range,
                hint: .vi("hãy ghi đủ ô cho mọi cột, để trống (chỉ có dấu phẩy) khi chưa biết giá trị", en: "give every column a field, leaving it empty (just the comma) when the value is unknown"))
        }
        return false
    }

    /// As `checkWidth(_:header:)`, for a scanned row of a table.
    mutating func checkWidth(_ row: CSVRow, header: CSVRecord) -> Bool {
        let expected = header.fields.count
        if row.count == expected { return true }
        if row.count == expected + 1, let (comma, isCount) = numberWithComma(in: row.record, header: header) {
            let column = header.fields[comma].text
            let written = row.text(comma) + "," + row.text(comma + 1)
            let what: LocalizedText = isCount ? .vi("dấu phân cách hàng nghìn", en: "a thousands separator") : .vi("dấu phẩy thập phân", en: "a decimal comma")
            rowError(
                "csv.ragged-row",
                .vi("dòng có \(row.count) ô, nhưng dòng tiêu đề có \(expected) cột: \(QuotedInput.quote(written)) ở cột \(QuotedInput.quote(column)) có vẻ là số viết với \(what.vi), nên CSV đọc thành hai ô", en: "the row has \(row.count) fields, but the header has \(expected) columns: \(QuotedInput.quote(written)) in column \(QuotedInput.quote(column)) looks like a number written with \(what.english), which CSV reads as two fields"),
                at: row.range(comma),
                hint: isCount
                    ? .vi("hãy viết \(QuotedInput.body(written.replacingOccurrences(of: ",", with: ""))), không có dấu phân cách; dấu phẩy dùng để ngăn cách các cột", en: "write \(QuotedInput.body(written.replacingOccurrences(of: ",", with: ""))), without the separator; a comma separates the columns")
                    : .vi("hãy viết \(FactTyping.decimalPoint(written)), dùng dấu chấm thập phân; dấu phẩy dùng để ngăn cách các cột", en: "write \(FactTyping.decimalPoint(written)), with a decimal point; a comma separates the columns"))
            return false
        }
        if row.count > expected {
            rowError(
                "csv.ragged-row",
                .vi("dòng có \(row.count) ô, nhưng dòng tiêu đề có \(expected) cột; ô này nằm sau cột cuối cùng '\(QuotedInput.body(header.fields[expected - 1].text))'", en: "the row has \(row.count) fields, but the header has \(expected) columns; this field is past the last column '\(QuotedInput.body(header.fields[expected - 1].text))'"),
                at: row.range(expected), hint: .vi("hãy bỏ các ô thừa, hoặc đặt giá trị có dấu phẩy trong dấu nháy kép", en: "remove the extra fields, or put a value that contains a comma in double quotes"))
        } else {
            let missing = header.fields[row.count...].map { "'" + QuotedInput.body($0.text) + "'" }
            rowError(
                "csv.ragged-row",
                .vi("dòng có \(row.count) ô, nhưng dòng tiêu đề có \(expected) cột; thiếu ô cho \(missing.joined(separator: ", "))", en: "the row has \(row.count) fields, but the header has \(expected) columns; no field for \(missing.joined(separator: ", "))"),
                at: row.count > 0 ? row.range(0) : nil,
                hint: .vi("hãy ghi đủ ô cho mọi cột, để trống (chỉ có dấu phẩy) khi chưa biết giá trị", en: "give every column a field, leaving it empty (just the comma) when the value is unknown"))
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
        let what: LocalizedText = cell.text.contains("\t") ? .vi("ký tự tab", en: "a tab") : .vi("dấu cách", en: "a space")
        error(
            "csv.whitespace", .vi("cột '\(column)' chứa \(QuotedInput.quote(cell.text)), có \(what.vi) quanh giá trị", en: "column '\(column)' holds \(QuotedInput.quote(cell.text)), with \(what.english) around the value"),
            at: cell.range, hint: .vi("hãy viết \(QuotedInput.quote(trimmed)): \(column == "year" ? "năm" : "mã") được so sánh chính xác từng ký tự", en: "write \(QuotedInput.quote(trimmed)): \(column == "year" ? "years" : "ids") are compared exactly"))
        return false
    }

    /// As `checkWhitespace(_:column:)`, for a cell of a scanned row (a quick look at its first and last
    /// bytes first: ids and years are rarely padded).
    mutating func checkWhitespace(_ row: CSVRow, _ index: Int, column: String) -> Bool {
        let bytes = row.bytes(index)
        guard let first = bytes.first, let last = bytes.last else { return true }
        func plain(_ b: UInt8) -> Bool { b < 0x80 && b != 0x20 && b != 0x09 }
        if plain(first) && plain(last) { return true }
        let text = row.text(index)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed != text else { return true }
        let what: LocalizedText = text.contains("\t") ? .vi("ký tự tab", en: "a tab") : .vi("dấu cách", en: "a space")
        rowError(
            "csv.whitespace", .vi("cột '\(column)' chứa \(QuotedInput.quote(text)), có \(what.vi) quanh giá trị", en: "column '\(column)' holds \(QuotedInput.quote(text)), with \(what.english) around the value"),
            at: row.range(index), hint: .vi("hãy viết \(QuotedInput.quote(trimmed)): \(column == "year" ? "năm" : "mã") được so sánh chính xác từng ký tự", en: "write \(QuotedInput.quote(trimmed)): \(column == "year" ? "years" : "ids") are compared exactly"))
        return false
    }

    /// Reports an id or parent id that holds an invisible character (`IDCharacters`); returns whether
    /// the cell is clean.
    mutating func checkIDCharacters(_ row: CSVRow, _ index: Int, column: String) -> Bool {
        guard DisplayText.mayHoldInvisible(utf8: row.bytes(index)),
            let problem = IDCharacters.problem(row.text(index), key: column, at: row.range(index), outerTabs: true)
        else { return true }
        rowDiagnostics.emit(problem)
        return false
    }

    /// The roles of a table's columns.
    struct Columns {
        var id = 0
        var name = 0
        var year = 0
        var parent: Int?
        /// The column of the second parent level (`alternateParents`), when the table has it.
        var alternateParent: Int?
        /// The table's parent level and its second one, resolved once per table (not per row).
        var parentLevel: Level?
        var alternateLevel: Level?
        /// The names of those two columns (`district_id`), made once per table rather than for each
        /// row.
        var parentName = ""
        var alternateName = ""
        var group: Int?
        var kind: Int?
        var facts: [(column: Int, input: InputDeclaration)] = []
        /// The fact columns as the row reader uses them (`facts`, without copying declarations).
        var cells: [FactCell] = []
    }

    /// How to type one fact column's cells.
    struct FactCell {
        enum Kind { case bool, integer, enumeration, other }
        var column: Int
        var kind: Kind
        /// For an enumeration, its values and their bytes.
        var values: [String] = []
        var bytes: [[UInt8]] = []

        init(column: Int, input: InputDeclaration) {
            self.column = column
            switch input.type {
            case .bool: kind = .bool
            case .count, .number: kind = .integer
            case .enumeration(let values):
                kind = .enumeration
                self.values = values
                bytes = values.map { Array($0.utf8) }
            default: kind = .other
            }
        }
    }

    /// Reads a table's header; returns the column roles, or `nil` when a required column is missing.
    mutating func readHeader(_ header: CSVRecord, path: String, level: Level, parent: Level?) -> Columns? {
        let tableName = CSVDatasetReader.tableName(level)
        let parentColumn = parent.map(CSVDatasetReader.parentColumn)
        let alternateColumn = alternateParents[level].map(CSVDatasetReader.parentColumn)
        var columns = Columns()
        columns.parentLevel = parent
        columns.alternateLevel = alternateParents[level]
        columns.parentName = parentColumn ?? ""
        columns.alternateName = alternateColumn ?? ""
        var seen: [String: SourceRange] = [:]
        var found: Set<String> = []
        let structural = ["id", "name", "year", "group", "kind"] + inputs.map.levels.map(CSVDatasetReader.parentColumn)
        for (offset, field) in header.fields.enumerated() {
            let name = field.text
            if let first = seen[name] {
                error(
                    "csv.duplicate-column", .vi("cột \(QuotedInput.quote(name)) xuất hiện hai lần trong \(tableName)", en: "the column \(QuotedInput.quote(name)) appears twice in \(tableName)"),
                    at: field.range, hint: .vi("hãy giữ một trong hai cột", en: "keep one of the two columns"),
                    notes: [DiagnosticNote(.vi("cột đầu tiên ở đây", en: "first column here"), at: first)])
                continue
            }
            seen[name] = field.range
            switch name {
            case "id": columns.id = offset
            case "name": columns.name = offset
            case "year": columns.year = offset
            case "group" where !level.groups.isEmpty: columns.group = offset
            case "kind" where !level.kinds.isEmpty: columns.kind = offset
            case _ where name == parentColumn: columns.parent = offset
            case _ where name == alternateColumn: columns.alternateParent = offset
            default:
                if let named = level.parents.first(where: { CSVDatasetReader.parentColumn($0) == name }) {
                    error(
                        "csv.unknown-column",
                        .vi("cột '\(name)' trỏ tới \(CSVDatasetReader.tableName(named)), nhưng bảng này không có trong bộ dữ liệu", en: "the column '\(name)' refers to \(CSVDatasetReader.tableName(named)), which is not in the dataset"),
                        at: field.range,
                        hint: parentColumn.map { .vi("trong bộ dữ liệu này, mã đơn vị cấp trên ghi ở cột '\($0)'", en: "in this dataset the parent's id goes in '\($0)'") }
                            ?? .vi("hãy thêm \(CSVDatasetReader.tableName(named)), hoặc bỏ cột này", en: "add \(CSVDatasetReader.tableName(named)), or remove the column"))
                    continue
                }
                if structural.contains(name) {
                    let hint: LocalizedText
                    if name == "group" {
                        hint = .vi("'group' chỉ là cột của communes.csv", en: "'group' is a column of communes.csv only")
                    } else if name == "kind" {
                        hint = .vi("'kind' chỉ là cột của units.csv", en: "'kind' is a column of units.csv only")
                    } else if let parentColumn {
                        hint = .vi("trong \(tableName), mã đơn vị cấp trên ghi ở cột '\(parentColumn)'", en: "in \(tableName) the parent's id goes in '\(parentColumn)'")
                    } else {
                        hint = .vi("\(tableName) chứa các đơn vị gốc của bộ dữ liệu nên không có cột đơn vị cấp trên", en: "\(tableName) holds the roots of the dataset and has no parent column")
                    }
                    error("csv.unknown-column", .vi("cột '\(name)' không thuộc \(tableName)", en: "the column '\(name)' does not belong in \(tableName)"), at: field.range, hint: hint)
                    continue
                }
                if name.isEmpty {
                    error(
                        "csv.missing-column", .vi("cột thứ \(offset + 1) của \(tableName) chưa có tên", en: "column \(offset + 1) of \(tableName) has no name"), at: field.range,
                        hint: .vi("hãy đặt tên cột theo dữ kiện nó chứa, hoặc xoá cột", en: "name the column after the fact it holds, or delete it"))
                    continue
                }
                if let input = FactTyping.declaration(
                    of: name, at: field.range, level: level, inputs: inputs, diagnostics: &diagnostics)
                {
                    columns.facts.append((offset, input))
                    columns.cells.append(FactCell(column: offset, input: input))
                }
                continue
            }
            found.insert(name)
        }
        var required = ["id", "name", "year"]
        if let parentColumn, columns.alternateParent == nil { required.insert(parentColumn, at: 2) }
        if level == .unit { required.append("kind") }
        let missing = required.filter { !found.contains($0) }
        if !missing.isEmpty {
            error(
                "csv.missing-column",
                .vi("\(tableName) thiếu cột \(missing.map { "'\($0)'" }.joined(separator: ", "))", en: "\(tableName) has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) column"),
                at: SourceRange(file: path, line: header.line, column: 1),
                hint: .vi(
                    "dòng tiêu đề của \(tableName) bắt đầu bằng " + required.joined(separator: ","),
                    en: "the header of \(tableName) starts with " + required.joined(separator: ",")))
            return nil
        }
        return columns
    }

    /// Reads one table's rows into the entities and the store: a loaded table at once, a file in
    /// pieces. Returns how reading the file ended (a file not `.done` must be read again whole).
    @discardableResult
    mutating func readTable(_ text: Table, level: Level, parent: Level?) -> CSVFileChunks.Ending {
        let path = text.path
        var chunks: CSVFileChunks?
        if case .path = text {
            // Only a regular file, read no further than the limit (a table may grow while it is read).
            guard SourceReader.isRegularFile(path), let size = SourceReader.fileSize(path), size <= limits.maxDataBytes else { return .unreadable }
            chunks = CSVFileChunks(path: path, pieceSize: pieceSize, size: size, maxBytes: limits.maxDataBytes)
        }
        // A syntax error stops the table before any of its rows count. Only a quote can cause one, so
        // a table without quotes is read in one pass; otherwise it is scanned for errors first.
        // The separator, from the header line: known now for a loaded table, from the first piece of a file.
        var separator: UInt8? = nil
        if case .loaded(let file) = text { separator = CSVTable.separator(of: file) }
        if case .loaded(let file) = text, CSVTable.hasQuote(file), let separator {
            var probe = DiagnosticCollector(limit: 0)
            guard CSVTable.scan(file, separator: separator, maxFieldLength: Int.max, diagnostics: &probe, { _ in }) else {
                _ = CSVTable.scan(file, separator: separator, maxFieldLength: limits.maxScalarLength, diagnostics: &diagnostics) { _ in }
                return .done
            }
        }
        // The header and its columns, set by the first row. Kept as plain values with flags rather than
        // optionals: unwrapping an optional for each of four million rows copied them each time.
        var header = CSVRecord(fields: [], line: 0)
        var sawHeader = false
        var columns = Columns()
        var readable = false
        var table = TableState(level: level, path: path)
        // The scanner's diagnostics come first, then the header's, then the rows' (the order of a scan
        // of the whole table followed by the rows): each goes to its own collector until the end.
        let before = diagnostics
        diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
        rowDiagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
        var scanner = DiagnosticCollector(limit: limits.maxDiagnostics)
        func read(_ row: CSVRow) {
            if checkpoint.stop(at: SourceRange(file: path, line: row.line, column: 1)) { return }
            guard sawHeader else {
                header = row.record
                sawHeader = true
                if let found = readHeaderRow(header, path: path, level: level, parent: parent) {
                    columns = found
                    readable = true
                }
                return
            }
            guard readable, checkWidth(row, header: header) else { return }
            table.idColumn = columns.id
            readRow(row, columns: columns, level: level, table: &table)
        }
        let ending: CSVFileChunks.Ending
        switch text {
        case .loaded(let file):
            let separator = separator ?? CSVTable.separators[0]
            table.decimalComma = separator != CSVTable.separators[0]
            let scanned = CSVTable.scan(
                file, separator: separator, maxFieldLength: limits.maxScalarLength, diagnostics: &scanner, read)
            precondition(scanned, "a table without syntax errors scans to its end")
            ending = .done
        case .path:
            guard let chunks else { return .unreadable }
            var line = 1
            var consumed = 0
            var foreseen = false
            let l = FactStore.levelIndex(level)
            let entitiesBefore = pending[l].count
            ending = chunks.forEachPiece { piece in
                // A piece has no quote, so it cannot hold a syntax error.
                if separator == nil {
                    separator = CSVTable.separator(of: piece)
                    table.decimalComma = separator != CSVTable.separators[0]
                }
                _ = CSVTable.scan(
                    piece, path: path, separator: separator ?? CSVTable.separators[0], line: &line,
                    maxFieldLength: limits.maxScalarLength, diagnostics: &scanner, read)
                consumed += piece.count
                // After the first megabyte, room for as many entities again as its share of the file
                // foretells (a large table then grows its lists once, not ten times over).
                guard !foreseen, consumed >= 1 << 20, consumed < chunks.size else { return }
                foreseen = true
                let seen = pending[l].count - entitiesBefore
                // At most a million, more than ten times the hamlets of the whole country, so that a crafted file
                // dense only at its start cannot make the reader reserve gigabytes it will not fill.
                let expected = min(Int(Double(seen) * Double(chunks.size) / Double(consumed) * 1.02) - seen, 1 << 20)
                guard expected > 0 else { return }
                pending[l].reserveCapacity(pending[l].count + expected)
                locationOfID.reserveCapacity(locationOfID.count + expected)
            }
        }
        let fromHeader = diagnostics
        diagnostics = before
        for part in [scanner, fromHeader, rowDiagnostics] {
            diagnostics.emit(contentsOf: part.diagnostics)
            diagnostics.drop(part.dropped)
        }
        rowDiagnostics = DiagnosticCollector()
        if !sawHeader {
            error(
                "csv.missing-column", .vi("\(path) trống", en: "\(path) is empty"), at: SourceRange(file: path, line: 1, column: 1),
                hint: .vi("dòng đầu tiên ghi tên các cột: id,name,…", en: "the first line names the columns: id,name,…"))
        }
        return ending
    }

    /// Checks the header row; returns the column roles, or `nil` when the table cannot be read.
    mutating func readHeaderRow(_ header: CSVRecord, path: String, level: Level, parent: Level?) -> Columns? {
        return readHeader(header, path: path, level: level, parent: parent)
    }

    /// What a table's rows share while it is read.
    struct TableState {
        let level: Level
        let path: String
        var fileID: Int32 = -1
        /// The last row's id and its entity's index, to skip the lookup for an entity's next rows.
        var lastID: String = ""
        var lastIndex = -1
        /// The column of `id`.
        var idColumn = 0
        /// The years seen, each with a slot in `yearRows` and `storeColumns`.
        var years: [Int] = []
        /// For each year, where the row that gave it is for each entity of the table (line << 32 |
        /// column), for duplicate-row reports; 0 when there is none yet.
        var yearRows: [[UInt64]] = []
        /// For each year, the store's column of each fact column (found on the year's first fact).
        var storeColumns: [[Int]] = []
        /// Whether numbers may be written with a decimal comma (`57,14`): in a table separated by `;` or
        /// tabs, as Excel writes where the comma is the decimal mark.
        var decimalComma = false

        /// The slot of a year, made on first sight (a table has few years).
        mutating func slot(of year: Int) -> Int {
            if let k = years.firstIndex(of: year) { return k }
            years.append(year)
            yearRows.append([])
            storeColumns.append([])
            return years.count - 1
        }

        init(level: Level, path: String) {
            self.level = level
            self.path = path
        }
    }

    mutating func readRow(_ row: CSVRow, columns: Columns, level: Level, table: inout TableState) {
        let id = columns.id
        let year = columns.year
        if row.isEmpty(id) {
            rowError("data.missing-key", .vi("dòng chưa có 'id'", en: "the row has no 'id'"), at: row.range(id), hint: .vi("hãy ghi mã của \(level.vietnamese) ở cột 'id'", en: "write the \(level.name)'s code in column 'id'"))
            return
        }
        // Ids are compared exactly: no space around them, no invisible character in them. A row that
        // goes on with the last row's entity has the very bytes of an id already checked.
        let sameAsLast = table.lastIndex >= 0 && row.field(id, equals: table.lastID)
        var clean = sameAsLast || (checkIDCharacters(row, id, column: "id") && checkWhitespace(row, id, column: "id"))
        if let parent = columns.parent, columns.parentLevel != nil {
            let column = columns.parentName
            clean = (checkIDCharacters(row, parent, column: column) && checkWhitespace(row, parent, column: column)) && clean
        }
        if let parent = columns.alternateParent, columns.alternateLevel != nil {
            let column = columns.alternateName
            clean = (checkIDCharacters(row, parent, column: column) && checkWhitespace(row, parent, column: column)) && clean
        }
        clean = checkWhitespace(row, year, column: "year") && clean
        guard clean else { return }
        if row.isEmpty(columns.name) {
            rowError(
                "data.missing-key", .vi("dòng của \(QuotedInput.quote(row.text(id))) chưa có 'name'", en: "the row of \(QuotedInput.quote(row.text(id))) has no 'name'"), at: row.range(columns.name),
                hint: .vi("hãy ghi tên tiếng Việt của \(level.vietnamese) ở cột 'name', trên mọi dòng", en: "write the \(level.name)'s Vietnamese name in column 'name', on every row"))
        }
        // The parent cell: the first parent column's, or the second's (a commune directly under the province).
        var parentCell = columns.parent
        if let alternate = columns.alternateParent, parentCell.map({ row.isEmpty($0) }) ?? true {
            parentCell = alternate
        } else if let alternate = columns.alternateParent, !row.isEmpty(alternate), let first = columns.parentLevel,
            let second = columns.alternateLevel
        {
            rowError(
                "csv.inconsistent-row",
                .vi("dòng của \(QuotedInput.quote(row.text(id))) ghi cả \(first.vietnamese) ('\(CSVDatasetReader.parentColumn(first))') lẫn \(second.vietnamese) ('\(CSVDatasetReader.parentColumn(second))')", en: "the row of \(QuotedInput.quote(row.text(id))) names both a \(first.name) ('\(CSVDatasetReader.parentColumn(first))') and a \(second.name) ('\(CSVDatasetReader.parentColumn(second))')"),
                at: row.range(alternate),
                hint: .vi("hãy để trống một trong hai: xã thuộc huyện đến hết ngày 30/06/2025, từ đó trực thuộc tỉnh", en: "leave one of the two empty: a commune sits under a district until 2025-06-30, directly under the province since"))
        }
        if let parent = parentCell, row.isEmpty(parent), let parentLevel = columns.parentLevel {
            let names = ([parentLevel] + (columns.alternateLevel.map { [$0] } ?? [])).map { "'\(CSVDatasetReader.parentColumn($0))'" }
            rowError(
                "data.missing-key",
                .vi("dòng của \(QuotedInput.quote(row.text(id))) chưa có \(names.joined(separator: " hoặc "))", en: "the row of \(QuotedInput.quote(row.text(id))) has no \(names.joined(separator: " or "))"),
                at: row.range(parent), hint: .vi("hãy ghi mã của \(parentLevel.vietnamese) mà đơn vị này trực thuộc", en: "write the id of the \(parentLevel.name) it belongs to"))
        }
        let group = columns.group.flatMap { readGroup(row, $0, level: level) }

        // Find or create the entity. An entity's rows usually follow each other: the id is then
        // compared with the last row's bytes, without a lookup.
        let l = FactStore.levelIndex(level)
        let index: Int
        if sameAsLast {
            index = table.lastIndex
            compareWithFirstRow(row, columns: columns, level: level, index: index, group: group, table: table)
        } else {
            let idText = row.text(id)
            let new = pending[l].count
            // One hashing for the usual case, a new id: insert, and put back what was there if any.
            if let known = locationOfID.updateValue((level, new), forKey: idText) {
                locationOfID[idText] = known
                guard known.level == level else {
                    let first = pending[FactStore.levelIndex(known.level)][known.index].idAt
                    let firstRange = SourceRange(file: tablePaths[known.level] ?? "", line: Int(first.0), column: Int(first.1))
                    rowError(
                        "data.duplicate-id",
                        .vi("mã \(QuotedInput.quote(idText)) bị lặp: nó đã là một \(known.level.vietnamese) trong \(CSVDatasetReader.tableName(known.level))", en: "duplicate id \(QuotedInput.quote(idText)): it is already a \(known.level.name) in \(CSVDatasetReader.tableName(known.level))"),
                        at: row.range(id), hint: .vi("mỗi đơn vị cần một mã riêng, không trùng trong cả bộ dữ liệu", en: "every entity needs its own id, unique in the whole dataset"),
                        notes: [DiagnosticNote(.vi("dùng lần đầu ở đây", en: "first used here"), at: firstRange)])
                    return
                }
                index = known.index
                compareWithFirstRow(row, columns: columns, level: level, index: index, group: group, table: table)
            } else {
                index = new
                store.reserve(index + 1, at: level)
                func at(_ column: Int?) -> (Int32, Int32) {
                    guard let column else { return (0, 0) }
                    return (Int32(row.cells[column].line), Int32(row.cells[column].column))
                }
                pending[l].append(
                    PendingEntity(
                        id: idText, name: row.text(columns.name), parent: parentCell.map { row.text($0) },
                        idAt: at(id), nameAt: at(columns.name), parentAt: at(parentCell),
                        underAlternate: parentCell != nil && parentCell == columns.alternateParent))
                if let column = columns.group, !row.isEmpty(column) {
                    groups[l][index] = PendingGroup(value: group, text: row.text(column), at: at(column))
                }
                if let column = columns.kind {
                    kinds[l][index] = PendingKind(value: readKind(row, column, id: idText, level: level), text: row.text(column), at: at(column))
                }
            }
            table.lastID = idText
            table.lastIndex = index
        }

        // The year and the facts.
        let firstFact = columns.cells.firstIndex { !row.isEmpty($0.column) }
        if row.isEmpty(year) {
            if let first = firstFact {
                rowError(
                    "data.invalid-year",
                    .vi("dòng của \(QuotedInput.quote(row.text(id))) có dữ kiện nhưng chưa có 'year' (dữ kiện đầu tiên: '\(columns.facts[first].input.name)')", en: "the row of \(QuotedInput.quote(row.text(id))) has facts but no 'year' (first fact: '\(columns.facts[first].input.name)')"),
                    at: row.range(year), hint: .vi("hãy ghi năm mà các dữ kiện mô tả, ví dụ 2024", en: "write the year the facts describe, such as 2024"))
            }
            return
        }
        guard let yearValue = Self.year(row.bytes(year)) else {
            rowError(
                "data.invalid-year", .vi("cột 'year' cần một năm 4 chữ số như 2024, nhưng gặp \(QuotedInput.quote(row.text(year)))", en: "column 'year' expects a 4-digit year such as 2024, found \(QuotedInput.quote(row.text(year)))"),
                at: row.range(year), hint: .vi("hãy ghi năm mà các dữ kiện mô tả, ví dụ 2024", en: "write the year the facts describe, such as 2024"))
            return
        }
        let yearCell = row.cells[year]
        let mark = UInt64(UInt32(truncatingIfNeeded: yearCell.line)) << 32 | UInt64(UInt32(truncatingIfNeeded: yearCell.column))
        let slot = table.slot(of: yearValue)
        let previous = index < table.yearRows[slot].count ? table.yearRows[slot][index] : 0
        if previous != 0 {
            let first = SourceRange(file: table.path, line: Int(previous >> 32), column: Int(previous & 0xFFFF_FFFF))
            rowError(
                "csv.duplicate-row",
                .vi("\(QuotedInput.quote(row.text(id))) đã có một dòng cho năm \(yearValue) trong \(CSVDatasetReader.tableName(level)) (dòng \(first.start.line))", en: "\(QuotedInput.quote(row.text(id))) already has a row for \(yearValue) in \(CSVDatasetReader.tableName(level)) (line \(first.start.line))"),
                at: row.range(year), hint: .vi("hãy gộp hai dòng: mỗi \(level.vietnamese) mỗi năm một dòng", en: "merge the two rows: one row per \(level.name) and year"),
                notes: [DiagnosticNote(.vi("dòng đầu tiên cho năm \(yearValue)", en: "the first row for \(yearValue)"), at: first)])
            return
        }
        Self.put(mark, at: index, in: &table.yearRows[slot])
        guard firstFact != nil else { return }
        if table.fileID < 0 { table.fileID = store.fileID(table.path) }
        if table.storeColumns[slot].isEmpty {
            table.storeColumns[slot] = columns.facts.map { store.column(level: level, name: $0.input.name, year: yearValue) }
        }
        for k in columns.cells.indices where !row.isEmpty(columns.cells[k].column) {
            let column = columns.cells[k].column
            let cell = row.cells[column]
            let typed =
                Self.typed(row, columns.cells[k])
                ?? FactTyping.stored(
                    table.decimalComma ? Self.decimalPoint(row.text(column), for: columns.facts[k].input) : row.text(column),
                    written: .csv, for: columns.facts[k].input)
            switch typed {
            case .success(let value):
                store.set(value, fileID: table.fileID, line: cell.line, column: cell.column, in: table.storeColumns[slot][k], position: index)
            case .failure(let problem):
                rowError("data.wrong-type", LocalizedText.vi("cột ", en: "column ").appending(problem.message), at: row.range(column), hint: problem.hint)
            }
        }
    }

    /// Compares a later row of an entity with its first row (name, parent, group).
    mutating func compareWithFirstRow(_ row: CSVRow, columns: Columns, level: Level, index: Int, group: Int?, table: TableState) {
        let l = FactStore.levelIndex(level)
        compare(row, columns.name, with: pending[l][index].name, at: pending[l][index].nameAt, column: "name", table: table)
        let usedAlternate = pending[l][index].underAlternate
        if let parent = usedAlternate ? columns.alternateParent : columns.parent, let first = pending[l][index].parent {
            compare(
                row, parent, with: first, at: pending[l][index].parentAt,
                column: (usedAlternate ? columns.alternateLevel : columns.parentLevel).map(CSVDatasetReader.parentColumn) ?? "",
                table: table)
        }
        if let kindColumn = columns.kind, let first = kinds[l][index] {
            compare(row, kindColumn, with: first.text, at: first.at, column: "kind", table: table)
        }
        if let groupColumn = columns.group, !row.isEmpty(groupColumn) {
            if let first = groups[l][index] {
                compare(row, groupColumn, with: first.text, at: first.at, column: "group", table: table)
            } else {
                let cell = row.cells[groupColumn]
                groups[l][index] = PendingGroup(value: group, text: row.text(groupColumn), at: (Int32(cell.line), Int32(cell.column)))
            }
        }
    }

    private static func put(_ mark: UInt64, at index: Int, in marks: inout [UInt64]) {
        while marks.count <= index { marks.append(0) }
        marks[index] = mark
    }

    /// A fact cell typed without building a `String` — booleans, plain whole numbers and enumeration
    /// values, as `FactTyping.value(_:written: .csv, for:)` types them — or `nil` for the general case.
    static func typed(_ row: CSVRow, _ fact: FactCell) -> Result<FactStore.Stored, FactTyping.Problem>? {
        let bytes = row.bytes(fact.column)
        switch fact.kind {
        case .bool:
            if row.field(fact.column, equals: "true") { return .success(.bool(true)) }
            if row.field(fact.column, equals: "false") { return .success(.bool(false)) }
        case .integer:
            if let n = FactTyping.plainInteger(bytes) { return .success(.integer(n)) }
        case .enumeration:
            for k in fact.values.indices where row.field(fact.column, equals: fact.values[k]) {
                return .success(.value(.text(fact.values[k])))
            }
        case .other:
            break
        }
        return nil
    }

    /// A number or percentage written with a decimal comma (`57,14`, `-0,5`, `57,14%`) in the form the
    /// typing reads (`57.14`); any other text unchanged, so that its error names what was written.
    static func decimalPoint(_ text: String, for input: InputDeclaration) -> String {
        guard input.type == .number || input.type == .percent else { return text }
        let body = text.hasSuffix("%") ? text.dropLast() : Substring(text)
        let digits = body.hasPrefix("-") ? body.dropFirst() : body
        let parts = digits.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return text }
        return text.replacingOccurrences(of: ",", with: ".")
    }

    /// The year a `year` cell names: exactly four digits, not starting with 0 (as `FactTyping.year`).
    static func year(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count == 4, bytes[0] != UInt8(ascii: "0") else { return nil }
        var n = 0
        for b in bytes {
            let d = b &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            n = n * 10 + Int(d)
        }
        return n
    }

    /// Reports a cell that disagrees with the entity's first row.
    mutating func compare(
        _ row: CSVRow, _ column: Int, with first: String, at place: (Int32, Int32), column name: String, table: TableState
    ) {
        guard !row.field(column, equals: first) else { return }
        let id = row.text(table.idColumn)
        let text = row.text(column)
        let firstRange = SourceRange(file: table.path, line: Int(place.0), column: Int(place.1))
        rowError(
            "csv.inconsistent-row",
            .vi("cột '\(name)' của \(QuotedInput.quote(id)) ở đây là \(QuotedInput.quote(text)) nhưng ở dòng \(firstRange.start.line) là \(QuotedInput.quote(first))", en: "column '\(name)' of \(QuotedInput.quote(id)) is \(QuotedInput.quote(text)) here but \(QuotedInput.quote(first)) on line \(firstRange.start.line)"),
            at: row.range(column), hint: .vi("các dòng của một đơn vị phải thống nhất về \(name); hãy sửa một trong hai", en: "an entity's rows must agree on its \(name); correct one of them"),
            notes: [DiagnosticNote(.vi("dòng đầu tiên ghi \(QuotedInput.quote(first))", en: "the first row says \(QuotedInput.quote(first))"), at: firstRange)])
    }

    /// A group cell: empty, or one of the level's groups.
    mutating func readGroup(_ row: CSVRow, _ column: Int, level: Level) -> Int? {
        if row.isEmpty(column) { return nil }
        if let group = level.group(row.text(column)) { return group }
        let choices = level.groupChoices
        rowError(
            "data.wrong-type", .vi("cột 'group' cần \(choices.vi), nhưng gặp \(QuotedInput.quote(row.text(column)))", en: "column 'group' expects \(choices.english), found \(QuotedInput.quote(row.text(column)))"), at: row.range(column),
            hint: .vi("hãy ghi nhóm của \(level.vietnamese): \(choices.vi), hoặc để trống ô", en: "write the \(level.english)'s group: \(choices.english), or leave the cell empty"))
        return nil
    }

    /// A `kind` cell: one of the level's kinds; an empty or other cell is reported.
    mutating func readKind(_ row: CSVRow, _ column: Int, id: String, level: Level) -> String? {
        let found = row.text(column)
        if let kind = level.kind(found) { return kind }
        let names = level.kinds.map(\.value)
        rowError(
            "data.wrong-type",
            found.isEmpty
                ? .vi("dòng của \(QuotedInput.quote(id)) chưa có 'kind'", en: "the row of \(QuotedInput.quote(id)) has no 'kind'")
                : .vi("cột 'kind' cần một trong các giá trị \(names.joined(separator: ", ")), nhưng gặp \(QuotedInput.quote(found))", en: "column 'kind' expects one of \(names.joined(separator: ", ")), found \(QuotedInput.quote(found))"),
            at: row.range(column),
            hint: Suggestion.hint(for: found, among: names)
                ?? .vi("hãy viết \(level.kindChoices.vi)", en: "write \(level.kindChoices.english)"))
        return nil
    }

    // MARK: Linking

    /// Resolves parent ids and lays the entities out parents first, each followed by its
    /// descendants (the order a nested document has).
    /// Returns the entities (their facts are in `store`) and each one's position within its level.
    mutating func link(top: Level) -> ([Entity], [Int]) {
        // The children of each level, by the index of their parent in its level.
        var childrenOf: [Level: [[Int]]] = [:]
        var childrenOfAlternate: [Level: [[Int]]] = [:]
        for (level, primary) in parentLevels.sorted(by: { $0.key.depth < $1.key.depth }) {
          for parentLevel in [primary] + (alternateParents[level].map { [$0] } ?? []) {
            let alternate = parentLevel != primary
            var kids = Array(repeating: [Int](), count: pending[FactStore.levelIndex(parentLevel)].count)
            let list = pending[FactStore.levelIndex(level)]
            let column = CSVDatasetReader.parentColumn(parentLevel)
            for (index, item) in list.enumerated() where item.underAlternate == alternate {
                guard let parentID = item.parent, !parentID.isEmpty else { continue }
                guard let known = locationOfID[parentID], known.level == parentLevel else {
                    let elsewhere = locationOfID[parentID].map { LocalizedText.vi(" (đây là một \($0.level.vietnamese))", en: " (it is a \($0.level.name))") } ?? .same("")
                    let ids = pending[FactStore.levelIndex(parentLevel)].map(\.id)
                    error(
                        "data.unknown-parent",
                        .vi("cột '\(column)' ghi \(QuotedInput.quote(parentID)), nhưng đó không phải là \(parentLevel.vietnamese) trong \(CSVDatasetReader.tableName(parentLevel))\(elsewhere.vi)", en: "column '\(column)' names \(QuotedInput.quote(parentID)), which is not a \(parentLevel.name) in \(CSVDatasetReader.tableName(parentLevel))\(elsewhere.english)"),
                        at: SourceRange(file: tablePaths[level] ?? "", line: Int(item.parentAt.0), column: Int(item.parentAt.1)),
                        hint: Suggestion.hint(for: parentID, among: ids)
                            ?? .vi("hãy ghi mã của một \(parentLevel.vietnamese) có trong \(CSVDatasetReader.tableName(parentLevel))", en: "write the id of a \(parentLevel.name) listed in \(CSVDatasetReader.tableName(parentLevel))"))
                    continue
                }
                kids[known.index].append(index)
            }
            if alternate { childrenOfAlternate[level] = kids } else { childrenOf[level] = kids }
          }
        }
        // The ids are looked up no more: their table goes before the entities are made (it is a
        // sixth of the memory of a large dataset at this point).
        locationOfID = [:]
        var entities: [Entity] = []
        var positions: [Int] = []
        let total = pending.reduce(0) { $0 + $1.count }
        entities.reserveCapacity(total)
        positions.reserveCapacity(total)
        var stack: [(level: Level, index: Int, parent: Int?)] =
            pending[FactStore.levelIndex(top)].indices.reversed().map { (top, $0, nil) }
        // For each level, the child tables to lay out under one of its entities (alternate first, so
        // that they come after), worked out once rather than per entity.
        let pushes: [[(child: Level, alternate: Bool)]] = inputs.map.levels.map { level in
            level.children.reversed().flatMap { child -> [(child: Level, alternate: Bool)] in
                (alternateParents[child] == level ? [(child, true)] : []) + (parentLevels[child] == level ? [(child, false)] : [])
            }
        }
        while let (level, index, parent) = stack.popLast() {
            let item = pending[FactStore.levelIndex(level)][index]
            let position = entities.count
            entities.append(
                Entity(
                    id: item.id, name: item.name, level: level, parent: parent, group: groups[level.index][index]?.value,
                    kind: kinds[level.index][index]?.value,
                    range: SourceRange(file: tablePaths[level] ?? "", line: Int(item.idAt.0), column: Int(item.idAt.1))))
            positions.append(index)
            if let parent { entities[parent].children.append(position) }
            for (child, alternate) in pushes[FactStore.levelIndex(level)] {
                if let kids = alternate ? childrenOfAlternate[child]?[index] : childrenOf[child]?[index] {
                    stack.append(contentsOf: kids.reversed().map { (child, $0, position) })
                }
            }
        }
        return (entities, positions)
    }
}
