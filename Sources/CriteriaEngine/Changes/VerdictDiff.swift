/// The verdicts that change between two rule sets on the same data, grouped by the rule change that
/// causes them, with totals per criterion and per district.
package struct VerdictDiff: Sendable {
    /// One entity whose outcome on one criterion changes.
    package struct Flip: Sendable, Hashable {
        /// The entity's index in the dataset.
        package var entity: Int
        /// The criterion.
        package var criterion: String
        /// The outcome under the old rules.
        package var before: Outcome
        /// The outcome under the new rules.
        package var after: Outcome
        /// The explanation under the old rules.
        package var beforeExplanation: Explanation
        /// The explanation under the new rules.
        package var afterExplanation: Explanation
        /// The condition paths whose outcome differs (the deepest such nodes).
        package var changedConditions: [String]
    }

    /// Flips that share a cause.
    package struct Group: Sendable {
        /// The rule change that causes them, when one could be named.
        package var change: RuleChange?
        /// The flips.
        package var flips: [Flip]
    }

    /// The rule changes (the changelog).
    package var changes: [RuleChange]
    /// Every flip, grouped by cause.
    package var groups: [Group]
    /// The dataset the verdicts are about.
    package var dataset: Dataset

    /// Every flip, in group order.
    package var flips: [Flip] { groups.flatMap(\.flips) }

    /// Compares the verdicts of the same dataset under two rule sets.
    ///
    /// - Parameter graph: the new rules, used to follow a flip through `meets` to the criterion it
    ///   reads: a district that flips because its communes flipped is grouped under their cause.
    package init(old: EvaluationResult, new: EvaluationResult, changes: [RuleChange], graph: RuleGraph) {
        self.changes = changes
        self.dataset = new.dataset
        var oldByKey: [String: Verdict] = [:]
        for v in old.verdicts { oldByKey["\(v.entity)|\(v.criterion)"] = v }
        var flips: [Flip] = []
        for v in new.verdicts {
            guard let previous = oldByKey["\(v.entity)|\(v.criterion)"], previous.outcome != v.outcome else { continue }
            flips.append(
                Flip(
                    entity: v.entity, criterion: v.criterion, before: previous.outcome, after: v.outcome,
                    beforeExplanation: previous.explanation, afterExplanation: v.explanation,
                    changedConditions: Self.changedConditions(previous.explanation, v.explanation)))
        }
        // A flip is caused by the first change that touches one of its changed conditions, or, failing
        // that, its criterion (a new or removed criterion or period).
        var groups: [Group] = changes.map { Group(change: $0, flips: []) }
        var unexplained: [Flip] = []
        var causeOfCriterion: [String: Int] = [:]
        let reads = MeetsReaders.criteriaRead(in: graph)
        let order = Dictionary(graph.order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for flip in flips.sorted(by: { (order[$0.criterion] ?? 0) < (order[$1.criterion] ?? 0) }) {
            let direct = changes.firstIndex { change in
                change.kind.canChangeVerdicts && change.affects.contains { path in flip.changedConditions.contains(path) }
            } ?? changes.firstIndex { change in
                change.kind.canChangeVerdicts && change.subject == flip.criterion
            }
            let indirect = flip.changedConditions.lazy.flatMap { reads[$0] ?? [] }.compactMap { causeOfCriterion[$0] }.first
            if let index = direct ?? indirect {
                groups[index].flips.append(flip)
                if causeOfCriterion[flip.criterion] == nil { causeOfCriterion[flip.criterion] = index }
            } else {
                unexplained.append(flip)
            }
        }
        groups = groups.filter { !$0.flips.isEmpty }
        if !unexplained.isEmpty { groups.append(Group(change: nil, flips: unexplained)) }
        self.groups = groups
    }

    /// The deepest conditions whose outcomes differ between two explanations of the same criterion.
    static func changedConditions(_ a: Explanation, _ b: Explanation) -> [String] {
        var result: [String] = []
        var stack: [(Explanation?, Explanation?)] = [(a, b)]
        while let (x, y) = stack.popLast() {
            guard x?.outcome != y?.outcome || x == nil || y == nil else { continue }
            let xs = Dictionary((x?.children ?? []).map { ($0.id, $0) }, uniquingKeysWith: { p, _ in p })
            let ys = Dictionary((y?.children ?? []).map { ($0.id, $0) }, uniquingKeysWith: { p, _ in p })
            let differing = Set(xs.keys).union(ys.keys).filter { xs[$0]?.outcome != ys[$0]?.outcome }
            if differing.isEmpty {
                if let id = y?.id ?? x?.id { result.append(id) }
            } else {
                for id in differing.sorted() { stack.append((xs[id], ys[id])) }
            }
        }
        return result.sorted()
    }

    /// How many flips each criterion has, by transition (`pass → fail`).
    package var totalsByCriterion: [String: [String: Int]] {
        var totals: [String: [String: Int]] = [:]
        for flip in flips { totals[flip.criterion, default: [:]]["\(flip.before.rawValue) → \(flip.after.rawValue)", default: 0] += 1 }
        return totals
    }

    /// How many flips fall in each district (by district id; the district's own flips included).
    package var totalsByDistrict: [String: Int] {
        var totals: [String: Int] = [:]
        for flip in flips {
            var index: Int? = flip.entity
            while let i = index, dataset.entities[i].level != .district { index = dataset.entities[i].parent }
            if let i = index { totals[dataset.entities[i].id, default: 0] += 1 }
        }
        return totals
    }
}

/// Finds, for each condition, the criteria it reads through `meets`.
enum MeetsReaders {
    static func criteriaRead(in graph: RuleGraph) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for id in graph.order {
            for version in graph.criteria[id] ?? [] {
                for node in version.root.allNodes {
                    guard case .check(let e, _) = node.body else { continue }
                    for x in e.allExpressions {
                        if case .meets(_, let criterion) = x.kind { result[node.path, default: []].append(criterion) }
                    }
                }
            }
        }
        return result
    }
}
