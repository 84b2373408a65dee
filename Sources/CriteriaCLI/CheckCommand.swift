import ArgumentParser
import CriteriaEngine
import Foundation

/// `criteria check DATASET`: evaluates every entity and prints a verdict table per level.
public struct CheckCommand: StreamingOutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate every entity of a dataset and print the verdicts, with the reason for each fail or unknown.",
        discussion: "Exit 0 when it ran, whatever the verdicts; --fail-on makes failing (or unknown) verdicts exit 1.")

    /// The dataset: a .yaml, .json or .xlsx file, or a folder of CSV tables.
    @Argument(help: "The dataset: a .yaml, .json or .xlsx file, or a folder of CSV tables.")
    var dataset: String

    @OptionGroup var options: EvaluationOptions

    /// Only these criteria.
    @Option(name: .customLong("criterion"), help: "Only this criterion (repeatable).")
    var criteria: [String] = []

    /// Only this entity.
    @Option(help: "Only this entity (by id).")
    var entity: String?

    /// Output format.
    @Option(help: OutputFormat.help)
    var format: OutputFormat = .text

    /// The file to write instead of standard output; required with `--format xlsx`.
    @Option(help: ArgumentHelp("Write the result to this file instead of standard output (required with --format xlsx).", valueName: "file"))
    var output: String?

    /// Which verdicts make the exit code 1.
    @Option(name: .customLong("fail-on"), help: "Exit 1 when a verdict is fail (or, with 'unknown', fail or unknown).")
    var failOn: FailOn?

    /// Verdicts (or target outcomes) that make `check` and `report` exit 1.
    enum FailOn: String, ExpressibleByArgument, CaseIterable {
        case fail, unknown

        /// The outcomes that count: fail, or fail and unknown.
        var outcomes: Set<Outcome> { self == .fail ? [.fail] : [.fail, .unknown] }
    }

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Evaluates and renders, writing as it goes: the outcomes of every verdict first (one byte each),
    /// then each entity's row with the reasons for its fails and unknowns, explained when the row is
    /// written, so memory holds the dataset and one row at a time (`Docs/performance.md`).
    public func execute(write: (String) -> Void) -> CommandOutput {
        let color = options.color.enabled(terminal: Terminal.stdoutIsTerminal)
        // Made first, so that its delay counts the reading too: on a large dataset the rows are
        // written after a few seconds, and the counter shows how far they are.
        let progress = ProgressBar(label: options.lang == .vi ? "đánh giá" : "evaluating")
        defer { progress.finish() }
        do {
            let file = try OutputFile.required(output, format: format, language: options.lang)
            let (graph, data, date) = try options.load(dataset: dataset, criteria: criteria)
            var only: Set<Int>? = nil
            if let entity {
                guard let index = data.index(of: entity) else {
                    throw EntityLookup.notFound(entity, in: data)
                }
                only = [index]
            }
            // Without --criterion, the criteria in force on the date: the others would only add columns
            // of "not applicable"; a note names them.
            let inForce = graph.order.filter { graph.version(of: $0, on: date) != nil }
            let left = criteria.isEmpty ? graph.order.filter { !inForce.contains($0) } : []
            let table = Evaluator(graph: graph, limits: options.limits).outcomes(
                data, asOf: date, criteria: criteria.isEmpty ? Set(inForce) : Set(criteria))
            let summary = VerdictSummary(table, entities: only)
            // With --output, the text is gathered and written to the file (a workbook is made whole).
            func render(_ sink: (String) -> Void) {
                switch format {
                case .json: StreamedEvaluationJSON.write(table, entities: only, to: sink, progress: progress.update)
                case .text: VerdictTextRenderer(language: options.lang, color: file == nil && color).render(summary, progress: progress.update, write: sink)
                case .markdown: MarkdownRenderer(language: options.lang).check(summary, write: sink)
                case .html: HTMLRenderer(language: options.lang).check(summary, write: sink)
                case .xlsx: break
                }
            }
            var text = ""
            if file == nil { render(write) } else { render { text += $0 } }
            var wrote = ""
            if let file {
                let bytes = format == .xlsx ? try VerdictWorkbook(language: options.lang).data(summary) : Data(text.utf8)
                try OutputFile.write(bytes, to: file, language: options.lang)
                wrote = OutputFile.written(file, language: options.lang)
            }
            var code: Int32 = 0
            if let failOn, summary.counts.contains(where: { failOn.outcomes.contains($0.key) && $0.value > 0 }) { code = 1 }
            var notes = Failure.warnings(data.notes + table.limitDiagnostics, color: options.color, language: options.lang)
            if !left.isEmpty {
                let list = left.map { id in "\(id) (\((graph.criteria[id] ?? []).map { $0.inForce.text(in: options.lang) }.joined(separator: "; ")))" }
                notes += options.lang == .vi
                    ? "ghi chú: không có hiệu lực vào ngày \(date.vietnamese) nên không liệt kê: \(list.joined(separator: ", ")); chọn bằng --criterion để xem.\n"
                    : "note: not in force on \(date), so not listed: \(list.joined(separator: ", ")); name one with --criterion to see it.\n"
            }
            return CommandOutput(stderr: notes + wrote, exitCode: code)
        } catch {
            return Failure.output(for: error, color: options.color.enabled(terminal: Terminal.stderrIsTerminal), language: options.lang)
        }
    }
}

/// Finding entities by id, with a did-you-mean.
enum EntityLookup {
    /// No entity has the id: the sentence, with the id of an entity of that name or the nearest id.
    static func notFound(_ id: String, in dataset: Dataset) -> UsageError {
        let ids = dataset.entities.map(\.id)
        let byName = dataset.entities.first { $0.name.lowercased() == id.lowercased() }
        let hint = byName.map { LocalizedText.vi("'\(id)' là tên của \($0.id) — hãy dùng mã của nó", en: "'\(id)' is the name of \($0.id) — use its id") }
            ?? Suggestion.hint(for: id, among: ids)
        return UsageError(
            LocalizedText.vi("không có đơn vị nào mã '\(id)' trong \(dataset.source)", en: "there is no entity with id '\(id)' in \(dataset.source)")
                .appending(hint, separator: "; "))
    }
}
