import ArgumentParser
import CriteriaEngine

/// `criteria graph`: draws the evaluation graph as Mermaid or Graphviz DOT.
public struct GraphCommand: OutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the evaluation graph: criteria, their conditions, and the 'meets' dependencies between criteria.",
        discussion: """
            Mermaid renders in GitHub and GitLab Markdown (put it in a ```mermaid block); DOT renders with Graphviz \
            (criteria graph --format dot | dot -Tsvg > graph.svg). Each criterion is drawn from its latest version.
            """)

    /// The rules folder.
    @Option(help: "The rules folder.")
    var rules: String = "Rules"

    /// Only these criteria (and what they depend on).
    @Option(name: .customLong("criterion"), help: "Only this criterion and the criteria it depends on (repeatable).")
    var criteria: [String] = []

    /// Output format.
    @Option(help: "Output format: mermaid or dot.")
    var format: GraphFormat = .mermaid

    /// Whether to draw inputs and parameters.
    @Flag(help: "Also draw the inputs and parameters each check reads.")
    var inputs = false

    /// Language of titles and labels.
    @Option(help: "Language of titles and labels: vi or en.")
    var lang: Language = .vi

    /// When to colour error messages.
    @Option(help: "Colour of error messages: auto (on a terminal), always or never.")
    var color: ColorMode = .auto

    /// The formats graph writes.
    enum GraphFormat: String, ExpressibleByArgument, CaseIterable { case mermaid, dot }

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Loads the rules and draws them.
    public func execute() -> CommandOutput {
        do {
            let graph = try RuleSetLoader.load(path: rules)
            try CriterionLookup.check(criteria, in: graph, rules: rules)
            let diagram = RuleGraphDiagram(graph: graph, criteria: criteria, inputs: inputs, language: lang)
            // Titles come from the rules: a control character in one is shown escaped, never emitted.
            return CommandOutput(stdout: DisplayText.lines(format == .mermaid ? diagram.mermaid() : diagram.dot()))
        } catch {
            return Failure.output(for: error, color: color.enabled(terminal: Terminal.stderrIsTerminal), language: lang)
        }
    }
}
