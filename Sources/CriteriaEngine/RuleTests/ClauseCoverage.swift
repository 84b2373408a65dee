/// Which clauses of the rules the rule tests exercised: each condition seen passing and failing,
/// each threshold at and on both sides of its boundary, each outcome, each `in_force` window, and
/// what changes with the date: each rule version on its first day, each dated parameter value in
/// force (on its first day, and below, at and above its threshold).
///
/// Every list is in a fixed order (rule order, dates ascending; marks sorted), so two runs of the
/// same tests give the same JSON.
package struct ClauseCoverage: Sendable, Hashable, Codable {
    /// One condition's coverage.
    package struct Condition: Sendable, Hashable, Codable {
        /// The condition's path.
        package var path: String
        /// Whether some test saw it pass.
        package var seenPass = false
        /// Whether some test saw it fail.
        package var seenFail = false
        /// Whether some test saw it unknown.
        package var seenUnknown = false
        /// Whether it orders a number against a threshold (`<`, `<=`, `>`, `>=`).
        package var isThreshold = false
        /// Positions of the actual value against the threshold seen, sorted: -1 below, 0 at, 1 above.
        package var positions: [Int] = []

        /// Seen both passing and failing.
        package var bothWays: Bool { seenPass && seenFail }
        /// For a threshold: seen below, at and above its boundary.
        package var boundaryTested: Bool { positions == ClauseCoverage.allPositions }
    }

    /// One version's `in_force` window.
    package struct Window: Sendable, Hashable, Codable {
        /// The period as text.
        package var period: String
        /// Its first day, `YYYY-MM-DD`.
        package var from: String
        /// Its last day, `YYYY-MM-DD`, when it ends.
        package var until: String?
        /// Whether some test evaluated a date inside it.
        package var inside = false
        /// Whether some test evaluated its first day (the version's boundary in time).
        package var firstDay = false

        /// The version is covered when a test evaluated it on its first day.
        package var covered: Bool { firstDay }

        /// The period in words: "từ 2022-03-08 đến 2026-02-14" / the English `period`.
        package func text(in language: Language) -> String {
            guard language == .vi else { return period }
            return "từ \(from)" + (until.map { " đến \($0)" } ?? "")
        }
    }

    /// One dated value of a parameter (`2027-01-01: 75%`), as a coverage item of its own.
    package struct DatedValue: Sendable, Hashable, Codable {
        /// The parameter's name.
        package var parameter: String
        /// The first day the value is in force, `YYYY-MM-DD`.
        package var from: String
        /// The value as written (`75%`).
        package var value: String
        /// The criteria whose conditions read the parameter, in rule order.
        package var criteria: [String]
        /// Whether some test evaluated a condition reading it on a date it is in force.
        package var inForce = false
        /// Whether some test evaluated a condition reading it on its first day.
        package var firstDay = false
        /// Whether a condition reading it orders a number against it.
        package var isThreshold = false
        /// The comparison of the condition that reads it as its threshold (`>=`: the fact must be at
        /// least the value), when the value is the right-hand side of one.
        package var comparison: String?
        /// Positions against it seen while it was in force, sorted: -1 below, 0 at, 1 above.
        package var positions: [Int] = []

        /// Evaluated on its first day, and, for a threshold, seen below, at and above it.
        package var covered: Bool { firstDay && (!isThreshold || positions == ClauseCoverage.allPositions) }
    }

    /// One clause's own `in_force` window (`in_force: { from: 2025-01-01 }` on a condition), as a
    /// coverage item: each end of it that falls inside its version's period is a boundary, covered
    /// when tests evaluated the criterion on both sides of it — the clause's first day and the day
    /// before (the clause absent), its last day and the day after.
    package struct ClauseWindow: Sendable, Hashable, Codable {
        /// The criterion's id.
        package var criterion: String
        /// The clause's path.
        package var path: String
        /// The first day of the version the clause belongs to, `YYYY-MM-DD`.
        package var version: String
        /// The clause's first day, `YYYY-MM-DD`.
        package var from: String
        /// The clause's last day, `YYYY-MM-DD`, when it ends before its version does.
        package var until: String?
        /// Whether the clause starts after its version does (its first day is a boundary).
        package var opens: Bool
        /// Whether the clause ends before its version does (its last day is a boundary).
        package var closes: Bool
        /// Whether some test evaluated the criterion on the clause's first day.
        package var firstDay = false
        /// Whether some test evaluated it on the day before (the clause not yet in force).
        package var dayBefore = false
        /// Whether some test evaluated it on the clause's last day.
        package var lastDay = false
        /// Whether some test evaluated it on the day after (the clause no longer in force).
        package var dayAfter = false

        /// Both sides of each of its boundaries evaluated.
        package var covered: Bool { (!opens || (firstDay && dayBefore)) && (!closes || (lastDay && dayAfter)) }

        /// The days a test still has to evaluate, `YYYY-MM-DD`, in date order, with whether the clause
        /// is in force on each.
        package var missingDays: [(day: String, inForce: Bool)] {
            var days: [(String, Bool)] = []
            if opens, let first = LocalDate(iso: from) {
                if !dayBefore { days.append((first.adding(days: -1, years: 0).description, false)) }
                if !firstDay { days.append((from, true)) }
            }
            if closes, let until, let last = LocalDate(iso: until) {
                if !lastDay { days.append((until, true)) }
                if !dayAfter { days.append((last.adding(days: 1, years: 0).description, false)) }
            }
            return days
        }

        /// The window in words: `từ 01/01/2025` / `from 2025-01-01` (with its end when it has one).
        package func text(in language: Language) -> String {
            guard let start = LocalDate(iso: from) else { return from }
            return Period(from: start, until: until.flatMap { LocalDate(iso: $0) }).text(in: language)
        }
    }

    /// The three positions against a threshold: below, at, above.
    package static let allPositions = [-1, 0, 1]

    /// One criterion's coverage.
    package struct Criterion: Sendable, Hashable, Codable {
        /// The criterion's id.
        package var id: String
        /// Its conditions (every node below the root), in rule order.
        package var conditions: [Condition]
        /// The outcomes its tests reached, in the order of `Outcome.allCases`.
        package var outcomes: [Outcome] = []
        /// Its versions' windows.
        package var windows: [Window]
        /// Whether a date before the first version was tested (not applicable).
        package var before = false
        /// Whether a date after the last version was tested (not applicable), when it ends.
        package var after = false
        /// Whether the last version ends (so `after` is meaningful).
        package var ends: Bool

        /// The share of conditions seen both ways, from 0 to 1.
        package var fraction: Double {
            conditions.isEmpty ? 1 : Double(conditions.filter(\.bothWays).count) / Double(conditions.count)
        }
    }

    /// Every criterion, in rule order.
    package var criteria: [Criterion]
    /// Every dated value of every parameter some condition reads, by parameter name then date.
    package var values: [DatedValue]
    /// Every clause's own `in_force` window that starts or ends inside its version, in rule order.
    package var clauseWindows: [ClauseWindow]
    /// The parameters each condition reads, by criterion id and condition path.
    private var reads: [String: [String: [String]]]

    private enum CodingKeys: String, CodingKey { case criteria, values, clauseWindows }

    /// How many items are covered and how many there are: the conditions (seen both passing and
    /// failing), the rule versions (on their first day), the dated parameter values and the clauses'
    /// own windows (on both sides of each boundary).
    package var counts: (covered: Int, total: Int) {
        let conditions = criteria.flatMap(\.conditions)
        let windows = criteria.flatMap(\.windows)
        let covered = conditions.filter(\.bothWays).count + windows.filter(\.covered).count + values.filter(\.covered).count
            + clauseWindows.filter(\.covered).count
        return (covered, conditions.count + windows.count + values.count + clauseWindows.count)
    }

    /// The share of all items covered, from 0 to 100: the number `--min-coverage` compares.
    package var percent: Double {
        let (covered, total) = counts
        return total == 0 ? 100 : 100 * Double(covered) / Double(total)
    }

    /// Inserts a value into a sorted list without duplicates.
    static func insert<T: Equatable>(_ item: T, into list: inout [T], order: [T]) {
        guard !list.contains(item) else { return }
        list.append(item)
        list.sort { (order.firstIndex(of: $0) ?? 0) < (order.firstIndex(of: $1) ?? 0) }
    }

    /// An empty coverage of a rule graph.
    package init(graph: RuleGraph) {
        var reads: [String: [String: [String]]] = [:]
        var readers: [String: [String]] = [:]
        var thresholds: [String: String?] = [:]
        criteria = graph.order.map { id in
            let versions = graph.criteria[id] ?? []
            var seen = Set<String>()
            var conditions: [Condition] = []
            for version in versions {
                for node in version.root.allNodes.dropFirst() {
                    var isThreshold = false
                    var right: [String] = []
                    var comparison = ""
                    if case .check(let e, _) = node.body {
                        if case .binary(let op, let l, let r) = e.kind, [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(op),
                            l.type.isNumber, r.type.isNumber
                        {
                            isThreshold = true
                            comparison = op.rawValue
                            for case .parameter(let name) in r.allExpressions.map(\.kind) { right.append(name) }
                        }
                        for case .parameter(let name) in e.allExpressions.map(\.kind) where !(reads[id]?[node.path]?.contains(name) ?? false) {
                            reads[id, default: [:]][node.path, default: []].append(name)
                            if !(readers[name]?.contains(id) ?? false) { readers[name, default: []].append(id) }
                            if isThreshold { thresholds[name] = .some(right.contains(name) ? comparison : nil) }
                        }
                    }
                    guard seen.insert(node.path).inserted else { continue }
                    var condition = Condition(path: node.path)
                    condition.isThreshold = isThreshold
                    conditions.append(condition)
                }
            }
            return Criterion(
                id: id, conditions: conditions,
                windows: versions.map {
                    Window(period: $0.inForce.text(in: .en), from: $0.inForce.from.description, until: $0.inForce.until?.description)
                },
                ends: versions.last?.inForce.until != nil)
        }
        values = graph.parameters.keys.sorted().filter { readers[$0] != nil }.flatMap { name in
            (graph.parameters[name]?.values ?? []).map {
                DatedValue(
                    parameter: name, from: $0.from.description, value: $0.text, criteria: readers[name] ?? [],
                    isThreshold: thresholds[name] != nil, comparison: thresholds[name] ?? nil)
            }
        }
        self.reads = reads
        clauseWindows = graph.order.flatMap { id in
            (graph.criteria[id] ?? []).flatMap { version in
                version.datedClauses.compactMap { node -> ClauseWindow? in
                    guard let window = node.inForce else { return nil }
                    let opens = window.from > version.inForce.from
                    let closes = window.until.map { until in version.inForce.until.map { until < $0 } ?? true } ?? false
                    guard opens || closes else { return nil }
                    return ClauseWindow(
                        criterion: id, path: node.path, version: version.inForce.from.description, from: window.from.description,
                        until: closes ? window.until?.description : nil, opens: opens, closes: closes)
                }
            }
        }
    }

    /// Decodes a coverage written by `encode(to:)` (the condition-to-parameter map is not kept).
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        criteria = try c.decode([Criterion].self, forKey: .criteria)
        values = try c.decode([DatedValue].self, forKey: .values)
        clauseWindows = try c.decodeIfPresent([ClauseWindow].self, forKey: .clauseWindows) ?? []
        reads = [:]
    }

    /// Encodes the criteria, the dated values and the clause windows.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(criteria, forKey: .criteria)
        try c.encode(values, forKey: .values)
        try c.encode(clauseWindows, forKey: .clauseWindows)
    }

    /// Records one verdict, walking its full explanation.
    package mutating func record(_ verdict: Verdict, graph: RuleGraph, asOf: LocalDate) {
        guard let index = criteria.firstIndex(where: { $0.id == verdict.criterion }) else { return }
        Self.insert(verdict.outcome, into: &criteria[index].outcomes, order: Outcome.allCases)
        let versions = graph.criteria[verdict.criterion] ?? []
        if let position = versions.firstIndex(where: { $0.inForce.contains(asOf) }) {
            criteria[index].windows[position].inside = true
            if versions[position].inForce.from == asOf { criteria[index].windows[position].firstDay = true }
            let version = versions[position].inForce.from.description
            let day = asOf.description
            let previous = asOf.adding(days: -1, years: 0).description
            let next = asOf.adding(days: 1, years: 0).description
            for w in clauseWindows.indices where clauseWindows[w].criterion == verdict.criterion && clauseWindows[w].version == version {
                if clauseWindows[w].from == day { clauseWindows[w].firstDay = true }
                if clauseWindows[w].from == next { clauseWindows[w].dayBefore = true }
                if let until = clauseWindows[w].until {
                    if until == day { clauseWindows[w].lastDay = true }
                    if until == previous { clauseWindows[w].dayAfter = true }
                }
            }
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
            if let requirement = node.requirement {
                Self.insert(requirement.position, into: &criteria[index].conditions[c].positions, order: Self.allPositions)
            }
            guard node.outcome != .notApplicable else { continue }
            for name in reads[verdict.criterion]?[node.id] ?? [] {
                guard let dated = graph.parameters[name]?.value(on: asOf),
                    let v = values.firstIndex(where: { $0.parameter == name && $0.from == dated.from.description })
                else { continue }
                values[v].inForce = true
                if dated.from == asOf { values[v].firstDay = true }
                if let requirement = node.requirement {
                    Self.insert(requirement.position, into: &values[v].positions, order: Self.allPositions)
                }
            }
        }
    }
}
