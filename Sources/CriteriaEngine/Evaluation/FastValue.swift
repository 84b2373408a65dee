import Foundation

/// A value while the verdict evaluator works: `Value` as plain data, so that copying one costs no
/// reference counting. Numbers are `FastNumber`s; texts are numbers in the program's table of texts
/// (equal texts, equal numbers); dates are packed as yyyymmdd; lists are a range of the evaluator's
/// list items (or, with a negative start, of the program's constant lists).
enum FastValue: Sendable {
    case bool(Bool)
    case number(FastNumber)
    case text(Int32)
    case date(Int32)
    case entity(Int)
    case list(start: Int32, count: Int32)

    /// A date packed so that its order is the numbers' order.
    static func packed(_ d: LocalDate) -> Int32 { Int32(d.year * 10_000 + d.month * 100 + d.day) }
}
