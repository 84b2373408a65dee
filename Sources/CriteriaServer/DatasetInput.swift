import CriteriaEngine
import Foundation
import HTTPTypes

/// A dataset as received — a document, CSV tables or a bundled sample — not yet read.
struct DatasetInput: Sendable {
    /// What the bytes are.
    enum Content: Sendable {
        /// One YAML or JSON document.
        case document([UInt8], DatasetReader.DocumentFormat)
        /// An Excel workbook (`.xlsx`), one sheet per CSV table (`XLSXDatasetReader`).
        case workbook([UInt8])
        /// CSV tables by the name of their level, with their file names, and the optional `dataset.csv`
        /// and `successions.csv`.
        case tables([String: (name: String, bytes: [UInt8])], metadata: [UInt8]?, successions: [UInt8]?)
    }

    /// What the dataset is called in messages and records.
    var name: String
    /// The SHA-256 of the input as received.
    var hash: String
    /// The content.
    var content: Content

    /// Reads the dataset (CPU-bound: run it with `BlockingWork`); the readers of documents and CSV
    /// tables stop between entities or rows once `cancellation` is cancelled.
    func read(inputs: InputCatalog, limits: Limits, cancellation: CancellationToken? = nil) throws -> Dataset {
        switch content {
        case .document(let bytes, let format):
            let file = try SourceReader.decode(bytes, path: name)
            return try DatasetReader.read(file, format: format, inputs: inputs, limits: limits, cancellation: cancellation)
        case .workbook(let bytes):
            return try XLSXDatasetReader.read(Data(bytes), name: name, inputs: inputs, limits: limits, cancellation: cancellation)
        case .tables(let tables, let metadata, let successions):
            var files: [Level: SourceFile] = [:]
            var problems: [Diagnostic] = []
            var notes: [Diagnostic] = []
            // A table Excel saved as plain "CSV" on a Vietnamese Windows is Windows-1258: read, with a note.
            func decode(_ bytes: [UInt8], _ path: String) -> SourceFile? {
                do {
                    let (file, note) = try SpreadsheetText.decode(bytes, path: path)
                    if let note { notes.append(note) }
                    return file
                } catch let error as DiagnosticsError {
                    problems += error.diagnostics
                } catch {
                    problems.append(Diagnostic("source.invalid-utf8", .error, .same("\(error)"), at: SourceRange(file: path, line: 1, column: 1)))
                }
                return nil
            }
            for (key, table) in tables.sorted(by: { $0.key < $1.key }) {
                guard let level = inputs.map[key] else {
                    problems.append(
                        Diagnostic(
                            "csv.unknown-table", .error, .vi("'\(table.name)' không phải là bảng của các cấp trong bộ quy tắc", en: "'\(table.name)' is not a table of the rules' levels"),
                            at: SourceRange(file: table.name, line: 1, column: 1),
                            hint: .vi("các bảng là " + CSVDatasetReader.tableNames(inputs.map).joined(separator: ", "), en: "the tables are " + CSVDatasetReader.tableNames(inputs.map).joined(separator: ", "))))
                    continue
                }
                files[level] = decode(table.bytes, table.name)
            }
            let meta = metadata.flatMap { decode($0, CSVDatasetReader.metadataName) }
            let changes = successions.flatMap { decode($0, CSVDatasetReader.successionsName) }
            if !problems.isEmpty { throw DiagnosticsError(problems) }
            var dataset = try CSVDatasetReader.read(
                tables: files, metadata: meta, successions: changes, source: name, inputs: inputs, limits: limits,
                cancellation: cancellation)
            dataset.notes = SpreadsheetText.combined(notes)
            return dataset
        }
    }

    /// The document format a content type names, if any.
    static func format(contentType: String) -> DatasetReader.DocumentFormat? {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch type {
        case "application/json", "text/json": return .json
        case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml": return .yaml
        default: return nil
        }
    }

    /// The document format a file name's extension names, if any.
    static func format(filename: String) -> DatasetReader.DocumentFormat? {
        switch URL(fileURLWithPath: filename).pathExtension.lowercased() {
        case "json": return .json
        case "yaml", "yml": return .yaml
        default: return nil
        }
    }

    /// The content type of an Excel workbook.
    static let workbookType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// Whether an uploaded file is an Excel workbook: its name ends in `.xlsx`, or its content type
    /// says so (a name without an extension).
    static func isWorkbook(filename: String, contentType: String?) -> Bool {
        let ext = URL(fileURLWithPath: filename).pathExtension.lowercased()
        if ext == "xlsx" { return true }
        guard ext.isEmpty || format(filename: filename) == nil, let contentType else { return false }
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == workbookType && format(filename: filename) == nil
    }

    /// The form fields that carry CSV tables, with their files, for a map's levels: each table's name
    /// without `.csv` (`province`, `districts`, `communes`, `hamlets`, `units`).
    static func tableFields(_ map: LevelMap) -> [(field: String, file: String)] {
        CSVDatasetReader.tableNames(map).map { (XLSXDatasetReader.sheetName(ofTable: $0), $0) }
    }

    /// A dataset from a multipart form: a `file` field (YAML or JSON, by its name's extension), CSV
    /// tables in fields named `province`, `districts`, `communes`, `hamlets` and `units` (and `dataset`
    /// for `dataset.csv`, `successions` for `successions.csv`), or a `sample` field naming a bundled
    /// sample. `nil` when the form holds none.
    static func from(form: MultipartForm, samples: [SampleDataset], map: LevelMap) throws -> DatasetInput? {
        if let file = form.part("file"), !file.bytes.isEmpty {
            let name = safeName(file.filename ?? "upload")
            if isWorkbook(filename: name, contentType: file.contentType) {
                return DatasetInput(name: name, hash: RuleSetHash.sha256(file.bytes), content: .workbook(file.bytes))
            }
            guard let format = format(filename: name) ?? file.contentType.flatMap({ format(contentType: $0) }) else {
                if name.lowercased().hasSuffix(".csv") {
                    throw RequestError(
                        .unsupportedMediaType, "request.csv-as-file",
                        .vi("'\(name)' chỉ là một bảng CSV; bộ dữ liệu CSV gồm nhiều bảng", en: "'\(name)' is one CSV table; a CSV dataset is a set of tables"),
                        hint: .vi("hãy gửi các bảng trong các trường province, districts, communes, hamlets và units (trường nào cũng có thể bỏ trống)", en: "send the tables in the fields province, districts, communes, hamlets and units (each optional)"))
                }
                throw RequestError(
                    .unsupportedMediaType, "request.unknown-format", .vi("'\(name)' không phải là tệp dữ liệu Criteria đọc được", en: "'\(name)' is not a dataset file Criteria reads"),
                    hint: .vi("hãy gửi tệp .yaml, .yml, .json hoặc .xlsx, hoặc các bảng CSV", en: "give a .yaml, .yml, .json or .xlsx file, or CSV tables"))
            }
            return DatasetInput(name: name, hash: RuleSetHash.sha256(file.bytes), content: .document(file.bytes, format))
        }
        var tables: [String: (name: String, bytes: [UInt8])] = [:]
        var hashed: [UInt8] = []
        for (field, name) in tableFields(map) {
            guard let part = form.part(field), !part.bytes.isEmpty, let level = CSVDatasetReader.level(ofTable: name, in: map) else { continue }
            tables[level.name] = (name, part.bytes)
            hashed += Array("\(name)\0\(part.bytes.count)\0".utf8) + part.bytes
        }
        let metadata = form.part("dataset").map(\.bytes).flatMap { $0.isEmpty ? nil : $0 }
        if let metadata { hashed += Array("\(CSVDatasetReader.metadataName)\0\(metadata.count)\0".utf8) + metadata }
        let successions = form.part("successions").map(\.bytes).flatMap { $0.isEmpty ? nil : $0 }
        if let successions { hashed += Array("\(CSVDatasetReader.successionsName)\0\(successions.count)\0".utf8) + successions }
        if !tables.isEmpty {
            return DatasetInput(
                name: "upload (CSV)", hash: RuleSetHash.sha256(hashed),
                content: .tables(tables, metadata: metadata, successions: successions))
        }
        if let id = form.part("sample")?.text, !id.isEmpty {
            guard let sample = samples.first(where: { $0.id == id }) else {
                throw RequestError(
                    .badRequest, "request.unknown-sample", .vi("không có bộ dữ liệu mẫu '\(id)'", en: "there is no sample dataset '\(id)'"),
                    hint: samples.isEmpty
                    ? .vi("máy chủ này không có bộ dữ liệu mẫu nào", en: "this server offers no samples")
                    : .vi("các bộ dữ liệu mẫu là " + samples.map(\.id).joined(separator: ", "), en: "the samples are " + samples.map(\.id).joined(separator: ", ")))
            }
            return try sample.input()
        }
        return nil
    }

    /// A file name safe to show and store: its last path component (slashes and their look-alikes
    /// such as `∕` U+2215 and `／` U+FF0F all end a component), without control, format (bidi,
    /// zero-width) or line-separator characters, at most 100 characters.
    static func safeName(_ name: String) -> String {
        let slashes: Set<Unicode.Scalar> = ["/", "\\", "\u{2215}", "\u{2044}", "\u{FF0F}", "\u{FF3C}", "\u{29F8}", "\u{29F9}", "\u{2216}", "\u{FE68}"]
        let last = name.unicodeScalars.split(whereSeparator: { slashes.contains($0) }).last.map { String(String.UnicodeScalarView($0)) } ?? ""
        let clean = String(
            String.UnicodeScalarView(
                last.unicodeScalars.filter { scalar in
                    switch scalar.properties.generalCategory {
                    case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: false
                    default: true
                    }
                }.prefix(100)))
        return clean.trimmingCharacters(in: .whitespaces).isEmpty ? "upload" : clean
    }
}

/// A dataset bundled with the server (an `Examples/<name>/province.yaml`).
public struct SampleDataset: Sendable, Codable, Hashable {
    /// Its id, the folder's name (`thanh-hoa`).
    public var id: String
    /// The path of its YAML file.
    public var path: String

    /// The samples under a folder: each sub-folder with a `province.yaml`, sorted by name. A sub-folder
    /// with its own `rules/` (`Examples/ban-do-hai-cap`, a map of another shape) is written for those
    /// rules, not the served ones, and is left out.
    public static func find(in folder: String?) -> [SampleDataset] {
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.sorted().compactMap { name in
            let base = (folder as NSString).appendingPathComponent(name)
            let path = base + "/province.yaml"
            guard FileManager.default.fileExists(atPath: path), !FileManager.default.fileExists(atPath: base + "/rules") else { return nil }
            return SampleDataset(id: name, path: path)
        }
    }

    /// The sample as an input, hashed from its bytes.
    func input() throws -> DatasetInput {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        return DatasetInput(name: "Examples/\(id)/province.yaml", hash: RuleSetHash.sha256(bytes), content: .document(Array(bytes), .yaml))
    }
}

extension DatasetInput {
    /// The input as a decision record keeps it (`DecisionStore`): its bytes as received, to read it
    /// again when a unit's full explanation trees are rebuilt.
    private struct Stored: Codable {
        var name: String
        var hash: String
        var format: String?
        var document: Data?
        var tables: [String: Table]?
        var metadata: Data?
        var successions: Data?

        struct Table: Codable {
            var name: String
            var bytes: Data
        }
    }

    /// How many bytes the input holds (documents and tables together).
    var byteCount: Int {
        switch content {
        case .document(let bytes, _), .workbook(let bytes): bytes.count
        case .tables(let tables, let metadata, let successions):
            tables.values.reduce(0) { $0 + $1.bytes.count } + (metadata?.count ?? 0) + (successions?.count ?? 0)
        }
    }

    /// The input encoded for a record.
    func stored() throws -> Data {
        var stored = Stored(name: name, hash: hash)
        switch content {
        case .document(let bytes, let format):
            stored.format = format.rawValue
            stored.document = Data(bytes)
        case .workbook(let bytes):
            stored.format = "xlsx"
            stored.document = Data(bytes)
        case .tables(let tables, let metadata, let successions):
            stored.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.key, Stored.Table(name: $0.value.name, bytes: Data($0.value.bytes))) })
            stored.metadata = metadata.map { Data($0) }
            stored.successions = successions.map { Data($0) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(stored)
    }

    /// The input a record kept (`stored()`), or `nil` when the bytes are not such a record.
    init?(stored data: Data) {
        guard let stored = try? JSONDecoder().decode(Stored.self, from: data) else { return nil }
        if let document = stored.document, stored.format == "xlsx" {
            self.init(name: stored.name, hash: stored.hash, content: .workbook(Array(document)))
            return
        }
        if let document = stored.document, let format = stored.format.flatMap(DatasetReader.DocumentFormat.init(rawValue:)) {
            self.init(name: stored.name, hash: stored.hash, content: .document(Array(document), format))
            return
        }
        guard let tables = stored.tables else { return nil }
        var levels: [String: (name: String, bytes: [UInt8])] = [:]
        for (key, table) in tables { levels[key] = (table.name, Array(table.bytes)) }
        self.init(
            name: stored.name, hash: stored.hash,
            content: .tables(levels, metadata: stored.metadata.map(Array.init), successions: stored.successions.map(Array.init)))
    }
}
