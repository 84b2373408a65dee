import Foundation

/// Turns one written fact value into a typed `Value` by its input's declaration.
///
/// The YAML/JSON decoder and the CSV reader both call it, so every format accepts exactly the same
/// values. Numbers go through `DecimalText.parse` only. The rules:
/// - bool: `true` or `false` (in CSV in any letter case, since spreadsheets write `TRUE`);
///   `yes`/`no`/`on`/`off`/`y`/`n` are refused with a hint;
/// - count: a whole number of at least 0;
/// - number: an exact decimal;
/// - percent: a decimal from 0 to 1, or a percentage from `0%` to `100%`;
/// - enum: one of the declared values;
/// - text: anything.
///
/// In YAML and JSON a quoted value is text: `"12"` is refused where a count is expected. In CSV,
/// quotes only protect commas and line breaks and carry no type.
struct FactTyping {
    /// How the value was written.
    enum Written: Equatable {
        /// A scalar in a YAML or JSON document, with its style.
        case document(DocumentNode.ScalarStyle)
        /// A CSV cell.
        case csv
    }

    /// Why a value was refused: the message (expected and found) and what to write instead.
    struct Problem: Error, Equatable {
        var message: LocalizedText
        var hint: LocalizedText
    }

    /// The words YAML 1.1 or people use for booleans that Criteria refuses.
    static let booleanLookalikes: Set<String> = ["yes", "no", "on", "off", "y", "n"]

    /// Types `text` for `input`.
    static func value(_ text: String, written: Written, for input: InputDeclaration) -> Result<Value, Problem> {
        let result = typed(text, written: written, for: input)
        guard case .failure(let problem) = result, input.type != .text else { return result }
        // A stray space or tab (common in spreadsheet exports) around a value that is fine without it.
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed != text, !trimmed.isEmpty, case .success = typed(trimmed, written: written, for: input) else { return result }
        let tab = text.contains("\t")
        return .failure(
            Problem(
                message: problem.message,
                hint: .vi(
                    "hãy bỏ \(tab ? "ký tự tab" : "dấu cách") quanh giá trị: viết \(QuotedInput.quote(trimmed))",
                    en: "remove the \(tab ? "tab" : "space") around the value: write \(QuotedInput.quote(trimmed))")))
    }

    /// Types `text` for `input`, as written.
    private static func typed(_ text: String, written: Written, for input: InputDeclaration) -> Result<Value, Problem> {
        let name = input.name
        let found = QuotedInput.quote(text)
        let isText = written == .document(.quoted) || written == .document(.block)
        let foundDescription: LocalizedText = isText ? .vi("văn bản \(found)", en: "the text \(found)") : .same(found)

        func problem(_ expected: LocalizedText, _ hint: LocalizedText, detail: LocalizedText? = nil) -> Result<Value, Problem> {
            let message = LocalizedText.vi(
                "'\(name)' cần \(expected.vi), nhưng gặp \(foundDescription.vi)", en: "'\(name)' expects \(expected.english), found \(foundDescription.english)")
            return .failure(Problem(message: message.appending(detail, separator: ": "), hint: hint))
        }
        let removeQuotes = LocalizedText.vi(
            "hãy bỏ dấu nháy: giá trị trong dấu nháy là văn bản, không phải \(input.type.vietnamese)",
            en: "remove the quotes: a quoted value is text, not a \(input.type.name)")

        switch input.type {
        case .text:
            return .success(.text(text))

        case .enumeration(let values):
            let expected = Self.expected(input.type)
            if values.contains(text) { return .success(.text(text)) }
            let hint = Suggestion.hint(for: text, among: values)
                ?? .vi("hãy viết một trong các giá trị " + values.joined(separator: ", "), en: "write one of " + values.joined(separator: ", "))
            return problem(expected, hint)

        case .bool:
            let expected = Self.expected(.bool)
            let lower = text.lowercased()
            if isText {
                if lower == "true" || lower == "false" { return problem(expected, removeQuotes) }
                return problem(expected, .vi("hãy viết true hoặc false", en: "write true or false"))
            }
            if text == "true" { return .success(.bool(true)) }
            if text == "false" { return .success(.bool(false)) }
            if lower == "true" || lower == "false" {
                if written == .csv { return .success(.bool(lower == "true")) }
                return problem(expected, .vi("hãy viết true hoặc false bằng chữ thường", en: "write true or false, in lower case"))
            }
            if booleanLookalikes.contains(lower) {
                return problem(expected, .vi("hãy viết true hoặc false; không nhận '\(text)' làm giá trị đúng/sai", en: "write true or false; '\(text)' is not accepted as a boolean"))
            }
            if text == "1" || text == "0" { return problem(expected, .vi("hãy viết true hoặc false, không viết 1 hoặc 0", en: "write true or false, not 1 or 0")) }
            return problem(expected, .vi("hãy viết true hoặc false, hoặc bỏ trống dữ kiện nếu chưa biết", en: "write true or false, or leave the fact out if it is unknown"))

        case .count, .number, .percent:
            let expected: LocalizedText
            let allowPercent: Bool
            switch input.type {
            case .count:
                expected = .vi("một số đếm (số nguyên không âm)", en: "a count (a whole number of at least 0)")
                allowPercent = false
            case .percent:
                expected = .vi("một tỷ lệ phần trăm (ví dụ 70% hoặc 0.7)", en: "a percentage (such as 70% or 0.7)")
                allowPercent = true
            default:
                expected = .vi("một số", en: "a number")
                allowPercent = false
            }
            if isText {
                switch DecimalText.parse(text, allowPercent: allowPercent) {
                case .success: return problem(expected, removeQuotes)
                case .failure(.decimalComma):
                    return problem(expected, .vi("hãy viết \(decimalPoint(text)) không có dấu nháy, dùng dấu chấm thập phân, không dùng dấu phẩy", en: "write \(decimalPoint(text)) without quotes, with a decimal point, not a comma"))
                case .failure: return problem(expected, .vi("hãy viết số bằng chữ số, không có dấu nháy", en: "write the number in digits, without quotes"))
                }
            }
            let parsed: Decimal
            switch DecimalText.parse(text, allowPercent: allowPercent) {
            case .success(let value):
                parsed = value
            case .failure(let rejection):
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if trimmed != text, case .success = DecimalText.parse(trimmed, allowPercent: allowPercent) {
                    return problem(expected, .vi("hãy bỏ dấu cách quanh số", en: "remove the spaces around the number"))
                }
                if rejection == .notANumber, booleanLookalikes.contains(text.lowercased()) || ["true", "false"].contains(text.lowercased()) {
                    return problem(expected, .vi("đầu vào này là \(input.type.vietnamese), không phải câu trả lời có/không; hãy viết số", en: "this input is a \(input.type.name), not a yes/no answer; write the number"))
                }
                if rejection == .decimalComma && input.type == .count {
                    // A count has no fraction: the comma is a thousands separator, or the value is wrong.
                    let digits = text.replacingOccurrences(of: ",", with: "")
                    let groups: [Substring] = text.split(separator: ",", omittingEmptySubsequences: false)
                    let thousands = groups.count > 1 && groups.dropFirst().allSatisfy { $0.count == 3 }
                    return problem(
                        expected,
                        thousands
                            ? .vi(
                                "hãy viết số đếm bằng chữ số liền: nếu \(QuotedInput.quote(text)) nghĩa là \(QuotedInput.body(digits)), hãy viết \(QuotedInput.body(digits))",
                                en: "write the count in plain digits: if \(QuotedInput.quote(text)) means \(QuotedInput.body(digits)), write \(QuotedInput.body(digits))")
                            : .vi(
                                "hãy viết số vụ là số nguyên, bằng chữ số (ví dụ 1 hoặc 2): số đếm không có phần thập phân",
                                en: "write the whole number of cases, in digits (such as 1 or 2): a count has no decimal part"),
                        detail: .vi(
                            "số đếm là số nguyên, không có dấu phẩy thập phân hay dấu phân cách hàng nghìn",
                            en: "a count is a whole number, without a decimal comma or a thousands separator"))
                }
                if rejection == .decimalComma {
                    return problem(
                        expected, .vi("hãy viết \(decimalPoint(text)), dùng dấu chấm thập phân, không dùng dấu phẩy", en: "write \(decimalPoint(text)), with a decimal point, not a comma"),
                        detail: rejection.words)
                }
                if rejection == .leadingZero && written == .csv {
                    // In CSV quotes do not make text, so the usual advice to quote a code does not apply.
                    return problem(
                        expected, .vi("hãy viết số không có chữ số 0 ở đầu", en: "write the number without leading zeros"),
                        detail: .vi("số không được bắt đầu bằng chữ số 0", en: "a number may not start with 0"))
                }
                return problem(expected, hint(for: rejection, type: input.type), detail: rejection.words)
            }
            switch input.type {
            case .count:
                if parsed < 0 { return problem(expected, .vi("số đếm không thể âm", en: "a count cannot be negative")) }
                if !isWhole(parsed) {
                    if isThousandsWithDots(text) {
                        let digits = text.replacingOccurrences(of: ".", with: "")
                        return problem(
                            expected,
                            .vi(
                                "nếu \(QuotedInput.quote(text)) nghĩa là \(digits) (dấu chấm phân cách hàng nghìn), hãy viết \(digits)",
                                en: "if \(QuotedInput.quote(text)) means \(digits) (a dot as thousands separator), write \(digits)"))
                    }
                    return problem(expected, .vi("số đếm là số nguyên; hãy viết không có phần lẻ", en: "a count is a whole number; write it without a fractional part"))
                }
            case .percent:
                if parsed < 0 || parsed > 1 {
                    return problem(
                        expected,
                        .vi(
                            "tỷ lệ phần trăm nằm trong khoảng 0% đến 100%; bảy mươi phần trăm viết là 70% hoặc 0.7",
                            en: "a percentage lies between 0% and 100%; write 70% or 0.7 for seventy per cent"))
                }
            default:
                break
            }
            return .success(.number(parsed))
        }
    }

    /// Types `text` for `input` as `value(_:written:for:)` does, for storing in a `FactStore`.
    ///
    /// The values data files are mostly made of — `true`, `false` and whole numbers written as plain
    /// digits — are typed here without building a `Decimal` (parsing one costs about a microsecond);
    /// everything else goes through `value(_:written:for:)`. Both give the same value: `Decimal`s are
    /// normalised, so the whole number 41 is the same decimal whether parsed or converted.
    static func stored(_ text: String, written: Written, for input: InputDeclaration) -> Result<FactStore.Stored, Problem> {
        let isText = written == .document(.quoted) || written == .document(.block)
        if !isText {
            switch input.type {
            case .bool:
                if text == "true" { return .success(.bool(true)) }
                if text == "false" { return .success(.bool(false)) }
            case .count, .number:
                if let n = plainInteger(text) { return .success(.integer(n)) }
            default:
                break
            }
        }
        return value(text, written: written, for: input).map { .value($0) }
    }

    /// The value of text made of 1 to 18 ASCII digits without a leading zero (or just `0`), else `nil`.
    static func plainInteger(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { plainInteger($0) }
    }

    /// The value of bytes made of 1 to 18 ASCII digits without a leading zero (or just `0`), else `nil`.
    static func plainInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18, bytes[0] != UInt8(ascii: "0") || bytes.count == 1 else { return nil }
        var n: Int64 = 0
        for b in bytes {
            let d = b &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            n = n * 10 + Int64(d)
        }
        return n
    }

    /// Whether text looks like a whole number with dots between groups of three digits (`1.500`, as
    /// Vietnamese spreadsheets write 1500).
    static func isThousandsWithDots(_ text: String) -> Bool {
        let groups = text.split(separator: ".", omittingEmptySubsequences: false)
        guard groups.count >= 2, let first = groups.first, (1...3).contains(first.count) else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isASCIIDigit) } && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    /// A number written with a decimal comma, with a decimal point instead (`1,5` → `1.5`).
    static func decimalPoint(_ text: String) -> String {
        QuotedInput.body(text.replacingOccurrences(of: ",", with: "."))
    }

    /// What to write instead, after a `DecimalText` rejection.
    static func hint(for rejection: DecimalText.Rejection, type: InputType) -> LocalizedText {
        switch rejection {
        case .decimalComma: .vi("hãy viết 1.5, không viết 1,5", en: "write 1.5, not 1,5")
        case .leadingZero: .vi("hãy viết số không có chữ số 0 ở đầu", en: "write the number without leading zeros")
        case .percentNotAllowed: .vi("hãy viết số thông thường, không có '%'", en: "write the plain number, without '%'")
        case .nonFinite, .outOfRange:
            .vi("hãy viết giá trị thực của \(type.vietnamese), hoặc bỏ trống dữ kiện nếu chưa biết", en: "write the actual \(type.name), or leave the fact out if it is unknown")
        case .yamlNumberForm, .notANumber: .vi("hãy viết số thập phân thông thường, ví dụ 12", en: "write the number in plain decimal digits, such as 12")
        }
    }

    /// Shared by the document decoder and the CSV reader: the declaration of a fact name for an
    /// entity at `level`, or `nil` after reporting `data.unknown-fact` or `data.wrong-level`.
    static func declaration(
        of name: String, at range: SourceRange, level: Level, inputs: InputCatalog, diagnostics: inout DiagnosticCollector
    ) -> InputDeclaration? {
        guard let input = inputs[name] else {
            // Past the diagnostic limit it is only counted: no suggestion is looked for.
            guard !diagnostics.isFull else {
                diagnostics.drop(1)
                return nil
            }
            let hint =
                Suggestion.hint(for: name, among: inputs.names(at: level))
                ?? Suggestion.hint(for: name, among: inputs.declarations.map(\.name))
                ?? .vi(
                    "các dữ kiện của \(level.vietnamese) là: " + inputs.names(at: level).joined(separator: ", "),
                    en: "a \(level.name)'s facts are: " + inputs.names(at: level).joined(separator: ", "))
            diagnostics.emit(
                Diagnostic(
                    "data.unknown-fact", .error,
                    .vi("\(QuotedInput.quote(name)) không phải là đầu vào đã khai báo", en: "\(QuotedInput.quote(name)) is not a declared input"), at: range,
                    hint: hint))
            return nil
        }
        guard input.level == level else {
            let hint: LocalizedText
            if level < input.level {
                hint = .vi(
                    "hãy ghi dữ kiện này cho từng \(input.level.vietnamese) của \(level.vietnamese) này",
                    en: "give it in the facts of each \(input.level.name) of this \(level.name)")
            } else {
                hint = .vi(
                    "hãy ghi dữ kiện này cho \(input.level.vietnamese) mà \(level.vietnamese) này trực thuộc",
                    en: "give it in the facts of the \(input.level.name) this \(level.name) belongs to")
            }
            diagnostics.emit(
                Diagnostic(
                    "data.wrong-level", .error,
                    .vi(
                        "'\(name)' là dữ kiện cấp \(input.level.vietnamese); không ghi được cho \(level.vietnamese)",
                        en: "'\(name)' is a \(input.level.name) fact; it cannot be given for a \(level.name)"),
                    at: range, hint: hint))
            return nil
        }
        return input
    }

    /// What a type expects, for messages about collections where a value was due.
    static func expected(_ type: InputType) -> LocalizedText {
        switch type {
        case .bool: .vi("true hoặc false", en: "true or false")
        case .count: .vi("một số đếm", en: "a count")
        case .number: .vi("một số", en: "a number")
        case .percent: .vi("một tỷ lệ phần trăm", en: "a percentage")
        case .text: .vi("văn bản", en: "text")
        case .enumeration(let values): .vi("một trong các giá trị " + values.joined(separator: ", "), en: "one of " + values.joined(separator: ", "))
        }
    }

    /// Whether a decimal has no fractional part.
    private static func isWhole(_ value: Decimal) -> Bool {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .plain)
        return rounded == value
    }

    /// The year a facts key or a CSV `year` cell names: exactly four digits, not starting with 0.
    static func year(_ text: String) -> Int? {
        let scalars = text.unicodeScalars
        guard scalars.count == 4, scalars.allSatisfy({ ("0"..."9").contains($0) }), scalars.first != "0" else {
            return nil
        }
        return Int(text)
    }
}


/// Helpers for putting user text into messages.
enum QuotedInput {
    /// The most characters of user text a message repeats.
    static let maxQuoted = 40

    /// User text in single quotes, shortened with `…` past `maxQuoted` characters, so that hostile
    /// input is never echoed in full.
    static func quote(_ text: String) -> String { "'" + body(text) + "'" }

    /// User text shortened with `…` past `maxQuoted` characters, without quotes; an invisible
    /// character shown escaped (`\n`, `\u{1B}`).
    static func body(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var body = ""
        var count = 0
        for scalar in scalars {
            if count == maxQuoted {
                body += "…"
                break
            }
            switch scalar {
            case "\n": body += "\\n"
            case "\r": body += "\\r"
            case "\t": body += "\\t"
            case _ where DisplayText.invisible(scalar) != nil: body += DisplayText.escaped(scalar)
            default: body.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return body
    }
}
