import Foundation

/// A one-line progress counter on standard error for long evaluations.
///
/// It draws only when standard error is a terminal and the run has already taken `delay` seconds,
/// so short runs, pipes and tests never see it; it redraws at most ten times a second and erases
/// itself when the work is done.
final class ProgressBar {
    private let label: String
    private let enabled: Bool
    private let delay: TimeInterval
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// Creates a counter labelled `label` (such as "đánh giá").
    init(label: String, enabled: Bool = Terminal.stderrIsTerminal, delay: TimeInterval = 2) {
        self.label = label
        self.enabled = enabled
        self.delay = delay
    }

    /// Records that `done` of `total` units of work are finished.
    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let now = Date()
        guard now.timeIntervalSince(start) >= delay, done == total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        drawn = true
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Self.line(label: label, done: done, total: total)).utf8))
        if done == total { finish() }
    }

    /// Erases the line if it was drawn.
    func finish() {
        guard drawn else { return }
        drawn = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// `đánh giá [██████░░░░░░░░░░░░░░]  30% 30000/100000`.
    static func line(label: String, done: Int, total: Int, width: Int = 20) -> String {
        let filled = total == 0 ? width : min(width, done * width / total)
        let percent = total == 0 ? 100 : done * 100 / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let shownPercent = String(repeating: " ", count: max(0, 3 - String(percent).count)) + String(percent)
        return "\(label) [\(bar)] \(shownPercent)% \(done)/\(total)"
    }
}
