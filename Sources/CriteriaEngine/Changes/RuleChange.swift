/// One difference between two rule sets, stated in words.
package struct RuleChange: Sendable, Hashable, Codable {
    /// What kind of difference it is.
    package enum Kind: String, Sendable, Hashable, Codable {
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
        /// An input is declared only in the new rules: every dataset must supply it.
        case inputAdded = "input-added"
        /// An input is declared only in the old rules: datasets must drop it.
        case inputRemoved = "input-removed"
        /// An input's type, level, enum values, unit, label or merge rule changed.
        case inputChanged = "input-changed"
        /// A level of the map (`levels.yaml`) was added.
        case levelAdded = "level-added"
        /// A level of the map was removed.
        case levelRemoved = "level-removed"
        /// A level's parents, collection, kinds, groups or last day changed.
        case levelChanged = "level-changed"
        /// A title (of a criterion, condition or parameter) changed.
        case titleChanged = "title-changed"
        /// A citation's act, part, note or quote changed, or a condition's own citation was added or removed.
        case sourceChanged = "source-changed"
        /// A criterion's assessment year (`assessment_period`) changed.
        case assessmentPeriodChanged = "assessment-period-changed"
        /// A condition's own `in_force` window was added, removed or moved.
        case conditionPeriodChanged = "condition-period-changed"

        /// Whether a change of this kind can change a verdict. Titles, citations and their status
        /// change only what an explanation says, so `VerdictDiff` never names them as a cause.
        package var canChangeVerdicts: Bool {
            switch self {
            case .titleChanged, .sourceChanged, .statusChanged: false
            default: true
            }
        }
    }

    /// The kind of change.
    package var kind: Kind
    /// What changed: a criterion id, a condition path, or a parameter name.
    package var subject: String
    /// The condition paths that read this subject (for a parameter, every condition that uses it).
    package var affects: [String]
    /// The change in Vietnamese and English.
    package var text: LocalizedText

    /// Creates a change.
    package init(kind: Kind, subject: String, affects: [String], text: LocalizedText) {
        self.kind = kind
        self.subject = subject
        self.affects = affects
        self.text = text
    }
}

/// Compares two rule graphs into a changelog.
package enum RuleChanges {
    /// The changelog as `criteria changes` prints it: one `- ` line per change, or a sentence saying
    /// there is none.
    package static func text(_ changes: [RuleChange], language: Language) -> String {
        if changes.isEmpty { return language == .vi ? "Không có thay đổi.\n" : "No changes.\n" }
        return changes.map { "- " + $0.text.text(in: language) }.joined(separator: "\n") + "\n"
    }

    /// The differences from `old` to `new`, criteria first (in the new rules' order), then parameters.
    package static func compare(old: RuleGraph, new: RuleGraph) -> [RuleChange] {
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
            // Compare the newest versions of each side: what the criterion says, then its conditions.
            if let o = before.last, let n = after.last {
                changes += compareCriterion(o, n)
                changes += compareConditions(o, n)
            }
        }
        changes += compareParameters(old: old, new: new)
        changes += compareInputs(old: old, new: new)
        changes += compareLevels(old: old.inputs.map, new: new.inputs.map)
        return changes
    }

    /// The levels of the map added, removed or changed: each changes what a dataset must hold.
    static func compareLevels(old: LevelMap, new: LevelMap) -> [RuleChange] {
        var changes: [RuleChange] = []
        func list(_ words: [String]) -> String { words.isEmpty ? "—" : words.joined(separator: ", ") }
        for level in new.declarations {
            let table = CSVDatasetReader.tableName(new[level.name] ?? .province)
            guard let previous = old.declarations.first(where: { $0.name == level.name }) else {
                changes.append(RuleChange(kind: .levelAdded, subject: level.name, affects: [], text: LocalizedText(
                    vi: "cấp mới `\(level.name)` (\(level.label.vi)), dưới \(list(level.parents)): dữ liệu của cấp này ghi trong `\(level.collection)` (bảng `\(table)`)",
                    en: "new level `\(level.name)` (\(level.label.text(in: .en))), under \(list(level.parents)): its data goes in `\(level.collection)` (table `\(table)`)")))
                continue
            }
            var edits = FieldEdits()
            edits.note(previous.parents, level.parents, vi: "cấp trên \(list(previous.parents)) → \(list(level.parents))", en: "parents \(list(previous.parents)) → \(list(level.parents))")
            edits.note(previous.collection, level.collection, vi: "danh sách `\(previous.collection)` → `\(level.collection)` (bảng `\(table)`)", en: "collection `\(previous.collection)` → `\(level.collection)` (table `\(table)`)")
            edits.note(previous.kinds.map(\.value), level.kinds.map(\.value), vi: "các loại \(list(previous.kinds.map(\.value))) → \(list(level.kinds.map(\.value)))", en: "kinds \(list(previous.kinds.map(\.value))) → \(list(level.kinds.map(\.value)))")
            edits.note(previous.groups, level.groups, vi: "các nhóm \(list(previous.groups.map(String.init))) → \(list(level.groups.map(String.init)))", en: "groups \(list(previous.groups.map(String.init))) → \(list(level.groups.map(String.init)))")
            edits.note(previous.until, level.until, vi: "ngày cuối \(previous.until?.vietnamese ?? "—") → \(level.until?.vietnamese ?? "—")", en: "last day \(previous.until?.description ?? "—") → \(level.until?.description ?? "—")")
            if !edits.vi.isEmpty {
                changes.append(RuleChange(kind: .levelChanged, subject: level.name, affects: [], text: LocalizedText(
                    vi: "cấp `\(level.name)`: " + edits.vi.joined(separator: "; "), en: "level `\(level.name)`: " + edits.en.joined(separator: "; "))))
            }
        }
        for level in old.declarations where !new.declarations.contains(where: { $0.name == level.name }) {
            changes.append(RuleChange(kind: .levelRemoved, subject: level.name, affects: [], text: LocalizedText(
                vi: "cấp `\(level.name)` (\(level.label.vi)) bị bỏ: bộ dữ liệu không còn được ghi `\(level.collection)`",
                en: "level `\(level.name)` (\(level.label.text(in: .en))) removed: datasets may no longer hold `\(level.collection)`")))
        }
        return changes
    }

    /// The title, citation and assessment year of a criterion's newest version.
    private static func compareCriterion(_ old: CriterionVersion, _ new: CriterionVersion) -> [RuleChange] {
        var changes: [RuleChange] = []
        let id = new.id
        if let change = titleChange(subject: id, affects: [id], old.title, new.title, vi: "tiêu chí", en: "criterion") { changes.append(change) }
        changes += sourceChanges(subject: id, affects: [id], old.source, new.source)
        if old.period != new.period {
            changes.append(RuleChange(kind: .assessmentPeriodChanged, subject: id, affects: [id], text: LocalizedText(
                vi: "năm đánh giá của `\(id)`: \(periodText(old.period, .vi)) → \(periodText(new.period, .vi))",
                en: "assessment year of `\(id)`: \(periodText(old.period, .en)) → \(periodText(new.period, .en))")))
        }
        return changes
    }

    /// `năm dương lịch`, or `từ 16/11 năm trước đến 15/11`.
    static func periodText(_ period: AssessmentPeriod, _ language: Language) -> String {
        if period == .calendar { return language == .vi ? "năm dương lịch" : "the calendar year" }
        let (first, last) = period.days(of: 2001)
        func dayMonth(_ d: LocalDate) -> String { String(d.vietnamese.prefix(5)) }  // `16/11`
        return language == .vi
            ? "từ \(dayMonth(first)) năm trước đến \(dayMonth(last))"
            : "from \(dayMonth(first)) of the previous year to \(dayMonth(last))"
    }

    /// A change of title, stated with both titles.
    private static func titleChange(
        subject: String, affects: [String], _ old: LocalizedText?, _ new: LocalizedText?, vi: String, en: String
    ) -> RuleChange? {
        guard old != new else { return nil }
        func shown(_ t: LocalizedText?, _ l: Language) -> String { t.map { "“\($0.text(in: l))”" } ?? "—" }
        return RuleChange(kind: .titleChanged, subject: subject, affects: affects, text: LocalizedText(
            vi: "tên \(vi) `\(subject)`: \(shown(old, .vi)) → \(shown(new, .vi))",
            en: "title of \(en) `\(subject)`: \(shown(old, .en)) → \(shown(new, .en))"))
    }

    /// The differences between two citations of one subject: the reference (act and part), the
    /// status, the note and the quoted wording, each its own change; or a citation added or removed.
    private static func sourceChanges(subject: String, affects: [String], _ old: Citation?, _ new: Citation?) -> [RuleChange] {
        var changes: [RuleChange] = []
        func add(_ kind: RuleChange.Kind, _ vi: String, _ en: String) {
            changes.append(RuleChange(kind: kind, subject: subject, affects: affects, text: LocalizedText(vi: vi, en: en)))
        }
        switch (old, new) {
        case (nil, nil):
            break
        case (nil, let n?):
            add(.sourceChanged, "căn cứ riêng của `\(subject)` được thêm: \(n.reference) (\(n.status.rawValue))",
                "own source of `\(subject)` added: \(n.reference) (\(n.status.rawValue))")
        case (let o?, nil):
            add(.sourceChanged, "căn cứ riêng của `\(subject)` (\(o.reference)) bị bỏ; áp dụng căn cứ của cấp trên",
                "own source of `\(subject)` (\(o.reference)) removed; the enclosing source applies")
        case (let o?, let n?):
            if o.reference != n.reference {
                add(.sourceChanged, "căn cứ của `\(subject)`: \(o.reference) → \(n.reference)",
                    "source of `\(subject)`: \(o.reference) → \(n.reference)")
            }
            if o.status != n.status {
                add(.statusChanged, "căn cứ của `\(subject)`: \(o.status.rawValue) → \(n.status.rawValue)",
                    "source of `\(subject)`: \(o.status.rawValue) → \(n.status.rawValue)")
            }
            if o.noteText != n.noteText {
                add(.sourceChanged,
                    n.note(in: .vi).map { "ghi chú về căn cứ của `\(subject)` được sửa: “\($0)”" } ?? "ghi chú về căn cứ của `\(subject)` bị bỏ",
                    n.note(in: .en).map { "note on the source of `\(subject)` changed: “\($0)”" } ?? "note on the source of `\(subject)` removed")
            }
            if o.quote != n.quote {
                add(.sourceChanged,
                    n.quote.map { "trích dẫn nguyên văn của `\(subject)` \(o.quote == nil ? "được thêm" : "được sửa"): “\($0)”" }
                        ?? "trích dẫn nguyên văn của `\(subject)` bị bỏ",
                    n.quote.map { "verbatim quote of `\(subject)` \(o.quote == nil ? "added" : "changed"): “\($0)”" }
                        ?? "verbatim quote of `\(subject)` removed")
            }
        }
        return changes
    }

    /// Inputs declared, removed or redeclared: a new input must be supplied by every dataset, and a
    /// removed one must be dropped from them (a fact that is not declared is an error in data).
    private static func compareInputs(old: RuleGraph, new: RuleGraph) -> [RuleChange] {
        var changes: [RuleChange] = []
        for input in new.inputs.declarations {
            let readers = InputReaders.paths(reading: input.name, in: new)
            guard let previous = old.inputs[input.name] else {
                changes.append(RuleChange(kind: .inputAdded, subject: input.name, affects: readers, text: LocalizedText(
                    vi: "đầu vào mới `\(input.name)` (\(input.label.vi); cấp \(input.level.vietnamese), kiểu \(typeText(input.type, .vi))): "
                        + "mọi bộ dữ liệu cần thêm cột `\(input.name)`" + readersText(readers, .vi),
                    en: "new input `\(input.name)` (\(input.label.text(in: .en)); \(input.level.name) level, type \(input.type.name)): "
                        + "every dataset must add the column `\(input.name)`" + readersText(readers, .en))))
                continue
            }
            var edits = FieldEdits()
            edits.note(previous.type, input.type, vi: "kiểu \(typeText(previous.type, .vi)) → \(typeText(input.type, .vi))", en: "type \(typeText(previous.type)) → \(typeText(input.type))")
            edits.note(previous.level, input.level, vi: "cấp \(previous.level.vietnamese) → \(input.level.vietnamese)", en: "level \(previous.level.name) → \(input.level.name)")
            edits.note(previous.unit, input.unit, vi: "đơn vị \(previous.unit?.vi ?? "—") → \(input.unit?.vi ?? "—")", en: "unit \(previous.unit?.text(in: .en) ?? "—") → \(input.unit?.text(in: .en) ?? "—")")
            edits.note(previous.merge, input.merge, vi: "cách gộp khi sáp nhập \(previous.merge.rawValue) → \(input.merge.rawValue)", en: "merge rule \(previous.merge.rawValue) → \(input.merge.rawValue)")
            edits.note(previous.label, input.label, vi: "nhãn “\(previous.label.vi)” → “\(input.label.vi)”", en: "label “\(previous.label.text(in: .en))” → “\(input.label.text(in: .en))”")
            guard !edits.vi.isEmpty else { continue }
            let mustRewrite = previous.type != input.type || previous.level != input.level
            changes.append(RuleChange(kind: .inputChanged, subject: input.name, affects: readers, text: LocalizedText(
                vi: "đầu vào `\(input.name)`: " + edits.vi.joined(separator: "; ")
                    + (mustRewrite ? " — mọi bộ dữ liệu cần sửa cột `\(input.name)` cho khớp" : ""),
                en: "input `\(input.name)`: " + edits.en.joined(separator: "; ")
                    + (mustRewrite ? " — every dataset must rewrite the column `\(input.name)` to match" : ""))))
        }
        for input in old.inputs.declarations where new.inputs[input.name] == nil {
            changes.append(RuleChange(kind: .inputRemoved, subject: input.name, affects: InputReaders.paths(reading: input.name, in: old), text: LocalizedText(
                vi: "đầu vào `\(input.name)` (\(input.label.vi)) bị bỏ: mọi bộ dữ liệu cần bỏ cột `\(input.name)` (một dữ kiện không được khai báo là lỗi)",
                en: "input `\(input.name)` (\(input.label.text(in: .en))) removed: every dataset must drop the column `\(input.name)` (an undeclared fact is an error)")))
        }
        return changes
    }

    /// `; đọc ở `a`, `b`` — the conditions that read an input — or nothing.
    private static func readersText(_ readers: [String], _ language: Language) -> String {
        guard !readers.isEmpty else { return "" }
        let list = readers.map { "`\($0)`" }.joined(separator: ", ")
        return language == .vi ? " (được đọc ở \(list))" : " (read by \(list))"
    }

    /// `count`, or `enum [kha, yeu]`; in Vietnamese `số đếm`, `danh mục [kha, yeu]`.
    static func typeText(_ type: InputType, _ language: Language = .en) -> String {
        let word: String
        switch (type, language) {
        case (_, .en): word = type.name
        case (.bool, .vi): word = "đúng/sai"
        case (.count, .vi): word = "số đếm"
        case (.number, .vi): word = "số"
        case (.percent, .vi): word = "tỷ lệ phần trăm"
        case (.text, .vi): word = "văn bản"
        case (.enumeration, .vi): word = "danh mục"
        }
        if case .enumeration(let values) = type { return "\(word) [\(values.joined(separator: ", "))]" }
        return word
    }

    private static func periods(_ versions: [CriterionVersion], _ language: Language) -> String {
        versions.map { $0.inForce.text(in: language) }.joined(separator: "; ")
    }

    /// The citations conditions give themselves, by path: a node's source that differs from its
    /// parent's (a node without its own source inherits the parent's, which is not a change of its own).
    static func ownSources(of version: CriterionVersion) -> [String: Citation] {
        var result: [String: Citation] = [:]
        var stack: [(ConditionNode, Citation?)] = [(version.root, version.source)]
        while let (node, inherited) = stack.popLast() {
            if let source = node.source, source != inherited { result[node.path] = source }
            if case .group(_, let children) = node.body { stack += children.map { ($0, node.source) } }
        }
        return result
    }

    private static func compareConditions(_ oldVersion: CriterionVersion, _ newVersion: CriterionVersion) -> [RuleChange] {
        let old = oldVersion.root
        let new = newVersion.root
        let oldOwn = ownSources(of: oldVersion)
        let newOwn = ownSources(of: newVersion)
        var changes: [RuleChange] = []
        let oldNodes = Dictionary(old.allNodes.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let newNodes = new.allNodes
        let newPaths = Set(newNodes.map(\.path))
        for node in newNodes {
            guard let previous = oldNodes[node.path] else {
                // A clause with its own window says from when (and until when) it applies.
                let vi = node.inForce.map { ", có hiệu lực \($0.text(in: .vi))" } ?? ""
                let en = node.inForce.map { ", in force \($0.text(in: .en))" } ?? ""
                changes.append(RuleChange(kind: .conditionAdded, subject: node.path, affects: [node.path], text: LocalizedText(
                    vi: "điều kiện `\(node.path)` được thêm\(vi): \(describe(node))", en: "condition `\(node.path)` added\(en): \(describe(node))")))
                continue
            }
            if previous.inForce != node.inForce {
                func shown(_ window: Period?, _ language: Language) -> String {
                    window.map { $0.text(in: language) } ?? (language == .vi ? "theo tiêu chí" : "as its criterion")
                }
                changes.append(RuleChange(kind: .conditionPeriodChanged, subject: node.path, affects: [node.path], text: LocalizedText(
                    vi: "thời hạn hiệu lực riêng của `\(node.path)`: \(shown(previous.inForce, .vi)) → \(shown(node.inForce, .vi))",
                    en: "own period in force of `\(node.path)`: \(shown(previous.inForce, .en)) → \(shown(node.inForce, .en))")))
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
            // The root's title and source are the criterion's, compared by `compareCriterion`.
            guard node.path != new.path else { continue }
            if let change = titleChange(subject: node.path, affects: [node.path], previous.title, node.title, vi: "điều kiện", en: "condition") {
                changes.append(change)
            }
            changes += sourceChanges(subject: node.path, affects: [node.path], oldOwn[node.path], newOwn[node.path])
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
                let values = new.parameters[name]?.values ?? []
                changes.append(RuleChange(kind: .parameterAdded, subject: name, affects: readers, text: LocalizedText(
                    vi: "tham số `\(name)` được thêm" + valuesText(values, .vi), en: "parameter `\(name)` added" + valuesText(values, .en))))
                continue
            }
            guard let b = new.parameters[name] else {
                changes.append(RuleChange(kind: .parameterRemoved, subject: name, affects: readers, text: LocalizedText(
                    vi: "tham số `\(name)` bị bỏ" + valuesText(a.values, .vi), en: "parameter `\(name)` removed" + valuesText(a.values, .en))))
                continue
            }
            if let change = titleChange(subject: name, affects: [], a.title, b.title, vi: "tham số", en: "parameter") { changes.append(change) }
            changes += sourceChanges(subject: name, affects: [], a.source, b.source)
            if a.type != b.type {
                changes.append(RuleChange(kind: .parameterChanged, subject: name, affects: readers, text: LocalizedText(
                    vi: "kiểu của tham số `\(name)`: \(a.type.name) → \(b.type.name)", en: "type of parameter `\(name)`: \(a.type.name) → \(b.type.name)")))
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

extension RuleChanges {
    /// `: 70% từ ngày 10/02/2022; 80% từ ngày 01/01/2025` — a parameter's values as written, with their unit.
    static func valuesText(_ values: [ParameterSyntax.DatedValue], _ language: Language) -> String {
        guard !values.isEmpty else { return "" }
        return ": " + values.map { value in
            language == .vi ? "\(value.shown(in: .vi)) từ ngày \(value.from.vietnamese)" : "\(value.shown(in: .en)) from \(value.from)"
        }.joined(separator: "; ")
    }
}

/// Finds the conditions that read an input (as a fact of any entity).
enum InputReaders {
    static func paths(reading name: String, in graph: RuleGraph) -> [String] {
        var result: [String] = []
        for id in graph.order {
            for version in graph.criteria[id] ?? [] {
                for node in version.root.allNodes {
                    guard case .check(let e, _) = node.body, !result.contains(node.path) else { continue }
                    let reads = e.allExpressions.contains { x in
                        if case .fact(_, let fact) = x.kind { return fact == name }
                        return false
                    }
                    if reads { result.append(node.path) }
                }
            }
        }
        return result
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

/// The fields of a declaration that changed, each as "field old → new" in Vietnamese and English.
struct FieldEdits {
    var vi: [String] = []
    var en: [String] = []

    /// Notes a field when its value changed.
    mutating func note<T: Equatable>(_ old: T, _ new: T, vi: @autoclosure () -> String, en: @autoclosure () -> String) {
        guard old != new else { return }
        self.vi.append(vi())
        self.en.append(en())
    }
}
