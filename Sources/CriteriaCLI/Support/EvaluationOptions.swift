import ArgumentParser
import CriteriaEngine
import Foundation

/// The options every evaluating command shares: rules, date, language, colour.
struct EvaluationOptions: ParsableArguments {
    @Option(help: "The rules folder.")
    var rules: String = "Rules"

    @Option(name: .customLong("as-of"), help: "Evaluate as of this date, YYYY-MM-DD (default: today).")
    var asOf: String?

    @Option(help: "Language of sentences: vi or en.")
    var lang: Language = .vi

    @Option(help: "Colour: auto (on a terminal), always or never.")
    var color: ColorMode = .auto

    /// The evaluation date: the option, or today in the local calendar.
    func date() throws -> LocalDate {
        guard let asOf else {
            let parts = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
            return LocalDate(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1) ?? LocalDate(iso: "2000-01-01")!
        }
        guard let date = LocalDate(iso: asOf) else {
            throw UsageError(message: "--as-of '\(asOf)' is not a date; write it as YYYY-MM-DD, e.g. 2024-12-31")
        }
        return date
    }

    /// Loads the rules and the dataset, and checks that something is in force on the date.
    func load(dataset path: String, criteria: [String]) throws -> (RuleGraph, Dataset, LocalDate) {
        let date = try date()
        let graph = try RuleSetLoader.load(path: rules)
        for id in criteria where graph.criteria[id] == nil {
            let hint = Suggestion.hint(for: id, among: graph.order).map { "; \($0)" } ?? ""
            throw UsageError(message: "there is no criterion '\(id)' in \(rules)\(hint) (criteria: \(graph.order.joined(separator: ", ")))")
        }
        let selected = criteria.isEmpty ? graph.order : criteria
        let inForce = selected.filter { graph.version(of: $0, on: date) != nil }
        if inForce.isEmpty {
            let periods = selected.flatMap { id in (graph.criteria[id] ?? []).map { "\(id) \($0.inForce.text(in: .en))" } }
            throw UsageError(message: "no criterion is in force on \(date): \(periods.joined(separator: "; ")); choose a date with --as-of")
        }
        let dataset = try DatasetReader.read(path: path, inputs: graph.inputs)
        return (graph, dataset, date)
    }
}

extension Language: ExpressibleByArgument {}

/// The formats the evaluating commands write.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Text layout helpers.
enum Layout {
    /// Pads text with spaces to a width counted in characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
