import CriteriaEngine
import Foundation
import Testing

/// One small dataset written in YAML, JSON and CSV decodes to the same entities and facts.
@Suite struct DatasetFormatsTests {
    static let yaml = """
        # Made-up test data.
        dataset: 1
        synthetic: true
        description: A small made-up dataset
        province:
          id: "38"
          name: Tỉnh Thanh Hóa
          districts:
            - id: "380"
              name: Huyện Đông Sơn
              facts:
                2024:
                  district_antt_resolution: true
                  district_antt_plan: true
                  district_mass_complaints: 0
                  social_order_hotspots: 1
                  armed_forces_tasks_completed: true
              communes:
                - id: 01234
                  name: Xã Đông Hòa
                  group: 2
                  facts:
                    2023:
                      social_order_crimes: 38
                    2024:
                      antt_party_resolution: true
                      antt_plan: false
                      social_order_crimes: 41
                      movement_rating: kha
                      serious_crimes: ~
                  hamlets:
                    - id: 01234-1
                      name: Thôn 1
                      facts:
                        2024: { safe_antt: true }
                    - id: 01234-2
                      name: Thôn Đông, xóm 2
                      facts:
                        2024: { safe_antt: false }
                - id: "15902"
                  name: Xã Đông Minh
        """

    static let json = """
        {
          "dataset": 1,
          "synthetic": true,
          "description": "A small made-up dataset",
          "province": {
            "id": "38",
            "name": "Tỉnh Thanh Hóa",
            "districts": [
              {
                "id": "380",
                "name": "Huyện Đông Sơn",
                "facts": {
                  "2024": {
                    "district_antt_resolution": true,
                    "district_antt_plan": true,
                    "district_mass_complaints": 0,
                    "social_order_hotspots": 1,
                    "armed_forces_tasks_completed": true
                  }
                },
                "communes": [
                  {
                    "id": "01234",
                    "name": "Xã Đông Hòa",
                    "group": 2,
                    "facts": {
                      "2023": { "social_order_crimes": 38 },
                      "2024": {
                        "antt_party_resolution": true,
                        "antt_plan": false,
                        "social_order_crimes": 41,
                        "movement_rating": "kha",
                        "serious_crimes": null
                      }
                    },
                    "hamlets": [
                      { "id": "01234-1", "name": "Thôn 1", "facts": { "2024": { "safe_antt": true } } },
                      { "id": "01234-2", "name": "Thôn Đông, xóm 2", "facts": { "2024": { "safe_antt": false } } }
                    ]
                  },
                  { "id": "15902", "name": "Xã Đông Minh" }
                ]
              }
            ]
          }
        }
        """

    static let csv: [Level: String] = [
        .province: "id,name,year\n38,Tỉnh Thanh Hóa,\n",
        .district: """
            id,name,province_id,year,district_antt_resolution,district_antt_plan,district_mass_complaints,social_order_hotspots,armed_forces_tasks_completed
            380,Huyện Đông Sơn,38,2024,TRUE,true,0,1,True

            """,
        .commune: """
            id,name,district_id,year,group,antt_party_resolution,antt_plan,social_order_crimes,movement_rating,serious_crimes
            01234,Xã Đông Hòa,380,2023,2,,,38,,
            01234,Xã Đông Hòa,380,2024,2,true,false,"41",kha,
            15902,Xã Đông Minh,380,,,,,,,

            """,
        .hamlet: "\u{FEFF}id,name,commune_id,year,safe_antt\r\n01234-1,Thôn 1,01234,2024,true\r\n01234-2,\"Thôn Đông, xóm 2\",01234,2024,FALSE\r\n",
    ]

    static let metadata = "dataset,synthetic,description\n1,true,A small made-up dataset\n"

    @Test func sameContentInEveryFormat() throws {
        let fromYAML = try Load.yaml(Self.yaml)
        let fromJSON = try Load.json(Self.json)
        let fromCSV = try Load.csv(Self.csv, metadata: Self.metadata)
        #expect(content(fromYAML) == content(fromJSON))
        #expect(content(fromYAML) == content(fromCSV))
        #expect(fromYAML.synthetic && fromJSON.synthetic && fromCSV.synthetic)
    }

    @Test func entitiesLevelsAndLinks() throws {
        let data = try Load.yaml(Self.yaml)
        #expect(data.entities.map(\.id) == ["38", "380", "01234", "01234-1", "01234-2", "15902"])
        #expect(data.entities.map(\.level) == [.province, .district, .commune, .hamlet, .hamlet, .commune])
        #expect(data.entities.map(\.parent) == [nil, 0, 1, 2, 2, 1])
        #expect(data.entities[1].children == [2, 5])
        #expect(data.children(of: 2, at: .hamlet) == [3, 4])
        #expect(data.entities[2].group == 2)
        #expect(data.entities[4].name == "Thôn Đông, xóm 2")
        #expect(data.source == "data.yaml")
    }

    @Test func factsAreTypedAndNullIsUnknown() throws {
        let data = try Load.yaml(Self.yaml)
        let commune = try #require(data.index(of: "01234"))
        let entity = data.entities[commune]
        #expect(entity.fact("social_order_crimes", year: 2024)?.value == .number(41))
        #expect(entity.fact("social_order_crimes", year: 2023)?.value == .number(38))
        #expect(entity.fact("antt_plan", year: 2024)?.value == .bool(false))
        #expect(entity.fact("movement_rating", year: 2024)?.value == .text("kha"))
        #expect(entity.fact("serious_crimes", year: 2024) == nil)  // explicit null: unknown
        #expect(entity.fact("prolonged_mass_complaints", year: 2024) == nil)  // absent: unknown
        #expect(entity.facts[2023]?.count == 1)
        #expect(data.entities[data.index(of: "15902") ?? 0].facts.isEmpty)
        let fact = try #require(entity.fact("social_order_crimes", year: 2024))
        #expect(fact.range == SourceRange(file: "data.yaml", line: 28, column: 36))
    }

    @Test func leadingZeroIDStaysText() throws {
        for data in [try Load.yaml(Self.yaml), try Load.json(Self.json), try Load.csv(Self.csv)] {
            #expect(data.index(of: "01234") != nil)
            #expect(data.index(of: "1234") == nil)
        }
    }

    @Test func singleCommuneDossier() throws {
        let data = try Load.yaml(
            """
            dataset: 1
            commune:
              id: "15901"
              name: Xã Đông Hòa
              facts:
                2025: { antt_plan: true }
              hamlets:
                - { id: "15901-1", name: Thôn 1, facts: { 2025: { safe_antt: true } } }
            """)
        #expect(data.entities.map(\.level) == [.commune, .hamlet])
        #expect(data.entities[0].parent == nil)
        #expect(!data.synthetic)
    }

    @Test func csvWithoutProvinceTable() throws {
        var tables = Self.csv
        tables[.province] = nil
        tables[.district] = tables[.district]?.replacingOccurrences(of: ",province_id", with: "")
            .replacingOccurrences(of: ",38,", with: ",")
        let data = try Load.csv(tables)
        #expect(data.entities.map(\.id) == ["380", "01234", "01234-1", "01234-2", "15902"])
        #expect(data.entities[0].parent == nil)
        #expect(!data.synthetic)
    }
}
