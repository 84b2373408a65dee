/// A value an explanation shows: a fact read, a parameter, or a value derived from many facts.
public struct ObservedValue: Sendable, Hashable, Codable {
    /// The input or parameter name, or the expression for a derived value.
    public var name: String
    /// Its label.
    public var label: LocalizedText
    /// Its unit, if any.
    public var unit: LocalizedText?
    /// The value as shown (`41`, `64%`, `true`), or `nil` when it is missing.
    public var value: String?
    /// Extra detail, such as `16/25` for a share.
    public var detail: String?
    /// The entity it belongs to, for facts.
    public var entityID: String?
    /// The year it describes, for facts.
    public var year: Int?
    /// For a parameter, the date from which the value shown is in force.
    public var since: String?
    /// The rarer words (`derivation`, `period`, `valueLabel`), boxed: most values have neither, and explanations
    /// copy their values often, so the value stays as small as it was without them.
    private var context: Context?

    /// How the value was chosen or made, when that is worth saying: a successor's fact taken from its
    /// former units (`Succession`), a parameter's value for the commune's group.
    public var derivation: LocalizedText? {
        get { context?.derivation }
        set { context = Context.make(derivation: newValue, period: period, valueLabel: valueLabel) }
    }

    /// For an enum fact whose value declares a label in `inputs.yaml`, that label ("Khá" / "Good"):
    /// what a person reads instead of `value` (`kha`), which stays the machine form.
    public var valueLabel: LocalizedText? {
        get { context?.valueLabel }
        set { context = Context.make(derivation: derivation, period: period, valueLabel: newValue) }
    }

    /// For a fact of a criterion whose assessment year is not the calendar year, that year's days
    /// (`năm 2026 (16/11/2025 – 15/11/2026)`).
    public var period: LocalizedText? {
        get { context?.period }
        set { context = Context.make(derivation: derivation, period: newValue, valueLabel: valueLabel) }
    }

    /// The boxed words; immutable, shared between copies.
    private final class Context: Sendable, Hashable {
        let derivation: LocalizedText?
        let period: LocalizedText?
        let valueLabel: LocalizedText?

        private init(derivation: LocalizedText?, period: LocalizedText?, valueLabel: LocalizedText?) {
            self.derivation = derivation
            self.period = period
            self.valueLabel = valueLabel
        }

        static func make(derivation: LocalizedText?, period: LocalizedText?, valueLabel: LocalizedText?) -> Context? {
            derivation == nil && period == nil && valueLabel == nil
                ? nil : Context(derivation: derivation, period: period, valueLabel: valueLabel)
        }

        static func == (a: Context, b: Context) -> Bool {
            a.derivation == b.derivation && a.period == b.period && a.valueLabel == b.valueLabel
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(derivation)
            hasher.combine(period)
            hasher.combine(valueLabel)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case name, label, unit, value, detail, entityID, year, since, derivation, period, valueLabel
    }

    /// Creates an observed value.
    package init(
        name: String, label: LocalizedText, unit: LocalizedText? = nil, value: String?, detail: String? = nil,
        entityID: String? = nil, year: Int? = nil, since: String? = nil, derivation: LocalizedText? = nil,
        period: LocalizedText? = nil, valueLabel: LocalizedText? = nil
    ) {
        self.name = name
        self.label = label
        self.unit = unit
        self.value = value
        self.detail = detail
        self.entityID = entityID
        self.year = year
        self.since = since
        self.context = Context.make(derivation: derivation, period: period, valueLabel: valueLabel)
    }

    /// Decodes the flat form `encode(to:)` writes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name), label: try c.decode(LocalizedText.self, forKey: .label),
            unit: try c.decodeIfPresent(LocalizedText.self, forKey: .unit), value: try c.decodeIfPresent(String.self, forKey: .value),
            detail: try c.decodeIfPresent(String.self, forKey: .detail),
            entityID: try c.decodeIfPresent(String.self, forKey: .entityID), year: try c.decodeIfPresent(Int.self, forKey: .year),
            since: try c.decodeIfPresent(String.self, forKey: .since),
            derivation: try c.decodeIfPresent(LocalizedText.self, forKey: .derivation),
            period: try c.decodeIfPresent(LocalizedText.self, forKey: .period),
            valueLabel: try c.decodeIfPresent(LocalizedText.self, forKey: .valueLabel))
    }

    /// Encodes every field flat, leaving out those without a value (as the synthesised form did).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(label, forKey: .label)
        try c.encodeIfPresent(unit, forKey: .unit)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encodeIfPresent(detail, forKey: .detail)
        try c.encodeIfPresent(entityID, forKey: .entityID)
        try c.encodeIfPresent(year, forKey: .year)
        try c.encodeIfPresent(since, forKey: .since)
        try c.encodeIfPresent(derivation, forKey: .derivation)
        try c.encodeIfPresent(period, forKey: .period)
        try c.encodeIfPresent(valueLabel, forKey: .valueLabel)
    }
}

/// What a failed or passed threshold required, and what was found.
public struct Requirement: Sendable, Hashable, Codable {
    /// The comparison, such as `<=`.
    public var comparison: Comparison {
        get { shared.fields.comparison }
        set { shared.change { $0.comparison = newValue } }
    }
    /// The threshold as shown, such as `38`.
    public var threshold: String {
        get { shared.fields.threshold }
        set { shared.change { $0.threshold = newValue } }
    }
    /// The actual value as shown, such as `41`.
    public var actual: String {
        get { shared.fields.actual }
        set { shared.change { $0.actual = newValue } }
    }
    /// The unit of both, if any.
    public var unit: LocalizedText? {
        get { shared.fields.unit }
        set { shared.change { $0.unit = newValue } }
    }
    /// Where the actual value stands against the threshold: -1 below, 0 at it, 1 above.
    public var position: Int {
        get { shared.fields.position }
        set { shared.change { $0.position = newValue } }
    }
    /// For a failed comparison, how far it is from passing (absent when it passes or cannot be said).
    public var gap: RequirementGap? {
        get { shared.fields.gap }
        set { shared.change { $0.gap = newValue } }
    }

    /// What a requirement says, encoded as it is (the JSON model of `Docs/explanations.md`).
    private struct Fields: Sendable, Hashable, Codable {
        var comparison: Comparison
        var threshold: String
        var actual: String
        var unit: LocalizedText?
        var position: Int
        var gap: RequirementGap?
    }

    /// What the requirement says, shared by its copies (a copy is one reference).
    private var shared: SharedFields<Fields>

    /// Creates a requirement.
    package init(
        comparison: Comparison, threshold: String, actual: String, unit: LocalizedText?, position: Int, gap: RequirementGap? = nil
    ) {
        shared = SharedFields(
            Fields(comparison: comparison, threshold: threshold, actual: actual, unit: unit, position: position, gap: gap))
    }

    /// Decodes the fields as they are encoded.
    public init(from decoder: any Decoder) throws { shared = SharedFields(try Fields(from: decoder)) }

    /// Encodes the fields, as a plain structure of them would.
    public func encode(to encoder: any Encoder) throws { try shared.fields.encode(to: encoder) }
}

/// A comparison between two numbers, as a requirement states it; encoded as its symbol (`<=`).
public enum Comparison: String, Sendable, Hashable, Codable, CaseIterable {
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="
    /// `==`
    case equal = "=="
    /// `!=`
    case notEqual = "!="
}

/// How far a failed comparison is from passing, in what an inspector can act on.
public struct RequirementGap: Sendable, Hashable, Codable {
    /// What the amount counts.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A share: this many more elements meeting the condition would pass it.
        case moreNeeded
        /// A number at most the threshold: it is this much over.
        case over
        /// A number at least the threshold: it is this much short.
        case short
    }

    /// What the amount counts.
    public var kind: Kind
    /// The amount as shown (`2`, `3`).
    public var amount: String
    /// What is counted: the elements of a share (`đơn vị`, `thôn`), or the numbers' unit (`vụ`).
    public var noun: LocalizedText?

    /// Creates a gap.
    package init(kind: Kind, amount: String, noun: LocalizedText?) {
        self.kind = kind
        self.amount = amount
        self.noun = noun
    }
}

/// Something that would decide an unknown outcome if it were known.
public struct MissingItem: Sendable, Hashable, Codable {
    /// The input, parameter or criterion concerned, if any.
    public var name: String?
    /// The entity concerned, if any.
    public var entityID: String?
    /// The year concerned, for facts.
    public var year: Int?
    /// A sentence saying what is missing.
    public var message: LocalizedText

    /// Creates a missing item.
    package init(name: String?, entityID: String?, year: Int?, message: LocalizedText) {
        self.name = name
        self.entityID = entityID
        self.year = year
        self.message = message
    }
}

/// One node of an explanation tree: a criterion, a group of conditions, or a check.
public struct Explanation: Sendable, Hashable, Codable {
    /// What kind of node it is.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The criterion itself.
        case criterion
        /// A group of conditions (`all`, `any`, `none`, `at_least`).
        case group
        /// A leaf check.
        case check
    }

    /// The node's path, `criterion/condition/…`.
    public var id: String {
        get { fields.id }
        _modify {
            unique()
            yield &fields.id
        }
    }
    /// Its kind.
    public var kind: Kind {
        get { fields.kind }
        _modify {
            unique()
            yield &fields.kind
        }
    }
    /// For a group, how it combines (in the JSON model `all`, `any`, `none`, `at_least 2`).
    public var combinator: GroupKind? {
        get { fields.combinator }
        _modify {
            unique()
            yield &fields.combinator
        }
    }
    /// Its outcome.
    public var outcome: Outcome {
        get { fields.outcome }
        _modify {
            unique()
            yield &fields.outcome
        }
    }
    /// Its title.
    public var title: LocalizedText {
        get { fields.title }
        _modify {
            unique()
            yield &fields.title
        }
    }
    /// Its legal citation and status.
    public var source: Citation? {
        get { fields.source }
        _modify {
            unique()
            yield &fields.source
        }
    }
    /// The check's expression, for leaves.
    public var expression: String? {
        get { fields.expression }
        _modify {
            unique()
            yield &fields.expression
        }
    }
    /// The values it read.
    public var values: [ObservedValue] {
        get { fields.values }
        _modify {
            unique()
            yield &fields.values
        }
    }
    /// For a comparison, what was required and what was found.
    public var requirement: Requirement? {
        get { fields.requirement }
        _modify {
            unique()
            yield &fields.requirement
        }
    }
    /// The sentence saying what happened.
    public var sentence: LocalizedText {
        get { fields.sentence }
        _modify {
            unique()
            yield &fields.sentence
        }
    }
    /// What would decide it, for an unknown outcome.
    public var missing: [MissingItem] {
        get { fields.missing }
        _modify {
            unique()
            yield &fields.missing
        }
    }
    /// Whether this node is one of the reasons that mattered for its parent's outcome.
    public var mattered: Bool {
        get { fields.mattered }
        _modify {
            unique()
            yield &fields.mattered
        }
    }
    /// The child nodes, in rule order.
    public var children: [Explanation] {
        get { fields.children }
        _modify {
            unique()
            yield &fields.children
        }
    }
    /// In a short form: whether the full node, children that did not matter included, involves a
    /// provisional source (they are left out, but the verdict still rests on them). Not encoded.
    var provisionalBelow: Bool? {
        get { fields.provisionalBelow }
        _modify {
            unique()
            yield &fields.provisionalBelow
        }
    }

    /// The node's fields, shared by copies of the node until one of them changes (copy on write): a
    /// copy of a node is one reference, not a copy of its fourteen strings and lists.
    ///
    /// `@unchecked Sendable`: a `Fields` is changed only through `unique()`, when no other node
    /// shares it, so what two threads can both reach is never written.
    private final class Fields: @unchecked Sendable {
        var id: String
        var kind: Kind
        var combinator: GroupKind?
        var outcome: Outcome
        var title: LocalizedText
        var source: Citation?
        var expression: String?
        var values: [ObservedValue]
        var requirement: Requirement?
        var sentence: LocalizedText
        var missing: [MissingItem]
        var mattered: Bool
        var children: [Explanation]
        var provisionalBelow: Bool?

        init(
            id: String, kind: Kind, combinator: GroupKind?, outcome: Outcome, title: LocalizedText, source: Citation?,
            expression: String?, values: [ObservedValue], requirement: Requirement?, sentence: LocalizedText,
            missing: [MissingItem], mattered: Bool, children: [Explanation], provisionalBelow: Bool?
        ) {
            self.id = id
            self.kind = kind
            self.combinator = combinator
            self.outcome = outcome
            self.title = title
            self.source = source
            self.expression = expression
            self.values = values
            self.requirement = requirement
            self.sentence = sentence
            self.missing = missing
            self.mattered = mattered
            self.children = children
            self.provisionalBelow = provisionalBelow
        }

        func copy() -> Fields {
            Fields(
                id: id, kind: kind, combinator: combinator, outcome: outcome, title: title, source: source,
                expression: expression, values: values, requirement: requirement, sentence: sentence, missing: missing,
                mattered: mattered, children: children, provisionalBelow: provisionalBelow)
        }
    }

    private var fields: Fields

    /// Makes the fields this node's own before they change.
    private mutating func unique() {
        if !isKnownUniquelyReferenced(&fields) { fields = fields.copy() }
    }

    /// Creates a node.
    init(
        id: String, kind: Kind, combinator: GroupKind?, outcome: Outcome, title: LocalizedText, source: Citation?,
        expression: String?, values: [ObservedValue], requirement: Requirement?, sentence: LocalizedText,
        missing: [MissingItem], mattered: Bool, children: [Explanation], provisionalBelow: Bool? = nil
    ) {
        fields = Fields(
            id: id, kind: kind, combinator: combinator, outcome: outcome, title: title, source: source,
            expression: expression, values: values, requirement: requirement, sentence: sentence, missing: missing,
            mattered: mattered, children: children, provisionalBelow: provisionalBelow)
    }

    /// Whether this node or any node below it cites a provisional source (in a short form, also the
    /// nodes that were left out).
    public var involvesProvisional: Bool {
        provisionalBelow == true || source?.status == .provisional || children.contains { $0.involvesProvisional }
    }

    /// The short form: only the children that mattered, recursively.
    public var short: Explanation {
        var copy = self
        copy.provisionalBelow = involvesProvisional
        copy.children = children.filter(\.mattered).map(\.short)
        return copy
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, combinator, outcome, title, source, expression, values, requirement, sentence, missing, mattered
        case children
    }

    /// Reads a node of the JSON model (`provisionalBelow` is not in it).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var combinator: GroupKind? = nil
        if let text = try c.decodeIfPresent(String.self, forKey: .combinator) {
            guard let kind = GroupKind(text: text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .combinator, in: c, debugDescription: "'\(text)' is not all, any, none or at_least N")
            }
            combinator = kind
        }
        self.init(
            id: try c.decode(String.self, forKey: .id), kind: try c.decode(Kind.self, forKey: .kind),
            combinator: combinator, outcome: try c.decode(Outcome.self, forKey: .outcome),
            title: try c.decode(LocalizedText.self, forKey: .title), source: try c.decodeIfPresent(Citation.self, forKey: .source),
            expression: try c.decodeIfPresent(String.self, forKey: .expression),
            values: try c.decode([ObservedValue].self, forKey: .values),
            requirement: try c.decodeIfPresent(Requirement.self, forKey: .requirement),
            sentence: try c.decode(LocalizedText.self, forKey: .sentence), missing: try c.decode([MissingItem].self, forKey: .missing),
            mattered: try c.decode(Bool.self, forKey: .mattered), children: try c.decode([Explanation].self, forKey: .children))
    }

    /// Writes the node in the JSON model; absent optional fields are left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(combinator?.text, forKey: .combinator)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(title, forKey: .title)
        try c.encodeIfPresent(source, forKey: .source)
        try c.encodeIfPresent(expression, forKey: .expression)
        try c.encode(values, forKey: .values)
        try c.encodeIfPresent(requirement, forKey: .requirement)
        try c.encode(sentence, forKey: .sentence)
        try c.encode(missing, forKey: .missing)
        try c.encode(mattered, forKey: .mattered)
        try c.encode(children, forKey: .children)
    }

    /// Equal when every field is (the same fields a struct of them would compare).
    public static func == (a: Explanation, b: Explanation) -> Bool {
        if a.fields === b.fields { return true }
        return a.id == b.id && a.kind == b.kind && a.combinator == b.combinator && a.outcome == b.outcome
            && a.title == b.title && a.source == b.source && a.expression == b.expression && a.values == b.values
            && a.requirement == b.requirement && a.sentence == b.sentence && a.missing == b.missing
            && a.mattered == b.mattered && a.children == b.children && a.provisionalBelow == b.provisionalBelow
    }

    /// Hashes every field.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(kind)
        hasher.combine(combinator)
        hasher.combine(outcome)
        hasher.combine(title)
        hasher.combine(source)
        hasher.combine(expression)
        hasher.combine(values)
        hasher.combine(requirement)
        hasher.combine(sentence)
        hasher.combine(missing)
        hasher.combine(mattered)
        hasher.combine(children)
        hasher.combine(provisionalBelow)
    }
}

/// The outcome of one criterion for one entity, with its explanation.
public struct Verdict: Sendable, Hashable {
    /// The entity's index in the dataset.
    public var entity: Int
    /// The criterion's id.
    public var criterion: String
    /// The outcome.
    public var outcome: Outcome
    /// The explanation tree (its root is the criterion).
    public var explanation: Explanation
    /// Where the verdict ran out of evaluation steps (`Limits.maxEvaluationSteps`), which makes it
    /// `unknown`; `nil` when it did not.
    public var stepBudgetExhaustedAt: SourceRange? = nil
}
