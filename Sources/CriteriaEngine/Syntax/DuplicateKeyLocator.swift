/// Finds the second occurrence of a duplicated key, which Yams does not report (it marks the first).
///
/// A key of a flow mapping (`{a: 1, a: 2}`, on one line or several) is looked for after a `,` at the
/// same bracket depth, skipping quoted strings, comments and nested collections, until the mapping
/// closes. A key of a block mapping stands at the same column on a later line, before the mapping
/// ends (a non-blank line indented less). When neither finds it, the caller falls back to the first
/// occurrence.
enum DuplicateKeyLocator {
    static func secondOccurrence(of key: String, firstLine: Int, firstColumn: Int, in file: SourceFile)
        -> SourceLocation?
    {
        let spellings = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }
        guard let line = file.line(firstLine) else { return nil }
        let lineScalars = Array(line.unicodeScalars)
        guard firstColumn >= 1, firstColumn - 1 <= lineScalars.count else { return nil }
        if isInFlowMapping(line: firstLine, column: firstColumn, in: file) {
            return flowOccurrence(of: spellings, after: key, line: firstLine, column: firstColumn, in: file)
        }
        return blockOccurrence(of: spellings, line: firstLine, column: firstColumn, in: file)
    }

    /// Whether the key at a place follows `{` or `,` (possibly on an earlier line): a flow mapping key.
    private static func isInFlowMapping(line: Int, column: Int, in file: SourceFile) -> Bool {
        var lineNumber = line
        var scalars = Array((file.line(line) ?? "").unicodeScalars.prefix(column - 1))
        while true {
            if let last = scalars.last(where: { $0 != " " && $0 != "\t" }) {
                return last == "{" || last == ","
            }
            lineNumber -= 1
            guard lineNumber >= 1, let previous = file.line(lineNumber) else { return false }
            scalars = Array(previous.unicodeScalars)
        }
    }

    private static func flowOccurrence(
        of spellings: [[Unicode.Scalar]], after key: String, line: Int, column: Int, in file: SourceFile
    ) -> SourceLocation? {
        var depth = 0
        var lineNumber = line
        var skipFirst = column - 1 + key.unicodeScalars.count
        var afterComma = false
        var quote: Unicode.Scalar? = nil
        while let text = file.line(lineNumber) {
            let scalars = Array(text.unicodeScalars)
            var index = min(skipFirst, scalars.count)
            skipFirst = 0
            while index < scalars.count {
                let c = scalars[index]
                if let open = quote {
                    if open == "\"" && c == "\\" {
                        index += 2
                        continue
                    }
                    if c == open {
                        if open == "'" && index + 1 < scalars.count && scalars[index + 1] == "'" {
                            index += 2
                            continue
                        }
                        quote = nil
                    }
                    index += 1
                    continue
                }
                if c == " " || c == "\t" {
                    index += 1
                    continue
                }
                if afterComma && depth == 0 {
                    afterComma = false
                    for spelling in spellings where matchesKey(spelling, in: scalars, at: index) {
                        return SourceLocation(line: lineNumber, column: index + 1)
                    }
                }
                switch c {
                case "#" where index == 0 || scalars[index - 1] == " " || scalars[index - 1] == "\t":
                    index = scalars.count
                    continue
                case "\"", "'":
                    quote = c
                case "{", "[":
                    depth += 1
                case "}", "]":
                    depth -= 1
                    if depth < 0 { return nil }
                case ",":
                    afterComma = depth == 0
                default:
                    break
                }
                index += 1
            }
            lineNumber += 1
        }
        return nil
    }

    /// Whether `spelling`, then optional spaces and a `:`, stand at `index`.
    private static func matchesKey(_ spelling: [Unicode.Scalar], in scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + spelling.count <= scalars.count, Array(scalars[index..<(index + spelling.count)]) == spelling
        else { return false }
        var after = index + spelling.count
        while after < scalars.count && scalars[after] == " " { after += 1 }
        return after < scalars.count && scalars[after] == ":"
    }

    private static func blockOccurrence(of spellings: [[Unicode.Scalar]], line: Int, column: Int, in file: SourceFile)
        -> SourceLocation?
    {
        var lineNumber = line + 1
        while let text = file.line(lineNumber) {
            let scalars = Array(text.unicodeScalars)
            let indent = scalars.prefix { $0 == " " }.count
            let isBlankOrComment = indent == scalars.count || scalars[indent] == "#"
            if !isBlankOrComment {
                if indent < column - 1 { return nil }
                if indent == column - 1 {
                    for spelling in spellings where matchesKey(spelling, in: scalars, at: indent) {
                        return SourceLocation(line: lineNumber, column: column)
                    }
                }
            }
            lineNumber += 1
        }
        return nil
    }
}
