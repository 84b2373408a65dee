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

    @OptionGroup(title: "Limits (Docs/limits.md)") var limitOptions: LimitOptions

    /// The limits: the defaults with the limit options applied.
    var limits: Limits { limitOptions.limits }

    /// The evaluation date: the option, or today in the local calendar.
    func date() throws -> LocalDate {
        guard let asOf else {
            let parts = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
            guard let year = parts.year, let month = parts.month, let day = parts.day, let today = LocalDate(year: year, month: month, day: day)
            else { throw UsageError(message: "today's date could not be read from the system clock; give the date with --as-of YYYY-MM-DD") }
            return today
        }
        guard let date = LocalDate(iso: asOf) else {
            throw UsageError(message: "--as-of '\(asOf)' is not a date; write it as YYYY-MM-DD, e.g. 2024-12-31")
        }
        return date
    }

    /// The date as a message says it: `on 2024-12-31`, or `today (2026-11-29; …)` for the default.
    func dateWords(_ date: LocalDate) -> String {
        asOf == nil ? "today (\(date); --as-of was not given)" : "on \(date)"
    }

    /// Loads the rules and the dataset, and checks that something is in force on the date.
    func load(dataset path: String, criteria: [String]) throws -> (RuleGraph, Dataset, LocalDate) {
        let date = try date()
        let graph = try RuleSetLoader.load(path: rules, limits: limits)
        try CriterionLookup.check(criteria, in: graph, rules: rules)
        let selected = criteria.isEmpty ? graph.order : criteria
        if !selected.contains(where: { graph.version(of: $0, on: date) != nil }) {
            throw UsageError(message: nothingInForce(on: date, graph: graph, selected: selected, chosen: !criteria.isEmpty))
        }
        let dataset = try DatasetReader.read(path: path, inputs: graph.inputs, limits: limits)
        return (graph, dataset, date)
    }

    /// One sentence saying that nothing is in force on the date, when the rules are, and a date to use.
    func nothingInForce(on date: LocalDate, graph: RuleGraph, selected: [String], chosen: Bool) -> String {
        let periods = selected.flatMap { graph.criteria[$0] ?? [] }.map(\.inForce)
        let what = chosen ? "the chosen criteria" : "the rules in \(rules)"
        guard let first = periods.map(\.from).min() else { return "\(what) hold no criterion" }
        let ends = periods.map(\.until)
        let last = ends.contains(where: { $0 == nil }) ? nil : ends.compactMap { $0 }.max()
        let span = "from \(first)" + (last.map { " until \($0)" } ?? " on")
        let suggestion = ends.compactMap { $0 }.filter { $0 >= first }.min() ?? first
        if date < first || last.map({ date > $0 }) == true {
            return "nothing to evaluate \(dateWords(date)): \(what) are in force \(span); choose a date in that period with --as-of, e.g. --as-of \(suggestion)"
        }
        let list = selected.flatMap { id in (graph.criteria[id] ?? []).map { "\(id) \($0.inForce.text(in: .en))" } }
        return "no criterion is in force \(dateWords(date)): \(list.joined(separator: "; ")); choose a date with --as-of"
    }
}

/// Finding criteria by id, with a did-you-mean.
enum CriterionLookup {
    /// Throws a usage error for the first id that is not a criterion of the graph.
    static func check(_ ids: [String], in graph: RuleGraph, rules: String) throws {
        for id in ids where graph.criteria[id] == nil {
            let hint = Suggestion.hint(for: id, among: graph.order).map { "; \($0)" } ?? ""
            throw UsageError(message: "there is no criterion '\(id)' in \(rules)\(hint) (criteria: \(graph.order.joined(separator: ", ")))")
        }
    }
}

extension Language: ExpressibleByArgument {}

/// The formats the evaluating commands (check, explain, report) write.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// Plain text for a terminal.
    case text
    /// The versioned JSON model (Docs/explanations.md).
    case json
    /// CommonMark with tables.
    case markdown
    /// One self-contained HTML page.
    case html

    /// The help text listing the formats.
    static let help: ArgumentHelp = "Output format: text, json, markdown or html."
}
