/// The outcome of a criterion or condition for one entity on one date.
public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every required condition holds.
    case pass
    /// A required condition does not hold.
    case fail
    /// A needed fact is missing and the known facts do not decide.
    case unknown
    /// The rule is not in force on the date, or does not apply to the entity.
    case notApplicable = "not_applicable"

    /// Kleene conjunction: fail wins, then unknown.
    public static func all(_ outcomes: [Outcome]) -> Outcome {
        if outcomes.contains(.fail) { return .fail }
        if outcomes.contains(.unknown) { return .unknown }
        return .pass
    }

    /// Kleene disjunction: pass wins, then unknown.
    public static func any(_ outcomes: [Outcome]) -> Outcome {
        if outcomes.contains(.pass) { return .pass }
        if outcomes.contains(.unknown) { return .unknown }
        return .fail
    }

    /// The outcome when at least `n` of the outcomes must pass.
    public static func atLeast(_ n: Int, _ outcomes: [Outcome]) -> Outcome {
        let passed = outcomes.filter { $0 == .pass }.count
        let open = outcomes.filter { $0 == .unknown }.count
        if passed >= n { return .pass }
        if passed + open < n { return .fail }
        return .unknown
    }

    /// Kleene negation: pass and fail swap, unknown stays.
    public var negated: Outcome {
        switch self {
        case .pass: .fail
        case .fail: .pass
        case .unknown, .notApplicable: self
        }
    }

    /// The outcome in words.
    public func text(in language: Language) -> String {
        switch (self, language) {
        case (.pass, .vi): "đạt"
        case (.fail, .vi): "không đạt"
        case (.unknown, .vi): "chưa xác định"
        case (.notApplicable, .vi): "không áp dụng"
        case (.pass, .en): "pass"
        case (.fail, .en): "fail"
        case (.unknown, .en): "unknown"
        case (.notApplicable, .en): "not applicable"
        }
    }

    /// A one-character mark: ✓ ✗ ? –.
    public var mark: String {
        switch self {
        case .pass: "✓"
        case .fail: "✗"
        case .unknown: "?"
        case .notApplicable: "–"
        }
    }
}
