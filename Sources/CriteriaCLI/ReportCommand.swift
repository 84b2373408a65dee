import ArgumentParser
import CriteriaEngine
import Foundation

/// `criteria report DATASET --plan FILE`: measures a province plan's targets against a dataset.
public struct ReportCommand: OutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Measure a plan's targets (share of communes or districts meeting a criterion, crime against a base year) on a dataset.",
        discussion: """
            For each target: the measured value, the target, met / not met / unknown (unknown when missing data \
            could decide it), and the communes or districts that hold it back. A target over a criterion not in \
            force on the date is not applicable. Exit 0 when it ran; --fail-on makes unmet (or unknown) targets exit 1. \
            The plan format is in Docs/plans.md.
            """)

    /// The dataset.
    @Argument(help: "The dataset: a .yaml, .json or .xlsx file, or a folder of CSV tables.")
    var dataset: String

    /// The plan file.
    @Option(help: "The plan file, e.g. Rules/plans/thanh-hoa-2022-2025.yaml.")
    var plan: String

    @OptionGroup var options: EvaluationOptions

    /// Output format.
    @Option(help: OutputFormat.help)
    var format: OutputFormat = .text

    /// The file to write instead of standard output; required with `--format xlsx`.
    @Option(help: ArgumentHelp("Write the report to this file instead of standard output (required with --format xlsx).", valueName: "file"))
    var output: String?

    /// Which target outcomes make the exit code 1.
    @Option(name: .customLong("fail-on"), help: "Exit 1 when a target is not met ('fail'), or not met or unknown ('unknown').")
    var failOn: CheckCommand.FailOn?

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Loads the rules, the plan and the data, measures the targets and renders the report.
    public func execute() -> CommandOutput {
        let color = options.color.enabled(terminal: Terminal.stdoutIsTerminal)
        do {
            let file = try OutputFile.required(output, format: format, language: options.lang)
            let date = try options.date()
            let graph = try RuleSetLoader.load(path: options.rules, limits: options.limits)
            let plan = try PlanParser.load(path: self.plan, graph: graph, limits: options.limits)
            let counted = plan.targets.compactMap(\.criterion)
            if let first = counted.flatMap({ graph.criteria[$0] ?? [] }).map(\.inForce.from).min(), date < first,
                let nothing = InForce.nothing(on: date, in: graph, selected: counted)
            {
                throw UsageError(message: nothing.message.text(in: options.lang))
            }
            let data = try DatasetReader.read(path: dataset, inputs: graph.inputs, limits: options.limits)
            let progress = ProgressBar(label: options.lang == .vi ? "đánh giá" : "evaluating")
            defer { progress.finish() }
            var report = PlanEvaluator(graph: graph, limits: options.limits).evaluate(plan, dataset: data, asOf: date, progress: progress.update)
            if options.asOf == nil {
                report.notes.insert(
                    LocalizedText(
                        vi: "Ngày đánh giá là hôm nay (\(date.vietnamese)) vì không có --as-of; chọn ngày khác bằng --as-of YYYY-MM-DD.",
                        en: "The evaluation date is today (\(date)) because --as-of was not given; choose another with --as-of YYYY-MM-DD."),
                    at: 0)
            }
            var code: Int32 = 0
            if let failOn, report.targets.contains(where: { failOn.outcomes.contains($0.outcome) }) { code = 1 }
            let out: String
            switch format {
            case .json: out = JSON.encode(PlanReportOutputV1(report))
            case .text: out = PlanReportTextRenderer(language: options.lang, color: color).render(report)
            case .markdown: out = MarkdownRenderer(language: options.lang).report(report)
            case .html: out = HTMLRenderer(language: options.lang).report(report)
            case .xlsx: out = ""
            }
            let warnings = Failure.warnings(data.notes, color: options.color, language: options.lang)
            if let file {
                let bytes = format == .xlsx ? try VerdictWorkbook(language: options.lang).data(report) : Data(out.utf8)
                try OutputFile.write(bytes, to: file, language: options.lang)
                return CommandOutput(stderr: warnings + OutputFile.written(file, language: options.lang), exitCode: code)
            }
            return CommandOutput(stdout: out, stderr: warnings, exitCode: code)
        } catch {
            return Failure.output(for: error, color: options.color.enabled(terminal: Terminal.stderrIsTerminal), language: options.lang)
        }
    }
}
