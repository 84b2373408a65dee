import CriteriaEngine
import Dispatch
import Foundation

/// Admits at most `capacity` evaluations at once; the next is refused at once (the server answers
/// 503 with Retry-After) rather than queued, so a flood of uploads cannot pile up work.
public actor EvaluationGate {
    /// How many may run at once.
    public nonisolated let capacity: Int
    private var running = 0

    /// Creates a gate.
    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Takes a slot if one is free.
    public func tryAcquire() -> Bool {
        guard running < capacity else { return false }
        running += 1
        return true
    }

    /// Gives a slot back.
    public func release() { running = max(0, running - 1) }

    /// How many slots are taken.
    public var inUse: Int { running }
}

/// Why a piece of blocking work was not done.
enum WorkRefusal: Error {
    /// Every evaluation slot was taken.
    case busy
    /// The work took longer than the wall-clock bound: it was cancelled (its token tripped), and it
    /// ends within a few thousand evaluation steps, keeping nothing.
    case timedOut(Duration)
}

/// Runs synchronous, CPU-bound engine work away from the server's event loops and Swift's
/// cooperative pool, on a thread of its own in a slot of the bounded pool (`EvaluationGate`), with a
/// wall-clock bound that cancels the work it answers for.
enum BlockingWork {
    /// The stack of each worker thread: deep rule and data files are parsed recursively (to the
    /// nesting limits of `Limits`), as on the command line's main thread.
    static let stackSize = 8 << 20

    /// Runs `body` on a thread of its own and returns its result, or throws `WorkRefusal.timedOut` when it
    /// does not finish within `deadline`. A gate slot is taken first (`WorkRefusal.busy` when none is
    /// free) and held until the work really ends.
    ///
    /// `body` gets the work's `CancellationToken`: the deadline (or the request's task being cancelled)
    /// trips it, the engine stops at its next look at it, and work that keeps something (a decision
    /// record) calls `commit()` just before writing, so that a request answered "timed out" records
    /// nothing and a recorded one is always answered with its record.
    static func run<T: Sendable>(
        gate: EvaluationGate, deadline: Duration, _ body: @escaping @Sendable (CancellationToken) throws -> T
    ) async throws -> T {
        guard await gate.tryAcquire() else { throw WorkRefusal.busy }
        let once = OnceResume<T>()
        let token = CancellationToken()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                once.set(continuation)
                // A thread of its own: admitted work starts at once and never waits behind other work
                // on a shared queue (the gate bounds how many run).
                let thread = Thread {
                    let result = Result { try body(token) }
                    // The slot is free before the caller has the result: a route that runs two pieces
                    // of work one after the other never finds its own first slot still taken.
                    Task {
                        await gate.release()
                        once.resume(with: result)
                    }
                }
                thread.stackSize = Self.stackSize
                thread.start()
                once.setTimer(
                    Task {
                        try? await Task.sleep(for: deadline)
                        if !Task.isCancelled, token.cancel() { once.resume(with: .failure(WorkRefusal.timedOut(deadline))) }
                    })
            }
        } onCancel: {
            token.cancel()
        }
    }
}

/// Resumes a continuation once, whichever of the work or the timer comes first.
private final class OnceResume<T: Sendable>: @unchecked Sendable {
    // `@unchecked Sendable`: every access to `continuation` and `timer` holds `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var timer: Task<Void, Never>?

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    /// The deadline's timer, cancelled when the work ends first.
    func setTimer(_ task: Task<Void, Never>) {
        let cancelNow: Bool = lock.withLock {
            timer = task
            return continuation == nil
        }
        if cancelNow { task.cancel() }
    }

    func resume(with result: Result<T, any Error>) {
        let (pending, timer): (CheckedContinuation<T, any Error>?, Task<Void, Never>?) = lock.withLock {
            defer {
                self.continuation = nil
                self.timer = nil
            }
            return (self.continuation, self.timer)
        }
        timer?.cancel()
        pending?.resume(with: result)
    }
}
