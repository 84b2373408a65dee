import Foundation
import Testing

/// Every value put into the markup of the pages goes through the one escaping function, `e(…)`
/// (`HTMLRenderer.escape`): the test reads the page sources and checks each interpolation inside a
/// string literal that holds markup. Anything else must be on the list below, with the reason it is
/// safe (markup made by the pages' own functions, numbers, fixed words).
@Suite("Page escaping")
struct PageEscapingTests {
    /// The page sources checked.
    static let files = ["Sources/CriteriaServer/Pages.swift", "Sources/CriteriaServer/PlanPages.swift"]

    /// Interpolations into markup that are not `e(…)`, and why each is safe.
    static let safe: [String: String] = [
        // Markup built by the pages themselves, every value in it escaped where it was made.
        "body": "the page body, built with e(…)",
        "nav": "the navigation links, built with e(…)",
        "switchLink": "the language link, built with e(…)",
        "place": "a diagnostic's place, built with e(…)",
        "hint": "a note's hint, built with e(…)",
        "at": "a note's place, built with e(…)",
        "meta": "a plan's line, built with e(…)",
        "Self.styleElementText": "the pages' fixed CSS, allowed by its hash",
        "wordsJSON()": "JSON of fixed words that hold no '<', in a script element of type application/json",
        "diagnostics(served.diagnostics)": "markup from diagnostics(_:), which escapes",
        "scriptPath.map { \"<script src=\\\"\\(e($0))\\\"></script>\\n\" } ?? \"\"": "the script path, escaped inside",
        // Numbers and fixed words.
        "error.status.code": "an HTTP status code",
        "d.severity.rawValue": "an enum's fixed raw value",
        "language.rawValue": "vi or en",
        "plan.targets.count": "a count",
        "vi ? \"en\" : \"vi\"": "fixed words",
        "vi ? \"English\" : \"Tiếng Việt\"": "fixed words",
        "index == 0 ? \" selected=\\\"selected\\\"\" : \"\"": "a fixed attribute",
        "candidate == file ? \" selected=\\\"selected\\\"\" : \"\"": "a fixed attribute",
        "item.0 == section ? \" aria-current=\\\"page\\\"\" : \"\"": "a fixed attribute",
        "date.map { \"\\($0)\" } ?? \"\"": "a LocalDate, YYYY-MM-DD",
    ]

    /// An interpolation `\(…)` in a string literal, and whether that literal holds markup.
    struct Interpolation {
        var expression: String
        var line: Int
        var inMarkup: Bool
    }

    /// The interpolations of Swift source, nested ones too (a string inside an interpolation).
    static func interpolations(in source: String) -> [Interpolation] {
        let c = Array(source)
        var found: [Interpolation] = []
        func line(_ at: Int) -> Int { c[0..<at].reduce(1) { $0 + ($1 == "\n" ? 1 : 0) } }
        /// Reads the literal starting at `start` (its opening quote); returns the index after it.
        func literal(_ start: Int) -> Int {
            let triple = start + 2 < c.count && c[start + 1] == "\"" && c[start + 2] == "\""
            var j = start + (triple ? 3 : 1)
            var text = ""
            var inner: [(String, Int)] = []
            while j < c.count {
                if c[j] == "\\", j + 1 < c.count {
                    if c[j + 1] == "(" {
                        var k = j + 2
                        var depth = 1
                        while k < c.count && depth > 0 {
                            if c[k] == "\"" {
                                k = literal(k)
                                continue
                            }
                            if c[k] == "(" { depth += 1 } else if c[k] == ")" { depth -= 1 }
                            k += 1
                        }
                        inner.append((String(c[(j + 2)..<(k - 1)]), j))
                        j = k
                        continue
                    }
                    text.append(c[j + 1])
                    j += 2
                    continue
                }
                if triple {
                    if c[j] == "\"", j + 2 < c.count, c[j + 1] == "\"", c[j + 2] == "\"" { return finish(j + 3) }
                } else if c[j] == "\"" {
                    return finish(j + 1)
                }
                text.append(c[j])
                j += 1
            }
            return finish(j)

            func finish(_ end: Int) -> Int {
                let markup = text.contains("<") || text.contains("=\"")
                for (expression, at) in inner { found.append(Interpolation(expression: expression, line: line(at), inMarkup: markup)) }
                return end
            }
        }
        var i = 0
        while i < c.count {
            if c[i] == "/", i + 1 < c.count, c[i + 1] == "/" {
                while i < c.count && c[i] != "\n" { i += 1 }
            } else if c[i] == "\"" {
                i = literal(i)
            } else {
                i += 1
            }
        }
        return found
    }

    /// Whether an expression is one call of `e(…)` and nothing more.
    static func isEscaped(_ expression: String) -> Bool {
        guard expression.hasPrefix("e(") else { return false }
        var depth = 0
        var inString = false
        var previous: Character = " "
        for (offset, character) in expression.enumerated() {
            if character == "\"" && previous != "\\" { inString.toggle() }
            previous = character
            if inString { continue }
            if character == "(" { depth += 1 }
            if character == ")" {
                depth -= 1
                if depth == 0 { return offset == expression.count - 1 }
            }
        }
        return false
    }

    @Test("the scanner finds interpolations in markup, nested ones, and tells e(…) from the rest")
    func scanner() {
        let source = #"""
            let a = "<p>\(e(name))</p>" // "not <code>\(x)</code>"
            let b = "plain \(count) words"
            let c = """
                <div id="\(raw)">\(list.map { "<li>\(e($0))</li>" }.joined())</div>
                """
            let d = "<b>\(e(x) + y)</b>"
            """#
        let found = Self.interpolations(in: source)
        #expect(found.map(\.expression) == ["e(name)", "count", "e($0)", "raw", #"list.map { "<li>\(e($0))</li>" }.joined()"#, "e(x) + y"])
        #expect(found.map(\.inMarkup) == [true, false, true, true, true, true])
        #expect(found.map(\.line) == [1, 2, 4, 4, 4, 6])
        #expect(found.map { Self.isEscaped($0.expression) } == [true, false, true, false, false, false])
    }

    @Test("every value in the pages' markup goes through e(…), or is on the list of safe ones with a reason")
    func everyValueEscaped() throws {
        var unescaped: [String] = []
        var used = Set<String>()
        for file in Self.files {
            let source = try String(contentsOfFile: repositoryRoot + "/" + file, encoding: .utf8)
            let found = Self.interpolations(in: source)
            #expect(found.count > 20, "\(file): the scanner found only \(found.count) interpolations")
            for item in found where item.inMarkup && !Self.isEscaped(item.expression) {
                if Self.safe[item.expression] != nil {
                    used.insert(item.expression)
                } else {
                    unescaped.append("\(file):\(item.line): \\(\(item.expression))")
                }
            }
        }
        let list = unescaped.joined(separator: "\n")
        #expect(unescaped.isEmpty, "wrap these in e(…), or add them to PageEscapingTests.safe with the reason:\n\(list)")
        let unused = Set(Self.safe.keys).subtracting(used).sorted()
        #expect(unused.isEmpty, "listed as safe but no longer used: \(unused)")
    }
}
