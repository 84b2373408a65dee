import ArgumentParser
import CriteriaEngine
import Foundation

/// `criteria docs`: writes one Markdown page per criterion (and an index) from the rules and their
/// tests; with `--check`, reports the pages on disk that differ from what would be written.
public struct DocsCommand: OutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write the criterion pages (Docs/criteria/<id>.md and README.md) from the rules and their tests.",
        discussion: """
            Each page shows the criterion's titles, level, in-force periods, legal source (provisional clearly \
            marked), description, clauses, parameters, inputs, dependencies and the rule tests that cover it. \
            With --check nothing is written: exit 1 and name the stale pages when the files on disk differ \
            from what would be written, with one line naming the command that rewrites them (CI runs \
            'criteria docs --check'). Messages are in Vietnamese; --lang en for English.
            """)

    /// The rules folder.
    @Option(help: "The rules folder (its tests/ folders say which tests cover each criterion).")
    var rules: String = "Rules"

    /// Where the pages go.
    @Option(help: "The folder the pages are written to.")
    var output: String = "Docs/criteria"

    /// Whether to compare instead of writing.
    @Flag(help: "Write nothing; exit 1 and name the stale pages when those on disk differ.")
    var check = false

    /// When to colour diagnostics.
    @Option(help: "Colour: auto (on a terminal), always or never.")
    var color: ColorMode = .auto

    /// The language of the command's messages (the pages are written in both).
    @Option(help: "Language of messages and hints: vi or en.")
    var lang: Language = .vi

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Builds the pages and writes or checks them.
    public func execute() -> CommandOutput {
        do {
            let graph = try RuleSetLoader.load(path: rules)
            let tests = try RuleTestLoader.load(files: RuleTestLoader.testFiles(at: rules), graph: graph)
            let pages = CriterionPage(graph: graph, tests: tests, rulesFolder: rules).pages()
            let names = pages.keys.sorted()
            let extra = existingPages().filter { pages[$0] == nil }
            var stale: [String] = []
            for name in names where (try? String(contentsOfFile: path(name), encoding: .utf8)) != pages[name] {
                stale.append(name)
            }
            let vi = lang == .vi
            if check {
                guard stale.isEmpty && extra.isEmpty else {
                    var message = ""
                    for name in stale {
                        let missing = !FileManager.default.fileExists(atPath: path(name))
                        message += vi
                            ? "cũ: \(path(name)) (\(missing ? "chưa có" : "khác với quy tắc"))\n"
                            : "stale: \(path(name)) (\(missing ? "missing" : "differs from the rules"))\n"
                    }
                    for name in extra {
                        message += vi
                            ? "cũ: \(path(name)) (không tiêu chí nào của \(rules) có trang này; hãy xoá nó)\n"
                            : "stale: \(path(name)) (no criterion of \(rules) has this page; delete it)\n"
                    }
                    message += vi
                        ? "\(stale.count + extra.count)/\(names.count) trang đã cũ; hãy chạy '\(regenerate)' rồi commit kết quả\n"
                        : "\(stale.count + extra.count) of \(names.count) pages are stale; run '\(regenerate)' and commit the result\n"
                    return CommandOutput(stderr: DisplayText.lines(message), exitCode: 1)
                }
                return CommandOutput(stdout: vi ? "\(names.count) trang trong \(output) đã khớp với quy tắc\n" : "\(names.count) pages in \(output) are up to date\n")
            }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            for name in stale { try (pages[name] ?? "").write(toFile: path(name), atomically: true, encoding: .utf8) }
            var out = stale.map { vi ? "đã ghi \(path($0))\n" : "wrote \(path($0))\n" }.joined()
            out += vi ? "\(names.count) trang trong \(output), \(stale.count) trang được cập nhật\n" : "\(names.count) pages in \(output), \(stale.count) updated\n"
            let warning = extra.map {
                vi ? "cảnh báo: \(path($0)) không phải trang của các quy tắc này; hãy xoá nó\n" : "warning: \(path($0)) is not a page of these rules; delete it\n"
            }.joined()
            return CommandOutput(stdout: DisplayText.lines(out), stderr: DisplayText.lines(warning))
        } catch {
            return Failure.output(for: error, color: color.enabled(terminal: Terminal.stderrIsTerminal), language: lang)
        }
    }

    /// The command that rewrites the pages checked: `criteria docs`, with the options given when not the defaults.
    var regenerate: String {
        var command = "criteria docs"
        if rules != "Rules" { command += " --rules \(rules)" }
        if output != "Docs/criteria" { command += " --output \(output)" }
        return command
    }

    private func path(_ name: String) -> String { (output as NSString).appendingPathComponent(name) }

    /// The Markdown files already in the output folder.
    private func existingPages() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted()
    }
}
