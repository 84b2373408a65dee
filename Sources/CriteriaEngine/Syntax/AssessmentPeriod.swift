/// The days a criterion's assessment year covers, when it is not the calendar year: TT 124/2021/TT-BCA
/// Art. 8(2) assesses a commune from 16/11 of the previous year to 15/11, a residential area from
/// 01/11 of the previous year to 31/10.
///
/// The rule an evaluation follows is one and the same with or without a period: a date reads the
/// assessment year numbered by its calendar year, the one that *ends* in that year. As of
/// 2026-12-07, a commune's year is 2026, 16/11/2025 – 15/11/2026 (the year just assessed, recognised
/// before 20/11); as of 2026-03-01 it is the same year, under way. Facts keyed `2026` are that year's.
public struct AssessmentPeriod: Sendable, Hashable {
    /// The first day (day, month) of year `Y`, in year `Y - 1` unless it is 1 January.
    package var startDay: Int
    /// The month of the first day.
    package var startMonth: Int

    /// Creates a period starting on a day of a month; it ends the day before, a year later.
    package init?(startDay: Int, startMonth: Int) {
        guard LocalDate(year: 2001, month: startMonth, day: startDay) != nil else { return nil }
        self.startDay = startDay
        self.startMonth = startMonth
    }

    /// The calendar year.
    package static let calendar = AssessmentPeriod(startDay: 1, startMonth: 1)!

    /// The first and last day of assessment year `year`.
    package func days(of year: Int) -> (first: LocalDate, last: LocalDate) {
        let startsBefore = !(startDay == 1 && startMonth == 1)
        let first = LocalDate(year: startsBefore ? year - 1 : year, month: startMonth, day: startDay)
            ?? LocalDate(year: year, month: 1, day: 1)!
        let last = first.adding(days: -1, years: 1)
        return (first, last)
    }

    /// `năm 2026 (16/11/2025 – 15/11/2026)`, `2026 (2025-11-16 – 2026-11-15)`.
    package func text(of year: Int, in language: Language) -> String {
        let (first, last) = days(of: year)
        return language == .vi
            ? "năm \(year) (\(first.vietnamese) – \(last.vietnamese))"
            : "\(year) (\(first) – \(last))"
    }
}

extension LocalDate {
    /// The date `years` later, then `days` later (both may be negative), through the calendar.
    func adding(days: Int, years: Int) -> LocalDate {
        var y = year + years
        var m = month
        var d = min(day, LocalDate.length(month: m, year: y)) + days
        while d < 1 {
            m -= 1
            if m < 1 {
                m = 12
                y -= 1
            }
            d += LocalDate.length(month: m, year: y)
        }
        while d > LocalDate.length(month: m, year: y) {
            d -= LocalDate.length(month: m, year: y)
            m += 1
            if m > 12 {
                m = 1
                y += 1
            }
        }
        return LocalDate(year: y, month: m, day: d) ?? self
    }

    /// The number of days of a month.
    static func length(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
