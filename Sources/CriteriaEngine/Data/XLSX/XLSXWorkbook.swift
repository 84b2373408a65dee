import Foundation
import SWXMLHash
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The sheets of an Excel workbook (`.xlsx`, Office Open XML), each cell read as the text Criteria
/// types, exactly.
///
/// The ZIP container is read by ZIPFoundation and the XML parts by SWXMLHash (Foundation's
/// `XMLParser`): no ZIP or XML is parsed by hand (`Docs/decisions/0010-xlsx-with-zipfoundation.md`).
/// A cell becomes text the way the CSV tables hold it:
///
/// | cell | text |
/// | --- | --- |
/// | a number (`<v>`) | its decimal text as written in the XML, never through `Double`; an exponent (`1.5E-3`) is written out (`0.0015`) |
/// | a number styled as a percentage (number formats 9, 10, or a format with `%`) | the percentage, `57.14%` for `0.5714` |
/// | a number styled as a date (formats 14–22, 27–36, 45–47, 50–58, or a format with `d`, `m`, `y`) | the date, `2025-07-01` |
/// | a boolean (`t="b"`) | `true` or `false` |
/// | a shared string (`t="s"`), an inline string, a formula's text (`t="str"`) | the text |
/// | an ISO date (`t="d"`) | its date part |
/// | an Excel error (`t="e"`, `#DIV/0!`) | refused (`xlsx.cell-error`) |
/// | nothing | empty, which is unknown |
///
/// The reading is bounded (`Bounds`), each breach a diagnostic at its place.
public struct XLSXWorkbook: Sendable, Hashable {
    /// One cell: its 1-based column and its text.
    package struct Cell: Sendable, Hashable {
        /// The 1-based column (1 is A).
        package var column: Int
        /// The cell as text (see the table above).
        package var text: String

        /// Creates a cell.
        package init(column: Int, text: String) {
            self.column = column
            self.text = text
        }
    }

    /// One row: its 1-based number and its non-empty cells, in column order.
    package struct Row: Sendable, Hashable {
        /// The row's number on the sheet.
        package var number: Int
        /// Its cells that hold something, by column.
        package var cells: [Cell]

        /// Creates a row.
        package init(number: Int, cells: [Cell]) {
            self.number = number
            self.cells = cells
        }
    }

    /// One sheet: its name and its rows that hold something, in order.
    package struct Sheet: Sendable, Hashable {
        /// The sheet's name, as its tab shows it.
        package var name: String
        /// The rows that hold a cell.
        package var rows: [Row]
    }

    /// How much of a workbook is read at most; each breach is a `limits.` diagnostic.
    public struct Bounds: Sendable, Hashable {
        /// Largest workbook file (compressed), in bytes (`limits.file-size`, `--max-data-size`).
        package var maxFileBytes: Int
        /// Most bytes all the parts read may unpack to together (`limits.xlsx-unpacked-size`): a
        /// "zip bomb" of a few kilobytes that unpacks to gigabytes stops here, while it unpacks.
        package var maxUnpackedBytes: Int
        /// Most entries (files) in the ZIP container (`limits.xlsx-entries`).
        package var maxEntries: Int
        /// Most shared strings (`limits.xlsx-shared-strings`).
        package var maxSharedStrings: Int
        /// Most cells in all the sheets read (`limits.xlsx-cells`).
        public var maxCells: Int
        /// Longest text of one cell, in Unicode scalars (`limits.scalar-length`).
        package var maxCellLength: Int

        /// The bounds that go with the engine's limits: the file as large as a CSV table
        /// (`maxDataBytes`), unpacking to at most four times that, 10,000 entries, 4 million shared
        /// strings, 20 million cells, a cell as long as any value (`maxScalarLength`).
        public init(_ limits: Limits = .default) {
            maxFileBytes = limits.maxDataBytes
            maxUnpackedBytes = limits.maxDataBytes > Int.max / 4 ? Int.max : limits.maxDataBytes * 4
            maxEntries = 10_000
            maxSharedStrings = 4_000_000
            maxCells = 20_000_000
            maxCellLength = limits.maxScalarLength
        }
    }

    /// The workbook's path or upload name, as messages show it.
    package var path: String
    /// The sheets read, in the workbook's order.
    package var sheets: [Sheet]

    /// Reads a workbook file.
    ///
    /// - Parameters:
    ///   - path: the file, as the user named it.
    ///   - bounds: how much is read at most.
    ///   - wanted: which sheets to read, by name (all when `nil`); the others are only listed.
    /// - Throws: `EnvironmentError` when the file cannot be opened; `DiagnosticsError` when it is not
    ///   a workbook or passes a bound.
    package static func read(path: String, bounds: Bounds = Bounds(), wanted: ((String) -> Bool)? = nil) throws -> XLSXWorkbook {
        guard SourceReader.isRegularFile(path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw EnvironmentError.wrongKind(path: path, expected: .vi("một tệp thường", en: "a regular file"))
            }
            throw EnvironmentError.unreadable(path: path, reason: SourceReader.missingReason(path, .vi("không có tệp này", en: "no such file")))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw EnvironmentError.unreadable(path: path, reason: .vi("không có quyền đọc", en: "permission denied"))
        }
        defer { try? handle.close() }
        let limit = max(0, bounds.maxFileBytes)
        let data: Data
        do {
            data = try handle.read(upToCount: limit == Int.max ? limit : limit + 1) ?? Data()
        } catch {
            throw EnvironmentError.unreadable(path: path, reason: .vi("đọc không thành công", en: "read failed"))
        }
        return try read(data, path: path, bounds: bounds, wanted: wanted)
    }

    /// Reads a workbook held in memory, such as an upload; `path` names it in messages.
    ///
    /// - Throws: `DiagnosticsError` when the bytes are not a workbook or pass a bound.
    public static func read(_ data: Data, path: String, bounds: Bounds = Bounds(), wanted: ((String) -> Bool)? = nil)
        throws(DiagnosticsError) -> XLSXWorkbook
    {
        var reader = Reader(path: path, bounds: bounds)
        return try reader.read(data, wanted: wanted)
    }

    /// Reads a workbook held in memory through a temporary file in `temporaryFolder` (tests name one
    /// that cannot be written).
    package static func read(_ data: Data, path: String, temporaryFolder: URL) throws(DiagnosticsError) -> XLSXWorkbook {
        var reader = Reader(path: path, bounds: Bounds())
        reader.temporary = temporaryFolder
        return try reader.read(data, wanted: nil)
    }

    /// The names of the sheets, in order.
    package var sheetNames: [String] { sheets.map(\.name) }

    /// The 1-based column of a cell reference (`B7` → 2).
    static func columnOfReference(_ reference: String) -> Int? { Reader.column(of: reference) }

    /// A string with OOXML's `_xHHHH_` escapes undone.
    static func unescapeText(_ text: String) -> String { Reader.unescape(text) }
}

// MARK: - Reading

extension XLSXWorkbook {
    /// The state of one reading: the archive, the bytes unpacked so far and the cells counted.
    /// Whether bytes are UTF-8 throughout, checked without copying them.
    static func isUTF8(_ data: Data) -> Bool {
        var decoder = UTF8()
        var iterator = data.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    private struct Reader {
        let path: String
        let bounds: Bounds
        var unpacked = 0
        var cells = 0
        /// Where the temporary copy of the workbook is written.
        var temporary = FileManager.default.temporaryDirectory

        init(path: String, bounds: Bounds) {
            self.path = path
            self.bounds = bounds
        }

        /// The place of the whole file.
        var top: SourceRange { SourceRange(file: path, line: 1, column: 1) }

        func fail(_ id: DiagnosticID, _ message: LocalizedText, at range: SourceRange? = nil, hint: LocalizedText? = nil) -> DiagnosticsError {
            DiagnosticsError(Diagnostic(id, .error, message, at: range ?? top, hint: hint))
        }

        mutating func read(_ data: Data, wanted: ((String) -> Bool)?) throws(DiagnosticsError) -> XLSXWorkbook {
            if data.count > bounds.maxFileBytes {
                throw fail(
                    "limits.file-size", .vi("tệp có hơn \(bounds.maxFileBytes) byte, quá giới hạn \(bounds.maxFileBytes) byte", en: "the file is larger than the limit of \(bounds.maxFileBytes) bytes"),
                    hint: .vi("chia bảng tính thành nhiều tệp, hoặc nâng giới hạn bằng --max-data-size", en: "split the workbook into several files, or raise the limit with --max-data-size"))
            }
            // Read from a temporary file, not from memory: ZIPFoundation 0.9.20's in-memory archive traps
            // on an entry whose offset points past the end (a fuzzed workbook found it), its file reader
            // does not. The file is removed when the reading ends.
            let folder = temporary.appendingPathComponent("criteria-xlsx-" + UUID().uuidString)
            let file = folder.appendingPathComponent("book.xlsx")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try data.write(to: file)
            } catch {
                try? FileManager.default.removeItem(at: folder)
                throw fail(
                    "xlsx.temporary-file", .vi("không ghi được bản tạm của bảng tính vào \(QuotedInput.quote(folder.path)) để đọc", en: "a temporary copy of the workbook could not be written to \(QuotedInput.quote(folder.path)) to read it"),
                    hint: .vi("kiểm tra chỗ trống và quyền ghi của thư mục tạm (TMPDIR)", en: "check the free space and the write permission of the temporary folder (TMPDIR)"))
            }
            defer { try? FileManager.default.removeItem(at: folder) }
            let archive: Archive
            do {
                archive = try Archive(url: file, accessMode: .read)
            } catch {
                throw notAWorkbook()
            }
            // The entries, by name, counting them first: a container of a million empty entries stops here.
            var entries: [String: Entry] = [:]
            var count = 0
            for entry in archive {
                count += 1
                if count > bounds.maxEntries {
                    throw fail(
                        "limits.xlsx-entries", .vi("tệp ZIP có hơn \(bounds.maxEntries) mục, quá giới hạn \(bounds.maxEntries) của một bảng tính", en: "the ZIP file has more than \(bounds.maxEntries) entries, the limit for a workbook"),
                        hint: .vi("một bảng tính Excel chỉ có vài chục mục; lưu lại tệp bằng Excel hoặc LibreOffice", en: "an Excel workbook has a few dozen entries; save the file again with Excel or LibreOffice"))
                }
                entries[entry.path] = entry
            }
            guard let workbookEntry = entries["xl/workbook.xml"] else { throw notAWorkbook() }
            let workbook = try parse(unpack(workbookEntry, archive), part: "xl/workbook.xml")
            var relations: XMLIndexer? = nil
            if let entry = entries["xl/_rels/workbook.xml.rels"] { relations = try parse(unpack(entry, archive), part: "xl/_rels/workbook.xml.rels") }
            var targets: [String: String] = [:]
            for relation in relations?["Relationships"]["Relationship"].all ?? [] {
                guard let element = relation.element, let id = element.attribute(by: "Id")?.text,
                    let target = element.attribute(by: "Target")?.text
                else { continue }
                targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            }
            let date1904 = ["1", "true"].contains(workbook["workbook"]["workbookPr"].element?.attribute(by: "date1904")?.text ?? "")
            var styles = Styles()
            if let entry = entries["xl/styles.xml"] { styles = Styles(try parse(unpack(entry, archive), part: "xl/styles.xml")) }
            var strings: [String]? = nil
            var sheets: [Sheet] = []
            for (index, sheet) in workbook["workbook"]["sheets"]["sheet"].all.enumerated() {
                guard let element = sheet.element else { continue }
                let name = element.attribute(by: "name")?.text ?? "Sheet\(index + 1)"
                guard wanted?(name) ?? true else {
                    sheets.append(Sheet(name: name, rows: []))
                    continue
                }
                let relation = element.allAttributes.first { $0.key == "id" || $0.key.hasSuffix(":id") }?.value.text
                let partName = relation.flatMap { targets[$0] } ?? "xl/worksheets/sheet\(index + 1).xml"
                guard let entry = entries[partName] else {
                    throw fail(
                        "xlsx.corrupt", .vi("không tìm thấy phần \(QuotedInput.quote(partName)) của trang \(QuotedInput.quote(name)) trong tệp", en: "the part \(QuotedInput.quote(partName)) of sheet \(QuotedInput.quote(name)) is not in the file"),
                        hint: .vi("tệp bị hỏng hoặc không phải do Excel lưu; mở và lưu lại bằng Excel hoặc LibreOffice", en: "the file is damaged or was not saved by Excel; open it and save it again with Excel or LibreOffice"))
                }
                if strings == nil {
                    strings = []
                    if let entry = entries["xl/sharedStrings.xml"] { strings = try sharedStrings(unpack(entry, archive)) }
                }
                let xml = try unpack(entry, archive)
                sheets.append(try read(sheet: name, xml, part: partName, strings: strings ?? [], styles: styles, date1904: date1904))
            }
            return XLSXWorkbook(path: path, sheets: sheets)
        }

        func notAWorkbook() -> DiagnosticsError {
            fail(
                "xlsx.not-a-workbook", .vi("tệp không phải bảng tính Excel .xlsx (không đọc được như một tệp ZIP có xl/workbook.xml)", en: "the file is not an Excel .xlsx workbook (it does not read as a ZIP file with xl/workbook.xml)"),
                hint: .vi("lưu bảng tính thành 'Sổ làm việc Excel (*.xlsx)'; tệp .xls cũ hoặc .ods cần lưu lại thành .xlsx", en: "save the workbook as 'Excel Workbook (*.xlsx)'; an old .xls or an .ods file must be saved again as .xlsx"))
        }

        /// The bytes of one entry, counted as they unpack against `maxUnpackedBytes`.
        mutating func unpack(_ entry: Entry, _ archive: Archive) throws(DiagnosticsError) -> Data {
            var out = Data()
            let budget = bounds.maxUnpackedBytes - unpacked
            struct TooLarge: Error {}
            do {
                if entry.uncompressedSize > UInt64(max(0, budget)) { throw TooLarge() }
                _ = try archive.extract(entry, bufferSize: 64 << 10, skipCRC32: false) { chunk in
                    if out.count + chunk.count > budget { throw TooLarge() }
                    out.append(chunk)
                }
            } catch is TooLarge {
                throw fail(
                    "limits.xlsx-unpacked-size",
                    .vi("các phần của bảng tính giải nén ra hơn \(bounds.maxUnpackedBytes) byte, quá giới hạn (phần \(QuotedInput.quote(entry.path)))", en: "the parts of the workbook unpack to more than the limit of \(bounds.maxUnpackedBytes) bytes (part \(QuotedInput.quote(entry.path)))"),
                    hint: .vi("tệp có thể là một \"bom ZIP\"; nếu là dữ liệu thật, chia thành nhiều tệp hoặc nâng --max-data-size", en: "the file may be a \"ZIP bomb\"; if the data is real, split it into several files or raise --max-data-size"))
            } catch {
                throw fail(
                    "xlsx.corrupt", .vi("không giải nén được phần \(QuotedInput.quote(entry.path)) của bảng tính", en: "the part \(QuotedInput.quote(entry.path)) of the workbook cannot be unpacked"),
                    hint: .vi("tệp bị hỏng; mở và lưu lại bằng Excel hoặc LibreOffice", en: "the file is damaged; open it and save it again with Excel or LibreOffice"))
            }
            unpacked += out.count
            return out
        }

        /// Parses one XML part; a document type declaration (entities) is refused before parsing.
        func parse(_ data: Data, part: String) throws(DiagnosticsError) -> XMLIndexer {
            try refuseDeclarations(data, part: part)
            let indexer = XMLHash.config {
                $0.shouldProcessNamespaces = true
                $0.detectParsingErrors = true
            }.parse(data)
            if case .parsingError = indexer { throw notWellFormed(part) }
            return indexer
        }

        /// A part that is not well-formed XML.
        func notWellFormed(_ part: String) -> DiagnosticsError {
            fail(
                "xlsx.xml", .vi("phần \(QuotedInput.quote(part)) của bảng tính không phải XML hợp lệ", en: "the part \(QuotedInput.quote(part)) of the workbook is not well-formed XML"),
                hint: .vi("tệp bị hỏng; mở và lưu lại bằng Excel hoặc LibreOffice", en: "the file is damaged; open it and save it again with Excel or LibreOffice"))
        }

        /// The shared strings, bounded in number, read as a stream (`XMLParser`'s events: no tree is built).
        func sharedStrings(_ data: Data) throws(DiagnosticsError) -> [String] {
            let part = "xl/sharedStrings.xml"
            let reader = StringsEvents(max: bounds.maxSharedStrings)
            try stream(data, part: part, reader) { reader.failure != nil }
            if reader.failure != nil {
                throw fail(
                    "limits.xlsx-shared-strings",
                    .vi("bảng tính có hơn \(bounds.maxSharedStrings) chuỗi dùng chung, quá giới hạn \(bounds.maxSharedStrings)", en: "the workbook has more than the limit of \(bounds.maxSharedStrings) shared strings"),
                    at: SourceRange(file: path + " › " + part, line: 1, column: 1),
                    hint: .vi("chia bảng tính thành nhiều tệp", en: "split the workbook into several files"))
            }
            return reader.strings
        }

        /// Runs `XMLParser` over a part with a delegate, after `refuseDeclarations`; a parse error
        /// that the delegate did not cause (`failed` is `nil`) is `xlsx.xml`.
        func stream(_ data: Data, part: String, _ delegate: any XMLParserDelegate & PartEvents, failed: () -> Bool) throws(DiagnosticsError) {
            try refuseDeclarations(data, part: part)
            let parser = XMLParser(data: data)
            parser.shouldProcessNamespaces = true
            parser.shouldResolveExternalEntities = false
            parser.delegate = delegate
            let parsed = parser.parse()
            // A part cut short may end without an error from the parser: its root element must have closed.
            if !failed(), !parsed || parser.parserError != nil || !delegate.closed { throw notWellFormed(part) }
        }

        /// Refuses a part before any XML parser reads it: bytes that are not UTF-8 (a damaged part —
        /// Foundation's `XMLParser` traps on a name or an attribute that is not UTF-8), and a document
        /// type declaration (entities), which no workbook has.
        func refuseDeclarations(_ data: Data, part: String) throws(DiagnosticsError) {
            guard XLSXWorkbook.isUTF8(data) else {
                throw fail(
                    "xlsx.xml", .vi("phần \(QuotedInput.quote(part)) của bảng tính không phải văn bản UTF-8", en: "the part \(QuotedInput.quote(part)) of the workbook is not UTF-8 text"),
                    hint: .vi("tệp bị hỏng; mở và lưu lại bằng Excel hoặc LibreOffice", en: "the file is damaged; open it and save it again with Excel or LibreOffice"))
            }
            if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
                throw fail(
                    "xlsx.xml", .vi("phần \(QuotedInput.quote(part)) có khai báo DOCTYPE/ENTITY, điều một bảng tính không bao giờ có", en: "the part \(QuotedInput.quote(part)) declares a DOCTYPE/ENTITY, which a workbook never does"),
                    hint: .vi("lưu lại tệp bằng Excel hoặc LibreOffice", en: "save the file again with Excel or LibreOffice"))
            }
        }

        /// Undoes the `_xHHHH_` escapes OOXML uses for characters XML cannot hold (`_x000D_` for a carriage return).
        static func unescape(_ text: String) -> String {
            guard text.contains("_x") else { return text }
            var out = ""
            var rest = Substring(text)
            while let start = rest.range(of: "_x") {
                out += rest[..<start.lowerBound]
                let after = rest[start.upperBound...]
                let hex = after.prefix(4)
                if hex.count == 4, after.dropFirst(4).first == "_", let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
                    out.unicodeScalars.append(scalar)
                    rest = after.dropFirst(5)
                } else {
                    out += "_x"
                    rest = after
                }
            }
            return out + rest
        }

        /// One worksheet's cells as text, read as a stream of `XMLParser` events: memory holds the
        /// cells kept, not a tree of the part.
        mutating func read(sheet name: String, _ xml: Data, part: String, strings: [String], styles: Styles, date1904: Bool)
            throws(DiagnosticsError) -> Sheet
        {
            let events = SheetEvents()
            var rows: [Row] = []
            var nextRow = 1
            var failure: DiagnosticsError?
            var cellsSoFar = cells
            let reader = self
            events.onRow = { attributes in
                let number = attributes["r"].flatMap { Int($0) } ?? nextRow
                guard number >= 1, number <= 1_048_576 else {
                    failure = reader.fail("xlsx.corrupt", .vi("trang \(QuotedInput.quote(name)) có dòng số \(number), ngoài 1–1048576", en: "sheet \(QuotedInput.quote(name)) has a row number \(number), outside 1–1048576"), hint: .vi("tệp bị hỏng; lưu lại bằng Excel", en: "the file is damaged; save it again with Excel"))
                    return false
                }
                nextRow = number + 1
                rows.append(Row(number: number, cells: []))
                return true
            }
            events.onCell = { cell in
                guard let row = rows.indices.last else {
                    failure = reader.fail("xlsx.corrupt", .vi("trang \(QuotedInput.quote(name)) có một ô nằm ngoài mọi dòng", en: "sheet \(QuotedInput.quote(name)) has a cell outside every row"), hint: .vi("tệp bị hỏng; lưu lại bằng Excel", en: "the file is damaged; save it again with Excel"))
                    return false
                }
                let column = cell.reference.flatMap { Self.column(of: $0) } ?? (cell.lastColumn + 1)
                let number = rows[row].number
                let place = SourceRange(file: reader.path, sheet: name, row: number, column: column)
                cellsSoFar += 1
                if cellsSoFar > reader.bounds.maxCells {
                    failure = reader.fail(
                        "limits.xlsx-cells", .vi("bảng tính có hơn \(reader.bounds.maxCells) ô, quá giới hạn \(reader.bounds.maxCells)", en: "the workbook has more than the limit of \(reader.bounds.maxCells) cells"), at: place,
                        hint: .vi("chia bảng tính thành nhiều tệp", en: "split the workbook into several files"))
                    return false
                }
                do {
                    let text = try reader.text(of: cell, at: place, strings: strings, styles: styles, date1904: date1904)
                    guard !text.isEmpty else { return true }
                    let length = text.unicodeScalars.count
                    if length > reader.bounds.maxCellLength {
                        failure = reader.fail(
                            "limits.scalar-length", .vi("ô có \(length) ký tự, dài hơn giới hạn \(reader.bounds.maxCellLength)", en: "the cell has \(length) characters, more than the limit of \(reader.bounds.maxCellLength)"), at: place,
                            hint: .vi("rút ngắn nội dung ô, hoặc nâng giới hạn bằng --max-value-length", en: "shorten the cell, or raise the limit with --max-value-length"))
                        return false
                    }
                    rows[row].cells.append(Cell(column: column, text: text))
                    return true
                } catch let error as DiagnosticsError {
                    failure = error
                    return false
                } catch {
                    failure = reader.fail("xlsx.corrupt", .vi("ô không đọc được", en: "the cell cannot be read"), at: place)
                    return false
                }
            }
            try stream(xml, part: part, events) { failure != nil }
            if let failure { throw failure }
            cells = cellsSoFar
            let kept = rows.filter { !$0.cells.isEmpty }.map { Row(number: $0.number, cells: $0.cells.sorted { $0.column < $1.column }) }
            return Sheet(name: name, rows: kept.sorted { $0.number < $1.number })
        }

        /// The 1-based column of a cell reference (`B7` → 2), or `nil` when it is not one.
        static func column(of reference: String) -> Int? {
            var column = 0
            var letters = 0
            for scalar in reference.unicodeScalars {
                guard let ascii = scalar.isASCII ? UInt8(scalar.value) : nil, (65...90).contains(ascii) || (97...122).contains(ascii) else { break }
                letters += 1
                guard letters <= 3 else { return nil }
                column = column * 26 + Int((ascii & 0xDF) - 64)
            }
            return letters > 0 && column <= 16_384 ? column : nil
        }

        /// A cell's text (see the type's table).
        func text(of c: RawCell, at place: SourceRange, strings: [String], styles: Styles, date1904: Bool)
            throws(DiagnosticsError) -> String
        {
            let type = c.type ?? "n"
            let value = c.value
            switch type {
            case "s":
                guard let value else { return "" }
                guard let index = Int(value.trimmingCharacters(in: .whitespaces)), strings.indices.contains(index) else {
                    throw fail(
                        "xlsx.corrupt", .vi("ô trỏ tới chuỗi dùng chung số \(QuotedInput.quote(value)), không có trong tệp", en: "the cell points to shared string number \(QuotedInput.quote(value)), which the file does not have"), at: place,
                        hint: .vi("tệp bị hỏng; mở và lưu lại bằng Excel hoặc LibreOffice", en: "the file is damaged; open it and save it again with Excel or LibreOffice"))
                }
                return strings[index]
            case "inlineStr":
                return Self.unescape(c.inline)
            case "str":
                return Self.unescape(value ?? "")
            case "b":
                switch value?.trimmingCharacters(in: .whitespaces) {
                case "1", "true": return "true"
                case "0", "false": return "false"
                case nil, "": return ""
                default:
                    throw fail("xlsx.corrupt", .vi("ô kiểu đúng/sai có giá trị \(QuotedInput.quote(value ?? ""))", en: "a true/false cell holds \(QuotedInput.quote(value ?? ""))"), at: place, hint: .vi("ghi TRUE hoặc FALSE", en: "write TRUE or FALSE"))
                }
            case "e":
                throw fail(
                    "xlsx.cell-error", .vi("ô chứa lỗi của Excel \(QuotedInput.quote(value ?? "#N/A")) thay cho một giá trị", en: "the cell holds the Excel error \(QuotedInput.quote(value ?? "#N/A")) instead of a value"), at: place,
                    hint: .vi("sửa công thức của ô, hoặc để trống ô nếu chưa biết giá trị", en: "correct the cell's formula, or leave the cell empty if the value is not known"))
            case "d":
                // An ISO 8601 date cell: its date part.
                let text = (value ?? "").trimmingCharacters(in: .whitespaces)
                return String(text.prefix { $0 != "T" })
            default:
                guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return "" }
                guard let number = XLSXNumber.plain(raw) else {
                    throw fail("xlsx.corrupt", .vi("ô số có giá trị \(QuotedInput.quote(raw)), không phải một số", en: "a number cell holds \(QuotedInput.quote(raw)), which is not a number"), at: place, hint: .vi("tệp bị hỏng; lưu lại bằng Excel", en: "the file is damaged; save it again with Excel"))
                }
                let style = c.style ?? 0
                switch styles.kind(ofStyle: style) {
                case .date:
                    guard let date = XLSXNumber.date(serial: number, date1904: date1904) else {
                        throw fail(
                            "data.wrong-type", .vi("ô định dạng ngày có số \(QuotedInput.quote(raw)), không phải một ngày", en: "a date-formatted cell holds \(QuotedInput.quote(raw)), which is not a date"), at: place,
                            hint: .vi("ghi ngày dạng 2025-07-01, hoặc bỏ định dạng ngày của ô", en: "write the date as 2025-07-01, or remove the cell's date format"))
                    }
                    return date
                case .percent:
                    return XLSXNumber.percent(number)
                case .number:
                    return number
                }
            }
        }
    }
}

/// A stream's delegate that knows whether the part's root element closed (a part cut short did not).
protocol PartEvents: AnyObject {
    var closed: Bool { get }
}

/// One `<c>` element as the stream hands it over: its attributes, its `<v>` and its inline text.
struct RawCell {
    var reference: String?
    var type: String?
    var style: Int?
    var value: String?
    var inline = ""
    /// The column of the previous cell of the row, for a cell without a reference.
    var lastColumn = 0
}

/// The events of a worksheet part: a row starts (`onRow`, with its attributes), a cell ends (`onCell`).
/// Either returns `false` to stop the parse. Text is gathered only inside `<v>` and an inline
/// string's `<t>` (not inside a phonetic run, `<rPh>`).
final class SheetEvents: NSObject, XMLParserDelegate, PartEvents {
    private(set) var closed = false
    private var depth = 0
    var onRow: ([String: String]) -> Bool = { _ in true }
    var onCell: (RawCell) -> Bool = { _ in true }
    private var cell: RawCell?
    private var capturing = false
    private var inInline = false
    private var phonetic = 0
    private var lastColumn = 0

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        depth += 1
        switch name {
        case "row":
            lastColumn = 0
            if !onRow(attributes) { parser.abortParsing() }
        case "c":
            cell = RawCell(reference: attributes["r"], type: attributes["t"], style: attributes["s"].flatMap { Int($0) }, lastColumn: lastColumn)
        case "v" where cell != nil:
            cell?.value = ""
            capturing = true
        case "is" where cell != nil: inInline = true
        case "rPh": phonetic += 1
        case "t" where inInline && phonetic == 0: capturing = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard capturing else { return }
        if inInline { cell?.inline += string } else { cell?.value? += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
        if depth == 0 { closed = true }
        switch name {
        case "v", "t": capturing = false
        case "is": inInline = false
        case "rPh": phonetic -= 1
        case "c":
            guard let done = cell else { return }
            cell = nil
            if !onCell(done) {
                parser.abortParsing()
                return
            }
            lastColumn = done.reference.flatMap { XLSXWorkbook.columnOfReference($0) } ?? (lastColumn + 1)
        default: break
        }
    }
}

/// The events of the shared strings part: each `<si>`'s text (its `<t>`, or its runs' `<t>`, phonetic
/// runs left out), stopping past `max` items (`failure` is then set).
final class StringsEvents: NSObject, XMLParserDelegate, PartEvents {
    private(set) var closed = false
    private var depth = 0
    let max: Int
    var strings: [String] = []
    var failure: Bool?
    private var current: String?
    private var capturing = false
    private var phonetic = 0

    init(max: Int) { self.max = max }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        depth += 1
        switch name {
        case "si":
            if strings.count >= max {
                failure = true
                parser.abortParsing()
                return
            }
            current = ""
        case "rPh": phonetic += 1
        case "t" where current != nil && phonetic == 0: capturing = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing { current? += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
        if depth == 0 { closed = true }
        switch name {
        case "t": capturing = false
        case "rPh": phonetic -= 1
        case "si":
            strings.append(XLSXWorkbook.unescapeText(current ?? ""))
            current = nil
        default: break
        }
    }
}

/// How a cell style shows a number, from `xl/styles.xml`.
struct Styles: Sendable {
    enum Kind: Sendable { case number, percent, date }
    /// The kind of each cell format (`cellXfs`), by index.
    var kinds: [Kind] = []

    init() {}

    init(_ xml: XMLIndexer) {
        var custom: [Int: String] = [:]
        for format in xml["styleSheet"]["numFmts"]["numFmt"].all {
            guard let element = format.element, let id = element.attribute(by: "numFmtId").flatMap({ Int($0.text) }) else { continue }
            custom[id] = element.attribute(by: "formatCode")?.text ?? ""
        }
        kinds = xml["styleSheet"]["cellXfs"]["xf"].all.map { xf in
            let id = xf.element?.attribute(by: "numFmtId").flatMap { Int($0.text) } ?? 0
            return Styles.kind(ofFormat: id, code: custom[id])
        }
    }

    func kind(ofStyle index: Int) -> Kind { kinds.indices.contains(index) ? kinds[index] : .number }

    /// The kind of a number format: the built-in ids Excel documents (ECMA-376 §18.8.30) or a custom
    /// format's code, read outside its quoted text, `[...]` sections and `\`-escaped characters. The
    /// word `General` (which LibreOffice writes as a custom format for every plain number cell) and a
    /// scientific exponent (`0.00E+00`) are numbers, not the era-year date code `e`.
    static func kind(ofFormat id: Int, code: String?) -> Kind {
        switch id {
        case 9, 10: return .percent
        case 14...22, 27...36, 45...47, 50...58: return .date
        default: break
        }
        guard let code else { return .number }
        let characters = Array(code)
        var quoted = false
        var bracket = false
        var escaped = false
        var sawDate = false
        var index = 0
        // Only the first section (positive numbers) decides.
        while index < characters.count {
            let ch = characters[index]
            index += 1
            if escaped { escaped = false; continue }
            if quoted { if ch == "\"" { quoted = false }; continue }
            if bracket { if ch == "]" { bracket = false }; continue }
            switch ch {
            case "\\": escaped = true
            case "\"": quoted = true
            case "[": bracket = true
            case ";": return sawDate ? .date : .number
            case "%": return .percent
            // (A `where` clause binds only the last pattern of a case: one pattern each.)
            case _ where (ch == "g" || ch == "G") && String(characters[(index - 1)...].prefix(7)).lowercased() == "general":
                index += 6
            case _ where (ch == "e" || ch == "E") && index < characters.count && (characters[index] == "+" || characters[index] == "-"):
                index += 1
            case "d", "D", "m", "M", "y", "Y", "e", "E": sawDate = true
            default: break
            }
        }
        return sawDate ? .date : .number
    }
}

/// Exact conversions of a number cell's text.
package enum XLSXNumber {
    /// The plain decimal text of a number as the XML writes it (`12`, `-0.5`, `1.5E-3`), with the
    /// exponent written out; `nil` when it is not a number or its exponent is beyond ±400.
    package static func plain(_ raw: String) -> String? {
        var text = Substring(raw)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "E" || $0 == "e" }) {
            guard let value = Int(text[text.index(after: e)...].replacingOccurrences(of: "+", with: "")), abs(value) <= 400 else { return nil }
            exponent = value
            text = text[..<e]
        }
        var negative = false
        if text.first == "-" { negative = true; text = text.dropFirst() } else if text.first == "+" { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !text.isEmpty else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var digits = String(whole + fraction)
        var point = whole.count + exponent
        if point < 0 {
            digits = String(repeating: "0", count: -point) + digits
            point = 0
        }
        if point > digits.count { digits += String(repeating: "0", count: point - digits.count) }
        var integer = String(digits.prefix(point).drop { $0 == "0" })
        var decimals = String(digits.dropFirst(point))
        while decimals.last == "0" { decimals.removeLast() }
        if integer.isEmpty { integer = "0" }
        let body = decimals.isEmpty ? integer : integer + "." + decimals
        return negative && body != "0" ? "-" + body : body
    }

    /// A plain decimal as a percentage: the point moved two places right, `0.5714` → `57.14%`.
    package static func percent(_ plain: String) -> String {
        var text = Substring(plain)
        var negative = false
        if text.first == "-" { negative = true; text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var decimals = parts.count == 2 ? String(parts[1]) : ""
        while decimals.count < 2 { decimals += "0" }
        var integer = String((parts[0] + decimals.prefix(2)).drop { $0 == "0" })
        var rest = String(decimals.dropFirst(2))
        while rest.last == "0" { rest.removeLast() }
        if integer.isEmpty { integer = "0" }
        let body = rest.isEmpty ? integer : integer + "." + rest
        return (negative && body != "0" ? "-" : "") + body + "%"
    }

    /// The date of a serial day number (the integer part; a time of day is dropped), `YYYY-MM-DD`:
    /// in the 1900 system day 1 is 1900-01-01 and day 60 is Excel's 29 February 1900, which never
    /// was; in the 1904 system day 0 is 1904-01-01. `nil` below day 1 (0 in 1904) or past 9999.
    package static func date(serial plain: String, date1904: Bool) -> String? {
        guard !plain.hasPrefix("-"), let days = Int(plain.prefix { $0 != "." }), days <= 2_958_465 else { return nil }
        let offset: Int
        if date1904 {
            offset = days + 1461  // 1904-01-01 is 1,461 days after 1899-12-31
        } else {
            guard days >= 1, days != 60 else { return nil }
            offset = days < 60 ? days : days - 1
        }
        // `offset` counts days after 1899-12-31, which is 25,568 days before 1970-01-01.
        let (y, m, d) = civil(fromDaysSince1970: offset - 25_568)
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(fromDaysSince1970 z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
