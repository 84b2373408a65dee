import Foundation

/// The end of the coverage report: each rule version, clause window and dated parameter value no test covers,
/// with the smallest test case that would cover it, as YAML to paste into a test file.
///
/// The case is built from a passing case of the same criterion (the one that changes its data the
/// least, latest first): same file, same fixture, the new date, `carry` when the year differs. What
/// it cannot know — which facts put a value below, at or above a threshold — is said in a comment.
enum CoverageSuggestion {
    /// The "not covered" section, or nothing when everything is covered.
    static func text(_ coverage: ClauseCoverage, results: [RuleTestResult], language: Language) -> String {
        let vi = language == .vi
        var out = ""
        for criterion in coverage.criteria {
            for window in criterion.windows where !window.covered {
                out += vi
                    ? "  ✗ phiên bản \(criterion.id) \(window.text(in: language)): chưa có phép kiểm thử nào vào ngày đầu \(window.from)\n"
                    : "  ✗ version \(criterion.id) \(window.text(in: language)): no test on its first day \(window.from)\n"
                out += cases(for: [criterion.id], date: window.from, marks: [nil], comparison: nil, note: nil, results: results, language: language)
            }
        }
        for window in coverage.clauseWindows where !window.covered {
            let days = window.missingDays
            let words = days.map { day in
                vi ? "\(day.day) (\(day.inForce ? "có điều kiện" : "chưa có hoặc đã hết điều kiện"))"
                    : "\(day.day) (\(day.inForce ? "with the clause" : "without it"))"
            }
            out += vi
                ? "  ✗ điều kiện \(window.path) có hiệu lực \(window.text(in: language)): chưa thử vào ngày \(words.joined(separator: ", "))\n"
                : "  ✗ clause \(window.path) in force \(window.text(in: language)): not tested on \(words.joined(separator: ", "))\n"
            for day in days {
                out += cases(for: [window.criterion], date: day.day, marks: [nil], comparison: nil, note: nil, results: results, language: language)
            }
        }
        for value in coverage.values where !value.covered {
            var missing: [String] = []
            if !value.firstDay { missing.append(vi ? "chưa thử vào ngày \(value.from)" : "not tested on \(value.from)") }
            let marks = value.isThreshold ? ClauseCoverage.allPositions.filter { !value.positions.contains($0) } : []
            if !marks.isEmpty {
                missing.append((vi ? "chưa thấy " : "not seen ") + marks.map { name($0, language) }.joined(separator: ", ") + (vi ? " ngưỡng" : " the threshold"))
            }
            out += "  ✗ \(value.parameter) = \(value.value) \(vi ? "từ" : "from") \(value.from): \(missing.joined(separator: "; "))\n"
            // The missing threshold marks; the first day alone when only it is missing.
            let wanted: [Int?] = marks.isEmpty ? [nil] : marks
            let note = vi
                ? "thêm 'set:' để giá trị so với \(value.parameter) (\(value.value)) nằm"
                : "add 'set:' so that the value compared with \(value.parameter) (\(value.value)) is"
            out += cases(
                for: value.criteria, date: value.from, marks: wanted, comparison: value.comparison,
                note: (note, value.parameter, value.value), results: results, language: language)
        }
        guard !out.isEmpty else { return "" }
        return "\n" + (vi ? "Chưa phủ:\n" : "Not covered:\n") + out
    }

    /// A number that orders dates and roughly measures the days between them (enough to rank).
    static func ordinal(_ date: LocalDate) -> Int { date.year * 372 + date.month * 31 + date.day }

    /// Text as a YAML double-quoted scalar, on one line.
    static func yaml(_ text: String) -> String {
        "\"" + DisplayText.line(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// "dưới", "đúng", "trên" / "below", "at", "above".
    static func name(_ position: Int, _ language: Language) -> String {
        switch (position, language) {
        case (-1, .vi): "dưới"
        case (0, .vi): "đúng"
        case (_, .vi): "trên"
        case (-1, .en): "below"
        case (0, .en): "at"
        case (_, .en): "above"
        }
    }

    /// The outcome of `actual OP threshold` when the actual value stands at `position` against it.
    static func outcome(_ comparison: String?, _ position: Int) -> Outcome? {
        switch comparison {
        case ">=": position >= 0 ? .pass : .fail
        case ">": position > 0 ? .pass : .fail
        case "<=": position <= 0 ? .pass : .fail
        case "<": position < 0 ? .pass : .fail
        default: nil
        }
    }

    /// The suggested cases, one per mark, built from the best passing case of one of the criteria.
    private static func cases(
        for criteria: [String], date: String, marks: [Int?], comparison: String?, note: (String, String, String)?,
        results: [RuleTestResult], language: Language
    ) -> String {
        let vi = language == .vi
        // A case that starts from named data and expects one of the criteria: unchanged first, then
        // expecting a pass, then the nearest in time to the date (the earlier of two as near).
        guard let day = LocalDate(iso: date) else { return "" }
        let candidates = results.filter { $0.start != .inline && $0.checks.contains { criteria.contains($0.expectation.criterion) } }
        func rank(_ r: RuleTestResult) -> (Int, Int, Int, LocalDate) {
            let passes = r.checks.contains { criteria.contains($0.expectation.criterion) && $0.expectation.outcome == .pass }
            return (r.changed ? 1 : 0, passes ? 0 : 1, abs(ordinal(r.asOf) - ordinal(day)), r.asOf)
        }
        guard let template = candidates.min(by: { a, b in
            let (x, y) = (rank(a), rank(b))
            return (x.0, x.1, x.2) != (y.0, y.1, y.2) ? (x.0, x.1, x.2) < (y.0, y.1, y.2) : x.3 < y.3
        }), let check = template.checks.first(where: { criteria.contains($0.expectation.criterion) })
        else {
            return vi
                ? "    (không có phép kiểm thử nào của \(criteria.joined(separator: ", ")) để làm mẫu: hãy viết một phép kiểm thử vào ngày \(date))\n"
                : "    (no test of \(criteria.joined(separator: ", ")) to start from: write a test on \(date))\n"
        }
        let criterion = check.expectation.criterion
        var out = vi
            ? "    phép kiểm thử gợi ý, dán vào \(DisplayText.line(template.file)) (dưới 'tests:'):\n"
            : "    suggested test, to paste into \(DisplayText.line(template.file)) (under 'tests:'):\n"
        for mark in marks {
            let label = mark.map { vi ? "\(name($0, language)) ngưỡng" : "\(name($0, language)) the threshold" }
            let title = note.map { "\($0.1) \($0.2) \(vi ? "từ" : "from") \(date)" } ?? "\(criterion) \(vi ? "từ" : "from") \(date)"
            out += "      - name: \(yaml(title + (label.map { ", " + $0 } ?? "")))\n"
            out += "        as_of: \(date)\n"
            if case .fixture(let fixture) = template.start { out += "        data: \(fixture)\n" }
            if template.asOf.year != day.year {
                out += "        carry: { from: \(template.asOf.year), to: \(day.year) }\n"
            }
            if let mark, let note {
                out += "        # \(note.0) \(name(mark, language)) \(vi ? "ngưỡng" : "the threshold")\n"
            }
            let expected = mark.flatMap { outcome(comparison, $0) } ?? check.expectation.outcome
            out += "        expect:\n"
            out += "          - { criterion: \(criterion), entity: \(yaml(check.expectation.entity)), outcome: \(expected.rawValue) }\n"
        }
        return out
    }
}
