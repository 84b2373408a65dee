/// Text from the input made safe to show: on a terminal, in a log, in a Markdown file.
///
/// A name, an id, a test name or a line of a source file may hold characters that a terminal obeys
/// rather than shows: ESC starts a sequence that moves the cursor or erases a row, CR returns to the
/// start of the row so that what follows overwrites it, bidirectional controls reorder what is
/// shown, and zero-width characters make two different texts look the same. Every text renderer
/// passes text from the input through this one helper, which shows each such character escaped,
/// as `\u{1B}`, so that it can be seen and never acts (`Docs/limits.md`, "Text that is shown").
///
/// JSON output does not use it (its encoder escapes control characters, and a JSON consumer needs
/// the real text); HTML and XML escape with `XMLText`, which also neutralises these characters.
package enum DisplayText {
    /// What kind of invisible or acting character a Unicode scalar is.
    package enum Invisible: Sendable, Hashable {
        /// A C0 control (U+0000–001F, tab, line feed and carriage return included), DEL (U+007F) or a C1 control
        /// (U+0080–009F) other than NEL.
        case control
        /// NEL (U+0085), LINE SEPARATOR (U+2028) or PARAGRAPH SEPARATOR (U+2029).
        case lineSeparator
        /// A bidirectional control: U+202A–202E, U+2066–2069, U+200E, U+200F, U+061C.
        case bidirectional
        /// A zero-width character: U+200B–200D, U+2060, U+FEFF.
        case zeroWidth
        /// U+FFFE or U+FFFF, which are not characters.
        case noncharacter

        /// The kind in words, for messages ("a control character").
        package var description: String {
            switch self {
            case .control: "a control character"
            case .lineSeparator: "a Unicode line or paragraph separator"
            case .bidirectional: "a bidirectional control character"
            case .zeroWidth: "a zero-width character"
            case .noncharacter: "a noncharacter"
            }
        }
    }

    /// The kind of a scalar that a terminal would obey or not show, or `nil` for a visible one.
    package static func invisible(_ scalar: Unicode.Scalar) -> Invisible? {
        switch scalar.value {
        case 0x20...0x7E: nil
        case 0x00...0x1F, 0x7F, 0x80...0x84, 0x86...0x9F: .control
        case 0x85, 0x2028, 0x2029: .lineSeparator
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: .bidirectional
        case 0x200B...0x200D, 0x2060, 0xFEFF: .zeroWidth
        case 0xFFFE, 0xFFFF: .noncharacter
        default: nil
        }
    }

    /// A scalar as `U+001B`, for messages.
    package static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// How an invisible scalar is shown: `\u{1B}`, `\u{200B}`.
    package static func escaped(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "\\u{" + (hex.count < 2 ? "0" : "") + hex + "}"
    }

    /// One line of text for display: every invisible character escaped, line breaks and tabs
    /// included, so the text stays on its row (names, ids, test names, file names, messages).
    package static func line(_ text: some StringProtocol) -> String {
        escape(text, keeping: [])
    }

    /// Text of several lines for display: line feeds and tabs kept, every other invisible character
    /// (carriage return included, which would overwrite the row) escaped (whole Markdown documents).
    package static func lines(_ text: some StringProtocol) -> String {
        escape(text, keeping: ["\n", "\t"])
    }

    /// Whether UTF-8 text may hold a scalar that `invisible` reports: a byte below 0x20 or DEL, or
    /// the first byte of a scalar in U+0080–00BF (`C2`), U+0600–063F (`D8`), U+2000–207F (`E2`) or
    /// U+F000–FFFF (`EF`). Other text holds none, whatever its letters (Vietnamese letters start
    /// with `C3`–`C6`, `CC`–`CD` or `E1`), and is cleared without decoding it.
    package static func mayHoldInvisible(_ text: some StringProtocol) -> Bool { mayHoldInvisible(utf8: text.utf8) }

    /// `mayHoldInvisible` for UTF-8 bytes not yet made a string (a CSV cell).
    package static func mayHoldInvisible(utf8 bytes: some Sequence<UInt8>) -> Bool {
        bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 || $0 == 0xEF }
    }

    private static func escape(_ text: some StringProtocol, keeping: Set<Unicode.Scalar>) -> String {
        // Most text has nothing to escape: it is returned as it is, without a copy scalar by scalar.
        guard mayHoldInvisible(text), text.unicodeScalars.contains(where: { invisible($0) != nil && !keeping.contains($0) })
        else { return String(text) }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if invisible(scalar) != nil && !keeping.contains(scalar) {
                out += escaped(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: - Snippets

    /// The most characters (Unicode scalars) of a source line a snippet shows.
    package static let snippetWidth = 160
    /// How many of them come before the column pointed at, when the line is cut.
    package static let snippetLead = 60

    /// A part of a source line: its text and the column of its first character, and whether the line goes on
    /// before or after it.
    package struct LinePart: Sendable, Hashable {
        /// The text of the part, without a line end.
        package var text: String
        /// The 1-based column (in Unicode scalars) of the part's first character in the whole line.
        package var firstColumn: Int
        /// Whether the line has characters before the part.
        package var cutBefore: Bool
        /// Whether the line has characters after the part.
        package var cutAfter: Bool

        /// Creates a part.
        package init(text: String, firstColumn: Int = 1, cutBefore: Bool = false, cutAfter: Bool = false) {
            self.text = text
            self.firstColumn = firstColumn
            self.cutBefore = cutBefore
            self.cutAfter = cutAfter
        }
    }

    /// A snippet's two rows: the line shown around a column, cut to `snippetWidth` characters with `…` on a cut
    /// side and every invisible character escaped (tabs kept, to line up with the caret row), and the caret row
    /// under it, `^~~~` from the column over `width` characters.
    ///
    /// The work is proportional to the part given and the window shown, never to the rest of the line.
    package static func snippet(_ part: LinePart, column: Int, width: Int) -> (line: String, caret: String) {
        let scalars = part.text.unicodeScalars
        // The window, in columns of the whole line.
        let partEnd = part.firstColumn + scalars.count  // exclusive
        let column = min(max(column, part.firstColumn), partEnd)
        var first = max(part.firstColumn, column - snippetLead)
        let last = min(partEnd, first + snippetWidth)  // exclusive
        first = max(part.firstColumn, min(first, last - snippetWidth))
        var line = part.cutBefore || first > part.firstColumn ? "…" : ""
        var caret = line.isEmpty ? "" : " "
        var index = scalars.index(scalars.startIndex, offsetBy: first - part.firstColumn)
        var at = first
        var marked = 0
        let span = max(1, width)
        while at < last {
            let scalar = scalars[index]
            let shown = scalar == "\t" ? "\t" : (invisible(scalar) != nil ? escaped(scalar) : String(scalar))
            line += shown
            let blank = scalar == "\t" ? "\t" : String(repeating: " ", count: shown.unicodeScalars.count)
            if at < column {
                caret += blank
            } else if marked < span {
                caret += (marked == 0 ? "^" : "~") + String(repeating: "~", count: max(0, shown.unicodeScalars.count - 1))
                marked += 1
            }
            at += 1
            index = scalars.index(after: index)
        }
        if marked == 0 { caret += "^" }
        if part.cutAfter || last < partEnd { line += "…" }
        return (line, caret)
    }
}
