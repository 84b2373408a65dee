import Foundation

/// The fast path for JSON datasets: reads a well-formed dataset file straight from its bytes into a
/// `Dataset`, without building the `DocumentNode` tree that `JSONReader` and `DatasetDecoder` build
/// (for a large province, building and freeing that tree is most of the reading time and memory).
///
/// It accepts only what `JSONReader` + `DatasetDecoder` accept without a single diagnostic, and gives
/// the same dataset: the same entities in the same order, the same facts typed by the same
/// `FactTyping` calls with the same text and style, the same places. At the first thing it does not
/// handle — any problem in the data, a duplicate key, an unexpected key or order (an entity's list of
/// children before its `id` and `name`), an unusual escape or number, a limit approached — it gives
/// up (`nil`), and `DatasetReader` reads the file the ordinary way, which reports every problem.
enum JSONDatasetReader {
    /// `nil` also when `checkpoint` finds its token cancelled (then `checkpoint.error` says where).
    static func read(_ file: SourceFile, inputs: InputCatalog, limits: Limits, checkpoint: inout ReadingCheckpoint) -> Dataset? {
        var text = file.text
        let (dataset, after) = text.withUTF8 { bytes in
            var reader = FastJSON(bytes: bytes, path: file.path, inputs: inputs, limits: limits)
            reader.checkpoint = checkpoint
            return (reader.document(), reader.checkpoint)
        }
        checkpoint = after
        return dataset
    }

    /// Reads without a cancellation token.
    static func read(_ file: SourceFile, inputs: InputCatalog, limits: Limits) -> Dataset? {
        var checkpoint = ReadingCheckpoint(nil)
        return read(file, inputs: inputs, limits: limits, checkpoint: &checkpoint)
    }
}

private struct GiveUp: Error {}

private struct FastJSON {
    let bytes: UnsafeBufferPointer<UInt8>
    let path: String
    let inputs: InputCatalog
    let limits: Limits
    var index = 0
    var line = 1
    var column = 1
    var store = FactStore()
    var fileID: Int32 = 0
    var entities: [Entity] = []
    var positions: [Int] = []
    var ids: Set<String> = []
    /// Short strings seen before (keys, names, enumeration values), reused instead of allocating a
    /// `String` each time, each with a number; found by a small hash of their bytes.
    var interned: [(bytes: [UInt8], text: String)] = []
    var buckets = [[Int32]](repeating: [], count: 256)
    /// The last string read, if it was interned: its number.
    var lastInterned: Int32 = -1
    /// Per interned fact name: whether it was looked up, its declaration, and its column per year.
    var factSlots: [FactSlot] = []
    /// When to look at the cancellation token (between entities).
    var checkpoint = ReadingCheckpoint(nil)

    struct FactSlot {
        var looked = false
        var input: InputDeclaration?
        var columns: [(year: Int, column: Int)] = []
    }

    init(bytes: UnsafeBufferPointer<UInt8>, path: String, inputs: InputCatalog, limits: Limits) {
        self.bytes = bytes
        self.path = path
        self.inputs = inputs
        self.limits = limits
        fileID = store.fileID(path)
    }

    // MARK: Cursor

    @inline(__always) var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Moves past one byte that is not a line end; columns count scalars (as `JSONParser`).
    @inline(__always) mutating func advance() {
        if bytes[index] & 0xC0 != 0x80 { column += 1 }
        index += 1
    }

    mutating func skipWhitespace() {
        JSONWhitespace.skip(bytes, &index, &line, &column)
    }

    mutating func expect(_ byte: UInt8) throws(GiveUp) {
        skipWhitespace()
        guard current == byte else { throw GiveUp() }
        advance()
    }

    /// Whether the next value (after whitespace) is `null`, which it then skips.
    mutating func skipNull() throws(GiveUp) -> Bool {
        skipWhitespace()
        guard current == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func literal(_ word: StaticString) throws(GiveUp) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw GiveUp() }
        let start = word.utf8Start
        for k in 0..<count where bytes[index + k] != start[k] { throw GiveUp() }
        if index + count < bytes.count, Self.isWordByte(bytes[index + count]) { throw GiveUp() }
        index += count
        column += count
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2E
            || b == 0x2B || b == 0x2D
    }

    /// A string (the cursor on its opening quote), or a give-up for escapes other than the simple
    /// ones, for control characters and for strings near the length limit.
    mutating func string(limit: Int) throws(GiveUp) -> String {
        guard current == UInt8(ascii: "\"") else { throw GiveUp() }
        advance()
        let start = index
        var escaped = false
        while true {
            guard index < bytes.count else { throw GiveUp() }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { throw GiveUp() }
            if b == UInt8(ascii: "\\") {
                escaped = true
                advance()
                guard index < bytes.count else { throw GiveUp() }
            }
            advance()
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
        advance()  // closing quote
        guard raw.count <= limit else { throw GiveUp() }
        lastInterned = -1
        if escaped { return try unescape(raw) }
        guard raw.count <= 40, let base = raw.baseAddress else { return String(decoding: raw, as: UTF8.self) }
        let bucket = Int((UInt(raw.count) &* 31 &+ UInt(raw.first ?? 0) &* 7 &+ UInt(raw.last ?? 0)) & 255)
        for k in buckets[bucket] {
            let known = interned[Int(k)]
            if known.bytes.count == raw.count && known.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, base, raw.count) == 0 }) {
                lastInterned = k
                return known.text
            }
        }
        let text = String(decoding: raw, as: UTF8.self)
        if interned.count < 4096 {
            lastInterned = Int32(interned.count)
            buckets[bucket].append(lastInterned)
            interned.append((Array(raw), text))
        }
        return text
    }

    /// The text of a string with the simple escapes (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`);
    /// `\u` escapes are left to the ordinary reader.
    func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws(GiveUp) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            let b = raw[k]
            k += 1
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                continue
            }
            guard k < raw.count else { throw GiveUp() }
            let e = raw[k]
            k += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            default: throw GiveUp()
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text of a number, which must follow `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    mutating func number() throws(GiveUp) -> String {
        let start = index
        func digit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        if current == UInt8(ascii: "-") { advance() }
        guard digit(current) else { throw GiveUp() }
        let first = bytes[index]
        advance()
        if first == UInt8(ascii: "0"), digit(current) { throw GiveUp() }
        while digit(current) { advance() }
        if current == UInt8(ascii: ".") {
            advance()
            guard digit(current) else { throw GiveUp() }
            while digit(current) { advance() }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            advance()
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { advance() }
            guard digit(current) else { throw GiveUp() }
            while digit(current) { advance() }
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
        guard raw.count <= limits.maxScalarLength else { throw GiveUp() }
        return String(decoding: raw, as: UTF8.self)
    }

    /// A scalar value: its text and style as `JSONReader` gives them, or `nil` for `null`.
    mutating func scalar() throws(GiveUp) -> (String, DocumentNode.ScalarStyle)? {
        skipWhitespace()
        switch current {
        case UInt8(ascii: "\"")?: return (try string(limit: limits.maxScalarLength), .quoted)
        case UInt8(ascii: "t")?:
            try literal("true")
            return ("true", .plain)
        case UInt8(ascii: "f")?:
            try literal("false")
            return ("false", .plain)
        case UInt8(ascii: "n")?:
            try literal("null")
            return nil
        case .some(let b) where b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39):
            return (try number(), .plain)
        default:
            throw GiveUp()
        }
    }

    /// Calls `body` with each key of an object (the cursor on the value after the key), until `}`.
    mutating func object(depth: Int, _ body: (inout FastJSON, String) throws(GiveUp) -> Void) throws(GiveUp) {
        guard depth <= limits.maxDataNesting - 2 else { throw GiveUp() }
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            advance()
            return
        }
        while true {
            skipWhitespace()
            let key = try string(limit: limits.maxKeyLength)
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ",")?: advance()
            case UInt8(ascii: "}")?:
                advance()
                return
            default: throw GiveUp()
            }
        }
    }

    // MARK: Dataset

    mutating func document() -> Dataset? {
        do {
            var sawVersion = false
            var synthetic = false
            var root = false
            var seen: Set<String> = []
            try object(depth: 1) { (me: inout FastJSON, key: String) throws(GiveUp) in
                guard seen.insert(key).inserted else { throw GiveUp() }
                me.skipWhitespace()
                switch key {
                case "dataset":
                    guard let (text, style) = try me.scalar(), text == "1", style == .plain else { throw GiveUp() }
                    sawVersion = true
                case "synthetic":
                    guard let (text, style) = try me.scalar(), style == .plain, text == "true" || text == "false" else {
                        throw GiveUp()
                    }
                    synthetic = text == "true"
                case "description":
                    _ = try me.scalar()
                case _ where me.inputs.map[key] != nil:
                    guard !root, let level = me.inputs.map[key] else { throw GiveUp() }
                    root = true
                    _ = try me.entity(level: level, parent: nil, depth: 2)
                default:
                    throw GiveUp()
                }
            }
            skipWhitespace()
            guard index == bytes.count, sawVersion, root else { throw GiveUp() }
            return Dataset(records: entities, positions: positions, store: store, map: inputs.map, source: path, synthetic: synthetic)
        } catch {
            return nil
        }
    }

    /// Reads one entity and its descendants; returns its index.
    mutating func entity(level: Level, parent: Int?, depth: Int) throws(GiveUp) -> Int {
        skipWhitespace()
        let range = SourceRange(file: path, line: line, column: column)
        if checkpoint.stop(at: range) { throw GiveUp() }
        var id: String?
        var name: String?
        var group: Int?
        var kind: String?
        var index: Int?
        var seen: UInt8 = 0
        let childLevels = level.children
        /// Creates the entity once its id and name are known (before its children, as the decoder does).
        func create(_ me: inout FastJSON) throws(GiveUp) -> Int {
            if let index { return index }
            guard let id, let name, me.ids.insert(id).inserted else { throw GiveUp() }
            let new = me.entities.count
            let position = me.store.count(at: level)
            me.store.reserve(position + 1, at: level)
            me.positions.append(position)
            me.entities.append(
                Entity(id: id, name: name, level: level, parent: parent, group: group, kind: kind, range: range))
            index = new
            return new
        }
        try object(depth: depth) { (me: inout FastJSON, key: String) throws(GiveUp) in
            let bit: UInt8
            switch key {
            case "id": bit = 1
            case "name": bit = 2
            case "facts": bit = 4
            case "group" where !level.groups.isEmpty: bit = 8
            case "kind" where !level.kinds.isEmpty: bit = 64
            case _ where childLevels.first?.pluralName == key: bit = 16
            case _ where childLevels.count > 1 && childLevels[1].pluralName == key: bit = 32
            default: throw GiveUp()
            }
            guard seen & bit == 0 else { throw GiveUp() }
            seen |= bit
            me.skipWhitespace()
            switch bit {
            case 1, 2:
                guard let (text, _) = try me.scalar(), !text.isEmpty else { throw GiveUp() }
                // An id with an invisible character is reported by the decoder.
                if bit == 1, IDCharacters.problem(text, key: "id", at: range) != nil { throw GiveUp() }
                if bit == 1 { id = text } else { name = text }
            case 8:
                if let (text, style) = try me.scalar() {
                    guard style == .plain, let value = level.group(text) else { throw GiveUp() }
                    group = value
                    if let index { me.entities[index].group = group }
                }
            case 64:
                guard let (text, _) = try me.scalar(), let value = level.kind(text) else { throw GiveUp() }
                kind = value
                if let index { me.entities[index].kind = value }
            case 4:
                // The facts go straight to the store, so the entity is made now (its id and name first).
                let at = me.positions[try create(&me)]
                if try me.skipNull() { return }
                try me.facts(level: level, position: at, depth: depth + 1)
            default:
                let me0 = try create(&me)
                if try me.skipNull() { return }
                let childLevel = childLevels[bit == 16 ? 0 : 1]
                guard depth + 1 <= me.limits.maxDataNesting - 2 else { throw GiveUp() }
                try me.expect(UInt8(ascii: "["))
                me.skipWhitespace()
                if me.current == UInt8(ascii: "]") {
                    me.advance()
                    return
                }
                while true {
                    let child = try me.entity(level: childLevel, parent: me0, depth: depth + 2)
                    me.entities[me0].children.append(child)
                    me.skipWhitespace()
                    switch me.current {
                    case UInt8(ascii: ",")?: me.advance()
                    case UInt8(ascii: "]")?:
                        me.advance()
                        return
                    default: throw GiveUp()
                    }
                }
            }
        }
        guard level.kinds.isEmpty || kind != nil else { throw GiveUp() }
        return try create(&self)
    }

    /// Reads `facts` into the store at the entity's position; gives up on an undeclared or misplaced
    /// name, a duplicate, a value that is a list or a mapping, or one its type refuses.
    mutating func facts(level: Level, position: Int, depth: Int) throws(GiveUp) {
        var years: [Int] = []
        try object(depth: depth) { (me: inout FastJSON, key: String) throws(GiveUp) in
            guard let year = FactTyping.year(key), !years.contains(year) else { throw GiveUp() }
            years.append(year)
            if try me.skipNull() { return }
            var names: [Int32] = []
            try me.object(depth: depth + 1) { (me: inout FastJSON, name: String) throws(GiveUp) in
                // A fact name is short and interned: its number finds its declaration and columns.
                let slot = me.lastInterned
                guard slot >= 0, !names.contains(slot) else { throw GiveUp() }
                names.append(slot)
                if me.factSlots.count <= Int(slot) {
                    me.factSlots.append(contentsOf: repeatElement(FactSlot(), count: Int(slot) + 1 - me.factSlots.count))
                }
                if !me.factSlots[Int(slot)].looked {
                    me.factSlots[Int(slot)].looked = true
                    me.factSlots[Int(slot)].input = me.inputs[name]
                }
                guard me.factSlots[Int(slot)].input?.level == level else { throw GiveUp() }
                me.skipWhitespace()
                let line = me.line
                let column = me.column
                guard let (text, style) = try me.scalar() else { return }
                let typed = me.factSlots[Int(slot)].input.map { FactTyping.stored(text, written: .document(style), for: $0) }
                guard case .success(let value)? = typed else { throw GiveUp() }
                var id = -1
                for entry in me.factSlots[Int(slot)].columns where entry.year == year { id = entry.column }
                if id < 0 {
                    id = me.store.column(level: level, name: name, year: year)
                    me.factSlots[Int(slot)].columns.append((year, id))
                }
                me.store.set(value, fileID: me.fileID, line: line, column: column, in: id, position: position)
            }
        }
    }
}
