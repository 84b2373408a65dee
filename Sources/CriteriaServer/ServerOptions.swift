import CriteriaEngine
import Foundation

/// What `criteria serve` serves and the bounds it keeps.
///
/// The bounds follow `Docs/limits.md` and `Docs/server.md`: the engine's `Limits` (which an operator
/// may only lower), an 8 MiB request body, 5 seconds of wall clock per request, at most one
/// evaluation per processor at a time, 64 MiB of request bodies held at once, connections closed after 30 s idle (or 30 s without a
/// complete request head), a body that must arrive within 60 s, at most 256 connections, and a stop
/// within 3 s of SIGTERM.
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
    /// A connection that sends nothing for this long is closed: between requests, and before a
    /// request's head is complete (so it is also the header timeout); `nil`: never.
    public var idleTimeout: Duration?
    /// A request's body must arrive within this long of its head, or the request is answered 408
    /// and the connection closed; `nil`: no bound.
    public var bodyTimeout: Duration?
    /// The most connections open at once; past it, new connections wait in the listen queue until
    /// one closes.
    public var maxConnections: Int
    /// The host names the server answers for (`--allowed-host`); empty: any `Host` header.
    public var allowedHosts: [String]
    /// How long after SIGTERM or SIGINT the process may take to stop: requests in flight get this
    /// long to finish, then the process exits whatever still runs.
    public var stopTimeout: Duration
    /// The largest decision record, in bytes: its evaluation with short explanations and the kept
    /// copy of the input. An evaluation that would make a larger one is refused (413) before anything
    /// is written (`Docs/server.md`, "Decision records").
    public var maxRecordBytes: Int = 32 << 20
    /// The most bytes of request bodies held at once, all requests together (`BodyBudget`): a body
    /// that does not fit is refused with 503 and Retry-After, so many uploads at the body limit at
    /// once cannot take connections × `maxBodyBytes` of memory. 64 MiB: eight bodies at the limit.
    public var maxHeldBodyBytes: Int = 64 << 20

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
        maxConcurrentEvaluations: Int = ProcessInfo.processInfo.activeProcessorCount, pollInterval: Duration = .seconds(1),
        idleTimeout: Duration? = .seconds(30), bodyTimeout: Duration? = .seconds(60), maxConnections: Int = 256,
        allowedHosts: [String] = [], stopTimeout: Duration = .seconds(3)
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
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.maxConnections = max(1, maxConnections)
        self.allowedHosts = allowedHosts
        self.stopTimeout = stopTimeout
    }
}
