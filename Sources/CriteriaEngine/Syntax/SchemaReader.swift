import Foundation

/// Reads typed values out of a `DocumentNode` tree against a schema, collecting every problem.
///
/// Shared by every kind of file Criteria reads (rules, inputs, parameters, tests, plans): unknown
/// keys get a did-you-mean, missing keys say which key and where, and values are typed strictly —
/// only `true`/`false` are booleans, numbers follow `DecimalText`, dates are `YYYY-MM-DD`.
package struct SchemaReader: Sendable {
    /// The problems found so far.
    package var diagnostics: DiagnosticCollector
    /// The prefix of diagnostic ids this reader emits (`rules`, `data`, `tests`, `plan`).
    package let area: String

    /// Creates a reader whose diagnostics are `area.kind`.
    package init(area: String, limits: Limits = .default) {
        self.area = area
        self.diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
    }

    /// The key–value pairs of a mapping, checked against allowed and required keys.
    package struct Fields: Sendable {
        /// The mapping node itself.
        package var node: DocumentNode
        /// The value of each key present.
        package var values: [String: DocumentNode]
        /// The key node of each key present.
        package var keys: [String: DocumentNode]
        /// Unknown keys that look like a misspelling of an allowed key, by the key they resemble
        /// (`meting` under `meeting`). A missing key found here is not reported again as missing.
        package var misspelt: [String: DocumentNode] = [:]

        /// The value of a key, if present.
        package subscript(key: String) -> DocumentNode? { values[key] }
    }

    /// Emits a diagnostic `area.kind`.
    package mutating func error(
        _ kind: String, _ message: LocalizedText, at range: SourceRange?, hint: LocalizedText? = nil, notes: [DiagnosticNote] = [],
        severity: Severity = .error
    ) {
        diagnostics.emit(Diagnostic(DiagnosticID(rawValue: "\(area).\(kind)"), severity, message, at: range, notes: notes, hint: hint))
    }

    /// Reads a mapping with a fixed set of keys. Unknown keys and missing required keys are reported;
    /// the known keys present are returned. Returns `nil` (after reporting) when the node is not a mapping.
    package mutating func fields(
        _ node: DocumentNode, what: LocalizedText, allowed: [String], required: [String] = [], example: String? = nil
    ) -> Fields? {
        guard case .mapping(let pairs) = node.kind else {
            error(
                "wrong-type", .vi("\(what.vi) phải là một bảng các khoá, nhưng ở đây là \(node.kindWords.vi)", en: "\(what.english) must be a mapping of keys, but this is \(node.kindDescription)"), at: node.range,
                hint: example.map { LocalizedText.vi("hãy viết theo dạng \($0)", en: "write it as \($0)") } ?? .vi("hãy viết thành các dòng 'khoá: giá trị' thụt vào bên dưới", en: "write it as 'key: value' lines indented under it"))
            return nil
        }
        var values: [String: DocumentNode] = [:]
        var keys: [String: DocumentNode] = [:]
        var misspelt: [String: DocumentNode] = [:]
        for pair in pairs {
            guard let key = pair.key.scalarText else {
                error("wrong-type", .vi("khoá phải là một tên đơn giản", en: "a key must be a plain name"), at: pair.key.range)
                continue
            }
            if allowed.contains(key) {
                values[key] = pair.value
                keys[key] = pair.key
            } else {
                let suggestion = Suggestion.closest(to: key, among: allowed)
                if let suggestion { misspelt[suggestion] = pair.key }
                error(
                    "unknown-key", .vi("khoá '\(key)' không có trong \(what.vi)", en: "unknown key '\(key)' in \(what.english)"), at: pair.key.range,
                    hint: suggestion.map { Suggestion.guess($0) } ?? .vi("các khoá được dùng: \(allowed.joined(separator: ", "))", en: "allowed keys: \(allowed.joined(separator: ", "))"))
            }
        }
        for key in required where values[key] == nil && misspelt[key] == nil {
            error(
                "missing-key", .vi("\(what.vi) thiếu khoá bắt buộc '\(key)'", en: "\(what.english) is missing the required key '\(key)'"), at: node.range,
                hint: .vi("hãy thêm '\(key):'", en: "add '\(key):'"))
        }
        return Fields(node: node, values: values, keys: keys, misspelt: misspelt)
    }

    /// Reads a scalar as text. Any scalar style is accepted.
    package mutating func text(_ node: DocumentNode, what: LocalizedText) -> String? {
        guard let text = node.scalarText else {
            error("wrong-type", .vi("\(what.vi) phải là văn bản, nhưng ở đây là \(node.kindWords.vi)", en: "\(what.english) must be text, but this is \(node.kindDescription)"), at: node.range)
            return nil
        }
        return text
    }

    /// Reads a name used in expressions: ASCII letters, digits and `_`, starting with a letter or `_`.
    package mutating func identifier(_ node: DocumentNode, what: LocalizedText) -> String? {
        guard let text = text(node, what: what) else { return nil }
        let valid = !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
            && !(text.unicodeScalars.first.map { ("0"..."9").contains($0) } ?? true)
        if !valid {
            error(
                "invalid-name", .vi("'\(text)' không phải là tên hợp lệ cho \(what.vi)", en: "'\(text)' is not a valid name for \(what.english)"), at: node.range,
                hint: .vi("dùng chữ cái ASCII, chữ số và '_', bắt đầu bằng chữ cái (ví dụ social_order_crimes)", en: "use ASCII letters, digits and '_', starting with a letter (e.g. social_order_crimes)"))
            return nil
        }
        return text
    }

    /// Reads an id of a criterion or condition: ASCII letters, digits, `-`, `_` and `.`.
    package mutating func id(_ node: DocumentNode, what: LocalizedText) -> String? {
        guard let text = text(node, what: what) else { return nil }
        let valid = !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
        }
        if !valid {
            error(
                "invalid-id", .vi("'\(text)' không phải là mã hợp lệ cho \(what.vi)", en: "'\(text)' is not a valid id for \(what.english)"), at: node.range,
                hint: .vi("dùng chữ cái ASCII, chữ số, '-', '_' và '.', không có dấu cách hay dấu tiếng Việt (ví dụ thon-an-toan)", en: "use ASCII letters, digits, '-', '_' and '.', without spaces or accents (e.g. thon-an-toan)"))
            return nil
        }
        return text
    }

    /// Reads a boolean: only plain `true` or `false`.
    package mutating func bool(_ node: DocumentNode, what: LocalizedText) -> Bool? {
        if case .scalar(let text, let style) = node.kind, style == .plain {
            switch text {
            case "true": return true
            case "false": return false
            case "yes", "Yes", "YES", "on", "On", "ON", "y", "Y", "True", "TRUE":
                error(
                    "yaml11-boolean", .vi("'\(text)' không phải là giá trị đúng/sai trong Criteria", en: "'\(text)' is not a boolean in Criteria"), at: node.range,
                    hint: .vi("hãy viết 'true'", en: "write 'true'"))
                return nil
            case "no", "No", "NO", "off", "Off", "OFF", "n", "N", "False", "FALSE":
                error(
                    "yaml11-boolean", .vi("'\(text)' không phải là giá trị đúng/sai trong Criteria", en: "'\(text)' is not a boolean in Criteria"), at: node.range,
                    hint: .vi("hãy viết 'false'", en: "write 'false'"))
                return nil
            default: break
            }
        }
        error(
            "wrong-type", .vi("\(what.vi) phải là true hoặc false, nhưng gặp \(describe(node).vi)", en: "\(what.english) must be true or false, but found \(describe(node).english)"), at: node.range,
            hint: .vi("hãy viết true hoặc false, không có dấu nháy", en: "write true or false, without quotes"))
        return nil
    }

    /// Reads a date written `YYYY-MM-DD`.
    package mutating func date(_ node: DocumentNode, what: LocalizedText) -> LocalDate? {
        guard let text = node.scalarText else {
            error("wrong-type", .vi("\(what.vi) phải là một ngày, nhưng ở đây là \(node.kindWords.vi)", en: "\(what.english) must be a date, but this is \(node.kindDescription)"), at: node.range)
            return nil
        }
        guard let date = LocalDate(iso: text) else {
            error(
                "invalid-date", .vi("\(what.vi) '\(text)' không phải là ngày hợp lệ", en: "\(what.english) '\(text)' is not a valid date"), at: node.range,
                hint: .vi("hãy viết ngày theo dạng YYYY-MM-DD, ví dụ 2022-03-08", en: "write the date as YYYY-MM-DD, e.g. 2022-03-08"))
            return nil
        }
        return date
    }

    /// Reads an exact decimal; percentages (`70%`) are accepted when `allowPercent`.
    package mutating func decimal(_ node: DocumentNode, what: LocalizedText, allowPercent: Bool) -> (Decimal, String)? {
        guard case .scalar(let text, let style) = node.kind else {
            error("wrong-type", .vi("\(what.vi) phải là một số, nhưng ở đây là \(node.kindWords.vi)", en: "\(what.english) must be a number, but this is \(node.kindDescription)"), at: node.range)
            return nil
        }
        if style != .plain {
            error(
                "wrong-type", .vi("\(what.vi) phải là một số, nhưng đang là văn bản trong dấu nháy \"\(text)\"", en: "\(what.english) must be a number, but it is quoted text \"\(text)\""), at: node.range,
                hint: .vi("hãy bỏ dấu nháy", en: "remove the quotes"))
            return nil
        }
        switch DecimalText.parse(text, allowPercent: allowPercent) {
        case .success(let value): return (value, text)
        case .failure(let rejection):
            error("invalid-number", .vi("\(what.vi) '\(text)': \(rejection.words.vi)", en: "\(what.english) '\(text)': \(rejection.explanation)"), at: node.range)
            return nil
        }
    }

    /// Reads a share: a percentage from `0%` to `100%` (`70%` is 0.70), or, when `fractionAllowed`,
    /// a plain decimal from 0 to 1 (`0.7`). Shared by plans (fractions allowed) and percent parameters
    /// of rule files (`%` required), so the same mistake gets the same message and hint everywhere.
    package mutating func share(_ node: DocumentNode, what: LocalizedText, fractionAllowed: Bool) -> (Decimal, String)? {
        guard let (value, text) = decimal(node, what: what, allowPercent: true) else { return nil }
        let hasPercent = text.hasSuffix("%")
        if !hasPercent && !fractionAllowed {
            let plain = value >= 0 && value <= 100
            error(
                "invalid-number",
                .vi(
                    "\(what.vi) '\(text)' là tỷ lệ phần trăm, phải viết kèm dấu '%'" + (plain ? "" : ", trong khoảng từ 0% đến 100%"),
                    en: "\(what.english) '\(text)' is a percentage and must be written with '%'" + (plain ? "" : ", from 0% to 100%")),
                at: node.range, hint: plain ? .vi("hãy viết dưới dạng phần trăm, ví dụ '\(text)%'", en: "write it as a percentage, e.g. '\(text)%'") : nil)
            return nil
        }
        guard value >= 0, value <= 1 else {
            error(
                "invalid-number", .vi("\(what.vi) '\(text)' không phải là tỷ lệ từ 0% đến 100%", en: "\(what.english) '\(text)' is not a share from 0% to 100%"), at: node.range,
                hint: hasPercent ? nil : .vi("hãy viết dưới dạng phần trăm, ví dụ '\(text)%'", en: "write it as a percentage, e.g. '\(text)%'"))
            return nil
        }
        return (value, text)
    }

    /// Reads a whole number within a range.
    package mutating func integer(_ node: DocumentNode, what: LocalizedText, in bounds: ClosedRange<Int>) -> Int? {
        guard let (value, text) = decimal(node, what: what, allowPercent: false) else { return nil }
        guard let whole = Int(text), bounds.contains(whole), Decimal(whole) == value else {
            error(
                "invalid-number", .vi("\(what.vi) phải là số nguyên từ \(bounds.lowerBound) đến \(bounds.upperBound), nhưng gặp \(text)", en: "\(what.english) must be a whole number from \(bounds.lowerBound) to \(bounds.upperBound), but found \(text)"),
                at: node.range)
            return nil
        }
        return whole
    }

    /// Reads a value from a fixed list of words, with a did-you-mean.
    package mutating func choice(_ node: DocumentNode, what: LocalizedText, among choices: [String]) -> String? {
        guard let text = text(node, what: what) else { return nil }
        guard choices.contains(text) else {
            error(
                "invalid-value", .vi("\(what.vi) '\(text)' không thuộc các giá trị \(choices.joined(separator: ", "))", en: "\(what.english) '\(text)' is not one of \(choices.joined(separator: ", "))"), at: node.range,
                hint: Suggestion.hint(for: text, among: choices))
            return nil
        }
        return text
    }

    /// Reads `{vi: …, en: …}`; the Vietnamese text is reported missing under `missingID` when absent.
    package mutating func localized(_ node: DocumentNode, what: LocalizedText) -> LocalizedText? {
        if node.scalarText != nil {
            error(
                "wrong-type", .vi("\(what.vi) phải ghi văn bản theo từng ngôn ngữ", en: "\(what.english) must give the text per language"), at: node.range,
                hint: .vi("hãy viết '{ vi: \"…\", en: \"…\" }' hoặc các dòng 'vi:' và 'en:'", en: "write '{ vi: \"…\", en: \"…\" }' or 'vi:' and 'en:' lines"))
            return nil
        }
        guard let f = fields(node, what: what, allowed: ["vi", "en"]) else { return nil }
        let en = f["en"].flatMap { text($0, what: .vi("văn bản tiếng Anh", en: "the English text")) }
        guard let viNode = f["vi"] else {
            error(
                "missing-vi-title", .vi("\(what.vi) chưa có văn bản tiếng Việt", en: "\(what.english) has no Vietnamese text"), at: node.range,
                hint: .vi("hãy thêm 'vi: \"…\"'; tiếng Việt là ngôn ngữ của văn bản pháp luật và là bắt buộc", en: "add 'vi: \"…\"'; Vietnamese is the language of the law and is required"))
            return nil
        }
        guard let vi = text(viNode, what: .vi("văn bản tiếng Việt", en: "the Vietnamese text")) else { return nil }
        return LocalizedText(vi: vi, en: en)
    }

    /// Reads a sequence, reporting any other kind of node.
    package mutating func sequence(_ node: DocumentNode, what: LocalizedText) -> [DocumentNode]? {
        guard case .sequence(let items) = node.kind else {
            error(
                "wrong-type", .vi("\(what.vi) phải là một danh sách, nhưng ở đây là \(node.kindWords.vi)", en: "\(what.english) must be a list, but this is \(node.kindDescription)"), at: node.range,
                hint: .vi("hãy viết mỗi mục trên một dòng, bắt đầu bằng '- '", en: "write each item on its own line starting with '- '"))
            return nil
        }
        return items
    }

    /// Reads a legal citation `{act, part, status, note}`; a provisional one must say what is uncertain.
    package mutating func citation(_ node: DocumentNode) -> Citation? {
        guard
            let f = fields(
                node, what: .vi("căn cứ pháp lý", en: "the source"), allowed: RuleFileParser.citationKeys, required: ["act", "status"],
                example: "'source: { act: \"QĐ 318/QĐ-TTg\", part: \"…\", status: confirmed }'")
        else { return nil }
        let act = f["act"].flatMap { text($0, what: .vi("văn bản", en: "the act")) }
        let part = f["part"].flatMap { text($0, what: .vi("phần được viện dẫn", en: "the part")) }
        // A note is plain text, or `{ vi: …, en: … }` to be shown in the reader's language.
        let note = f["note"].flatMap { node -> LocalizedText? in
            if case .mapping = node.kind { return localized(node, what: .vi("ghi chú", en: "the note")) }
            return text(node, what: .vi("ghi chú", en: "the note")).map { LocalizedText(vi: $0) }
        }
        let quote = f["quote"].flatMap { text($0, what: .vi("trích dẫn nguyên văn", en: "the quoted wording")) }
        let status = f["status"].flatMap { choice($0, what: .vi("trạng thái (status)", en: "status"), among: ["confirmed", "provisional"]) }
            .flatMap(Citation.Status.init(rawValue:))
        guard let act, let status else { return nil }
        if status == .provisional && note == nil {
            error(
                "provisional-without-note", .vi("căn cứ tạm thời phải nói rõ điều gì chưa chắc chắn", en: "a provisional source must say what is uncertain"), at: node.range,
                hint: .vi("hãy thêm 'note: \"…\"' nói rõ điều gì chưa xác nhận được", en: "add 'note: \"…\"' saying what could not be confirmed"))
        }
        if status == .provisional, quote != nil, let q = f["quote"] {
            error(
                "provisional-with-quote", .vi("căn cứ tạm thời không được trích nguyên văn văn bản", en: "a provisional source cannot quote the act's wording"), at: q.range,
                hint: .vi("trích dẫn nghĩa là đã đọc được nguyên văn: hãy viết 'status: confirmed', hoặc bỏ 'quote' và ghi trong 'note' điều đã suy ra", en: "a quote means the wording was read: write 'status: confirmed', or remove 'quote' and say in 'note' what was inferred"))
        }
        return Citation(act: act, part: part, status: status, quote: quote, range: node.range, noteText: note)
    }

    /// A short description of a node for messages: its text, or its kind.
    package func describe(_ node: DocumentNode) -> LocalizedText {
        if case .scalar(let text, let style) = node.kind {
            return style == .plain ? .same("'\(text)'") : .vi("văn bản trong dấu nháy \"\(text)\"", en: "quoted text \"\(text)\"")
        }
        return node.kindWords
    }
}
