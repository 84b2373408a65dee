import ArgumentParser
import CriteriaEngine

/// The `criteria` command: checks rule files and evaluates commune and district data against them.
public struct CriteriaCommand: AsyncParsableCommand {
    /// The command's name, abstract and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "criteria",
        abstract: "Rules engine for the security-and-order criteria of Vietnam's New Rural Development programme.",
        discussion: """
            Exit codes: 0 when the command ran (and found nothing, for lint and test), 1 for findings \
            (invalid rules or plans, failed rule tests, verdicts or targets matched by --fail-on) or unreadable input, \
            64 for usage errors.
            """,
        version: EngineVersion.current,
        subcommands: [
            CheckCommand.self, ExplainCommand.self, ReportCommand.self, GraphCommand.self, TestCommand.self,
            DiffCommand.self, ChangesCommand.self, LintCommand.self, SchemaCommand.self, DocsCommand.self, ServeCommand.self,
            TemplateCommand.self,
        ]
    )

    /// Creates the command (ArgumentParser calls this).
    public init() {}
}

extension CriteriaCommand {
    /// Parses the process's arguments and runs the chosen command; the executable's only call.
    public static func runFromCommandLine() async {
        await main()
    }

    /// Runs a command line in process (the arguments after the program name, such as
    /// `["check", "data.yaml", "--as-of", "2024-12-31"]`) and returns what it would print and its
    /// exit code, without printing. Usage errors come back as ArgumentParser words them, exit 64.
    public static func output(arguments: [String]) -> CommandOutput {
        do {
            let command = try parseAsRoot(arguments)
            guard let command = command as? any OutputCommand else { return CommandOutput(stdout: helpMessage()) }
            return command.execute()
        } catch {
            let message = fullMessage(for: error) + "\n"
            let code = exitCode(for: error).rawValue
            return code == 0 ? CommandOutput(stdout: message) : CommandOutput(stderr: message, exitCode: code)
        }
    }
}
