/// A condition of a criterion, checked and compiled.
package struct ConditionNode: Sendable, Hashable {
    /// What the condition holds.
    package enum Body: Sendable, Hashable {
        /// A leaf check with its compiled expression and source text.
        case check(CompiledExpression, ExpressionSource)
        /// A group of conditions.
        case group(GroupKind, [ConditionNode])
    }

    /// The condition's own id.
    package var id: String
    /// Its full path, `criterion/condition/…`, unique in the rule set.
    package var path: String
    /// Its title (the criterion's, for the root).
    package var title: LocalizedText
    /// Its legal citation; inherited from the enclosing node when the rule gives none.
    package var source: Citation?
    /// The condition itself.
    package var body: Body
    /// Sentence overrides.
    package var explain: ExplainTemplates
    /// Where it is defined.
    package var range: SourceRange
    /// The clause's own `in_force` window, when it has one (inside its criterion version's and its
    /// enclosing clause's): on a date outside it the clause is absent from its group. `nil`: in force
    /// whenever the clause that holds it is.
    package var inForce: Period? = nil

    /// The subtree as of a date: every clause whose own `in_force` window leaves out the date is
    /// removed from its group, with everything inside it. The node itself is kept (its window is its
    /// group's business). Walked with an explicit stack: nesting costs no thread stack.
    package func inForce(on date: LocalDate) -> ConditionNode {
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
    package var allNodes: [ConditionNode] {
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
package struct CriterionVersion: Sendable, Hashable {
    /// The criterion's id.
    package var id: String
    /// Its title.
    package var title: LocalizedText
    /// The level of entity it applies to.
    package var level: Level
    /// When this version is in force.
    package var inForce: Period
    /// Its assessment year (the calendar year unless the criterion declares another).
    package var period: AssessmentPeriod = .calendar
    /// For a unit criterion, the kinds of unit it applies to; `nil` for every entity of its level.
    package var kinds: [String]? = nil
    /// Its legal citation.
    package var source: Citation
    /// The legal wording or a summary.
    package var description: LocalizedText?
    /// Its conditions, as one root group whose id is the criterion's.
    package var root: ConditionNode
    /// The file it is defined in.
    package var file: String
    /// The criteria it reads through `meets`.
    package var dependencies: [String]
    /// When some clause has its own `in_force` window: the conditions as of each day a window opens
    /// or closes (the version's first day included), in date order, each in force until the next.
    /// Empty when no clause has a window of its own: `root` holds on every day of the version.
    package var datedRoots: [DatedRoot] = []

    /// The conditions as of a date from `datedRoots`.
    package struct DatedRoot: Sendable, Hashable {
        /// The first day these conditions hold.
        package var from: LocalDate
        /// The root with the clauses out of force on that day removed.
        package var root: ConditionNode
    }

    /// The clauses that have an `in_force` window of their own, in rule order (depth first).
    package var datedClauses: [ConditionNode] { root.allNodes.dropFirst().filter { $0.inForce != nil } }

    /// The days on which some clause's window opens or closes inside the version's period: each
    /// clause's first day, and the day after its last day, sorted, without the version's first day.
    package var clauseBoundaries: [LocalDate] {
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
    package func asOf(_ date: LocalDate) -> CriterionVersion {
        guard let dated = datedRoots.last(where: { $0.from <= date }) else { return self }
        var version = self
        version.root = dated.root
        version.datedRoots = []
        return version
    }
}

/// A named threshold with dated values.
package struct Parameter: Sendable, Hashable {
    /// Its name.
    package var name: String
    /// Its title.
    package var title: LocalizedText?
    /// `percent`, `number` or `count`.
    package var type: InputType
    /// Its legal citation.
    package var source: Citation?
    /// Its values, in date order.
    package var values: [ParameterSyntax.DatedValue]
    /// Where it is declared.
    package var range: SourceRange

    /// The value in force on a date: the last one whose date is not after it.
    package func value(on date: LocalDate) -> ParameterSyntax.DatedValue? {
        values.last { $0.from <= date }
    }
}

/// The checked rule set: an immutable graph of criteria, their conditions, parameters and inputs.
///
/// Built once by `RuleSetLoader`, evaluated many times, from many threads.
public struct RuleGraph: Sendable {
    /// The declared inputs.
    public package(set) var inputs: InputCatalog
    /// The parameters by name.
    package var parameters: [String: Parameter]
    /// The versions of each criterion by id, in date order.
    package var criteria: [String: [CriterionVersion]]
    /// The criterion ids with every dependency before its dependents (then by id).
    public package(set) var order: [String]
    /// Warnings and notes found while checking (such as provisional clauses).
    public package(set) var diagnostics: [Diagnostic]

    /// The version of a criterion in force on a date, as of that date: a clause whose own `in_force`
    /// window leaves the date out is absent from its group. Both evaluators and every explanation
    /// read the criterion through this one place. `criteria` keeps every clause (pages, changes,
    /// coverage).
    package func version(of id: String, on date: LocalDate) -> CriterionVersion? {
        criteria[id]?.first { $0.inForce.contains(date) }.map { $0.asOf(date) }
    }

    /// The level a criterion applies to.
    public func level(of id: String) -> Level? { criteria[id]?.first?.level }

    /// The criteria that apply to a level, in evaluation order.
    public func criteria(at level: Level) -> [String] { order.filter { self.level(of: $0) == level } }
}
