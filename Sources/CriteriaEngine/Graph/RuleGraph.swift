/// A condition of a criterion, checked and compiled.
public struct ConditionNode: Sendable, Hashable {
    /// What the condition holds.
    public enum Body: Sendable, Hashable {
        /// A leaf check with its compiled expression and source text.
        case check(CompiledExpression, ExpressionSource)
        /// A group of conditions.
        case group(GroupKind, [ConditionNode])
    }

    /// The condition's own id.
    public var id: String
    /// Its full path, `criterion/condition/…`, unique in the rule set.
    public var path: String
    /// Its title (the criterion's, for the root).
    public var title: LocalizedText
    /// Its legal citation; inherited from the enclosing node when the rule gives none.
    public var source: Citation?
    /// The condition itself.
    public var body: Body
    /// Sentence overrides.
    public var explain: ExplainTemplates
    /// Where it is defined.
    public var range: SourceRange
    /// The clause's own `in_force` window, when it has one (inside its criterion version's and its
    /// enclosing clause's): on a date outside it the clause is absent from its group. `nil`: in force
    /// whenever the clause that holds it is.
    public var inForce: Period? = nil

    /// The subtree as of a date: every clause whose own `in_force` window leaves out the date is
    /// removed from its group, with everything inside it. The node itself is kept (its window is its
    /// group's business). Walked with an explicit stack: nesting costs no thread stack.
    public func inForce(on date: LocalDate) -> ConditionNode {
        guard case .group = body else { return self }
        // Each open group with the children kept so far; a child group is opened in turn, and closed
        // into its parent once all its own children are seen.
        var stack: [(node: ConditionNode, children: [ConditionNode], next: Int, kept: [ConditionNode])] = []
        func open(_ node: ConditionNode) {
            guard case .group(_, let children) = node.body else { return }
            stack.append((node, children, 0, []))
        }
        open(self)
        while let top = stack.last {
            if top.next < top.children.count {
                let child = top.children[top.next]
                stack[stack.count - 1].next += 1
                guard child.inForce?.contains(date) ?? true else { continue }
                if case .group = child.body {
                    open(child)
                } else {
                    stack[stack.count - 1].kept.append(child)
                }
                continue
            }
            stack.removeLast()
            var closed = top.node
            if case .group(let kind, _) = top.node.body { closed.body = .group(kind, top.kept) }
            guard !stack.isEmpty else { return closed }
            stack[stack.count - 1].kept.append(closed)
        }
        return self
    }

    /// Every node of the subtree, this one first, depth-first.
    public var allNodes: [ConditionNode] {
        var result: [ConditionNode] = []
        var stack = [self]
        while let node = stack.popLast() {
            result.append(node)
            if case .group(_, let children) = node.body { stack.append(contentsOf: children.reversed()) }
        }
        return result
    }
}

/// One version of a criterion, in force for a period.
public struct CriterionVersion: Sendable, Hashable {
    /// The criterion's id.
    public var id: String
    /// Its title.
    public var title: LocalizedText
    /// The level of entity it applies to.
    public var level: Level
    /// When this version is in force.
    public var inForce: Period
    /// Its assessment year (the calendar year unless the criterion declares another).
    public var period: AssessmentPeriod = .calendar
    /// For a unit criterion, the kinds of unit it applies to; `nil` for every entity of its level.
    public var kinds: [String]? = nil
    /// Its legal citation.
    public var source: Citation
    /// The legal wording or a summary.
    public var description: LocalizedText?
    /// Its conditions, as one root group whose id is the criterion's.
    public var root: ConditionNode
    /// The file it is defined in.
    public var file: String
    /// The criteria it reads through `meets`.
    public var dependencies: [String]
    /// When some clause has its own `in_force` window: the conditions as of each day a window opens
    /// or closes (the version's first day included), in date order, each in force until the next.
    /// Empty when no clause has a window of its own: `root` holds on every day of the version.
    public var datedRoots: [DatedRoot] = []

    /// The conditions as of a date from `datedRoots`.
    public struct DatedRoot: Sendable, Hashable {
        /// The first day these conditions hold.
        public var from: LocalDate
        /// The root with the clauses out of force on that day removed.
        public var root: ConditionNode
    }

    /// The clauses that have an `in_force` window of their own, in rule order (depth first).
    public var datedClauses: [ConditionNode] { root.allNodes.dropFirst().filter { $0.inForce != nil } }

    /// The days on which some clause's window opens or closes inside the version's period: each
    /// clause's first day, and the day after its last day, sorted, without the version's first day.
    public var clauseBoundaries: [LocalDate] {
        let days = datedClauses.flatMap { node -> [LocalDate] in
            guard let window = node.inForce else { return [] }
            return [window.from] + (window.until.map { [$0.adding(days: 1, years: 0)] } ?? [])
        }
        return Array(Set(days.filter { $0 > inForce.from && inForce.contains($0) })).sorted()
    }

    /// Works out `datedRoots` from the clauses' windows (after `root` is set).
    mutating func resolveClauseWindows() {
        guard !datedClauses.isEmpty else {
            datedRoots = []
            return
        }
        datedRoots = ([inForce.from] + clauseBoundaries).map { DatedRoot(from: $0, root: root.inForce(on: $0)) }
    }

    /// The version as of a date inside its period: its conditions without the clauses whose own
    /// window leaves the date out. The version itself when no clause has a window.
    public func asOf(_ date: LocalDate) -> CriterionVersion {
        guard let dated = datedRoots.last(where: { $0.from <= date }) else { return self }
        var version = self
        version.root = dated.root
        version.datedRoots = []
        return version
    }
}

/// A named threshold with dated values.
public struct Parameter: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// Its title.
    public var title: LocalizedText?
    /// `percent`, `number` or `count`.
    public var type: InputType
    /// Its legal citation.
    public var source: Citation?
    /// Its values, in date order.
    public var values: [ParameterSyntax.DatedValue]
    /// Where it is declared.
    public var range: SourceRange

    /// The value in force on a date: the last one whose date is not after it.
    public func value(on date: LocalDate) -> ParameterSyntax.DatedValue? {
        values.last { $0.from <= date }
    }
}

/// The checked rule set: an immutable graph of criteria, their conditions, parameters and inputs.
///
/// Built once by `RuleSetLoader`, evaluated many times, from many threads.
public struct RuleGraph: Sendable {
    /// The declared inputs.
    public var inputs: InputCatalog
    /// The parameters by name.
    public var parameters: [String: Parameter]
    /// The versions of each criterion by id, in date order.
    public var criteria: [String: [CriterionVersion]]
    /// The criterion ids with every dependency before its dependents (then by id).
    public var order: [String]
    /// Warnings and notes found while checking (such as provisional clauses).
    public var diagnostics: [Diagnostic]

    /// The version of a criterion in force on a date, as of that date: a clause whose own `in_force`
    /// window leaves the date out is absent from its group. Both evaluators and every explanation
    /// read the criterion through this one place. `criteria` keeps every clause (pages, changes,
    /// coverage).
    public func version(of id: String, on date: LocalDate) -> CriterionVersion? {
        criteria[id]?.first { $0.inForce.contains(date) }.map { $0.asOf(date) }
    }

    /// The level a criterion applies to.
    public func level(of id: String) -> Level? { criteria[id]?.first?.level }

    /// The criteria that apply to a level, in evaluation order.
    public func criteria(at level: Level) -> [String] { order.filter { self.level(of: $0) == level } }
}
