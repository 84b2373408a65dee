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

/// A province, district, commune or hamlet, with its facts by year.
public struct Entity: Sendable, Hashable {
    /// The stable identifier, usually the administrative code; always text (`01234` keeps its zero).
    public var id: String
    /// The Vietnamese name.
    public var name: String
    /// The administrative level.
    public var level: Level
    /// The index of the parent entity in `Dataset.entities`, if any.
    public var parent: Int?
    /// The indices of the child entities, in data order.
    public var children: [Int]
    /// The 2026–2030 commune group (1, 2 or 3), when given.
    public var group: Int?
    /// The facts, by year then input name. An absent fact is unknown.
    public var facts: [Int: [String: Fact]]
    /// Where the entity is defined in the data.
    public var range: SourceRange?

    /// Creates an entity.
    public init(
        id: String, name: String, level: Level, parent: Int? = nil, children: [Int] = [], group: Int? = nil,
        facts: [Int: [String: Fact]] = [:], range: SourceRange? = nil
    ) {
        self.id = id
        self.name = name
        self.level = level
        self.parent = parent
        self.children = children
        self.group = group
        self.facts = facts
        self.range = range
    }

    /// The fact of an input in a year, or `nil` when it is not known.
    public func fact(_ name: String, year: Int) -> Fact? { facts[year]?[name] }
}

/// The entities of one dataset, in data order, parents before their children.
public struct Dataset: Sendable, Hashable {
    /// Every entity; children refer to parents by index.
    public private(set) var entities: [Entity]
    /// Where the dataset was read from.
    public var source: String
    /// Whether the file says its data is made up.
    public var synthetic: Bool
    private var indexByID: [String: Int]

    /// Creates a dataset from entities whose `parent` and `children` indices are consistent.
    public init(entities: [Entity], source: String, synthetic: Bool = false) {
        self.entities = entities
        self.source = source
        self.synthetic = synthetic
        var index: [String: Int] = [:]
        for (offset, entity) in entities.enumerated() where index[entity.id] == nil {
            index[entity.id] = offset
        }
        self.indexByID = index
    }

    /// The index of the entity with an id, if any.
    public func index(of id: String) -> Int? { indexByID[id] }

    /// The children of an entity at a level (a commune's hamlets, a district's communes).
    public func children(of index: Int, at level: Level) -> [Int] {
        entities[index].children.filter { entities[$0].level == level }
    }

    /// All entities at a level, in data order.
    public func indices(at level: Level) -> [Int] {
        entities.indices.filter { entities[$0].level == level }
    }
}

extension Dataset {
    /// Sets (or, with `nil`, removes) one fact of one entity for one year.
    public mutating func setFact(_ fact: Fact?, name: String, year: Int, entity: Int) {
        entities[entity].facts[year, default: [:]][name] = fact
    }
}
