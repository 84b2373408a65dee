import Foundation
import Testing

@testable import CriteriaEngine

/// Reads a text the way rule files are read, returning the diagnostics (none when it reads).
private func diagnostics(of text: String, maxNesting: Int = 64, limits: Limits = .default) -> [Diagnostic] {
    do {
        _ = try YAMLReader.read(SourceFile(path: "t.yaml", text: text), maxNesting: maxNesting, limits: limits)
        return []
    } catch {
        return error.diagnostics
    }
}

/// Reads a text that must be accepted, recording an issue with the diagnostics otherwise.
private func document(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> DocumentNode? {
    do {
        return try YAMLReader.read(SourceFile(path: "t.yaml", text: text), maxNesting: 64)
    } catch {
        let list = error.diagnostics.map { d in
            "\(d.range.map { "\($0.start.line):\($0.start.column)" } ?? "-") \(d.id) \(d.message)"
        }
        Issue.record(
            Comment(rawValue: "expected the YAML to be read, got:\n" + list.joined(separator: "\n")),
            sourceLocation: sourceLocation)
        return nil
    }
}

/// The value of `key` in a mapping node.
private func value(_ key: String, in node: DocumentNode?) -> DocumentNode? {
    guard case .mapping(let pairs)? = node?.kind else { return nil }
    return pairs.first { $0.key.scalarText == key }?.value
}

private func place(_ d: Diagnostic) -> String {
    d.range.map { "\($0.start.line):\($0.start.column)" } ?? "-"
}

@Suite("YAML reader")
struct YAMLReaderTests {
    // MARK: - Fixtures (one per row of the hostile-input table)

    @Test("hostile-input fixtures", arguments: try MarkedFixture.load(folder: "yaml"))
    func fixture(_ fixture: MarkedFixture) {
        do {
            _ = try YAMLReader.read(fixture.sourceFile, maxNesting: 64)
            fixture.expectDiagnostics([])
        } catch {
            fixture.expectDiagnostics(error.diagnostics)
        }
    }

    @Test("the fixtures load from the test bundle, sorted")
    func fixturesLoad() throws {
        let fixtures = try MarkedFixture.load(folder: "yaml")
        #expect(fixtures.count >= 30)
        #expect(fixtures.map(\.name) == fixtures.map(\.name).sorted())
        #expect(throws: MarkedFixture.FormatError.self) { try MarkedFixture.load(folder: "yaml", extension: "none") }
        #expect(throws: (any Error).self) { try MarkedFixture.load(folder: "no-such-folder") }
    }

    @Test("a duplicate key points at the second occurrence, with a note at the first")
    func duplicateKeyNotes() throws {
        let cases: [(text: String, second: String, first: String)] = [
            ("rate: 0.5\nother: 1\nrate: 0.9\n", "3:1", "1:1"),
            ("outer:\n  - a: 1\n    b: 2\n    a: 3\n", "4:5", "2:5"),
            ("m: {a: 1, a: 2}\n", "1:11", "1:5"),
            ("m: {a: 1,a: 2}\n", "1:10", "1:5"),
        ]
        for (text, second, first) in cases {
            let found = diagnostics(of: text)
            try #require(found.count == 1, "\(text.debugDescription): \(found)")
            let d = found[0]
            #expect(d.id == "yaml.duplicate-key")
            #expect(place(d) == second, "\(text.debugDescription)")
            #expect(d.notes.count == 1)
            #expect(d.notes.first?.range.map { "\($0.start.line):\($0.start.column)" } == first)
            #expect(d.message.contains("first defined at \(first)"))
            // The message never embeds the document (Yams' description would).
            #expect(!d.message.contains("\n"))
        }
    }

    // MARK: - Generated hostile input

    /// The 9 × 9 billion laughs (about 3.9e8 leaves when expanded).
    static func billionLaughs() -> String {
        var lines = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for level in 1..<names.count {
            let previous = names[level - 1]
            let aliases = Array(repeating: "*\(previous)", count: 9).joined(separator: ",")
            lines.append("\(names[level]): &\(names[level]) [\(aliases)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("billion laughs is refused by the pre-scan, before Yams expands anything")
    func billionLaughs() {
        let found = diagnostics(of: Self.billionLaughs())
        let counts = Dictionary(grouping: found, by: \.id).mapValues(\.count)
        #expect(counts["yaml.anchor"] == 9)
        #expect(counts["yaml.alias"] == 72)
        #expect(found.count == 81)
        #expect(found.first.map(place) == "1:4")
    }

    @Test("an alias used as a key after the laughs is refused by the pre-scan (it would hang Yams)")
    func aliasAsKey() {
        let text = Self.billionLaughs() + "? *i\n: 1\n"
        let found = diagnostics(of: text)
        #expect(found.contains { $0.id == "yaml.alias" && place($0) == "10:3" })
        #expect(Set(found.map(\.id)) == ["yaml.anchor", "yaml.alias"])
        // The same key written as a simple key.
        let simple = diagnostics(of: Self.billionLaughs() + "*i : 1\n")
        #expect(simple.contains { $0.id == "yaml.alias" && place($0) == "10:1" })
    }

    @Test("more refusals than the diagnostic cap are counted, not listed")
    func diagnosticCap() {
        let text = (1...300).map { "k\($0): *a" }.joined(separator: "\n")
        let found = diagnostics(of: text)
        #expect(found.count == Limits.default.maxDiagnostics + 1)
        #expect(found.last?.id == "limits.diagnostics")
        #expect(found.last?.message.contains("200 more") == true)
    }

    @Test("1,000,000 levels of flow nesting give one limits.nesting error")
    func millionFlowLevels() {
        let text = String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)
        let found = diagnostics(of: text)
        #expect(found.map(\.id) == ["limits.nesting"])
        #expect(found.first.map(place) == "1:65")
        #expect(found.first?.message == "nesting deeper than the limit of 64 levels")
    }

    @Test("10,000 levels of block nesting give one limits.nesting error")
    func tenThousandBlockLevels() {
        let compact = String(repeating: "- ", count: 10_000) + "x\n"
        let found = diagnostics(of: compact)
        #expect(found.map(\.id) == ["limits.nesting"])
        #expect(found.first.map(place) == "1:129")

        let indented = (0..<200).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n") + " x\n"
        let deep = diagnostics(of: indented)
        #expect(deep.map(\.id) == ["limits.nesting"])
        #expect(deep.first.map(place) == "65:65")
    }

    @Test("nesting is counted in collections; scalars add no level")
    func nestingCountsCollections() {
        #expect(diagnostics(of: "a: 1\n", maxNesting: 1).isEmpty)
        #expect(diagnostics(of: "a: [1]\n", maxNesting: 2).isEmpty)
        #expect(diagnostics(of: "a: [1]\n", maxNesting: 1).map(\.id) == ["limits.nesting"])
        // An indentless list inside a mapping is a level the pre-scan cannot see; the tree walk does.
        let text = "a:\n- b:\n  - c: 1\n"
        #expect(diagnostics(of: text, maxNesting: 5).isEmpty)
        let found = diagnostics(of: text, maxNesting: 4)
        #expect(found.map(\.id) == ["limits.nesting"])
        #expect(found.first.map(place) == "3:5")
    }

    @Test("a 2000-character key gets our limits.key-length, not libyaml's misleading message")
    func longKey() {
        for text in [
            String(repeating: "k", count: 2000) + ": 1\n",
            "first: 1\n" + String(repeating: "k", count: 2000) + ": 1\n",
            "outer:\n  " + String(repeating: "k", count: 2000) + ": 1\n",
        ] {
            let found = diagnostics(of: text)
            #expect(found.map(\.id) == ["limits.key-length"], "\(found.map(\.message))")
            #expect(found.first?.message == "a key of 2000 characters is longer than the limit of 256")
            #expect(found.first?.message.contains("mapping values") == false)
        }
    }

    @Test("a line of 300,000 tags is refused with short messages")
    func longLineOfTags() {
        let found = diagnostics(of: "k: " + String(repeating: "!a ", count: 300_000))
        #expect(found.count == Limits.default.maxDiagnostics + 1)
        #expect(found.first?.id == "yaml.swallowed-expression")
        #expect(found.allSatisfy { $0.message.count < 200 && ($0.hint?.count ?? 0) < 200 })
    }

    @Test("YAMS_DEFAULT_ENCODING cannot change how the text is read")
    func environmentEncoding() {
        setenv("YAMS_DEFAULT_ENCODING", "UTF16", 1)
        defer { unsetenv("YAMS_DEFAULT_ENCODING") }
        let node = document("tên: Hà Nội\nmã: \"01234\"\n")
        #expect(value("tên", in: node)?.scalarText == "Hà Nội")
        #expect(value("mã", in: node)?.scalarText == "01234")
        let found = diagnostics(of: "tên: Hà Nội\nx: *a\n")
        #expect(found.map(place) == ["2:4"])
    }

    // MARK: - Legitimate YAML the pre-scan must accept

    @Test("rule-file YAML with '*', '!', '&', '#' and quotes inside values is accepted")
    func legitimateRuleYAML() throws {
        let text = """
            criteria: 1
            # a comment with & and * and ! in it: &anchor *alias !tag
            rules:
              - id: poverty-rate  # trailing comment & more *
                check: a <= b * 95%
                other: a != b
                negated: "!antt_plan"
                single: 'it''s'
                colon: "a: b"
                url: "https://example.gov.vn/path#section"
                url-single: 'http://x.vn/#frag'
                list: [a, b]
                empty-list: []
                map: {x: 1, y: "z"}
                mixed: a & b
                star-end: 2*
                label: Xã đạt chuẩn nông thôn mới
                ghi-chú: "Tỷ lệ hộ nghèo đa chiều ≤ 5%"
                script: |
                  * a line starting with a star
                  & one with an ampersand
                  !not a tag
                  - not a list
                folded: >-
                  *starred
                  &amp
              - id: second
                check: population * 0.95 >= 1918.05
                when: x!=y and not flag
                multiline: a
                  *b continues the plain value
            """
        let node = try #require(document(text))
        guard case .sequence(let rules)? = value("rules", in: node)?.kind else {
            Issue.record("rules is not a list")
            return
        }
        let first = rules[0]
        #expect(value("check", in: first)?.scalarText == "a <= b * 95%")
        #expect(value("other", in: first)?.scalarText == "a != b")
        #expect(value("negated", in: first)?.scalarText == "!antt_plan")
        #expect(value("single", in: first)?.scalarText == "it's")
        #expect(value("colon", in: first)?.scalarText == "a: b")
        #expect(value("url", in: first)?.scalarText == "https://example.gov.vn/path#section")
        #expect(value("url-single", in: first)?.scalarText == "http://x.vn/#frag")
        #expect(value("mixed", in: first)?.scalarText == "a & b")
        #expect(value("star-end", in: first)?.scalarText == "2*")
        #expect(value("label", in: first)?.scalarText == "Xã đạt chuẩn nông thôn mới")
        #expect(value("ghi-chú", in: first)?.scalarText == "Tỷ lệ hộ nghèo đa chiều ≤ 5%")
        #expect(
            value("script", in: first)?.scalarText
                == "* a line starting with a star\n& one with an ampersand\n!not a tag\n- not a list\n")
        #expect(value("folded", in: first)?.scalarText == "*starred &amp")
        if case .sequence(let items)? = value("list", in: first)?.kind {
            #expect(items.map(\.scalarText) == ["a", "b"])
        } else {
            Issue.record("list is not a list")
        }
        #expect(value("when", in: rules[1])?.scalarText == "x!=y and not flag")
        #expect(value("multiline", in: rules[1])?.scalarText == "a *b continues the plain value")
    }

    @Test("plain scalars keep their raw text: YAML 1.1 booleans, octal, sexagesimal, dates")
    func plainScalarsStayText() {
        let raw = [
            "no", "yes", "on", "off", "NO", "True", "y", "n", "010", "0o10", "01234", "09", "1:30", "190:20:30",
            "0x1F", "0b101", "1_000", "1.10", ".nan", ".inf", "-.inf", "NaN", "2022-03-08", "1180591620717411303424",
        ]
        let text = raw.enumerated().map { "k\($0.offset): \($0.element)" }.joined(separator: "\n")
        let node = document(text)
        for (index, expected) in raw.enumerated() {
            let found = value("k\(index)", in: node)
            #expect(found?.kind == .scalar(expected, .plain), "k\(index)")
        }
        if case .sequence(let items)? = value("countries", in: document("countries: [GB, IE, FR, NO, SE]"))?.kind {
            #expect(items.map(\.scalarText) == ["GB", "IE", "FR", "NO", "SE"])
        }
    }

    @Test("null, quoted and block scalars keep their style")
    func scalarStyles() {
        let node = document("a:\nb: ~\nc: null\nd: \"null\"\ne: ''\nf: |\n  x\ng: Null\n")
        #expect(value("a", in: node)?.kind == .null)
        #expect(value("b", in: node)?.kind == .null)
        #expect(value("c", in: node)?.kind == .null)
        #expect(value("d", in: node)?.kind == .scalar("null", .quoted))
        #expect(value("e", in: node)?.kind == .scalar("", .quoted))
        #expect(value("f", in: node)?.kind == .scalar("x\n", .block))
        #expect(value("g", in: node)?.kind == .scalar("Null", .plain))
    }

    @Test("positions are right after CRLF and CR line ends and non-ASCII text")
    func positionsWithLineEnds() {
        #expect(diagnostics(of: "a: 1\r\nb: Hà Nội\r\nc: *x\r\n").map(place) == ["3:4"])
        #expect(diagnostics(of: "a: 1\rb: 2\rc: *x\r").map(place) == ["3:4"])
        #expect(diagnostics(of: "tên: \"Hà Nội\"\nmã: [Đà, *x]\n").map(place) == ["2:10"])
        let node = document("a: 1\r\nb:\r\n  - x\r\n")
        #expect(value("b", in: node)?.range.start == SourceLocation(line: 3, column: 3))
    }

    @Test("an empty file is refused")
    func emptyFile() {
        for text in ["", "\n\n", "# only a comment\n", "\u{FEFF}"] {
            let found = diagnostics(of: text)
            #expect(found.map(\.id) == ["yaml.empty"], "\(text.debugDescription)")
            #expect(found.first.map(place) == "1:1")
        }
    }

    // MARK: - Regressions: inputs the line-based pre-scan let through or refused wrongly

    @Test("anchors and aliases hidden by a plain scalar starting with '-\"' are found")
    func dashQuoteDoesNotOpenAString() {
        let found = diagnostics(of: "a: -\"\nb: &x [1]\nc: *x\nd: \"x\"\n")
        #expect(found.map(\.id) == ["yaml.anchor", "yaml.alias"])
        #expect(found.map(place) == ["2:4", "3:4"])
    }

    @Test("an alias right after the ':' of a quoted flow key is found")
    func adjacentFlowValue() {
        let found = diagnostics(of: "m: {\"a\":*x}\n")
        #expect(found.map(\.id) == ["yaml.alias"])
        #expect(found.map(place) == ["1:9"])
    }

    @Test("lines after a nested block scalar are scanned at the scalar's own indentation")
    func blockScalarEndsAtItsIndentation() {
        let found = diagnostics(of: "- - |\n    x\n  - &a [1]\n  - *a\n")
        #expect(found.map(\.id) == ["yaml.anchor", "yaml.alias"])
        #expect(found.map(place) == ["3:5", "4:5"])
    }

    @Test("a quote continuing a plain scalar does not open a string")
    func quoteInPlainContinuation() {
        let found = diagnostics(of: "key: foo\n  \"bar\nb: &x [1]\nc: *x\nd: \"x\"\n")
        #expect(found.map(\.id) == ["yaml.anchor", "yaml.alias"])
        #expect(found.map(place) == ["3:4", "4:4"])
    }

    @Test("a '*' continuing a plain scalar is text, as for YAML")
    func starInPlainContinuation() {
        #expect(value("check", in: document("check: a\n  *b\n"))?.scalarText == "a *b")
    }

    // MARK: - Characters

    @Test("every character libyaml's reader refuses is refused by the pre-scan, with a place")
    func readerRefusedCharacters() {
        var refused: [UInt32] = Array(0x00...0x08) + [0x0B, 0x0C] + Array(0x0E...0x1F) + [0x7F]
        refused += Array(0x80...0x9F) + [0xFFFE, 0xFFFF]
        for value in refused {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a: 1\nb: x" + String(Character(scalar)) + "y\n"
            let found = diagnostics(of: text)
            #expect(found.map(\.id) == ["source.control-character"], "U+\(String(value, radix: 16))")
            #expect(found.first.map(place) == "2:5", "U+\(String(value, radix: 16))")
        }
    }

    @Test("the Character offset of a reader error is turned into a line and column")
    func characterOffsets() {
        let file = SourceFile(path: "t", text: "ab\r\ncé\u{301}d\ne")
        #expect(file.location(ofCharacterOffset: 0) == SourceLocation(line: 1, column: 1))
        #expect(file.location(ofCharacterOffset: 3) == SourceLocation(line: 2, column: 1))
        // "é\u{301}" is one Character of two scalars; columns count scalars.
        #expect(file.location(ofCharacterOffset: 5) == SourceLocation(line: 2, column: 4))
        #expect(file.location(ofCharacterOffset: 7) == SourceLocation(line: 3, column: 1))
    }

    // MARK: - Differential check against libyaml

    /// libyaml's scanner problems (the pre-scan must report each of them where libyaml does).
    static let scannerProblems: Set<String> = [
        "found character that cannot start any token", "could not find expected ':'",
        "block sequence entries are not allowed in this context", "mapping keys are not allowed in this context",
        "mapping values are not allowed in this context", "found unexpected ':'",
        "found a tab character that violates indentation",
        "found a tab character where an indentation space is expected", "found an indentation indicator equal to 0",
        "did not find expected comment or line break", "found unexpected document indicator",
        "found unexpected end of stream", "found unknown escape character", "did not find expected hexdecimal number",
        "found invalid Unicode character escape code",
    ]

    @Test("the differential oracle sees aliases and tags that reach Yams")
    func oracleSeesAliases() {
        func flagged(_ text: String) -> Bool { YAMLReader.yamsOnly(SourceFile(path: "o", text: text)).aliasOrTag }
        #expect(flagged("a: &x [1]\nb: *x\n"))
        #expect(flagged("a: &x 1\nb: [2, *x]\n"))
        #expect(flagged("a: !t x\n"))
        #expect(flagged("a: !!binary aGk=\n"))
        #expect(!flagged("{}: \n"))
        #expect(!flagged("a: [1, {b: 2}]\nc:\n- d\n- ''\n"))
    }

    @Test("the pre-scan agrees with libyaml's scanner on generated snippets")
    func differential() {
        let pieces = [
            "a", "b", "ab", "é", "x y", "1", "-1", "<<", ": ", ":", " :", "- ", "-", "? ", "?", "[", "]", "{", "}",
            ", ", ",", "\n", "\n  ", "\n    ", "\n- ", "  ", " ", "\t", "\"", "\"q\"", "'", "'s'", "''", "\\", "\\n",
            "\\x4", "\\uD800", "|", "|-", "|2", ">", " #", " # c", "#", "&x ", "*x", "* ", "!t ", "!", "---", "\n---\n",
            "...", "@", "`", "\r\n", "\r", "a: ", "- a: ", "? a\n: b", "k: |\n  ", "\n\t",
        ]
        // Longer runs by hand: CRITERIA_DIFFERENTIAL_CASES=2000000 CRITERIA_DIFFERENTIAL_SEED=7 swift test --filter differential
        let environment = ProcessInfo.processInfo.environment
        let cases = environment["CRITERIA_DIFFERENTIAL_CASES"].flatMap { Int($0) } ?? 20_000
        let seed = environment["CRITERIA_DIFFERENTIAL_SEED"].flatMap { UInt64($0) } ?? 0x5EED_CAFE
        var rng = SplitMix64(seed: seed)
        var mismatches: [String] = []
        for _ in 0..<cases {
            let count = Int(rng.next() % 24) + 1
            let text = (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let file = SourceFile(path: "g", text: text)
            var scan = YAMLPreScan(file: file, limits: .default, maxNesting: 64)
            scan.run()
            let ours = scan.diagnostics.diagnostics
            let ids = Set(ours.map(\.id.rawValue))
            guard ids.isSubset(of: ["yaml.syntax", "yaml.tab-indent"]) else { continue }
            let yams = YAMLReader.yamsOnly(file)
            if ours.isEmpty {
                if yams.aliasOrTag {
                    mismatches.append("accepted, but Yams read an alias or tag: \(text.debugDescription)")
                }
                if let error = yams.error, Self.scannerProblems.contains(error.message) {
                    mismatches.append(
                        "accepted, but libyaml: \(place(error)) \(error.message): \(text.debugDescription)")
                }
            } else if let mine = ours.first {
                guard let error = yams.error else {
                    mismatches.append("refused \(place(mine)) \(mine.message), libyaml accepts: \(text.debugDescription)")
                    continue
                }
                let mineAt = mine.range.map { ($0.start.line, $0.start.column) } ?? (0, 0)
                let theirs = error.range.map { ($0.start.line, $0.start.column) } ?? (0, 0)
                let sameScannerError = Self.scannerProblems.contains(error.message) && mineAt == theirs
                let earlierParserError = !Self.scannerProblems.contains(error.message) && theirs <= mineAt
                if !(sameScannerError || earlierParserError) {
                    mismatches.append(
                        "pre-scan \(place(mine)) \(mine.message); libyaml \(place(error)) \(error.message): \(text.debugDescription)"
                    )
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(10).joined(separator: "\n"))")
    }
}

