/// The fields of a value kept in one immutable box that copies of the value share: a copy is one
/// reference instead of every string and list of the fields, each with its reference count.
///
/// For values that are copied far more often than they change — a clause's citation, copied into
/// every node of every explanation; a check's requirement, copied into its node and the key of its
/// cached sentence; an input's declaration, read for every fact of a dataset (`Docs/performance.md`,
/// 2026-12-07). Changing a field gives the value a box of its own; boxes are never changed in place,
/// so any thread may read one.
struct SharedFields<Fields: Sendable & Hashable>: Sendable, Hashable {
    /// The box.
    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    /// Boxes `fields`.
    init(_ fields: Fields) { box = Box(fields) }

    /// The fields.
    var fields: Fields { box.fields }

    /// Changes the fields: the changed fields get a box of their own.
    mutating func change(_ body: (inout Fields) -> Void) {
        var fields = box.fields
        body(&fields)
        box = Box(fields)
    }

    /// Equal when the fields are (at once when the box is the same).
    static func == (a: Self, b: Self) -> Bool { a.box === b.box || a.box.fields == b.box.fields }

    /// Hashes the fields.
    func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }
}
