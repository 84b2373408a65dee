import CriteriaCLI
import Foundation
import Testing

/// A few runs of the built executable, for what only a real process shows: the exit codes.
@Suite("The built executable", .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary)))
struct BinaryTests {
    /// Runs `.build/debug/criteria` from the package root and returns its exit code and output.
    func run(_ arguments: [String]) throws -> (code: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Paths.root)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test("exit 0 when the check ran, whatever the verdicts")
    func ran() throws {
        let result = try run(["check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--format", "markdown"])
        #expect(result.code == 0)
        #expect(result.stdout.hasPrefix("# Kết quả đánh giá\n"))
        #expect(result.stderr.isEmpty)
    }

    @Test("exit 1 for findings: a failing verdict with --fail-on, an unmet target with --fail-on")
    func findings() throws {
        #expect(try run(["check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--fail-on", "fail"]).code == 1)
        #expect(try run(["report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", Paths.plan, "--as-of", "2024-12-31", "--fail-on", "fail"]).code == 1)
    }

    @Test("exit 64 for usage errors")
    func usage() throws {
        let missing = try run(["check"])
        #expect(missing.code == 64)
        #expect(missing.stderr.contains("Missing expected argument '<dataset>'"))
        #expect(try run(["graph", "--format", "svg"]).code == 64)
        #expect(try run(["explain", Paths.dataset, "--as-of", "2024-12-31", "--entity", "nobody"]).code == 64)
    }
}
