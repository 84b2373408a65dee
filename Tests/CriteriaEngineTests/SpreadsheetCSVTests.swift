import CriteriaEngine
import Foundation
import Testing

/// CSV as Excel writes it on a Vietnamese Windows: `;` (or tab) separated, numbers with a decimal
/// comma, and, as plain "CSV", Windows-1258 bytes.
@Suite struct SpreadsheetCSVTests {
    static let districts = "id,name,year\n380,Huyện Đông Sơn,\n"
    static let commaCommunes = """
        id,name,district_id,year,antt_plan,serious_crimes,movement_rating
        15901,"Xã Đông Hòa, cũ",380,2024,true,2,kha
        15902,Xã Đông Minh,380,2024,false,0,

        """

    /// The facts of every commune, for comparing two readings of the same table.
    static func facts(_ dataset: Dataset) -> [String] {
        dataset.entities.filter { $0.level == .commune }.map { entity in
            let values = ["antt_plan", "serious_crimes", "movement_rating"].map { name in
                entity.fact(name, year: 2024).map { "\($0.value)" } ?? "-"
            }
            return ([entity.id, entity.name, entity.parent.map { "\($0)" } ?? "-"] + values).joined(separator: "|")
        }
    }

    @Test func semicolonAndTabTablesReadAsTheCommaTable() throws {
        let expected = Self.facts(try Load.csv([.district: Self.districts, .commune: Self.commaCommunes]))
        #expect(expected.count == 2)
        #expect(expected.first?.contains("Xã Đông Hòa, cũ") == true)
        let semicolon = Self.commaCommunes
            .replacingOccurrences(of: ",", with: ";")
            .replacingOccurrences(of: "Hòa; cũ", with: "Hòa, cũ")
        let tab = semicolon.replacingOccurrences(of: ";", with: "\t")
        for text in [semicolon, tab] {
            #expect(Self.facts(try Load.csv([.district: "id;name;year\n380;Huyện Đông Sơn;\n", .commune: text])) == expected)
        }
    }

    @Test func aSemicolonTableReadsADecimalComma() throws {
        let inputs = InputCatalog(DataDictionary.declarations + [
            DataDictionary.input("patrol_share", .percent, .commune), DataDictionary.input("camera_density", .number, .commune),
        ])
        let table = "id;name;district_id;year;patrol_share;camera_density\n15901;Xã Đông Hòa;380;2024;57,14%;-0,5\n"
        let dataset = try Load.csv([.district: Self.districts, .commune: table], inputs: inputs)
        let commune = try #require(dataset.index(of: "15901"))
        #expect(dataset.entities[commune].fact("patrol_share", year: 2024).map { "\($0.value)" }
            == (try Load.csv([.district: Self.districts, .commune: table.replacingOccurrences(of: ",", with: ".")], inputs: inputs))
                .entities[commune].fact("patrol_share", year: 2024).map { "\($0.value)" })
        #expect(dataset.entities[commune].fact("camera_density", year: 2024) != nil)

        // In a comma table the same cell is two cells: the row is too wide, not silently a number.
        let comma = "id,name,district_id,year,patrol_share\n15901,Xã Đông Hòa,380,2024,57,14%\n"
        let list = Load.diagnostics { try Load.csv([.district: Self.districts, .commune: comma], inputs: inputs) }
        #expect(!list.isEmpty)
    }

    /// "Xã Đông Hòa" as Excel writes it in Windows-1258: `a` + combining tilde, `Đ`, `ô`, `o` + combining grave.
    static let windows1258Name: [UInt8] = [0x58, 0x61, 0xDE, 0x20, 0xD0, 0xF4, 0x6E, 0x67, 0x20, 0x48, 0x6F, 0xCC, 0x61]

    static func folder(communes: [UInt8]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("criteria-cp1258-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(Self.districts.utf8).write(to: URL(fileURLWithPath: folder + "/districts.csv"))
        try Data(communes).write(to: URL(fileURLWithPath: folder + "/communes.csv"))
        return folder
    }

    @Test func aWindows1258TableIsConvertedWithANote() throws {
        let bytes = Array("id;name;district_id;year;serious_crimes\n15901;".utf8) + Self.windows1258Name + Array(";380;2024;0\n".utf8)
        let folder = try Self.folder(communes: bytes)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dataset = try CSVDatasetReader.read(folder: folder, inputs: DataDictionary.inputs)
        let commune = try #require(dataset.index(of: "15901"))
        // Composed, as typed in UTF-8: the same name, not a look-alike.
        #expect(dataset.entities[commune].name == "Xã Đông Hòa")
        #expect(dataset.entities[commune].name.unicodeScalars.count == 11)
        let note = try #require(dataset.notes.first)
        #expect(note.id == "data.converted-encoding")
        #expect(note.severity == .warning)
        #expect(note.message.contains("Windows-1258"))
        #expect(note.range?.file.hasSuffix("communes.csv") == true)

        // A UTF-8 table has no note.
        let plain = try Self.folder(communes: Array("id,name,district_id,year\n15901,Xã Đông Hòa,380,2024\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: plain) }
        #expect(try CSVDatasetReader.read(folder: plain, inputs: DataDictionary.inputs).notes.isEmpty)
    }

    @Test func tcvn3AndUndecodableBytesAreRefusedByName() throws {
        // "Xã Đông Hòa" typed with a TCVN3 (ABC) font: ã is 0xB7, Đ 0xA7, ô 0xAB, ò 0xDF.
        let tcvn3: [UInt8] = [0x58, 0xB7, 0x20, 0xA7, 0xAB, 0x6E, 0x67, 0x20, 0x48, 0xDF, 0x61]
        for (name, expected) in [(tcvn3, "TCVN3"), ([0x58, 0x81, 0x61], "Windows-1258")] {
            let folder = try Self.folder(communes: Array("id,name,district_id,year\n15901,".utf8) + name + Array(",380,2024\n".utf8))
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let list = Load.diagnostics { try CSVDatasetReader.read(folder: folder, inputs: DataDictionary.inputs) }
            let found = try #require(list.first { $0.id == "data.unknown-encoding" })
            #expect(found.message.contains(expected))
            #expect(found.hint?.contains("UTF-8") == true)
        }
    }
}
