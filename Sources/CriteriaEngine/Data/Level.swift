/// An administrative level, from the province down to the units of a commune.
///
/// The map has two shapes over time: until 2025-06-30 a province's communes sat under districts;
/// since 2025-07-01 (two-tier local government) a province's communes sit directly under it. A
/// commune may therefore have a district or a province as its parent. Below a commune are its
/// hamlets (the 2021–2025 datasets) and its TT 124 units (`unit`: khu dân cư, cơ quan, doanh
/// nghiệp, cơ sở giáo dục, each with its `kind`).
public enum Level: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A province (tỉnh).
    case province
    /// A district (huyện), until the 2025 reorganisation.
    case district
    /// A commune (xã, phường, đặc khu).
    case commune
    /// A hamlet or residential area (thôn, bản, tổ dân phố).
    case hamlet
    /// A unit under a commune that TT 124/2021/TT-BCA recognises: a residential area, a state body,
    /// an enterprise or a school (`Entity.kind`).
    case unit

    /// The number of levels: a constant, read in the evaluator's inner loops (a stored global would be
    /// initialised lazily and checked on every read). `EntityStructure.init` asserts it.
    @inline(__always) static var count: Int { 5 }

    /// The levels an entity of this level may sit under, nearest first (a commune: a district, or,
    /// in a two-tier province, the province itself).
    public var parents: [Level] {
        switch self {
        case .province: []
        case .district: [.province]
        case .commune: [.district, .province]
        case .hamlet, .unit: [.commune]
        }
    }

    /// The levels whose entities may sit directly under an entity of this level.
    public var children: [Level] {
        switch self {
        case .province: [.district, .commune]
        case .district: [.commune]
        case .commune: [.hamlet, .unit]
        case .hamlet, .unit: []
        }
    }

    /// The usual level directly above, or `nil` for a province (a commune's is the district).
    public var parent: Level? { parents.first }

    /// The name of the collection of entities of this level in rules and data (`communes`, `units`).
    public var pluralName: String { rawValue + "s" }

    /// The Vietnamese name of the level.
    public var vietnamese: String {
        switch self {
        case .province: "tỉnh"
        case .district: "huyện"
        case .commune: "xã"
        case .hamlet: "thôn"
        case .unit: "đơn vị"
        }
    }

    /// Orders levels from the province (highest) down; a hamlet and a unit are at the same depth.
    public static func < (lhs: Level, rhs: Level) -> Bool {
        lhs.depth < rhs.depth
    }

    /// How far below the province the level is: 0 for the province, 3 for a hamlet or a unit.
    var depth: Int {
        switch self {
        case .province: 0
        case .district: 1
        case .commune: 2
        case .hamlet, .unit: 3
        }
    }

    /// Whether entities of `other` can be found below an entity of this level.
    func isAbove(_ other: Level) -> Bool {
        children.contains { $0 == other || $0.isAbove(other) }
    }
}

/// The kinds of TT 124 unit (`Level.unit`): what Art. 5(4) of TT 124/2021/TT-BCA counts under a
/// commune ("khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục").
public enum UnitKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A residential area (khu dân cư: thôn, bản, tổ dân phố).
    case residentialArea = "khu_dan_cu"
    /// A state body or public unit (cơ quan).
    case agency = "co_quan"
    /// An enterprise (doanh nghiệp).
    case enterprise = "doanh_nghiep"
    /// A school (cơ sở giáo dục).
    case school = "co_so_giao_duc"

    /// The values as written in data and rules.
    public static let names = allCases.map(\.rawValue)

    /// The kind in Vietnamese words.
    public var vietnamese: String {
        switch self {
        case .residentialArea: "khu dân cư"
        case .agency: "cơ quan"
        case .enterprise: "doanh nghiệp"
        case .school: "cơ sở giáo dục"
        }
    }
}
