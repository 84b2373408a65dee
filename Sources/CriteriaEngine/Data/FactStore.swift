import Foundation

/// The facts of a dataset, stored column by column: one column per (level, fact name, year), with one
/// cell for every entity of that level.
///
/// Why columns: a province of 100,000 communes holds about 9 million facts. Kept as a dictionary of
/// dictionaries per entity they take gigabytes and every read hashes two keys; in columns a fact takes
/// 17 bytes (a 1-byte kind, an 8-byte payload, and its line and column in the data file), and the
/// evaluator reads it by position without hashing anything (`Evaluation/VerdictEvaluator.swift`).
///
/// A cell's payload is the value itself for booleans and whole numbers that fit in 64 bits, and an
/// index into a side table for other numbers, texts and other values. Reading a cell gives back exactly
/// the `Value` and `SourceRange` that were stored (`Decimal`s are normalised, so a whole number rebuilt
/// from its integer is the same decimal). A `FactStore` is a value: copies share storage until one of
/// them is changed.
struct FactStore: Sendable {
    /// The kinds of cell.
    enum Kind: UInt8 {
        case missing = 0
        case bool = 1
        case integer = 2
        case decimal = 3
        case text = 4
        case other = 5
    }

    /// A value as the readers hand it over: the common kinds without building a `Value`.
    enum Stored: Sendable {
        case bool(Bool)
        case integer(Int64)
        case value(Value)
    }

    /// The storage shared between copies.
    final class Storage: @unchecked Sendable {
        var names: [String] = []
        var nameIDs: [String: Int] = [:]
        /// The entities of each level (by `Level.index`; a level not reached yet has none).
        var counts: [Int] = []
        var columnIDs: [ColumnKey: Int] = [:]
        var columns: [FactColumn] = []
        var decimals: [Decimal] = []
        var texts: [String] = []
        var textIDs: [String: Int] = [:]
        var others: [Value] = []
        var files: [String] = []
        var fileIDs: [String: Int32] = [:]
        /// Ranges that are not a point in the column's file (cells whose line is -1).
        var oddRanges: [OddKey: SourceRange] = [:]

        init() {}

        func copy() -> Storage {
            let c = Storage()
            c.names = names
            c.nameIDs = nameIDs
            c.counts = counts
            c.columnIDs = columnIDs
            c.columns = columns.map { $0.copy() }
            c.decimals = decimals
            c.texts = texts
            c.textIDs = textIDs
            c.others = others
            c.files = files
            c.fileIDs = fileIDs
            c.oddRanges = oddRanges
            return c
        }
    }

    /// Identifies a column.
    struct ColumnKey: Hashable, Sendable {
        var level: Level
        var name: Int
        var year: Int
    }

    struct OddKey: Hashable, Sendable {
        var column: Int
        var position: Int
    }

    private(set) var storage = Storage()

    init() {}

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    static func levelIndex(_ level: Level) -> Int { level.index }

    /// How many entities of a level the store has room for.
    func count(at level: Level) -> Int {
        level.index < storage.counts.count ? storage.counts[level.index] : 0
    }

    /// Makes room for `count` entities of a level (cells start missing).
    mutating func reserve(_ count: Int, at level: Level) {
        unique()
        let l = level.index
        if storage.counts.count <= l { storage.counts += [Int](repeating: 0, count: l + 1 - storage.counts.count) }
        storage.counts[l] = max(storage.counts[l], count)
    }

    // MARK: Writing

    /// The column of a (level, name, year), created if needed.
    mutating func column(level: Level, name: String, year: Int) -> Int {
        unique()
        let nameID: Int
        if let known = storage.nameIDs[name] {
            nameID = known
        } else {
            nameID = storage.names.count
            storage.names.append(name)
            storage.nameIDs[name] = nameID
        }
        let key = ColumnKey(level: level, name: nameID, year: year)
        if let known = storage.columnIDs[key] { return known }
        let id = storage.columns.count
        storage.columns.append(FactColumn(level: level, name: nameID, year: year))
        storage.columnIDs[key] = id
        return id
    }

    /// Stores (or, with `nil`, removes) one fact.
    mutating func set(_ value: Stored?, range: SourceRange?, column id: Int, position: Int) {
        unique()
        let column = storage.columns[id]
        column.reserve(position + 1)
        storage.oddRanges[OddKey(column: id, position: position)] = nil
        guard let value else {
            column.kinds[position] = Kind.missing.rawValue
            return
        }
        let (kind, payload) = encode(value)
        column.kinds[position] = kind.rawValue
        column.payloads[position] = payload
        guard let range else {
            column.lines[position] = 0
            return
        }
        let file = fileID(range.file)
        if column.file < 0 { column.file = file }
        if range.end == nil, file == column.file, range.start.line > 0, range.start.line <= Int(Int32.max),
            range.start.column <= Int(Int32.max), range.start.column >= Int(Int32.min)
        {
            column.lines[position] = Int32(range.start.line)
            column.columns[position] = Int32(range.start.column)
        } else {
            column.lines[position] = -1
            storage.oddRanges[OddKey(column: id, position: position)] = range
        }
    }

    /// Stores one fact from a reader, whose range is a point (`line`, `column`) in `file`.
    mutating func set(_ value: Stored, file: String, line: Int, column: Int, in id: Int, position: Int) {
        set(value, range: SourceRange(file: file, line: line, column: column), column: id, position: position)
    }

    /// Stores one fact from a reader: its range is the point (`line`, `column`) in the file `fileID`
    /// (from `fileID(_:)`).
    mutating func set(_ value: Stored, fileID: Int32, line: Int, column: Int, in id: Int, position: Int) {
        unique()
        let cells = storage.columns[id]
        if position >= cells.capacity { cells.reserve(position + 1) }
        if cells.file < 0 { cells.file = fileID }
        guard cells.file == fileID, line > 0, line <= Int(Int32.max), column <= Int(Int32.max), column >= Int(Int32.min) else {
            set(value, range: SourceRange(file: storage.files[Int(fileID)], line: line, column: column), column: id, position: position)
            return
        }
        if cells.lines[position] < 0 { storage.oddRanges[OddKey(column: id, position: position)] = nil }
        let (kind, payload) = encode(value)
        cells.kinds[position] = kind.rawValue
        cells.payloads[position] = payload
        cells.lines[position] = Int32(line)
        cells.columns[position] = Int32(column)
    }

    /// The id of a file name, for `set(_:fileID:line:column:in:position:)`.
    mutating func fileID(_ file: String) -> Int32 {
        unique()
        if let known = storage.fileIDs[file] { return known }
        let id = Int32(storage.files.count)
        storage.files.append(file)
        storage.fileIDs[file] = id
        return id
    }

    private mutating func encode(_ value: Stored) -> (Kind, Int64) {
        switch value {
        case .bool(let b): return (.bool, b ? 1 : 0)
        case .integer(let i): return (.integer, i)
        case .value(let v):
            switch v {
            case .bool(let b): return (.bool, b ? 1 : 0)
            case .number(let d):
                if let i = Self.integer(exactly: d) { return (.integer, i) }
                storage.decimals.append(d)
                return (.decimal, Int64(storage.decimals.count - 1))
            case .text(let t):
                if let known = storage.textIDs[t] { return (.text, Int64(known)) }
                storage.texts.append(t)
                storage.textIDs[t] = storage.texts.count - 1
                return (.text, Int64(storage.texts.count - 1))
            case .date, .list, .entity:
                storage.others.append(v)
                return (.other, Int64(storage.others.count - 1))
            }
        }
    }

    /// The decimal as a 64-bit integer when it is a whole number in range.
    static func integer(exactly d: Decimal) -> Int64? {
        guard !d.isNaN, d.exponent >= 0, d.exponent <= 18 else { return nil }
        let i = NSDecimalNumber(decimal: d).int64Value
        return Decimal(i) == d ? i : nil
    }

    // MARK: Reading

    /// The id of a fact name, if any entity has it.
    func nameID(_ name: String) -> Int? { storage.nameIDs[name] }

    /// The column of a (level, name, year), if any fact was stored there.
    func columnID(level: Level, name: String, year: Int) -> Int? {
        guard let name = storage.nameIDs[name] else { return nil }
        return storage.columnIDs[ColumnKey(level: level, name: name, year: year)]
    }

    /// The column object (for the evaluator, which reads cells directly).
    func column(_ id: Int) -> FactColumn { storage.columns[id] }

    /// The value of a fact of an entity (by level and position within it), if known.
    func value(level: Level, position: Int, name: String, year: Int) -> Value? {
        guard let id = columnID(level: level, name: name, year: year) else { return nil }
        return value(column: storage.columns[id], position: position)
    }

    /// The fact of an entity (by level and position within it), if known.
    func fact(level: Level, position: Int, name: String, year: Int) -> Fact? {
        guard let id = columnID(level: level, name: name, year: year) else { return nil }
        return fact(column: id, position: position)
    }

    /// The fact in a cell, if any.
    func fact(column id: Int, position: Int) -> Fact? {
        let column = storage.columns[id]
        guard let value = value(column: column, position: position) else { return nil }
        let line = column.lines[position]
        let range: SourceRange?
        if line > 0 {
            range = SourceRange(file: storage.files[Int(column.file)], line: Int(line), column: Int(column.columns[position]))
        } else if line < 0 {
            range = storage.oddRanges[OddKey(column: id, position: position)]
        } else {
            range = nil
        }
        return Fact(value, at: range)
    }

    /// The value in a cell, if any.
    func value(column: FactColumn, position: Int) -> Value? {
        guard position < column.capacity else { return nil }
        let payload = column.payloads[position]
        switch Kind(rawValue: column.kinds[position]) ?? .missing {
        case .missing: return nil
        case .bool: return .bool(payload != 0)
        case .integer: return .number(Decimal(payload))
        case .decimal: return .number(storage.decimals[Int(payload)])
        case .text: return .text(storage.texts[Int(payload)])
        case .other: return storage.others[Int(payload)]
        }
    }

    /// The text with an id (for the evaluator).
    func text(_ id: Int64) -> String { storage.texts[Int(id)] }
    /// The decimal with an id (for the evaluator).
    func decimal(_ id: Int64) -> Decimal { storage.decimals[Int(id)] }
    /// The other value with an id (for the evaluator).
    func other(_ id: Int64) -> Value { storage.others[Int(id)] }
    /// The id of a text, if some fact has it.
    func textID(_ text: String) -> Int64? { storage.textIDs[text].map(Int64.init) }

    /// Every fact of an entity, by year then name.
    func facts(level: Level, position: Int) -> [Int: [String: Fact]] {
        var result: [Int: [String: Fact]] = [:]
        for (id, column) in storage.columns.enumerated() where column.level == level {
            if let fact = fact(column: id, position: position) {
                result[column.year, default: [:]][storage.names[column.name]] = fact
            }
        }
        return result
    }
}

/// One column of a `FactStore`: the cells of one (level, fact name, year) for every entity of the level.
///
/// The cells live in plain allocations owned by this object, so the evaluator can read them through
/// pointers that stay valid as long as the dataset does. Only a `FactStore` that owns the column
/// uniquely writes to it.
final class FactColumn: @unchecked Sendable {
    let level: Level
    let name: Int
    let year: Int
    /// The file of the cells' ranges (an index into the store's files), or -1.
    var file: Int32 = -1
    private(set) var capacity = 0
    /// `FactStore.Kind` raw values.
    private(set) var kinds: UnsafeMutablePointer<UInt8>
    private(set) var payloads: UnsafeMutablePointer<Int64>
    /// 1-based lines of the cells' ranges; 0 when a fact has no range, -1 when it is kept aside.
    private(set) var lines: UnsafeMutablePointer<Int32>
    private(set) var columns: UnsafeMutablePointer<Int32>

    init(level: Level, name: Int, year: Int) {
        self.level = level
        self.name = name
        self.year = year
        kinds = .allocate(capacity: 0)
        payloads = .allocate(capacity: 0)
        lines = .allocate(capacity: 0)
        columns = .allocate(capacity: 0)
    }

    deinit {
        kinds.deallocate()
        payloads.deallocate()
        lines.deallocate()
        columns.deallocate()
    }

    /// Grows the column to at least `count` cells; new cells are missing.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        let size = max(count, capacity + capacity / 2, 16)  // 1.5×: at most a third of a column unused
        func grow<T>(_ old: UnsafeMutablePointer<T>, _ fill: T) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: size)
            new.moveInitialize(from: old, count: capacity)
            (new + capacity).initialize(repeating: fill, count: size - capacity)
            old.deallocate()
            return new
        }
        kinds = grow(kinds, 0)
        payloads = grow(payloads, 0)
        lines = grow(lines, 0)
        columns = grow(columns, 0)
        capacity = size
    }

    func copy() -> FactColumn {
        let c = FactColumn(level: level, name: name, year: year)
        c.file = file
        c.reserve(capacity)
        c.kinds.update(from: kinds, count: capacity)
        c.payloads.update(from: payloads, count: capacity)
        c.lines.update(from: lines, count: capacity)
        c.columns.update(from: columns, count: capacity)
        return c
    }
}
