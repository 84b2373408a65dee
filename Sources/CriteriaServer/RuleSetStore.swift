import CriteriaEngine
import Crypto
import Dispatch
import Foundation

/// A checked rule set as served: the graph, its rule tests and the hash that identifies it.
public struct ServedRules: Sendable {
    /// The rules folder.
    public var folder: String
    /// The checked rules.
    public var graph: RuleGraph
    /// The rule tests beside the rules (empty when they do not read; see `testProblems`).
    package var tests: [RuleTestCase]
    /// Problems reading the rule tests, which do not stop the rules from being served.
    public var testProblems: [Diagnostic]
    /// The SHA-256 of the rule files (`RuleSetHash`), in lowercase hex.
    public var hash: String
    /// The rule files, sorted, as paths under `folder`.
    public var files: [String]
    /// When this set was loaded.
    public var loadedAt: Date
    /// The plan files of the folder's `plans/`, each read and checked against `graph` when the set
    /// was loaded (a plan edit is a change of the folder, so it reloads too).
    var plans: [ServedPlan] = []
}

/// A change of the rule files that did not check: the set before it is still served.
public struct ReloadFailure: Sendable {
    /// When the change was seen.
    public var at: Date
    /// Every problem found.
    public var diagnostics: [Diagnostic]
}

/// The content hash of a rule set: SHA-256 over the sorted rule files, each contributing its path
/// relative to the rules folder, a NUL byte, its length in decimal, a NUL byte and its bytes.
public enum RuleSetHash {
    /// The hash of the rule files under `folder`, in lowercase hex.
    public static func hash(files: [String], folder: String) throws -> String {
        var hasher = SHA256()
        for file in files.sorted() {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            hasher.update(data: Data((relative(file, to: folder) + "\0\(bytes.count)\0").utf8))
            hasher.update(data: bytes)
        }
        return hex(hasher.finalize())
    }

    /// The SHA-256 of some bytes, in lowercase hex.
    public static func sha256(_ bytes: some DataProtocol) -> String { hex(SHA256.hash(data: bytes)) }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// A path relative to a folder, or the path itself when it is not inside it.
    static func relative(_ path: String, to folder: String) -> String {
        let root = (folder as NSString).standardizingPath
        let file = (path as NSString).standardizingPath
        return file.hasPrefix(root + "/") ? String(file.dropFirst(root.count + 1)) : file
    }
}

/// The served rule set, reloaded when the files change on disk.
///
/// An edit that does not check leaves the previous set in place; the failure is kept for the status
/// page until a later edit checks.
public actor RuleSetStore {
    /// The rules folder.
    public nonisolated let folder: String
    private let limits: Limits
    private var served: ServedRules
    /// The graph loaded at start-up, readable without waiting on the actor.
    nonisolated let initialGraph: RuleGraph
    private var failure: ReloadFailure?
    private var fingerprint: [String: FileStamp]

    /// A file's modification time and size, to notice edits without reading.
    struct FileStamp: Hashable {
        var modified: Date?
        var size: Int?
    }

    /// Loads the rules; throws their diagnostics (or an `EnvironmentError`) when they do not check.
    public init(folder: String, limits: Limits = .default) throws {
        self.folder = folder
        self.limits = limits
        let stamp = Self.fingerprint(folder)
        let served = try Self.load(folder: folder, limits: limits)
        self.served = served
        self.initialGraph = served.graph
        self.fingerprint = stamp
    }

    /// The rule set being served.
    public var current: ServedRules { served }

    /// The last change that did not check, while no later change has checked.
    public var lastFailure: ReloadFailure? { failure }

    /// Reloads when any YAML file under the folder was added, removed or changed since the last look.
    ///
    /// - Returns: whether a new set is now served.
    /// The set is read and checked on a dispatch queue, off Swift's cooperative pool; requests go on
    /// being answered with the current set meanwhile.
    @discardableResult
    public func reloadIfChanged() async -> Bool {
        let stamp = Self.fingerprint(folder)
        guard stamp != fingerprint else { return false }
        fingerprint = stamp
        let folder = self.folder
        let limits = self.limits
        do {
            served = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    continuation.resume(with: Result { try Self.load(folder: folder, limits: limits) })
                }
            }
            failure = nil
            return true
        } catch let error as DiagnosticsError {
            failure = ReloadFailure(at: Date(), diagnostics: error.diagnostics)
        } catch {
            failure = ReloadFailure(
                at: Date(),
                diagnostics: [
                    Diagnostic(
                        "rules.unreadable", .error, .same("\(error)"), at: nil,
                        hint: .vi("hãy kiểm tra các tệp và quyền truy cập của thư mục quy tắc", en: "check the rules folder's files and permissions"))
                ])
        }
        return false
    }

    /// Polls the modification times every `interval` until the task is cancelled.
    public func watch(every interval: Duration) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            await reloadIfChanged()
        }
    }

    static func load(folder: String, limits: Limits) throws -> ServedRules {
        let files = try RuleSetLoader.ruleFiles(at: folder)
        let graph = try RuleSetLoader.load(path: folder, limits: limits)
        var tests: [RuleTestCase] = []
        var problems: [Diagnostic] = []
        do {
            tests = try RuleTestLoader.load(files: try RuleTestLoader.testFiles(at: folder), graph: graph, limits: limits)
        } catch let error as DiagnosticsError {
            problems = error.diagnostics
        }
        return ServedRules(
            folder: folder, graph: graph, tests: tests, testProblems: problems, hash: try RuleSetHash.hash(files: files, folder: folder),
            files: files, loadedAt: Date(),
            plans: CriteriaService.readPlans(CriteriaService.planPaths(in: folder), graph: graph, folder: folder, limits: limits))
    }

    static func fingerprint(_ folder: String) -> [String: FileStamp] {
        var result: [String: FileStamp] = [:]
        // The walker every command uses: links inside the folder are followed, a FIFO or a link outside
        // is never opened (the reload that follows reports it).
        guard let files = try? RuleSetLoader.allFiles(at: folder) else {
            result["(unsafe entry)"] = FileStamp(modified: nil, size: -1)
            return result
        }
        for path in files {
            let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
            let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
            result[path] = FileStamp(modified: values?.contentModificationDate, size: values?.fileSize)
        }
        return result
    }
}
