import CriteriaEngine
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one walker of a rules folder: links inside the folder are followed, anything that would read
/// outside it, block, or vanish silently is an error at its path (abuse report, findings 9 and 10).
@Suite struct RulesFolderWalkTests {
    /// A copy of the bundled rules in a fresh temporary folder.
    static func copy() throws -> String {
        let folder = NSTemporaryDirectory() + "criteria-walk-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: repositoryRoot() + "/Rules", toPath: folder)
        return folder
    }

    static func diagnostics(_ folder: String) -> [Diagnostic] {
        do {
            _ = try RuleSetLoader.load(path: folder)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics
        } catch {
            Issue.record("\(error)")
            return []
        }
    }

    @Test func aLinkOutsideTheFolderIsRefusedAndNeverRead() throws {
        let folder = try Self.copy()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/env.yaml", withDestinationPath: "/proc/self/environ")
        let list = Self.diagnostics(folder)
        #expect(list.map(\.id) == ["source.link-outside"])
        #expect(list.first?.range?.file == folder + "/env.yaml")
        // Rendered with a reader that would print any line it is given: no snippet, nothing of the target.
        let text = DiagnosticRenderer(line: { _, _ in "SECRET=leaked" }).text(list)
        #expect(!text.contains("SECRET"))
    }

    @Test func aLinkedFolderInsideIsReadAndALinkedRulesFolderToo() throws {
        let folder = try Self.copy()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try RuleSetLoader.load(path: folder).order
        try FileManager.default.moveItem(atPath: folder + "/xa-ntm", toPath: folder + "/.shared-xa-ntm")
        try FileManager.default.createSymbolicLink(atPath: folder + "/xa-ntm", withDestinationPath: ".shared-xa-ntm")
        #expect(try RuleSetLoader.load(path: folder).order == before)
        let tests = try RuleTestLoader.testFiles(at: folder)
        #expect(tests.contains { $0.hasSuffix("/tests/19.2.yaml") && $0.contains("xa-ntm") })
        let link = folder + "-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder)
        defer { try? FileManager.default.removeItem(atPath: link) }
        #expect(try RuleSetLoader.load(path: link + "/").order == before)
    }

    @Test func aFIFOABrokenLinkAndALoopAreErrorsNotHangs() throws {
        let folder = try Self.copy()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(mkfifo(folder + "/pipe.yaml", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder + "/gone.yaml", withDestinationPath: "nowhere.yaml")
        try FileManager.default.createSymbolicLink(atPath: folder + "/xa-ntm/loop", withDestinationPath: "..")
        let list = Self.diagnostics(folder)
        #expect(Set(list.map(\.id)) == ["source.not-a-file", "source.broken-link"])
        #expect(list.contains { $0.range?.file == folder + "/pipe.yaml" })
        // A FIFO named directly is refused, not opened.
        #expect(throws: EnvironmentError.self) { _ = try SourceReader.read(path: folder + "/pipe.yaml", maxBytes: 1 << 20) }
    }
}
