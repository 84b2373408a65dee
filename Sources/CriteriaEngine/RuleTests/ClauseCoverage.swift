/// Which clauses of the rules the rule tests exercised: each condition seen passing and failing,
/// each threshold at and on both sides of its boundary, each outcome, each `in_force` window.
public struct ClauseCoverage: Sendable, Hashable, Codable {
    /// One condition's coverage.
    public struct Condition: Sendable, Hashable, Codable {
        /// The condition's path.
        public var path: String
        /// Whether some test saw it pass.
        public var seenPass = false
        /// Whether some test saw it fail.
        public var seenFail = false
        /// Whether some test saw it unknown.
        public var seenUnknown = false
        /// Whether it orders a number against a threshold (`<`, `<=`, `>`, `>=`).
        public var isThreshold = false
        /// Positions of the actual value against the threshold seen: -1 below, 0 at, 1 above.
        public var positions: Set<Int> = []

        /// Seen both passing and failing.
        public var bothWays: Bool { seenPass && seenFail }
        /// For a threshold: seen below, at and above its boundary.
        public var boundaryTested: Bool { positions.isSuperset(of: [-1, 0, 1]) }
    }

    /// One version's `in_force` window.
    public struct Window: Sendable, Hashable, Codable {
        /// The period as text.
        public var period: String
        /// Whether some test evaluated a date inside it.
        public var inside = false
    }

    /// One criterion's coverage.
    public struct Criterion: Sendable, Hashable, Codable {
        /// The criterion's id.
        public var id: String
        /// Its conditions (every node below the root), in rule order.
        public var conditions: [Condition]
        /// The outcomes its tests reached.
        public var outcomes: Set<Outcome> = []
        /// Its versions' windows.
        public var windows: [Window]
        /// Whether a date before the first version was tested (not applicable).
        public var before = false
        /// Whether a date after the last version was tested (not applicable), when it ends.
        public var after = false
        /// Whether the last version ends (so `after` is meaningful).
        public var ends: Bool

        /// The share of conditions seen both ways, from 0 to 1.
        public var fraction: Double {
            conditions.isEmpty ? 1 : Double(conditions.filter(\.bothWays).count) / Double(conditions.count)
        }
    }

    /// Every criterion, in rule order.
    public var criteria: [Criterion]

    /// The share of all conditions seen both passing and failing, from 0 to 100.
    public var percent: Double {
        let all = criteria.flatMap(\.conditions)
        return all.isEmpty ? 100 : 100 * Double(all.filter(\.bothWays).count) / Double(all.count)
    }

    /// An empty coverage of a rule graph.
    public init(graph: RuleGraph) {
        criteria = graph.order.map { id in
            let versions = graph.criteria[id] ?? []
            var seen = Set<String>()
            var conditions: [Condition] = []
            for version in versions {
                for node in version.root.allNodes.dropFirst() where seen.insert(node.path).inserted {
                    var condition = Condition(path: node.path)
                    if case .check(let e, _) = node.body, case .binary(let op, let l, let r) = e.kind,
                        [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(op),
                        l.type.isNumber, r.type.isNumber
                    {
                        condition.isThreshold = true
                    }
                    conditions.append(condition)
                }
            }
            return Criterion(
                id: id, conditions: conditions, windows: versions.map { Window(period: $0.inForce.text(in: .en)) },
                ends: versions.last?.inForce.until != nil)
        }
    }

    /// Records one verdict, walking its full explanation.
    public mutating func record(_ verdict: Verdict, graph: RuleGraph, asOf: LocalDate) {
        guard let index = criteria.firstIndex(where: { $0.id == verdict.criterion }) else { return }
        criteria[index].outcomes.insert(verdict.outcome)
        let versions = graph.criteria[verdict.criterion] ?? []
        if let position = versions.firstIndex(where: { $0.inForce.contains(asOf) }) {
            criteria[index].windows[position].inside = true
        } else if let first = versions.first, asOf < first.inForce.from {
            criteria[index].before = true
        } else {
            criteria[index].after = true
        }
        var stack = verdict.explanation.children
        while let node = stack.popLast() {
            stack.append(contentsOf: node.children)
            guard let c = criteria[index].conditions.firstIndex(where: { $0.path == node.id }) else { continue }
            switch node.outcome {
            case .pass: criteria[index].conditions[c].seenPass = true
            case .fail: criteria[index].conditions[c].seenFail = true
            case .unknown: criteria[index].conditions[c].seenUnknown = true
            case .notApplicable: break
            }
            if let requirement = node.requirement { criteria[index].conditions[c].positions.insert(requirement.position) }
        }
    }
}
