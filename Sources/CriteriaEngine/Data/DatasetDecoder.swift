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
    package static let formatVersion = 1

    /// The top-level keys of a dataset document.
    package static func topLevelKeys(_ map: LevelMap) -> [String] {
        ["dataset", "synthetic", "description"] + map.topDown.map(\.name) + ["successions"]
    }

    /// Decodes a document tree.
    ///
    /// - Parameters:
    ///   - root: the document, from `YAMLReader` or `JSONReader`; its file names the dataset's source.
    ///   - inputs: the declared inputs, which decide each fact's level and type.
    ///   - limits: the diagnostic cap.
    ///   - cancellation: looked at between entities; once cancelled, decoding stops (`limits.cancelled`).
    /// - Returns: the dataset, entities in document order (each parent before its children).
    /// - Throws: `DiagnosticsError` with every problem found.
    public static func decode(
        _ root: DocumentNode, inputs: InputCatalog, limits: Limits = .default, cancellation: CancellationToken? = nil
    ) throws(DiagnosticsError) -> Dataset {
        var builder = DocumentDatasetBuilder(inputs: inputs, limits: limits)
        builder.checkpoint = ReadingCheckpoint(cancellation)
        let synthetic = builder.decodeTop(root)
        if let stopped = builder.checkpoint.error { throw stopped }
        try builder.diagnostics.throwIfErrors()
        let dataset = Dataset(
            records: builder.entities, positions: builder.positions, store: builder.store, map: inputs.map, source: root.range.file,
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
    /// When to look at the cancellation token (between entities).
    var checkpoint = ReadingCheckpoint(nil)

    init(inputs: InputCatalog, limits: Limits) {
        self.inputs = inputs
        self.diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
    }

    mutating func error(
        _ id: DiagnosticID, _ message: LocalizedText, at range: SourceRange, hint: LocalizedText?, notes: [DiagnosticNote] = []
    ) {
        diagnostics.emit(Diagnostic(id, .error, message, at: range, notes: notes, hint: hint))
    }

    /// The text of a mapping key, or `nil` (reported) when the key is not a single value.
    mutating func keyText(_ key: DocumentNode) -> String? {
        switch key.kind {
        case .scalar(let text, _): return text
        case .null: return "null"
        case .mapping, .sequence:
            error("data.wrong-type", .vi("khoá phải là một tên, nhưng gặp \(key.kindWords.vi)", en: "expected a name as a key, found \(key.kindDescription)"), at: key.range,
                  hint: .vi("khoá là tên đơn giản như 'id' hoặc 'facts'", en: "keys are plain names such as 'id' or 'facts'"))
            return nil
        }
    }

    // MARK: Top level

    /// Reads the top-level mapping and the root entity; returns whether the data is synthetic.
    mutating func decodeTop(_ root: DocumentNode) -> Bool {
        guard case .mapping(let pairs) = root.kind else {
            error(
                "data.wrong-type", .vi("cần một bảng khoá bắt đầu bằng 'dataset: 1', nhưng gặp \(root.kindWords.vi)", en: "expected a mapping that starts with 'dataset: 1', found \(root.kindDescription)"),
                at: root.range, hint: .vi("tệp dữ liệu bắt đầu bằng 'dataset: 1' và nêu một tỉnh, huyện hoặc xã", en: "a dataset file starts with 'dataset: 1' and names one entity, such as its province"))
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
                        "data.wrong-type", .vi("'synthetic' cần true hoặc false, nhưng gặp \(pair.value.kindWords.vi)", en: "'synthetic' expects true or false, found \(pair.value.kindDescription)"),
                        at: pair.value.range, hint: .vi("hãy viết 'synthetic: true' khi dữ liệu là giả định", en: "write 'synthetic: true' when the data is made up"))
                }
            case "description":
                switch pair.value.kind {
                case .scalar, .null: break
                case .mapping, .sequence:
                    error(
                        "data.wrong-type", .vi("'description' cần văn bản, nhưng gặp \(pair.value.kindWords.vi)", en: "'description' expects text, found \(pair.value.kindDescription)"),
                        at: pair.value.range, hint: .vi("hãy viết phần mô tả thành một giá trị văn bản", en: "write the description as one text value"))
                }
            case "successions":
                decodeSuccessions(pair.value)
            case _ where inputs.map[key] != nil:
                guard let level = inputs.map[key] else { continue }
                if let first = rootEntity {
                    error(
                        "data.multiple-roots",
                        .vi("bộ dữ liệu chỉ có một đơn vị gốc, nhưng '\(key)' lại đứng sau '\(first.level.name)'", en: "a dataset has one root entity, but '\(key)' follows '\(first.level.name)'"),
                        at: pair.key.range,
                        hint: .vi("hãy đặt các đơn vị dưới một đơn vị cấp trên chung, hoặc dùng mỗi \(first.level.vietnamese) một tệp", en: "put them under one common parent, or use one file per \(first.level.english)"),
                        notes: [DiagnosticNote(.vi("đơn vị gốc được khai báo ở đây", en: "the root entity is defined here"), at: first.key.range)])
                } else {
                    rootEntity = (pair.value, level, pair.key)
                }
            default:
                let hint: LocalizedText
                let roots = inputs.map.topDown.map { "'\($0.name)'" }
                let keys = DatasetDecoder.topLevelKeys(inputs.map)
                if inputs.map.level(collection: key) != nil {
                    hint = .vi("cấp cao nhất nêu một đơn vị: \(roots.joined(separator: ", ")); các danh sách nằm bên trong đơn vị đó", en: "the top level names one entity: \(roots.joined(separator: ", ")); lists go inside it")
                } else {
                    hint = Suggestion.hint(for: key, among: keys)
                        ?? .vi("các khoá ở cấp cao nhất là " + keys.joined(separator: ", "), en: "the top-level keys are " + keys.joined(separator: ", "))
                }
                error("data.unknown-key", .vi("khoá \(QuotedInput.quote(key)) không có ở cấp cao nhất của bộ dữ liệu", en: "unknown key \(QuotedInput.quote(key)) at the top of the dataset"), at: pair.key.range, hint: hint)
            }
        }
        if let version {
            if version.kind != .scalar("1", .plain) {
                let found = version.scalarText.map { QuotedInput.quote($0) } ?? version.kindWords.english
                error(
                    "data.unsupported-version",
                    .vi("cần phiên bản định dạng \(DatasetDecoder.formatVersion), nhưng gặp \(found)", en: "expected format version \(DatasetDecoder.formatVersion), found \(found)"), at: version.range,
                    hint: .vi("hãy viết 'dataset: 1'; phiên bản Criteria này đọc định dạng 1", en: "write 'dataset: 1'; this version of Criteria reads format 1"))
            }
        } else {
            error(
                "data.missing-key", .vi("bộ dữ liệu không có khoá 'dataset' ghi phiên bản định dạng", en: "the dataset has no 'dataset' key with its format version"), at: root.range,
                hint: .vi("hãy bắt đầu tệp bằng 'dataset: 1'", en: "start the file with 'dataset: 1'"))
        }
        if let rootEntity {
            _ = decodeEntity(rootEntity.node, level: rootEntity.level, parent: nil)
        } else {
            error(
                "data.missing-key", .vi("bộ dữ liệu chưa nêu đơn vị nào: cần 'province', 'district' hoặc 'commune'", en: "the dataset names no entity: expected 'province', 'district' or 'commune'"),
                at: root.range, hint: .vi("hãy thêm 'province:' (hoặc 'district:', 'commune:') kèm mã, tên và dữ kiện", en: "add 'province:' (or 'district:' or 'commune:') with its id, name and facts"))
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
                "data.wrong-type", .vi("'successions' cần một danh sách, nhưng gặp \(node.kindWords.vi)", en: "'successions' expects a list, found \(node.kindDescription)"), at: node.range,
                hint: .vi("hãy viết mỗi lần sắp xếp thành '- { date: 2025-07-01, merged: [\"A\", \"B\"], into: \"C\" }'", en: "write each succession as '- { date: 2025-07-01, merged: [\"A\", \"B\"], into: \"C\" }'"))
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
                    error("data.wrong-type", .vi("\(what) cần các mã, nhưng gặp \(item.kindWords.vi)", en: "\(what) expects ids, found \(item.kindDescription)"), at: item.range, hint: .vi("hãy viết mỗi mã thành văn bản, ví dụ \"15301\"", en: "write each id as text, such as \"15301\""))
                    return nil
                }
                result.append((text, item.range))
            }
            return result
        default:
            error("data.wrong-type", .vi("\(what) cần một mã hoặc danh sách mã, nhưng gặp \(node.kindWords.vi)", en: "\(what) expects an id or a list of ids, found \(node.kindDescription)"), at: node.range, hint: .vi("hãy viết các mã thành văn bản, ví dụ \"15301\"", en: "write ids as text, such as \"15301\""))
            return nil
        }
    }

    mutating func decodeSuccession(_ node: DocumentNode) -> Succession? {
        guard case .mapping(let pairs) = node.kind else {
            error(
                "data.wrong-type", .vi("mỗi lần sắp xếp là một bảng khoá, nhưng gặp \(node.kindWords.vi)", en: "a succession is a mapping, found \(node.kindDescription)"), at: node.range,
                hint: .vi("hãy viết '- { date: 2025-07-01, merged: [\"A\", \"B\"], into: \"C\" }'", en: "write '- { date: 2025-07-01, merged: [\"A\", \"B\"], into: \"C\" }'"))
            return nil
        }
        var fields: [String: DocumentNode] = [:]
        var keyRanges: [String: SourceRange] = [:]
        let allowed = ["date", "merged", "renamed", "split", "abolished", "into", "children_to"]
        for pair in pairs {
            guard let key = keyText(pair.key) else { continue }
            guard allowed.contains(key) else {
                error(
                    "data.unknown-key", .vi("khoá \(QuotedInput.quote(key)) không có trong một lần sắp xếp", en: "unknown key \(QuotedInput.quote(key)) in a succession"), at: pair.key.range,
                    hint: Suggestion.hint(for: key, among: allowed) ?? .vi("lần sắp xếp có các khoá " + allowed.joined(separator: ", "), en: "a succession has the keys " + allowed.joined(separator: ", ")))
                continue
            }
            fields[key] = pair.value
            keyRanges[key] = pair.key.range
        }
        let changes = Succession.Change.allCases.filter { fields[$0.rawValue] != nil }
        guard changes.count == 1, let change = changes.first, let fromNode = fields[change.rawValue] else {
            error(
                "data.missing-key",
                changes.isEmpty
                    ? .vi("lần sắp xếp không nói điều gì đã xảy ra", en: "the succession says nothing of what happened")
                    : .vi(
                        "lần sắp xếp cùng lúc là \(changes.map(\.rawValue).joined(separator: " và "))",
                        en: "the succession is both \(changes.map(\.rawValue).joined(separator: " and "))"),
                at: node.range, hint: .vi("hãy viết đúng một trong các khoá merged, renamed, split, abolished", en: "write exactly one of merged, renamed, split, abolished"))
            return nil
        }
        var date: LocalDate?
        if let dateNode = fields["date"] {
            if case .scalar(let text, _) = dateNode.kind, let d = LocalDate(iso: text) {
                date = d
            } else {
                error("data.wrong-type", .vi("'date' của lần sắp xếp là một ngày, ví dụ 2025-07-01", en: "a succession's 'date' is a date such as 2025-07-01"), at: dateNode.range, hint: .vi("hãy viết ngày thay đổi có hiệu lực, theo dạng YYYY-MM-DD", en: "write the day the change took effect, YYYY-MM-DD"))
            }
        } else {
            error("data.missing-key", .vi("lần sắp xếp chưa có 'date'", en: "the succession has no 'date'"), at: node.range, hint: .vi("hãy thêm 'date: 2025-07-01', ngày thay đổi có hiệu lực", en: "add 'date: 2025-07-01', the day the change took effect"))
        }
        let intoKey = change == .abolished ? "children_to" : "into"
        let wrongKey = change == .abolished ? "into" : "children_to"
        if let range = keyRanges[wrongKey] {
            error(
                "data.unknown-key", .vi("'\(wrongKey)' không đi cùng '\(change.rawValue)'", en: "'\(wrongKey)' does not go with '\(change.rawValue)'"), at: range,
                hint: .vi("hãy viết '\(intoKey)'", en: "write '\(intoKey)'"))
        }
        guard let from = ids(fromNode, what: "'\(change.rawValue)'") else { return nil }
        guard let intoNode = fields[intoKey] else {
            error("data.missing-key", .vi("lần sắp xếp chưa có '\(intoKey)'", en: "the succession has no '\(intoKey)'"), at: node.range, hint: change == .abolished ? .vi("hãy nêu đơn vị mới quản lý các đơn vị trực thuộc: 'children_to: \"38\"'", en: "name the new parent of its children: 'children_to: \"38\"'") : .vi("hãy nêu đơn vị kế thừa: 'into: \"16001\"'", en: "name the successor: 'into: \"16001\"'"))
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
                    error("data.wrong-type", .vi("tỷ lệ của mỗi phần là tỷ lệ phần trăm lớn hơn 0, ví dụ 60%", en: "a part's share is a percentage above 0, such as 60%"), at: part.value.range, hint: .vi("hãy viết tỷ lệ mỗi phần nhận từ đơn vị cũ: '\(id): 60%'", en: "write each part's share of the former unit: '\(id): 60%'"))
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
        if !level.groups.isEmpty { keys.append("group") }
        if !level.kinds.isEmpty { keys.append("kind") }
        return keys + level.children.map(\.pluralName)
    }

    /// Decodes one entity and its descendants; returns its index, or `nil` when the node is not a mapping.
    mutating func decodeEntity(_ node: DocumentNode, level: Level, parent: Int?) -> Int? {
        if checkpoint.stop(at: node.range) { return nil }
        guard case .mapping(let pairs) = node.kind else {
            error(
                "data.wrong-type",
                .vi("cần một \(level.vietnamese) (bảng khoá có id, name và facts), nhưng gặp \(node.kindWords.vi)", en: "expected a \(level.name) (a mapping with id, name and facts), found \(node.kindDescription)"),
                at: node.range, hint: .vi("hãy viết \(level.vietnamese) thành các dòng 'id: …', 'name: …' và 'facts: …'", en: "write the \(level.name) as 'id: …', 'name: …' and 'facts: …' lines"))
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
            case "group" where !level.groups.isEmpty: groupNode = pair.value
            case "kind" where !level.kinds.isEmpty: kindNode = pair.value
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
                    .vi("mã \(QuotedInput.quote(id)) bị lặp (đã dùng ở dòng \(first.start.line), cột \(first.start.column))", en: "duplicate id \(QuotedInput.quote(id)) (first used at \(first.start.line):\(first.start.column))"),
                    at: idNode.range, hint: .vi("mỗi đơn vị cần một mã riêng, không trùng trong cả bộ dữ liệu", en: "every entity needs its own id, unique in the whole dataset"),
                    notes: [DiagnosticNote(.vi("dùng lần đầu ở đây", en: "first used here"), at: first)])
            } else {
                firstID[id] = idNode.range
            }
        }

        let group = groupNode.flatMap { decodeGroup($0, level: level) }
        let kind = kindNode.flatMap { decodeKind($0, level: level) }
        if !level.kinds.isEmpty, kindNode == nil {
            error(
                "data.missing-key", .vi("\(level.vietnamese) chưa có 'kind'", en: "the \(level.english) has no 'kind'"), at: node.range,
                hint: .vi("hãy thêm 'kind: …', một trong các giá trị " + level.kinds.map(\.value).joined(separator: ", "), en: "add 'kind: …', one of " + level.kinds.map(\.value).joined(separator: ", ")))
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
                    .vi("'\(childLevel.pluralName)' cần một danh sách \(childLevel.vietnamese), nhưng gặp \(childrenNode.kindWords.vi)", en: "'\(childLevel.pluralName)' expects a list of \(childLevel.pluralName), found \(childrenNode.kindDescription)"),
                    at: childrenNode.range,
                    hint: .vi("hãy viết một danh sách: mỗi \(childLevel.vietnamese) bắt đầu bằng '- id: …' (trong JSON: [{\"id\": …}, …])", en: "write a list: each \(childLevel.name) starts with '- id: …' (in JSON: [{\"id\": …}, …])"))
            }
        }
        entities[index].children = children
        return index
    }

    mutating func reportUnknownEntityKey(_ key: String, at range: SourceRange, level: Level) {
        let allowed = Self.allowedKeys(level)
        var message = LocalizedText.vi(
            "khoá \(QuotedInput.quote(key)) không có trong \(level.vietnamese)", en: "unknown key \(QuotedInput.quote(key)) in a \(level.name)")
        let hint: LocalizedText
        if key == "group" || key == "kind" {
            let carriers = inputs.map.levels.filter { key == "group" ? !$0.groups.isEmpty : !$0.kinds.isEmpty }
            message = .vi(
                "'\(key)' chỉ dùng cho \(carriers.map(\.vietnamese).joined(separator: ", ")), không dùng cho \(level.vietnamese)",
                en: "'\(key)' is allowed only on a \(carriers.map(\.english).joined(separator: " or ")), not on a \(level.english)")
            hint = .vi("hãy bỏ dòng này, hoặc khai báo '\(key == "group" ? "groups" : "kinds")' cho cấp \(level.name) trong levels.yaml", en: "remove it, or declare '\(key == "group" ? "groups" : "kinds")' for the level \(level.name) in levels.yaml")
        } else if let misplaced = inputs.map.level(collection: key), !level.children.contains(misplaced) {
            message = .vi("không được liệt kê '\(key)' dưới \(level.vietnamese)", en: "'\(key)' cannot be listed under a \(level.name)")
            if !misplaced.parents.isEmpty {
                let under = misplaced.parents.map { "a \($0.english)'s" }.joined(separator: " or ")
                let underVi = misplaced.parents.map(\.vietnamese).joined(separator: " hoặc ")
                hint = .vi(
                    "\(misplaced.pluralName) được ghi trong '\(misplaced.pluralName)' của \(underVi)",
                    en: "\(misplaced.pluralName) go under \(under) '\(misplaced.pluralName)'")
            } else {
                hint = .vi("\(misplaced.vietnamese) là đơn vị gốc của bộ dữ liệu", en: "a \(misplaced.english) is the root of the dataset")
            }
        } else if let input = inputs[key] {
            message = .vi("'\(key)' là một dữ kiện, không phải khoá của \(level.vietnamese)", en: "'\(key)' is a fact, not a key of the \(level.name)")
            hint = .vi(
                "hãy ghi vào 'facts', dưới năm mà nó mô tả: facts: { 2024: { \(input.name): … } }",
                en: "put it under 'facts', below the year it describes: facts: { 2024: { \(input.name): … } }")
        } else {
            hint = Suggestion.hint(for: key, among: allowed)
                ?? .vi("\(level.vietnamese) có các khoá " + allowed.joined(separator: ", "), en: "a \(level.name) has the keys " + allowed.joined(separator: ", "))
        }
        error("data.unknown-key", message, at: range, hint: hint)
    }

    /// The text of a required `id` or `name`, reporting it when missing or not a single value.
    mutating func requiredText(_ node: DocumentNode?, key: String, level: Level, entityAt: SourceRange) -> String? {
        guard let node else {
            error(
                "data.missing-key", .vi("\(level.vietnamese) chưa có '\(key)'", en: "the \(level.name) has no '\(key)'"), at: entityAt,
                hint: key == "id"
                    ? .vi("hãy thêm 'id: …' kèm mã hành chính hoặc một mã ổn định khác, không trùng trong bộ dữ liệu", en: "add 'id: …' with its administrative code or another stable code, unique in the dataset")
                    : .vi("hãy thêm 'name: …' kèm tên tiếng Việt", en: "add 'name: …' with its Vietnamese name"))
            return nil
        }
        switch node.kind {
        case .scalar(let text, _) where !text.isEmpty:
            return text
        case .scalar, .null:
            error(
                "data.missing-key", .vi("'\(key)' của \(level.vietnamese) đang để trống", en: "the \(level.name)'s '\(key)' is empty"), at: node.range,
                hint: key == "id" ? .vi("hãy viết mã, ví dụ '15901'", en: "write its code, such as '15901'") : .vi("hãy viết tên tiếng Việt", en: "write its Vietnamese name"))
        case .mapping, .sequence:
            error(
                "data.wrong-type", .vi("'\(key)' cần văn bản, nhưng gặp \(node.kindWords.vi)", en: "'\(key)' expects text, found \(node.kindDescription)"), at: node.range,
                hint: .vi("hãy viết \(key) thành một giá trị", en: "write the \(key) as one value"))
        }
        return nil
    }

    /// An entity's kind: one of its level's kinds, quoted or not.
    mutating func decodeKind(_ node: DocumentNode, level: Level) -> String? {
        if case .scalar(let text, _) = node.kind, let kind = level.kind(text) { return kind }
        let names = level.kinds.map(\.value)
        let found = node.scalarText.map { LocalizedText.same(QuotedInput.quote($0)) } ?? node.kindWords
        let hint = node.scalarText.flatMap { Suggestion.hint(for: $0, among: names) }
        error(
            "data.wrong-type",
            .vi(
                "'kind' của \(level.vietnamese) là một trong các giá trị \(names.joined(separator: ", ")), nhưng gặp \(found.vi)",
                en: "a \(level.english)'s 'kind' is one of \(names.joined(separator: ", ")), found \(found.english)"),
            at: node.range,
            hint: hint ?? .vi("hãy viết \(level.kindChoices.vi)", en: "write \(level.kindChoices.english)"))
        return nil
    }

    /// An entity's group: one of its level's groups, a plain number.
    mutating func decodeGroup(_ node: DocumentNode, level: Level) -> Int? {
        if case .null = node.kind { return nil }
        if case .scalar(let text, .plain) = node.kind, let group = level.group(text) { return group }
        let found = node.scalarText.map { LocalizedText.same(QuotedInput.quote($0)) } ?? node.kindWords
        let quoted = if case .scalar(_, .quoted) = node.kind { true } else { false }
        let choices = level.groupChoices
        error(
            "data.wrong-type",
            .vi(
                "'group' cần \(choices.vi), nhưng gặp \(quoted ? "văn bản " : "")\(found.vi)",
                en: "'group' expects \(choices.english), found \(quoted ? "the text " : "")\(found.english)"), at: node.range,
            hint: quoted ? .vi("hãy bỏ dấu nháy", en: "remove the quotes") : .vi("hãy ghi nhóm của \(level.vietnamese): \(choices.vi)", en: "write the \(level.english)'s group: \(choices.english)"))
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
                "data.wrong-type", .vi("'facts' cần một bảng năm → dữ kiện, nhưng gặp \(node.kindWords.vi)", en: "'facts' expects a mapping from year to facts, found \(node.kindDescription)"),
                at: node.range, hint: .vi("hãy ghi dữ kiện dưới năm của nó: facts: { 2024: { tên: giá_trị } }", en: "write the facts under their year: facts: { 2024: { name: value } }"))
            return
        }
        for pair in pairs {
            guard let key = keyText(pair.key) else { continue }
            guard let year = FactTyping.year(key) else {
                let hint: LocalizedText =
                    inputs[key] != nil
                    ? .vi("hãy ghi dữ kiện dưới năm mà nó mô tả: facts: { 2024: { \(key): … } }", en: "put the facts under the year they describe: facts: { 2024: { \(key): … } }")
                    : .vi("dữ kiện được nhóm theo năm mà chúng mô tả, ví dụ 2024", en: "facts are grouped by the year they describe, such as 2024")
                error(
                    "data.invalid-year", .vi("dưới 'facts' cần một năm 4 chữ số như 2024, nhưng gặp \(QuotedInput.quote(key))", en: "expected a 4-digit year such as 2024 under 'facts', found \(QuotedInput.quote(key))"),
                    at: pair.key.range, hint: hint)
                continue
            }
            let facts: [DocumentNode.Pair]
            switch pair.value.kind {
            case .null: continue
            case .mapping(let list): facts = list
            case .scalar, .sequence:
                error(
                    "data.wrong-type", .vi("dữ kiện năm \(year) cần một bảng tên dữ kiện → giá trị, nhưng gặp \(pair.value.kindWords.vi)", en: "the facts of \(year) expect a mapping from fact name to value, found \(pair.value.kindDescription)"),
                    at: pair.value.range, hint: .vi("hãy viết mỗi dữ kiện một dòng 'tên: giá trị' dưới năm", en: "write one 'name: value' line per fact under the year"))
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
                        "data.wrong-type", .vi("'\(name)' cần \(FactTyping.expected(input.type).vi), nhưng gặp \(fact.value.kindWords.vi)", en: "'\(name)' expects \(FactTyping.expected(input.type).english), found \(fact.value.kindDescription)"),
                        at: fact.value.range, hint: .vi("hãy viết một giá trị, hoặc bỏ trống dữ kiện nếu chưa biết", en: "write one value, or leave the fact out if it is unknown"))
                }
            }
        }
    }

    /// The declaration of a fact name given for an entity at `level`, reporting unknown and misplaced names.
    mutating func checkFactName(_ name: String, at range: SourceRange, level: Level) -> InputDeclaration? {
        FactTyping.declaration(of: name, at: range, level: level, inputs: inputs, diagnostics: &diagnostics)
    }
}
