import ArgumentParser
import CriteriaEngine
import Foundation

/// `criteria test [PATH…]`: runs the rule tests beside the rules.
public struct TestCommand: OutputCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the rule tests (Rules/**/tests/*.yaml) and report mismatches and clause coverage.",
        discussion: "Exit 0 when every test passes (and coverage reaches --min-coverage), 1 otherwise. See Docs/testing.md.")

    /// Rules folders or test files.
    @Argument(help: "Rules folders (their tests/ folders are run) or test files (default: the --rules folder).")
    var paths: [String] = []

    /// The rules under test.
    @Option(help: "The rules folder the tests run against.")
    var rules: String = "Rules"

    /// Only cases whose name contains this text.
    @Option(help: "Run only the tests whose name contains this text.")
    var filter: String?

    /// Output format.
    @Option(help: "Output format: text, json or junit.")
    var format: TestFormat = .text

    /// Whether to print the coverage report.
    @Flag(help: "Report coverage: conditions seen passing and failing, thresholds at their boundary, outcomes, versions and dated parameter values.")
    var coverage = false

    /// The least coverage that passes.
    @Option(name: .customLong("min-coverage"), help: "Fail when fewer than N% of the coverage items (conditions, versions, dated values) are covered.")
    var minCoverage: Double?

    /// Whether to rewrite snapshot files.
    @Flag(name: .customLong("update-snapshots"), help: "Write the current explanation texts into the snapshot files.")
    var updateSnapshots = false

    /// The language of the messages and hints.
    @Option(help: "Language of the report, messages and hints: vi or en.")
    var lang: Language = .vi

    /// When to colour.
    @Option(help: "Colour: auto (on a terminal), always or never.")
    var color: ColorMode = .auto

    @OptionGroup(title: "Limits (Docs/limits.md)") var limitOptions: LimitOptions

    /// The formats the test command writes.
    enum TestFormat: String, ExpressibleByArgument, CaseIterable { case text, json, junit }

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Runs the tests and renders the report.
    public func execute() -> CommandOutput {
        let color = self.color.enabled(terminal: Terminal.stdoutIsTerminal)
        do {
            let rulesFolder = paths.count == 1 && isDirectory(paths[0]) ? paths[0] : rules
            let limits = limitOptions.limits
            let graph = try RuleSetLoader.load(path: rulesFolder, limits: limits)
            let files = try (paths.isEmpty ? [rulesFolder] : paths).flatMap { try RuleTestLoader.testFiles(at: $0) }
            var (cases, broken) = try RuleTestLoader.loadEach(files: files, graph: graph, limits: limits)
            // The text report stops at a broken test file, with its errors; JSON and JUnit carry each
            // broken file as a failed test (and the errors go to standard error too), so CI shows it.
            var collected = DiagnosticCollector(limit: limits.maxDiagnostics)
            for file in broken { collected.emit(contentsOf: file.diagnostics) }
            let brokenErrors = collected.sorted
            if format == .text, !broken.isEmpty { throw DiagnosticsError(brokenErrors) }
            if let filter { cases = cases.filter { $0.name.localizedCaseInsensitiveContains(filter) } }
            if cases.isEmpty, broken.isEmpty {
                let place = paths.isEmpty ? rulesFolder : paths.joined(separator: ", ")
                let message = lang == .vi
                    ? "lỗi: không tìm thấy phép kiểm thử nào trong \(place)\(filter.map { " có tên chứa '\($0)'" } ?? "")"
                    : "error: no rule tests found in \(place)\(filter.map { " matching '\($0)'" } ?? "")"
                return CommandOutput(stderr: "\(DisplayText.line(message))\n", exitCode: 1)
            }
            let report = RuleTestRunner(graph: graph, limits: limits).run(
                cases, brokenFiles: broken, snapshot: { try? String(contentsOfFile: $0, encoding: .utf8) }, updateSnapshots: updateSnapshots)
            for (path, text) in report.snapshotWrites {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
            var code: Int32 = report.failed > 0 ? 1 : 0
            var coverageNote = broken.isEmpty ? "" : Failure.output(for: DiagnosticsError(brokenErrors), color: false, language: lang).stderr
            if let minCoverage, report.coverage.percent < minCoverage {
                code = 1
                let (have, least) = (TestReport.percent(report.coverage.percent), TestReport.percent(minCoverage))
                coverageNote = lang == .vi
                    ? "độ phủ \(have) thấp hơn --min-coverage \(least); phần \"Chưa phủ\" của báo cáo nói thiếu gì\n"
                    : "coverage \(have) is below --min-coverage \(least); the report's \"Not covered\" part says what is missing\n"
            }
            let out: String
            switch format {
            case .text: out = TestReport.text(report, coverage: coverage || minCoverage != nil, color: color, updated: report.snapshotWrites.count, language: lang)
            case .json: out = JSON.encode(TestReportV1(report))
            case .junit: out = TestReport.junit(report)
            }
            return CommandOutput(stdout: out, stderr: coverageNote, exitCode: code)
        } catch {
            return Failure.output(for: error, color: self.color.enabled(terminal: Terminal.stderrIsTerminal), language: lang)
        }
    }
}
