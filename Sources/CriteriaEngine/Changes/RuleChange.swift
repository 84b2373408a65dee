/// One difference between two rule sets, stated in words.
public struct RuleChange: Sendable, Hashable, Codable {
    /// What kind of difference it is.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A criterion exists only in the new rules.
        case criterionAdded = "criterion-added"
        /// A criterion exists only in the old rules.
        case criterionRemoved = "criterion-removed"
        /// The periods in force of a criterion changed (a version added, ended or moved).
        case periodChanged = "period-changed"
        /// A condition exists only in the new rules.
        case conditionAdded = "condition-added"
        /// A condition exists only in the old rules.
        case conditionRemoved = "condition-removed"
        /// A condition's check expression changed.
        case checkChanged = "check-changed"
        /// A group's combination changed (all, any, none, at_least).
        case groupChanged = "group-changed"
        /// A citation's status changed (confirmed ↔ provisional).
        case statusChanged = "status-changed"
        /// A parameter's dated values changed.
        case parameterChanged = "parameter-changed"
        /// A parameter exists only in the new rules.
        case parameterAdded = "parameter-added"
        /// A parameter exists only in the old rules.
        case parameterRemoved = "parameter-removed"
    }

    /// The kind of change.
    public var kind: Kind
    /// What changed: a criterion id, a condition path, or a parameter name.
    public var subject: String
    /// The condition paths that read this subject (for a parameter, every condition that uses it).
    public var affects: [String]
    /// The change in Vietnamese and English.
    public var text: LocalizedText

    /// Creates a change.
    public init(kind: Kind, subject: String, affects: [String], text: LocalizedText) {
        self.kind = kind
        self.subject = subject
        self.affects = affects
        self.text = text
    }
}

/// Compares two rule graphs into a changelog.
public enum RuleChanges {
    /// The differences from `old` to `new`, criteria first (in the new rules' order), then parameters.
    public static func compare(old: RuleGraph, new: RuleGraph) -> [RuleChange] {
        var changes: [RuleChange] = []
        let ids = new.order + old.order.filter { new.criteria[$0] == nil }
        for id in ids {
            let before = old.criteria[id] ?? []
            let after = new.criteria[id] ?? []
            if before.isEmpty {
                changes.append(RuleChange(kind: .criterionAdded, subject: id, affects: [id], text: LocalizedText(
                    vi: "tiêu chí `\(id)` được thêm, có hiệu lực \(periods(after, .vi))",
                    en: "criterion `\(id)` added, in force \(periods(after, .en))")))
                continue
            }
            if after.isEmpty {
                changes.append(RuleChange(kind: .criterionRemoved, subject: id, affects: [id], text: LocalizedText(
                    vi: "tiêu chí `\(id)` bị bỏ", en: "criterion `\(id)` removed")))
                continue
            }
            let oldPeriods = before.map(\.inForce)
            let newPeriods = after.map(\.inForce)
            if oldPeriods != newPeriods {
                var vi = "thời gian hiệu lực của `\(id)`: \(periods(before, .vi)) → \(periods(after, .vi))"
                var en = "periods in force of `\(id)`: \(periods(before, .en)) → \(periods(after, .en))"
                if oldPeriods.count == newPeriods.count, let o = oldPeriods.last, let n = newPeriods.last, o.from == n.from,
                    let end = n.until, o.until != n.until
                {
                    vi = "tiêu chí `\(id)` hết hiệu lực sau ngày \(end.vietnamese)" + (o.until.map { " (trước đây: \($0.vietnamese))" } ?? "")
                    en = "criterion `\(id)` ends on \(end)" + (o.until.map { " (was \($0))" } ?? "")
                }
                changes.append(RuleChange(kind: .periodChanged, subject: id, affects: [id], text: LocalizedText(vi: vi, en: en)))
            }
            // Compare the conditions of the newest versions of each side.
            if let o = before.last, let n = after.last { changes += compareConditions(o.root, n.root) }
        }
        changes += compareParameters(old: old, new: new)
        return changes
    }

    private static func periods(_ versions: [CriterionVersion], _ language: Language) -> String {
        versions.map { $0.inForce.text(in: language) }.joined(separator: "; ")
    }

    private static func compareConditions(_ old: ConditionNode, _ new: ConditionNode) -> [RuleChange] {
        var changes: [RuleChange] = []
        let oldNodes = Dictionary(old.allNodes.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let newNodes = new.allNodes
        let newPaths = Set(newNodes.map(\.path))
        for node in newNodes {
            guard let previous = oldNodes[node.path] else {
                changes.append(RuleChange(kind: .conditionAdded, subject: node.path, affects: [node.path], text: LocalizedText(
                    vi: "điều kiện `\(node.path)` được thêm: \(describe(node))", en: "condition `\(node.path)` added: \(describe(node))")))
                continue
            }
            switch (previous.body, node.body) {
            case (.check(_, let a), .check(_, let b)) where a.text != b.text:
                changes.append(RuleChange(kind: .checkChanged, subject: node.path, affects: [node.path], text: LocalizedText(
                    vi: "biểu thức của `\(node.path)`: `\(a.text)` → `\(b.text)`",
                    en: "check of `\(node.path)`: `\(a.text)` → `\(b.text)`")))
            case (.group(let a, _), .group(let b, _)) where a != b:
                changes.append(RuleChange(kind: .groupChanged, subject: node.path, affects: [node.path], text: LocalizedText(
                    vi: "cách kết hợp của `\(node.path)`: \(a.keyword) → \(b.keyword)", en: "combination of `\(node.path)`: \(a.keyword) → \(b.keyword)")))
            case (.check, .group), (.group, .check):
                changes.append(RuleChange(kind: .checkChanged, subject: node.path, affects: [node.path], text: LocalizedText(
                    vi: "điều kiện `\(node.path)` được viết lại: \(describe(node))", en: "condition `\(node.path)` rewritten: \(describe(node))")))
            default:
                break
            }
            if let a = previous.source?.status, let b = node.source?.status, a != b {
                changes.append(RuleChange(kind: .statusChanged, subject: node.path, affects: [node.path], text: LocalizedText(
                    vi: "căn cứ của `\(node.path)`: \(a.rawValue) → \(b.rawValue)", en: "source of `\(node.path)`: \(a.rawValue) → \(b.rawValue)")))
            }
        }
        for node in old.allNodes where !newPaths.contains(node.path) {
            changes.append(RuleChange(kind: .conditionRemoved, subject: node.path, affects: [node.path], text: LocalizedText(
                vi: "điều kiện `\(node.path)` bị bỏ", en: "condition `\(node.path)` removed")))
        }
        return changes
    }

    private static func describe(_ node: ConditionNode) -> String {
        switch node.body {
        case .check(_, let source): "`\(source.text)`"
        case .group(let kind, let children): "\(kind.keyword) of \(children.count)"
        }
    }

    private static func compareParameters(old: RuleGraph, new: RuleGraph) -> [RuleChange] {
        var changes: [RuleChange] = []
        let names = Set(old.parameters.keys).union(new.parameters.keys).sorted()
        for name in names {
            let readers = ParameterReaders.paths(reading: name, in: new.parameters[name] == nil ? old : new)
            guard let a = old.parameters[name] else {
                changes.append(RuleChange(kind: .parameterAdded, subject: name, affects: readers, text: LocalizedText(
                    vi: "tham số `\(name)` được thêm", en: "parameter `\(name)` added")))
                continue
            }
            guard let b = new.parameters[name] else {
                changes.append(RuleChange(kind: .parameterRemoved, subject: name, affects: readers, text: LocalizedText(
                    vi: "tham số `\(name)` bị bỏ", en: "parameter `\(name)` removed")))
                continue
            }
            let oldValues = Dictionary(a.values.map { ($0.from, $0) }, uniquingKeysWith: { x, _ in x })
            let newValues = Dictionary(b.values.map { ($0.from, $0) }, uniquingKeysWith: { x, _ in x })
            let where_ = readers.isEmpty ? "`\(name)`" : readers.map { "`\($0)`" }.joined(separator: ", ")
            for date in Set(oldValues.keys).union(newValues.keys).sorted() {
                let was = oldValues[date] ?? a.value(on: date)
                let now = newValues[date] ?? b.value(on: date)
                guard was?.value != now?.value || was?.shown(in: .vi) != now?.shown(in: .vi) else { continue }
                changes.append(RuleChange(kind: .parameterChanged, subject: name, affects: readers, text: LocalizedText(
                    vi: "ngưỡng của \(where_) (tham số `\(name)`) \(was?.shown(in: .vi) ?? "—") → \(now?.shown(in: .vi) ?? "—") từ ngày \(date.vietnamese)",
                    en: "threshold of \(where_) (parameter `\(name)`) \(was?.shown(in: .en) ?? "—") → \(now?.shown(in: .en) ?? "—") from \(date)")))
            }
        }
        return changes
    }
}

/// Finds the conditions that read a parameter.
enum ParameterReaders {
    static func paths(reading name: String, in graph: RuleGraph) -> [String] {
        var result: [String] = []
        for id in graph.order {
            for version in graph.criteria[id] ?? [] {
                for node in version.root.allNodes {
                    if case .check(let e, _) = node.body, reads(e, name), !result.contains(node.path) { result.append(node.path) }
                }
            }
        }
        return result
    }

    static func reads(_ e: CompiledExpression, _ name: String) -> Bool {
        e.allExpressions.contains { $0.kind == .parameter(name) }
    }
}
