/// One value of a level's attribute, as the rules folder declares it (a unit's `kind`), with its words.
package struct DeclaredValue: Sendable, Hashable {
    /// The value as written in data and rules (`khu_dan_cu`).
    package var value: String
    /// Its words in Vietnamese and English (`khu dân cư` / `residential area`).
    package var label: LocalizedText

    /// Creates a declared value.
    package init(_ value: String, label: LocalizedText) {
        self.value = value
        self.label = label
    }
}

/// A level of the administrative map as the rules folder declares it (`levels.yaml`): its name, its
/// words, the levels it may sit under, the name of its collection in rules and data, and the
/// attributes its entities carry.
public struct LevelDeclaration: Sendable, Hashable {
    /// The name used in rules (`level: commune`) and data (`commune:`, `commune_id`).
    package var name: String
    /// Its words in Vietnamese and English (`xã` / `commune`).
    package var label: LocalizedText
    /// The name of a list of entities of this level, in expressions and data (`communes`); the CSV
    /// table of the level is this name with `.csv`.
    package var collection: String
    /// The levels an entity of this level may sit under, nearest first (a commune: a district, or,
    /// in a two-tier province, the province itself).
    package var parents: [String]
    /// The kinds an entity of this level may have (`kind:` in data, `kinds:` in a criterion); empty
    /// when the level has no kinds.
    package var kinds: [DeclaredValue]
    /// The groups an entity of this level may belong to (`group:` in data, parameter values by group);
    /// empty when the level has no groups.
    package var groups: [Int]
    /// The last day the level exists, when it was abolished (districts: 2025-06-30): a template for a
    /// later date leaves it out, and its children sit under their other parent.
    package var until: LocalDate?
    /// Where it is declared, when it was read from a file.
    package var range: SourceRange?
    /// Where each of `parents` is written, in the same order, when it was read from a file: a
    /// mistake in one parent is shown at that item, not at the level's name.
    package var parentRanges: [SourceRange] = []

    /// Creates a declaration; the collection is the name with `s` unless given.
    package init(
        name: String, label: LocalizedText, collection: String? = nil, parents: [String] = [],
        kinds: [DeclaredValue] = [], groups: [Int] = [], until: LocalDate? = nil, range: SourceRange? = nil
    ) {
        self.name = name
        self.label = label
        self.collection = collection ?? name + "s"
        self.parents = parents
        self.kinds = kinds
        self.groups = groups
        self.until = until
        self.range = range
    }
}

/// The administrative map a rule set is written for: the levels its folder declares in `levels.yaml`,
/// from the province down to the units of a commune.
///
/// The map is data, not code: a rules folder may declare the levels of its country as they are
/// (since 2025-07-01 a province's communes sit directly under it) and what its entities carry. A
/// folder without `levels.yaml` uses `LevelMap.standard`, the map the bundled rules declare.
public struct LevelMap: Sendable, Hashable {
    /// The declarations and what follows from them, shared by every `Level` of the map. Immutable.
    final class Table: Sendable {
        let declarations: [LevelDeclaration]
        let parents: [[Int]]
        let children: [[Int]]
        let depths: [Int]
        /// The indices from the top down: by depth, then in the order of the file.
        let topDown: [Int]
        let byName: [String: Int]
        let byCollection: [String: Int]

        init(_ declarations: [LevelDeclaration]) {
            var byName: [String: Int] = [:]
            var byCollection: [String: Int] = [:]
            for (index, declaration) in declarations.enumerated() {
                if byName[declaration.name] == nil { byName[declaration.name] = index }
                if byCollection[declaration.collection] == nil { byCollection[declaration.collection] = index }
            }
            let parents = declarations.map { $0.parents.compactMap { byName[$0] } }
            var children = [[Int]](repeating: [], count: declarations.count)
            for (child, list) in parents.enumerated() {
                for parent in list where !children[parent].contains(child) { children[parent].append(child) }
            }
            // The longest chain of parents above each level; a cycle (which the checker reports) stops
            // after as many rounds as there are levels.
            var depths = [Int](repeating: 0, count: declarations.count)
            for _ in 0..<declarations.count {
                var changed = false
                for (level, list) in parents.enumerated() {
                    let depth = list.map { depths[$0] + 1 }.max() ?? 0
                    if depth != depths[level], depth <= declarations.count {
                        depths[level] = depth
                        changed = true
                    }
                }
                if !changed { break }
            }
            self.declarations = declarations
            self.parents = parents
            self.children = children
            self.depths = depths
            topDown = depths.indices.sorted { (depths[$0], $0) < (depths[$1], $1) }
            self.byName = byName
            self.byCollection = byCollection
        }
    }

    let table: Table

    /// Creates the map of declarations that are already checked (`LevelMapChecker`): names and
    /// collections unique, parents declared, no cycle. A parent that is not declared is ignored.
    package init(_ declarations: [LevelDeclaration]) {
        table = Table(declarations)
    }

    init(table: Table) {
        self.table = table
    }

    /// The declarations, in the order of the file.
    package var declarations: [LevelDeclaration] { table.declarations }

    /// The levels, in the order of the file.
    public var levels: [Level] { table.declarations.indices.map { Level(table: table, index: $0) } }

    /// The number of levels.
    package var count: Int { table.declarations.count }

    /// The level of a name, if declared.
    package subscript(name: String) -> Level? {
        table.byName[name].map { Level(table: table, index: $0) }
    }

    /// The level whose collection has a name (`communes`), if any.
    package func level(collection: String) -> Level? {
        table.byCollection[collection].map { Level(table: table, index: $0) }
    }

    /// The levels from the top down (by depth, then in the order of the file): parents before
    /// their children.
    package var topDown: [Level] { table.topDown.map { Level(table: table, index: $0) } }

    /// The index in this map of a level of the same name (`Level.index`), if any: the level's own
    /// when it is of this map.
    package func index(of level: Level) -> Int? {
        level.table === table ? level.index : table.byName[level.name]
    }

    /// The level names, in the order of the file.
    package var names: [String] { table.declarations.map(\.name) }

    /// Two maps are equal when they declare the same levels (the same table, or equal declarations).
    public static func == (a: LevelMap, b: LevelMap) -> Bool {
        a.table === b.table || a.table.declarations == b.table.declarations
    }

    /// Hashes the level names.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(table.declarations.map(\.name))
    }

    /// The map the bundled rules declare (`Rules/levels.yaml`), used by a rules folder that declares
    /// none: a province; until 2025-06-30 its districts; communes under a district or directly under
    /// the province; below a commune its hamlets (the 2021–2025 datasets) and its TT 124 units, each
    /// of one of four kinds; communes in the 2026–2030 groups 1, 2 and 3.
    public static let standard = LevelMap([
        LevelDeclaration(name: "province", label: .vi("tỉnh", en: "province")),
        LevelDeclaration(name: "district", label: .vi("huyện", en: "district"), parents: ["province"], until: LocalDate(iso: "2025-06-30")),
        LevelDeclaration(name: "commune", label: .vi("xã", en: "commune"), parents: ["district", "province"], groups: [1, 2, 3]),
        LevelDeclaration(name: "hamlet", label: .vi("thôn", en: "hamlet"), parents: ["commune"]),
        LevelDeclaration(
            name: "unit", label: .vi("đơn vị", en: "unit"), parents: ["commune"],
            kinds: [
                DeclaredValue("khu_dan_cu", label: .vi("khu dân cư", en: "residential area")),
                DeclaredValue("co_quan", label: .vi("cơ quan", en: "state body")),
                DeclaredValue("doanh_nghiep", label: .vi("doanh nghiệp", en: "enterprise")),
                DeclaredValue("co_so_giao_duc", label: .vi("cơ sở giáo dục", en: "school")),
            ]),
    ])
}

/// An administrative level of a `LevelMap`: a province, a commune, a unit of a commune, or whatever
/// the rules folder declares.
///
/// Two levels are equal when they have the same name. A level orders by depth: the province first.
public struct Level: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    let table: LevelMap.Table
    /// The level's position in its map: the index of its cells in a dataset's fact columns.
    let index: Int

    init(table: LevelMap.Table, index: Int) {
        self.table = table
        self.index = index
    }

    /// The map the level belongs to.
    package var map: LevelMap { LevelMap(table: table) }

    /// The declaration.
    package var declaration: LevelDeclaration { table.declarations[index] }

    /// The name used in rules and data (`commune`).
    public var name: String { table.declarations[index].name }

    /// The level's words in Vietnamese and English.
    public var label: LocalizedText { table.declarations[index].label }

    /// The Vietnamese word for the level (`xã`).
    public var vietnamese: String { label.vi }

    /// The English word for the level (`commune`): its label, or its name when it has no English one.
    public var english: String { label.en ?? name }

    /// The name of the collection of entities of this level in rules and data (`communes`, `units`).
    package var pluralName: String { table.declarations[index].collection }

    /// The levels an entity of this level may sit under, nearest first.
    package var parents: [Level] { table.parents[index].map { Level(table: table, index: $0) } }

    /// The levels whose entities may sit directly under an entity of this level.
    package var children: [Level] { table.children[index].map { Level(table: table, index: $0) } }

    /// The usual level directly above, or `nil` for a level at the top.
    public var parent: Level? { parents.first }

    /// How far below the top the level is: the longest chain of parents above it (0 for a province,
    /// 3 for a hamlet or a unit in the standard map).
    package var depth: Int { table.depths[index] }

    /// The kinds its entities may have (empty: none).
    package var kinds: [DeclaredValue] { table.declarations[index].kinds }

    /// Whether the level exists on a date (it has not been abolished before it).
    package func exists(on date: LocalDate) -> Bool {
        table.declarations[index].until.map { date <= $0 } ?? true
    }

    /// The groups its entities may belong to (empty: none).
    package var groups: [Int] { table.declarations[index].groups }

    /// Whether entities of `other` can be found below an entity of this level.
    package func isAbove(_ other: Level) -> Bool {
        var seen = Set<Int>()
        var frontier = table.children[index]
        while let next = frontier.popLast() {
            if table.declarations[next].name == other.name { return true }
            if seen.insert(next).inserted { frontier.append(contentsOf: table.children[next]) }
        }
        return false
    }

    /// The level's name.
    public var description: String { name }

    /// Two levels are equal when they are the same level of one map, or, across maps, have the same name.
    public static func == (a: Level, b: Level) -> Bool {
        a.table === b.table ? a.index == b.index : a.name == b.name
    }

    /// Hashes the name, as levels of different maps compare by name.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// Orders levels from the top down; levels at the same depth (a hamlet and a unit) are unordered.
    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.depth < rhs.depth }

    /// Writes the level's name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    /// Reads a level's name, as a JSON output holds it: the standard map's level of that name, or a
    /// level known by its name only (its words are its name) when the standard map has none. An
    /// output read back has no rules folder; whoever holds the rules looks the name up in their map.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        self = LevelMap.standard[name] ?? LevelMap([LevelDeclaration(name: name, label: .same(name))]).levels[0]
    }

    /// A province, in the standard map.
    public static let province = LevelMap.standard.levels[0]
    /// A district, in the standard map (until the 2025 reorganisation).
    public static let district = LevelMap.standard.levels[1]
    /// A commune (xã, phường, đặc khu), in the standard map.
    public static let commune = LevelMap.standard.levels[2]
    /// A hamlet or residential area (thôn, bản, tổ dân phố), in the standard map.
    public static let hamlet = LevelMap.standard.levels[3]
    /// A TT 124 unit of a commune, in the standard map.
    public static let unit = LevelMap.standard.levels[4]
}

extension Level {
    /// The kind of this level written `text`, when the level declares it.
    func kind(_ text: String) -> String? {
        kinds.contains { $0.value == text } ? text : nil
    }

    /// The group of this level written `text`, when the level declares it.
    func group(_ text: String) -> Int? {
        Int(text).flatMap { groups.contains($0) ? $0 : nil }
    }

    /// The kinds as written in data, each with its Vietnamese words: "khu_dan_cu (khu dân cư), …
    /// hoặc co_so_giao_duc (cơ sở giáo dục)".
    var kindChoices: LocalizedText {
        let words = kinds.map { "\($0.value) (\($0.label.vi))" }
        return .vi(Self.either(words, or: "hoặc"), en: Self.either(words, or: "or"))
    }

    /// The groups: "1, 2 hoặc 3".
    var groupChoices: LocalizedText {
        let words = groups.map(String.init)
        return .vi(Self.either(words, or: "hoặc"), en: Self.either(words, or: "or"))
    }

    private static func either(_ words: [String], or: String) -> String {
        guard let last = words.last, words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " \(or) " + last
    }
}
