import Foundation

/// Reads a dataset from a path, whatever its format.
public enum DatasetReader {
    /// Reads a dataset.
    ///
    /// The format follows the path: a folder is a folder of CSV tables (`CSVDatasetReader`); a
    /// `.yaml` or `.yml` file is read as YAML (at most `limits.maxYAMLDataBytes` bytes); a `.json`
    /// file as JSON (at most `limits.maxDataBytes` bytes). Both documents are then decoded by
    /// `DatasetDecoder`. An `.xlsx` workbook is read by `XLSXDatasetReader`, one sheet per CSV table. Collections may nest at most `limits.maxDataNesting` deep.
    ///
    /// - Parameters:
    ///   - path: the file or folder, as the user named it; messages show it as is.
    ///   - inputs: the declared inputs, which type every fact.
    ///   - limits: size, nesting and diagnostic limits.
    /// - Throws: `EnvironmentError` when the path cannot be read or is not a dataset;
    ///   `DiagnosticsError` with every problem in the data.
    public static func read(path: String, inputs: InputCatalog, limits: Limits = .default) throws -> Dataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EnvironmentError.unreadable(path: path, reason: SourceReader.missingReason(path, .vi("không có tệp hay thư mục này", en: "no such file or folder")))
        }
        if isDirectory.boolValue {
            return try CSVDatasetReader.read(folder: path, inputs: inputs, limits: limits)
        }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "yaml", "yml":
            return try read(
                SourceReader.read(path: path, maxBytes: limits.maxYAMLDataBytes, option: "--max-yaml-data-size"), format: .yaml,
                inputs: inputs, limits: limits)
        case "json":
            return try read(
                SourceReader.read(path: path, maxBytes: limits.maxDataBytes, option: "--max-data-size"), format: .json,
                inputs: inputs, limits: limits)
        case "xlsx", "xlsm":
            return try XLSXDatasetReader.read(path: path, inputs: inputs, limits: limits)
        case "xls", "ods":
            throw EnvironmentError.wrongKind(
                path: path, expected: .vi("một bảng tính mà Criteria đọc được: hãy lưu thành sổ làm việc Excel (.xlsx)", en: "a workbook Criteria reads: save it as an Excel workbook (.xlsx)"))
        case "csv":
            throw EnvironmentError.wrongKind(
                path: path,
                expected: .vi("một bộ dữ liệu riêng: bộ dữ liệu CSV là một thư mục các bảng; hãy đưa thư mục chứa tệp này", en: "a dataset on its own: a CSV dataset is a folder of tables; pass the folder that holds it"))
        default:
            throw EnvironmentError.wrongKind(
                path: path, expected: .vi("một bộ dữ liệu: hãy đưa tệp .yaml, .yml, .json hoặc .xlsx, hoặc một thư mục các bảng CSV", en: "a dataset: give a .yaml, .yml, .json or .xlsx file, or a folder of CSV tables"))
        }
    }

    /// The formats of a dataset held as one document.
    package enum DocumentFormat: String, Sendable, Hashable, CaseIterable {
        /// YAML (`Docs/data-format.md`).
        case yaml
        /// JSON, the same structure as YAML.
        case json
    }

    /// Reads a dataset already held in memory as one YAML or JSON document, such as an upload.
    ///
    /// The caller bounds its size; collections may nest at most `limits.maxDataNesting` deep. The
    /// readers look at `cancellation` between entities and stop once it is cancelled.
    ///
    /// - Throws: `DiagnosticsError` with every problem in the data (`limits.cancelled` when cancelled).
    package static func read(
        _ file: SourceFile, format: DocumentFormat, inputs: InputCatalog, limits: Limits = .default,
        cancellation: CancellationToken? = nil
    ) throws(DiagnosticsError) -> Dataset {
        let root: DocumentNode
        switch format {
        case .yaml:
            do {
                root = try YAMLReader.read(file, maxNesting: limits.maxDataNesting, limits: limits)
            } catch {
                throw forData(error)
            }
        case .json:
            // A well-formed file is read straight into the dataset; anything else the ordinary way,
            // which reports every problem.
            var checkpoint = ReadingCheckpoint(cancellation)
            if let dataset = JSONDatasetReader.read(file, inputs: inputs, limits: limits, checkpoint: &checkpoint) { return dataset }
            if let stopped = checkpoint.error { throw stopped }
            root = try JSONReader.read(file, maxNesting: limits.maxDataNesting, limits: limits)
        }
        return try DatasetDecoder.decode(root, inputs: inputs, limits: limits, cancellation: cancellation)
    }

    /// The YAML reader's diagnostics with hints written for rule files adjusted for data files.
    static func forData(_ error: DiagnosticsError) -> DiagnosticsError {
        var error = error
        for index in error.diagnostics.indices where error.diagnostics[index].id == "yaml.empty" {
            error.diagnostics[index].hintText = .vi("tệp dữ liệu bắt đầu bằng dòng 'dataset: 1'", en: "a dataset starts with 'dataset: 1'")
        }
        return error
    }
}
