import Foundation

/// The dataset file as plain `Decodable` structs, for Foundation's `JSONDecoder`: the yardstick for the
/// engine's JSON reader. It decodes the same file into the same content (numbers as exact `Decimal`s)
/// but checks nothing and keeps no positions, so it does less than the engine's reader.
enum FoundationModel {
    struct Document: Decodable {
        var dataset: Int
        var synthetic: Bool?
        var description: String?
        var province: Entity?
        var district: Entity?
        var commune: Entity?
    }

    struct Entity: Decodable {
        var id: String
        var name: String
        var group: Int?
        var facts: [String: [String: FactValue]]?
        var districts: [Entity]?
        var communes: [Entity]?
        var hamlets: [Entity]?

        /// How many entity-year records it and its descendants hold.
        var records: Int {
            (facts?.count ?? 0) + (districts ?? []).reduce(0) { $0 + $1.records }
                + (communes ?? []).reduce(0) { $0 + $1.records } + (hamlets ?? []).reduce(0) { $0 + $1.records }
        }
    }

    enum FactValue: Decodable {
        case bool(Bool)
        case number(Decimal)
        case text(String)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let b = try? container.decode(Bool.self) {
                self = .bool(b)
            } else if let n = try? container.decode(Decimal.self) {
                self = .number(n)
            } else {
                self = .text(try container.decode(String.self))
            }
        }
    }

    static func decode(_ data: Data) throws -> Document {
        try JSONDecoder().decode(Document.self, from: data)
    }
}
