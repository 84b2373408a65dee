import Foundation

/// The text of one input file, validated as UTF-8, with its lines for snippets and positions.
public struct SourceFile: Sendable, Hashable {
    /// The path as the user named it; diagnostics show it as is.
    public let path: String
    /// The whole text, without a leading byte-order mark.
    package let text: String
    /// Where each line starts, found the first time a line is asked for (a data file of millions of
    /// lines is read without ever splitting it).
    private let lineIndex = LineIndex()

    /// Wraps text that is already valid. `path` is used only for messages.
    package init(path: String, text: String) {
        self.path = path
        var body = text
        if body.unicodeScalars.first == "\u{FEFF}" { body.unicodeScalars.removeFirst() }
        self.text = body
    }

    /// The lines of `text`, without their line ends (`\n`, `\r\n` or `\r`).
    public var lines: [Substring] {
        let starts = lineIndex.starts(of: text)
        return (1...starts.count).compactMap { line($0) }
    }

    /// The text of a 1-based line, or `nil` past the end.
    public func line(_ number: Int) -> Substring? {
        let starts = lineIndex.starts(of: text)
        guard number >= 1, number <= starts.count else { return nil }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: starts[number - 1])
        var end = start
        while end < utf8.endIndex, utf8[end] != UInt8(ascii: "\n"), utf8[end] != UInt8(ascii: "\r") { end = utf8.index(after: end) }
        return text[start..<end]
    }

    /// Two source files are equal when they have the same path and the same text.
    public static func == (a: SourceFile, b: SourceFile) -> Bool { a.path == b.path && a.text == b.text }

    /// Hashes the path and the text, as `==` compares them.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(text)
    }

    /// A range in this file at a 1-based line and column.
    package func range(line: Int, column: Int) -> SourceRange {
        SourceRange(file: path, line: line, column: column)
    }

    /// The location of the Unicode scalar at a 0-based offset into `text`.
    package func location(ofScalarOffset offset: Int) -> SourceLocation {
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

    /// The location of the `Character` at a 0-based offset into `text` (a `\r\n` is one character).
    func location(ofCharacterOffset offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        var index = 0
        for character in text {
            if index == offset { break }
            index += 1
            if character == "\n" || character == "\r" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return SourceLocation(line: line, column: column)
    }

    /// Splits on `\n`, `\r\n` and `\r`, walking Unicode scalars (much faster than `Character`s;
    /// a line end is never part of a larger grapheme cluster, so the result is the same).
    static func splitLines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\r" {
                result.append(text[start..<index])
                var next = scalars.index(after: index)
                if scalar == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                index = next
                start = index
            } else {
                index = scalars.index(after: index)
            }
        }
        result.append(text[start..<scalars.endIndex])
        return result
    }
}

/// The UTF-8 offsets where the lines of a text start, computed once on first use. A line ends at
/// `\n`, `\r\n` or `\r` (line ends are grapheme boundaries, so bytes and characters agree).
private final class LineIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: [Int]?

    func starts(of text: String) -> [Int] {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        var starts = [0]
        var text = text
        text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "\n") {
                    starts.append(i)
                } else if b == UInt8(ascii: "\r") {
                    if i < bytes.count && bytes[i] == UInt8(ascii: "\n") { i += 1 }
                    starts.append(i)
                }
            }
        }
        cached = starts
        return starts
    }
}
