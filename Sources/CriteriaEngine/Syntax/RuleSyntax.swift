/// The syntax tree of rule files: what the file says, with places, before names are resolved.

/// A legal citation: the act, the part of it, and whether its substance is confirmed.
public struct Citation: Sendable, Hashable, Codable {
    /// Whether the clause's wording was read in the official text.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Taken from a published text.
        case confirmed
        /// A reasoned reading; the official wording was not at hand.
        case provisional
    }

    /// The act, such as `QĐ 318/QĐ-TTg`.
    public var act: String {
        get { shared.fields.act }
        set { shared.change { $0.act = newValue } }
    }
    /// The article, clause or annex, such as `Phụ lục I, tiêu chí 19, chỉ tiêu 19.2`.
    public var part: String? {
        get { shared.fields.part }
        set { shared.change { $0.part = newValue } }
    }
    /// Confirmed or provisional.
    public var status: Status {
        get { shared.fields.status }
        set { shared.change { $0.status = newValue } }
    }
    /// What is uncertain, for a provisional clause; or any other remark: plain (`note: "…"`, shown
    /// as written in both languages) or per language (`note: { vi: …, en: … }`).
    public var noteText: LocalizedText? {
        get { shared.fields.noteText }
        set { shared.change { $0.noteText = newValue } }
    }
    /// The clause's wording copied verbatim from the act, when it was read (shown beside the verdict).
    public var quote: String? {
        get { shared.fields.quote }
        set { shared.change { $0.quote = newValue } }
    }
    /// Where the rule file cites it.
    public var range: SourceRange? {
        get { shared.fields.range }
        set { shared.change { $0.range = newValue } }
    }

    /// What a citation says.
    private struct Fields: Sendable, Hashable {
        var act: String
        var part: String?
        var status: Status
        var noteText: LocalizedText?
        var quote: String?
        var range: SourceRange?
    }

    /// What the citation says, shared by its copies (a copy is one reference).
    private var shared: SharedFields<Fields>

    /// Creates a citation.
    public init(
        act: String, part: String? = nil, status: Status, note: String? = nil, quote: String? = nil,
        range: SourceRange? = nil, noteText: LocalizedText? = nil
    ) {
        shared = SharedFields(
            Fields(
                act: act, part: part, status: status, noteText: noteText ?? note.map { LocalizedText(vi: $0) }, quote: quote,
                range: range))
    }

    /// The note as one text, as JSON's `note` keeps it: the English when it is given in both
    /// languages, the note as written otherwise.
    public var note: String? { noteText?.english }

    /// The note in a language: a plain note in either, a note `{vi, en}` in the one asked for.
    public func note(in language: Language) -> String? { noteText?.text(in: language) }

    private enum CodingKeys: String, CodingKey { case act, part, status, note, noteText, quote, range }

    /// Decodes `note` (one text) and, when the note was given per language, `noteText` (`{vi, en}`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        shared = SharedFields(
            Fields(
                act: try c.decode(String.self, forKey: .act),
                part: try c.decodeIfPresent(String.self, forKey: .part),
                status: try c.decode(Status.self, forKey: .status),
                noteText: try c.decodeIfPresent(LocalizedText.self, forKey: .noteText)
                    ?? c.decodeIfPresent(String.self, forKey: .note).map { LocalizedText(vi: $0) },
                quote: try c.decodeIfPresent(String.self, forKey: .quote),
                range: try c.decodeIfPresent(SourceRange.self, forKey: .range)))
    }

    /// Encodes `note` as before (one text) and adds `noteText` only for a note given in both languages,
    /// so that records of plain notes are unchanged.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(act, forKey: .act)
        try c.encodeIfPresent(part, forKey: .part)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(note, forKey: .note)
        if let noteText, noteText.en != nil { try c.encode(noteText, forKey: .noteText) }
        try c.encodeIfPresent(quote, forKey: .quote)
        try c.encodeIfPresent(range, forKey: .range)
    }

    /// `act, part` for display.
    public var reference: String { [act, part].compactMap { $0 }.joined(separator: ", ") }
}

/// A period in which a rule or value is in force. Both ends are inclusive; no `until` means open.
public struct Period: Sendable, Hashable, Codable {
    /// The first day in force.
    package var from: LocalDate
    /// The last day in force, if it ends.
    package var until: LocalDate?

    /// Creates a period.
    @_spi(Fuzz) public init(from: LocalDate, until: LocalDate? = nil) {
        self.from = from
        self.until = until
    }

    /// Whether a date falls in the period.
    package func contains(_ date: LocalDate) -> Bool {
        date >= from && (until.map { date <= $0 } ?? true)
    }

    /// Whether two periods share at least one day.
    package func overlaps(_ other: Period) -> Bool {
        let startsBeforeOtherEnds = other.until.map { from <= $0 } ?? true
        let otherStartsBeforeThisEnds = until.map { other.from <= $0 } ?? true
        return startsBeforeOtherEnds && otherStartsBeforeThisEnds
    }

    /// The period in Vietnamese (`từ 08/03/2022 đến 14/02/2026`) or English.
    package func text(in language: Language) -> String {
        switch language {
        case .vi: "từ \(from.vietnamese)" + (until.map { " đến \($0.vietnamese)" } ?? "")
        case .en: "from \(from)" + (until.map { " until \($0)" } ?? "")
        }
    }
}

/// Sentence templates that override the default explanation of a condition or criterion.
public struct ExplainTemplates: Sendable, Hashable {
    /// Used when the node passes.
    package var pass: LocalizedText?
    /// Used when the node fails.
    package var fail: LocalizedText?
    /// Used when the node cannot be decided.
    package var unknown: LocalizedText?

    /// Creates templates.
    public init(pass: LocalizedText? = nil, fail: LocalizedText? = nil, unknown: LocalizedText? = nil) {
        self.pass = pass
        self.fail = fail
        self.unknown = unknown
    }
}

/// How a group combines its conditions.
public enum GroupKind: Sendable, Hashable {
    /// Every condition must pass (Kleene and).
    case all
    /// At least one must pass (Kleene or).
    case any
    /// None may pass.
    case none
    /// At least `n` must pass.
    case atLeast(Int)

    /// How the group reads in an explanation's JSON (`combinator`): its key, with the number for
    /// `at_least` (`all`, `any`, `none`, `at_least 2`).
    public var text: String {
        if case .atLeast(let n) = self { return "at_least \(n)" }
        return keyword
    }

    /// The group a `text` names, or `nil`.
    public init?(text: String) {
        switch text {
        case "all": self = .all
        case "any": self = .any
        case "none": self = .none
        default:
            guard text.hasPrefix("at_least "), let n = Int(text.dropFirst("at_least ".count)) else { return nil }
            self = .atLeast(n)
        }
    }

    /// The key used in rule files.
    package var keyword: String {
        switch self {
        case .all: "all"
        case .any: "any"
        case .none: "none"
        case .atLeast: "at_least"
        }
    }
}

/// A condition as written: a leaf `check` or a group of conditions.
@_spi(Fuzz) public struct ConditionSyntax: Sendable, Hashable {
    /// What the condition holds.
    @_spi(Fuzz) public enum Body: Sendable, Hashable {
        /// A leaf: an expression that must be true, with the text it was parsed from.
        case check(ExpressionSource, Expression)
        /// A group of conditions.
        case group(GroupKind, [ConditionSyntax])
    }

    /// The condition's id, unique within its criterion.
    package var id: String
    /// Where the id is written.
    package var idRange: SourceRange
    /// Its title.
    package var title: LocalizedText?
    /// Its legal citation; when absent, the criterion's applies.
    package var source: Citation?
    /// The condition itself.
    package var body: Body
    /// Sentence overrides.
    package var explain: ExplainTemplates
    /// Where the condition starts.
    package var range: SourceRange
    /// The clause's own `in_force` window, when it has one: outside it the clause is absent from its
    /// group. `nil`: in force whenever its criterion version is.
    package var inForce: Period?
    /// Where the clause's `in_force` is written.
    package var inForceRange: SourceRange?

    /// Creates a condition.
    @_spi(Fuzz) public init(
        id: String, idRange: SourceRange, title: LocalizedText?, source: Citation?, body: Body,
        explain: ExplainTemplates = ExplainTemplates(), range: SourceRange, inForce: Period? = nil,
        inForceRange: SourceRange? = nil
    ) {
        self.inForce = inForce
        self.inForceRange = inForceRange
        self.id = id
        self.idRange = idRange
        self.title = title
        self.source = source
        self.body = body
        self.explain = explain
        self.range = range
    }
}

/// One criterion (one version of it) as written in its file.
@_spi(Fuzz) public struct CriterionSyntax: Sendable, Hashable {
    /// The stable id, such as `xa-ntm.19.2`.
    @_spi(Fuzz) public var id: String
    /// Where the id is written.
    package var idRange: SourceRange
    /// Its title; Vietnamese is required.
    package var title: LocalizedText?
    /// The level of entity it applies to.
    package var level: Level
    /// When this version is in force.
    package var inForce: Period
    /// Where `in_force` is written.
    package var inForceRange: SourceRange
    /// The assessment year, when it is not the calendar year (`AssessmentPeriod`).
    package var period: AssessmentPeriod?
    /// For a unit criterion, the kinds of unit it applies to (`nil`: every unit); a unit of another
    /// kind is `not_applicable`.
    package var kinds: [String]?
    /// The legal citation.
    package var source: Citation?
    /// The legal wording or a summary, shown on criterion pages.
    package var description: LocalizedText?
    /// The conditions, as one group.
    package var root: ConditionSyntax
    /// Where the file starts.
    package var range: SourceRange

    /// Creates a criterion.
    @_spi(Fuzz) public init(
        id: String, idRange: SourceRange, title: LocalizedText?, level: Level, inForce: Period,
        inForceRange: SourceRange, source: Citation?, description: LocalizedText?, root: ConditionSyntax,
        range: SourceRange, period: AssessmentPeriod? = nil, kinds: [String]? = nil
    ) {
        self.period = period
        self.kinds = kinds
        self.id = id
        self.idRange = idRange
        self.title = title
        self.level = level
        self.inForce = inForce
        self.inForceRange = inForceRange
        self.source = source
        self.description = description
        self.root = root
        self.range = range
    }
}

/// A named threshold with dated values.
public struct ParameterSyntax: Sendable, Hashable {
    /// The name used in expressions, such as `safe_hamlet_share`.
    package var name: String
    /// Where the name is written.
    package var nameRange: SourceRange
    /// Its title.
    package var title: LocalizedText?
    /// Its type: `percent`, `number` or `count`.
    package var type: InputType
    /// Its legal citation.
    package var source: Citation?
    /// The values by the date from which each is in force, in date order.
    package var values: [DatedValue]

    /// A value in force from a date until the next value's date.
    package struct DatedValue: Sendable, Hashable {
        /// The first day the value is in force.
        package var from: LocalDate
        /// The value.
        package var value: Value
        /// How the value was written (`70%`), for display.
        package var text: String
        /// Where the value is written.
        package var range: SourceRange
        /// A value per 2026–2030 commune group (`{ 1: 90%, 2: 80%, 3: 70% }`): the values of groups
        /// 1, 2 and 3 with how each was written; `nil` for one value for every commune. `value` and
        /// `text` then hold group 1's.
        package var groups: [(value: Value, text: String)]?

        /// Creates a dated value.
        package init(
            from: LocalDate, value: Value, text: String, range: SourceRange, groups: [(value: Value, text: String)]? = nil
        ) {
            self.from = from
            self.value = value
            self.text = text
            self.range = range
            self.groups = groups
        }

        /// The value for a commune of a group: the one value, or the group's; `nil` for a value per
        /// group and no (or no such) group.
        package func value(forGroup group: Int?) -> Value? {
            guard let groups else { return value }
            guard let group, (1...groups.count).contains(group) else { return nil }
            return groups[group - 1].value
        }

        /// The value as written, for display: `70%`, or `nhóm 1: 90%; nhóm 2: 80%; nhóm 3: 70%`.
        package func shown(in language: Language) -> String {
            guard let groups else { return text }
            let word = language == .vi ? "nhóm" : "group"
            return groups.enumerated().map { "\(word) \($0.offset + 1): \($0.element.text)" }.joined(separator: "; ")
        }

        package static func == (a: DatedValue, b: DatedValue) -> Bool {
            a.from == b.from && a.value == b.value && a.text == b.text && a.range == b.range
                && a.groups?.map(\.value) == b.groups?.map(\.value) && a.groups?.map(\.text) == b.groups?.map(\.text)
        }

        package func hash(into hasher: inout Hasher) {
            hasher.combine(from)
            hasher.combine(value)
            hasher.combine(text)
            hasher.combine(groups?.map(\.text))
        }
    }

    /// Creates a parameter.
    package init(
        name: String, nameRange: SourceRange, title: LocalizedText?, type: InputType, source: Citation?,
        values: [DatedValue]
    ) {
        self.name = name
        self.nameRange = nameRange
        self.title = title
        self.type = type
        self.source = source
        self.values = values
    }
}

/// Everything one rule file declares.
public struct RuleFile: Sendable, Hashable {
    /// The file's path.
    package var path: String
    /// The criterion it defines, if it is a criterion file.
    @_spi(Fuzz) public var criterion: CriterionSyntax?
    /// The inputs it declares.
    public var inputs: [InputDeclaration]
    /// The parameters it declares.
    package var parameters: [ParameterSyntax]
    /// The levels of the map it declares (`levels.yaml`).
    package var levels: [LevelDeclaration]

    /// Creates a rule file's content.
    @_spi(Fuzz) public init(
        path: String, criterion: CriterionSyntax? = nil, inputs: [InputDeclaration] = [],
        parameters: [ParameterSyntax] = [], levels: [LevelDeclaration] = []
    ) {
        self.path = path
        self.levels = levels
        self.criterion = criterion
        self.inputs = inputs
        self.parameters = parameters
    }
}
