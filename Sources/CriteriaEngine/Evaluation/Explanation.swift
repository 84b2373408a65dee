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

    /// Creates an observed value.
    public init(
        name: String, label: LocalizedText, unit: LocalizedText? = nil, value: String?, detail: String? = nil,
        entityID: String? = nil, year: Int? = nil, since: String? = nil
    ) {
        self.since = since
        self.name = name
        self.label = label
        self.unit = unit
        self.value = value
        self.detail = detail
        self.entityID = entityID
        self.year = year
    }
}

/// What a failed or passed threshold required, and what was found.
public struct Requirement: Sendable, Hashable, Codable {
    /// The comparison, such as `<=`.
    public var comparison: String
    /// The threshold as shown, such as `38`.
    public var threshold: String
    /// The actual value as shown, such as `41`.
    public var actual: String
    /// The unit of both, if any.
    public var unit: LocalizedText?
    /// Where the actual value stands against the threshold: -1 below, 0 at it, 1 above.
    public var position: Int

    /// Creates a requirement.
    public init(comparison: String, threshold: String, actual: String, unit: LocalizedText?, position: Int) {
        self.comparison = comparison
        self.threshold = threshold
        self.actual = actual
        self.unit = unit
        self.position = position
    }

    /// "cần ≤ 38 vụ, thực tế 41 vụ" / "needs at most 38 cases, has 41".
    public func text(in language: Language) -> String {
        let u = unit.map { " " + $0.text(in: language) } ?? ""
        var result = String()
        switch language {
        case .vi:
            let symbol: String
            switch comparison {
            case "<=": symbol = "≤"
            case ">=": symbol = "≥"
            case "!=": symbol = "≠"
            case "==": symbol = "="
            default: symbol = comparison
            }
            result.reserveCapacity(30 + symbol.utf8.count + threshold.utf8.count + actual.utf8.count + 2 * u.utf8.count)
            result += "cần "
            result += symbol
            result += " "
            result += threshold
            result += u
            result += ", thực tế "
            result += actual
            result += u
        case .en:
            let words: String
            switch comparison {
            case "<=": words = "at most"
            case "<": words = "less than"
            case ">=": words = "at least"
            case ">": words = "more than"
            case "==": words = "exactly"
            case "!=": words = "other than"
            default: words = comparison
            }
            result.reserveCapacity(20 + words.utf8.count + threshold.utf8.count + actual.utf8.count + u.utf8.count)
            result += "needs "
            result += words
            result += " "
            result += threshold
            result += u
            result += ", has "
            result += actual
        }
        return result
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
    public init(name: String?, entityID: String?, year: Int?, message: LocalizedText) {
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
    public var id: String
    /// Its kind.
    public var kind: Kind
    /// For a group, how it combines (`all`, `any`, `none`, `at_least 2`).
    public var combinator: String?
    /// Its outcome.
    public var outcome: Outcome
    /// Its title.
    public var title: LocalizedText
    /// Its legal citation and status.
    public var source: Citation?
    /// The check's expression, for leaves.
    public var expression: String?
    /// The values it read.
    public var values: [ObservedValue]
    /// For a comparison, what was required and what was found.
    public var requirement: Requirement?
    /// The sentence saying what happened.
    public var sentence: LocalizedText
    /// What would decide it, for an unknown outcome.
    public var missing: [MissingItem]
    /// Whether this node is one of the reasons that mattered for its parent's outcome.
    public var mattered: Bool
    /// The child nodes, in rule order.
    public var children: [Explanation]
    /// In a short form: whether the full node, children that did not matter included, involves a
    /// provisional source (they are left out, but the verdict still rests on them). Not encoded.
    var provisionalBelow: Bool? = nil

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
