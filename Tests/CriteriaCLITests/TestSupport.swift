import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

/// Paths of the package and the test fixtures, found from this file.
enum Paths {
    /// The package root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// The bundled rules.
    static let rules = root + "/Rules"
    /// The 2021–2025 rule set as it stood before the 2026 law update, kept fixed (it is also the
    /// benchmark's workload): the rendering tests check the commands' output against it, so that a
    /// change of the law does not change what they pin.
    static let fixedRules = root + "/Benchmarks/workload/Rules"
    /// The province plan of the fixed rules.
    static let plan = fixedRules + "/plans/thanh-hoa-2022-2025.yaml"
    /// The fixtures folder, as copied into the test bundle.
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.path
        ?? root + "/Tests/CriteriaCLITests/Fixtures"
    /// The small fixed dataset of the golden tests.
    static let dataset = fixtures + "/mini-province.yaml"
    /// The golden files, in the source tree (rewritten with RECORD_SNAPSHOTS=1).
    static let snapshots = root + "/Tests/CriteriaCLITests/Snapshots"
    /// The built executable.
    static let binary = root + "/.build/debug/criteria"
}

/// Runs a `criteria` command line in process against the bundled rules.
func criteria(_ arguments: String...) -> CommandOutput {
    CriteriaCommand.output(arguments: arguments)
}

/// Output with machine-specific paths replaced: the fixtures folder by `Fixtures`, the package root removed.
func normalized(_ text: String) -> String {
    text.replacingOccurrences(of: Paths.fixtures, with: "Fixtures").replacingOccurrences(of: Paths.root + "/", with: "")
}

/// Compares text with the golden file `Snapshots/<name>`; with `RECORD_SNAPSHOTS=1` rewrites the file instead.
///
/// Golden files are reviewed by hand when recorded: they are the expected output, not a record of
/// whatever the code printed.
func assertSnapshot(_ actual: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let path = Paths.snapshots + "/" + name
    let text = normalized(actual)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        do {
            try FileManager.default.createDirectory(atPath: Paths.snapshots, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            Issue.record("could not write \(path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        Issue.record("no golden file \(name); run RECORD_SNAPSHOTS=1 swift test --filter CriteriaCLITests, then read it", sourceLocation: sourceLocation)
        return
    }
    guard expected != text else { return }
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = text.split(separator: "\n", omittingEmptySubsequences: false)
    var diff: [String] = []
    for index in 0..<max(a.count, b.count) where diff.count < 40 {
        let x = index < a.count ? String(a[index]) : nil
        let y = index < b.count ? String(b[index]) : nil
        if x != y {
            diff.append("line \(index + 1):")
            if let x { diff.append("- \(x)") }
            if let y { diff.append("+ \(y)") }
        }
    }
    Issue.record(Comment(rawValue: "output differs from \(name):\n" + diff.joined(separator: "\n")), sourceLocation: sourceLocation)
}

/// Writes text to a new file in a fresh temporary folder and returns its path.
func temporaryFile(_ name: String, _ text: String) throws -> String {
    let folder = NSTemporaryDirectory() + "criteria-cli-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
