import CriteriaEngine
import Foundation

/// What `criteria serve` serves and the bounds it keeps.
///
/// The bounds follow `Docs/limits.md` and `Docs/server.md`: the engine's `Limits` (which an operator
/// may only lower), an 8 MiB request body, 5 seconds of wall clock per request and at most one
/// evaluation per processor at a time.
public struct ServerOptions: Sendable {
    /// The rules folder served, as given (`Rules`).
    public var rules: String
    /// The SQLite file of decision records.
    public var database: String
    /// The folder of sample datasets offered on the inspector page (each sub-folder holding a
    /// `province.yaml`), if any.
    public var examples: String?
    /// The address to bind; `127.0.0.1` unless the operator says otherwise.
    public var host: String
    /// The port to bind.
    public var port: Int
    /// The engine's limits.
    public var limits: Limits
    /// The largest request body, in bytes; larger requests get 413.
    public var maxBodyBytes: Int
    /// The longest a request may work before it is answered with 503.
    public var wallClock: Duration
    /// How many evaluations (and rule-test or diff runs) may run at once; more get 503 with Retry-After.
    public var maxConcurrentEvaluations: Int
    /// How often the rule files' modification times are compared.
    public var pollInterval: Duration
    /// The largest decision record, in bytes: its evaluation with short explanations and the kept
    /// copy of the input. An evaluation that would make a larger one is refused (413) before anything
    /// is written (`Docs/server.md`, "Decision records").
    public var maxRecordBytes: Int = 32 << 20

    /// The default database path: `criteria-decisions.sqlite` beside the rules folder.
    public static func defaultDatabase(rules: String) -> String {
        let parent = (URL(fileURLWithPath: rules).standardizedFileURL.deletingLastPathComponent().path as NSString)
        return parent.appendingPathComponent("criteria-decisions.sqlite")
    }

    /// The default examples folder: `Examples` beside the rules folder, when it exists.
    public static func defaultExamples(rules: String) -> String? {
        let parent = URL(fileURLWithPath: rules).standardizedFileURL.deletingLastPathComponent()
        let path = parent.appendingPathComponent("Examples").path
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path : nil
    }

    /// Creates options; the defaults are the documented ones.
    public init(
        rules: String, database: String? = nil, examples: String?? = nil, host: String = "127.0.0.1", port: Int = 8080,
        limits: Limits = .default, maxBodyBytes: Int = 8 << 20, wallClock: Duration = .seconds(5),
        maxConcurrentEvaluations: Int = ProcessInfo.processInfo.activeProcessorCount, pollInterval: Duration = .seconds(1)
    ) {
        self.rules = rules
        self.database = database ?? Self.defaultDatabase(rules: rules)
        self.examples = examples ?? Self.defaultExamples(rules: rules)
        self.host = host
        self.port = port
        self.limits = limits
        self.maxBodyBytes = maxBodyBytes
        self.wallClock = wallClock
        self.maxConcurrentEvaluations = max(1, maxConcurrentEvaluations)
        self.pollInterval = pollInterval
    }
}
