import Foundation
import ArgumentParser
import CriteriaEngine

/// `criteria lint [PATH…]`: checks rule files and reports every problem.
public struct LintCommand: OutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check rule files and report every problem with its place and a fix.",
        discussion: """
            A folder is checked as a whole rule set. A file is checked together with the rules of --rules: \
            it stands in for the rule file there that defines the same criterion, so an edited copy can be \
            checked before it replaces the original. Exit 0 when clean, 1 on errors (with --strict, on warnings too).
            """)

    /// Rule folders or files to check.
    @Argument(help: "Rule folders or files (default: the --rules folder).")
    var paths: [String] = []

    /// The rules folder that gives context to single files.
    @Option(help: "The rules folder that supplies inputs, parameters and other criteria.")
    var rules: String = "Rules"

    /// Whether warnings count as failures; also shows the notes on provisional clauses.
    @Flag(help: "Make warnings count as failures, and list every provisional clause.")
    var strict = false

    /// Output format.
    @Option(help: "Output format: text or json.")
    var format: DiagnosticFormat = .text

    /// When to colour.
    @Option(help: "Colour: auto (on a terminal), always or never.")
    var color: ColorMode = .auto

    /// The language of the messages and hints.
    @Option(help: "Language of messages and hints: vi or en.")
    var lang: Language = .vi

    @OptionGroup(title: "Limits (Docs/limits.md)") var limitOptions: LimitOptions

    /// The formats lint writes.
    enum DiagnosticFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Checks the rule sets and renders what was found.
    public func execute() -> CommandOutput {
        var found: [Diagnostic] = []
        var failed = false
        let targets = paths.isEmpty ? [rules] : paths
        let folders = targets.filter { isDirectory($0) }
        let files = targets.filter { !isDirectory($0) }
        var groups: [(files: [String], context: String?)] = folders.map { ([], $0) }
        if !files.isEmpty { groups.append((files, isDirectory(rules) ? rules : nil)) }
        for group in groups {
            do {
                let graph = try RuleSetLoader.load(files: group.files, context: group.context, limits: limitOptions.limits)
                found += graph.diagnostics
            } catch let error as DiagnosticsError {
                found += error.diagnostics
                failed = true
            } catch {
                return Failure.output(for: error, color: color.enabled(terminal: Terminal.stderrIsTerminal), language: lang)
            }
        }
        let shown = found.filter { strict || $0.id != "rules.provisional" }
        if shown.contains(where: { $0.severity == .warning }) && strict { failed = true }
        let code: Int32 = failed ? 1 : 0
        switch format {
        case .json:
            return CommandOutput(stdout: JSON.encode(DiagnosticsOutputV1(shown)), exitCode: code)
        case .text:
            guard !shown.isEmpty else { return CommandOutput(exitCode: code) }
            let renderer = DiagnosticRenderer(color: color.enabled(terminal: Terminal.stderrIsTerminal), language: lang, excerpt: SourceLines.cached())
            return CommandOutput(stderr: renderer.text(shown) + Failure.summary(shown, language: lang), exitCode: code)
        }
    }
}

func isDirectory(_ path: String) -> Bool {
    var flag: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
}
