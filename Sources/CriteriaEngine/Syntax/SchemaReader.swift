import Foundation

/// Reads typed values out of a `DocumentNode` tree against a schema, collecting every problem.
///
/// Shared by every kind of file Criteria reads (rules, inputs, parameters, tests, plans): unknown
/// keys get a did-you-mean, missing keys say which key and where, and values are typed strictly —
/// only `true`/`false` are booleans, numbers follow `DecimalText`, dates are `YYYY-MM-DD`.
public struct SchemaReader: Sendable {
    /// The problems found so far.
    public var diagnostics: DiagnosticCollector
    /// The prefix of diagnostic ids this reader emits (`rules`, `data`, `tests`, `plan`).
    public let area: String

    /// Creates a reader whose diagnostics are `area.kind`.
    public init(area: String, limits: Limits = .default) {
        self.area = area
        self.diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
    }

    /// The key–value pairs of a mapping, checked against allowed and required keys.
    public struct Fields: Sendable {
        /// The mapping node itself.
        public var node: DocumentNode
        /// The value of each key present.
        public var values: [String: DocumentNode]
        /// The key node of each key present.
        public var keys: [String: DocumentNode]
        /// Unknown keys that look like a misspelling of an allowed key, by the key they resemble
        /// (`meting` under `meeting`). A missing key found here is not reported again as missing.
        public var misspelt: [String: DocumentNode] = [:]

        /// The value of a key, if present.
        public subscript(key: String) -> DocumentNode? { values[key] }
    }

    /// Emits a diagnostic `area.kind`.
    public mutating func error(
        _ kind: String, _ message: String, at range: SourceRange?, hint: String? = nil, notes: [DiagnosticNote] = [],
        severity: Severity = .error
    ) {
        diagnostics.emit(Diagnostic(DiagnosticID(rawValue: "\(area).\(kind)"), severity, message, at: range, notes: notes, hint: hint))
    }

    /// Reads a mapping with a fixed set of keys. Unknown keys and missing required keys are reported;
    /// the known keys present are returned. Returns `nil` (after reporting) when the node is not a mapping.
    public mutating func fields(
        _ node: DocumentNode, what: String, allowed: [String], required: [String] = [], example: String? = nil
    ) -> Fields? {
        guard case .mapping(let pairs) = node.kind else {
            error(
                "wrong-type", "\(what) must be a mapping of keys, but this is \(node.kindDescription)", at: node.range,
                hint: example.map { "write it as \($0)" } ?? "write it as 'key: value' lines indented under it")
            return nil
        }
        var values: [String: DocumentNode] = [:]
        var keys: [String: DocumentNode] = [:]
        var misspelt: [String: DocumentNode] = [:]
        for pair in pairs {
            guard let key = pair.key.scalarText else {
                error("wrong-type", "a key must be a plain name", at: pair.key.range)
                continue
            }
            if allowed.contains(key) {
                values[key] = pair.value
                keys[key] = pair.key
            } else {
                let suggestion = Suggestion.closest(to: key, among: allowed)
                if let suggestion { misspelt[suggestion] = pair.key }
                error(
                    "unknown-key", "unknown key '\(key)' in \(what)", at: pair.key.range,
                    hint: suggestion.map { "did you mean '\($0)'?" } ?? "allowed keys: \(allowed.joined(separator: ", "))")
            }
        }
        for key in required where values[key] == nil && misspelt[key] == nil {
            error(
                "missing-key", "\(what) is missing the required key '\(key)'", at: node.range,
                hint: "add '\(key):'")
        }
        return Fields(node: node, values: values, keys: keys, misspelt: misspelt)
    }

    /// Reads a scalar as text. Any scalar style is accepted.
    public mutating func text(_ node: DocumentNode, what: String) -> String? {
        guard let text = node.scalarText else {
            error("wrong-type", "\(what) must be text, but this is \(node.kindDescription)", at: node.range)
            return nil
        }
        return text
    }

    /// Reads a name used in expressions: ASCII letters, digits and `_`, starting with a letter or `_`.
    public mutating func identifier(_ node: DocumentNode, what: String) -> String? {
        guard let text = text(node, what: what) else { return nil }
        let valid = !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
            && !(text.unicodeScalars.first.map { ("0"..."9").contains($0) } ?? true)
        if !valid {
            error(
                "invalid-name", "'\(text)' is not a valid name for \(what)", at: node.range,
                hint: "use ASCII letters, digits and '_', starting with a letter (e.g. social_order_crimes)")
            return nil
        }
        return text
    }

    /// Reads an id of a criterion or condition: ASCII letters, digits, `-`, `_` and `.`.
    public mutating func id(_ node: DocumentNode, what: String) -> String? {
        guard let text = text(node, what: what) else { return nil }
        let valid = !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
        }
        if !valid {
            error(
                "invalid-id", "'\(text)' is not a valid id for \(what)", at: node.range,
                hint: "use ASCII letters, digits, '-', '_' and '.', without spaces or accents (e.g. thon-an-toan)")
            return nil
        }
        return text
    }

    /// Reads a boolean: only plain `true` or `false`.
    public mutating func bool(_ node: DocumentNode, what: String) -> Bool? {
        if case .scalar(let text, let style) = node.kind, style == .plain {
            switch text {
            case "true": return true
            case "false": return false
            case "yes", "Yes", "YES", "on", "On", "ON", "y", "Y", "True", "TRUE":
                error(
                    "yaml11-boolean", "'\(text)' is not a boolean in Criteria", at: node.range,
                    hint: "write 'true'")
                return nil
            case "no", "No", "NO", "off", "Off", "OFF", "n", "N", "False", "FALSE":
                error(
                    "yaml11-boolean", "'\(text)' is not a boolean in Criteria", at: node.range,
                    hint: "write 'false'")
                return nil
            default: break
            }
        }
        error(
            "wrong-type", "\(what) must be true or false, but found \(describe(node))", at: node.range,
            hint: "write true or false, without quotes")
        return nil
    }

    /// Reads a date written `YYYY-MM-DD`.
    public mutating func date(_ node: DocumentNode, what: String) -> LocalDate? {
        guard let text = node.scalarText else {
            error("wrong-type", "\(what) must be a date, but this is \(node.kindDescription)", at: node.range)
            return nil
        }
        guard let date = LocalDate(iso: text) else {
            error(
                "invalid-date", "\(what) '\(text)' is not a valid date", at: node.range,
                hint: "write the date as YYYY-MM-DD, e.g. 2022-03-08")
            return nil
        }
        return date
    }

    /// Reads an exact decimal; percentages (`70%`) are accepted when `allowPercent`.
    public mutating func decimal(_ node: DocumentNode, what: String, allowPercent: Bool) -> (Decimal, String)? {
        guard case .scalar(let text, let style) = node.kind else {
            error("wrong-type", "\(what) must be a number, but this is \(node.kindDescription)", at: node.range)
            return nil
        }
        if style != .plain {
            error(
                "wrong-type", "\(what) must be a number, but it is quoted text \"\(text)\"", at: node.range,
                hint: "remove the quotes")
            return nil
        }
        switch DecimalText.parse(text, allowPercent: allowPercent) {
        case .success(let value): return (value, text)
        case .failure(let rejection):
            error("invalid-number", "\(what) '\(text)': \(rejection.explanation)", at: node.range)
            return nil
        }
    }

    /// Reads a share: a percentage from `0%` to `100%` (`70%` is 0.70), or, when `fractionAllowed`,
    /// a plain decimal from 0 to 1 (`0.7`). Shared by plans (fractions allowed) and percent parameters
    /// of rule files (`%` required), so the same mistake gets the same message and hint everywhere.
    public mutating func share(_ node: DocumentNode, what: String, fractionAllowed: Bool) -> (Decimal, String)? {
        guard let (value, text) = decimal(node, what: what, allowPercent: true) else { return nil }
        let hasPercent = text.hasSuffix("%")
        if !hasPercent && !fractionAllowed {
            let plain = value >= 0 && value <= 100
            error(
                "invalid-number", "\(what) '\(text)' is a percentage and must be written with '%'" + (plain ? "" : ", from 0% to 100%"),
                at: node.range, hint: plain ? "write it as a percentage, e.g. '\(text)%'" : nil)
            return nil
        }
        guard value >= 0, value <= 1 else {
            error(
                "invalid-number", "\(what) '\(text)' is not a share from 0% to 100%", at: node.range,
                hint: hasPercent ? nil : "write it as a percentage, e.g. '\(text)%'")
            return nil
        }
        return (value, text)
    }

    /// Reads a whole number within a range.
    public mutating func integer(_ node: DocumentNode, what: String, in bounds: ClosedRange<Int>) -> Int? {
        guard let (value, text) = decimal(node, what: what, allowPercent: false) else { return nil }
        guard let whole = Int(text), bounds.contains(whole), Decimal(whole) == value else {
            error(
                "invalid-number", "\(what) must be a whole number from \(bounds.lowerBound) to \(bounds.upperBound), but found \(text)",
                at: node.range)
            return nil
        }
        return whole
    }

    /// Reads a value from a fixed list of words, with a did-you-mean.
    public mutating func choice(_ node: DocumentNode, what: String, among choices: [String]) -> String? {
        guard let text = text(node, what: what) else { return nil }
        guard choices.contains(text) else {
            error(
                "invalid-value", "\(what) '\(text)' is not one of \(choices.joined(separator: ", "))", at: node.range,
                hint: Suggestion.hint(for: text, among: choices))
            return nil
        }
        return text
    }

    /// Reads `{vi: …, en: …}`; the Vietnamese text is reported missing under `missingID` when absent.
    public mutating func localized(_ node: DocumentNode, what: String) -> LocalizedText? {
        if node.scalarText != nil {
            error(
                "wrong-type", "\(what) must give the text per language", at: node.range,
                hint: "write '{ vi: \"…\", en: \"…\" }' or 'vi:' and 'en:' lines")
            return nil
        }
        guard let f = fields(node, what: what, allowed: ["vi", "en"]) else { return nil }
        let en = f["en"].flatMap { text($0, what: "the English text") }
        guard let viNode = f["vi"] else {
            error(
                "missing-vi-title", "\(what) has no Vietnamese text", at: node.range,
                hint: "add 'vi: \"…\"'; Vietnamese is the language of the law and is required")
            return nil
        }
        guard let vi = text(viNode, what: "the Vietnamese text") else { return nil }
        return LocalizedText(vi: vi, en: en)
    }

    /// Reads a sequence, reporting any other kind of node.
    public mutating func sequence(_ node: DocumentNode, what: String) -> [DocumentNode]? {
        guard case .sequence(let items) = node.kind else {
            error(
                "wrong-type", "\(what) must be a list, but this is \(node.kindDescription)", at: node.range,
                hint: "write each item on its own line starting with '- '")
            return nil
        }
        return items
    }

    /// Reads a legal citation `{act, part, status, note}`; a provisional one must say what is uncertain.
    public mutating func citation(_ node: DocumentNode) -> Citation? {
        guard
            let f = fields(
                node, what: "the source", allowed: RuleFileParser.citationKeys, required: ["act", "status"],
                example: "'source: { act: \"QĐ 318/QĐ-TTg\", part: \"…\", status: confirmed }'")
        else { return nil }
        let act = f["act"].flatMap { text($0, what: "the act") }
        let part = f["part"].flatMap { text($0, what: "the part") }
        let note = f["note"].flatMap { text($0, what: "the note") }
        let quote = f["quote"].flatMap { text($0, what: "the quoted wording") }
        let status = f["status"].flatMap { choice($0, what: "status", among: ["confirmed", "provisional"]) }
            .flatMap(Citation.Status.init(rawValue:))
        guard let act, let status else { return nil }
        if status == .provisional && note == nil {
            error(
                "provisional-without-note", "a provisional source must say what is uncertain", at: node.range,
                hint: "add 'note: \"…\"' saying what could not be confirmed")
        }
        if status == .provisional, quote != nil, let q = f["quote"] {
            error(
                "provisional-with-quote", "a provisional source cannot quote the act's wording", at: q.range,
                hint: "a quote means the wording was read: write 'status: confirmed', or remove 'quote' and say in 'note' what was inferred")
        }
        return Citation(act: act, part: part, status: status, note: note, quote: quote, range: node.range)
    }

    /// A short description of a node for messages: its text, or its kind.
    public func describe(_ node: DocumentNode) -> String {
        if case .scalar(let text, let style) = node.kind {
            return style == .plain ? "'\(text)'" : "quoted text \"\(text)\""
        }
        return node.kindDescription
    }
}
