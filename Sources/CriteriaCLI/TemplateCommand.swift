import ArgumentParser
import CriteriaEngine
import Foundation

/// `criteria template --format xlsx|csv --output PATH`: an empty dataset to fill in, for the levels and
/// inputs of the criteria in force on a date (`DatasetTemplate`).
public struct TemplateCommand: OutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write an empty dataset to fill in: an Excel workbook, or a folder of CSV tables.",
        discussion: """
            One table per level the criteria in force need, with a column per declared input. In a workbook, row 2 \
            holds Vietnamese column notes and row 3 an example row marked '# ví dụ — xoá dòng này' (rows whose \
            column A starts with # are skipped when the workbook is read); yes/no and list columns have drop-down \
            lists. A CSV folder has the header rows, with the notes and examples in HUONG-DAN.txt. Data format: \
            Docs/data-format.md.
            """)

    /// The format of the template.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case xlsx, csv
    }

    @Option(help: "xlsx (an Excel workbook) or csv (a folder of CSV tables).")
    var format: Format = .xlsx

    @Option(help: ArgumentHelp("The workbook (.xlsx) or the folder (csv) to write.", valueName: "path"))
    var output: String

    @Option(help: "The rules folder.")
    var rules: String = "Rules"

    @Option(name: .customLong("as-of"), help: "The criteria in force on this date, YYYY-MM-DD (default: today).")
    var asOf: String?

    @Option(help: "Language of messages: vi or en.")
    var lang: Language = .vi

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Loads the rules and writes the template.
    public func execute() -> CommandOutput {
        do {
            var options = try EvaluationOptions.parse([])
            options.rules = rules
            options.asOf = asOf
            options.lang = lang
            let date = try options.date()
            let graph = try RuleSetLoader.load(path: rules, limits: options.limits)
            let template = DatasetTemplate(graph: graph, asOf: date)
            switch format {
            case .xlsx:
                try OutputFile.write(try template.workbook(), to: output, language: lang)
            case .csv:
                try Self.writeFolder(template.csvFiles, to: output, language: lang)
            }
            let tables = template.tables.map(\.file).joined(separator: ", ")
            return CommandOutput(
                stderr: OutputFile.written(output, language: lang)
                    + (lang == .vi ? "các bảng: \(tables)\n" : "tables: \(tables)\n"))
        } catch {
            return Failure.output(for: error, color: false, language: lang)
        }
    }

    /// Writes the CSV tables into a folder, made when missing; a folder that already holds a table is
    /// refused, so that no filled table is overwritten.
    static func writeFolder(_ files: [String: String], to folder: String, language: Language) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw UsageError(
                    message: language == .vi
                        ? "--format csv ghi một thư mục, nhưng \(QuotedPath.quote(folder)) là một tệp"
                        : "--format csv writes a folder, but \(QuotedPath.quote(folder)) is a file")
            }
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            if let table = existing.sorted().first(where: { files[$0] != nil && $0.hasSuffix(".csv") }) {
                throw UsageError(
                    message: language == .vi
                        ? "thư mục \(QuotedPath.quote(folder)) đã có bảng \(table): chọn một thư mục mới để không ghi đè số liệu đã điền"
                        : "the folder \(QuotedPath.quote(folder)) already holds \(table): choose a new folder so that no filled table is overwritten")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw OutputFile.WriteError(
                    message: language == .vi ? "không tạo được thư mục \(QuotedPath.quote(folder))" : "cannot create the folder \(QuotedPath.quote(folder))")
            }
        }
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            try OutputFile.write(Data(text.utf8), to: (folder as NSString).appendingPathComponent(name), language: language)
        }
    }
}
