import Foundation

/// Shows values the way an inspector reads them: exact decimals, percentages with `%`.
package enum ValueFormatter {
    /// The value as text; numbers flagged `percent` are shown multiplied by 100 with `%`
    /// (0.64 → `64%`, 2/3 → `66.67%`, rounded half up to two decimals for display only).
    package static func format(_ value: Value, percent: Bool = false) -> String {
        switch value {
        case .bool(let b): b ? "true" : "false"
        case .number(let n): percent ? percentText(n) : numberText(n)
        case .text(let t): t
        case .date(let d): d.description
        case .list(let items): "[" + items.map { format($0, percent: percent) }.joined(separator: ", ") + "]"
        case .entity(let index): "#\(index)"
        }
    }

    /// A decimal shown exactly when it has at most four decimals, otherwise rounded to four.
    package static func numberText(_ n: Decimal) -> String {
        // A whole number needs no rounding; one that fits 64 bits prints as `Decimal` prints it.
        if let whole = FactStore.integer(exactly: n) { return String(whole) }
        let rounded = n.rounded(4)
        return (rounded == n ? n : rounded).description
    }

    /// Text of a value, as shown to a person in a language: in Vietnamese a decimal comma and dates
    /// as dd/MM/yyyy, truth values as có/không or yes/no (the words of every report and page).
    package static func shown(_ text: String, in language: Language) -> String { Words.shown(text, language) }

    /// An ISO 8601 moment (`2026-12-07T14:37:13Z`, as records keep it) as a person reads it:
    /// `07/12/2026 21:37 (giờ Việt Nam, UTC+7)`, in Vietnam's time whatever the language.
    package static func timestamp(_ iso: String, in language: Language) -> String { Words.timestamp(iso, language) }

    /// A share shown as a percentage with at most two decimals.
    package static func percentText(_ n: Decimal) -> String {
        (n * 100).rounded(2).description + "%"
    }
}
