@testable import CriteriaEngine
import Testing

private func diagnostic(_ id: DiagnosticID, _ line: Int, _ column: Int, _ message: String = "m") -> Diagnostic {
    Diagnostic(id, .error, message, at: SourceRange(file: "f", line: line, column: column))
}

@Suite("Marked fixtures")
struct MarkedFixtureTests {
    @Test("markers are stripped everywhere and positioned in the stripped text")
    func positions() throws {
        let fixture = try MarkedFixture(
            name: "inline",
            marked: "# expect 1️⃣ 2️⃣: a.b\n# expect 3️⃣: c.d\n1️⃣key: value2️⃣\n  Hà 3️⃣x\n")
        #expect(fixture.text == "# expect  : a.b\n# expect : c.d\nkey: value\n  Hà x\n")
        #expect(fixture.markers[1] == SourceLocation(line: 3, column: 1))
        #expect(fixture.markers[2] == SourceLocation(line: 3, column: 11))
        #expect(fixture.markers[3] == SourceLocation(line: 4, column: 6))
        #expect(fixture.expected.map(\.id) == ["a.b", "a.b", "c.d"])
        fixture.expectDiagnostics([diagnostic("c.d", 4, 6), diagnostic("a.b", 3, 11), diagnostic("a.b", 3, 1)])
    }

    @Test("the same marker can carry several ids; a place-less diagnostic uses '# expect: id'")
    func multiset() throws {
        let fixture = try MarkedFixture(
            name: "inline", marked: "# expect 1️⃣: x.y\n# expect 1️⃣: x.z\n# expect: limits.diagnostics\na: 1️⃣b\n")
        fixture.expectDiagnostics([
            diagnostic("x.z", 4, 4), diagnostic("x.y", 4, 4),
            Diagnostic("limits.diagnostics", .error, "… and 3 more", at: nil),
        ])
    }

    @Test("CRLF line ends, keycaps without U+FE0F and a leading byte-order mark")
    func lineEndsAndBOM() throws {
        let fixture = try MarkedFixture(name: "inline", marked: "\u{FEFF}1⃣a: 1\r\n# expect 1️⃣ 2⃣: e\r\nb: 2⃣*x\r\n")
        #expect(fixture.markers[1] == SourceLocation(line: 1, column: 1))
        #expect(fixture.markers[2] == SourceLocation(line: 3, column: 4))
        #expect(fixture.text == "\u{FEFF}a: 1\r\n# expect  : e\r\nb: *x\r\n")
    }

    @Test("a mismatch is recorded as one issue naming what is missing and what is unexpected")
    func mismatch() throws {
        let fixture = try MarkedFixture(name: "inline", marked: "# expect 1️⃣: a.b\nx: 1️⃣y\n")
        withKnownIssue {
            fixture.expectDiagnostics([diagnostic("a.b", 2, 5, "off by one")])
        } matching: { issue in
            let text = String(describing: issue)
            return text.contains("missing:    2:4 a.b") && text.contains("unexpected: 2:5 a.b — off by one")
        }
        withKnownIssue {
            fixture.expectDiagnostics([])
        }
    }

    @Test("message, hint and note lines check the texts of the diagnostics at their marker")
    func texts() throws {
        let fixture = try MarkedFixture(
            name: "inline",
            marked: "# expect 1️⃣: a.b\n# message 1️⃣: wrong\n# hint 1️⃣: write\n# note 1️⃣: first\nx: 1️⃣y\n")
        #expect(fixture.textChecks.map(\.kind) == ["message", "hint", "note"])
        let good = Diagnostic(
            "a.b", .error, "something wrong", at: SourceRange(file: "f", line: 5, column: 4),
            notes: [DiagnosticNote("first here")], hint: "write z")
        fixture.expectDiagnostics([good])
        var bad = good
        bad.hintText = .same("nothing useful")
        withKnownIssue {
            fixture.expectDiagnostics([bad])
        } matching: { issue in
            String(describing: issue).contains("no hint contains \"write\"")
        }
    }

    @Test("limits and known-issue lines")
    func limitsAndKnownIssue() throws {
        let fixture = try MarkedFixture(
            name: "inline", marked: "# limits: maxDiagnostics=2, maxExpressionDepth=5\n# known-issue: not fixed yet\na: 1\n")
        #expect(fixture.knownIssue == "not fixed yet")
        let limits = fixture.limits()
        #expect(limits.maxDiagnostics == 2)
        #expect(limits.maxExpressionDepth == 5)
        #expect(limits.maxRuleNesting == Limits.default.maxRuleNesting)
        #expect(throws: MarkedFixture.FormatError.self) { try MarkedFixture(name: "bad", marked: "# limits: maxWhatever=2\n") }
    }

    @Test("invalid UTF-8 stays as bytes; columns count one per byte that starts a character")
    func invalidBytes() throws {
        let bytes: [UInt8] = Array("# expect 1️⃣: source.invalid-utf8\nid: Hà".utf8) + Array("1️⃣".utf8) + [0xFF, 0x0A]
        let fixture = try MarkedFixture(name: "bytes", bytes: bytes)
        #expect(fixture.markers[1] == SourceLocation(line: 2, column: 7))
        #expect(fixture.bytes.suffix(2) == [0xFF, 0x0A])
        #expect(throws: DiagnosticsError.self) { try SourceReader.decode(fixture.bytes, path: "bytes") }
        do {
            _ = try SourceReader.decode(fixture.bytes, path: "bytes")
        } catch {
            fixture.expectDiagnostics(error.diagnostics)
        }
    }

    @Test(
        "malformed fixtures are refused",
        arguments: [
            "a: 1️⃣b\n",  // a position marker without '# expect'
            "# expect 1️⃣: a\nb: c\n",  // '# expect' names a marker that is not in the text
            "# expect 1️⃣: a\n1️⃣a: 1️⃣b\n",  // a marker used twice
            "# expect 1️⃣ a\n1️⃣a\n",  // no colon
            "# expect 1️⃣:\n1️⃣a\n",  // no id
            "# hint: text\na\n",  // a text check without a marker
            "# expect 1️⃣: a\n# note 2️⃣: x\n1️⃣a\n",  // a text check names a marker that is not in the text
        ])
    func malformed(_ text: String) {
        #expect(throws: MarkedFixture.FormatError.self) { try MarkedFixture(name: "bad", marked: text) }
    }
}
