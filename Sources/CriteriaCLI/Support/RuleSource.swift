import CriteriaEngine
import Foundation

/// Where a rule set comes from: a folder, or a git revision of the rules folder.
///
/// `OLD` and `NEW` of `diff` and `changes` are folders when such a folder exists; otherwise they are
/// read as git revisions (`HEAD~1`, a tag, a commit), whose rules folder is extracted with
/// `git archive` into a temporary folder.
enum RuleSource {
    /// Loads a rule set from a folder or a git revision.
    static func load(_ reference: String, rulesPath: String, limits: Limits = .default) throws -> RuleGraph {
        if isDirectory(reference) { return try RuleSetLoader.load(path: reference, limits: limits) }
        let folder = try extract(revision: reference, path: rulesPath)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try RuleSetLoader.load(path: folder + "/" + rulesPath, limits: limits)
    }

    private static func extract(revision: String, path: String) throws -> String {
        guard !revision.hasPrefix("-") else {
            throw UsageError(.vi(
                "'\(revision)' không phải là thư mục quy tắc, cũng không phải là một phiên bản git",
                en: "'\(revision)' is neither a rules folder nor a git revision"))
        }
        let folder = NSTemporaryDirectory() + "criteria-rules-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let archive = folder + "/rules.tar"
        let status = run(["git", "archive", "--format=tar", "-o", archive, revision, "--", path])
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: folder)
            throw UsageError(.vi(
                "'\(revision)' không phải là thư mục quy tắc, cũng không phải là một phiên bản git có '\(path)'",
                en: "'\(revision)' is neither a rules folder nor a git revision that holds '\(path)'"))
        }
        guard run(["tar", "-xf", archive, "-C", folder]) == 0 else {
            try? FileManager.default.removeItem(atPath: folder)
            throw EnvironmentError.unreadable(path: revision, reason: .vi("không giải nén được các quy tắc của phiên bản này", en: "the rules of this revision could not be unpacked"))
        }
        return folder
    }

    private static func run(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        } catch {
            return -1
        }
    }
}
