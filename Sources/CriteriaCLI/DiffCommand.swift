import ArgumentParser
import CriteriaEngine

/// `criteria diff OLD NEW --data DATASET`: whose verdicts a change of rules flips, and why.
public struct DiffCommand: OutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Evaluate a dataset under two rule versions and list every verdict that changes, grouped by the rule change that causes it.",
        discussion: "OLD and NEW are rules folders or git revisions of the rules folder (e.g. HEAD~1). Exit 0 when it ran, whatever it found.")

    /// The old rules.
    @Argument(help: "The old rules: a folder or a git revision.")
    var old: String

    /// The new rules.
    @Argument(help: "The new rules: a folder or a git revision.")
    var new: String

    /// The dataset.
    @Option(help: "The dataset to evaluate under both rule sets.")
    var data: String

    /// The date.
    @Option(name: .customLong("as-of"), help: "Evaluate as of this date, YYYY-MM-DD.")
    var asOf: String

    /// The rules folder inside a git revision.
    @Option(name: .customLong("rules-path"), help: "The rules folder inside a git revision.")
    var rulesPath: String = "Rules"

    /// Language.
    @Option(help: "Language: vi or en.")
    var lang: Language = .vi

    /// Whether to show the explanations.
    @Flag(help: "Show the explanations before and after for each changed verdict.")
    var explain = false

    /// Output format.
    @Option(help: "Output format: text or json.")
    var format: DiffFormat = .text

    @OptionGroup(title: "Limits (Docs/limits.md)") var limitOptions: LimitOptions

    /// The formats `diff` writes.
    enum DiffFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Evaluates under both rule sets and renders the differences.
    public func execute() -> CommandOutput {
        do {
            guard let date = LocalDate(iso: asOf) else {
                throw UsageError(AsOfText.notADate(asOf))
            }
            let limits = limitOptions.limits
            let oldGraph = try RuleSource.load(old, rulesPath: rulesPath, limits: limits)
            let newGraph = try RuleSource.load(new, rulesPath: rulesPath, limits: limits)
            let dataset = try DatasetReader.read(path: data, inputs: newGraph.inputs, limits: limits)
            let before = Evaluator(graph: oldGraph, limits: limits).evaluate(dataset, asOf: date)
            let after = Evaluator(graph: newGraph, limits: limits).evaluate(dataset, asOf: date)
            let diff = VerdictDiff(old: before, new: after, changes: RuleChanges.compare(old: oldGraph, new: newGraph), graph: newGraph)
            let warnings = Failure.warnings(dataset.notes + before.limitDiagnostics + after.limitDiagnostics, color: .auto, language: lang)
            switch format {
            case .json: return CommandOutput(stdout: JSON.encode(VerdictDiffV1(diff)), stderr: warnings)
            case .text: return CommandOutput(stdout: DiffText.render(diff, language: lang, explain: explain), stderr: warnings)
            }
        } catch {
            return Failure.output(for: error, color: Terminal.stderrIsTerminal, language: lang)
        }
    }
}

/// `criteria changes OLD NEW`: the changelog in words.
public struct ChangesCommand: OutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "State in words what changed between two rule sets (thresholds, conditions, periods).",
        discussion: "OLD and NEW are rules folders or git revisions of the rules folder.")

    @Argument(help: "The old rules: a folder or a git revision.")
    var old: String

    @Argument(help: "The new rules: a folder or a git revision.")
    var new: String

    @Option(name: .customLong("rules-path"), help: "The rules folder inside a git revision.")
    var rulesPath: String = "Rules"

    @Option(help: "Language: vi or en.")
    var lang: Language = .vi

    @OptionGroup(title: "Limits (Docs/limits.md)") var limitOptions: LimitOptions

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Lists the changes.
    public func execute() -> CommandOutput {
        do {
            let changes = RuleChanges.compare(
                old: try RuleSource.load(old, rulesPath: rulesPath, limits: limitOptions.limits),
                new: try RuleSource.load(new, rulesPath: rulesPath, limits: limitOptions.limits))
            return CommandOutput(stdout: RuleChanges.text(changes, language: lang))
        } catch {
            return Failure.output(for: error, color: Terminal.stderrIsTerminal, language: lang)
        }
    }
}

/// The text form of a verdict diff.
enum DiffText {
    static func render(_ diff: VerdictDiff, language: Language, explain: Bool) -> String {
        let vi = language == .vi
        var out = (vi ? "Thay đổi của quy tắc:\n" : "Rule changes:\n")
        out += diff.changes.isEmpty ? (vi ? "  (không có)\n" : "  (none)\n") : diff.changes.map { "  - " + $0.text.text(in: language) }.joined(separator: "\n") + "\n"
        let flips = diff.flips
        out += "\n" + (vi ? "\(flips.count) kết quả thay đổi" : "\(flips.count) verdict\(flips.count == 1 ? "" : "s") change") + "\n"
        let renderer = ExplanationTextRenderer(language: language)
        for group in diff.groups {
            out += "\n" + (group.change.map { (vi ? "Do: " : "Caused by: ") + $0.text.text(in: language) } ?? (vi ? "Không rõ nguyên nhân trực tiếp:" : "No single rule change named:")) + "\n"
            for flip in group.flips {
                let e = diff.dataset.entities[flip.entity]
                out += "  \(DisplayText.line(e.id))  \(DisplayText.line(e.name))  \(flip.criterion): \(flip.before.text(in: language)) → \(flip.after.text(in: language))"
                out += "  [\(flip.changedConditions.joined(separator: ", "))]\n"
                if explain {
                    out += "    " + (vi ? "trước:" : "before:") + "\n" + indent(renderer.render(flip.beforeExplanation.short), "      ")
                    out += "    " + (vi ? "sau:" : "after:") + "\n" + indent(renderer.render(flip.afterExplanation.short), "      ")
                }
            }
        }
        if !flips.isEmpty {
            out += "\n" + (vi ? "Theo tiêu chí:" : "By criterion:") + "\n"
            for (criterion, transitions) in diff.totalsByCriterion.sorted(by: { $0.key < $1.key }) {
                out += "  \(criterion): " + transitions.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + "\n"
            }
            out += (vi ? "Theo huyện:" : "By district:") + "\n"
            for (district, count) in diff.totalsByDistrict.sorted(by: { $0.key < $1.key }) {
                let name = diff.dataset.index(of: district).map { diff.dataset.entities[$0].name } ?? district
                out += "  \(DisplayText.line(district)) \(DisplayText.line(name)): \(count)\n"
            }
        }
        // No colour here: whatever else came from the rules or the data is made safe in one pass.
        return DisplayText.lines(out)
    }

    static func indent(_ text: String, _ prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : prefix + $0 }.joined(separator: "\n")
    }
}
