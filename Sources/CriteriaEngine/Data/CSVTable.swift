import Foundation

/// One CSV field with the place it starts.
struct CSVField: Sendable, Hashable {
    /// The field's text, with quotes and `""` escapes removed; line ends inside quotes become `\n`.
    var text: String
    /// Where the field starts (its opening quote, when quoted): the physical 1-based line, and the
    /// 1-based column in Unicode scalars.
    var range: SourceRange
}

/// One CSV record (a row) with the line it starts on.
struct CSVRecord: Sendable, Hashable {
    /// The fields, in column order.
    var fields: [CSVField]
    /// The physical 1-based line the record starts on.
    var line: Int
}

/// Where one field of a scanned row is: its bytes (in the file, or unescaped in a scratch buffer for a
/// quoted field) and where it starts.
struct CSVCell {
    var start: Int
    var end: Int
    var inScratch: Bool
    var line: Int
    var column: Int
}

/// A row as `CSVTable.scan` hands it over: its fields' bytes and places, without building a `String`
/// per field. Valid only during the call that receives it.
struct CSVRow {
    let path: String
    let file: UnsafeBufferPointer<UInt8>
    let scratch: UnsafeBufferPointer<UInt8>
    let cells: UnsafeBufferPointer<CSVCell>
    /// The physical 1-based line the row starts on.
    let line: Int

    var count: Int { cells.count }

    /// The bytes of field `i`.
    @inline(__always) func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let cell = cells[i]
        let base = cell.inScratch ? scratch : file
        return UnsafeBufferPointer(rebasing: base[cell.start..<cell.end])
    }

    @inline(__always) func isEmpty(_ i: Int) -> Bool { cells[i].start == cells[i].end }

    /// The text of field `i` (valid UTF-8: fields start and end at ASCII delimiters).
    func text(_ i: Int) -> String { String(decoding: bytes(i), as: UTF8.self) }

    /// Where field `i` starts.
    func range(_ i: Int) -> SourceRange { SourceRange(file: path, line: cells[i].line, column: cells[i].column) }

    /// Whether field `i` is exactly the text `s`.
    @inline(__always) func field(_ i: Int, equals s: String) -> Bool {
        let b = bytes(i)
        var s = s
        return s.withUTF8 { $0.count == b.count && ($0.isEmpty || memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0) }
    }

    /// The row as a record with a `String` per field.
    var record: CSVRecord {
        CSVRecord(fields: (0..<count).map { CSVField(text: text($0), range: range($0)) }, line: line)
    }
}

/// A hand-written RFC 4180 reader.
///
/// It is written by hand, not taken from a CSV library, because every field must keep the exact
/// physical line and column where it starts (a quoted field may span lines, so a record's line does
/// not locate its later fields), and because the reader must be strict: a stray quote is an error, not
/// a guess. It reads the UTF-8 bytes of an already validated `SourceFile` in one pass, in place, and
/// hands over one row at a time (`scan`), so a table of millions of rows is never held as strings.
///
/// Accepted: `,` as the separator, or `;` or a tab when the header line says so (`separator(of:)`: what
/// Excel writes on a Vietnamese Windows, whose list separator is `;`); `\n`, `\r\n` or `\r` line ends; fields in double quotes, which may
/// hold commas, line ends and `""` for a quote; a byte-order mark at the start (already removed by
/// `SourceFile`); a final line end or none. Blank lines are skipped. Refused: a quote inside an
/// unquoted field (`csv.syntax`), text after a closing quote (`csv.syntax`), and a quote that is never
/// closed (`csv.unterminated-quote`). The first syntax error stops the file. A field longer than
/// `maxFieldLength` Unicode scalars is reported (`limits.scalar-length`) and kept.
enum CSVTable {
    /// Reads every record of a file, or `nil` after reporting a syntax error.
    static func records(of file: SourceFile, maxFieldLength: Int, diagnostics: inout DiagnosticCollector)
        -> [CSVRecord]?
    {
        var records: [CSVRecord] = []
        let ok = scan(file, separator: separator(of: file), maxFieldLength: maxFieldLength, diagnostics: &diagnostics) {
            records.append($0.record)
        }
        return ok ? records : nil
    }

    /// The separators a table may use: `,` (RFC 4180), `;` (Excel where the decimal mark is a comma, as in
    /// Vietnam) and a tab (a sheet copied as text).
    static let separators: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]

    /// The hint of both `csv.syntax` errors: how a field with a quote is written.
    static let quotingHint = LocalizedText.vi(
        "hãy đặt cả ô trong dấu nháy, và viết dấu nháy bên trong là \"\"", en: "put the whole field in quotes, and write a quote inside it as \"\"")

    /// The separator of a table, read from its header line: the one of `,`, `;` and tab that occurs most
    /// often outside quotes (a header names columns, which hold none of them), `,` on a tie or when
    /// there is none (a table of one column).
    static func separator(of bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var counts = [0, 0, 0]
        var quoted = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if quoted { continue }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
            if let k = separators.firstIndex(of: byte) { counts[k] += 1 }
        }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }),
            counts[best] > 0
        else { return separators[0] }
        return separators[best]
    }

    /// The separator of a loaded table (`separator(of:)` on its first line).
    static func separator(of file: SourceFile) -> UInt8 {
        var text = file.text
        return text.withUTF8 { separator(of: $0) }
    }

    /// The separator's name in messages.
    static func name(of separator: UInt8) -> LocalizedText {
        switch separator {
        case UInt8(ascii: ";"): .same("';'")
        case UInt8(ascii: "\t"): .vi("ký tự tab", en: "tab")
        default: .same("','")
        }
    }

    /// Whether a file holds a double quote, the only byte that can make a syntax error.
    static func hasQuote(_ file: SourceFile) -> Bool {
        var text = file.text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            return memchr(base, Int32(UInt8(ascii: "\"")), bytes.count) != nil
        }
    }

    /// Calls `body` with each record of a file, in order; returns `false` after reporting a syntax error
    /// (the rows before it have been handed over).
    static func scan(
        _ file: SourceFile, separator: UInt8 = UInt8(ascii: ","), maxFieldLength: Int, diagnostics: inout DiagnosticCollector,
        _ body: (CSVRow) -> Void
    ) -> Bool {
        var text = file.text
        var line = 1
        return text.withUTF8 { bytes in
            scan(
                bytes, path: file.path, separator: separator, line: &line, maxFieldLength: maxFieldLength,
                diagnostics: &diagnostics, body)
        }
    }

    /// Calls `body` with each record of `bytes`, whose first line is `line`; on return `line` is the
    /// line after the last one read, so that a file can be scanned in pieces of whole records.
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, path: String, separator: UInt8 = UInt8(ascii: ","), line: inout Int,
        maxFieldLength: Int, diagnostics: inout DiagnosticCollector, _ body: (CSVRow) -> Void
    ) -> Bool {
        let count = bytes.count
        var index = 0
        var column = 1
        let quote = UInt8(ascii: "\"")
        let comma = separator
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        var cells: [CSVCell] = []
        var scratch: [UInt8] = []
        // The bytes that end or break an unquoted field, as the bits of one word: every separator
        // read (`,`, `;`, tab), the line ends and the quote are below 64. One test of the word passes
        // most bytes of a field, as the compiler did by itself when the separator was a constant.
        assert(separators.contains(comma), "a separator of `separators`, all below 64")
        let stops: UInt64 = 1 << UInt64(comma & 63) | 1 << UInt64(lf) | 1 << UInt64(cr) | 1 << UInt64(quote)
        @inline(__always) func mayStop(_ byte: UInt8) -> Bool { byte < 64 && (stops >> UInt64(byte)) & 1 != 0 }

        /// Consumes a line end at `index` (one of `\n`, `\r\n`, `\r`) if there is one.
        func consumeLineEnd(_ index: inout Int, _ line: inout Int, _ column: inout Int) {
            guard index < count else { return }
            if bytes[index] == lf {
                index += 1
            } else if bytes[index] == cr {
                index += 1
                if index < count && bytes[index] == lf { index += 1 }
            } else {
                return
            }
            line += 1
            column = 1
        }

        func checkLength(_ slice: UnsafeBufferPointer<UInt8>, line: Int, column: Int) {
            guard slice.count > maxFieldLength else { return }
            // Counted on the bytes (a scalar starts at every byte but 10xxxxxx): a field of 200 MB is
            // never copied into a string just to be measured.
            var scalars = 0
            for byte in slice where byte & 0xC0 != 0x80 { scalars += 1 }
            guard scalars > maxFieldLength else { return }
            diagnostics.emit(
                Diagnostic(
                    "limits.scalar-length", .error,
                    .vi("ô dài \(scalars) ký tự, vượt giới hạn \(maxFieldLength)", en: "a field of \(scalars) characters is longer than the limit of \(maxFieldLength)"),
                    at: SourceRange(file: path, line: line, column: column),
                    hint: .vi("hãy kiểm tra xem trước ô này có thiếu dấu nháy đóng không", en: "check for a missing closing quote before this field")))
        }

        while index < count {
            let recordLine = line
            cells.removeAll(keepingCapacity: true)
            scratch.removeAll(keepingCapacity: true)
            var sawQuote = false
            fieldLoop: while true {
                let startLine = line
                let startColumn = column
                if index < count && bytes[index] == quote {
                    sawQuote = true
                    index += 1
                    column += 1
                    let scratchStart = scratch.count
                    while true {
                        guard index < count else {
                            diagnostics.emit(
                                Diagnostic(
                                    "csv.unterminated-quote", .error,
                                    .vi("ô trong dấu nháy mở ở đây chưa được đóng", en: "the quoted field opened here is never closed"),
                                    at: SourceRange(file: path, line: startLine, column: startColumn),
                                    hint: .vi("hãy thêm dấu '\"' đóng; dấu nháy bên trong ô có dấu nháy viết là \"\"", en: "add the closing '\"'; write a quote inside a quoted field as \"\"")))
                            return false
                        }
                        let byte = bytes[index]
                        if byte == quote {
                            if index + 1 < count && bytes[index + 1] == quote {
                                scratch.append(quote)
                                index += 2
                                column += 2
                                continue
                            }
                            index += 1
                            column += 1
                            break
                        }
                        if byte == lf || byte == cr {
                            consumeLineEnd(&index, &line, &column)
                            scratch.append(lf)
                            continue
                        }
                        if byte & 0xC0 != 0x80 { column += 1 }
                        scratch.append(byte)
                        index += 1
                    }
                    scratch.withUnsafeBufferPointer {
                        checkLength(UnsafeBufferPointer(rebasing: $0[scratchStart...]), line: startLine, column: startColumn)
                    }
                    cells.append(CSVCell(start: scratchStart, end: scratch.count, inScratch: true, line: startLine, column: startColumn))
                    if index < count && bytes[index] != comma && bytes[index] != lf && bytes[index] != cr {
                        diagnostics.emit(
                            Diagnostic(
                                "csv.syntax", .error,
                                .vi("sau dấu nháy đóng của cột \(cells.count) cần \(name(of: separator).vi) hoặc xuống dòng", en: "expected \(name(of: separator).english) or the end of the line after the closing quote of column \(cells.count)"),
                                at: SourceRange(file: path, line: line, column: column),
                                hint: quotingHint))
                        return false
                    }
                } else {
                    let fieldStart = index
                    while index < count {
                        let byte = bytes[index]
                        if mayStop(byte) {
                            if byte == comma || byte == lf || byte == cr { break }
                            if byte == quote {
                                diagnostics.emit(
                                    Diagnostic(
                                        "csv.syntax", .error,
                                        .vi("có dấu nháy bên trong một ô không có dấu nháy (cột \(cells.count + 1))", en: "a quote inside an unquoted field (column \(cells.count + 1))"),
                                        at: SourceRange(file: path, line: line, column: column),
                                        hint: quotingHint))
                                return false
                            }
                        }
                        if byte & 0xC0 != 0x80 { column += 1 }
                        index += 1
                    }
                    checkLength(UnsafeBufferPointer(rebasing: bytes[fieldStart..<index]), line: startLine, column: startColumn)
                    cells.append(CSVCell(start: fieldStart, end: index, inScratch: false, line: startLine, column: startColumn))
                }
                if index < count && bytes[index] == comma {
                    index += 1
                    column += 1
                    continue fieldLoop
                }
                consumeLineEnd(&index, &line, &column)
                break fieldLoop
            }
            let isBlank = cells.count == 1 && cells[0].start == cells[0].end && !sawQuote
            if !isBlank {
                cells.withUnsafeBufferPointer { cellBuffer in
                    scratch.withUnsafeBufferPointer { scratchBuffer in
                        body(CSVRow(path: path, file: bytes, scratch: scratchBuffer, cells: cellBuffer, line: recordLine))
                    }
                }
            }
        }
        return true
    }
}
