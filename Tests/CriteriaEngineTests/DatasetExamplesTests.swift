import CriteriaEngine
import Foundation
import Testing

/// The sample province in `Examples/thanh-hoa` reads in all three formats, to the same data.
@Suite struct DatasetExamplesTests {
    static let folder = repositoryRoot() + "/Examples/thanh-hoa"

    static func read(_ name: String) throws -> Dataset {
        try DatasetReader.read(path: folder + "/" + name, inputs: DataDictionary.inputs)
    }

    @Test func sampleProvinceIsTheSameInEveryFormat() throws {
        let yaml = try Self.read("province.yaml")
        let json = try Self.read("province.json")
        let csv = try Self.read("csv")
        #expect(content(yaml) == content(json))
        #expect(content(yaml) == content(csv))
        #expect(yaml.synthetic && json.synthetic && csv.synthetic)
    }

    @Test func sampleProvinceHasTheAdvertisedShape() throws {
        let data = try Self.read("province.yaml")
        #expect(data.indices(at: .province).count == 1)
        #expect(data.indices(at: .district).count >= 5)
        #expect(data.indices(at: .commune).count >= 40)
        for commune in data.indices(at: .commune) {
            let units = data.children(of: commune, at: .unit)
            #expect((4...12).contains(units.count), "\(data.entities[commune].name)")
            #expect(units.allSatisfy { data.entities[$0].kind == "khu_dan_cu" })
            #expect(data.entities[commune].id.count == 5)
            #expect(data.entities[commune].facts.keys.sorted() == [2019, 2022, 2023, 2024, 2025])
        }
    }

    @Test func sampleProvinceScenarios() throws {
        let data = try Self.read("province.json")
        func commune(_ name: String) throws -> Entity {
            try #require(data.entities.first { $0.name == name && $0.level == .commune })
        }
        let crimesUp = try commune("Xã Thiệu Long")
        #expect(crimesUp.fact("social_order_crimes", year: 2025)?.value == .number(41))
        #expect(crimesUp.fact("social_order_crimes", year: 2024)?.value == .number(38))
        #expect(try commune("Xã Vạn Thắng").fact("social_order_crimes", year: 2025) == nil)
        let boundary = try commune("Xã Thiệu Vận")
        let index = try #require(data.index(of: boundary.id))
        let safe = data.children(of: index, at: .unit).filter {
            data.entities[$0].fact("antt_recognised", year: 2025)?.value == .bool(true)
        }
        #expect(safe.count == 7 && data.children(of: index, at: .unit).count == 10)
        let hotspot = try #require(data.entities.first { $0.name == "Huyện Hoằng Hóa" })
        #expect(hotspot.fact("social_order_hotspots", year: 2025)?.value == .number(1))
    }
}

/// The complete examples in `Docs/data-format.md` read, and hold the same data in every format.
@Suite struct DatasetDocumentationTests {
    /// The fenced code blocks of the document, each with its language and the line just before it.
    static func blocks() throws -> [(language: String, caption: String, text: String)] {
        let text = try String(contentsOfFile: repositoryRoot() + "/Docs/data-format.md", encoding: .utf8)
        var result: [(String, String, String)] = []
        var language: String?
        var caption = ""
        var previous = ""
        var body: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let open = language {
                if line == "```" {
                    result.append((open, caption, body.joined(separator: "\n") + "\n"))
                    language = nil
                } else {
                    body.append(line)
                }
            } else if line.hasPrefix("```") {
                language = String(line.dropFirst(3))
                caption = previous
                body = []
            }
            previous = String(line)
        }
        return result
    }

    @Test func documentedExamplesAgree() throws {
        let blocks = try Self.blocks()
        let yaml = try #require(blocks.first { $0.language == "yaml" })
        let json = try #require(blocks.first { $0.language == "json" })
        var tables: [Level: String] = [:]
        var metadata: String?
        for block in blocks where block.language == "csv" {
            let name = block.caption.trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            if name == CSVDatasetReader.metadataName {
                metadata = block.text
            } else if let level = CSVDatasetReader.level(ofTable: name, in: .standard) {
                tables[level] = block.text
            }
        }
        #expect(tables.count == 4)
        let fromYAML = try Load.yaml(yaml.text)
        #expect(content(fromYAML) == content(try Load.json(json.text)))
        #expect(content(fromYAML) == content(try Load.csv(tables, metadata: metadata)))
        #expect(content(fromYAML) == content(try Load.yaml(DatasetFormatsTests.yaml)))
    }
}
