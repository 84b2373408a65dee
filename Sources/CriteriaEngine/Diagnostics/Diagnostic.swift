/// How serious a diagnostic is.
public enum Severity: String, Sendable, Codable, Hashable, Comparable {
    /// Something that stops the rules or data from being used.
    case error
    /// Something worth a look that does not stop evaluation (`--strict` makes it count).
    case warning
    /// Information, such as a clause marked provisional.
    case note

    private var rank: Int {
        switch self {
        case .error: 2
        case .warning: 1
        case .note: 0
        }
    }

    /// Orders severities from `note` (least) to `error` (most).
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A stable identifier of a kind of diagnostic, such as `rules.unknown-input`.
///
/// Identifiers are part of the public contract: tests, editors and CI scripts match on them.
public struct DiagnosticID: Hashable, Sendable, Codable, RawRepresentable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The identifier's text, `area.kind` in kebab case.
    public var rawValue: String
    /// Wraps an identifier's text.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps an identifier literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The identifier's text.
    public var description: String { rawValue }
}

/// A secondary message that points at another place, such as the first definition of a duplicate.
///
/// Its words are in both languages; `message` is the English text (the JSON field of model 1),
/// and the JSON form adds `vi`, the Vietnamese text.
public struct DiagnosticNote: Hashable, Sendable, Codable {
    /// What the note says, in Vietnamese and English.
    public var text: LocalizedText
    /// Where it points, if anywhere.
    public var range: SourceRange?

    /// What the note says in English.
    public var message: String { text.en ?? text.vi }

    /// Creates a note with words in both languages and an optional place.
    public init(_ text: LocalizedText, at range: SourceRange? = nil) {
        self.text = text
        self.range = range
    }

    /// Creates a note with the same words in both languages: for tests only, which is why it is
    /// internal (every note the code makes is written in both languages).
    init(_ message: String, at range: SourceRange? = nil) {
        self.init(LocalizedText(vi: message, en: message), at: range)
    }

    private enum CodingKeys: String, CodingKey { case message, vi, range }

    /// Reads a note; one written before the Vietnamese field reads its English text for both.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let en = try c.decode(String.self, forKey: .message)
        text = LocalizedText(vi: try c.decodeIfPresent(String.self, forKey: .vi) ?? en, en: en)
        range = try c.decodeIfPresent(SourceRange.self, forKey: .range)
    }

    /// Writes `message` (English), `vi` (Vietnamese) and `range`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(message, forKey: .message)
        try c.encode(text.vi, forKey: .vi)
        try c.encodeIfPresent(range, forKey: .range)
    }
}

/// One problem found in a user's input: rules, data, tests or plans.
///
/// Diagnostics are values: they are collected, sorted and rendered, never printed where they are made.
/// Every message and hint is written in Vietnamese and English (`text`, `hintText`); the renderers
/// pick the language asked for. The JSON form keeps `message` and `hint` in English, as model 1
/// always had them, and adds `vi: {message, hint}` (Docs/explanations.md).
public struct Diagnostic: Hashable, Sendable, Codable {
    /// The stable kind of the problem.
    public var id: DiagnosticID
    /// How serious it is.
    public var severity: Severity
    /// One sentence saying what is wrong, in Vietnamese and English.
    public var text: LocalizedText
    /// Where it is, when the problem has a place.
    public var range: SourceRange?
    /// Other places that explain it.
    public var notes: [DiagnosticNote]
    /// What to write instead, when there is a clear fix, in Vietnamese and English.
    public var hintText: LocalizedText?

    /// The message in English.
    public var message: String { text.en ?? text.vi }
    /// The hint in English.
    public var hint: String? { hintText.map { $0.en ?? $0.vi } }

    /// The message in a language.
    public func message(in language: Language) -> String { text.text(in: language) }
    /// The hint in a language.
    public func hint(in language: Language) -> String? { hintText?.text(in: language) }

    /// Creates a diagnostic whose message and hint are given in both languages.
    package init(
        _ id: DiagnosticID, _ severity: Severity = .error, _ message: LocalizedText, at range: SourceRange?,
        notes: [DiagnosticNote] = [], hint: LocalizedText? = nil
    ) {
        self.id = id
        self.severity = severity
        self.text = message
        self.range = range
        self.notes = notes
        self.hintText = hint
    }

    /// Creates a diagnostic with the same words in both languages: for tests only, which is why it is
    /// internal (every diagnostic the code makes is written in both languages).
    init(
        _ id: DiagnosticID, _ severity: Severity = .error, _ message: String, at range: SourceRange?,
        notes: [DiagnosticNote] = [], hint: String? = nil
    ) {
        self.init(id, severity, LocalizedText(vi: message, en: message), at: range, notes: notes, hint: hint.map { LocalizedText(vi: $0, en: $0) })
    }

    private enum CodingKeys: String, CodingKey { case id, severity, message, range, notes, hint, vi }
    private struct Vietnamese: Codable {
        var message: String
        var hint: String?
    }

    /// Reads a diagnostic; one written before the Vietnamese field reads its English text for both.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(DiagnosticID.self, forKey: .id)
        severity = try c.decode(Severity.self, forKey: .severity)
        range = try c.decodeIfPresent(SourceRange.self, forKey: .range)
        notes = try c.decodeIfPresent([DiagnosticNote].self, forKey: .notes) ?? []
        let en = try c.decode(String.self, forKey: .message)
        let enHint = try c.decodeIfPresent(String.self, forKey: .hint)
        let vi = try c.decodeIfPresent(Vietnamese.self, forKey: .vi)
        text = LocalizedText(vi: vi?.message ?? en, en: en)
        hintText = enHint.map { LocalizedText(vi: vi?.hint ?? $0, en: $0) }
    }

    /// Writes the model-1 fields (`message` and `hint` in English) and `vi: {message, hint}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(severity, forKey: .severity)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(range, forKey: .range)
        try c.encode(notes, forKey: .notes)
        try c.encodeIfPresent(hint, forKey: .hint)
        try c.encode(Vietnamese(message: text.vi, hint: hintText?.vi), forKey: .vi)
    }
}

/// The problems found in a user's input, thrown together once every independent problem is collected.
///
/// It holds at least one diagnostic of severity `error`, and may hold warnings found on the way.
public struct DiagnosticsError: Error, Sendable, Hashable {
    /// Every diagnostic found, in file and position order.
    public var diagnostics: [Diagnostic]

    /// Wraps a list of diagnostics.
    package init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// Wraps a single diagnostic.
    package init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }
}
