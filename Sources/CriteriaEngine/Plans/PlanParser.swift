import Foundation

/// Reads a plan file (`Rules/plans/*.yaml`) and checks it against a rule graph.
///
/// Every problem is collected and located (`plan.unknown-key` with a did-you-mean, `plan.unknown-criterion`,
/// `plan.level-mismatch`, …) before anything is thrown. The format is documented in `Docs/plans.md`.
public struct PlanParser {
    /// The format version this parser reads.
    public static let formatVersion = 1
    /// The keys of the file.
    public static let fileKeys = ["criteria", "plan", "targets"]
    /// The keys of the `plan:` mapping.
    public static let planKeys = ["id", "title", "source", "by"]
    /// The keys of a target.
    public static let targetKeys = ["id", "title", "source", "share_of", "meeting", "at_least", "crime_vs", "input", "at_most", "for"]
    /// The input a `crime_vs` target sums when it names none.
    public static let defaultCrimeInput = "social_order_crimes"

    private var reader: SchemaReader
    private let graph: RuleGraph

    private init(graph: RuleGraph, limits: Limits) {
        self.graph = graph
        self.reader = SchemaReader(area: "plan", limits: limits)
    }

    /// Reads and checks the plan file at a path.
    ///
    /// - Throws: `EnvironmentError` when the file cannot be read; `DiagnosticsError` with every problem.
    public static func load(path: String, graph: RuleGraph, limits: Limits = .default) throws -> Plan {
        let file = try SourceReader.read(path: path, maxBytes: limits.maxRuleFileBytes)
        return try parse(file, graph: graph, limits: limits)
    }

    /// Parses a plan file's text and checks its criteria and inputs against the graph.
    public static func parse(_ file: SourceFile, graph: RuleGraph, limits: Limits = .default) throws(DiagnosticsError) -> Plan {
        let root: DocumentNode
        do {
            root = try YAMLReader.read(file, maxNesting: limits.maxRuleNesting, limits: limits)
        } catch {
            var error = error
            for index in error.diagnostics.indices where error.diagnostics[index].id == "yaml.empty" {
                error.diagnostics[index].hint = "a plan file starts with 'criteria: 1', then 'plan:' and 'targets:'"
            }
            throw error
        }
        var parser = PlanParser(graph: graph, limits: limits)
        let plan = parser.parseRoot(root, path: file.path)
        try parser.reader.diagnostics.throwIfErrors()
        guard let plan else {
            throw DiagnosticsError(Diagnostic("plan.invalid", .error, "the plan could not be read", at: file.range(line: 1, column: 1)))
        }
        return plan
    }

    private mutating func parseRoot(_ root: DocumentNode, path: String) -> Plan? {
        guard let f = reader.fields(root, what: "the plan file", allowed: Self.fileKeys, required: Self.fileKeys) else { return nil }
        if let node = f["criteria"], let version = reader.integer(node, what: "the format version 'criteria'", in: 1...Int.max),
            version != Self.formatVersion
        {
            reader.error(
                "unsupported-version", "format version \(version) is not supported by this version of Criteria",
                at: node.range, hint: "write 'criteria: \(Self.formatVersion)'")
        }
        var header: (id: String?, title: LocalizedText?, source: Citation?, by: LocalDate?) = (nil, nil, nil, nil)
        if let node = f["plan"], let p = reader.fields(node, what: "'plan'", allowed: Self.planKeys, required: ["id", "title"]) {
            header.id = p["id"].flatMap { reader.id($0, what: "the plan") }
            header.title = p["title"].flatMap { reader.localized($0, what: "the plan's title") }
            header.source = p["source"].flatMap { reader.citation($0) }
            header.by = p["by"].flatMap { reader.date($0, what: "'by'") }
        }
        var targets: [PlanTarget] = []
        if let node = f["targets"], let items = reader.sequence(node, what: "'targets'") {
            if items.isEmpty {
                reader.error("empty-targets", "the plan lists no targets", at: node.range, hint: "add '- id: …' items under 'targets:'")
            }
            var seen: [String: SourceRange] = [:]
            for item in items {
                guard let target = parseTarget(item) else { continue }
                if let first = seen[target.id] {
                    reader.error(
                        "duplicate-id", "the target id '\(target.id)' is used twice", at: target.range,
                        hint: "give each target its own id", notes: [DiagnosticNote("first used here", at: first)])
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
        guard let f = reader.fields(node, what: "the target", allowed: Self.targetKeys, required: ["id", "title"]) else { return nil }
        let id = f["id"].flatMap { reader.id($0, what: "the target") }
        let title = f["title"].flatMap { reader.localized($0, what: "the target's title") }
        let source = f["source"].flatMap { reader.citation($0) }
        let shareKeys = ["share_of", "meeting", "at_least"]
        let crimeKeys = ["crime_vs", "input", "at_most", "for"]
        let hasShare = f["share_of"] != nil
        let hasCrime = f["crime_vs"] != nil
        var measure: PlanTarget.Measure? = nil
        switch (hasShare, hasCrime) {
        case (true, true):
            reader.error(
                "conflicting-keys", "a target has either 'share_of' or 'crime_vs', not both", at: f.keys["crime_vs"]?.range ?? node.range,
                hint: "split it into two targets")
        case (false, false) where f.misspelt["share_of"] == nil && f.misspelt["crime_vs"] == nil:
            reader.error(
                "missing-key", "the target '\(id ?? "?")' says nothing to measure", at: node.range,
                hint: "add 'share_of:', 'meeting:' and 'at_least:' (a share of communes or districts), or 'crime_vs:', 'at_most:' and 'for:'")
        case (true, false):
            for key in crimeKeys where f[key] != nil {
                reader.error("conflicting-keys", "'\(key)' belongs to a 'crime_vs' target, not a 'share_of' one", at: f.keys[key]?.range ?? node.range)
            }
            measure = parseShare(f, node: node)
        case (false, true):
            for key in shareKeys where f[key] != nil {
                reader.error("conflicting-keys", "'\(key)' belongs to a 'share_of' target, not a 'crime_vs' one", at: f.keys[key]?.range ?? node.range)
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
            reader.error("missing-key", "a 'share_of' target is missing the key '\(key)'", at: node.range, hint: "add '\(key):'")
        }
        let level = f["share_of"].flatMap { reader.choice($0, what: "share_of", among: Level.allCases.map(\.rawValue)) }
            .flatMap(Level.init(rawValue:))
        let criterion = f["meeting"].flatMap { criterionID($0, level: level) }
        let share = f["at_least"].flatMap { fraction($0, what: "at_least") }
        guard let level, let criterion, let share else { return nil }
        return .share(of: level, meeting: criterion, atLeast: share)
    }

    private mutating func criterionID(_ node: DocumentNode, level: Level?) -> String? {
        guard let id = reader.id(node, what: "the criterion of 'meeting'") else { return nil }
        guard let versions = graph.criteria[id], let criterionLevel = versions.first?.level else {
            reader.error(
                "unknown-criterion", "there is no criterion '\(id)' in the rules", at: node.range,
                hint: Suggestion.hint(for: id, among: graph.order) ?? "criteria: \(graph.order.joined(separator: ", "))")
            return nil
        }
        if let level, level != criterionLevel {
            reader.error(
                "level-mismatch", "'\(id)' applies to a \(criterionLevel.rawValue), but the target counts \(level.pluralName)",
                at: node.range, hint: "write 'share_of: \(criterionLevel.rawValue)', or name a \(level.rawValue) criterion")
            return nil
        }
        return id
    }

    private mutating func parseReduction(_ f: SchemaReader.Fields, node: DocumentNode) -> PlanTarget.Measure? {
        for key in ["at_most", "for"] where f[key] == nil && f.misspelt[key] == nil {
            reader.error("missing-key", "a 'crime_vs' target is missing the key '\(key)'", at: node.range, hint: "add '\(key):'")
        }
        let year = f["crime_vs"].flatMap { reader.integer($0, what: "crime_vs (the baseline year)", in: 1900...9999) }
        var input: String? = Self.defaultCrimeInput
        if let node = f["input"] {
            input = inputName(node)
        } else if graph.inputs[Self.defaultCrimeInput] == nil {
            input = nil
            reader.error(
                "unknown-input", "the rules declare no input '\(Self.defaultCrimeInput)' for 'crime_vs' to sum", at: node.range,
                hint: "name the commune input to sum with 'input:'")
        }
        let share = f["at_most"].flatMap { fraction($0, what: "at_most") }
        var units: [Level]? = nil
        if let list = f["for"].flatMap({ reader.sequence($0, what: "'for'") }) {
            let levels = list.compactMap { item -> Level? in
                guard let word = reader.choice(item, what: "a unit of 'for'", among: ["commune", "district", "province"]) else { return nil }
                return Level(rawValue: word)
            }
            if list.isEmpty {
                reader.error("missing-key", "'for' lists no level", at: f["for"]?.range, hint: "write 'for: [district, province]'")
            } else if levels.count == list.count {
                units = levels.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            }
        }
        guard let year, let input, let share, let units, !units.isEmpty else { return nil }
        return .reduction(input: input, baselineYear: year, atMost: share, units: units)
    }

    private mutating func inputName(_ node: DocumentNode) -> String? {
        guard let name = reader.identifier(node, what: "the input of 'crime_vs'") else { return nil }
        guard let declaration = graph.inputs[name] else {
            reader.error(
                "unknown-input", "there is no input '\(name)' in the rules", at: node.range,
                hint: Suggestion.hint(for: name, among: graph.inputs.declarations.map(\.name)))
            return nil
        }
        guard declaration.level == .commune, declaration.type == .count || declaration.type == .number else {
            reader.error(
                "wrong-type", "'\(name)' must be a commune count or number to be summed, but it is a \(declaration.level.rawValue) input",
                at: node.range)
            return nil
        }
        return name
    }

    /// Reads a share written as a percentage (`99%`) or a fraction (`0.99`), from 0 to 100%.
    private mutating func fraction(_ node: DocumentNode, what: String) -> Decimal? {
        reader.share(node, what: what, fractionAllowed: true)?.0
    }
}
