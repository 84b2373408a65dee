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
    @Argument(help: "The dataset: a .yaml or .json file, or a folder of CSV tables.")
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

    /// Output format.
    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Evaluates and renders the entity's explanations.
    public func execute() -> CommandOutput {
        let color = options.color.enabled(terminal: Terminal.stdoutIsTerminal)
        do {
            let (graph, data, date) = try options.load(dataset: dataset, criteria: criteria)
            guard let index = data.index(of: entity) else { throw UsageError(message: EntityLookup.notFound(entity, in: data)) }
            let record = data.entities[index]
            let applicable = graph.criteria(at: record.level).filter { criteria.isEmpty || criteria.contains($0) }
            if applicable.isEmpty {
                throw UsageError(message: "no criterion of these rules applies to a \(record.level.rawValue); '\(entity)' is \(record.name), a \(record.level.rawValue)")
            }
            let result = Evaluator(graph: graph).evaluate(data, asOf: date, criteria: Set(applicable))
            let verdicts = result.verdicts(for: index)
            switch format {
            case .json:
                return CommandOutput(stdout: JSON.encode(EvaluationOutputV1(result, full: full, entities: [index])))
            case .text:
                let renderer = ExplanationTextRenderer(language: options.lang, color: color)
                let vi = options.lang == .vi
                var out = "\(record.name) (\(record.id)) · \(vi ? record.level.vietnamese : record.level.rawValue) · "
                out += (vi ? "ngày đánh giá " : "as of ") + "\(date)\n"
                if data.synthetic { out += vi ? "(dữ liệu giả lập)\n" : "(synthetic data)\n" }
                for verdict in verdicts {
                    out += "\n" + renderer.render(full ? verdict.explanation : verdict.explanation.short)
                }
                return CommandOutput(stdout: out)
            }
        } catch {
            return Failure.output(for: error, color: options.color.enabled(terminal: Terminal.stderrIsTerminal))
        }
    }
}
