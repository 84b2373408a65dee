import Foundation

/// Turns a rule file's `DocumentNode` into its syntax: a criterion, input declarations or parameters.
///
/// Which kind of file it is follows from its keys: `id` makes a criterion file, `inputs` an inputs
/// file, `parameters` (alone) a parameters file, `levels` the map's file (`levels.yaml`). Level names
/// are read against the map of the rule set (`LevelMap`), which its loader reads first. Every problem is collected; expressions are parsed
/// here so their mistakes point at the exact column.
public struct RuleFileParser {
    /// The format version this parser reads.
    package static let formatVersion = 1
    /// The keys of a criterion file.
    package static let criterionKeys = [
        "criteria", "id", "title", "level", "kinds", "in_force", "assessment_period", "source", "description", "parameters", "all", "any",
        "none", "at_least", "explain",
    ]
    /// The keys of a condition.
    package static let conditionKeys = ["id", "title", "source", "in_force", "check", "all", "any", "none", "at_least", "explain"]
    /// The keys of an input declaration.
    package static let inputKeys = ["name", "type", "values", "level", "label", "unit", "merge"]
    /// The keys of a level declaration.
    package static let levelKeys = ["name", "label", "collection", "parents", "kinds", "groups", "until"]
    /// The keys of a declared value (a kind).
    package static let valueKeys = ["value", "label"]
    /// The keys of a parameter.
    package static let parameterKeys = ["name", "title", "type", "source", "values"]
    /// The keys of a citation.
    package static let citationKeys = ["act", "part", "status", "note", "quote"]

    private var reader: SchemaReader
    private let file: SourceFile
    private let limits: Limits
    private let map: LevelMap

    private init(file: SourceFile, map: LevelMap, limits: Limits) {
        self.file = file
        self.map = map
        self.limits = limits
        self.reader = SchemaReader(area: "rules", limits: limits)
    }

    /// Parses a rule file's text, returning its content and every diagnostic (errors and warnings).
    ///
    /// Content is returned even when some parts had errors (those parts are left out), so that the
    /// checker can still report the independent problems of the rest in the same run.
    ///
    /// - Parameter map: the levels that `level:` may name (those of the rule set's `levels.yaml`).
    public static func parse(_ file: SourceFile, map: LevelMap = .standard, limits: Limits = .default) -> (RuleFile?, [Diagnostic]) {
        switch document(file, limits: limits) {
        case .success(let root): parse(root, of: file, map: map, limits: limits)
        case .failure(let error): (nil, error.diagnostics)
        }
    }

    /// The YAML document of a rule file, or every problem that stops it being read.
    package static func document(_ file: SourceFile, limits: Limits = .default) -> Result<DocumentNode, DiagnosticsError> {
        Result { () throws(DiagnosticsError) in try YAMLReader.read(file, maxNesting: limits.maxRuleNesting, limits: limits) }
    }

    /// Parses a rule file's document, read with `document(_:limits:)`.
    package static func parse(_ root: DocumentNode, of file: SourceFile, map: LevelMap = .standard, limits: Limits = .default)
        -> (RuleFile?, [Diagnostic])
    {
        var parser = RuleFileParser(file: file, map: map, limits: limits)
        let result = parser.parseRoot(root)
        return (result, parser.reader.diagnostics.sorted)
    }

    /// Whether a document declares the map's levels (a mapping with a `levels` key).
    package static func declaresLevels(_ root: DocumentNode) -> Bool {
        guard case .mapping(let pairs) = root.kind else { return false }
        return pairs.contains { $0.key.scalarText == "levels" }
    }

    private mutating func parseRoot(_ root: DocumentNode) -> RuleFile? {
        guard case .mapping(let pairs) = root.kind else {
            reader.error(
                "wrong-type", .vi("tệp quy tắc phải là một bảng các khoá, nhưng ở đây là \(root.kindWords.vi)", en: "a rule file must be a mapping of keys, but this is \(root.kindDescription)"), at: root.range,
                hint: .vi("hãy bắt đầu tệp bằng dòng 'criteria: 1'", en: "start the file with 'criteria: 1'"))
            return nil
        }
        let keys = Set(pairs.compactMap { $0.key.scalarText })
        var result = RuleFile(path: file.path)
        if keys.contains("id") || keys.contains("all") || keys.contains("any") || keys.contains("title") {
            guard let f = reader.fields(root, what: .vi("tiêu chí", en: "the criterion"), allowed: Self.criterionKeys, required: ["criteria", "id", "level", "in_force"]) else { return nil }
            checkVersion(f)
            result.criterion = parseCriterion(f)
            if let p = f["parameters"] { result.parameters = parseParameters(p) }
        } else if keys.contains("levels") {
            guard let f = reader.fields(root, what: .vi("tệp các cấp", en: "the levels file"), allowed: ["criteria", "levels"], required: ["criteria"]) else { return nil }
            checkVersion(f)
            if let node = f["levels"], let list = reader.sequence(node, what: .vi("danh sách cấp (levels)", en: "levels")) {
                result.levels = list.compactMap { parseLevel($0) }
                if list.isEmpty {
                    reader.error(
                        "missing-key", .vi("'levels' chưa khai báo cấp nào", en: "'levels' declares no level"), at: node.range,
                        hint: .vi("hãy khai báo ít nhất một cấp, ví dụ '- { name: commune, label: { vi: xã, en: commune } }'", en: "declare at least one level, such as '- { name: commune, label: { vi: xã, en: commune } }'"))
                }
            }
        } else if keys.contains("inputs") {
            guard let f = reader.fields(root, what: .vi("tệp đầu vào", en: "the inputs file"), allowed: ["criteria", "inputs", "parameters"], required: ["criteria"]) else { return nil }
            checkVersion(f)
            if let list = f["inputs"].flatMap({ reader.sequence($0, what: .vi("danh sách đầu vào (inputs)", en: "inputs")) }) {
                result.inputs = list.compactMap { parseInput($0) }
            }
            if let p = f["parameters"] { result.parameters = parseParameters(p) }
        } else if keys.contains("parameters") {
            guard let f = reader.fields(root, what: .vi("tệp tham số", en: "the parameters file"), allowed: ["criteria", "parameters"], required: ["criteria"]) else { return nil }
            checkVersion(f)
            if let p = f["parameters"] { result.parameters = parseParameters(p) }
        } else {
            reader.error(
                "unknown-file-kind", .vi("tệp này không khai báo tiêu chí, đầu vào hay tham số nào", en: "this file declares no criterion, inputs or parameters"), at: root.range,
                hint: .vi("tệp tiêu chí có 'id:', 'title:', 'level:', 'in_force:' và 'all:' (hoặc 'any:'); tệp đầu vào có 'inputs:'; tệp các cấp có 'levels:'", en: "a criterion file has 'id:', 'title:', 'level:', 'in_force:' and 'all:' (or 'any:'); an inputs file has 'inputs:'; the levels file has 'levels:'"))
            return nil
        }
        return result
    }

    private mutating func checkVersion(_ f: SchemaReader.Fields) {
        guard let node = f["criteria"] else { return }
        guard let text = node.scalarText, let version = Int(text), version >= 1 else {
            reader.error(
                "unsupported-version", .vi("phiên bản định dạng phải là một số, nhưng gặp \(reader.describe(node).vi)", en: "the format version must be a number, but found \(reader.describe(node).english)"), at: node.range,
                hint: .vi("hãy viết 'criteria: \(Self.formatVersion)'", en: "write 'criteria: \(Self.formatVersion)'"))
            return
        }
        if version != Self.formatVersion {
            reader.error(
                "unsupported-version", .vi("phiên bản định dạng \(version) không được phiên bản Criteria này hỗ trợ", en: "format version \(version) is not supported by this version of Criteria"),
                at: node.range, hint: .vi("hãy viết 'criteria: \(Self.formatVersion)'", en: "write 'criteria: \(Self.formatVersion)'"))
        }
    }

    // MARK: Levels

    /// A level named by `level:`, one of the map's.
    private mutating func parseLevelName(_ node: DocumentNode) -> Level? {
        reader.choice(node, what: .vi("cấp (level)", en: "level"), among: map.names).flatMap { map[$0] }
    }

    /// One level of `levels.yaml`: its name, words, collection, parents and what its entities carry.
    /// Whether the levels fit together (parents declared, no cycle) is checked with the rule set.
    private mutating func parseLevel(_ node: DocumentNode) -> LevelDeclaration? {
        guard let f = reader.fields(node, what: .vi("cấp", en: "the level"), allowed: Self.levelKeys, required: ["name", "label"]) else { return nil }
        let name = f["name"].flatMap { reader.id($0, what: .vi("cấp", en: "the level")) }
        let label = f["label"].flatMap { reader.localized($0, what: .vi("tên gọi của cấp (label)", en: "the level's label")) }
        let collection = f["collection"].flatMap { reader.id($0, what: .vi("tên danh sách (collection)", en: "the collection")) }
        var parents: [(name: String, range: SourceRange)] = []
        if let node = f["parents"], let items = reader.sequence(node, what: .vi("các cấp trên (parents)", en: "parents")) {
            parents = items.compactMap { item in reader.id(item, what: .vi("cấp trên", en: "a parent level")).map { ($0, item.range) } }
        }
        var kinds: [DeclaredValue] = []
        if let node = f["kinds"], let items = reader.sequence(node, what: .vi("các loại (kinds)", en: "kinds")) {
            kinds = items.compactMap { item in
                guard let k = reader.fields(item, what: .vi("loại", en: "a kind"), allowed: Self.valueKeys, required: ["value", "label"]),
                    let value = k["value"].flatMap({ reader.id($0, what: .vi("loại", en: "a kind")) }),
                    let label = k["label"].flatMap({ reader.localized($0, what: .vi("tên gọi của loại (label)", en: "the kind's label")) })
                else { return nil }
                return DeclaredValue(value, label: label)
            }
        }
        var groups: [Int] = []
        if let node = f["groups"], let items = reader.sequence(node, what: .vi("các nhóm (groups)", en: "groups")) {
            groups = items.compactMap { reader.integer($0, what: .vi("nhóm", en: "a group"), in: 1...99) }
        }
        let until = f["until"].flatMap { reader.date($0, what: .vi("ngày cuối cùng của cấp (until)", en: "the level's last day (until)")) }
        guard let name, let label, let nameNode = f["name"] else { return nil }
        var declaration = LevelDeclaration(
            name: name, label: label, collection: collection, parents: parents.map(\.name), kinds: kinds, groups: groups, until: until,
            range: nameNode.range)
        declaration.parentRanges = parents.map(\.range)
        return declaration
    }

    // MARK: Criteria and conditions

    private mutating func parseCriterion(_ f: SchemaReader.Fields) -> CriterionSyntax? {
        let idNode = f["id"]
        let id = idNode.flatMap { reader.id($0, what: .vi("tiêu chí", en: "the criterion")) }
        let title = parseTitle(f, what: .vi("tiêu chí", en: "the criterion"))
        let level = f["level"].flatMap { parseLevelName($0) }
        let period = f["in_force"].flatMap { parsePeriod($0) }
        let assessment = f["assessment_period"].flatMap { parseAssessmentPeriod($0) }
        var kinds: [String]?
        if let node = f["kinds"], let level {
            if level.kinds.isEmpty {
                let carriers = map.levels.filter { !$0.kinds.isEmpty }
                reader.error(
                    "wrong-level", .vi("'kinds' dùng để chọn loại đơn vị, nhưng cấp \(level.vietnamese) không khai báo loại nào", en: "'kinds' chooses among the kinds of a level, but the level \(level.name) declares none"),
                    at: node.range,
                    hint: carriers.first.map { .vi("hãy bỏ 'kinds', hoặc viết 'level: \($0.name)'", en: "remove 'kinds', or write 'level: \($0.name)'") }
                        ?? .vi("hãy bỏ 'kinds'", en: "remove 'kinds'"))
            } else if let items = reader.sequence(node, what: .vi("các loại đơn vị (kinds)", en: "kinds")) {
                let names = level.kinds.map(\.value)
                let words = items.compactMap { reader.choice($0, what: .vi("loại \(level.vietnamese)", en: "a kind of \(level.english)"), among: names) }
                kinds = words.count == items.count && !words.isEmpty ? words : nil
                if items.isEmpty {
                    reader.error("empty-values", .vi("'kinds' chưa liệt kê loại đơn vị nào", en: "'kinds' lists no kind"), at: node.range, hint: .vi("hãy viết 'kinds: [\(names[0])]', hoặc bỏ dòng này", en: "write 'kinds: [\(names[0])]', or remove it"))
                }
            }
        }
        var source: Citation? = nil
        if let node = f["source"] {
            source = parseCitation(node)
        } else {
            reader.error(
                "missing-source", .vi("tiêu chí chưa có căn cứ pháp lý", en: "the criterion has no legal source"), at: f.node.range,
                hint: .vi("hãy thêm 'source: { act: \"QĐ 318/QĐ-TTg\", part: \"…\", status: confirmed }'", en: "add 'source: { act: \"QĐ 318/QĐ-TTg\", part: \"…\", status: confirmed }'"))
        }
        let description = f["description"].flatMap { reader.localized($0, what: .vi("phần mô tả", en: "the description")) }
        let root = parseGroupBody(f, ownerID: id ?? "?", ownerRange: f.node.range, what: .vi("tiêu chí", en: "the criterion"))
        guard let id, let idNode, let level, let period, let root, let inForceNode = f["in_force"] else { return nil }
        let rootCondition = ConditionSyntax(
            id: id, idRange: idNode.range, title: title, source: source, body: root,
            explain: parseExplain(f["explain"]), range: f.node.range)
        return CriterionSyntax(
            id: id, idRange: idNode.range, title: title, level: level, inForce: period, inForceRange: inForceNode.range,
            source: source, description: description, root: rootCondition, range: f.node.range, period: assessment,
            kinds: kinds)
    }

    /// `assessment_period: { from: 16/11, until: 15/11 }`: the assessment year `Y` runs from the first
    /// day of year `Y - 1` to the second of year `Y`, which must be the day before (the years tile).
    private mutating func parseAssessmentPeriod(_ node: DocumentNode) -> AssessmentPeriod? {
        let example = "'assessment_period: { from: 16/11, until: 15/11 }'"
        guard let f = reader.fields(node, what: .vi("kỳ đánh giá (assessment_period)", en: "assessment_period"), allowed: ["from", "until"], required: ["from", "until"], example: example)
        else { return nil }
        func dayMonth(_ key: String) -> (Int, Int)? {
            guard let node = f[key] else { return nil }
            let parts = (node.scalarText ?? "").split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 2, let d = Int(parts[0]), let m = Int(parts[1]), LocalDate(year: 2001, month: m, day: d) != nil {
                return (d, m)
            }
            reader.error(
                "wrong-type", .vi("'\(key)' của kỳ đánh giá là một ngày và tháng, ví dụ 16/11", en: "'\(key)' of the assessment period is a day and month such as 16/11"), at: node.range,
                hint: .vi("hãy viết ngày, dấu gạch chéo rồi tháng: 16/11 (không dùng 29/02)", en: "write the day, a slash and the month: 16/11 (29/02 is not allowed)"))
            return nil
        }
        guard let (d, m) = dayMonth("from"), let (ud, um) = dayMonth("until"), let period = AssessmentPeriod(startDay: d, startMonth: m)
        else { return nil }
        let last = period.days(of: 2001).last
        guard last.day == ud && last.month == um else {
            reader.error(
                "invalid-period",
                .vi("năm đánh giá phải phủ mỗi ngày đúng một lần: bắt đầu từ \(d)/\(m) thì kết thúc ngày \(last.day)/\(last.month), không phải \(ud)/\(um)", en: "the assessment year must cover every day once: from \(d)/\(m) it ends on \(last.day)/\(last.month), not \(ud)/\(um)"),
                at: f["until"]?.range ?? node.range, hint: .vi("hãy viết 'until: \(last.day)/\(last.month)'", en: "write 'until: \(last.day)/\(last.month)'"))
            return nil
        }
        return period
    }

    private mutating func parseTitle(_ f: SchemaReader.Fields, what: LocalizedText) -> LocalizedText? {
        guard let node = f["title"] else {
            reader.error(
                "missing-vi-title", .vi("\(what.vi) chưa có tên", en: "\(what.english) has no title"), at: f.node.range,
                hint: .vi("hãy thêm 'title: { vi: \"…\", en: \"…\" }'; tên tiếng Việt là bắt buộc", en: "add 'title: { vi: \"…\", en: \"…\" }'; the Vietnamese title is required"))
            return nil
        }
        return reader.localized(node, what: .vi("tên", en: "the title"))
    }

    /// Reads the one group key (`all`, `any`, `none` or `at_least`) of a criterion or condition.
    /// A group whose conditions are being read: the head of the condition that holds it (none for the
    /// criterion's own group), its kind and items, and the conditions read so far.
    private struct OpenGroup {
        var owner: ConditionHead?
        var kind: GroupKind
        var items: [DocumentNode]
        var next = 0
        var conditions: [ConditionSyntax] = []
    }

    /// Reads the group of a criterion or condition and every condition nested in it, depth first in
    /// document order, with an explicit stack of open groups: nesting costs no thread stack.
    private mutating func parseGroupBody(
        _ f: SchemaReader.Fields, ownerID: String, ownerRange: SourceRange, what: LocalizedText
    ) -> ConditionSyntax.Body? {
        guard let (kind, items) = groupItems(f, ownerRange: ownerRange, what: what) else { return nil }
        var stack = [OpenGroup(owner: nil, kind: kind, items: items)]
        while let top = stack.last {
            if top.next < top.items.count {
                stack[stack.count - 1].next += 1
                switch openCondition(top.items[top.next]) {
                case .group(let opened): stack.append(opened)
                case .finished(let condition?): stack[stack.count - 1].conditions.append(condition)
                case .finished(nil): break
                }
                continue
            }
            stack.removeLast()
            let body: ConditionSyntax.Body? = top.conditions.isEmpty ? nil : .group(top.kind, top.conditions)
            guard let owner = top.owner else { return body }
            if let condition = finishCondition(owner, body: body) { stack[stack.count - 1].conditions.append(condition) }
        }
        return nil
    }

    /// A condition read up to its body.
    private enum OpenedCondition {
        /// A condition with a group of its own, to read next.
        case group(OpenGroup)
        /// A finished condition (`nil` when it has errors).
        case finished(ConditionSyntax?)
    }

    /// Reads a condition up to its body: a condition with its own group is returned open, any other
    /// finished.
    private mutating func openCondition(_ node: DocumentNode) -> OpenedCondition {
        guard let head = conditionHead(node) else { return .finished(nil) }
        if let check = head.fields["check"] {
            return .finished(finishCondition(head, body: checkBody(check, head)))
        }
        if ["all", "any", "none", "at_least"].allSatisfy({ head.fields[$0] == nil }) {
            reader.error(
                "missing-key", .vi("điều kiện '\(head.id ?? "?")' chưa có biểu thức kiểm tra", en: "the condition '\(head.id ?? "?")' has no check"), at: head.fields.node.range,
                hint: .vi("hãy thêm 'check:' kèm một biểu thức, hoặc 'all:' kèm các điều kiện con", en: "add 'check:' followed by an expression, or 'all:' followed by sub-conditions"))
            return .finished(finishCondition(head, body: nil))
        }
        guard let (kind, items) = groupItems(head.fields, ownerRange: head.fields.node.range, what: .vi("điều kiện '\(head.id ?? "?")'", en: "the condition '\(head.id ?? "?")'"))
        else { return .finished(finishCondition(head, body: nil)) }
        return .group(OpenGroup(owner: head, kind: kind, items: items))
    }

    /// The kind of a group and its list of conditions, or `nil` after reporting what is wrong.
    private mutating func groupItems(
        _ f: SchemaReader.Fields, ownerRange: SourceRange, what: LocalizedText
    ) -> (GroupKind, [DocumentNode])? {
        let present = ["all", "any", "none", "at_least"].filter { f[$0] != nil }
        guard present.count == 1, let key = present.first, let node = f[key] else {
            if present.isEmpty {
                reader.error(
                    "missing-key", .vi("\(what.vi) chưa có điều kiện nào", en: "\(what.english) has no conditions"), at: ownerRange,
                    hint: .vi("hãy thêm 'all:' kèm danh sách điều kiện (hoặc 'any:', 'none:', 'at_least:')", en: "add 'all:' followed by the list of conditions (or 'any:', 'none:', 'at_least:')"))
            } else {
                reader.error(
                    "conflicting-keys", .vi("\(what.vi) có cả '\(present[0])' lẫn '\(present[1])'", en: "\(what.english) has both '\(present[0])' and '\(present[1])'"),
                    at: f.keys[present[1]]?.range ?? ownerRange,
                    hint: .vi("chỉ dùng một nhóm; nếu cần cả hai, hãy lồng nhóm kia vào như một điều kiện", en: "use one group; nest another group as a condition if you need both"))
            }
            return nil
        }
        var kind: GroupKind
        var listNode = node
        switch key {
        case "all": kind = .all
        case "any": kind = .any
        case "none": kind = .none
        default:
            guard let g = reader.fields(node, what: .vi("nhóm at_least", en: "at_least"), allowed: ["count", "of"], required: ["count", "of"]),
                let countNode = g["count"], let of = g["of"]
            else { return nil }
            guard let count = reader.integer(countNode, what: .vi("số điều kiện tối thiểu của at_least", en: "at_least count"), in: 1...10_000) else { return nil }
            kind = .atLeast(count)
            listNode = of
        }
        guard let items = reader.sequence(listNode, what: .vi("các điều kiện của '\(key)'", en: "the conditions of '\(key)'")) else { return nil }
        if items.isEmpty {
            reader.error("empty-group", .vi("'\(key)' chưa có điều kiện nào", en: "'\(key)' has no conditions"), at: listNode.range, hint: .vi("hãy thêm ít nhất một điều kiện", en: "add at least one condition"))
            return nil
        }
        if case .atLeast(let n) = kind, n > items.count {
            reader.error(
                "at-least-range", .vi("at_least đòi \(n) điều kiện nhưng chỉ liệt kê \(items.count)", en: "at_least asks for \(n) conditions but only \(items.count) are listed"),
                at: listNode.range, hint: .vi("hãy giảm 'count' hoặc thêm điều kiện", en: "lower 'count' or add conditions"))
        }
        return (kind, items)
    }

    /// What a condition says besides its body.
    private struct ConditionHead {
        var fields: SchemaReader.Fields
        var id: String?
        var title: LocalizedText?
        var source: Citation?
        /// The clause's own window (`in_force:`), when it has one.
        var inForce: Period?
    }

    /// The fields, id, title and source of a condition, or `nil` when it is not a mapping of allowed keys.
    private mutating func conditionHead(_ node: DocumentNode) -> ConditionHead? {
        if case .scalar(let text, _) = node.kind {
            reader.error(
                "wrong-type", .vi("điều kiện phải có mã (id), tên (title) và biểu thức kiểm tra (check), nhưng ở đây chỉ có '\(text)'", en: "a condition must have an id, a title and a check, but this is only '\(text)'"),
                at: node.range, hint: .vi("hãy viết '- id: …' rồi thụt vào bên dưới các dòng 'title:' và 'check:'", en: "write '- id: …' with 'title:' and 'check:' indented under it"))
            return nil
        }
        guard let f = reader.fields(node, what: .vi("điều kiện", en: "the condition"), allowed: Self.conditionKeys, required: ["id"]) else { return nil }
        let id = f["id"].flatMap { reader.id($0, what: .vi("điều kiện", en: "the condition")) }
        let title = parseTitle(f, what: .vi("điều kiện '\(id ?? "?")'", en: "the condition '\(id ?? "?")'"))
        let source = f["source"].flatMap { parseCitation($0) }
        let inForce = f["in_force"].flatMap { parsePeriod($0) }
        return ConditionHead(fields: f, id: id, title: title, source: source, inForce: inForce)
    }

    /// The body of a condition with `check`, unless it also has a group.
    private mutating func checkBody(_ check: DocumentNode, _ head: ConditionHead) -> ConditionSyntax.Body? {
        let groups = ["all", "any", "none", "at_least"].filter { head.fields[$0] != nil }
        if let other = groups.first {
            reader.error(
                "conflicting-keys", .vi("điều kiện chỉ có một trong hai: 'check' hoặc '\(other)', không có cả hai", en: "a condition has either 'check' or '\(other)', not both"),
                at: head.fields.keys[other]?.range ?? check.range)
            return nil
        }
        return parseCheck(check)
    }

    private mutating func finishCondition(_ head: ConditionHead, body: ConditionSyntax.Body?) -> ConditionSyntax? {
        guard let id = head.id, let idNode = head.fields["id"], let body else { return nil }
        return ConditionSyntax(
            id: id, idRange: idNode.range, title: head.title, source: head.source, body: body,
            explain: parseExplain(head.fields["explain"]), range: head.fields.node.range, inForce: head.inForce,
            inForceRange: head.fields["in_force"]?.range)
    }

    private mutating func parseCheck(_ node: DocumentNode) -> ConditionSyntax.Body? {
        guard case .scalar(let text, let style) = node.kind else {
            let hint: LocalizedText
            switch node.kind {
            case .sequence, .mapping:
                hint = .vi("YAML đọc biểu thức thành \(node.kindWords.vi) vì nó bắt đầu bằng '[' hoặc '{'; hãy đặt cả biểu thức trong dấu nháy", en: "YAML read the expression as \(node.kindDescription) because it starts with '[' or '{'; put the whole expression in quotes")
            default:
                hint = .vi("hãy viết biểu thức sau 'check:'", en: "write the expression after 'check:'")
            }
            reader.error("wrong-type", .vi("'check' phải là một biểu thức, nhưng ở đây là \(node.kindWords.vi)", en: "'check' must be an expression, but this is \(node.kindDescription)"), at: node.range, hint: hint)
            return nil
        }
        let shift: Int?
        switch style {
        case .plain:
            shift = text.contains("\n") || isMultiLine(node, text: text) ? nil : 0
        case .quoted:
            let line = file.line(node.range.start.line).map(String.init) ?? ""
            shift = isVerbatimQuoted(text, on: line, at: node.range.start.column) ? 1 : nil
        case .block:
            shift = nil
        }
        let source = ExpressionSource(text: text, range: node.range, columnShift: shift)
        do {
            return .check(source, try ExpressionParser.parse(source, limits: limits))
        } catch {
            reader.diagnostics.emit(contentsOf: error.diagnostics)
            return nil
        }
    }

    /// Whether a plain scalar was folded from several lines (its text no longer maps to columns).
    private func isMultiLine(_ node: DocumentNode, text: String) -> Bool {
        guard let line = file.line(node.range.start.line) else { return true }
        let scalars = Array(line.unicodeScalars)
        let start = node.range.start.column - 1
        guard start >= 0, start <= scalars.count else { return true }
        let rest = String(String.UnicodeScalarView(scalars[start...]))
        return !rest.hasPrefix(text)
    }

    /// Whether a quoted scalar's text appears verbatim after its opening quote (no escapes, one line).
    private func isVerbatimQuoted(_ text: String, on line: String, at column: Int) -> Bool {
        let scalars = Array(line.unicodeScalars)
        let start = column  // the character after the opening quote, 0-based
        guard start <= scalars.count else { return false }
        let rest = String(String.UnicodeScalarView(scalars[start...]))
        return rest.hasPrefix(text) && !text.contains("'") && !text.contains("\\")
    }

    private mutating func parseExplain(_ node: DocumentNode?) -> ExplainTemplates {
        guard let node, let f = reader.fields(node, what: .vi("phần giải thích (explain)", en: "explain"), allowed: ["pass", "fail", "unknown"]) else {
            return ExplainTemplates()
        }
        return ExplainTemplates(
            pass: f["pass"].flatMap { reader.localized($0, what: .vi("câu giải thích khi đạt ('pass')", en: "the 'pass' sentence")) },
            fail: f["fail"].flatMap { reader.localized($0, what: .vi("câu giải thích khi không đạt ('fail')", en: "the 'fail' sentence")) },
            unknown: f["unknown"].flatMap { reader.localized($0, what: .vi("câu giải thích khi chưa xác định ('unknown')", en: "the 'unknown' sentence")) })
    }

    // MARK: Shared pieces

    private mutating func parsePeriod(_ node: DocumentNode) -> Period? {
        let example = "'in_force: { from: \(node.scalarText ?? "2022-03-08") }' (add ', until: …' when it ends)"
        guard let f = reader.fields(node, what: .vi("thời hạn hiệu lực (in_force)", en: "in_force"), allowed: ["from", "until"], required: ["from"], example: example)
        else { return nil }
        let from = f["from"].flatMap { reader.date($0, what: .vi("ngày bắt đầu hiệu lực (in_force from)", en: "in_force from")) }
        let until = f["until"].flatMap { reader.date($0, what: .vi("ngày hết hiệu lực (in_force until)", en: "in_force until")) }
        guard let from else { return nil }
        if let until, until < from {
            reader.error(
                "invalid-period", .vi("thời hạn hiệu lực kết thúc (\(until)) trước khi bắt đầu (\(from))", en: "in_force ends (\(until)) before it starts (\(from))"), at: f["until"]?.range ?? node.range,
                hint: .vi("'until' là ngày cuối cùng còn hiệu lực, không được trước 'from'", en: "'until' is the last day in force and must not be before 'from'"))
            return nil
        }
        return Period(from: from, until: until)
    }

    private mutating func parseCitation(_ node: DocumentNode) -> Citation? {
        reader.citation(node)
    }

    // MARK: Inputs and parameters

    private mutating func parseInput(_ node: DocumentNode) -> InputDeclaration? {
        guard let f = reader.fields(node, what: .vi("đầu vào", en: "the input"), allowed: Self.inputKeys, required: ["name", "type", "level", "label"]) else { return nil }
        let name = f["name"].flatMap { reader.identifier($0, what: .vi("đầu vào", en: "an input")) }
        let level = f["level"].flatMap { parseLevelName($0) }
        let label = f["label"].flatMap { reader.localized($0, what: .vi("nhãn", en: "the label")) }
        let unit = f["unit"].flatMap { reader.localized($0, what: .vi("đơn vị tính", en: "the unit")) }
        var type: InputType? = nil
        var valueLabels: [String: LocalizedText] = [:]
        if let typeNode = f["type"], let word = reader.choice(typeNode, what: .vi("kiểu (type)", en: "type"), among: ["bool", "count", "number", "percent", "text", "enum"]) {
            (type, valueLabels) = inputType(word, valuesNode: f["values"], at: typeNode.range)
        }
        let merge = f["merge"].flatMap { reader.choice($0, what: .vi("cách gộp (merge)", en: "merge"), among: MergeRule.allCases.map(\.rawValue)) }
            .flatMap(MergeRule.init(rawValue:))
        guard let name, let level, let label, let type else { return nil }
        if merge == .sum, type != .count && type != .number, let node = f["merge"] {
            reader.error(
                "wrong-type", .vi("'merge: sum' cộng các số, nhưng '\(name)' là đầu vào kiểu \(type.vietnamese)", en: "'merge: sum' adds numbers, but '\(name)' is a \(type.name) input"), at: node.range,
                hint: type == .bool ? .vi("hãy viết 'merge: all' hoặc 'merge: any' cho dữ kiện đúng/sai", en: "write 'merge: all' or 'merge: any' for a true/false fact") : .vi("hãy viết 'merge: none'", en: "write 'merge: none'"))
        }
        if merge == .all || merge == .any, type != .bool, let node = f["merge"] {
            reader.error(
                "wrong-type", .vi("'merge: \(merge?.rawValue ?? "")' gộp các dữ kiện đúng/sai, nhưng '\(name)' là đầu vào kiểu \(type.vietnamese)", en: "'merge: \(merge?.rawValue ?? "")' combines true/false facts, but '\(name)' is a \(type.name) input"),
                at: node.range, hint: type == .count || type == .number ? .vi("hãy viết 'merge: sum'", en: "write 'merge: sum'") : .vi("hãy viết 'merge: none'", en: "write 'merge: none'"))
        }
        return InputDeclaration(
            name: name, type: type, level: level, label: label, unit: unit, merge: merge, range: f["name"]?.range,
            valueLabels: valueLabels)
    }

    /// The keys of a labelled enum value, `{ value: xuat_sac, label: { vi: "Xuất sắc", en: "Excellent" } }`.
    package static let enumValueKeys = ["value", "label"]

    /// The type of an input and, for an enum or a bool, the labels its values declare (`values:` items
    /// of an enum are plain words or `{ value, label }` mappings, mixed as the author likes; a bool's are
    /// `{ value: true, label }` and `{ value: false, label }`, either or both).
    private mutating func inputType(
        _ word: String, valuesNode: DocumentNode?, at range: SourceRange
    ) -> (InputType?, [String: LocalizedText]) {
        switch word {
        case "bool":
            guard let valuesNode else { return (.bool, [:]) }
            guard let labels = valueLabels(valuesNode, bool: true) else { return (nil, [:]) }
            return (.bool, labels.labels)
        case "count": return (.count, [:])
        case "number": return (.number, [:])
        case "percent": return (.percent, [:])
        case "text": return (.text, [:])
        default:
            guard let valuesNode else {
                reader.error("missing-key", .vi("đầu vào kiểu liệt kê (enum) cần có 'values'", en: "an enum input needs its 'values'"), at: range, hint: .vi("hãy thêm 'values: [xuat_sac, kha, …]'", en: "add 'values: [xuat_sac, kha, …]'"))
                return (nil, [:])
            }
            guard let values = valueLabels(valuesNode, bool: false) else { return (nil, [:]) }
            return (.enumeration(values.words), values.labels)
        }
    }

    /// The `values:` of an enum (its words, in order, and their labels) or of a bool (labels of `true`
    /// and `false`); `nil` after reporting a mistake.
    private mutating func valueLabels(_ valuesNode: DocumentNode, bool: Bool) -> (words: [String], labels: [String: LocalizedText])? {
        guard let items = reader.sequence(valuesNode, what: .vi("các giá trị (values)", en: "values")) else { return nil }
        var words: [String] = []
        var nodes: [DocumentNode] = []
        var labels: [String: LocalizedText] = [:]
        var valid = true
        let what = bool ? LocalizedText.vi("giá trị đúng/sai", en: "a truth value") : LocalizedText.vi("giá trị liệt kê", en: "an enum value")
        let example = bool
            ? "{ value: true, label: { vi: \"đã ban hành\" } }" : "{ value: xuat_sac, label: { vi: \"Xuất sắc\", en: \"Excellent\" } }"
        for item in items {
            guard case .mapping = item.kind else {
                if bool {
                    // A bool's values are known; only their labels can be declared.
                    reader.error(
                        "wrong-type", .vi("giá trị của đầu vào đúng/sai chỉ khai báo để đặt nhãn, cần dạng \(example)", en: "the values of a bool input are declared only to label them, as \(example)"),
                        at: item.range, hint: .vi("hãy viết \(example), hoặc bỏ 'values' để dùng nhãn mặc định có/không", en: "write \(example), or leave 'values' out for the default yes/no"))
                    valid = false
                } else if let word = reader.identifier(item, what: what) {
                    words.append(word)
                    nodes.append(item)
                } else {
                    valid = false
                }
                continue
            }
            let valueNode = reader.fields(
                item, what: bool ? .vi("giá trị đúng/sai có nhãn", en: "a labelled truth value") : .vi("giá trị liệt kê có nhãn", en: "a labelled enum value"),
                allowed: Self.enumValueKeys, required: Self.enumValueKeys, example: example)
            guard let f = valueNode,
                let value = f["value"].flatMap({ bool ? reader.choice($0, what: what, among: ["true", "false"]) : reader.identifier($0, what: what) }),
                let label = f["label"].flatMap({ reader.localized($0, what: .vi("nhãn của giá trị '\(value)'", en: "the label of value '\(value)'")) })
            else {
                valid = false
                continue
            }
            words.append(value)
            nodes.append(item)
            labels[value] = label
        }
        var seen = Set<String>()
        for (index, word) in words.enumerated() where !seen.insert(word).inserted {
            reader.error(
                "duplicate-value", .vi("\(what.vi) '\(word)' được khai báo hai lần", en: "\(bool ? "the truth value" : "the enum value") '\(word)' is declared twice"),
                at: nodes[index].range, hint: .vi("hãy giữ một lần khai báo của '\(word)'", en: "keep one declaration of '\(word)'"))
            valid = false
        }
        return valid ? (words, labels) : nil
    }

    /// One value of a parameter, checked against its type.
    ///
    /// A percent is written with `%` and lies from 0% to 100% (a bare `75` would be 7500%); a count
    /// is a whole number of at least 0; a number is any decimal, without `%`.
    /// Without a valid type (already reported), values are not checked.
    private mutating func parameterValue(_ node: DocumentNode, type: InputType?) -> (Decimal, String)? {
        guard let type else { return nil }
        if type == .percent { return reader.share(node, what: .vi("giá trị tham số", en: "the parameter value"), fractionAllowed: false) }
        guard let (value, text) = reader.decimal(node, what: .vi("giá trị tham số", en: "the parameter value"), allowPercent: false)
        else { return nil }
        if type == .count, value < 0 || value != value.rounded(0) {
            reader.error(
                "invalid-number", .vi("tham số kiểu đếm (count) phải là số nguyên không âm, nhưng gặp '\(text)'", en: "a count parameter must be a whole number of at least 0, but found '\(text)'"), at: node.range,
                hint: value < 0 ? .vi("số đếm không thể âm; hãy viết 0 trở lên", en: "a count cannot be negative; write 0 or more") : .vi("hãy viết một số nguyên, ví dụ \(max(0, value.rounded(0)))", en: "write a whole number, such as \(max(0, value.rounded(0)))"))
            return nil
        }
        return (value, text)
    }

    private mutating func parseParameters(_ node: DocumentNode) -> [ParameterSyntax] {
        guard let items = reader.sequence(node, what: .vi("danh sách tham số (parameters)", en: "parameters")) else { return [] }
        return items.compactMap { parseParameter($0) }
    }

    private mutating func parseParameter(_ node: DocumentNode) -> ParameterSyntax? {
        guard let f = reader.fields(node, what: .vi("tham số", en: "the parameter"), allowed: Self.parameterKeys, required: ["name", "type", "values"]) else { return nil }
        let name = f["name"].flatMap { reader.identifier($0, what: .vi("tham số", en: "a parameter")) }
        let title = parseTitle(f, what: .vi("tham số '\(name ?? "?")'", en: "the parameter '\(name ?? "?")'"))
        let source = f["source"].flatMap { parseCitation($0) }
        let type = f["type"].flatMap { reader.choice($0, what: .vi("kiểu (type)", en: "type"), among: ["percent", "number", "count"]) }
            .map { word -> InputType in word == "percent" ? .percent : word == "count" ? .count : .number }
        var values: [ParameterSyntax.DatedValue] = []
        if let valuesNode = f["values"] {
            if case .mapping(let pairs) = valuesNode.kind {
                for pair in pairs {
                    guard let from = reader.date(pair.key, what: .vi("ngày áp dụng của giá trị tham số", en: "the date of a parameter value")) else { continue }
                    if case .mapping(let byGroup) = pair.value.kind {
                        // A value per commune group: `{ 1: 90%, 2: 80%, 3: 70% }`.
                        // Every group's value is checked, so that each mistake is reported in one run.
                        var groups: [(value: Value, text: String)] = []
                        var valid = true
                        for (k, item) in byGroup.enumerated() {
                            guard item.key.scalarText == "\(k + 1)" else {
                                reader.error(
                                    "wrong-type", .vi("giá trị theo nhóm xã phải liệt kê nhóm 1, 2 và 3 theo thứ tự", en: "a value per commune group lists groups 1, 2 and 3 in order"), at: item.key.range,
                                    hint: .vi("hãy viết '{ 1: 90%, 2: 80%, 3: 70% }'", en: "write '{ 1: 90%, 2: 80%, 3: 70% }'"))
                                valid = false
                                break
                            }
                            guard let (value, text) = parameterValue(item.value, type: type) else {
                                valid = false
                                continue
                            }
                            groups.append((.number(value), text))
                        }
                        guard valid else { continue }
                        if groups.count != 3 {
                            reader.error(
                                "wrong-type", .vi("giá trị theo nhóm xã phải cho đủ nhóm 1, 2 và 3, nhưng có \(groups.count)", en: "a value per commune group gives groups 1, 2 and 3, found \(groups.count)"),
                                at: pair.value.range, hint: .vi("hãy viết '{ 1: 90%, 2: 80%, 3: 70% }'", en: "write '{ 1: 90%, 2: 80%, 3: 70% }'"))
                        }
                        guard groups.count == 3 else { continue }
                        values.append(
                            .init(from: from, value: groups[0].value, text: groups[0].text, range: pair.value.range, groups: groups))
                        continue
                    }
                    guard let (value, text) = parameterValue(pair.value, type: type) else { continue }
                    values.append(.init(from: from, value: .number(value), text: text, range: pair.value.range))
                }
                if pairs.isEmpty { reader.error("empty-values", .vi("tham số chưa có giá trị nào", en: "the parameter has no values"), at: valuesNode.range, hint: .vi("hãy thêm một dòng '2022-03-08: 70%'", en: "add a line '2022-03-08: 70%'")) }
            } else {
                reader.error(
                    "wrong-type", .vi("'values' phải ghi mỗi ngày kèm giá trị có hiệu lực từ ngày đó", en: "'values' must map each date to the value in force from it"), at: valuesNode.range,
                    hint: .vi("hãy viết các dòng như '2022-03-08: 70%'", en: "write lines such as '2022-03-08: 70%'"))
            }
        }
        for (a, b) in zip(values, values.dropFirst()) where !(a.from < b.from) {
            reader.error(
                "unordered-values", .vi("các giá trị tham số phải liệt kê theo thứ tự ngày, không lặp lại ngày", en: "parameter values must be listed in date order without repeating a date"),
                at: b.range, hint: .vi("hãy liệt kê các ngày từ cũ nhất đến mới nhất", en: "list the dates from oldest to newest"))
        }
        guard let name, let nameNode = f["name"], let type else { return nil }
        return ParameterSyntax(name: name, nameRange: nameNode.range, title: title, type: type, source: source, values: values)
    }
}

extension Decimal {
    /// The value rounded to `scale` decimal places, half away from zero.
    func rounded(_ scale: Int) -> Decimal {
        var input = self
        var output = Decimal()
        NSDecimalRound(&output, &input, scale, .plain)
        return output
    }
}
