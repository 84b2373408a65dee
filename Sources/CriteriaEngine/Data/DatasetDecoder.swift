import Foundation

/// Turns a YAML or JSON document tree into a `Dataset`, typing every fact by an `InputCatalog`.
///
/// The document format (`Docs/data-format.md` has the full reference):
///
/// ```yaml
/// dataset: 1                 # format version, required
/// synthetic: true            # optional: the data is made up
/// description: …             # optional free text
/// province:                  # exactly one root: province, district or commune
///   id: "38"                 # text, required; ids are unique in the whole dataset
///   name: Tỉnh Thanh Hóa      # text, required
///   facts: {}                # optional: year → fact name → value
///   districts:               # province → districts → communes → hamlets
///     - id: "380"
///       name: Huyện Đông Sơn
///       facts:
///         2024: { district_antt_plan: true, social_order_hotspots: 0 }
///       communes:
///         - id: "15901"
///           name: Xã Đông Hòa
///           group: 2         # optional, communes only: 1, 2 or 3
///           facts:
///             2024: { social_order_crimes: 12, movement_rating: kha }
///           hamlets:
///             - { id: "15901-01", name: Thôn 1, facts: { 2024: { safe_antt: true } } }
/// ```
///
/// A fact that is absent, or written as `null`, is unknown and is not stored. Every problem is
/// collected, then all are thrown together, each at its line and column with a hint.
public enum DatasetDecoder {
    /// The format version this decoder reads (`dataset: 1`).
    public static let formatVersion = 1

    /// The top-level keys of a dataset document.
    public static let topLevelKeys = ["dataset", "synthetic", "description", "province", "district", "commune", "successions"]

    /// Decodes a document tree.
    ///
    /// - Parameters:
    ///   - root: the document, from `YAMLReader` or `JSONReader`; its file names the dataset's source.
    ///   - inputs: the declared inputs, which decide each fact's level and type.
    ///   - limits: the diagnostic cap.
    /// - Returns: the dataset, entities in document order (each parent before its children).
    /// - Throws: `DiagnosticsError` with every problem found.
    public static func decode(_ root: DocumentNode, inputs: InputCatalog, limits: Limits = .default)
        throws(DiagnosticsError) -> Dataset
    {
        var builder = DocumentDatasetBuilder(inputs: inputs, limits: limits)
        let synthetic = builder.decodeTop(root)
        try builder.diagnostics.throwIfErrors()
        let dataset = Dataset(
            records: builder.entities, positions: builder.positions, store: builder.store, source: root.range.file,
            synthetic: synthetic)
        guard let applied = SuccessionApplier.apply(
            builder.successions, to: dataset, inputs: inputs, diagnostics: &builder.diagnostics)
        else { throw DiagnosticsError(builder.diagnostics.sorted) }
        return applied
    }
}

/// The decoder's state while it walks one document.
private struct DocumentDatasetBuilder {
    let inputs: InputCatalog
    var diagnostics: DiagnosticCollector
    /// The entities, without their facts, which go to `store`.
    var entities: [Entity] = []
    /// Each entity's position within its level, where its facts are in `store`.
    var positions: [Int] = []
    var store = FactStore()
    /// Where each id was first defined, for duplicate reports.
    var firstID: [String: SourceRange] = [:]
    /// The successions stated under `successions`.
    var successions: [Succession] = []

    init(inputs: InputCatalog, limits: Limits) {
        self.inputs = inputs
        self.diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
    }

    mutating func error(
        _ id: DiagnosticID, _ message: String, at range: SourceRange, hint: String?, notes: [DiagnosticNote] = []
    ) {
        diagnostics.emit(Diagnostic(id, .error, message, at: range, notes: notes, hint: hint))
    }

    /// The text of a mapping key, or `nil` (reported) when the key is not a single value.
    mutating func keyText(_ key: DocumentNode) -> String? {
        switch key.kind {
        case .scalar(let text, _): return text
        case .null: return "null"
        case .mapping, .sequence:
            error("data.wrong-type", "expected a name as a key, found \(key.kindDescription)", at: key.range,
                  hint: "keys are plain names such as 'id' or 'facts'")
            return nil
        }
    }

    // MARK: Top level

    /// Reads the top-level mapping and the root entity; returns whether the data is synthetic.
    mutating func decodeTop(_ root: DocumentNode) -> Bool {
        guard case .mapping(let pairs) = root.kind else {
            error(
                "data.wrong-type", "expected a mapping that starts with 'dataset: 1', found \(root.kindDescription)",
                at: root.range, hint: "a dataset file starts with 'dataset: 1' and names one province, district or commune")
            return false
        }
        var version: DocumentNode?
        var synthetic = false
        var rootEntity: (node: DocumentNode, level: Level, key: DocumentNode)?
        for pair in pairs {
            guard let key = keyText(pair.key) else { continue }
            switch key {
            case "dataset":
                version = pair.value
            case "synthetic":
                if case .scalar(let text, let style) = pair.value.kind {
                    switch FactTyping.value(text, written: .document(style), for: Self.syntheticInput) {
                    case .success(let value): synthetic = value == .bool(true)
                    case .failure(let problem):
                        error("data.wrong-type", problem.message, at: pair.value.range, hint: problem.hint)
                    }
                } else {
                    error(
                        "data.wrong-type", "'synthetic' expects true or false, found \(pair.value.kindDescription)",
                        at: pair.value.range, hint: "write 'synthetic: true' when the data is made up")
                }
            case "description":
                switch pair.value.kind {
                case .scalar, .null: break
                case .mapping, .sequence:
                    error(
                        "data.wrong-type", "'description' expects text, found \(pair.value.kindDescription)",
                        at: pair.value.range, hint: "write the description as one text value")
                }
            case "successions":
                decodeSuccessions(pair.value)
            case "province", "district", "commune":
                let level: Level = key == "province" ? .province : key == "district" ? .district : .commune
                if let first = rootEntity {
                    error(
                        "data.multiple-roots",
                        "a dataset has one root entity, but '\(key)' follows '\(first.level.rawValue)'",
                        at: pair.key.range,
                        hint: "put several districts under one province ('districts:'), or use one file per \(first.level.rawValue)",
                        notes: [DiagnosticNote("the root entity is defined here", at: first.key.range)])
                } else {
                    rootEntity = (pair.value, level, pair.key)
                }
            default:
                let hint: String
                if ["districts", "communes", "hamlets", "provinces"].contains(key) {
                    hint = "the top level names one entity: 'province', 'district' or 'commune'; lists go inside it"
                } else {
                    hint = Suggestion.hint(for: key, among: DatasetDecoder.topLevelKeys)
                        ?? "the top-level keys are " + DatasetDecoder.topLevelKeys.joined(separator: ", ")
                }
                error("data.unknown-key", "unknown key \(QuotedInput.quote(key)) at the top of the dataset", at: pair.key.range, hint: hint)
            }
        }
        if let version {
            if version.kind != .scalar("1", .plain) {
                let found = version.scalarText.map { QuotedInput.quote($0) } ?? version.kindDescription
                error(
                    "data.unsupported-version",
                    "expected format version \(DatasetDecoder.formatVersion), found \(found)", at: version.range,
                    hint: "write 'dataset: 1'; this version of Criteria reads format 1")
            }
        } else {
            error(
                "data.missing-key", "the dataset has no 'dataset' key with its format version", at: root.range,
                hint: "start the file with 'dataset: 1'")
        }
        if let rootEntity {
            _ = decodeEntity(rootEntity.node, level: rootEntity.level, parent: nil)
        } else {
            error(
                "data.missing-key", "the dataset names no entity: expected 'province', 'district' or 'commune'",
                at: root.range, hint: "add 'province:' (or 'district:' or 'commune:') with its id, name and facts")
        }
        return synthetic
    }

    // MARK: Successions

    /// Reads the `successions` list: each item a mapping with `date` and one of `merged: [ids]` +
    /// `into: id`, `renamed: id` + `into: id`, `split: id` + `into: [ids]` or `into: { id: share }`,
    /// `abolished: id` + `children_to: id`.
    mutating func decodeSuccessions(_ node: DocumentNode) {
        if case .null = node.kind { return }
        guard case .sequence(let items) = node.kind else {
            error(
                "data.wrong-type", "'successions' expects a list, found \(node.kindDescription)", at: node.range,
                hint: "write each succession as '- { date: 2025-07-01, merged: [\"A\", \"B\"], into: \"C\" }'")
            return
        }
        for item in items {
            if let succession = decodeSuccession(item) { successions.append(succession) }
        }
    }

    /// The ids of a node: one id, or a list of ids, each with its place.
    mutating func ids(_ node: DocumentNode, what: String) -> [(String, SourceRange)]? {
        switch node.kind {
        case .scalar(let text, _) where !text.isEmpty: return [(text, node.range)]
        case .sequence(let items) where !items.isEmpty:
            var result: [(String, SourceRange)] = []
            for item in items {
                guard case .scalar(let text, _) = item.kind, !text.isEmpty else {
                    error("data.wrong-type", "\(what) expects ids, found \(item.kindDescription)", at: item.range, hint: "write each id as text, such as \"15301\"")
                    return nil
                }
                result.append((text, item.range))
            }
            return result
        default:
            error("data.wrong-type", "\(what) expects an id or a list of ids, found \(node.kindDescription)", at: node.range, hint: "write ids as text, such as \"15301\"")
            return nil
        }
    }

    mutating func decodeSuccession(_ node: DocumentNode) -> Succession? {
        guard case .mapping(let pairs) = node.kind else {
            error(
                "data.wrong-type", "a succession is a mapping, found \(node.kindDescription)", at: node.range,
                hint: "write '- { date: 2025-07-01, merged: [\"A\", \"B\"], into: \"C\" }'")
            return nil
        }
        var fields: [String: DocumentNode] = [:]
        var keyRanges: [String: SourceRange] = [:]
        let allowed = ["date", "merged", "renamed", "split", "abolished", "into", "children_to"]
        for pair in pairs {
            guard let key = keyText(pair.key) else { continue }
            guard allowed.contains(key) else {
                error(
                    "data.unknown-key", "unknown key \(QuotedInput.quote(key)) in a succession", at: pair.key.range,
                    hint: Suggestion.hint(for: key, among: allowed) ?? "a succession has the keys " + allowed.joined(separator: ", "))
                continue
            }
            fields[key] = pair.value
            keyRanges[key] = pair.key.range
        }
        let changes = Succession.Change.allCases.filter { fields[$0.rawValue] != nil }
        guard changes.count == 1, let change = changes.first, let fromNode = fields[change.rawValue] else {
            error(
                "data.missing-key",
                changes.isEmpty ? "the succession says nothing of what happened" : "the succession is both \(changes.map(\.rawValue).joined(separator: " and "))",
                at: node.range, hint: "write exactly one of merged, renamed, split, abolished")
            return nil
        }
        var date: LocalDate?
        if let dateNode = fields["date"] {
            if case .scalar(let text, _) = dateNode.kind, let d = LocalDate(iso: text) {
                date = d
            } else {
                error("data.wrong-type", "a succession's 'date' is a date such as 2025-07-01", at: dateNode.range, hint: "write the day the change took effect, YYYY-MM-DD")
            }
        } else {
            error("data.missing-key", "the succession has no 'date'", at: node.range, hint: "add 'date: 2025-07-01', the day the change took effect")
        }
        let intoKey = change == .abolished ? "children_to" : "into"
        let wrongKey = change == .abolished ? "into" : "children_to"
        if let range = keyRanges[wrongKey] {
            error(
                "data.unknown-key", "'\(wrongKey)' does not go with '\(change.rawValue)'", at: range,
                hint: "write '\(intoKey)'")
        }
        guard let from = ids(fromNode, what: "'\(change.rawValue)'") else { return nil }
        guard let intoNode = fields[intoKey] else {
            error("data.missing-key", "the succession has no '\(intoKey)'", at: node.range, hint: change == .abolished ? "name the new parent of its children: 'children_to: \"38\"'" : "name the successor: 'into: \"16001\"'")
            return nil
        }
        var into: [(String, SourceRange)] = []
        var shares: [Decimal]?
        if change == .split, case .mapping(let parts) = intoNode.kind {
            var list: [Decimal] = []
            for part in parts {
                guard let id = keyText(part.key) else { return nil }
                into.append((id, part.key.range))
                guard case .scalar(let text, .plain) = part.value.kind,
                    case .success(.number(let share)) = FactTyping.value(text, written: .document(.plain), for: Succession.shareInput),
                    share > 0
                else {
                    error("data.wrong-type", "a part's share is a percentage above 0, such as 60%", at: part.value.range, hint: "write each part's share of the former unit: '\(id): 60%'")
                    return nil
                }
                list.append(share)
            }
            shares = list
        } else {
            guard let list = ids(intoNode, what: "'\(intoKey)'") else { return nil }
            into = list
        }
        guard let date else { return nil }
        var succession = Succession(change: change, date: date, from: from.map(\.0), into: into.map(\.0), shares: shares, range: node.range)
        succession.fromRanges = from.map(\.1)
        succession.intoRanges = into.map(\.1)
        return succession
    }

    static let syntheticInput = InputDeclaration(
        name: "synthetic", type: .bool, level: .province, label: LocalizedText(vi: "dữ liệu giả định", en: "synthetic"))

    // MARK: Entities

    /// The keys an entity at `level` may have.
    static func allowedKeys(_ level: Level) -> [String] {
        var keys = ["id", "name", "facts"]
        if level == .commune { keys.append("group") }
        if level == .unit { keys.append("kind") }
        return keys + level.children.map(\.pluralName)
    }

    /// Decodes one entity and its descendants; returns its index, or `nil` when the node is not a mapping.
    mutating func decodeEntity(_ node: DocumentNode, level: Level, parent: Int?) -> Int? {
        guard case .mapping(let pairs) = node.kind else {
            error(
                "data.wrong-type",
                "expected a \(level.rawValue) (a mapping with id, name and facts), found \(node.kindDescription)",
                at: node.range, hint: "write the \(level.rawValue) as 'id: …', 'name: …' and 'facts: …' lines")
            return nil
        }
        var idNode: DocumentNode?
        var nameNode: DocumentNode?
        var groupNode: DocumentNode?
        var factsNode: DocumentNode?
        var kindNode: DocumentNode?
        var childNodes: [(level: Level, node: DocumentNode)] = []
        for pair in pairs {
            guard let key = keyText(pair.key) else { continue }
            switch key {
            case "id": idNode = pair.value
            case "name": nameNode = pair.value
            case "facts": factsNode = pair.value
            case "group" where level == .commune: groupNode = pair.value
            case "kind" where level == .unit: kindNode = pair.value
            default:
                if let childLevel = level.children.first(where: { $0.pluralName == key }) {
                    childNodes.append((childLevel, pair.value))
                } else {
                    reportUnknownEntityKey(key, at: pair.key.range, level: level)
                }
            }
        }

        let id = requiredText(idNode, key: "id", level: level, entityAt: node.range)
        let name = requiredText(nameNode, key: "name", level: level, entityAt: node.range)
        if let id, let idNode, let problem = IDCharacters.problem(id, key: "id", at: idNode.range) {
            diagnostics.emit(problem)
        } else if let id, let idNode {
            if let first = firstID[id] {
                error(
                    "data.duplicate-id",
                    "duplicate id \(QuotedInput.quote(id)) (first used at \(first.start.line):\(first.start.column))",
                    at: idNode.range, hint: "every entity needs its own id, unique in the whole dataset",
                    notes: [DiagnosticNote("first used here", at: first)])
            } else {
                firstID[id] = idNode.range
            }
        }

        let group = groupNode.flatMap { decodeGroup($0) }
        let kind = kindNode.flatMap { decodeKind($0) }
        if level == .unit, kindNode == nil {
            error(
                "data.missing-key", "the unit has no 'kind'", at: node.range,
                hint: "add 'kind: …', one of " + UnitKind.names.joined(separator: ", "))
        }
        let index = entities.count
        let position = store.count(at: level)
        store.reserve(position + 1, at: level)
        positions.append(position)
        entities.append(
            Entity(
                id: id ?? "", name: name ?? "", level: level, parent: parent, group: group, kind: kind,
                range: node.range))
        if let factsNode {
            decodeFacts(factsNode, level: level, position: position)
        }
        var children: [Int] = []
        for (childLevel, childrenNode) in childNodes {
            switch childrenNode.kind {
            case .null:
                break
            case .sequence(let items):
                for item in items {
                    if let child = decodeEntity(item, level: childLevel, parent: index) { children.append(child) }
                }
            case .scalar, .mapping:
                error(
                    "data.wrong-type",
                    "'\(childLevel.pluralName)' expects a list of \(childLevel.pluralName), found \(childrenNode.kindDescription)",
                    at: childrenNode.range,
                    hint: "write a list: each \(childLevel.rawValue) starts with '- id: …' (in JSON: [{\"id\": …}, …])")
            }
        }
        entities[index].children = children
        return index
    }

    mutating func reportUnknownEntityKey(_ key: String, at range: SourceRange, level: Level) {
        let allowed = Self.allowedKeys(level)
        var message = "unknown key \(QuotedInput.quote(key)) in a \(level.rawValue)"
        let hint: String
        if key == "group" {
            message = "'group' is allowed only on a commune, not on a \(level.rawValue)"
            hint = "remove it; the commune groups 1, 2 and 3 apply to communes"
        } else if key == "kind" {
            message = "'kind' is allowed only on a unit, not on a \(level.rawValue)"
            hint = "remove it; the kinds " + UnitKind.names.joined(separator: ", ") + " apply to a commune's units"
        } else if let misplaced = Level.allCases.first(where: { $0.pluralName == key && !level.children.contains($0) }) {
            message = "'\(key)' cannot be listed under a \(level.rawValue)"
            if !misplaced.parents.isEmpty {
                let under = misplaced.parents.map { "a \($0.rawValue)'s" }.joined(separator: " or ")
                hint = "\(misplaced.pluralName) go under \(under) '\(misplaced.pluralName)'"
            } else {
                hint = "a province is the root of the dataset"
            }
        } else if let input = inputs[key] {
            message = "'\(key)' is a fact, not a key of the \(level.rawValue)"
            hint = "put it under 'facts', below the year it describes: facts: { 2024: { \(input.name): … } }"
        } else {
            hint = Suggestion.hint(for: key, among: allowed) ?? "a \(level.rawValue) has the keys " + allowed.joined(separator: ", ")
        }
        error("data.unknown-key", message, at: range, hint: hint)
    }

    /// The text of a required `id` or `name`, reporting it when missing or not a single value.
    mutating func requiredText(_ node: DocumentNode?, key: String, level: Level, entityAt: SourceRange) -> String? {
        guard let node else {
            error(
                "data.missing-key", "the \(level.rawValue) has no '\(key)'", at: entityAt,
                hint: key == "id"
                    ? "add 'id: …' with its administrative code or another stable code, unique in the dataset"
                    : "add 'name: …' with its Vietnamese name")
            return nil
        }
        switch node.kind {
        case .scalar(let text, _) where !text.isEmpty:
            return text
        case .scalar, .null:
            error(
                "data.missing-key", "the \(level.rawValue)'s '\(key)' is empty", at: node.range,
                hint: key == "id" ? "write its code, such as '15901'" : "write its Vietnamese name")
        case .mapping, .sequence:
            error(
                "data.wrong-type", "'\(key)' expects text, found \(node.kindDescription)", at: node.range,
                hint: "write the \(key) as one value")
        }
        return nil
    }

    /// A unit's kind: one of `UnitKind.names`, quoted or not.
    mutating func decodeKind(_ node: DocumentNode) -> UnitKind? {
        if case .scalar(let text, _) = node.kind, let kind = UnitKind(rawValue: text) { return kind }
        let found = node.scalarText.map { QuotedInput.quote($0) } ?? node.kindDescription
        let hint = node.scalarText.flatMap { Suggestion.hint(for: $0, among: UnitKind.names) }
        error(
            "data.wrong-type", "a unit's 'kind' is one of \(UnitKind.names.joined(separator: ", ")), found \(found)",
            at: node.range,
            hint: hint ?? "khu_dan_cu (khu dân cư), co_quan (cơ quan), doanh_nghiep (doanh nghiệp), co_so_giao_duc (cơ sở giáo dục)")
        return nil
    }

    /// A commune group: the plain number 1, 2 or 3.
    mutating func decodeGroup(_ node: DocumentNode) -> Int? {
        if case .null = node.kind { return nil }
        if case .scalar(let text, .plain) = node.kind, let group = Int(text), ["1", "2", "3"].contains(text) {
            return group
        }
        let found = node.scalarText.map { QuotedInput.quote($0) } ?? node.kindDescription
        let quoted = if case .scalar(_, .quoted) = node.kind { true } else { false }
        error(
            "data.wrong-type", "'group' expects 1, 2 or 3, found \(quoted ? "the text " : "")\(found)", at: node.range,
            hint: quoted ? "remove the quotes" : "write the commune's 2026–2030 group: 1, 2 or 3")
        return nil
    }

    // MARK: Facts

    /// Decodes `facts`, a mapping from a year to a mapping from fact name to value, into the store at
    /// the entity's position.
    mutating func decodeFacts(_ node: DocumentNode, level: Level, position: Int) {
        let pairs: [DocumentNode.Pair]
        switch node.kind {
        case .null: return
        case .mapping(let list): pairs = list
        case .scalar, .sequence:
            error(
                "data.wrong-type", "'facts' expects a mapping from year to facts, found \(node.kindDescription)",
                at: node.range, hint: "write the facts under their year: facts: { 2024: { name: value } }")
            return
        }
        for pair in pairs {
            guard let key = keyText(pair.key) else { continue }
            guard let year = FactTyping.year(key) else {
                let hint =
                    inputs[key] != nil
                    ? "put the facts under the year they describe: facts: { 2024: { \(key): … } }"
                    : "facts are grouped by the year they describe, such as 2024"
                error(
                    "data.invalid-year", "expected a 4-digit year such as 2024 under 'facts', found \(QuotedInput.quote(key))",
                    at: pair.key.range, hint: hint)
                continue
            }
            let facts: [DocumentNode.Pair]
            switch pair.value.kind {
            case .null: continue
            case .mapping(let list): facts = list
            case .scalar, .sequence:
                error(
                    "data.wrong-type", "the facts of \(year) expect a mapping from fact name to value, found \(pair.value.kindDescription)",
                    at: pair.value.range, hint: "write one 'name: value' line per fact under the year")
                continue
            }
            for fact in facts {
                guard let name = keyText(fact.key),
                    let input = checkFactName(name, at: fact.key.range, level: level)
                else { continue }
                switch fact.value.kind {
                case .null:
                    continue  // explicitly unknown: same as absent
                case .scalar(let text, let style):
                    switch FactTyping.stored(text, written: .document(style), for: input) {
                    case .success(let value):
                        let column = store.column(level: level, name: name, year: year)
                        store.set(value, range: fact.value.range, column: column, position: position)
                    case .failure(let problem):
                        error("data.wrong-type", problem.message, at: fact.value.range, hint: problem.hint)
                    }
                case .mapping, .sequence:
                    error(
                        "data.wrong-type", "'\(name)' expects \(FactTyping.expected(input.type)), found \(fact.value.kindDescription)",
                        at: fact.value.range, hint: "write one value, or leave the fact out if it is unknown")
                }
            }
        }
    }

    /// The declaration of a fact name given for an entity at `level`, reporting unknown and misplaced names.
    mutating func checkFactName(_ name: String, at range: SourceRange, level: Level) -> InputDeclaration? {
        FactTyping.declaration(of: name, at: range, level: level, inputs: inputs, diagnostics: &diagnostics)
    }
}
