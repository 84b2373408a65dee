/// Collects diagnostics while a stage runs, so that one run reports every independent problem.
///
/// It keeps at most `limit` diagnostics and counts the rest, so that hostile input cannot make the
/// list grow without bound.
public struct DiagnosticCollector: Sendable {
    /// What was collected, in the order emitted.
    package private(set) var diagnostics: [Diagnostic] = []
    /// How many diagnostics were dropped after the limit was reached.
    package private(set) var dropped = 0
    /// The most diagnostics kept.
    package let limit: Int

    /// Creates an empty collector that keeps at most `limit` diagnostics.
    package init(limit: Int = Limits.default.maxDiagnostics) { self.limit = limit }

    /// Whether the next diagnostic would only be counted: a caller can then skip the work of making
    /// its message (a suggestion for each of a million unknown columns) and call `drop(1)`.
    package var isFull: Bool { diagnostics.count >= limit }

    /// Whether any error (not only warnings) was collected.
    package var hasErrors: Bool { dropped > 0 || diagnostics.contains { $0.severity == .error } }

    /// Records a diagnostic.
    package mutating func emit(_ diagnostic: Diagnostic) {
        if diagnostics.count < limit {
            diagnostics.append(diagnostic)
        } else {
            dropped += 1
        }
    }

    /// Counts diagnostics that were dropped elsewhere (by another collector's limit) as dropped here.
    mutating func drop(_ count: Int) { dropped += count }

    /// Records several diagnostics.
    package mutating func emit(contentsOf list: [Diagnostic]) {
        for diagnostic in list { emit(diagnostic) }
    }

    /// The collected diagnostics sorted by file and position, with a final note when some were dropped.
    package var sorted: [Diagnostic] {
        var list = diagnostics.enumerated().sorted { a, b in
            let ka = (a.element.range?.file ?? "", a.element.range?.start.line ?? 0, a.element.range?.start.column ?? 0, a.offset)
            let kb = (b.element.range?.file ?? "", b.element.range?.start.line ?? 0, b.element.range?.start.column ?? 0, b.offset)
            return ka < kb
        }.map(\.element)
        if dropped > 0 {
            list.append(
                Diagnostic(
                    "limits.diagnostics", .error,
                    .vi("… và \(dropped) lỗi khác không hiển thị (giới hạn \(limit))", en: "… and \(dropped) more problems not shown (limit \(limit))"),
                    at: nil))
        }
        return list
    }

    /// Throws the collected diagnostics if any of them is an error.
    package func throwIfErrors() throws(DiagnosticsError) {
        if hasErrors { throw DiagnosticsError(sorted) }
    }
}
