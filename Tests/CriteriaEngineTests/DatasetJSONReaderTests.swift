import CriteriaEngine
import Foundation
import Testing

/// The strict JSON reader: node kinds, positions in Unicode scalars, and located syntax errors.
@Suite struct DatasetJSONReaderTests {
    static func parse(_ text: String, maxNesting: Int = 32) throws(DiagnosticsError) -> DocumentNode {
        try JSONReader.read(SourceFile(path: "x.json", text: text), maxNesting: maxNesting)
    }

    static func errors(_ text: String, maxNesting: Int = 32) -> [Diagnostic] {
        do {
            _ = try parse(text, maxNesting: maxNesting)
            Issue.record("expected an error for \(text)")
            return []
        } catch {
            return error.diagnostics
        }
    }

    static func at(_ line: Int, _ column: Int) -> SourceRange { SourceRange(file: "x.json", line: line, column: column) }

    @Test func nodeKindsKeepRawText() throws {
        let root = try Self.parse(#"{"a": 1.10, "b": -0, "c": 1e5, "d": "12", "e": true, "f": false, "g": null, "h": [], "i": {}}"#)
        guard case .mapping(let pairs) = root.kind else {
            Issue.record("expected a mapping")
            return
        }
        #expect(pairs.map(\.key.kind) == ["a", "b", "c", "d", "e", "f", "g", "h", "i"].map { .scalar($0, .quoted) })
        #expect(
            pairs.map(\.value.kind) == [
                .scalar("1.10", .plain), .scalar("-0", .plain), .scalar("1e5", .plain), .scalar("12", .quoted),
                .scalar("true", .plain), .scalar("false", .plain), .null, .sequence([]), .mapping([]),
            ])
    }

    @Test func positionsCountUnicodeScalars() throws {
        let root = try Self.parse("{\n  \"tên\": \"Xã Đông Hòa\", \"n\": 5,\r\n\t\"🙂\": [true]\n}")
        guard case .mapping(let pairs) = root.kind, pairs.count == 3,
            case .sequence(let items) = pairs[2].value.kind
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(root.range == Self.at(1, 1))
        #expect(pairs[0].key.range == Self.at(2, 3))
        #expect(pairs[0].value.range == Self.at(2, 10))
        #expect(pairs[1].key.range == Self.at(2, 25))
        #expect(pairs[1].value.range == Self.at(2, 30))
        #expect(pairs[2].key.range == Self.at(3, 2))
        #expect(pairs[2].value.range == Self.at(3, 7))
        #expect(items.first?.range == Self.at(3, 8))
    }

    @Test func escapesAndSurrogatePairs() throws {
        let root = try Self.parse(#"["a\"b\\c\/d\n\t", "\u0110\u00F4ng", "\uD83D\uDE42", "x"]"#)
        guard case .sequence(let items) = root.kind else {
            Issue.record("expected a list")
            return
        }
        #expect(items.map(\.kind) == [.scalar("a\"b\\c/d\n\t", .quoted), .scalar("Đông", .quoted), .scalar("🙂", .quoted), .scalar("x", .quoted)])
        #expect(items[3].range == Self.at(1, 54))
    }

    @Test func duplicateKeyIsReportedAtTheSecondKey() {
        let list = Self.errors("{\n  \"id\": \"1\",\n  \"name\": \"A\",\n  \"id\": \"2\"\n}")
        #expect(list.count == 1)
        expectDiagnostic(list, "data.duplicate-key", at: 4, 3, message: "duplicate key 'id' (first defined at 2:3)")
        #expect(list.first?.notes.first?.range == Self.at(2, 3))
    }

    @Test func syntaxErrorsAreLocatedWithWhatWasExpected() {
        expectDiagnostic(Self.errors("{\"a\": 1 \"b\": 2}"), "json.syntax", at: 1, 9, message: "expected ',' or '}' after the value of 'a', found '\"'")
        expectDiagnostic(Self.errors("[1, 2,]"), "json.syntax", at: 1, 7, hint: "remove the last ','")
        expectDiagnostic(Self.errors("{\"a\": 1,}"), "json.syntax", at: 1, 9, hint: "remove the last ','")
        expectDiagnostic(Self.errors("{'a': 1}"), "json.syntax", at: 1, 2, hint: "double quotes")
        expectDiagnostic(Self.errors("{a: 1}"), "json.syntax", at: 1, 2, hint: "put the key in double quotes: \"a\"")
        expectDiagnostic(Self.errors("{\"id\": 01234}"), "json.syntax", at: 1, 8, hint: "\"01234\"")
        expectDiagnostic(Self.errors("{\"a\": \"Đông\n\"}"), "json.syntax", at: 1, 12, hint: "cannot span lines")
        expectDiagnostic(Self.errors("{\"a\": \"open"), "json.syntax", at: 1, 7, message: "close the string opened at 1:7")
        expectDiagnostic(Self.errors("{\"a\": 1} x"), "json.syntax", at: 1, 10, message: "expected the end of the file")
        expectDiagnostic(Self.errors("{\"a\": True}"), "json.syntax", at: 1, 7, hint: "lower case")
        expectDiagnostic(Self.errors("{\"a\": NaN}"), "json.syntax", at: 1, 7, hint: "no NaN")
        expectDiagnostic(Self.errors("{\"a\": .5}"), "json.syntax", at: 1, 7, hint: "0.5")
        expectDiagnostic(Self.errors("{\"a\": 1.}"), "json.syntax", at: 1, 9)
        expectDiagnostic(Self.errors("{\"a\": 1,5}"), "json.syntax", at: 1, 9, hint: "1.5, not 1,5")
        expectDiagnostic(Self.errors("// note\n{}"), "json.syntax", at: 1, 1, hint: "comments")
        expectDiagnostic(Self.errors("{\"a\" 1}"), "json.syntax", at: 1, 6, message: "expected ':' after the key 'a'")
        expectDiagnostic(Self.errors("{\"a\": [1, 2"), "json.syntax", at: 1, 12, hint: "the list opened at 1:7 is not closed")
        expectDiagnostic(Self.errors("\"\\x\""), "json.syntax", at: 1, 2, message: "expected an escape")
        expectDiagnostic(Self.errors("\"\\uD800\""), "json.syntax", at: 1, 2, message: "lone surrogate")
        expectDiagnostic(Self.errors("\"a\u{7}\""), "json.syntax", at: 1, 3, message: "U+0007")
        expectDiagnostic(Self.errors("{\"Xã\": \u{A0}1}"), "json.syntax", at: 1, 8, message: "expected a value")
    }

    @Test func emptyFile() {
        expectDiagnostic(Self.errors(" \n "), "json.empty", at: 2, 2)
        expectDiagnostic(Self.errors(""), "json.empty", at: 1, 1)
    }

    @Test func nestingIsBoundedBeforeDescending() throws {
        _ = try Self.parse("[[1]]", maxNesting: 3)
        expectDiagnostic(Self.errors("[[1]]", maxNesting: 2), "limits.nesting", at: 1, 3)
        let deep = String(repeating: "[", count: 100_000)
        expectDiagnostic(Self.errors(deep), "limits.nesting", at: 1, 33, message: "limit of 32")
    }

    @Test func longStringsAndKeysAreRefused() {
        var limits = Limits.default
        limits.maxScalarLength = 5
        limits.maxKeyLength = 3
        do {
            _ = try JSONReader.read(
                SourceFile(path: "x.json", text: "{\"abcd\": \"ééééé\", \"k\": \"123456\"}"), maxNesting: 8, limits: limits)
            Issue.record("expected errors")
        } catch {
            expectDiagnostic(error.diagnostics, "limits.key-length", at: 1, 2)
            expectDiagnostic(error.diagnostics, "limits.scalar-length", at: 1, 24)
            #expect(error.diagnostics.count == 2)
        }
    }

    @Test func largeFileIsReadInOnePass() throws {
        var text = "{\"dataset\": 1, \"district\": {\"id\": \"1\", \"name\": \"Huyện\", \"communes\": ["
        let count = 20_000
        for index in 0..<count {
            if index > 0 { text += ",\n" }
            text += "{\"id\": \"c\(index)\", \"name\": \"Xã số \(index)\", \"facts\": {\"2024\": {\"social_order_crimes\": \(index % 50), \"antt_plan\": true, \"movement_rating\": \"kha\"}}}"
        }
        text += "]}}"
        #expect(text.utf8.count > 2_000_000)
        let data = try Load.json(text)
        #expect(data.entities.count == count + 1)
        #expect(data.entities[count].range == SourceRange(file: "data.json", line: count, column: 1))
    }
}
