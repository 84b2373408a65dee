import Foundation

/// Reads a plan file (`Rules/plans/*.yaml`) and checks it against a rule graph.
///
/// Every problem is collected and located (`plan.unknown-key` with a did-you-mean, `plan.unknown-criterion`,
/// `plan.level-mismatch`, …) before anything is thrown. The format is documented in `Docs/plans.md`.
package struct PlanParser {
    /// The format version this parser reads.
    package static let formatVersion = 1
    /// The keys of the file.
    package static let fileKeys = ["criteria", "plan", "targets"]
    /// The keys of the `plan:` mapping.
    package static let planKeys = ["id", "title", "source", "by"]
    /// The keys of a target.
    package static let targetKeys = ["id", "title", "source", "share_of", "meeting", "at_least", "crime_vs", "input", "at_most", "for"]
    /// The input a `crime_vs` target sums when it names none.
    package static let defaultCrimeInput = "social_order_crimes"

    private var reader: SchemaReader
    private let graph: RuleGraph

    private init(graph: RuleGraph, limits: Limits) {
        self.graph = graph
        self.reader = SchemaReader(area: "plan", limits: limits)
    }

    /// Reads and checks the plan file at a path.
    ///
    /// - Throws: `EnvironmentError` when the file cannot be read; `DiagnosticsError` with every problem.
    package static func load(path: String, graph: RuleGraph, limits: Limits = .default) throws -> Plan {
        let file = try SourceReader.read(path: path, maxBytes: limits.maxRuleFileBytes)
        return try parse(file, graph: graph, limits: limits)
    }

    /// Parses a plan file's text and checks its criteria and inputs against the graph.
    package static func parse(_ file: SourceFile, graph: RuleGraph, limits: Limits = .default) throws(DiagnosticsError) -> Plan {
        let root: DocumentNode
        do {
            root = try YAMLReader.read(file, maxNesting: limits.maxRuleNesting, limits: limits)
        } catch {
            var error = error
            for index in error.diagnostics.indices where error.diagnostics[index].id == "yaml.empty" {
                error.diagnostics[index].hintText = .vi("tệp kế hoạch bắt đầu bằng 'criteria: 1', sau đó là 'plan:' và 'targets:'", en: "a plan file starts with 'criteria: 1', then 'plan:' and 'targets:'")
            }
            throw error
        }
        var parser = PlanParser(graph: graph, limits: limits)
        let plan = parser.parseRoot(root, path: file.path)
        try parser.reader.diagnostics.throwIfErrors()
        guard let plan else {
            throw DiagnosticsError(Diagnostic("plan.invalid", .error, .vi("không đọc được kế hoạch", en: "the plan could not be read"), at: file.range(line: 1, column: 1)))
        }
        return plan
    }

    private mutating func parseRoot(_ root: DocumentNode, path: String) -> Plan? {
        guard let f = reader.fields(root, what: .vi("tệp kế hoạch", en: "the plan file"), allowed: Self.fileKeys, required: Self.fileKeys) else { return nil }
        if let node = f["criteria"], let version = reader.integer(node, what: .vi("phiên bản định dạng 'criteria'", en: "the format version 'criteria'"), in: 1...Int.max),
            version != Self.formatVersion
        {
            reader.error(
                "unsupported-version", .vi("phiên bản định dạng \(version) không được phiên bản Criteria này hỗ trợ", en: "format version \(version) is not supported by this version of Criteria"),
                at: node.range, hint: .vi("hãy viết 'criteria: \(Self.formatVersion)'", en: "write 'criteria: \(Self.formatVersion)'"))
        }
        var header: (id: String?, title: LocalizedText?, source: Citation?, by: LocalDate?) = (nil, nil, nil, nil)
        if let node = f["plan"], let p = reader.fields(node, what: .vi("'plan' (kế hoạch)", en: "'plan'"), allowed: Self.planKeys, required: ["id", "title"]) {
            header.id = p["id"].flatMap { reader.id($0, what: .vi("kế hoạch", en: "the plan")) }
            header.title = p["title"].flatMap { reader.localized($0, what: .vi("tên kế hoạch", en: "the plan's title")) }
            header.source = p["source"].flatMap { reader.citation($0) }
            header.by = p["by"].flatMap { reader.date($0, what: .vi("'by' (thời hạn)", en: "'by'")) }
        }
        var targets: [PlanTarget] = []
        if let node = f["targets"], let items = reader.sequence(node, what: .vi("'targets' (các mục tiêu)", en: "'targets'")) {
            if items.isEmpty {
                reader.error("empty-targets", .vi("kế hoạch chưa có mục tiêu nào", en: "the plan lists no targets"), at: node.range, hint: .vi("hãy thêm các mục '- id: …' dưới 'targets:'", en: "add '- id: …' items under 'targets:'"))
            }
            var seen: [String: SourceRange] = [:]
            for item in items {
                guard let target = parseTarget(item) else { continue }
                if let first = seen[target.id] {
                    reader.error(
                        "duplicate-id", .vi("mã mục tiêu '\(target.id)' bị dùng hai lần", en: "the target id '\(target.id)' is used twice"), at: target.range,
                        hint: .vi("hãy đặt cho mỗi mục tiêu một mã riêng", en: "give each target its own id"), notes: [DiagnosticNote(.vi("dùng lần đầu ở đây", en: "first used here"), at: first)])
                } else if let range = target.range {
                    seen[target.id] = range
                }
                targets.append(target)
            }
        }
        guard let id = header.id, let title = header.title else { return nil }
        return Plan(id: id, title: title, source: header.source, by: header.by, targets: targets, file: path)
    }

    private mutating func parseTarget(_ node: DocumentNode) -> PlanTarget? {
        guard let f = reader.fields(node, what: .vi("mục tiêu", en: "the target"), allowed: Self.targetKeys, required: ["id", "title"]) else { return nil }
        let id = f["id"].flatMap { reader.id($0, what: .vi("mục tiêu", en: "the target")) }
        let title = f["title"].flatMap { reader.localized($0, what: .vi("tên mục tiêu", en: "the target's title")) }
        let source = f["source"].flatMap { reader.citation($0) }
        let shareKeys = ["share_of", "meeting", "at_least"]
        let crimeKeys = ["crime_vs", "input", "at_most", "for"]
        let hasShare = f["share_of"] != nil
        let hasCrime = f["crime_vs"] != nil
        var measure: PlanTarget.Measure? = nil
        switch (hasShare, hasCrime) {
        case (true, true):
            reader.error(
                "conflicting-keys", .vi("mục tiêu chỉ có một trong hai: 'share_of' hoặc 'crime_vs', không có cả hai", en: "a target has either 'share_of' or 'crime_vs', not both"), at: f.keys["crime_vs"]?.range ?? node.range,
                hint: .vi("hãy tách thành hai mục tiêu", en: "split it into two targets"))
        case (false, false) where f.misspelt["share_of"] == nil && f.misspelt["crime_vs"] == nil:
            reader.error(
                "missing-key", .vi("mục tiêu '\(id ?? "?")' không nói cần đo gì", en: "the target '\(id ?? "?")' says nothing to measure"), at: node.range,
                hint: .vi("hãy thêm 'share_of:', 'meeting:' và 'at_least:' (tỷ lệ xã hoặc huyện đạt), hoặc 'crime_vs:', 'at_most:' và 'for:'", en: "add 'share_of:', 'meeting:' and 'at_least:' (a share of communes or districts), or 'crime_vs:', 'at_most:' and 'for:'"))
        case (true, false):
            for key in crimeKeys where f[key] != nil {
                reader.error("conflicting-keys", .vi("'\(key)' thuộc về mục tiêu 'crime_vs', không thuộc mục tiêu 'share_of'", en: "'\(key)' belongs to a 'crime_vs' target, not a 'share_of' one"), at: f.keys[key]?.range ?? node.range)
            }
            measure = parseShare(f, node: node)
        case (false, true):
            for key in shareKeys where f[key] != nil {
                reader.error("conflicting-keys", .vi("'\(key)' thuộc về mục tiêu 'share_of', không thuộc mục tiêu 'crime_vs'", en: "'\(key)' belongs to a 'share_of' target, not a 'crime_vs' one"), at: f.keys[key]?.range ?? node.range)
            }
            measure = parseReduction(f, node: node)
        case (false, false):
            break
        }
        guard let id, let title, let measure else { return nil }
        return PlanTarget(id: id, title: title, source: source, measure: measure, range: f["id"]?.range ?? node.range)
    }

    private mutating func parseShare(_ f: SchemaReader.Fields, node: DocumentNode) -> PlanTarget.Measure? {
        for key in ["meeting", "at_least"] where f[key] == nil && f.misspelt[key] == nil {
            reader.error("missing-key", .vi("mục tiêu 'share_of' thiếu khoá '\(key)'", en: "a 'share_of' target is missing the key '\(key)'"), at: node.range, hint: .vi("hãy thêm '\(key):'", en: "add '\(key):'"))
        }
        let map = graph.inputs.map
        let level = f["share_of"].flatMap { reader.choice($0, what: .vi("share_of (cấp được đếm)", en: "share_of"), among: map.names) }
            .flatMap { map[$0] }
        let criterion = f["meeting"].flatMap { criterionID($0, level: level) }
        let share = f["at_least"].flatMap { fraction($0, what: .vi("at_least (tỷ lệ tối thiểu)", en: "at_least")) }
        guard let level, let criterion, let share else { return nil }
        return .share(of: level, meeting: criterion, atLeast: share)
    }

    private mutating func criterionID(_ node: DocumentNode, level: Level?) -> String? {
        guard let id = reader.id(node, what: .vi("tiêu chí của 'meeting'", en: "the criterion of 'meeting'")) else { return nil }
        guard let versions = graph.criteria[id], let criterionLevel = versions.first?.level else {
            reader.error(
                "unknown-criterion", .vi("bộ quy tắc không có tiêu chí '\(id)'", en: "there is no criterion '\(id)' in the rules"), at: node.range,
                hint: Suggestion.hint(for: id, among: graph.order) ?? .vi("các tiêu chí: \(graph.order.joined(separator: ", "))", en: "criteria: \(graph.order.joined(separator: ", "))"))
            return nil
        }
        if let level, level != criterionLevel {
            reader.error(
                "level-mismatch", .vi("'\(id)' áp dụng cho cấp \(criterionLevel.vietnamese), nhưng mục tiêu lại đếm cấp \(level.vietnamese)", en: "'\(id)' applies to a \(criterionLevel.name), but the target counts \(level.pluralName)"),
                at: node.range, hint: .vi("hãy viết 'share_of: \(criterionLevel.name)', hoặc chọn một tiêu chí cấp \(level.vietnamese)", en: "write 'share_of: \(criterionLevel.name)', or name a \(level.name) criterion"))
            return nil
        }
        return id
    }

    private mutating func parseReduction(_ f: SchemaReader.Fields, node: DocumentNode) -> PlanTarget.Measure? {
        for key in ["at_most", "for"] where f[key] == nil && f.misspelt[key] == nil {
            reader.error("missing-key", .vi("mục tiêu 'crime_vs' thiếu khoá '\(key)'", en: "a 'crime_vs' target is missing the key '\(key)'"), at: node.range, hint: .vi("hãy thêm '\(key):'", en: "add '\(key):'"))
        }
        let year = f["crime_vs"].flatMap { reader.integer($0, what: .vi("crime_vs (năm gốc để so sánh)", en: "crime_vs (the baseline year)"), in: 1900...9999) }
        var input: String? = Self.defaultCrimeInput
        if let node = f["input"] {
            input = inputName(node)
        } else if graph.inputs[Self.defaultCrimeInput] == nil {
            input = nil
            reader.error(
                "unknown-input", .vi("bộ quy tắc không khai báo đầu vào '\(Self.defaultCrimeInput)' để 'crime_vs' cộng dồn", en: "the rules declare no input '\(Self.defaultCrimeInput)' for 'crime_vs' to sum"), at: node.range,
                hint: .vi("hãy ghi đầu vào cấp xã cần cộng bằng 'input:'", en: "name the commune input to sum with 'input:'"))
        }
        let share = f["at_most"].flatMap { fraction($0, what: .vi("at_most (tỷ lệ tối đa)", en: "at_most")) }
        var units: [Level]? = nil
        if let list = f["for"].flatMap({ reader.sequence($0, what: .vi("'for' (các cấp)", en: "'for'")) }) {
            let levels = list.compactMap { item -> Level? in
                // The levels whose totals of a commune input can be compared: communes and those above them.
                let map = graph.inputs.map
                let allowed = map.levels.filter { level in map["commune"].map { level == $0 || level.isAbove($0) } ?? true }.map(\.name)
                guard let word = reader.choice(item, what: .vi("một cấp trong 'for'", en: "a unit of 'for'"), among: allowed) else { return nil }
                return map[word]
            }
            if list.isEmpty {
                reader.error("missing-key", .vi("'for' chưa liệt kê cấp nào", en: "'for' lists no level"), at: f["for"]?.range, hint: .vi("hãy viết 'for: [district, province]'", en: "write 'for: [district, province]'"))
            } else if levels.count == list.count {
                units = levels.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            }
        }
        guard let year, let input, let share, let units, !units.isEmpty else { return nil }
        return .reduction(input: input, baselineYear: year, atMost: share, units: units)
    }

    private mutating func inputName(_ node: DocumentNode) -> String? {
        guard let name = reader.identifier(node, what: .vi("đầu vào của 'crime_vs'", en: "the input of 'crime_vs'")) else { return nil }
        guard let declaration = graph.inputs[name] else {
            reader.error(
                "unknown-input", .vi("bộ quy tắc không có đầu vào '\(name)'", en: "there is no input '\(name)' in the rules"), at: node.range,
                hint: Suggestion.hint(for: name, among: graph.inputs.declarations.map(\.name)))
            return nil
        }
        guard declaration.level == .commune, declaration.type == .count || declaration.type == .number else {
            reader.error(
                "wrong-type", .vi("'\(name)' phải là số đếm hoặc số cấp xã thì mới cộng được, nhưng đây là đầu vào cấp \(declaration.level.vietnamese)", en: "'\(name)' must be a commune count or number to be summed, but it is a \(declaration.level.name) input"),
                at: node.range)
            return nil
        }
        return name
    }

    /// Reads a share written as a percentage (`99%`) or a fraction (`0.99`), from 0 to 100%.
    private mutating func fraction(_ node: DocumentNode, what: LocalizedText) -> Decimal? {
        reader.share(node, what: what, fractionAllowed: true)?.0
    }
}
