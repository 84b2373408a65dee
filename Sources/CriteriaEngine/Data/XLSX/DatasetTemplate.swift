import Foundation

/// An empty dataset for a commune or province to fill in (`criteria template`): one table per level
/// that the criteria in force on a date need, with every declared input of the level as a column.
///
/// A table is a header row of column names (what the reader reads), then a **note row** of Vietnamese
/// column notes from the input labels (unit, type, values), then **one example row** marked
/// `# ví dụ — xoá dòng này`. Both start with `#` in column A, so the workbook reader skips them
/// (`XLSXDatasetReader`): a template read back as it is holds no entity. In a workbook, boolean, enum,
/// `kind` and `group` columns carry drop-down lists. A folder of CSV tables has the header rows only,
/// with the notes and examples in `HUONG-DAN.txt` beside them (the CSV reader reads every row).
package struct DatasetTemplate: Sendable {
    /// One table: its file name, its columns, the note and example of each column, and the values a
    /// column offers (empty: any).
    package struct Table: Sendable, Hashable {
        /// The CSV file name (`communes.csv`); the sheet is named without `.csv`.
        package var file: String
        /// The column names.
        package var columns: [String]
        /// The note of each column, in Vietnamese.
        package var notes: [String]
        /// The example value of each column (`nil`: empty).
        package var examples: [XLSXWriter.Cell?]
        /// The values each column offers in a drop-down list (empty: any).
        package var choices: [[String]]
    }

    /// The tables, highest level first.
    package var tables: [Table]

    /// The marker of the example row, in column A.
    package static let exampleMarker = "# ví dụ — xoá dòng này"

    /// The template for the criteria of a rule graph in force on a date.
    package init(graph: RuleGraph, asOf date: LocalDate) {
        let map = graph.inputs.map
        let inForce = graph.order.compactMap { graph.version(of: $0, on: date) }
        var levels = Set(inForce.map(\.level))
        // Every level's parents up to the top, through the levels that exist on the date (since
        // 2025-07-01, a commune's province rather than its abolished district).
        for level in levels {
            var current = level
            while let parent = current.parents.first(where: { $0.exists(on: date) }) {
                levels.insert(parent)
                current = parent
            }
        }
        if levels.isEmpty, let top = map.topDown.first { levels = [top] }
        let year = String(date.year)
        var tables = [
            Table(
                file: CSVDatasetReader.metadataName, columns: ["dataset", "synthetic", "description"],
                notes: ["# Phiên bản định dạng: luôn là 1", "Dữ liệu giả định? (true/false)", "Mô tả bộ dữ liệu"],
                examples: [.number("1"), .bool(false), .text("Số liệu năm \(year)")], choices: [[], ["true", "false"], []])
        ]
        for level in map.topDown where levels.contains(level) {
            let file = CSVDatasetReader.tableName(level)
            var columns = ["id", "name"]
            var notes = ["# Mã đơn vị (bắt buộc; giữ nguyên số 0 ở đầu)", "Tên \(level.vietnamese) (bắt buộc)"]
            var examples: [XLSXWriter.Cell?] = [.text(Self.exampleMarker), .text(Self.exampleName(level))]
            var choices: [[String]] = [[], []]
            if let parent = level.parents.first(where: { levels.contains($0) }) {
                columns.append(CSVDatasetReader.parentColumn(parent))
                notes.append("Mã \(parent.vietnamese) trực thuộc (bắt buộc)")
                examples.append(.text(Self.exampleID(parent)))
                choices.append([])
            }
            if let first = level.kinds.first {
                columns.append("kind")
                notes.append("Loại \(level.vietnamese): \(level.kinds.map(\.value).joined(separator: ", ")) (bắt buộc)")
                examples.append(.text(first.value))
                choices.append(level.kinds.map(\.value))
            }
            columns.append("year")
            notes.append("Năm của số liệu (4 chữ số)")
            examples.append(.number(year))
            choices.append([])
            if let first = level.groups.first {
                columns.append("group")
                notes.append("Nhóm \(level.vietnamese): \(level.groupChoices.vi) (nếu có)")
                examples.append(.number(String(first)))
                choices.append(level.groups.map(String.init))
            }
            for input in graph.inputs.declarations where input.level == level {
                columns.append(input.name)
                notes.append(Self.note(input))
                examples.append(Self.example(input.type))
                if case .enumeration(let values) = input.type {
                    choices.append(values)
                } else {
                    choices.append(input.type == .bool ? ["true", "false"] : [])
                }
            }
            tables.append(Table(file: file, columns: columns, notes: notes, examples: examples, choices: choices))
        }
        self.tables = tables
    }

    /// A column's note: the input's Vietnamese label, its unit and what to write.
    static func note(_ input: InputDeclaration) -> String {
        var note = input.label.vi
        if let unit = input.unit?.vi, !unit.isEmpty { note += " (\(unit))" }
        switch input.type {
        case .bool: note += " — đúng/sai: true hoặc false"
        case .count: note += " — số nguyên ≥ 0"
        case .number: note += " — số (dấu chấm thập phân)"
        case .percent: note += " — tỷ lệ: 70% hoặc 0.7"
        case .text: note += " — chữ"
        case .enumeration(let values):
            // The cell holds the code; the label `inputs.yaml` declares says what it means.
            note += " — một trong: " + values.map { value in input.valueLabels[value].map { "\(value) (\($0.vi))" } ?? value }.joined(separator: ", ")
        }
        return note + "; để trống nếu chưa biết"
    }

    static func example(_ type: InputType) -> XLSXWriter.Cell? {
        switch type {
        case .bool: .bool(true)
        case .count: .number("0")
        case .number: .number("0")
        case .percent: .text("70%")
        case .text: nil
        case .enumeration(let values): values.first.map { .text($0) }
        }
    }

    /// An example entity name: the level's Vietnamese word, capitalised, and "Ví Dụ" ("Xã Ví Dụ").
    static func exampleName(_ level: Level) -> String {
        level.vietnamese.prefix(1).uppercased() + level.vietnamese.dropFirst() + " Ví Dụ"
    }

    /// An example id of the shape an entity of the level's depth has (`38`, `380`, `16001`, `16001-01`).
    static func exampleID(_ level: Level) -> String {
        ["38", "380", "16001"].dropFirst(level.depth).first ?? "16001-01"
    }

    /// The template as workbook sheets: header, note row, example row; drop-down lists on rows 3 to 1,000.
    package var sheets: [XLSXWriter.Sheet] {
        tables.map { table in
            let header: [XLSXWriter.Cell?] = table.columns.map { .text($0, .header) }
            let notes: [XLSXWriter.Cell?] = table.notes.enumerated().map { index, note in
                .text(index == 0 && !note.hasPrefix("#") ? "# " + note : note, .note)
            }
            var examples = table.examples
            if table.file == CSVDatasetReader.metadataName {
                // dataset.csv has one row, which is the example: it is kept, and it is not marked.
                return XLSXWriter.Sheet(
                    name: XLSXDatasetReader.sheetName(ofTable: table.file), rows: [header, notes, examples],
                    widths: [1: 14, 2: 14, 3: 40], frozenRows: 2,
                    dropDowns: [XLSXWriter.DropDown(column: 2, rows: 3...3, values: ["true", "false"])])
            }
            if examples.isEmpty { examples = [.text(Self.exampleMarker)] }
            var widths: [Int: Int] = [:]
            for (index, column) in table.columns.enumerated() { widths[index + 1] = max(12, min(40, column.count + 4)) }
            let dropDowns = table.choices.enumerated().compactMap { index, values in
                values.isEmpty ? nil : XLSXWriter.DropDown(column: index + 1, rows: 3...1000, values: values)
            }
            return XLSXWriter.Sheet(
                name: XLSXDatasetReader.sheetName(ofTable: table.file), rows: [header, notes, examples], widths: widths, frozenRows: 2,
                dropDowns: dropDowns)
        }
    }

    /// The template as an Excel workbook.
    package func workbook() throws -> Data { try XLSXWriter.data(sheets) }

    /// The template as CSV tables (file name → text): each table's header row; `dataset.csv` with its row.
    /// `HUONG-DAN.txt` holds the notes and an example row of every table.
    package var csvFiles: [String: String] {
        var files: [String: String] = [:]
        var guide = "Mẫu dữ liệu Criteria — hướng dẫn điền (tệp này không được đọc; các tệp .csv là bảng dữ liệu).\n"
        guide += "Mỗi bảng: dòng đầu là tên cột, mỗi dòng sau là một đơn vị trong một năm. Ô trống là chưa biết, không phải 0.\n"
        for table in tables {
            let header = table.columns.map(Self.csvCell).joined(separator: ",")
            if table.file == CSVDatasetReader.metadataName {
                files[table.file] = header + "\n" + table.examples.map { Self.csvCell(Self.text($0)) }.joined(separator: ",") + "\n"
            } else {
                files[table.file] = header + "\n"
            }
            guide += "\n\(table.file)\n"
            for (column, note) in zip(table.columns, table.notes) {
                guide += "  \(column): \(note.hasPrefix("# ") ? String(note.dropFirst(2)) : note)\n"
            }
            let example = table.examples.enumerated().map { index, cell in
                index == 0 && table.file != CSVDatasetReader.metadataName ? Self.exampleID(.commune) : Self.text(cell)
            }
            guide += "  ví dụ: " + example.map(Self.csvCell).joined(separator: ",") + "\n"
        }
        files["HUONG-DAN.txt"] = guide
        return files
    }

    static func text(_ cell: XLSXWriter.Cell?) -> String {
        switch cell?.value {
        case .text(let text): text
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case nil: ""
        }
    }

    static func csvCell(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
