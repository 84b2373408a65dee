/// Escaping of text for XML and HTML (content and quoted attribute values), shared by the JUnit
/// report and the HTML pages.
enum XMLText {
    /// The text with `& < > " '` as entities; tabs and line breaks kept; other C0 control characters,
    /// which XML does not allow, replaced by U+FFFD; DEL, C1 controls, bidirectional controls,
    /// zero-width characters and Unicode line separators shown escaped (`\u{202E}`, `DisplayText`), so
    /// that they neither reorder nor hide what a page shows.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else if DisplayText.invisible(scalar) != nil {
                    out += DisplayText.escaped(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
