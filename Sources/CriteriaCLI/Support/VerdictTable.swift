import Foundation
import CriteriaEngine

/// The verdict table of `check`: one section per level, one row per entity, the reason under each
/// fail or unknown, and a summary line.
struct VerdictTable {
    let result: EvaluationResult
    let graph: RuleGraph
    let language: Language
    let color: Bool

    func render(only: Set<Int>?) -> String {
        let renderer = ExplanationTextRenderer(language: language, color: false)
        let vi = language == .vi
        var out = vi
            ? "Dữ liệu: \(result.dataset.source)\(result.dataset.synthetic ? " (dữ liệu giả lập)" : "") — ngày đánh giá \(result.asOf)\n"
            : "Dataset: \(result.dataset.source)\(result.dataset.synthetic ? " (synthetic data)" : "") — as of \(result.asOf)\n"
        var counts: [Outcome: Int] = [:]
        for level in Level.allCases {
            let verdicts = result.verdicts.filter { result.dataset.entities[$0.entity].level == level && (only?.contains($0.entity) ?? true) }
            guard !verdicts.isEmpty else { continue }
            let ids = graph.order.filter { id in verdicts.contains { $0.criterion == id } }
            let entities = orderedEntities(verdicts)
            let idWidth = max(2, entities.map { result.dataset.entities[$0].id.count }.max() ?? 2)
            let nameWidth = min(28, max(4, entities.map { result.dataset.entities[$0].name.count }.max() ?? 4))
            let cellWidth = ids.map { max($0.count, 16) }
            out += "\n" + (vi ? level.vietnamese.capitalized : level.pluralName.capitalized) + " (\(entities.count))\n"
            var header = "  " + Layout.pad("id", idWidth) + "  " + Layout.pad(vi ? "tên" : "name", nameWidth)
            for (id, width) in zip(ids, cellWidth) { header += "  " + Layout.pad(id, width) }
            out += header + "\n"
            for entity in entities {
                let record = result.dataset.entities[entity]
                var row = "  " + Layout.pad(record.id, idWidth) + "  " + Layout.pad(String(record.name.prefix(nameWidth)), nameWidth)
                var reasons: [String] = []
                for (id, width) in zip(ids, cellWidth) {
                    guard let verdict = verdicts.first(where: { $0.entity == entity && $0.criterion == id }) else {
                        row += "  " + Layout.pad("", width)
                        continue
                    }
                    counts[verdict.outcome, default: 0] += 1
                    let cell = "\(verdict.outcome.mark) \(verdict.outcome.text(in: language))"
                    row += "  " + paint(verdict.outcome, Layout.pad(cell, width))
                    if verdict.outcome == .fail || verdict.outcome == .unknown {
                        reasons.append("      \(verdict.outcome.mark) \(id): \(renderer.reason(verdict.explanation))")
                    }
                }
                out += row.trimmingTrailingSpaces() + "\n"
                for reason in reasons { out += reason + "\n" }
            }
        }
        let total = counts.values.reduce(0, +)
        out += "\n" + (vi ? "Tổng cộng \(total) kết quả: " : "\(total) verdicts: ")
        out += Outcome.allCases.map { "\(counts[$0] ?? 0) \($0.text(in: language))" }.joined(separator: " · ") + "\n"
        if result.verdicts.contains(where: { $0.explanation.involvesProvisional }) {
            out += vi
                ? "Lưu ý: một số điều kiện dựa trên căn cứ \(ExplanationTextRenderer.provisionalMark(.vi)) — xem `criteria explain`.\n"
                : "Note: some conditions rest on \(ExplanationTextRenderer.provisionalMark(.en)) sources — see `criteria explain`.\n"
        }
        return out
    }

    private func orderedEntities(_ verdicts: [Verdict]) -> [Int] {
        var seen = Set<Int>()
        return verdicts.compactMap { seen.insert($0.entity).inserted ? $0.entity : nil }
    }

    private func paint(_ outcome: Outcome, _ text: String) -> String {
        guard color else { return text }
        let code = outcome == .pass ? "32" : outcome == .fail ? "31" : outcome == .unknown ? "33" : "90"
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = Substring(self)
        while copy.last == " " { copy = copy.dropLast() }
        return String(copy)
    }
}
