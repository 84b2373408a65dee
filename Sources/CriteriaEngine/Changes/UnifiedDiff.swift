/// A unified diff of two texts, as `git diff` writes it and `git apply` reads it: hunks with three
/// lines of context, `\ No newline at end of file` after a last line without one, and the git
/// headers of a new, edited or removed file. The edit script is Swift's `CollectionDifference` over
/// the lines; only the hunk formatting is written here (Docs/decisions/0013-unified-diff-by-hand.md).
package enum UnifiedDiff {
    /// The lines of context around each change.
    package static let context = 3

    /// One file's diff with its git header, or `""` when the texts are equal.
    ///
    /// - Parameters:
    ///   - path: the file's path as the patch names it (`Rules/xa-ntm/19.2.yaml`), under `a/` and `b/`.
    ///   - old: the text before, `nil` for a new file.
    ///   - new: the text after, `nil` for a removed file.
    package static func file(path: String, old: String?, new: String?) -> String {
        // Compared by bytes: two spellings of one letter (NFC, NFD) are a change.
        if old.map({ Array($0.utf8) }) == new.map({ Array($0.utf8) }) { return "" }
        var out = "diff --git a/\(path) b/\(path)\n"
        if old == nil { out += "new file mode 100644\n" }
        if new == nil { out += "deleted file mode 100644\n" }
        out += "--- " + (old == nil ? "/dev/null" : "a/\(path)") + "\n"
        out += "+++ " + (new == nil ? "/dev/null" : "b/\(path)") + "\n"
        return out + hunks(old: lines(old ?? ""), new: lines(new ?? ""))
    }

    /// A text's lines, each with its `\n` when it has one (so a missing final newline is a change);
    /// cut at the byte `\n`, so `\r\n` stays whole in its line.
    static func lines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        var start = text.startIndex
        var index = text.utf8.startIndex
        while index < text.utf8.endIndex {
            let next = text.utf8.index(after: index)
            if text.utf8[index] == UInt8(ascii: "\n") {
                lines.append(text[start..<next])
                start = next
            }
            index = next
        }
        if start < text.endIndex { lines.append(text[start...]) }
        return lines
    }

    /// One step of the edit script: a line kept, removed from the old text or added from the new.
    enum Step: Equatable {
        case keep(old: Int, new: Int)
        case remove(old: Int)
        case add(new: Int)

        var isChange: Bool {
            if case .keep = self { return false }
            return true
        }
    }

    /// The edit script from `old` to `new`, in order: removals before additions at each place.
    static func steps(old: [Substring], new: [Substring]) -> [Step] {
        var removed = Set<Int>()
        var added = Set<Int>()
        // Lines compare by their bytes: two spellings of one letter (NFC, NFD) are a change.
        let oldBytes = old.map { Array($0.utf8) }
        let newBytes = new.map { Array($0.utf8) }
        for change in newBytes.difference(from: oldBytes) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): added.insert(offset)
            }
        }
        var steps: [Step] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count && removed.contains(i) {
                steps.append(.remove(old: i))
                i += 1
            } else if j < new.count && added.contains(j) {
                steps.append(.add(new: j))
                j += 1
            } else if i < old.count && j < new.count {
                steps.append(.keep(old: i, new: j))
                i += 1
                j += 1
            } else if i < old.count {
                // Not reached for a difference of these two collections; kept total for safety.
                steps.append(.remove(old: i))
                i += 1
            } else {
                steps.append(.add(new: j))
                j += 1
            }
        }
        return steps
    }

    /// The hunks of the edit script, each with up to `context` kept lines around its changes.
    static func hunks(old: [Substring], new: [Substring]) -> String {
        let steps = steps(old: old, new: new)
        let changes = steps.indices.filter { steps[$0].isChange }
        guard let first = changes.first else { return "" }
        // Changes with at most twice the context of kept lines between them share a hunk (as git does).
        var groups: [(first: Int, last: Int)] = [(first, first)]
        for index in changes.dropFirst() {
            if index - groups[groups.count - 1].last - 1 <= 2 * context {
                groups[groups.count - 1].last = index
            } else {
                groups.append((index, index))
            }
        }
        // How many old and new lines come before each step.
        var before: [(old: Int, new: Int)] = []
        var o = 0
        var n = 0
        for step in steps {
            before.append((o, n))
            switch step {
            case .keep: o += 1; n += 1
            case .remove: o += 1
            case .add: n += 1
            }
        }
        var out = ""
        for group in groups {
            let start = max(0, group.first - context)
            let end = min(steps.count, group.last + context + 1)
            var body = ""
            var oldCount = 0
            var newCount = 0
            for step in steps[start..<end] {
                switch step {
                case .keep(let i, _):
                    body += line(" ", old[i])
                    oldCount += 1
                    newCount += 1
                case .remove(let i):
                    body += line("-", old[i])
                    oldCount += 1
                case .add(let j):
                    body += line("+", new[j])
                    newCount += 1
                }
            }
            out += "@@ -\(range(before[start].old, oldCount)) +\(range(before[start].new, newCount)) @@\n" + body
        }
        return out
    }

    /// A hunk's range as `git diff` writes it: `start,count`, the count left out when it is 1, and
    /// the line before the hunk as the start of an empty range.
    static func range(_ linesBefore: Int, _ count: Int) -> String {
        switch count {
        case 0: "\(linesBefore),0"
        case 1: "\(linesBefore + 1)"
        default: "\(linesBefore + 1),\(count)"
        }
    }

    /// One line of a hunk with its mark, and the marker of a missing final newline.
    static func line(_ mark: String, _ text: Substring) -> String {
        text.utf8.last == UInt8(ascii: "\n") ? mark + text : mark + text + "\n\\ No newline at end of file\n"
    }
}
