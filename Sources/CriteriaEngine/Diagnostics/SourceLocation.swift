import Foundation

/// A point in a source file.
///
/// `line` and `column` are 1-based. `column` counts Unicode scalars (the unit libyaml and Yams use
/// for their marks), not bytes and not grapheme clusters.
public struct SourceLocation: Hashable, Comparable, Sendable, Codable {
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column, counted in Unicode scalars.
    public var column: Int

    /// Creates a location from a 1-based line and a 1-based column in Unicode scalars.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Orders locations by line, then column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A place in a named file: a start location and, where known, where it ends (exclusive).
public struct SourceRange: Hashable, Sendable, Codable {
    /// The path of the file as the user named it.
    public var file: String
    /// Where the range starts.
    public var start: SourceLocation
    /// Where the range ends (exclusive), when known; `nil` marks a single point.
    public var end: SourceLocation?
    /// The sheet of a workbook (`.xlsx`) the place is on, or `nil` in a text file. On a sheet, `start`
    /// is the cell: `line` its row and `column` its column (1 is A), shown as `Sheet!B7` (`place`).
    public var sheet: String?

    /// Creates a range in `file` from `start` to an optional exclusive `end`.
    public init(file: String, start: SourceLocation, end: SourceLocation? = nil) {
        self.file = file
        self.start = start
        self.end = end
    }

    /// Creates a point range at a 1-based line and column.
    public init(file: String, line: Int, column: Int) {
        self.init(file: file, start: SourceLocation(line: line, column: column))
    }

    /// Creates the place of a cell on a sheet of a workbook: `row` and `column` are 1-based (column 1 is A).
    package init(file: String, sheet: String, row: Int, column: Int) {
        self.init(file: file, start: SourceLocation(line: row, column: column))
        self.sheet = sheet
    }

    /// The place as people write it: `file:line:column` in a text file, `file:Sheet!B7` on a sheet of a
    /// workbook (a sheet name other than letters, digits and `_` in single quotes, as Excel writes it).
    public var place: String {
        guard let sheet else { return "\(file):\(start.line):\(start.column)" }
        return "\(file):\(Self.cell(sheet: sheet, row: start.line, column: start.column))"
    }

    /// A cell's reference, `communes!B7` (`'Xã 1'!B7` when the name needs quotes).
    package static func cell(sheet: String, row: Int, column: Int) -> String {
        let plain = !sheet.isEmpty && sheet.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
        let name = plain ? sheet : "'" + sheet.replacingOccurrences(of: "'", with: "''") + "'"
        return "\(name)!\(columnName(column))\(row)"
    }

    /// The letters of a 1-based column number, as a spreadsheet names it: 1 is `A`, 27 is `AA`.
    package static func columnName(_ column: Int) -> String {
        var n = max(1, column)
        var letters: [Character] = []
        while n > 0 {
            let digit = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + digit))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }
}
