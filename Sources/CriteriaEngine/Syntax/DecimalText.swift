import Foundation

/// Strict conversion of text to exact decimals. Never goes through `Double`, never accepts a prefix.
///
/// The grammar is `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, optionally followed by `%` where a percentage is
/// allowed (`70%` is 0.70). Forms YAML or spreadsheets produce by accident (`0x1F`, `0o17`, `1_000`,
/// `1:30`, `1,5`, `010`, `.inf`, `NaN`) are refused with a reason that says what to write.
public enum DecimalText {
    /// The most significant digits a value may have (what `Decimal` holds exactly).
    package static let maxSignificantDigits = 38

    /// Why a text is not a number Criteria accepts.
    public enum Rejection: Error, Sendable, Hashable {
        /// Not a number at all.
        case notANumber
        /// `0x`, `0o`, `0b`, `_` or `:` forms, which YAML 1.1 reads as something else.
        case yamlNumberForm
        /// A decimal comma, as Vietnamese spreadsheets write it.
        case decimalComma
        /// A leading zero, which YAML 1.1 reads as octal; codes must be text.
        case leadingZero
        /// NaN or infinity.
        case nonFinite
        /// More significant digits than `Decimal` holds, or a value too close to zero for it.
        case outOfRange
        /// A percent sign where none is allowed.
        case percentNotAllowed

        /// A sentence saying what is wrong and what to write, in English.
        package var explanation: String { words.english }

        /// A sentence saying what is wrong and what to write, in both languages.
        package var words: LocalizedText {
            switch self {
            case .notANumber: .vi("cần một số, ví dụ 12 hoặc 0.5", en: "expected a number such as 12 or 0.5")
            case .yamlNumberForm: .vi("không nhận số viết theo hệ 16, hệ 8 hay có dấu '_', ':'; hãy viết số thập phân thông thường", en: "hexadecimal, octal, '_' and ':' number forms are not accepted; write the number in plain decimal digits")
            case .decimalComma: .vi("tệp quy tắc và dữ liệu máy đọc không nhận dấu phẩy thập phân; hãy viết dấu chấm (1.5, không viết 1,5)", en: "a decimal comma is not accepted; write a decimal point (1.5, not 1,5)")
            case .leadingZero: .vi("số không được bắt đầu bằng chữ số 0; nếu đây là mã số, hãy đặt trong dấu nháy để giữ nguyên dạng chữ", en: "a number may not start with 0; if this is a code, put it in quotes so it stays text")
            case .nonFinite: .vi("NaN và vô cực không phải là số Criteria chấp nhận", en: "NaN and infinity are not numbers Criteria accepts")
            case .outOfRange: .vi("số có quá \(DecimalText.maxSignificantDigits) chữ số có nghĩa, hoặc quá gần 0 để giữ chính xác", en: "the number has more than \(DecimalText.maxSignificantDigits) significant digits, or is too close to zero to be held exactly")
            case .percentNotAllowed: .vi("ở đây không nhận tỷ lệ phần trăm; hãy viết số thông thường", en: "a percentage is not accepted here; write the plain number")
            }
        }
    }

    /// `value / 100`, or `nil` when the quotient is not a finite non-zero decimal (for a non-zero value).
    static func percentage(_ value: Decimal) -> Decimal? {
        switch ExactArithmetic.divide(value, 100) {
        case .success(let share): share
        case .failure: nil
        }
    }

    /// Parses text as an exact decimal.
    ///
    /// - Parameters:
    ///   - text: the whole text; surrounding spaces are not accepted.
    ///   - allowPercent: whether a trailing `%` (dividing by 100) is accepted.
    /// - Returns: the value, or why it was refused.
    public static func parse(_ text: String, allowPercent: Bool = true) -> Result<Decimal, Rejection> {
        var body = Substring(text)
        var percent = false
        if body.hasSuffix("%") {
            guard allowPercent else { return .failure(.percentNotAllowed) }
            percent = true
            body = body.dropLast()
            if body.hasSuffix(" ") { body = body.dropLast() }
        }
        let lower = body.lowercased()
        let nonFinite = ["nan", ".nan", "-nan", "inf", ".inf", "-.inf", "+.inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"]
        if nonFinite.contains(lower) {
            return .failure(.nonFinite)
        }
        var digits = body
        if digits.hasPrefix("-") { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return .failure(.notANumber) }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let allDigits = parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
        guard parts.count <= 2, allDigits else {
            if lower.hasPrefix("0x") || lower.hasPrefix("0o") || lower.hasPrefix("0b") || body.contains("_")
                || body.contains(":")
            {
                return .failure(.yamlNumberForm)
            }
            let commaParts = digits.split(separator: ",", omittingEmptySubsequences: false)
            if commaParts.count == 2, commaParts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) {
                return .failure(.decimalComma)
            }
            return .failure(.notANumber)
        }
        if parts[0].count > 1 && parts[0].hasPrefix("0") { return .failure(.leadingZero) }
        let significant = (parts[0] + (parts.count == 2 ? parts[1] : "")).drop { $0 == "0" }
        if significant.count > maxSignificantDigits { return .failure(.outOfRange) }
        // The grammar is checked, so `nil` or NaN here can only mean a value `Decimal` cannot hold
        // (such as 0.000…01 with more than 127 zeros).
        guard var value = Decimal(string: String(body), locale: Locale(identifier: "en_US_POSIX")), !value.isNaN else {
            return .failure(.outOfRange)
        }
        if percent {
            // Below 10^-126 there is no room for the division by 100: Foundation gives NaN or 0.
            guard let share = percentage(value) else { return .failure(.outOfRange) }
            value = share
        }
        return .success(value)
    }
}
