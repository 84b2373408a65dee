import Foundation

/// Writes an Excel workbook (`.xlsx`): sheets of text, number and boolean cells, with a bold (or
/// noted) header, frozen header rows, column widths and drop-down lists (data validation).
///
/// The parts are the smallest set Excel, LibreOffice and openpyxl open without a repair: content
/// types, the package and workbook relations, a workbook, a style sheet and one part per sheet. Text
/// is written as inline strings; a character XML cannot hold is escaped as OOXML does (`_x001B_`).
/// The container is zipped by ZIPFoundation with a fixed date, so the same sheets give the same bytes.
package enum XLSXWriter {
    /// How a cell looks.
    package enum Style: Int, Sendable, Hashable {
        /// Plain.
        case plain = 0
        /// Bold: a header.
        case header = 1
        /// Italic grey: a note row.
        case note = 2
        /// Text wrapped in its cell: reasons, long sentences.
        case wrapped = 3
    }

    /// One cell.
    package struct Cell: Sendable, Hashable {
        /// What the cell holds.
        package enum Value: Sendable, Hashable {
            /// Text.
            case text(String)
            /// A number, as exact decimal text (`12`, `-0.5`).
            case number(String)
            /// A boolean.
            case bool(Bool)
        }

        /// What the cell holds.
        package var value: Value
        /// How it looks.
        package var style: Style

        /// A cell of text.
        package static func text(_ text: String, _ style: Style = .plain) -> Cell { Cell(value: .text(text), style: style) }
        /// A cell of a number written as exact decimal text; text that is not a plain decimal is written as text.
        package static func number(_ text: String, _ style: Style = .plain) -> Cell {
            let plain = text.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil
            return Cell(value: plain ? .number(text) : .text(text), style: style)
        }
        /// A boolean cell.
        package static func bool(_ value: Bool, _ style: Style = .plain) -> Cell { Cell(value: .bool(value), style: style) }
    }

    /// A drop-down list on a column: the values a cell of it may take.
    package struct DropDown: Sendable, Hashable {
        /// The 1-based column.
        package var column: Int
        /// The rows it covers, 1-based.
        package var rows: ClosedRange<Int>
        /// The values offered.
        package var values: [String]

        /// Creates a drop-down list.
        package init(column: Int, rows: ClosedRange<Int>, values: [String]) {
            self.column = column
            self.rows = rows
            self.values = values
        }
    }

    /// One sheet.
    package struct Sheet: Sendable, Hashable {
        /// The tab's name (at most 31 characters, none of `[]:*?/\`; cut and cleaned when written).
        package var name: String
        /// The rows, from row 1; `nil` leaves a cell empty.
        package var rows: [[Cell?]]
        /// Widths of columns, in characters, by 1-based column.
        package var widths: [Int: Int]
        /// How many rows from the top stay in view when scrolling (the header).
        package var frozenRows: Int
        /// Drop-down lists.
        package var dropDowns: [DropDown]

        /// Creates a sheet.
        package init(name: String, rows: [[Cell?]], widths: [Int: Int] = [:], frozenRows: Int = 1, dropDowns: [DropDown] = []) {
            self.name = name
            self.rows = rows
            self.widths = widths
            self.frozenRows = frozenRows
            self.dropDowns = dropDowns
        }
    }

    /// The bytes of a workbook of these sheets (at least one).
    ///
    /// - Throws: when the container cannot be written (never for sheets in memory in practice).
    package static func data(_ sheets: [Sheet]) throws -> Data {
        let sheets = sheets.isEmpty ? [Sheet(name: "Sheet1", rows: [])] : sheets
        var names: [String] = []
        for sheet in sheets {
            var name = String(sheet.name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
            if name.isEmpty { name = "Sheet\(names.count + 1)" }
            var unique = name
            var n = 2
            while names.contains(where: { $0.lowercased() == unique.lowercased() }) {
                unique = String(name.prefix(28)) + " \(n)"
                n += 1
            }
            names.append(unique)
        }
        var parts: [(String, String)] = []
        let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        parts.append(
            (
                "[Content_Types].xml",
                header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                    + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                    + #"<Default Extension="xml" ContentType="application/xml"/>"#
                    + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
                    + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
                    + sheets.indices.map {
                        #"<Override PartName="/xl/worksheets/sheet\#($0 + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
                    }.joined() + "</Types>"
            ))
        parts.append(
            (
                "_rels/.rels",
                header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                    + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
                    + "</Relationships>"
            ))
        parts.append(
            (
                "xl/workbook.xml",
                header + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
                    + "<sheets>" + names.enumerated().map { #"<sheet name="\#(escape($1))" sheetId="\#($0 + 1)" r:id="rId\#($0 + 1)"/>"# }.joined()
                    + "</sheets></workbook>"
            ))
        parts.append(
            (
                "xl/_rels/workbook.xml.rels",
                header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                    + sheets.indices.map {
                        #"<Relationship Id="rId\#($0 + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#($0 + 1).xml"/>"#
                    }.joined()
                    + #"<Relationship Id="rId\#(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
                    + "</Relationships>"
            ))
        parts.append(("xl/styles.xml", header + styles))
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", header + worksheet(sheet)))
        }
        // A fixed date inside: the same sheets, the same bytes.
        return try ZipWriter.data(parts.map { ($0.0, Data($0.1.utf8)) })
    }

    /// The style sheet: the four `Style`s, in their raw order.
    static let styles =
        #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font><font><i/><sz val="10"/><color rgb="FF595959"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
        + #"<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>"#
        + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"

    /// One sheet's part.
    package static func worksheet(_ sheet: Sheet) -> String {
        var out = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        if sheet.frozenRows > 0 {
            let top = "A\(sheet.frozenRows + 1)"
            out += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="\#(sheet.frozenRows)" topLeftCell="\#(top)" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        }
        if !sheet.widths.isEmpty {
            out += "<cols>"
            for (column, width) in sheet.widths.sorted(by: { $0.key < $1.key }) {
                out += #"<col min="\#(column)" max="\#(column)" width="\#(max(4, min(120, width)))" customWidth="1"/>"#
            }
            out += "</cols>"
        }
        out += "<sheetData>"
        for (r, row) in sheet.rows.enumerated() {
            out += #"<row r="\#(r + 1)">"#
            for (c, cell) in row.enumerated() {
                guard let cell else { continue }
                let reference = SourceRange.columnName(c + 1) + String(r + 1)
                let style = cell.style == .plain ? "" : #" s="\#(cell.style.rawValue)""#
                switch cell.value {
                case .text(let text):
                    let space = text.first?.isWhitespace == true || text.last?.isWhitespace == true ? #" xml:space="preserve""# : ""
                    out += #"<c r="\#(reference)"\#(style) t="inlineStr"><is><t\#(space)>\#(escape(text))</t></is></c>"#
                case .number(let text):
                    out += #"<c r="\#(reference)"\#(style)><v>\#(text)</v></c>"#
                case .bool(let value):
                    out += #"<c r="\#(reference)"\#(style) t="b"><v>\#(value ? 1 : 0)</v></c>"#
                }
            }
            out += "</row>"
        }
        out += "</sheetData>"
        let lists = sheet.dropDowns.filter { !$0.values.isEmpty }
        if !lists.isEmpty {
            out += #"<dataValidations count="\#(lists.count)">"#
            for list in lists {
                let column = SourceRange.columnName(list.column)
                // A list written in the formula holds at most 255 characters; longer lists are not offered.
                let formula = "\"" + list.values.map { $0.replacingOccurrences(of: "\"", with: "\"\"") }.joined(separator: ",") + "\""
                guard formula.count <= 257 else { continue }
                out += #"<dataValidation type="list" allowBlank="1" showErrorMessage="1" sqref="\#(column)\#(list.rows.lowerBound):\#(column)\#(list.rows.upperBound)"><formula1>\#(escape(formula))</formula1></dataValidation>"#
            }
            out += "</dataValidations>"
        }
        out += "</worksheet>"
        return out
    }

    /// Text for XML: `&`, `<`, `>`, `"` as entities; characters XML 1.0 cannot hold, and `_x` that
    /// would read as an escape, in OOXML's `_xHHHH_` form.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": out += "_x000D_"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        // A literal `_xHHHH_` in the text is escaped by escaping its underscore.
        if out.contains("_x"), text.range(of: "_x[0-9A-Fa-f]{4}_", options: .regularExpression) != nil {
            var fixed = ""
            var rest = Substring(text)
            while let match = rest.range(of: "_x[0-9A-Fa-f]{4}_", options: .regularExpression) {
                fixed += escape(String(rest[..<match.lowerBound])) + "_x005F_" + escape(String(rest[rest.index(after: match.lowerBound)..<match.upperBound]))
                rest = rest[match.upperBound...]
            }
            return fixed + escape(String(rest))
        }
        return out
    }
}
