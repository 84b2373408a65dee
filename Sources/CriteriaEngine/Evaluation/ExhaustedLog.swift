import Foundation

/// The verdicts that ran out of evaluation steps, noted from parallel workers (rarely: a lock is enough).
final class ExhaustedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(criterion: String, entity: Int, at: SourceRange)] = []

    func add(_ criterion: String, _ entity: Int, _ range: SourceRange) {
        lock.lock()
        defer { lock.unlock() }
        list.append((criterion, entity, range))
    }

    var entries: [(criterion: String, entity: Int, at: SourceRange)] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
