import ArgumentParser
import CriteriaEngine

/// `criteria schema`: prints the JSON Schema of rule files for editors.
public struct SchemaCommand: OutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of rule files, for completion and inline errors in an editor.",
        discussion: "Save it (criteria schema > criteria.schema.json) and point your YAML language server at it; see Docs/editor.md.")

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Returns the schema.
    public func execute() -> CommandOutput { CommandOutput(stdout: RuleSchema.json()) }
}
