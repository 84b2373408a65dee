import CriteriaEngine
import Foundation

/// Writes the JSON model of a check (`EvaluationOutputV1`, short explanations) one entity at a time,
/// byte for byte what `JSON.encode` gives for the whole model, so that the JSON of a province never
/// sits in memory at once.
enum StreamedEvaluationJSON {
    /// Writes the model of `table`'s verdicts, only of `entities` when given, to `write`.
    ///
    /// - Parameter progress: called after each entity with the entities written and the entities in all.
    static func write(
        _ table: OutcomeTable, entities filter: Set<Int>?, to write: (String) -> Void,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) {
        let records = table.dataset.entities
        var shown: [Int] = []
        for level in table.dataset.map.levels where table.criteria.contains(where: { table.level(of: $0) == level }) {
            shown += records.indices.filter { records[$0].level == level && (filter?.contains($0) ?? true) }
        }
        // The model without entities, cut where its empty list of entities stands.
        let skeleton = JSON.encode(EvaluationOutputV1(header: table))
        guard !shown.isEmpty, let key = skeleton.range(of: "\"entities\" : ["),
            let close = skeleton[key.upperBound...].firstIndex(of: "]")
        else {
            write(skeleton)
            return
        }
        write(String(skeleton[..<key.upperBound]) + "\n")
        // Each entity is explained and encoded on a worker, and written in order.
        var done = 0
        table.forEachInOrder(shown) { table, entity in
            let verdicts = table.criteria.compactMap { table.verdict(entity: entity, criterion: $0) }
            let model = EvaluationOutputV1.EntityVerdictsV1(entity, of: table.dataset, verdicts: verdicts, full: false)
            // Nested two levels deep: each line indented by four spaces (an empty list's blank line
            // stays blank, as the encoder writes it).
            var text = JSON.encode(model)
            if text.hasSuffix("\n") { text.removeLast() }
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
        } _: { entity in
            done += 1
            write(entity + (done < shown.count ? ",\n" : "\n"))
            progress(done, shown.count)
        }
        write("  " + String(skeleton[close...]))
    }
}
