import Foundation

/// A JSON Schema (draft 2020-12) of rule files, for editors with a YAML language server.
///
/// Built from the same key lists the parser checks, so the two cannot drift apart.
package enum RuleSchema {
    /// The schema as pretty-printed JSON text.
    package static func json() -> String {
        let data = (try? JSONSerialization.data(withJSONObject: schema, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return (String(bytes: data, encoding: .utf8) ?? "{}") + "\n"
    }

    static func closed(_ properties: [String: Any], required: [String] = [], description: String? = nil) -> [String: Any] {
        var result: [String: Any] = ["type": "object", "properties": properties, "additionalProperties": false]
        if !required.isEmpty { result["required"] = required }
        if let description { result["description"] = description }
        return result
    }

    static var localized: [String: Any] {
        closed(
        ["vi": ["type": "string", "description": "Vietnamese text (required)"], "en": ["type": "string", "description": "English text"]],
        required: ["vi"])
    }
    static var date: [String: Any] {
        ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "A date, YYYY-MM-DD"]
    }
    static var citation: [String: Any] {
        closed(
        [
            "act": ["type": "string", "description": "The act, e.g. QĐ 318/QĐ-TTg"],
            "part": ["type": "string", "description": "Article, clause or annex"],
            "status": ["enum": ["confirmed", "provisional"]],
            "note": ["type": "string", "description": "What is uncertain (required when provisional)"],
            "quote": ["type": "string", "description": "The clause's wording, verbatim from the act (confirmed only)"],
        ], required: ["act", "status"])
    }
    static var explain: [String: Any] {
        closed(["pass": ["$ref": "#/$defs/localized"], "fail": ["$ref": "#/$defs/localized"], "unknown": ["$ref": "#/$defs/localized"]])
    }
    static var groupKeys: [String: Any] {
        [
        "all": ["type": "array", "items": ["$ref": "#/$defs/condition"], "description": "Every condition must pass"],
        "any": ["type": "array", "items": ["$ref": "#/$defs/condition"], "description": "At least one must pass"],
        "none": ["type": "array", "items": ["$ref": "#/$defs/condition"], "description": "None may pass"],
        "at_least": closed(["count": ["type": "integer", "minimum": 1], "of": ["type": "array", "items": ["$ref": "#/$defs/condition"]]], required: ["count", "of"]),
    ]
    }
    static var condition: [String: Any] {
        closed(
        [
            "id": ["type": "string", "pattern": "^[A-Za-z0-9._-]+$"], "title": ["$ref": "#/$defs/localized"],
            "source": ["$ref": "#/$defs/citation"], "check": ["type": "string", "description": "An expression (CEL syntax) that must be true"],
            "explain": ["$ref": "#/$defs/explain"],
            "in_force": closed(
                ["from": date, "until": date], required: ["from"],
                description: "The clause's own period, inside its criterion version's: outside it the clause is absent from its group"),
        ].merging(groupKeys) { a, _ in a }, required: ["id", "title"])
    }
    /// A percent parameter's value as the parser accepts it: `0%` to `100%`, written with `%`
    /// (`SchemaReader.share` with fractions refused).
    package static let percentValuePattern = "^(100(\\.0+)?|[1-9]?[0-9](\\.[0-9]+)?) ?%$"

    /// One value, or a value per commune group 1, 2 and 3, each matching `value`.
    static func parameterValue(_ value: [String: Any], _ description: String) -> [String: Any] {
        [
            "anyOf": [
                value,
                closed(["1": value, "2": value, "3": value], required: ["1", "2", "3"], description: "A value per commune group 1, 2 and 3"),
            ],
            "description": description,
        ]
    }

    /// The values of a parameter of `type`, typed as the parser checks them.
    static func typedValues(_ type: String, _ value: [String: Any], _ description: String) -> [String: Any] {
        [
            "if": ["properties": ["type": ["const": type]], "required": ["type"]],
            "then": ["properties": ["values": ["additionalProperties": parameterValue(value, description)]]],
        ]
    }

    static var parameter: [String: Any] {
        var result = closed(
        [
            "name": ["type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"], "title": ["$ref": "#/$defs/localized"],
            "type": ["enum": ["percent", "number", "count"]], "source": ["$ref": "#/$defs/citation"],
            "values": ["type": "object", "propertyNames": ["pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"], "description": "date: value in force from that date"],
        ], required: ["name", "title", "type", "values"])
        result["allOf"] = [
            typedValues(
                "percent", ["type": "string", "pattern": percentValuePattern],
                "A percentage written with '%', from 0% to 100% (e.g. 75%); a bare 75 would be 7500%"),
            typedValues("count", ["type": "integer", "minimum": 0], "A whole number of at least 0"),
            typedValues("number", ["type": "number"], "A number, without '%'"),
        ]
        return result
    }
    static var input: [String: Any] {
        closed(
        [
            "name": ["type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"],
            "type": ["enum": ["bool", "count", "number", "percent", "text", "enum"]],
            "values": [
                "type": "array",
                "description": "An enum's values: plain words, or { value, label: { vi, en } } to show a label instead of the word",
                "items": ["oneOf": [
                    ["type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"],
                    closed(
                        ["value": ["type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"], "label": ["$ref": "#/$defs/localized"]],
                        required: ["value", "label"]),
                ]],
            ],
            "level": ["type": "string", "pattern": "^[A-Za-z0-9._-]+$", "description": "A level declared in levels.yaml (province, district, commune, hamlet, unit in the bundled rules)"], "label": ["$ref": "#/$defs/localized"], "unit": ["$ref": "#/$defs/localized"],
            "merge": ["enum": MergeRule.allCases.map(\.rawValue), "description": "How former units' facts combine into a successor's"],
        ], required: ["name", "type", "level", "label"])

    }
    static var schema: [String: Any] {
        let criterion = closed(
            [
                "criteria": ["const": RuleFileParser.formatVersion], "id": ["type": "string", "pattern": "^[A-Za-z0-9._-]+$"], "title": ["$ref": "#/$defs/localized"],
                "level": ["type": "string", "pattern": "^[A-Za-z0-9._-]+$", "description": "A level declared in levels.yaml (province, district, commune, hamlet, unit in the bundled rules)"],
                "in_force": closed(["from": date, "until": date], required: ["from"]),
                "assessment_period": closed(
                    ["from": ["type": "string", "pattern": "^[0-9]{1,2}/[0-9]{1,2}$"], "until": ["type": "string", "pattern": "^[0-9]{1,2}/[0-9]{1,2}$"]],
                    required: ["from", "until"], description: "The assessment year when it is not the calendar year: from day/month of the previous year to the day before"),
                "source": ["$ref": "#/$defs/citation"], "description": ["$ref": "#/$defs/localized"],
                "parameters": ["type": "array", "items": ["$ref": "#/$defs/parameter"]], "explain": ["$ref": "#/$defs/explain"],
            ].merging(groupKeys) { a, _ in a }, required: ["criteria", "id", "title", "level", "in_force", "source"],
            description: "A criterion file")
        let inputsFile = closed(
            ["criteria": ["const": RuleFileParser.formatVersion], "inputs": ["type": "array", "items": ["$ref": "#/$defs/input"]],
             "parameters": ["type": "array", "items": ["$ref": "#/$defs/parameter"]]],
            required: ["criteria", "inputs"], description: "The inputs file")
        let parametersFile = closed(
            ["criteria": ["const": RuleFileParser.formatVersion], "parameters": ["type": "array", "items": ["$ref": "#/$defs/parameter"]]],
            required: ["criteria", "parameters"], description: "A parameters file")
        let word: [String: Any] = ["type": "string", "pattern": "^[A-Za-z0-9._-]+$"]
        let level = closed(
            [
                "name": word, "label": ["$ref": "#/$defs/localized"], "collection": word,
                "parents": ["type": "array", "items": word],
                "kinds": ["type": "array", "items": closed(["value": word, "label": ["$ref": "#/$defs/localized"]], required: ["value", "label"])],
                "groups": ["type": "array", "items": ["type": "integer", "minimum": 1, "maximum": 99]],
                "until": date,
            ], required: ["name", "label"], description: "A level of the map")
        let levelsFile = closed(
            ["criteria": ["const": RuleFileParser.formatVersion], "levels": ["type": "array", "minItems": 1, "items": level]],
            required: ["criteria", "levels"], description: "The map: the levels of the rules folder (levels.yaml)")
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://criteria.example/schema/rule-file-v1.json",
            "title": "Criteria rule file (format 1)",
            "oneOf": [criterion, inputsFile, parametersFile, levelsFile],
            "$defs": [
                "localized": localized, "citation": citation, "explain": explain, "condition": condition,
                "parameter": parameter, "input": input,
            ],
        ]
    }
}
