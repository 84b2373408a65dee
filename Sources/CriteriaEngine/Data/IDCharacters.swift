/// The one check of the characters of an id read from a dataset, in every format (YAML, JSON, CSV).
///
/// Ids are compared exactly and shown as they are, so an id may not hold a character that cannot be
/// seen or that acts on a terminal: a control character (NUL, ESC, a tab or line break, C1), a
/// bidirectional control, a zero-width character or a Unicode line separator (`DisplayText.invisible`).
/// Otherwise `15100` and `15100` followed by U+200B are two units that look like one. Names may hold
/// such characters; every renderer shows them escaped.
enum IDCharacters {
    /// The diagnostic for an id that holds such a character, or `nil` when the id is clean.
    ///
    /// - Parameters:
    ///   - id: the id as read.
    ///   - key: the key or column it was read from (`id`, `district_id`).
    ///   - range: where the id is.
    ///   - outerTabs: whether a tab among the spaces and tabs at either end is left to another check
    ///     (CSV's `csv.whitespace`, which says to trim it).
    static func problem(_ id: String, key: String, at range: SourceRange, outerTabs: Bool = false) -> Diagnostic? {
        // Most ids (digits, or Vietnamese letters) are cleared by their bytes, without decoding them.
        guard DisplayText.mayHoldInvisible(id) else { return nil }
        let scalars = Array(id.unicodeScalars)
        let blank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        let inner = outerTabs ? (scalars.firstIndex { !blank($0) } ?? scalars.count)..<((scalars.lastIndex { !blank($0) } ?? -1) + 1) : 0..<scalars.count
        for (offset, scalar) in scalars.enumerated() {
            let position = offset + 1
            if scalar == "\t" && !inner.contains(offset) { continue }
            guard let kind = DisplayText.invisible(scalar) else { continue }
            return Diagnostic(
                "data.invisible-character", .error,
                .vi("'\(key)' chứa ký tự vô hình \(DisplayText.codePoint(scalar)) ở ký tự thứ \(position) của \(QuotedInput.quote(id))", en: "'\(key)' holds \(kind.description) (\(DisplayText.codePoint(scalar))) at character \(position) of \(QuotedInput.quote(id))"),
                at: range,
                hint: .vi("hãy xoá ký tự vô hình này: mã được so sánh chính xác từng ký tự, và một ký tự không nhìn thấy sẽ làm hai đơn vị trông như nhau", en: "delete the invisible character: ids are compared exactly, and one that cannot be seen makes two units look the same"))
        }
        return nil
    }
}
