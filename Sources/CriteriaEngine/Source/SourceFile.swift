/// The text of one input file, validated as UTF-8, with its lines for snippets and positions.
public struct SourceFile: Sendable, Hashable {
    /// The path as the user named it; diagnostics show it as is.
    public let path: String
    /// The whole text, without a leading byte-order mark.
    public let text: String
    /// The lines of `text`, without their line ends (`\n`, `\r\n` or `\r`).
    public let lines: [Substring]

    /// Wraps text that is already valid. `path` is used only for messages.
    public init(path: String, text: String) {
        self.path = path
        var body = text
        if body.unicodeScalars.first == "\u{FEFF}" { body.unicodeScalars.removeFirst() }
        self.text = body
        self.lines = SourceFile.splitLines(body)
    }

    /// The text of a 1-based line, or `nil` past the end.
    public func line(_ number: Int) -> Substring? {
        guard number >= 1, number <= lines.count else { return nil }
        return lines[number - 1]
    }

    /// A range in this file at a 1-based line and column.
    public func range(line: Int, column: Int) -> SourceRange {
        SourceRange(file: path, line: line, column: column)
    }

    /// The location of the Unicode scalar at a 0-based offset into `text`.
    public func location(ofScalarOffset offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        var index = 0
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if index == offset { break }
            index += 1
            if scalar == "\n" {
                if !previousWasCR { line += 1 }
                column = 1
                previousWasCR = false
            } else if scalar == "\r" {
                line += 1
                column = 1
                previousWasCR = true
            } else {
                column += 1
                previousWasCR = false
            }
        }
        return SourceLocation(line: line, column: column)
    }

    static func splitLines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\n" || character == "\r\n" || character == "\r" {
                result.append(text[start..<index])
                index = text.index(after: index)
                start = index
            } else {
                index = text.index(after: index)
            }
        }
        result.append(text[start..<text.endIndex])
        return result
    }
}
