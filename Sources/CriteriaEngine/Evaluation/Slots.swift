import Foundation

/// Slots written once each from parallel workers, then read after they all finish.
///
/// `@unchecked Sendable` because each index is written by exactly one worker of
/// `concurrentPerform`, which returns only after every worker is done; no slot is read before that.
final class Slots<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    let count: Int
    init(count: Int, initial: T) {
        self.count = count
        pointer = UnsafeMutablePointer<T>.allocate(capacity: count)
        pointer.initialize(repeating: initial, count: count)
    }
    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
    subscript(index: Int) -> T {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }
    var values: [T] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

extension Slots {
    /// Moves a value out, leaving `nil`.
    func take<U>(_ index: Int) -> U? where T == U? {
        let value = (pointer + index).move()
        (pointer + index).initialize(to: nil)
        return value
    }
}
