import Foundation

/// One fact of one entity for one year, with where it was read.
public struct Fact: Sendable, Hashable {
    /// The value, typed by the input's declaration.
    public var value: Value
    /// Where the value stands in the data file, when known.
    public var range: SourceRange?

    /// Creates a fact.
    public init(_ value: Value, at range: SourceRange? = nil) {
        self.value = value
        self.range = range
    }
}

/// An entity of the map (a province, a commune, a unit of a commune…), with its facts by year.
public struct Entity: Sendable, Hashable {
    /// The stable identifier, usually the administrative code; always text (`01234` keeps its zero).
    public var id: String
    /// The Vietnamese name.
    public var name: String
    /// The administrative level.
    public var level: Level
    /// The indices of the child entities, in data order.
    public var children: [Int]
    /// Where the entity is defined in the data.
    public var range: SourceRange?
    /// Where the facts are: in this value, or in the columns of the dataset it was read from.
    var storage: FactSource
    // The parent, group and kind are kept in a few bytes at the end: a province of 100,000 communes
    // holds nearly a million entities, and as `Int?` and `String?` these three took 32 bytes more
    // of each (measured: 38 MB of the province check's peak, `Docs/performance.md`).
    /// The parent's index, or -1.
    private var parentCode: Int32
    /// The group, or 0.
    private var groupCode: UInt8
    /// One more than the kind's position among its level's declared kinds, or 0.
    private var kindCode: UInt16

    /// The index of the parent entity in `Dataset.entities`, if any.
    public var parent: Int? {
        get { parentCode < 0 ? nil : Int(parentCode) }
        set { parentCode = newValue.map { Int32(clamping: $0) } ?? -1 }
    }

    /// The entity's group (a commune's 2026–2030 group: 1, 2 or 3), when its level has groups and
    /// the data gives one. A group is a number from 1 to 99, as `levels.yaml` declares them (the
    /// readers refuse any other); another number is not kept.
    public var group: Int? {
        get { groupCode == 0 ? nil : Int(groupCode) }
        set { groupCode = newValue.flatMap { (1...99).contains($0) ? UInt8($0) : nil } ?? 0 }
    }

    /// The entity's kind (a TT 124 unit: `khu_dan_cu`, `co_quan`, `doanh_nghiep`, `co_so_giao_duc`),
    /// when its level declares kinds and the data gives one. It is kept as its place among the kinds
    /// its level declares (the readers refuse any other), so a kind the level does not declare is not
    /// kept: set `level` first.
    public var kind: String? {
        get { kindCode == 0 ? nil : level.kinds[Int(kindCode) - 1].value }
        set {
            let position = newValue.flatMap { value in level.kinds.firstIndex { $0.value == value } }
            kindCode = position.flatMap { UInt16(exactly: $0 + 1) } ?? 0
        }
    }

    /// Where an entity's facts are kept.
    enum FactSource: Sendable {
        case own([Int: [String: Fact]])
        /// In a dataset's store, at the entity's position within its level.
        case stored(FactStore, position: Int)
    }

    /// The facts, by year then input name. An absent fact is unknown.
    ///
    /// An entity of a dataset builds this dictionary when asked; the dataset itself keeps its facts
    /// in columns (`FactStore`). Use `fact(_:year:)` to read one fact.
    public var facts: [Int: [String: Fact]] {
        get {
            switch storage {
            case .own(let facts): facts
            case .stored(let store, let position): store.facts(level: level, position: position)
            }
        }
        set { storage = .own(newValue) }
    }

    /// Creates an entity.
    @_spi(Fuzz) public init(
        id: String, name: String, level: Level, parent: Int? = nil, children: [Int] = [], group: Int? = nil,
        kind: String? = nil, facts: [Int: [String: Fact]] = [:], range: SourceRange? = nil
    ) {
        self.id = id
        self.name = name
        self.level = level
        self.children = children
        self.storage = .own(facts)
        self.range = range
        self.parentCode = -1
        self.groupCode = 0
        self.kindCode = 0
        self.parent = parent
        self.group = group
        self.kind = kind
    }

    /// The fact of an input in a year, or `nil` when it is not known.
    public func fact(_ name: String, year: Int) -> Fact? {
        switch storage {
        case .own(let facts): facts[year]?[name]
        case .stored(let store, let position): store.fact(level: level, position: position, name: name, year: year)
        }
    }

    /// Two entities are equal when every field and every fact is equal, wherever the facts are stored.
    public static func == (a: Entity, b: Entity) -> Bool {
        a.id == b.id && a.name == b.name && a.level == b.level && a.parent == b.parent && a.children == b.children
            && a.group == b.group && a.kind == b.kind && a.range == b.range && a.facts == b.facts
    }

    /// Hashes the fields that identify the entity and place it (not the facts).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(name)
        hasher.combine(level)
        hasher.combine(parent)
        hasher.combine(children)
        hasher.combine(group)
        hasher.combine(kind)
        hasher.combine(range)
    }
}

/// The entities of one dataset, in data order, parents before their children.
///
/// The facts are kept in columns (`FactStore`), one cell per entity, not in dictionaries inside each
/// entity: a province of 100,000 communes then fits in a few hundred megabytes and evaluates without
/// hashing a name per fact. `entities` gives each entity as a value with its facts, as before.
public struct Dataset: Sendable, Hashable {
    /// Every entity (without facts); children refer to parents by index.
    private(set) var records: [Entity]
    /// Each entity's position within its level: the index of its cells in the fact columns.
    private(set) var positions: [Int]
    /// The facts.
    private(set) var store: FactStore
    /// The parent–child structure in plain arrays, for the evaluator.
    let structure: EntityStructure
    /// The administrative map its entities' levels belong to.
    package let map: LevelMap
    /// Where the dataset was read from.
    public var source: String
    /// Whether the file says its data is made up.
    public var synthetic: Bool
    /// The index of each id, built on the first lookup.
    private let ids = IDIndex()
    /// How each fact that a successor took from its former units was made (`Succession`), by the
    /// successor's id, the input and the year: the words an explanation shows beside the value, or
    /// why no value could be made.
    package var derivations: [DerivationKey: LocalizedText] = [:]
    /// What reading the dataset converted on the way, as warnings for the user (a table read as
    /// Windows-1258, `data.converted-encoding`): the dataset itself is complete.
    public var notes: [Diagnostic] = []

    /// Identifies a fact of an entity for a year, by the entity's id.
    package struct DerivationKey: Sendable, Hashable {
        /// The entity's id.
        package var entity: String
        /// The input's name.
        package var name: String
        /// The year.
        package var year: Int

        /// Creates a key.
        package init(entity: String, name: String, year: Int) {
            self.entity = entity
            self.name = name
            self.year = year
        }
    }

    /// How the fact of an entity (by index) for a year was taken from former units, if it was.
    public func derivation(entity: Int, name: String, year: Int) -> LocalizedText? {
        derivations.isEmpty ? nil : derivations[DerivationKey(entity: records[entity].id, name: name, year: year)]
    }

    /// Every entity, each with its facts; children refer to parents by index.
    public var entities: Entities { Entities(records: records, positions: positions, store: store) }

    /// Creates a dataset from entities whose `parent` and `children` indices are consistent, on the
    /// map of their levels (the standard map when there are none).
    @_spi(Fuzz) public init(entities: [Entity], map: LevelMap? = nil, source: String, synthetic: Bool = false) {
        var store = FactStore()
        var positions: [Int] = []
        var counts: [Level: Int] = [:]
        var records: [Entity] = []
        positions.reserveCapacity(entities.count)
        records.reserveCapacity(entities.count)
        for entity in entities {
            let position = counts[entity.level, default: 0]
            counts[entity.level] = position + 1
            positions.append(position)
            store.reserve(position + 1, at: entity.level)
            for (year, facts) in entity.facts {
                for (name, fact) in facts {
                    let column = store.column(level: entity.level, name: name, year: year)
                    store.set(.value(fact.value), range: fact.range, column: column, position: position)
                }
            }
            var record = entity
            record.storage = .own([:])
            records.append(record)
        }
        self.init(
            records: records, positions: positions, store: store, map: map ?? entities.first?.level.map ?? .standard, source: source,
            synthetic: synthetic)
    }

    /// Creates a dataset from entities without facts and a store that holds their facts; `positions`
    /// gives each entity's position within its level in the store. Used by the readers.
    init(records: [Entity], positions: [Int], store: FactStore, map: LevelMap, source: String, synthetic: Bool) {
        self.records = records
        self.positions = positions
        self.store = store
        self.map = map
        self.structure = EntityStructure(records: records, positions: positions, map: map)
        self.source = source
        self.synthetic = synthetic
    }

    /// The index of the entity with an id, if any.
    public func index(of id: String) -> Int? { ids.index(of: id, in: records) }

    /// The children of an entity at a level (a commune's hamlets, a district's communes).
    public func children(of index: Int, at level: Level) -> [Int] {
        records[index].children.filter { records[$0].level == level }
    }

    /// All entities at a level, in data order.
    public func indices(at level: Level) -> [Int] {
        records.indices.filter { records[$0].level == level }
    }

    /// Two datasets are equal when their source, flags, records and every entity's facts are equal.
    public static func == (a: Dataset, b: Dataset) -> Bool {
        a.source == b.source && a.synthetic == b.synthetic && a.records == b.records
            && a.records.indices.allSatisfy { a.entities[$0].facts == b.entities[$0].facts }
    }

    /// Hashes the source, the flag and the records (not the facts).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(synthetic)
        hasher.combine(records)
    }

    /// A read-only view of the entities of a dataset, each given with its facts.
    public struct Entities: RandomAccessCollection, Sendable {
        let records: [Entity]
        let positions: [Int]
        let store: FactStore

        /// The first index, 0.
        public var startIndex: Int { 0 }
        /// The number of entities.
        public var endIndex: Int { records.count }

        /// The entity at an index, with its facts.
        public subscript(index: Int) -> Entity {
            var entity = records[index]
            entity.storage = .stored(store, position: positions[index])
            return entity
        }
    }
}

extension Dataset {
    /// Sets (or, with `nil`, removes) one fact of one entity for one year.
    package mutating func setFact(_ fact: Fact?, name: String, year: Int, entity: Int) {
        let level = records[entity].level
        let column = store.column(level: level, name: name, year: year)
        store.set(fact.map { .value($0.value) }, range: fact?.range, column: column, position: positions[entity])
    }
}

/// The levels, positions and children of a dataset's entities in plain allocations, which the verdict
/// evaluator reads through pointers without reference counting (`VerdictEvaluator`). Immutable.
final class EntityStructure: @unchecked Sendable {
    /// The number of entities.
    let count: Int
    /// Each entity's level, as `FactStore.levelIndex`.
    let levels: UnsafeMutablePointer<UInt8>
    /// Each entity's position within its level.
    let positions: UnsafeMutablePointer<Int32>
    /// Entity `e`'s children are `children[childStart[e] ..< childStart[e + 1]]`, in data order.
    let childStart: UnsafeMutablePointer<Int32>
    let children: UnsafeMutablePointer<Int32>
    /// The entities of each level (as `Level.index`), in data order.
    let members: [[Int]]
    /// The map of the levels.
    let map: LevelMap
    /// The depth (`Level.depth`) of each level index, in a plain allocation: a shared array read
    /// from both cores' inner loops would be retained and released on every read.
    let levelDepths: UnsafeMutablePointer<UInt8>

    /// The depth (`Level.depth`) of a level index.
    @inline(__always) func depth(ofIndex index: UInt8) -> UInt8 { levelDepths[Int(index)] }
    /// Each entity's shallowest child depth (`UInt8.max` without children): when it is at or below a
    /// level's depth, the entity's descendants of that level are among its own children.
    let childDepth: UnsafeMutablePointer<UInt8>

    /// The descendants of an entity at a lower level, in data order: the entity itself at its own
    /// level, none at a higher one. What both evaluators' folds and `share`s range over. A two-tier
    /// province reaches its communes directly, a province with districts through them.
    func descendants(of owner: Int, at level: Level) -> [Int] {
        guard let index = map.index(of: level) else { return [] }
        return descendants(of: owner, atIndex: UInt8(index))
    }

    /// The descendants of an entity at the level of an index of the map (`descendants(of:at:)`).
    func descendants(of owner: Int, atIndex target: UInt8) -> [Int] {
        if levels[owner] == target { return [owner] }
        let depth = levelDepths[Int(target)]
        guard self.depth(ofIndex: levels[owner]) < depth else { return [] }
        // The usual case, a commune's hamlets or units, a province's communes: one step, read in place.
        if childDepth[owner] >= depth {
            return (Int(childStart[owner])..<Int(childStart[owner + 1])).compactMap {
                levels[Int(children[$0])] == target ? Int(children[$0]) : nil
            }
        }
        var found: [Int] = []
        var frontier = [owner]
        var rounds = 0
        while !frontier.isEmpty {
            var next: [Int] = []
            var foundThisRound = false
            for e in frontier {
                for k in Int(childStart[e])..<Int(childStart[e + 1]) {
                    let child = Int(children[k])
                    if levels[child] == target {
                        found.append(child)
                        foundThisRound = true
                    } else if self.depth(ofIndex: levels[child]) < depth {
                        next.append(child)
                    }
                }
            }
            if foundThisRound { rounds += 1 }
            frontier = next
        }
        // Found at two depths (communes under the province and under its districts): data order.
        return rounds > 1 ? found.sorted() : found
    }

    init(records: [Entity], positions: [Int], map: LevelMap) {
        count = records.count
        self.map = map
        levelDepths = .allocate(capacity: max(1, map.count))
        for level in map.levels { levelDepths[level.index] = UInt8(clamping: level.depth) }
        levels = .allocate(capacity: max(1, count))
        self.positions = .allocate(capacity: max(1, count))
        childStart = .allocate(capacity: count + 1)
        childDepth = .allocate(capacity: max(1, count))
        let total = records.reduce(0) { $0 + $1.children.count }
        children = .allocate(capacity: max(1, total))
        var next = 0
        var members = [[Int]](repeating: [], count: map.count)
        for (e, record) in records.enumerated() {
            members[FactStore.levelIndex(record.level)].append(e)
            levels[e] = UInt8(FactStore.levelIndex(record.level))
            self.positions[e] = Int32(positions[e])
            childStart[e] = Int32(next)
            var shallowest = UInt8.max
            for child in record.children {
                children[next] = Int32(child)
                next += 1
                shallowest = min(shallowest, UInt8(records[child].level.depth))
            }
            childDepth[e] = shallowest
        }
        childStart[count] = Int32(next)
        self.members = members
    }

    deinit {
        levelDepths.deallocate()
        levels.deallocate()
        positions.deallocate()
        childStart.deallocate()
        childDepth.deallocate()
        children.deallocate()
    }
}

/// The index of each entity id of a dataset, built on the first lookup (most evaluations never look
/// an entity up by id, and a province holds close to a million ids).
private final class IDIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [String: Int]?

    func index(of id: String, in records: [Entity]) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if table == nil {
            var index: [String: Int] = [:]
            index.reserveCapacity(records.count)
            // Backwards, so that the first entity with an id is the one kept.
            for offset in records.indices.reversed() { index[records[offset].id] = offset }
            table = index
        }
        return table?[id]
    }
}
