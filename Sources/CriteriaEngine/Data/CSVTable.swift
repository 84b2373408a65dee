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

/// A hand-written RFC 4180 reader.
///
/// It is written by hand, not taken from a CSV library, because every field must keep the exact
/// physical line and column where it starts (a quoted field may span lines, so a record's line does
/// not locate its later fields), and because the reader must be strict: a stray quote is an error, not
/// a guess. It reads the UTF-8 bytes of an already validated `SourceFile` in one pass.
///
/// Accepted: `,` as the separator; `\n`, `\r\n` or `\r` line ends; fields in double quotes, which may
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
        let bytes = Array(file.text.utf8)
        let path = file.path
        var records: [CSVRecord] = []
        var index = 0
        var line = 1
        var column = 1
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")

        /// Consumes a line end at `index` (one of `\n`, `\r\n`, `\r`) if there is one.
        func consumeLineEnd(_ index: inout Int, _ line: inout Int, _ column: inout Int) -> Bool {
            guard index < bytes.count else { return false }
            if bytes[index] == lf {
                index += 1
            } else if bytes[index] == cr {
                index += 1
                if index < bytes.count && bytes[index] == lf { index += 1 }
            } else {
                return false
            }
            line += 1
            column = 1
            return true
        }

        func text(_ slice: ArraySlice<UInt8>, at start: SourceRange) -> String {
            // Slices start and end at ASCII delimiters of validated UTF-8, so they are valid UTF-8.
            let value = String(validating: slice, as: UTF8.self) ?? ""
            if slice.count > maxFieldLength, value.unicodeScalars.count > maxFieldLength {
                diagnostics.emit(
                    Diagnostic(
                        "limits.scalar-length", .error,
                        "a field of \(value.unicodeScalars.count) characters is longer than the limit of \(maxFieldLength)",
                        at: start, hint: "check for a missing closing quote before this field"))
            }
            return value
        }

        while index < bytes.count {
            let recordLine = line
            var fields: [CSVField] = []
            var sawQuote = false
            fieldLoop: while true {
                let start = SourceRange(file: path, line: line, column: column)
                if index < bytes.count && bytes[index] == quote {
                    sawQuote = true
                    index += 1
                    column += 1
                    var buffer: [UInt8] = []
                    while true {
                        guard index < bytes.count else {
                            diagnostics.emit(
                                Diagnostic(
                                    "csv.unterminated-quote", .error,
                                    "the quoted field opened here is never closed", at: start,
                                    hint: "add the closing '\"'; write a quote inside a quoted field as \"\""))
                            return nil
                        }
                        let byte = bytes[index]
                        if byte == quote {
                            if index + 1 < bytes.count && bytes[index + 1] == quote {
                                buffer.append(quote)
                                index += 2
                                column += 2
                                continue
                            }
                            index += 1
                            column += 1
                            break
                        }
                        if byte == lf || byte == cr {
                            _ = consumeLineEnd(&index, &line, &column)
                            buffer.append(lf)
                            continue
                        }
                        if byte & 0xC0 != 0x80 { column += 1 }
                        buffer.append(byte)
                        index += 1
                    }
                    fields.append(CSVField(text: text(buffer[...], at: start), range: start))
                    if index < bytes.count && bytes[index] != comma && bytes[index] != lf && bytes[index] != cr {
                        diagnostics.emit(
                            Diagnostic(
                                "csv.syntax", .error,
                                "expected ',' or the end of the line after the closing quote of column \(fields.count)",
                                at: SourceRange(file: path, line: line, column: column),
                                hint: "put the whole field in quotes, and write a quote inside it as \"\""))
                        return nil
                    }
                } else {
                    let fieldStart = index
                    while index < bytes.count {
                        let byte = bytes[index]
                        if byte == comma || byte == lf || byte == cr { break }
                        if byte == quote {
                            diagnostics.emit(
                                Diagnostic(
                                    "csv.syntax", .error,
                                    "a quote inside an unquoted field (column \(fields.count + 1))",
                                    at: SourceRange(file: path, line: line, column: column),
                                    hint: "put the whole field in quotes, and write a quote inside it as \"\""))
                            return nil
                        }
                        if byte & 0xC0 != 0x80 { column += 1 }
                        index += 1
                    }
                    fields.append(CSVField(text: text(bytes[fieldStart..<index], at: start), range: start))
                }
                if index < bytes.count && bytes[index] == comma {
                    index += 1
                    column += 1
                    continue fieldLoop
                }
                _ = consumeLineEnd(&index, &line, &column)
                break fieldLoop
            }
            let isBlank = fields.count == 1 && fields[0].text.isEmpty && !sawQuote
            if !isBlank { records.append(CSVRecord(fields: fields, line: recordLine)) }
        }
        return records
    }
}
