/// An administrative level, from the province down to the hamlet.
public enum Level: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A province (tỉnh).
    case province
    /// A district (huyện), until the 2025 reorganisation.
    case district
    /// A commune (xã).
    case commune
    /// A hamlet or residential area (thôn, bản, tổ dân phố).
    case hamlet

    /// The level directly below, or `nil` for a hamlet.
    public var child: Level? {
        switch self {
        case .province: .district
        case .district: .commune
        case .commune: .hamlet
        case .hamlet: nil
        }
    }

    /// The level directly above, or `nil` for a province.
    public var parent: Level? {
        switch self {
        case .province: nil
        case .district: .province
        case .commune: .district
        case .hamlet: .commune
        }
    }

    /// The name of the collection of children in rules and data (`districts`, `communes`, `hamlets`).
    public var pluralName: String { rawValue == "hamlet" ? "hamlets" : rawValue + "s" }

    /// The Vietnamese name of the level.
    public var vietnamese: String {
        switch self {
        case .province: "tỉnh"
        case .district: "huyện"
        case .commune: "xã"
        case .hamlet: "thôn"
        }
    }

    /// Orders levels from the province (highest) down to the hamlet.
    public static func < (lhs: Level, rhs: Level) -> Bool {
        lhs.depth < rhs.depth
    }

    /// How far below the province the level is: 0 for the province, 3 for a hamlet.
    var depth: Int {
        switch self {
        case .province: 0
        case .district: 1
        case .commune: 2
        case .hamlet: 3
        }
    }
}
