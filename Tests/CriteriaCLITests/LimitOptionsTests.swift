import ArgumentParser
import CriteriaEngine
import Foundation
import Testing

@testable import CriteriaCLI

/// The limit options of lint, check, explain, test, report, diff and changes: each raises or lowers one
/// field of `Limits`, out-of-range values are usage errors, and a breach names the limit.
@Suite struct LimitOptionsTests {
    @Test func sizesTakeUnits() {
        #expect(ByteCountProbe.bytes("1048576") == 1_048_576)
        #expect(ByteCountProbe.bytes("512K") == 512 * 1024)
        #expect(ByteCountProbe.bytes("16M") == 16 << 20)
        #expect(ByteCountProbe.bytes("16MiB") == 16 << 20)
        #expect(ByteCountProbe.bytes("2g") == 2 << 30)
        for bad in ["0", "-1", "1.5M", "M", "12X", "99999999999999999999", "9999999999G", "١٢"] {
            #expect(ByteCountProbe.bytes(bad) == nil, "\(bad)")
        }
    }

    @Test func lintHonoursALoweredLimit() {
        let lowered = criteria("lint", Paths.fixedRules, "--max-expression-depth", "2", "--color", "never", "--lang", "en")
        #expect(lowered.exitCode == 1)
        #expect(lowered.stderr.contains("[limits.expression-depth]"))
        #expect(lowered.stderr.contains("deeper than the limit of 2"))
        #expect(criteria("lint", Paths.fixedRules).exitCode == 0)
        let small = criteria("lint", Paths.fixedRules, "--max-file-size", "1K", "--color", "never", "--lang", "en")
        #expect(small.stderr.contains("[limits.file-size]"))
        #expect(small.stderr.contains("limit of 1024"))
        #expect(small.stderr.contains("raise the limit with --max-file-size"))
    }

    @Test func outOfRangeValuesAreUsageErrors() {
        for arguments in [
            ["lint", Paths.fixedRules, "--max-nesting", "1000"], ["lint", Paths.fixedRules, "--max-expression-depth", "129"],
            ["lint", Paths.fixedRules, "--max-diagnostics", "0"], ["test", Paths.fixedRules, "--max-steps", "0"],
            ["check", Paths.dataset, "--max-data-size", "lots"],
        ] {
            let output = CriteriaCommand.output(arguments: arguments)
            #expect(output.exitCode == 64, "\(arguments)")
        }
        let output = criteria("lint", Paths.fixedRules, "--max-nesting", "1000")
        #expect(output.stderr.contains("--max-nesting must be 1 to 999, not 1000"))
    }

    @Test func checkWarnsWhenVerdictsRunOutOfSteps() {
        let output = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--max-steps", "3", "--color", "never", "--lang", "en")
        #expect(output.exitCode == 0)
        #expect(output.stderr.contains("warning: criterion '"))
        #expect(output.stderr.contains("needed more than 3 evaluation steps, the limit"))
        #expect(output.stderr.contains("[limits.evaluation-steps]"))
        #expect(output.stderr.contains("raise the limit with --max-steps"))
        let ample = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--color", "never")
        #expect(!ample.stderr.contains("limits.evaluation-steps"))
    }

    @Test func dataLimitsReachTheReaders() {
        let output = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--max-yaml-data-size", "100", "--color", "never", "--lang", "en")
        #expect(output.exitCode == 1)
        #expect(output.stderr.contains("[limits.file-size]"))
        #expect(output.stderr.contains("raise the limit with --max-yaml-data-size"))
        let shallow = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--max-data-nesting", "2", "--color", "never")
        #expect(shallow.stderr.contains("[limits.nesting]"))
    }

    @Test func everyCommandThatReadsRulesTakesTheOptions() {
        let commands: [any ParsableCommand.Type] = [
            LintCommand.self, CheckCommand.self, ExplainCommand.self, TestCommand.self, ReportCommand.self, DiffCommand.self,
            ChangesCommand.self,
        ]
        for command in commands {
            let help = CriteriaCommand.helpMessage(for: command)
            for flag in ["--max-file-size", "--max-data-size", "--max-nesting", "--max-expression-length", "--max-steps", "--max-diagnostics"] {
                #expect(help.contains(flag), "\(command) lacks \(flag)")
            }
        }
    }
}

/// The snippet reader maps a file once and reads only the lines asked for.
@Suite struct SourceLinesTests {
    @Test func linesOfEveryEnding() throws {
        let path = NSTemporaryDirectory() + "criteria-lines-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data([0xEF, 0xBB, 0xBF] + Array("a,b\r\nXã c\rd\n\ne".utf8) + [0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        let part = SourceLines.cached()
        let line = { (path: String, number: Int) in part(SourceRange(file: path, line: number, column: 1))?.text }
        #expect(line(path, 1) == "a,b")
        #expect(line(path, 2) == "Xã c")
        #expect(line(path, 3) == "d")
        #expect(line(path, 4) == "")
        #expect(line(path, 5) == nil)  // not UTF-8: no snippet
        #expect(line(path, 6) == "")
        #expect(line(path, 7) == nil)
        #expect(line(path, 0) == nil)
        #expect(line(path + ".missing", 1) == nil)
    }

    /// Finding 14: of a line of a megabyte, only the part around the column is decoded, and the part
    /// says which sides were cut.
    @Test func aLongLineGivesOnlyThePartAroundTheColumn() throws {
        let path = NSTemporaryDirectory() + "criteria-longline-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let line = String(repeating: "ă", count: 500_000) + "X" + String(repeating: "b", count: 500_000)
        try Data(("{}\n" + line + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let part = SourceLines.cached()
        let found = try #require(part(SourceRange(file: path, line: 2, column: 500_001)))
        #expect(found.text.unicodeScalars.count == DisplayText.snippetWidth)
        #expect(found.firstColumn == 500_001 - DisplayText.snippetLead)
        #expect(found.cutBefore && found.cutAfter)
        let x = found.text.unicodeScalars.index(found.text.unicodeScalars.startIndex, offsetBy: DisplayText.snippetLead)
        #expect(found.text.unicodeScalars[x] == "X")
        // A later column of the same line continues from the last one; an earlier one starts again.
        let later = try #require(part(SourceRange(file: path, line: 2, column: 999_000)))
        #expect(later.text.allSatisfy { $0 == "b" } && later.firstColumn == 999_000 - DisplayText.snippetLead)
        let start = try #require(part(SourceRange(file: path, line: 2, column: 3)))
        #expect(start.firstColumn == 1 && !start.cutBefore && start.cutAfter)
    }
}

/// Reads a size as the options do.
enum ByteCountProbe {
    static func bytes(_ text: String) -> Int? { ByteCount(argument: text)?.bytes }
}
