import Foundation

/// The fixed words of rendered reports, in Vietnamese and English, shared by every renderer so that
/// text, Markdown and HTML say the same thing.
enum Words {
    static func dataset(_ l: Language) -> String { l == .vi ? "Dữ liệu" : "Dataset" }
    static func asOf(_ l: Language) -> String { l == .vi ? "Ngày đánh giá" : "As of" }
    static func synthetic(_ l: Language) -> String { l == .vi ? "dữ liệu giả lập" : "synthetic data" }
    static func source(_ l: Language) -> String { l == .vi ? "căn cứ" : "source" }
    static func expression(_ l: Language) -> String { l == .vi ? "biểu thức" : "check" }
    /// The heading over what only a rule's author needs (expressions, names): closed by default in HTML.
    static func technicalDetails(_ l: Language) -> String { l == .vi ? "Chi tiết kỹ thuật" : "Technical details" }
    static func missing(_ l: Language) -> String { l == .vi ? "thiếu" : "missing" }
    static func missingValue(_ l: Language) -> String { l == .vi ? "(thiếu)" : "(missing)" }
    static func toPass(_ l: Language) -> String { l == .vi ? "để đạt" : "to pass" }
    static func id(_ l: Language) -> String { l == .vi ? "Mã" : "Id" }
    static func name(_ l: Language) -> String { l == .vi ? "Tên" : "Name" }
    static func criteria(_ l: Language) -> String { l == .vi ? "Tiêu chí" : "Criteria" }
    static func reasons(_ l: Language) -> String { l == .vi ? "Lý do" : "Reasons" }
    static func level(_ l: Language) -> String { l == .vi ? "Cấp" : "Level" }
    static func checkTitle(_ l: Language) -> String { l == .vi ? "Kết quả đánh giá" : "Verdicts" }
    static func explainTitle(_ l: Language) -> String { l == .vi ? "Giải thích kết quả" : "Explanation" }
    static func reportTitle(_ l: Language) -> String { l == .vi ? "Báo cáo thực hiện mục tiêu" : "Plan targets report" }

    /// A value as the language writes it, the one place values shown to a person are worded: in
    /// Vietnamese a number with a decimal comma (`57,14%`, `1,5`) and a date as dd/MM/yyyy
    /// (`2024-12-31` → `31/12/2024`); in English as computed. Other text (`2025`, an id, an enum
    /// value, a text fact that reads `true`) is unchanged: a truth value is worded by its label
    /// (`label(of:input:)`), which knows it is one. JSON machine fields never go through here.
    static func shown(_ text: String, _ l: Language) -> String {
        guard l == .vi else { return text }
        if text.utf8.count == 10, let date = LocalDate(iso: text), date.description == text { return date.vietnamese }
        var body = Substring(text)
        if body.hasSuffix("%") { body = body.dropLast() }
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return text }
        return text.replacingOccurrences(of: ".", with: ",")
    }

    /// The words of a truth value when its input declares none: có/không, yes/no.
    static let yes = LocalizedText(vi: "có", en: "yes")
    /// See `yes`.
    static let no = LocalizedText(vi: "không", en: "no")

    /// The label a person reads for a value, where it has one: a truth value's (declared by its input
    /// in `inputs.yaml`, có/không and yes/no otherwise), an enum value's when declared. `nil` for
    /// other values, which `shown` words.
    static func label(of value: Value, input: InputDeclaration?) -> LocalizedText? {
        switch value {
        case .bool(let b): input?.valueLabels[b ? "true" : "false"] ?? (b ? yes : no)
        case .text(let word): input?.valueLabels[word]
        default: nil
        }
    }

    /// A value in words: its label (`label(of:input:)`) or its text as `shown` writes it.
    static func shown(_ value: Value, input: InputDeclaration?, _ l: Language) -> String {
        label(of: value, input: input)?.text(in: l) ?? shown(ValueFormatter.format(value, percent: input?.type == .percent), l)
    }

    /// A date as the language writes it: `31/12/2024` in Vietnamese, `2024-12-31` in English.
    static func date(_ date: LocalDate, _ l: Language) -> String { l == .vi ? date.vietnamese : date.description }

    /// The zone times are shown in: Vietnam's, UTC+7 all year (a fixed offset when the system has no
    /// time zone database).
    static let vietnamTime = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600) ?? TimeZone.current

    /// A moment stored as ISO 8601 (`2026-12-07T14:37:13Z`) as a person reads it, in Vietnam's time
    /// with the zone named: `07/12/2026 21:37 (giờ Việt Nam, UTC+7)` / `07/12/2026 21:37 (Vietnam time,
    /// UTC+7)`. Text that is not such a moment is returned as it is.
    static func timestamp(_ iso: String, _ l: Language) -> String {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime]
        guard let date = parser.date(from: iso) else { return iso }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = vietnamTime
        formatter.dateFormat = "dd/MM/yyyy HH:mm"
        return formatter.string(from: date) + (l == .vi ? " (giờ Việt Nam, UTC+7)" : " (Vietnam time, UTC+7)")
    }

    /// A unit after a count: in English singular for exactly 1 (`1 case`, `2 cases`, from the plural
    /// `inputs.yaml` gives); Vietnamese nouns do not change.
    static func unit(_ unit: LocalizedText, count: String?, _ l: Language) -> String {
        let word = unit.text(in: l)
        guard l == .en, count == "1", word.hasSuffix("s"), !word.hasSuffix("ss") else { return word }
        return word.hasSuffix("ies") ? String(word.dropLast(3)) + "y" : String(word.dropLast())
    }

    /// The badge word of a provisional clause, without brackets.
    static func provisional(_ l: Language) -> String { l == .vi ? "tạm thời" : "provisional" }

    /// An administrative level as a word (`xã`, `commune`).
    static func level(_ level: Level, _ l: Language) -> String { l == .vi ? level.vietnamese : level.name }

    /// A section heading for the entities of a level (`Xã`, `Communes`).
    static func levelHeading(_ level: Level, _ l: Language) -> String {
        let word = l == .vi ? level.vietnamese : level.pluralName
        return word.prefix(1).uppercased() + word.dropFirst()
    }

    /// "Tổng cộng 144 kết quả: 70 đạt · …" / "144 verdicts: 70 pass · …".
    static func totals(_ counts: [Outcome: Int], _ l: Language) -> String {
        let total = counts.values.reduce(0, +)
        let parts = Outcome.allCases.map { "\(counts[$0] ?? 0) \($0.text(in: l))" }.joined(separator: " · ")
        return (l == .vi ? "Tổng cộng \(total) kết quả: " : "\(total) verdicts: ") + parts
    }

    /// The closing remark when a shown verdict rests on a provisional clause.
    static func provisionalRemark(_ l: Language, mark: String) -> String {
        l == .vi
            ? "Lưu ý: một số điều kiện dựa trên căn cứ \(mark) — xem `criteria explain`."
            : "Note: some conditions rest on \(mark) sources — see `criteria explain`."
    }

    /// One value an explanation read, in two parts around its name: the label, and what follows
    /// the name (`năm 2024: 41 vụ (detail)`). Text shows `label [name] rest`.
    static func value(_ value: ObservedValue, _ l: Language) -> (label: String, rest: String) {
        let unit = value.unit.map { " " + Self.unit($0, count: value.value, l) } ?? ""
        let shown = value.value.map { (value.valueLabel?.text(in: l) ?? Self.shown($0, l)) + unit } ?? missingValue(l)
        var year = ""
        if let y = value.year { year = l == .vi ? " năm \(y)" : " in \(y)" }
        if let period = value.period { year = l == .vi ? " " + period.vi : " in " + period.text(in: .en) }
        var detail = value.detail.map { " (\($0))" } ?? ""
        if let since = value.since { detail += l == .vi ? " (từ \(Self.shown(since, l)))" : " (since \(since))" }
        if let derivation = value.derivation { detail += " — " + derivation.text(in: l) }
        return (value.label.text(in: l), "\(year): \(shown)\(detail)")
    }
}
