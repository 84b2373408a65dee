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

/// A command that writes its standard output as it makes it (a check of a whole province), so that
/// what it prints is never held in memory at once.
public protocol StreamingOutputCommand: OutputCommand {
    /// Runs the command, handing standard output to `write` piece by piece; the returned output
    /// holds standard error and the exit code (and any standard output not yet written).
    func execute(write: (String) -> Void) -> CommandOutput
}

extension StreamingOutputCommand {
    /// Runs the command and returns what it would print, without printing.
    public func execute() -> CommandOutput {
        var written = ""
        var output = execute { written += $0 }
        output.stdout = written + output.stdout
        return output
    }

    /// Runs the command, printing standard output as it comes in blocks of 64 KiB.
    public mutating func run() throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        let output = execute { piece in
            buffer.append(contentsOf: piece.utf8)
            if buffer.count >= 1 << 16 {
                FileHandle.standardOutput.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { FileHandle.standardOutput.write(Data(buffer)) }
        try output.emit()
    }
}

/// How the CLI reports what went wrong, in one place.
enum Failure {
    /// Renders an error from loading rules or data: diagnostics with snippets, or one sentence.
    static func output(for error: any Error, color: Bool, json: Bool = false, language: Language = .vi) -> CommandOutput {
        if let diagnostics = error as? DiagnosticsError {
            if json {
                return CommandOutput(stdout: JSON.encode(DiagnosticsOutputV1(diagnostics.diagnostics)), exitCode: 1)
            }
            let renderer = DiagnosticRenderer(color: color, language: language, excerpt: SourceLines.cached())
            return CommandOutput(stderr: renderer.text(diagnostics.diagnostics) + summary(diagnostics.diagnostics, language: language), exitCode: 1)
        }
        // The word before the sentence is the one the diagnostics use ("lỗi:" / "error:").
        let label = language == .vi ? "lỗi" : "error"
        if let environment = error as? EnvironmentError {
            return CommandOutput(stderr: "\(label): \(DisplayText.lines(environment.text.text(in: language)))\n", exitCode: 1)
        }
        if let usage = error as? UsageError {
            return CommandOutput(stderr: "\(label): \(DisplayText.lines(usage.text.text(in: language)))\n", exitCode: 64)
        }
        return CommandOutput(stderr: "\(label): \(DisplayText.lines(error.localizedDescription))\n", exitCode: 1)
    }

    /// Warnings found while evaluating (a verdict that ran out of steps), rendered for standard error;
    /// empty when there are none.
    static func warnings(_ diagnostics: [Diagnostic], color: ColorMode, language: Language = .vi) -> String {
        guard !diagnostics.isEmpty else { return "" }
        let renderer = DiagnosticRenderer(color: color.enabled(terminal: Terminal.stderrIsTerminal), language: language, excerpt: SourceLines.cached())
        return renderer.text(diagnostics) + summary(diagnostics, language: language)
    }

    static func summary(_ diagnostics: [Diagnostic], language: Language = .vi) -> String {
        DiagnosticRenderer.summary(diagnostics, language: language)
    }
}

/// A mistake in how the command was called that only shows once its input is read
/// (an entity or criterion that does not exist). Exit code 64.
struct UsageError: Error {
    /// What went wrong and how to fix it, in both languages.
    var text: LocalizedText

    /// A message already in the language the command was asked for.
    init(message: String) { text = LocalizedText(vi: message, en: message) }

    /// A message in both languages; the command's `--lang` chooses.
    init(_ text: LocalizedText) { self.text = text }
}

/// Reads source lines for diagnostic snippets.
enum SourceLines {
    /// A line reader for one rendering: each file is mapped into memory once and scanned only as far
    /// as the lines asked for, and of a line only the part around the column is decoded, so a hundred
    /// diagnostics in a 200 MB dataset, one at line 1 of a file refused as too large, or one at the
    /// end of a 7 MB line of minified JSON, cost little time and memory.
    static func cached() -> @Sendable (SourceRange) -> DisplayText.LinePart? {
        let cache = FileCache()
        return { range in cache.part(of: range) }
    }

    /// The files mapped so far, by path, with the offsets of the line starts found so far.
    private final class FileCache: @unchecked Sendable {
        private struct Lines {
            var bytes: Data
            /// The offset of the first byte of each line found so far (line 1 at index 0).
            var starts: [Int]
            /// Where scanning stopped.
            var scanned: Int
            /// The last column reached in a line and its byte offset, so that the diagnostics of one
            /// long line (sorted by column) walk it once, not once each.
            var cursor: (line: Int, column: Int, offset: Int) = (0, 1, 0)
        }

        private let lock = NSLock()
        private var files: [String: Lines?] = [:]

        func part(of range: SourceRange) -> DisplayText.LinePart? {
            let number = range.start.line
            guard number >= 1 else { return nil }
            lock.lock()
            defer { lock.unlock() }
            let path = range.file
            if files[path] == nil {
                // Only a regular file is read for a snippet: never a FIFO or a device.
                let data = SourceReader.isRegularFile(path) ? try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) : nil
                files[path] = .some(data.map { Lines(bytes: $0, starts: [0], scanned: 0) })
            }
            guard var lines = files[path] ?? nil else { return nil }
            defer { files[path] = .some(lines) }
            return lines.bytes.withUnsafeBytes { raw -> DisplayText.LinePart? in
                let bytes = raw.bindMemory(to: UInt8.self)
                guard let base = bytes.baseAddress else { return nil }
                // Find line starts up to `number + 1` (`\n`, `\r\n` or `\r` end a line).
                while lines.starts.count <= number && lines.scanned < bytes.count {
                    let rest = bytes.count - lines.scanned
                    let lf = memchr(base + lines.scanned, 0x0A, rest).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
                    let cr = memchr(base + lines.scanned, 0x0D, (lf ?? bytes.count) - lines.scanned)
                        .map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
                    guard let at = cr ?? lf else {
                        lines.scanned = bytes.count
                        break
                    }
                    lines.scanned = at + 1
                    if bytes[at] == 0x0D, lines.scanned < bytes.count, bytes[lines.scanned] == 0x0A { lines.scanned += 1 }
                    lines.starts.append(lines.scanned)
                }
                guard number - 1 < lines.starts.count else { return nil }
                var start = lines.starts[number - 1]
                if number == 1, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
                var end = number < lines.starts.count ? lines.starts[number] : bytes.count
                while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
                // Walk to the first column shown (a scalar starts at every byte but 10xxxxxx).
                let first = max(1, range.start.column - DisplayText.snippetLead)
                var (column, offset) = (1, start)
                if lines.cursor.line == number, lines.cursor.column <= first { (column, offset) = (lines.cursor.column, lines.cursor.offset) }
                while column < first && offset < end {
                    offset += 1
                    while offset < end && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
                    column += 1
                }
                lines.cursor = (number, column, offset)
                var stop = offset
                var count = 0
                while count < DisplayText.snippetWidth && stop < end {
                    stop += 1
                    while stop < end && bytes[stop] & 0xC0 == 0x80 { stop += 1 }
                    count += 1
                }
                guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[offset..<stop]), as: UTF8.self) else { return nil }
                return DisplayText.LinePart(text: text, firstColumn: column, cutBefore: offset > start, cutAfter: stop < end)
            }
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
