import Foundation

/// A known value read from data or computed by an expression. Unknown values are not `Value`s:
/// evaluation carries them separately, so a missing fact can never become zero or false.
public enum Value: Sendable, Hashable {
    /// A truth value.
    case bool(Bool)
    /// An exact decimal number (counts, shares and percentages alike; 70% is 0.70).
    case number(Decimal)
    /// Text, including enumeration values such as `kha`.
    case text(String)
    /// A calendar date.
    case date(LocalDate)
    /// A list of values.
    case list([Value])
    /// An entity of the dataset, by its index in `Dataset.entities`.
    case entity(Int)
}
