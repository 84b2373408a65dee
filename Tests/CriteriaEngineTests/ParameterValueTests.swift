import CriteriaEngine
import Foundation
import Testing

/// Parameter values are checked against the parameter's type, by `criteria lint` and by the JSON
/// Schema an editor uses, and the two agree (issue #17, item 1). The located errors themselves are
/// pinned by the fixtures `invalid-number-percent-parameter.yaml` and `invalid-number-count-parameter.yaml`.
@Suite struct ParameterValueTests {
    /// A parameters file with one value of `type`.
    static func file(type: String, value: String) -> SourceFile {
        SourceFile(
            path: "parameters.yaml",
            text: """
                criteria: 1
                parameters:
                  - name: p
                    title: { vi: Tham số }
                    type: \(type)
                    values:
                      2022-01-01: \(value)

                """)
    }

    /// The diagnostics ids the parser gives for one value.
    static func ids(type: String, value: String) -> [String] {
        RuleFileParser.parse(file(type: type, value: value)).1.map(\.id.rawValue)
    }

    @Test(arguments: ["70%", "0%", "100%", "62.5%", "100.00%", "70 %"])
    func aPercentWithPercentSignIsAccepted(_ value: String) throws {
        let (parsed, diagnostics) = RuleFileParser.parse(Self.file(type: "percent", value: value))
        #expect(diagnostics.isEmpty)
        let value = try #require(parsed?.parameters.first?.values.first?.value)
        guard case .number(let share) = value else {
            Issue.record("\(value) is not a number")
            return
        }
        #expect(share >= 0 && share <= 1)
    }

    @Test(arguments: ["75", "0.75", "1", "150%", "-5%", "100.5%", "1.5", "7500"])
    func aPercentWithoutPercentSignOrOutOfRangeIsRefused(_ value: String) {
        #expect(Self.ids(type: "percent", value: value) == ["rules.invalid-number"])
    }

    @Test func theBareValueGetsThePlanReadersHint() throws {
        let diagnostic = try #require(RuleFileParser.parse(Self.file(type: "percent", value: "75")).1.first)
        #expect(diagnostic.hint == "write it as a percentage, e.g. '75%'")
        #expect(diagnostic.range?.start.line == 7)
        #expect(diagnostic.range?.start.column == 19)
    }

    @Test func aPerGroupValueIsCheckedGroupByGroup() {
        #expect(Self.ids(type: "percent", value: "{ 1: 90%, 2: 80%, 3: 70% }").isEmpty)
        #expect(Self.ids(type: "percent", value: "{ 1: 90, 2: 80%, 3: 170% }") == ["rules.invalid-number", "rules.invalid-number"])
        #expect(Self.ids(type: "count", value: "{ 1: 3, 2: -2, 3: 1 }") == ["rules.invalid-number"])
    }

    @Test func aCountIsWholeAndNotNegative() {
        #expect(Self.ids(type: "count", value: "3").isEmpty)
        #expect(Self.ids(type: "count", value: "0").isEmpty)
        #expect(Self.ids(type: "count", value: "-1") == ["rules.invalid-number"])
        #expect(Self.ids(type: "count", value: "2.5") == ["rules.invalid-number"])
        #expect(Self.ids(type: "count", value: "3%") == ["rules.invalid-number"])
    }

    @Test func aNumberTakesAnyDecimalButNoPercent() {
        #expect(Self.ids(type: "number", value: "-2.5").isEmpty)
        #expect(Self.ids(type: "number", value: "75%") == ["rules.invalid-number"])
    }

    @Test func anEnumParameterIsRefused() {
        #expect(Self.ids(type: "enum", value: "kha") == ["rules.invalid-value"])
    }

    // MARK: The JSON Schema says the same

    /// The schema's rule for the values of a parameter of `type`.
    static func schemaValue(for type: String) throws -> [String: Any] {
        let data = Data(RuleSchema.json().utf8)
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let defs = try #require(schema["$defs"] as? [String: Any])
        let parameter = try #require(defs["parameter"] as? [String: Any])
        let rules = try #require(parameter["allOf"] as? [[String: Any]])
        for rule in rules {
            let condition = rule["if"] as? [String: Any]
            let typeRule = (condition?["properties"] as? [String: Any])?["type"] as? [String: Any]
            guard typeRule?["const"] as? String == type else { continue }
            let then = try #require(rule["then"] as? [String: Any])
            let values = try #require((then["properties"] as? [String: Any])?["values"] as? [String: Any])
            let value = try #require(values["additionalProperties"] as? [String: Any])
            let choices = try #require(value["anyOf"] as? [[String: Any]])
            return try #require(choices.first)
        }
        Issue.record("the schema has no rule for \(type) values")
        return [:]
    }

    /// Every text the parser accepts as a percent value matches the schema's pattern, and every text
    /// it refuses does not (YAML hands the language server `75%` as text, `75` as a number, which the
    /// schema refuses by its type).
    @Test(arguments: ["70%", "0%", "100%", "62.5%", "100.00%", "70 %", "150%", "-5%", "100.5%", "075%", "7.%", "70%%", "1,5%"])
    func theSchemaPatternAgreesWithTheParser(_ value: String) throws {
        let rule = try Self.schemaValue(for: "percent")
        #expect(rule["type"] as? String == "string")
        let pattern = try #require(rule["pattern"] as? String)
        let regex = try NSRegularExpression(pattern: pattern)
        let matches = regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        let accepted = Self.ids(type: "percent", value: value).isEmpty
        #expect(matches == accepted, "\(value): schema \(matches ? "accepts" : "refuses"), lint \(accepted ? "accepts" : "refuses")")
    }

    @Test func theSchemaTypesCountsAndNumbers() throws {
        let count = try Self.schemaValue(for: "count")
        #expect(count["type"] as? String == "integer")
        #expect(count["minimum"] as? Int == 0)
        #expect(try Self.schemaValue(for: "number")["type"] as? String == "number")
    }
}
