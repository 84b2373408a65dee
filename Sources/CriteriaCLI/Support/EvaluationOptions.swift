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

    /// The evaluation date: the option, or today in Vietnam (`InForce.today`).
    func date() throws -> LocalDate {
        guard let asOf else {
            guard let today = InForce.today()
            else {
                throw UsageError(.vi(
                    "không đọc được ngày hôm nay từ đồng hồ hệ thống; hãy ghi ngày đánh giá bằng --as-of YYYY-MM-DD",
                    en: "today's date could not be read from the system clock; give the date with --as-of YYYY-MM-DD"))
            }
            return today
        }
        guard let date = LocalDate(iso: asOf) else {
            throw UsageError(AsOfText.notADate(asOf))
        }
        return date
    }

    /// Loads the rules and the dataset, and checks that something is in force on the date.
    func load(dataset path: String, criteria: [String]) throws -> (RuleGraph, Dataset, LocalDate) {
        let date = try date()
        let graph = try RuleSetLoader.load(path: rules, limits: limits)
        try CriterionLookup.check(criteria, in: graph, rules: rules)
        let selected = criteria.isEmpty ? graph.order : criteria
        if let nothing = InForce.nothing(on: date, in: graph, selected: selected) {
            let hint = lang == .vi
                ? (asOf == nil ? " (ngày đánh giá là hôm nay vì không có --as-of; chọn ngày bằng --as-of YYYY-MM-DD)" : " (chọn ngày bằng --as-of YYYY-MM-DD)")
                : (asOf == nil ? " (the date is today since --as-of was not given; choose one with --as-of YYYY-MM-DD)" : " (choose a date with --as-of YYYY-MM-DD)")
            throw UsageError(message: nothing.message.text(in: lang) + hint)
        }
        let dataset = try DatasetReader.read(path: path, inputs: graph.inputs, limits: limits)
        return (graph, dataset, date)
    }
}

/// Finding criteria by id, with a did-you-mean.
enum CriterionLookup {
    /// Throws a usage error for the first id that is not a criterion of the graph.
    static func check(_ ids: [String], in graph: RuleGraph, rules: String) throws {
        for id in ids where graph.criteria[id] == nil {
            let hint = Suggestion.hint(for: id, among: graph.order)
            let list = graph.order.joined(separator: ", ")
            throw UsageError(.vi(
                "không có tiêu chí '\(id)' trong \(rules)\(hint.map { "; \($0.text(in: .vi))" } ?? "") (các tiêu chí: \(list))",
                en: "there is no criterion '\(id)' in \(rules)\(hint.map { "; \($0.text(in: .en))" } ?? "") (criteria: \(list))"))
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
    /// An Excel workbook (`check` and `report`, with `--output`).
    case xlsx

    /// The help text listing the formats.
    static let help: ArgumentHelp = "Output format: text, json, markdown, html, or xlsx (an Excel workbook: check and report, with --output FILE)."
}

/// The message for an `--as-of` that is not a date, in both languages.
enum AsOfText {
    /// "--as-of '31/12/2024' is not a date; write it as YYYY-MM-DD, e.g. 2024-12-31".
    static func notADate(_ text: String) -> LocalizedText {
        .vi(
            "--as-of '\(text)' không phải là một ngày; hãy viết theo dạng YYYY-MM-DD, ví dụ 2024-12-31",
            en: "--as-of '\(text)' is not a date; write it as YYYY-MM-DD, e.g. 2024-12-31")
    }
}
