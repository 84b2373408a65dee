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
    package static func all(_ outcomes: [Outcome]) -> Outcome { GroupTally(outcomes).outcome(of: .all) }

    /// Kleene disjunction: pass wins, then unknown.
    package static func any(_ outcomes: [Outcome]) -> Outcome { GroupTally(outcomes).outcome(of: .any) }

    /// The outcome when at least `n` of the outcomes must pass.
    package static func atLeast(_ n: Int, _ outcomes: [Outcome]) -> Outcome { GroupTally(outcomes).outcome(of: .atLeast(n)) }

    /// Kleene negation: pass and fail swap, unknown stays.
    public var negated: Outcome {
        switch self {
        case .pass: .fail
        case .fail: .pass
        case .unknown, .notApplicable: self
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

/// How the conditions of a group came out so far: the one place that decides a group (`all`, `any`,
/// `none`, `at_least n`) under Kleene's rules, for every evaluator and explanation. A condition that
/// is not applicable counts for nothing.
struct GroupTally {
    /// Conditions that passed, failed, and stayed unknown.
    private(set) var passed = 0
    private(set) var failed = 0
    private(set) var open = 0

    init() {}

    /// The tally of a whole list of outcomes.
    init(_ outcomes: [Outcome]) {
        for outcome in outcomes { add(outcome) }
    }

    /// Counts one more condition.
    @inline(__always) mutating func add(_ outcome: Outcome) {
        switch outcome {
        case .pass: passed += 1
        case .fail: failed += 1
        case .unknown: open += 1
        case .notApplicable: break
        }
    }

    /// The group's outcome once every condition is counted.
    func outcome(of kind: GroupKind) -> Outcome {
        switch kind {
        case .all: failed > 0 ? .fail : open > 0 ? .unknown : .pass
        case .any: passed > 0 ? .pass : open > 0 ? .unknown : .fail
        case .none: passed > 0 ? .fail : open > 0 ? .unknown : .pass
        case .atLeast(let n): passed >= n ? .pass : passed + open < n ? .fail : .unknown
        }
    }

    /// The group's outcome when it is already decided with `remaining` conditions still to count —
    /// whatever they turn out to be — or `nil`. When it is not `nil`, it is what `outcome(of:)` gives
    /// after the rest.
    @inline(__always) func decided(_ kind: GroupKind, remaining: Int) -> Outcome? {
        switch kind {
        case .all where failed > 0: .fail
        case .any where passed > 0: .pass
        case .none where passed > 0: .fail
        case .atLeast(let n) where passed >= n: .pass
        case .atLeast(let n) where passed + open + remaining < n: .fail
        default: nil
        }
    }
}
