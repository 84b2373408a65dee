import Foundation

/// Reads a dataset from an Excel workbook (`.xlsx`): one sheet per table, named like the CSV tables
/// without `.csv` (`province`, `districts`, `communes`, `hamlets`, `units`, `dataset`, `successions`),
/// with the same columns.
///
/// A sheet is only rows of cells: each table sheet is handed to the CSV tables' builder
/// (`CSVDatasetBuilder`) as the table it stands for, so every column, type and rule means the same as
/// in a CSV folder, and each diagnostic is placed back on its cell, `communes!B7`. The first row that
/// holds a cell is the header; a row whose column A starts with `#` is a note and is skipped (the
/// template's Vietnamese column notes and its example row, `criteria template`). A sheet with another
/// name is ignored, unless its name is close to a table's (`xlsx.unknown-sheet`, *did you mean*).
public enum XLSXDatasetReader {
    /// The sheet of each table: the CSV table's file name without `.csv`.
    package static func sheetName(ofTable file: String) -> String {
        file.hasSuffix(".csv") ? String(file.dropLast(4)) : file
    }

    /// The tables' sheet names for a map's levels, in the order a workbook lists them.
    package static func sheetNames(_ map: LevelMap) -> [String] {
        ([CSVDatasetReader.metadataName] + CSVDatasetReader.tableNames(map) + [CSVDatasetReader.successionsName])
            .map(sheetName(ofTable:))
    }

    /// Reads a workbook file.
    ///
    /// - Throws: `EnvironmentError` when it cannot be opened; `DiagnosticsError` with every problem.
    package static func read(path: String, inputs: InputCatalog, limits: Limits = .default) throws -> Dataset {
        let workbook = try XLSXWorkbook.read(path: path, bounds: XLSXWorkbook.Bounds(limits), wanted: { isTable($0, inputs.map) })
        return try read(workbook, inputs: inputs, limits: limits)
    }

    /// Reads a workbook held in memory, such as an upload; `name` names it in messages. The rows of
    /// its sheets are read as the CSV tables' are, looking at `cancellation` between them.
    ///
    /// - Throws: `DiagnosticsError` with every problem.
    package static func read(
        _ data: Data, name: String, inputs: InputCatalog, limits: Limits = .default, cancellation: CancellationToken? = nil
    ) throws(DiagnosticsError) -> Dataset {
        let workbook = try XLSXWorkbook.read(data, path: name, bounds: XLSXWorkbook.Bounds(limits), wanted: { isTable($0, inputs.map) })
        return try read(workbook, inputs: inputs, limits: limits, cancellation: cancellation)
    }

    /// Whether a sheet's name is a table's (letter case and spaces around it aside).
    static func isTable(_ name: String, _ map: LevelMap) -> Bool { table(named: name, map) != nil }

    /// The table file a sheet stands for, if any.
    static func table(named name: String, _ map: LevelMap) -> String? {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        let all = [CSVDatasetReader.metadataName, CSVDatasetReader.successionsName] + CSVDatasetReader.tableNames(map)
        return all.first { sheetName(ofTable: $0) == key || $0 == key }
    }

    /// Builds the dataset from a workbook's sheets.
    public static func read(
        _ workbook: XLSXWorkbook, inputs: InputCatalog, limits: Limits = .default, cancellation: CancellationToken? = nil
    ) throws(DiagnosticsError) -> Dataset {
        var problems: [Diagnostic] = []
        var tables: [Level: SourceFile] = [:]
        var metadata: SourceFile?
        var successions: SourceFile?
        var maps: [String: CellMap] = [:]
        for sheet in workbook.sheets {
            guard let file = table(named: sheet.name, inputs.map) else {
                if let close = Suggestion.closest(to: sheet.name.lowercased(), among: sheetNames(inputs.map)) {
                    let hint: LocalizedText = .vi("có phải trang \(QuotedInput.quote(close))? Đặt lại tên trang cho đúng tên bảng", en: "did you mean sheet \(QuotedInput.quote(close))? Rename the sheet to its table's name")
                    problems.append(
                        Diagnostic(
                            "xlsx.unknown-sheet", .error, .vi("trang \(QuotedInput.quote(sheet.name)) không phải một bảng Criteria đọc", en: "sheet \(QuotedInput.quote(sheet.name)) is not a table Criteria reads"), at:
                                SourceRange(file: workbook.path, sheet: sheet.name, row: 1, column: 1), hint: hint))
                }
                continue
            }
            let path = workbook.path + "/" + file
            guard maps[path] == nil else {
                problems.append(
                    Diagnostic(
                        "xlsx.duplicate-sheet", .error, .vi("bảng \(QuotedInput.quote(sheetName(ofTable: file))) có hai trang", en: "the table \(QuotedInput.quote(sheetName(ofTable: file))) has two sheets"), at:
                            SourceRange(file: workbook.path, sheet: sheet.name, row: 1, column: 1),
                        hint: .vi("gộp hai trang làm một, hoặc đổi tên một trang", en: "merge the two sheets into one, or rename one of them")))
                continue
            }
            let (text, map, outside) = csv(of: sheet, workbook: workbook.path)
            problems += outside
            maps[path] = map
            let source = SourceFile(path: path, text: text)
            if let level = CSVDatasetReader.level(ofTable: file, in: inputs.map) {
                tables[level] = source
            } else if file == CSVDatasetReader.metadataName {
                metadata = source
            } else {
                successions = source
            }
        }
        if tables.isEmpty {
            problems.append(
                Diagnostic(
                    "csv.missing-table", .error,
                    .vi("bảng tính không có trang nào của dữ liệu (các trang: \(workbook.sheetNames.map { QuotedInput.quote($0) }.joined(separator: ", ")))", en: "the workbook has no sheet of the data (its sheets: \(workbook.sheetNames.map { QuotedInput.quote($0) }.joined(separator: ", ")))"),
                    at: SourceRange(file: workbook.path, line: 1, column: 1),
                    hint: .vi("đặt tên mỗi trang theo bảng của nó: " + sheetNames(inputs.map).joined(separator: ", "), en: "name each sheet after its table: " + sheetNames(inputs.map).joined(separator: ", "))))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        do {
            var dataset = try CSVDatasetReader.read(
                tables: tables, metadata: metadata, successions: successions, source: workbook.path, inputs: inputs, limits: limits,
                cancellation: cancellation)
            dataset.notes = dataset.notes.map { relocate($0, maps, inputs.map) }
            return dataset
        } catch {
            throw DiagnosticsError(error.diagnostics.map { relocate($0, maps, inputs.map) })
        }
    }

    /// Where each cell of the CSV text made from a sheet came from.
    struct CellMap {
        var sheet: String
        var workbook: String
        /// Each cell's start in the text (line, column) and its place on the sheet (row, column), in order.
        var starts: [(line: Int, column: Int, row: Int, sheetColumn: Int)] = []

        /// The sheet place of a text place: the cell that starts at or before it.
        func place(_ location: SourceLocation) -> SourceRange {
            var low = 0
            var high = starts.count
            while low < high {
                let mid = (low + high) / 2
                if (starts[mid].line, starts[mid].column) <= (location.line, location.column) { low = mid + 1 } else { high = mid }
            }
            let cell = low > 0 ? starts[low - 1] : (line: 1, column: 1, row: 1, sheetColumn: 1)
            return SourceRange(file: workbook, sheet: sheet, row: cell.row, column: cell.sheetColumn)
        }
    }

    /// A sheet as CSV text: the header row, then each row that is not a note, its cells under the
    /// header's columns. Cells right of the header's last column are refused (`xlsx.cell-outside`).
    static func csv(of sheet: XLSXWorkbook.Sheet, workbook: String) -> (String, CellMap, [Diagnostic]) {
        var map = CellMap(sheet: sheet.name, workbook: workbook)
        var outside: [Diagnostic] = []
        var text = ""
        var line = 1
        guard let header = sheet.rows.first else {
            map.starts.append((1, 1, 1, 1))
            return ("", map, [])
        }
        let width = header.cells.last?.column ?? 1
        for row in sheet.rows {
            if row.number != header.number, let first = row.cells.first, first.column == 1, first.text.hasPrefix("#") { continue }
            var byColumn: [Int: String] = [:]
            for cell in row.cells {
                if cell.column > width {
                    outside.append(
                        Diagnostic(
                            "xlsx.cell-outside", .error,
                            .vi("ô nằm ngoài các cột của dòng tiêu đề (cột cuối là \(SourceRange.columnName(width)))", en: "the cell is outside the columns of the header row (the last is \(SourceRange.columnName(width)))"),
                            at: SourceRange(file: workbook, sheet: sheet.name, row: row.number, column: cell.column),
                            hint: .vi("đặt tên cột ở dòng \(header.number), hoặc xoá ô này", en: "name the column in row \(header.number), or delete this cell")))
                    continue
                }
                byColumn[cell.column] = cell.text
            }
            var column = 1
            for index in 1...width {
                if index > 1 {
                    text += ","
                    column += 1
                }
                map.starts.append((line, column, row.number, index))
                let value = byColumn[index] ?? ""
                let quoted = value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" || $0 == "\t" })
                let written = quoted ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
                text += written
                // Advance the place past what was written, counting the line ends inside a quoted cell.
                for scalar in written.unicodeScalars {
                    if scalar == "\n" {
                        line += 1
                        column = 1
                    } else {
                        column += 1
                    }
                }
                if written.unicodeScalars.contains("\r") {
                    // `\r\n` counts once and a lone `\r` as a line end, as the CSV reader counts them.
                    let crlf = written.components(separatedBy: "\r\n").count - 1
                    let cr = written.unicodeScalars.filter { $0 == "\r" }.count - crlf
                    line += cr
                }
            }
            text += "\n"
            line += 1
        }
        return (text, map, outside)
    }

    /// A diagnostic of the CSV text placed back on its sheet and cell, its table named as a sheet.
    static func relocate(_ diagnostic: Diagnostic, _ maps: [String: CellMap], _ levels: LevelMap) -> Diagnostic {
        var d = diagnostic
        func move(_ range: SourceRange?) -> SourceRange? {
            guard let range, let map = maps[range.file] else { return range }
            return map.place(range.start)
        }
        func rename(_ text: String, _ sheet: String) -> String {
            var text = text
            for file in CSVDatasetReader.tableNames(levels).sorted() + [CSVDatasetReader.metadataName, CSVDatasetReader.successionsName] {
                text = text.replacingOccurrences(of: file, with: "\(sheet) '\(sheetName(ofTable: file))'")
            }
            return text
        }
        func rename(_ text: LocalizedText) -> LocalizedText {
            LocalizedText(vi: rename(text.vi, "trang"), en: text.en.map { rename($0, "sheet") })
        }
        d.range = move(d.range)
        d.text = rename(d.text)
        d.hintText = d.hintText.map(rename)
        d.notes = d.notes.map { note in
            var note = note
            note.range = move(note.range)
            note.text = rename(note.text)
            return note
        }
        return d
    }
}
