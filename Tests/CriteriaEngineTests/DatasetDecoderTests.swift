import CriteriaEngine
import Foundation
import Testing

/// The YAML/JSON document format: every problem is reported at its line and column, with a hint.
@Suite struct DatasetDecoderTests {
    /// A commune document with one fact line to vary; the fact sits at line 7, its value at column 28
    /// when the fact name is `antt_party_resolution` (the value column moves with the name).
    static func commune(_ factLine: String) -> String {
        """
        dataset: 1
        commune:
          id: "15901"
          name: Xã Đông Hòa
          facts:
            2024:
              \(factLine)
        """
    }

    static func yamlDiagnostics(_ text: String, inputs: InputCatalog = DataDictionary.inputs) -> [Diagnostic] {
        Load.diagnostics { try Load.yaml(text, inputs: inputs) }
    }

    @Test func unknownFactSuggestsTheClosestName() {
        let list = Self.yamlDiagnostics(Self.commune("social_order_crime: 41"))
        expectDiagnostic(
            list, "data.unknown-fact", at: 7, 7, file: "data.yaml", message: "'social_order_crime' is not a declared input",
            hint: "did you mean 'social_order_crimes'?")
    }

    @Test func hamletFactOnACommuneIsTheWrongLevel() {
        let list = Self.yamlDiagnostics(Self.commune("safe_antt: true"))
        expectDiagnostic(
            list, "data.wrong-level", at: 7, 7, message: "'safe_antt' is a hamlet fact; it cannot be given for a commune",
            hint: "each hamlet")
    }

    @Test func districtFactOnACommuneIsTheWrongLevel() {
        let list = Self.yamlDiagnostics(Self.commune("social_order_hotspots: 1"))
        expectDiagnostic(list, "data.wrong-level", at: 7, 7, hint: "the district this commune belongs to")
    }

    @Test func yesForABoolIsRefusedWithAHint() {
        let list = Self.yamlDiagnostics(Self.commune("antt_plan: yes"))
        expectDiagnostic(
            list, "data.wrong-type", at: 7, 18, message: "'antt_plan' expects true or false, found 'yes'",
            hint: "write true or false")
        for word in ["no", "on", "off", "y", "n", "Yes", "NO"] {
            let more = Self.yamlDiagnostics(Self.commune("antt_plan: \(word)"))
            expectDiagnostic(more, "data.wrong-type", at: 7, 18, hint: "write true or false")
        }
    }

    @Test func capitalisedTrueIsRefusedInYAML() {
        let list = Self.yamlDiagnostics(Self.commune("antt_plan: True"))
        expectDiagnostic(list, "data.wrong-type", at: 7, 18, hint: "in lower case")
    }

    @Test func quotedNumberForACountIsRefused() {
        let list = Self.yamlDiagnostics(Self.commune("social_order_crimes: \"12\""))
        expectDiagnostic(
            list, "data.wrong-type", at: 7, 28, message: "expects a count (a whole number of at least 0), found the text '12'",
            hint: "remove the quotes")
        let bool = Self.yamlDiagnostics(Self.commune("antt_plan: 'true'"))
        expectDiagnostic(bool, "data.wrong-type", at: 7, 18, hint: "remove the quotes")
    }

    @Test func decimalCommaGetsDecimalTextsExplanation() {
        let list = Self.yamlDiagnostics(
            Self.commune("budget_million_vnd: 1,5"), inputs: DataDictionary.extended)
        expectDiagnostic(
            list, "data.wrong-type", at: 7, 27,
            message: "found '1,5': " + DecimalText.Rejection.decimalComma.explanation, hint: "write 1.5")
    }

    @Test func countsAreWholeAndNotNegative() {
        let fraction = Self.yamlDiagnostics(Self.commune("serious_crimes: 1.5"))
        expectDiagnostic(fraction, "data.wrong-type", at: 7, 23, hint: "whole number")
        let negative = Self.yamlDiagnostics(Self.commune("serious_crimes: -1"))
        expectDiagnostic(negative, "data.wrong-type", at: 7, 23, hint: "cannot be negative")
        let octal = Self.yamlDiagnostics(Self.commune("serious_crimes: 010"))
        expectDiagnostic(octal, "data.wrong-type", at: 7, 23, message: DecimalText.Rejection.leadingZero.explanation)
        let hex = Self.yamlDiagnostics(Self.commune("serious_crimes: 0x1F"))
        expectDiagnostic(hex, "data.wrong-type", at: 7, 23, message: DecimalText.Rejection.yamlNumberForm.explanation)
        let nan = Self.yamlDiagnostics(Self.commune("serious_crimes: .nan"))
        expectDiagnostic(nan, "data.wrong-type", at: 7, 23, message: DecimalText.Rejection.nonFinite.explanation)
        let huge = Self.yamlDiagnostics(Self.commune("serious_crimes: 1180591620717411303424118059162071741130342"))
        expectDiagnostic(huge, "data.wrong-type", at: 7, 23, message: DecimalText.Rejection.outOfRange.explanation)
    }

    @Test func enumValueSuggestsTheClosest() {
        let list = Self.yamlDiagnostics(Self.commune("movement_rating: xuat_sac_"))
        expectDiagnostic(
            list, "data.wrong-type", at: 7, 24, message: "expects one of xuat_sac, kha, trung_binh, yeu",
            hint: "did you mean 'xuat_sac'?")
    }

    @Test func percentNumberAndTextTypes() throws {
        let text = """
            dataset: 1
            commune:
              id: "15901"
              name: Xã Đông Hòa
              facts:
                2024: { budget_million_vnd: 1250.75, safe_share_reported: 70%, notes: "Đã kiểm tra" }
                2025: { safe_share_reported: 0.85, notes: 12 }
            """
        let data = try Load.yaml(text, inputs: DataDictionary.extended)
        let commune = data.entities[0]
        #expect(commune.fact("budget_million_vnd", year: 2024)?.value == .number(Decimal(string: "1250.75") ?? 0))
        #expect(commune.fact("safe_share_reported", year: 2024)?.value == .number(Decimal(string: "0.7") ?? 0))
        #expect(commune.fact("safe_share_reported", year: 2025)?.value == .number(Decimal(string: "0.85") ?? 0))
        #expect(commune.fact("notes", year: 2024)?.value == .text("Đã kiểm tra"))
        #expect(commune.fact("notes", year: 2025)?.value == .text("12"))

        let over = Self.yamlDiagnostics(Self.commune("safe_share_reported: 70"), inputs: DataDictionary.extended)
        expectDiagnostic(over, "data.wrong-type", at: 7, 28, hint: "write 70% or 0.7")
        let percentNumber = Self.yamlDiagnostics(Self.commune("budget_million_vnd: 5%"), inputs: DataDictionary.extended)
        expectDiagnostic(
            percentNumber, "data.wrong-type", at: 7, 27, message: DecimalText.Rejection.percentNotAllowed.explanation)
    }

    @Test func aListWhereAValueIsDue() {
        let list = Self.yamlDiagnostics(Self.commune("serious_crimes: [1, 2]"))
        expectDiagnostic(list, "data.wrong-type", at: 7, 23, message: "'serious_crimes' expects a count, found a list")
    }

    @Test func invalidYear() {
        let text = """
            dataset: 1
            commune:
              id: "15901"
              name: Xã Đông Hòa
              facts:
                24: { antt_plan: true }
                antt_plan: true
                0999: { antt_plan: true }
            """
        let list = Self.yamlDiagnostics(text)
        expectDiagnostic(list, "data.invalid-year", at: 6, 5, message: "expected a 4-digit year such as 2024 under 'facts', found '24'")
        expectDiagnostic(list, "data.invalid-year", at: 7, 5, hint: "facts: { 2024: { antt_plan: … } }")
        expectDiagnostic(list, "data.invalid-year", at: 8, 5)
    }

    @Test func unknownKeysWithSuggestions() {
        let text = """
            dataset: 1
            synthetik: true
            province:
              id: "38"
              nme: Tỉnh Thanh Hóa
              hamlets: []
              districts:
                - id: "380"
                  name: Huyện Đông Sơn
                  group: 1
                  antt_plan: true
            """
        let list = Self.yamlDiagnostics(text)
        expectDiagnostic(list, "data.unknown-key", at: 2, 1, hint: "did you mean 'synthetic'?")
        expectDiagnostic(list, "data.unknown-key", at: 5, 3, hint: "did you mean 'name'?")
        expectDiagnostic(list, "data.unknown-key", at: 6, 3, message: "'hamlets' cannot be listed under a province")
        expectDiagnostic(list, "data.unknown-key", at: 10, 7, message: "'group' is allowed only on a commune")
        expectDiagnostic(list, "data.unknown-key", at: 11, 7, hint: "put it under 'facts'")
        expectDiagnostic(list, "data.missing-key", at: 4, 3, message: "the province has no 'name'")
    }

    @Test func missingIDAndName() {
        let text = """
            dataset: 1
            district:
              id: "380"
              name: Huyện Đông Sơn
              communes:
                - name: Xã Đông Hòa
                - id: "15902"
                - id: ""
                  name: Xã Đông Ninh
            """
        let list = Self.yamlDiagnostics(text)
        expectDiagnostic(list, "data.missing-key", at: 6, 7, message: "the commune has no 'id'")
        expectDiagnostic(list, "data.missing-key", at: 7, 7, message: "the commune has no 'name'")
        expectDiagnostic(list, "data.missing-key", at: 8, 11, message: "the commune's 'id' is empty")
        #expect(list.count == 3)
    }

    @Test func duplicateIDPointsAtTheSecondWithANoteAtTheFirst() throws {
        let text = """
            dataset: 1
            district:
              id: "380"
              name: Huyện Đông Sơn
              communes:
                - id: "15901"
                  name: Xã Đông Hòa
                  hamlets:
                    - { id: "380", name: Thôn 1 }
                - id: "15901"
                  name: Xã Đông Minh
            """
        let list = Self.yamlDiagnostics(text)
        expectDiagnostic(list, "data.duplicate-id", at: 9, 17, message: "duplicate id '380' (first used at 3:7)")
        let second = expectDiagnostic(list, "data.duplicate-id", at: 10, 11, message: "duplicate id '15901'")
        #expect(second?.notes.first?.range == SourceRange(file: "data.yaml", line: 6, column: 11))
    }

    @Test func versionAndRoots() {
        let missing = Self.yamlDiagnostics("commune: { id: \"1\", name: X }")
        expectDiagnostic(missing, "data.missing-key", at: 1, 1, hint: "start the file with 'dataset: 1'")
        let wrong = Self.yamlDiagnostics("dataset: 2\ncommune: { id: \"1\", name: X }")
        expectDiagnostic(wrong, "data.unsupported-version", at: 1, 10, message: "expected format version 1, found '2'")
        let quoted = Self.yamlDiagnostics("dataset: \"1\"\ncommune: { id: \"1\", name: X }")
        expectDiagnostic(quoted, "data.unsupported-version", at: 1, 10)
        let none = Self.yamlDiagnostics("dataset: 1\nsynthetic: true\n")
        expectDiagnostic(none, "data.missing-key", at: 1, 1, message: "the dataset names no entity")
        let two = Self.yamlDiagnostics(
            "dataset: 1\ndistrict: { id: \"1\", name: X }\ncommune: { id: \"2\", name: Y }")
        expectDiagnostic(two, "data.multiple-roots", at: 3, 1)
        let plural = Self.yamlDiagnostics("dataset: 1\ndistricts: []")
        expectDiagnostic(plural, "data.unknown-key", at: 2, 1, hint: "the top level names one entity: 'province', 'district', 'commune'")
        let notMapping = Self.yamlDiagnostics("- 1\n- 2")
        expectDiagnostic(notMapping, "data.wrong-type", at: 1, 1, message: "found a list")
        let badSynthetic = Self.yamlDiagnostics("dataset: 1\nsynthetic: yes\ncommune: { id: \"1\", name: X }")
        expectDiagnostic(badSynthetic, "data.wrong-type", at: 2, 12, hint: "write true or false")
    }

    @Test func groupIsOneTwoOrThree() {
        let text = """
            dataset: 1
            district:
              id: "380"
              name: Huyện Đông Sơn
              communes:
                - { id: "1", name: A, group: 4 }
                - { id: "2", name: B, group: "2" }
                - { id: "3", name: C, group: 3 }
            """
        let list = Self.yamlDiagnostics(text)
        expectDiagnostic(list, "data.wrong-type", at: 6, 34, message: "'group' expects 1, 2 or 3, found '4'")
        expectDiagnostic(list, "data.wrong-type", at: 7, 34, hint: "remove the quotes")
        #expect(list.count == 2)
    }

    @Test func childrenMustBeAList() {
        let text = """
            dataset: 1
            district:
              id: "380"
              name: Huyện Đông Sơn
              communes:
                "15901": { name: Xã Đông Hòa }
            """
        let list = Self.yamlDiagnostics(text)
        expectDiagnostic(list, "data.wrong-type", at: 6, 5, message: "'communes' expects a list of communes, found a mapping")
    }

    @Test func everyProblemIsCollected() {
        let text = """
            dataset: 1
            commune:
              id: "15901"
              name: Xã Đông Hòa
              facts:
                2024:
                  antt_plan: yes
                  social_order_crime: 3
                  serious_crimes: "0"
                  safe_antt: true
            """
        let list = Self.yamlDiagnostics(text)
        #expect(list.map(\.id.rawValue) == ["data.wrong-type", "data.unknown-fact", "data.wrong-type", "data.wrong-level"])
        #expect(list.allSatisfy { $0.hint != nil })
    }

    @Test func jsonDocumentsDecodeTheSameWay() {
        let text = """
            {"dataset": 1, "commune": {"id": 1234, "name": "Xã Đông Hòa",
             "facts": {"2024": {"antt_plan": "true", "serious_crimes": 1.0, "movement_rating": "kha"}}}}
            """
        let list = Load.diagnostics { try Load.json(text) }
        expectDiagnostic(list, "data.wrong-type", at: 2, 34, file: "data.json", hint: "remove the quotes")
        #expect(list.count == 1)
        let data = try? Load.json(text.replacingOccurrences(of: "\"true\"", with: "true"))
        #expect(data?.entities.first?.id == "1234")
        #expect(data?.entities.first?.fact("serious_crimes", year: 2024)?.value == .number(1))
    }
}
