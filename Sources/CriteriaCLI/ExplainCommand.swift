import ArgumentParser
import CriteriaEngine

/// `criteria explain DATASET --entity ID`: the explanation tree of one entity's verdicts.
public struct ExplainCommand: OutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one entity's verdicts: each condition, the values read, the threshold, the legal clause.",
        discussion: "Shows the reasons that mattered; --full shows every condition.")

    /// The dataset.
    @Argument(help: "The dataset: a .yaml, .json or .xlsx file, or a folder of CSV tables.")
    var dataset: String

    @OptionGroup var options: EvaluationOptions

    /// The entity to explain.
    @Option(help: "The entity's id.")
    var entity: String

    /// Only these criteria.
    @Option(name: .customLong("criterion"), help: "Only this criterion (repeatable).")
    var criteria: [String] = []

    /// Whether to show every condition.
    @Flag(help: "Show every condition, not only those that decided the outcome.")
    var full = false

    /// Whether to show the technical details in the text output.
    @Flag(help: "Text output: also show each condition's expression and the names of the values read (chi tiết kỹ thuật).")
    var technical = false

    /// Output format.
    @Option(help: OutputFormat.help)
    var format: OutputFormat = .text

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Evaluates and renders the entity's explanations.
    public func execute() -> CommandOutput {
        let color = options.color.enabled(terminal: Terminal.stdoutIsTerminal)
        do {
            let (graph, data, date) = try options.load(dataset: dataset, criteria: criteria)
            guard let index = data.index(of: entity) else { throw EntityLookup.notFound(entity, in: data) }
            let record = data.entities[index]
            let applicable = graph.criteria(at: record.level).filter { criteria.isEmpty || criteria.contains($0) }
            if applicable.isEmpty {
                let level = record.level.label
                let named = Dictionary(criteria.compactMap { graph.level(of: $0) }.map { ($0.name, $0.label) }) { a, _ in a }
                let wanted = named.keys.sorted().compactMap { named[$0] }
                let list = (vi: wanted.map(\.vi).joined(separator: ", "), en: wanted.map(\.english).joined(separator: ", "))
                throw UsageError(
                    criteria.isEmpty
                        ? .vi(
                            "không có tiêu chí nào của bộ quy tắc này áp dụng cho cấp \(level.vi); '\(entity)' là \(record.name) (cấp \(level.vi))",
                            en: "no criterion of these rules applies to a \(level.english); '\(entity)' is \(record.name), a \(level.english)")
                        : .vi(
                            "'\(entity)' là \(record.name) (cấp \(level.vi)), nhưng \(criteria.joined(separator: ", ")) áp dụng cho cấp \(list.vi)",
                            en: "'\(entity)' is \(record.name), a \(level.english), but \(criteria.joined(separator: ", ")) applies to a \(list.en)"))
            }
            let result = Evaluator(graph: graph, limits: options.limits).explain(entity: index, in: data, asOf: date, criteria: applicable)
            let out: String
            switch format {
            case .json: out = JSON.encode(EvaluationOutputV1(result, full: full, entities: [index]))
            case .text: out = ExplanationTextRenderer(language: options.lang, color: color, technical: technical).document(result, entity: index, full: full)
            case .markdown: out = MarkdownRenderer(language: options.lang).explain(result, entity: index, full: full)
            case .html: out = HTMLRenderer(language: options.lang).explain(result, entity: index, full: full)
            case .xlsx:
                throw UsageError(
                    .vi(
                        "explain không xuất Excel: dùng check --format xlsx --output TỆP.xlsx cho bảng kết quả",
                        en: "explain has no Excel output: use check --format xlsx --output FILE.xlsx for the table of verdicts"))
            }
            return CommandOutput(stdout: out, stderr: Failure.warnings(data.notes + result.limitDiagnostics, color: options.color, language: options.lang))
        } catch {
            return Failure.output(for: error, color: options.color.enabled(terminal: Terminal.stderrIsTerminal), language: options.lang)
        }
    }
}
