import CriteriaEngine
import Foundation

/// Writing a command's result to a file (`--output`), which a workbook needs: `--format xlsx` is binary
/// and never goes to a terminal.
enum OutputFile {
    /// A file that could not be written, said in one sentence.
    struct WriteError: Error, LocalizedError {
        var message: String
        var errorDescription: String? { message }
    }

    /// The path to write a workbook to: `--output`, required with `--format xlsx`.
    ///
    /// - Throws: `UsageError` (exit 64) when `--format xlsx` comes without `--output`.
    static func required(_ output: String?, format: OutputFormat, language: Language) throws -> String? {
        guard format == .xlsx else { return output }
        guard let output, !output.isEmpty else {
            throw UsageError(
                message: language == .vi
                    ? "--format xlsx ghi một bảng tính Excel (tệp nhị phân), không in ra màn hình: thêm --output TỆP.xlsx"
                    : "--format xlsx writes an Excel workbook (a binary file), never to the terminal: add --output FILE.xlsx")
        }
        return output
    }

    /// Writes bytes to a file, replacing it whole (a half-written workbook is never left).
    static func write(_ data: Data, to path: String, language: Language) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw WriteError(
                message: language == .vi
                    ? "không ghi được tệp \(QuotedPath.quote(path)): \(reason(path, language))"
                    : "cannot write \(QuotedPath.quote(path)): \(reason(path, language))")
        }
    }

    /// Why a path cannot be written: its folder is missing, or it is not writable.
    private static func reason(_ path: String, _ language: Language) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            return language == .vi ? "không có thư mục \(QuotedPath.quote(folder))" : "there is no folder \(QuotedPath.quote(folder))"
        }
        return language == .vi ? "không có quyền ghi, hoặc đó là một thư mục" : "permission denied, or it is a folder"
    }

    /// The line said on standard error once a file is written.
    static func written(_ path: String, language: Language) -> String {
        language == .vi ? "đã ghi \(path)\n" : "wrote \(path)\n"
    }
}

/// A path inside a message, quoted.
enum QuotedPath {
    static func quote(_ path: String) -> String { "'" + DisplayText.line(path) + "'" }
}
