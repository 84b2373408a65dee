/// "Did you mean …?" suggestions for misspelt names.
package enum Suggestion {
    /// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo
    /// (at most a third of the name's length, and at least 1, edits away).
    package static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let limit = max(1, name.count / 3)
        var best: (String, Int)? = nil
        for candidate in candidates {
            let distance = editDistance(name, candidate)
            if distance <= limit, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    /// A hint sentence for a misspelt name, or `nil` when nothing is close.
    package static func hint(for name: String, among candidates: some Sequence<String>) -> LocalizedText? {
        closest(to: name, among: candidates).map { guess($0) }
    }

    /// The hint sentence naming the likely intended name.
    package static func guess(_ name: String) -> LocalizedText {
        .vi("có phải là '\(name)' không?", en: "did you mean '\(name)'?")
    }

    /// The edit distance between two strings, counted in characters: insertions, deletions,
    /// substitutions and swaps of two neighbouring characters each count one (so `nmae` is one
    /// edit from `name`).
    package static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased())
        let b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
