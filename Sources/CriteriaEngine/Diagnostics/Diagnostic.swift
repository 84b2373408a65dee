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
public struct DiagnosticNote: Hashable, Sendable, Codable {
    /// What the note says.
    public var message: String
    /// Where it points, if anywhere.
    public var range: SourceRange?

    /// Creates a note with a message and an optional place.
    public init(_ message: String, at range: SourceRange? = nil) {
        self.message = message
        self.range = range
    }
}

/// One problem found in a user's input: rules, data, tests or plans.
///
/// Diagnostics are values: they are collected, sorted and rendered, never printed where they are made.
public struct Diagnostic: Hashable, Sendable, Codable {
    /// The stable kind of the problem.
    public var id: DiagnosticID
    /// How serious it is.
    public var severity: Severity
    /// One sentence saying what is wrong.
    public var message: String
    /// Where it is, when the problem has a place.
    public var range: SourceRange?
    /// Other places that explain it.
    public var notes: [DiagnosticNote]
    /// What to write instead, when there is a clear fix.
    public var hint: String?

    /// Creates a diagnostic.
    public init(
        _ id: DiagnosticID, _ severity: Severity = .error, _ message: String, at range: SourceRange?,
        notes: [DiagnosticNote] = [], hint: String? = nil
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
        self.hint = hint
    }
}

/// The problems found in a user's input, thrown together once every independent problem is collected.
///
/// It holds at least one diagnostic of severity `error`, and may hold warnings found on the way.
public struct DiagnosticsError: Error, Sendable, Hashable {
    /// Every diagnostic found, in file and position order.
    public var diagnostics: [Diagnostic]

    /// Wraps a list of diagnostics.
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// Wraps a single diagnostic.
    public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }
}
