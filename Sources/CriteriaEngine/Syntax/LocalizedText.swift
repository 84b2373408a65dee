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
