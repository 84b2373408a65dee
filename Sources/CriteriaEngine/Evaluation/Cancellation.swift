import Foundation

/// A flag that asks running work to stop: the server trips it when a request's deadline passes,
/// and the evaluators look at it every `CancellationToken.checkInterval` steps and before each
/// verdict, so cancelled work ends within a few thousand steps and frees what it held.
///
/// A token also settles the race between the deadline and the end of the work: `commit()` claims the
/// result for the caller (after it, `cancel()` does nothing and answers `false`), `cancel()` claims it
/// for the deadline (after it, `commit()` answers `false`). Exactly one of the two wins, so work
/// answered "timed out" never records anything, and recorded work is never answered "timed out".
///
/// Checking costs a lock taken without contention; the evaluators do it rarely enough that the
/// verdict path does not notice (`Docs/performance.md`).
public final class CancellationToken: @unchecked Sendable {
    // `@unchecked Sendable`: `state` is read and written only while holding `lock`.
    private let lock = NSLock()
    private var state = State.running

    private enum State { case running, cancelled, committed }

    /// How many evaluation steps may pass between two looks at the flag.
    package static let checkInterval = 4096

    /// Thrown by `check()` once the token is cancelled: the work was abandoned and its partial
    /// result must be dropped.
    public struct Cancelled: Error, Sendable, Equatable {
        /// Creates the error.
        package init() {}
    }

    /// Creates a token that is not cancelled.
    public init() {}

    /// Whether the work was asked to stop.
    public var isCancelled: Bool { lock.withLock { state == .cancelled } }

    /// Asks the work to stop. `false` when the result was already committed (or the token already
    /// cancelled): then the work goes on to its end and its caller answers.
    @discardableResult
    public func cancel() -> Bool {
        lock.withLock {
            guard state == .running else { return false }
            state = .cancelled
            return true
        }
    }

    /// Claims the result for the caller, so a later `cancel()` no longer applies. `false` when the
    /// token was cancelled first: the work must drop its result and keep nothing.
    package func commit() -> Bool {
        lock.withLock {
            switch state {
            case .running, .committed:
                state = .committed
                return true
            case .cancelled:
                return false
            }
        }
    }

    /// Throws `Cancelled` when the work was asked to stop.
    public func check() throws(Cancelled) {
        if isCancelled { throw Cancelled() }
    }
}

/// When an evaluator next looks at its step budget and its cancellation token.
///
/// The step loop compares its count with `limit` only (one comparison, as before); past it,
/// `stop(at:)` tells whether the budget is really spent or the work cancelled, and otherwise moves
/// `limit` on by `CancellationToken.checkInterval`, never past the budget.
struct StepCheckpoint {
    /// The step budget.
    let maxSteps: Int
    /// The token looked at, if any.
    let cancellation: CancellationToken?
    /// The count past which `stop(at:)` is asked.
    private(set) var limit: Int
    /// Whether the token was found cancelled.
    private(set) var cancelled = false

    init(maxSteps: Int, cancellation: CancellationToken?) {
        self.maxSteps = maxSteps
        self.cancellation = cancellation
        limit = cancellation == nil ? maxSteps : min(maxSteps, CancellationToken.checkInterval)
    }

    /// Starts a new verdict, counting from zero.
    mutating func reset() {
        if cancelled { return }
        limit = cancellation == nil ? maxSteps : min(maxSteps, CancellationToken.checkInterval)
    }

    /// Whether to stop after `steps` steps (past `limit`): the budget is spent or the work cancelled.
    mutating func stop(at steps: Int) -> Bool {
        if cancelled || steps > maxSteps { return true }
        if let cancellation, cancellation.isCancelled {
            cancelled = true
            limit = -1
            return true
        }
        limit = min(maxSteps, steps + CancellationToken.checkInterval)
        return false
    }
}

/// The evaluation steps charged for reading a text: one per 64 bytes of UTF-8 beyond the first
/// 64, so that comparing, hashing or looking up long texts costs in proportion to their length
/// (`Docs/limits.md`, finding 15 of the 2026-12 abuse report). Both evaluators charge it where a
/// text attribute is read, so they still count the same steps.
@inline(__always) func textSteps(_ text: String) -> Int { text.utf8.count >> 6 }

/// The evaluation steps charged for comparing two texts of `a` and `b` bytes of UTF-8 (`==`, `!=`,
/// each item of `in`, the branches of `c ? x : y` when `c` is unknown): one per 64 bytes of the
/// shorter beyond the first 64, since a comparison stops at the shorter text's end at the latest. So
/// a huge text fact costs steps in proportion to the work of comparing it, however often it is
/// compared (issue #16). Both evaluators charge it before comparing, so they still count the same.
@inline(__always) func textComparisonSteps(_ a: Int, _ b: Int) -> Int { min(a, b) >> 6 }

/// How a dataset reader looks at a cancellation token between rows or entities: at every
/// `ReadingCheckpoint.interval`-th call, so that a large upload costs a few thousand looks, not one
/// per row. Once the token is found cancelled the reader stops doing work and throws `error`, a
/// `limits.cancelled` at the place it stopped (the server trips the token at a request's deadline;
/// the answer is already 503 `request.timeout`, so the error is never shown, but the work ends).
struct ReadingCheckpoint {
    /// Calls between two looks at the token.
    static let interval = 256
    /// The token, if any.
    let token: CancellationToken?
    private var calls = 0
    /// Where reading stopped, once it has.
    private(set) var stoppedAt: SourceRange?

    init(_ token: CancellationToken?) { self.token = token }

    /// Whether to stop reading at `place`: the token was found cancelled now or before.
    @inline(__always) mutating func stop(at place: @autoclosure () -> SourceRange) -> Bool {
        if stoppedAt != nil { return true }
        guard let token else { return false }
        calls += 1
        guard calls % Self.interval == 0, token.isCancelled else { return false }
        stoppedAt = place()
        return true
    }

    /// The error to throw once reading stopped; `nil` while it has not.
    var error: DiagnosticsError? {
        stoppedAt.map {
            DiagnosticsError(
                Diagnostic(
                    "limits.cancelled", .error,
                    .vi("đã dừng đọc dữ liệu ở đây: công việc bị huỷ vì yêu cầu quá thời gian", en: "reading stopped here: the work was cancelled, the request ran out of time"),
                    at: $0, hint: .vi("hãy gửi bộ dữ liệu nhỏ hơn, hoặc dùng lệnh `criteria check`", en: "send a smaller dataset, or run `criteria check` on the command line")))
        }
    }
}
