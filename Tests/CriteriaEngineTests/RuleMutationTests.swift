import CriteriaEngine
import Foundation
import Testing

/// Proves that the rule tests guard the rules: changing any threshold or any comparison in `Rules/`
/// makes at least one rule test fail.
///
/// Every rule file (not `tests/` or `plans/`) is scanned for the comparison operators of its
/// `check:` lines (`<=` `>=` `<` `>` `==` `!=`), the numeric literals of those lines (`>= 1`,
/// `== 0`, `2019`, `100%`) and its dated parameter values (`2022-02-10: 70%`). Each single mutation —
/// `<=`↔`<`, `>=`↔`>`, `==`→`!=`, `!=`→`==`, a number or percentage nudged up and down by the
/// smallest step of its written precision while it stays valid (70%→71% and 69%, 1→2 and 0, 0→1,
/// never below 0 or above 100%) — is written into a copy of `Rules/` (tests included), loaded with
/// `RuleSetLoader` and run against the rule tests with `RuleTestRunner`. A mutant that no longer
/// loads is killed; one that loads must make at least one expectation fail on its outcome or its
/// reasons. Snapshot texts are not compared: they quote the threshold and the expression, so they
/// would "kill" every mutant without showing that a verdict depends on it.
@Suite struct RuleMutationTests {
    /// One single change to one line of one rule file.
    struct Mutant: CustomStringConvertible {
        /// The file, relative to the rules folder.
        var file: String
        /// The 1-based line.
        var line: Int
        /// The line as written.
        var original: String
        /// The line after the change.
        var mutated: String
        /// What changed, such as `>= → >` or `70% → 69%`.
        var change: String

        var description: String {
            "Rules/\(file):\(line): \(change) — `\(original.trimmingCharacters(in: .whitespaces))` → `\(mutated.trimmingCharacters(in: .whitespaces))`"
        }
    }

    @Test func everyThresholdAndComparisonChangeFailsARuleTest() throws {
        let started = Date()
        let fileManager = FileManager.default
        let work = fileManager.temporaryDirectory.appendingPathComponent("rule-mutants-\(UUID().uuidString)")
        defer { try? fileManager.removeItem(at: work) }
        let rules = work.appendingPathComponent("Rules").path
        try fileManager.createDirectory(at: work, withIntermediateDirectories: true)
        try fileManager.copyItem(atPath: repositoryRoot + "/Rules", toPath: rules)

        // The rule tests are read once: mutations change neither the inputs nor the criterion and
        // condition ids they are checked against.
        let baselineGraph = try RuleSetLoader.load(path: rules)
        let cases = try RuleTestLoader.load(files: RuleTestLoader.testFiles(at: rules), graph: baselineGraph)
        let baseline = Self.failures(RuleTestRunner(graph: baselineGraph), cases)
        try #require(baseline.isEmpty, "the unmutated rules must pass their tests first: \(baseline)")

        let files = try RuleSetLoader.ruleFiles(at: rules)
        var mutants: [(path: String, text: [String], mutant: Mutant)] = []
        for path in files {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.components(separatedBy: "\n")
            let relative = String(path.dropFirst(rules.count + 1))
            for mutant in Self.mutants(of: lines, file: relative) { mutants.append((path, lines, mutant)) }
        }
        // The rule set has 5 criteria and 3 parameters; far fewer mutants means the scanner broke.
        #expect(mutants.count >= 30, "only \(mutants.count) mutants were found")

        var survivors: [Mutant] = []
        for (path, lines, mutant) in mutants {
            var changed = lines
            changed[mutant.line - 1] = mutant.mutated
            try changed.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8) }
            guard let graph = try? RuleSetLoader.load(path: rules) else { continue }  // does not load: killed
            if Self.failures(RuleTestRunner(graph: graph), cases).isEmpty { survivors.append(mutant) }
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(
            survivors.isEmpty,
            "\(survivors.count) of \(mutants.count) mutants survived (no rule test failed):\n\(survivors.map(\.description).joined(separator: "\n"))")
        print("rule mutation test: \(mutants.count) mutants, \(mutants.count - survivors.count) killed, \(String(format: "%.1f", seconds)) s")
    }

    /// The failing expectations of a run, ignoring snapshot texts.
    static func failures(_ runner: RuleTestRunner, _ cases: [RuleTestCase]) -> [String] {
        let report = runner.run(cases, snapshot: { _ in nil }, updateSnapshots: true)
        return report.results.filter { !$0.passed }.map { "\($0.file): \($0.name)" }
    }

    // MARK: Finding mutants

    /// Every single mutation of a rule file's lines.
    static func mutants(of lines: [String], file: String) -> [Mutant] {
        var result: [Mutant] = []
        for (index, line) in lines.enumerated() {
            let scalars = Array(line.unicodeScalars)
            func mutant(_ range: Range<Int>, _ replacement: String, _ change: String) -> Mutant {
                var copy = scalars
                copy.replaceSubrange(range, with: replacement.unicodeScalars)
                return Mutant(file: file, line: index + 1, original: line, mutated: String(String.UnicodeScalarView(copy)), change: change)
            }
            if let start = checkExpressionStart(scalars) {
                for token in tokens(scalars, from: start) {
                    switch token.kind {
                    case .comparison(let op):
                        let swapped = ["<=": "<", "<": "<=", ">=": ">", ">": ">=", "==": "!=", "!=": "=="][op] ?? op
                        result.append(mutant(token.range, swapped, "\(op) → \(swapped)"))
                    case .number(let text):
                        for nudged in nudges(text) { result.append(mutant(token.range, nudged, "\(text) → \(nudged)")) }
                    }
                }
            } else if let value = datedValue(scalars) {
                let text = String(String.UnicodeScalarView(scalars[value]))
                for nudged in nudges(text) { result.append(mutant(value, nudged, "\(text) → \(nudged)")) }
            }
        }
        return result
    }

    /// Where the expression of a `check:` line starts, after the key and spaces.
    static func checkExpressionStart(_ s: [Unicode.Scalar]) -> Int? {
        var i = 0
        while i < s.count, s[i] == " " { i += 1 }
        if i + 1 < s.count, s[i] == "-", s[i + 1] == " " {
            i += 2
            while i < s.count, s[i] == " " { i += 1 }
        }
        let key = Array("check:".unicodeScalars)
        guard i + key.count <= s.count, Array(s[i..<i + key.count]) == key else { return nil }
        return i + key.count
    }

    /// The value of a `YYYY-MM-DD: value` line (a dated parameter value).
    static func datedValue(_ s: [Unicode.Scalar]) -> Range<Int>? {
        var i = 0
        while i < s.count, s[i] == " " { i += 1 }
        let pattern = "dddd-dd-dd:"
        guard i + pattern.count <= s.count else { return nil }
        for (offset, p) in pattern.unicodeScalars.enumerated() {
            let c = s[i + offset]
            if p == "d" ? !isDigit(c) : c != p { return nil }
        }
        var start = i + pattern.count
        while start < s.count, s[start] == " " { start += 1 }
        var end = s.count
        while end > start, s[end - 1] == " " { end -= 1 }
        guard start < end else { return nil }
        return start..<end
    }

    struct Token {
        enum Kind {
            case comparison(String)
            case number(String)
        }
        var kind: Kind
        var range: Range<Int>
    }

    /// The comparison operators and numeric literals of an expression, skipping string literals and
    /// digits that belong to names (`h1`).
    static func tokens(_ s: [Unicode.Scalar], from start: Int) -> [Token] {
        var tokens: [Token] = []
        var i = start
        while i < s.count {
            let c = s[i]
            let next = i + 1 < s.count ? s[i + 1] : " "
            if c == "\"" || c == "'" {
                i += 1
                while i < s.count, s[i] != c { i += s[i] == "\\" ? 2 : 1 }
                i += 1
            } else if (c == "<" || c == ">" || c == "=" || c == "!") && next == "=" {
                tokens.append(Token(kind: .comparison(String(c) + "="), range: i..<i + 2))
                i += 2
            } else if c == "<" || c == ">" {
                tokens.append(Token(kind: .comparison(String(c)), range: i..<i + 1))
                i += 1
            } else if isNameCharacter(c) && !isDigit(c) {
                while i < s.count, isNameCharacter(s[i]) { i += 1 }
            } else if isDigit(c) {
                var end = i
                while end < s.count, isDigit(s[end]) || s[end] == "." { end += 1 }
                if end < s.count, s[end] == "%" { end += 1 }
                tokens.append(Token(kind: .number(String(String.UnicodeScalarView(s[i..<end]))), range: i..<end))
                i = end
            } else {
                i += 1
            }
        }
        return tokens
    }

    /// A number or percentage moved up and down by the smallest step of its written precision,
    /// kept at or above 0 and, for a percentage, at or below 100%.
    static func nudges(_ text: String) -> [String] {
        let percent = text.hasSuffix("%")
        let digits = percent ? String(text.dropLast()) : text
        guard let value = Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX")) else { return [] }
        let decimals = digits.split(separator: ".").dropFirst().first?.count ?? 0
        var step = Decimal(1)
        for _ in 0..<decimals { step /= 10 }
        var result: [String] = []
        for candidate in [value + step, value - step] where candidate >= 0 && (!percent || candidate <= 100) {
            var shown = NSDecimalNumber(decimal: candidate).stringValue
            if decimals > 0 {
                let parts = shown.split(separator: ".", omittingEmptySubsequences: false)
                let fraction = parts.count > 1 ? String(parts[1]) : ""
                shown = String(parts[0]) + "." + fraction + String(repeating: "0", count: max(0, decimals - fraction.count))
            }
            result.append(shown + (percent ? "%" : ""))
        }
        return result
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || isDigit(c) || c == "_"
    }

    // MARK: The scanner itself

    @Test func scannerFindsOperatorsNumbersAndDatedValues() {
        let lines = [
            "    check: active_security_models >= 1",
            "    check: movement_rating == \"x<=1\" && h1 != 0",
            "      2022-02-10: 70%",
            "  - id: >= not a check",
        ]
        let changes = Self.mutants(of: lines, file: "f.yaml").map { "\($0.line) \($0.change)" }
        #expect(changes == ["1 >= → >", "1 1 → 2", "1 1 → 0", "2 == → !=", "2 != → ==", "2 0 → 1", "3 70% → 71%", "3 70% → 69%"])
        #expect(Self.nudges("100%") == ["99%"])
        #expect(Self.nudges("0.5") == ["0.6", "0.4"])
        #expect(Self.nudges("0.05%") == ["0.06%", "0.04%"])
        #expect(Self.mutants(of: ["    check: x <= 2019"], file: "f").map(\.mutated) == ["    check: x < 2019", "    check: x <= 2020", "    check: x <= 2018"])
    }
}
