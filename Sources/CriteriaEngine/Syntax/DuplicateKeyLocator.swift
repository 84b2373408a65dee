import Foundation

/// Finds the second occurrence of a duplicated key, which Yams does not report (it marks the first).
///
/// A key of a block mapping stands at the same column on a later line, before the mapping ends (a
/// non-blank line indented less). A flow mapping's keys are looked for later on the same line.
/// When neither finds it, the caller falls back to the first occurrence.
enum DuplicateKeyLocator {
    static func secondOccurrence(of key: String, firstLine: Int, firstColumn: Int, in file: SourceFile)
        -> SourceLocation?
    {
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        if let line = file.line(firstLine) {
            let scalars = Array(line.unicodeScalars)
            let startOffset = min(scalars.count, firstColumn - 1 + key.unicodeScalars.count)
            let rest = String(String.UnicodeScalarView(scalars[startOffset...]))
            for spelling in spellings {
                for separator in [", ", "{"] {
                    if let found = rest.range(of: separator + spelling + ":") {
                        let offset = rest.unicodeScalars.distance(
                            from: rest.unicodeScalars.startIndex, to: found.lowerBound.samePosition(in: rest.unicodeScalars) ?? rest.unicodeScalars.startIndex)
                        return SourceLocation(line: firstLine, column: startOffset + offset + separator.unicodeScalars.count + 1)
                    }
                }
            }
        }
        var lineNumber = firstLine + 1
        while let line = file.line(lineNumber) {
            let scalars = Array(line.unicodeScalars)
            let indent = scalars.prefix { $0 == " " }.count
            let content = String(String.UnicodeScalarView(scalars.dropFirst(indent)))
            let isBlankOrComment = content.isEmpty || content.hasPrefix("#")
            if !isBlankOrComment {
                if indent < firstColumn - 1 { return nil }
                if indent == firstColumn - 1 {
                    for spelling in spellings where content.hasPrefix(spelling + ":") {
                        return SourceLocation(line: lineNumber, column: firstColumn)
                    }
                }
            }
            lineNumber += 1
        }
        return nil
    }
}
