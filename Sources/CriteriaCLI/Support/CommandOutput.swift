import ArgumentParser
import CriteriaEngine
import Foundation

/// What a command printed and how it ended; commands build it so tests can run them in process.
public struct CommandOutput: Sendable, Equatable {
    /// Text for standard output.
    public var stdout: String = ""
    /// Text for standard error.
    public var stderr: String = ""
    /// The exit code: 0 ran clean, 1 findings or unreadable input, 64 usage.
    public var exitCode: Int32 = 0

    /// Creates an output.
    public init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }

    /// Writes the output to the process's streams and exits with its code when it is not 0.
    func emit() throws {
        if !stdout.isEmpty { FileHandle.standardOutput.write(Data(stdout.utf8)) }
        if !stderr.isEmpty { FileHandle.standardError.write(Data(stderr.utf8)) }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}

/// A command whose work is a pure function from its options to a `CommandOutput`.
public protocol OutputCommand: ParsableCommand {
    /// Runs the command and returns what it would print, without printing.
    func execute() -> CommandOutput
}

extension OutputCommand {
    /// Runs the command and prints its output.
    public mutating func run() throws { try execute().emit() }
}

/// How the CLI reports what went wrong, in one place.
enum Failure {
    /// Renders an error from loading rules or data: diagnostics with snippets, or one sentence.
    static func output(for error: any Error, color: Bool, json: Bool = false) -> CommandOutput {
        if let diagnostics = error as? DiagnosticsError {
            if json {
                return CommandOutput(stdout: JSON.encode(DiagnosticsOutputV1(diagnostics.diagnostics)), exitCode: 1)
            }
            let renderer = DiagnosticRenderer(color: color, line: SourceLines.cached())
            return CommandOutput(stderr: renderer.text(diagnostics.diagnostics) + summary(diagnostics.diagnostics), exitCode: 1)
        }
        if let environment = error as? EnvironmentError {
            return CommandOutput(stderr: "error: \(environment.description)\n", exitCode: 1)
        }
        if let usage = error as? UsageError {
            return CommandOutput(stderr: "error: \(usage.message)\n", exitCode: 64)
        }
        return CommandOutput(stderr: "error: \(error.localizedDescription)\n", exitCode: 1)
    }

    /// Warnings found while evaluating (a verdict that ran out of steps), rendered for standard error;
    /// empty when there are none.
    static func warnings(_ diagnostics: [Diagnostic], color: ColorMode) -> String {
        guard !diagnostics.isEmpty else { return "" }
        let renderer = DiagnosticRenderer(color: color.enabled(terminal: Terminal.stderrIsTerminal), line: SourceLines.cached())
        return renderer.text(diagnostics) + summary(diagnostics)
    }

    static func summary(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        let notes = diagnostics.filter { $0.severity == .note }.count
        var parts = ["\(errors) error\(errors == 1 ? "" : "s")"]
        if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        if notes > 0 { parts.append("\(notes) note\(notes == 1 ? "" : "s")") }
        return parts.joined(separator: ", ") + "\n"
    }
}

/// A mistake in how the command was called that only shows once its input is read
/// (an entity or criterion that does not exist). Exit code 64.
struct UsageError: Error {
    var message: String
}

/// Reads source lines for diagnostic snippets.
enum SourceLines {
    /// The text of a 1-based line of a file, or `nil` when it cannot be read.
    @Sendable static func line(_ path: String, _ number: Int) -> String? {
        guard let source = try? SourceReader.read(path: path, maxBytes: Limits.default.maxDataBytes) else { return nil }
        return source.line(number).map(String.init)
    }

    /// A line reader that reads each file once: a hundred diagnostics in a 200 MB dataset read it
    /// once, not a hundred times. Use one per rendering.
    static func cached() -> @Sendable (String, Int) -> String? {
        let cache = FileCache()
        return { path, number in cache.file(path)?.line(number).map(String.init) }
    }

    /// The files read so far, by path (`nil` for a file that could not be read).
    private final class FileCache: @unchecked Sendable {
        private let lock = NSLock()
        private var files: [String: SourceFile?] = [:]

        func file(_ path: String) -> SourceFile? {
            lock.lock()
            defer { lock.unlock() }
            if let known = files[path] { return known }
            let read = try? SourceReader.read(path: path, maxBytes: Limits.default.maxDataBytes)
            files[path] = .some(read)
            return read
        }
    }
}

/// JSON encoding with stable key order.
enum JSON {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return (String(bytes: data, encoding: .utf8) ?? "{}") + "\n"
    }
}

/// Whether standard output or error is a terminal, for colour.
enum Terminal {
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// When to colour output.
enum ColorMode: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    func enabled(terminal: Bool) -> Bool {
        switch self {
        case .auto: terminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        case .always: true
        case .never: false
        }
    }
}
