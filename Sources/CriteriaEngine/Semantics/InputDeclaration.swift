/// The type of an input fact, as declared in `Rules/inputs.yaml`.
public enum InputType: Sendable, Hashable {
    /// `true` or `false`.
    case bool
    /// A whole number of at least 0 (cases, models, officers).
    case count
    /// Any exact decimal.
    case number
    /// A share between 0 and 1, written `70%` or `0.7`.
    case percent
    /// Free text.
    case text
    /// One of a fixed list of values, such as `xuat_sac`, `kha`, `trung_binh`, `yeu`.
    case enumeration([String])

    /// The name used in `inputs.yaml` and in messages.
    public var name: String {
        switch self {
        case .bool: "bool"
        case .count: "count"
        case .number: "number"
        case .percent: "percent"
        case .text: "text"
        case .enumeration: "enum"
        }
    }

    /// The type in Vietnamese words, for messages ("số đếm", "giá trị đúng/sai").
    public var vietnamese: String {
        switch self {
        case .bool: "giá trị đúng/sai"
        case .count: "số đếm"
        case .number: "số"
        case .percent: "tỷ lệ phần trăm"
        case .text: "văn bản"
        case .enumeration: "giá trị liệt kê"
        }
    }
}

/// How the facts of several former units combine into their successor's fact for a year before a
/// merger or split (`Succession`).
package enum MergeRule: String, Sendable, Hashable, CaseIterable {
    /// Added up (a split gives each part its share): cases, models, officers.
    case sum
    /// True when true for every former unit (Kleene: false if any is false).
    case all
    /// True when true for any former unit (Kleene: true if any is true).
    case any
    /// Not combined: the successor's fact for those years is unknown, with that reason.
    case none

    /// The rule an input of a type has when it declares none: counts add up, booleans must hold for
    /// all; numbers, percentages, text and enumerations are not combined.
    package static func `default`(for type: InputType) -> MergeRule {
        switch type {
        case .count: .sum
        case .bool: .all
        case .number, .percent, .text, .enumeration: .none
        }
    }
}

/// One fact an inspector supplies, declared once for all rules.
public struct InputDeclaration: Sendable, Hashable {
    /// The name used in data and expressions, such as `social_order_crimes`.
    public var name: String {
        get { shared.fields.name }
        set { shared.change { $0.name = newValue } }
    }
    /// Its type.
    public var type: InputType {
        get { shared.fields.type }
        set { shared.change { $0.type = newValue } }
    }
    /// The level of entity that carries it.
    public var level: Level {
        get { shared.fields.level }
        set { shared.change { $0.level = newValue } }
    }
    /// Its label in Vietnamese and English.
    public var label: LocalizedText {
        get { shared.fields.label }
        set { shared.change { $0.label = newValue } }
    }
    /// Its unit (`vụ` / `cases`), when it has one.
    public var unit: LocalizedText? {
        get { shared.fields.unit }
        set { shared.change { $0.unit = newValue } }
    }
    /// How former units' facts combine into a successor's (`MergeRule.default(for:)` unless declared).
    package var merge: MergeRule {
        get { shared.fields.merge }
        set { shared.change { $0.merge = newValue } }
    }
    /// Where it is declared.
    public var range: SourceRange? {
        get { shared.fields.range }
        set { shared.change { $0.range = newValue } }
    }
    /// For an enum, the labels its values declare (`xuat_sac` → "Xuất sắc" / "Excellent"), by value;
    /// a value without a label is shown as written.
    public var valueLabels: [String: LocalizedText] {
        get { shared.fields.valueLabels }
        set { shared.change { $0.valueLabels = newValue } }
    }

    /// What the declaration says.
    private struct Fields: Sendable, Hashable {
        var name: String
        var type: InputType
        var level: Level
        var label: LocalizedText
        var unit: LocalizedText?
        var merge: MergeRule
        var range: SourceRange?
        var valueLabels: [String: LocalizedText]
    }

    /// What the declaration says, shared by its copies: the readers look a declaration up for every
    /// fact of a dataset, and a copy is one reference (`Docs/performance.md`, 2026-12-07).
    private var shared: SharedFields<Fields>

    /// Creates a declaration.
    package init(
        name: String, type: InputType, level: Level, label: LocalizedText, unit: LocalizedText? = nil,
        merge: MergeRule? = nil, range: SourceRange? = nil, valueLabels: [String: LocalizedText] = [:]
    ) {
        shared = SharedFields(
            Fields(
                name: name, type: type, level: level, label: label, unit: unit, merge: merge ?? .default(for: type), range: range,
                valueLabels: valueLabels))
    }
}

/// What a dataset must look like for a rule set: the levels of its map and every declared input.
public struct InputCatalog: Sendable, Hashable {
    /// The declarations in the order they were declared.
    public private(set) var declarations: [InputDeclaration] = []
    private var indexByName: [String: Int] = [:]
    /// The administrative map: the levels a dataset's entities may have, and how they nest.
    package var map: LevelMap

    /// Creates a catalog from declarations on a map; a later declaration of the same name is ignored
    /// (the checker reports it).
    package init(_ declarations: [InputDeclaration] = [], map: LevelMap = .standard) {
        self.map = map
        for declaration in declarations where indexByName[declaration.name] == nil {
            indexByName[declaration.name] = self.declarations.count
            self.declarations.append(declaration)
        }
    }

    /// The declaration of a name, if any.
    public subscript(name: String) -> InputDeclaration? {
        indexByName[name].map { declarations[$0] }
    }

    /// The declared names at one level.
    public func names(at level: Level) -> [String] {
        declarations.filter { $0.level == level }.map(\.name)
    }
}
