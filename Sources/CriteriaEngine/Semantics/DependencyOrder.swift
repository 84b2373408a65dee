/// Orders criteria so that each comes after the criteria it reads, and rejects cycles.
enum DependencyOrder {
    /// Returns the ids in dependency order. A cycle is reported once, as the path with each step's
    /// place (`a → b → a`); a chain longer than `limits.maxGraphDepth` is reported once, at the `meets`
    /// of the first criterion found past the limit.
    /// The walk is iterative, so no rule set can exhaust the stack.
    static func resolve(
        callSites: [String: [(id: String, range: SourceRange)]], ids: [String], limits: Limits,
        diagnostics: inout DiagnosticCollector
    ) -> [String] {
        let known = Set(ids)
        var edges: [String: [(id: String, range: SourceRange)]] = [:]
        for id in ids {
            edges[id] = (callSites[id] ?? []).filter { known.contains($0.id) }.sorted { $0.id < $1.id }
        }
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var order: [String] = []
        var depth: [String: Int] = [:]
        var reportedCycle = false
        var reportedDepth = false
        for start in ids where marks[start] == nil {
            var stack: [(id: String, next: Int)] = [(start, 0)]
            marks[start] = .visiting
            while let top = stack.last {
                let outgoing = edges[top.id] ?? []
                if top.next < outgoing.count {
                    stack[stack.count - 1].next += 1
                    let target = outgoing[top.next]
                    switch marks[target.id] {
                    case .visiting:
                        if !reportedCycle {
                            reportedCycle = true
                            diagnostics.emit(cycleDiagnostic(stack: stack.map(\.id), closing: target, edges: edges))
                        }
                    case .done:
                        break
                    case nil:
                        marks[target.id] = .visiting
                        stack.append((target.id, 0))
                    }
                } else {
                    stack.removeLast()
                    marks[top.id] = .done
                    let deepest = outgoing.max { (depth[$0.id] ?? 0) < (depth[$1.id] ?? 0) }
                    let d = 1 + (deepest.flatMap { depth[$0.id] } ?? 0)
                    depth[top.id] = d
                    if d > limits.maxGraphDepth, !reportedDepth, let deepest {
                        // Reported once, at the first criterion found past the limit, where it reads
                        // the next criterion of its longest chain.
                        reportedDepth = true
                        diagnostics.emit(
                            Diagnostic(
                                "limits.graph-depth", .error,
                                .vi("tiêu chí '\(top.id)' phụ thuộc vào một chuỗi \(d) tiêu chí (qua '\(deepest.id)'), vượt giới hạn \(limits.maxGraphDepth)", en: "criterion '\(top.id)' depends on a chain of \(d) criteria (through '\(deepest.id)'), more than the limit of \(limits.maxGraphDepth)"),
                                at: deepest.range,
                                hint: .vi("hãy rút ngắn chuỗi: để tiêu chí đọc trực tiếp các điều kiện nó cần thay vì kết quả của tiêu chí khác", en: "flatten the chain: let a criterion read the conditions it needs instead of another criterion's verdict")))
                    }
                    order.append(top.id)
                }
            }
        }
        return order
    }

    private static func cycleDiagnostic(
        stack: [String], closing: (id: String, range: SourceRange), edges: [String: [(id: String, range: SourceRange)]]
    ) -> Diagnostic {
        let start = stack.firstIndex(of: closing.id) ?? 0
        let cycle = Array(stack[start...])
        var notes: [DiagnosticNote] = []
        for (index, id) in cycle.enumerated() {
            let next = index + 1 < cycle.count ? cycle[index + 1] : closing.id
            if let site = edges[id]?.first(where: { $0.id == next }) {
                notes.append(DiagnosticNote(.vi("'\(id)' đọc '\(next)' ở đây", en: "'\(id)' reads '\(next)' here"), at: site.range))
            }
        }
        let path = (cycle + [closing.id]).joined(separator: " → ")
        return Diagnostic(
            "rules.cycle", .error, .vi("các tiêu chí phụ thuộc vòng tròn vào nhau: \(path)", en: "criteria depend on each other in a cycle: \(path)"), at: closing.range, notes: notes,
            hint: .vi("một tiêu chí không thể phụ thuộc vào chính nó, trực tiếp hay qua tiêu chí khác; hãy bỏ một trong các lời gọi 'meets' này", en: "a criterion cannot depend, directly or through others, on itself; remove one of these 'meets' calls"))
    }
}
