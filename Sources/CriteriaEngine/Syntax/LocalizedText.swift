/// A text in Vietnamese, the language of the law, and optionally in English.
public struct LocalizedText: Sendable, Hashable, Codable {
    /// The Vietnamese text; required wherever a title is required.
    public var vi: String
    /// The English text, when given.
    public var en: String?

    /// Creates a localized text.
    public init(vi: String, en: String? = nil) {
        self.vi = vi
        self.en = en
    }

    /// A text written in both languages, as every diagnostic and output word is: `.vi("…", en: "…")`.
    package static func vi(_ vi: String, en: String) -> LocalizedText { LocalizedText(vi: vi, en: en) }

    /// The same text in both languages: a name, a number or a quotation of the input, which no
    /// language changes.
    package static func same(_ text: String) -> LocalizedText { LocalizedText(vi: text, en: text) }

    /// This text followed by another, each language with its own, after `separator`; unchanged when
    /// `other` is `nil` (a message with an optional did-you-mean).
    package func appending(_ other: LocalizedText?, separator: String = "") -> LocalizedText {
        guard let other else { return self }
        return LocalizedText(vi: vi + separator + other.vi, en: english + separator + other.english)
    }

    /// The English text, or the Vietnamese one when there is none.
    public var english: String { en ?? vi }

    /// The text in a language, falling back to Vietnamese when English is missing.
    public func text(in language: Language) -> String {
        switch language {
        case .vi: vi
        case .en: en ?? vi
        }
    }
}

/// A language Criteria writes explanations in.
public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
    /// Vietnamese, the default.
    case vi
    /// English.
    case en
}
