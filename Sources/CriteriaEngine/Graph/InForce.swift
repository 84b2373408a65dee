import Foundation

/// What is in force when: the one definition of "today" and of the answer when nothing is, shared by
/// the command line and the web service.
package enum InForce {
    /// Today in Vietnam (Asia/Ho_Chi_Minh, UTC+7): the date every command and page means by "today",
    /// whatever the machine's time zone.
    package static func today(now: Date = Date()) -> LocalDate? {
        let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600) ?? .current
        let parts = Calendar(identifier: .gregorian).dateComponents(in: zone, from: now)
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// `nil` when a criterion of `selected` (all when empty) is in force on the date; otherwise what
    /// to tell the user in both languages — every criterion with its periods — and a date on which
    /// something is in force, the nearest one.
    package static func nothing(on date: LocalDate, in graph: RuleGraph, selected: [String] = [])
        -> (message: LocalizedText, suggestion: LocalDate?)?
    {
        let ids = selected.isEmpty ? graph.order : selected
        guard !ids.contains(where: { graph.version(of: $0, on: date) != nil }) else { return nil }
        let versions = ids.flatMap { graph.criteria[$0] ?? [] }
        // The nearest day in force: the last day of a period that ended before the date, or the first
        // day of one that starts after it.
        let candidates = versions.flatMap { v in [v.inForce.from] + (v.inForce.until.map { [$0] } ?? []) }
        let suggestion = candidates.min { distance($0, date) < distance($1, date) }
        func list(_ l: Language) -> String {
            ids.map { id in
                let title = graph.criteria[id]?.last?.title.text(in: l) ?? id
                let periods = (graph.criteria[id] ?? []).map { $0.inForce.text(in: l) }.joined(separator: "; ")
                return "\(id) (\(title)): \(periods)"
            }.joined(separator: "\n")
        }
        let message = LocalizedText(
            vi: "Không có tiêu chí nào có hiệu lực vào ngày \(date.vietnamese). Thời gian hiệu lực của các tiêu chí:\n"
                + list(.vi) + (suggestion.map { "\nHãy chọn một ngày trong các khoảng đó, ví dụ \($0.vietnamese)." } ?? ""),
            en: "No criterion is in force on \(date). The criteria are in force:\n"
                + list(.en) + (suggestion.map { "\nChoose a date in one of those periods, e.g. \($0)." } ?? ""))
        return (message, suggestion)
    }

    private static func distance(_ a: LocalDate, _ b: LocalDate) -> Int {
        abs(a.dayNumber - b.dayNumber)
    }
}

extension LocalDate {
    /// Days since an arbitrary epoch, for differences between dates.
    var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe
    }
}
