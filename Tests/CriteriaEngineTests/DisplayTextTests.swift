@testable import CriteriaEngine
import Foundation
import Testing

/// Safe, short text for display (issue #16 item 6; abuse report findings 11, 14, 16, 17, 20, 21).
@Suite struct DisplayTextTests {
    // MARK: - The helper itself (finding 11)

    @Test func controlBidiAndZeroWidthCharactersAreShownEscaped() {
        let text = "Xã A\u{1B}[1A\u{1B}[2K\r FAKE PASS\u{0}\u{7F}\u{9B}\u{202E}0\u{200B}\u{2028}\t\n"
        let shown = DisplayText.line(text)
        #expect(shown == "Xã A\\u{1B}[1A\\u{1B}[2K\\u{0D} FAKE PASS\\u{00}\\u{7F}\\u{9B}\\u{202E}0\\u{200B}\\u{2028}\\u{09}\\u{0A}")
        #expect(!shown.unicodeScalars.contains { DisplayText.invisible($0) != nil })
        // Several lines: line feeds and tabs kept, a carriage return (which overwrites the row) escaped.
        #expect(DisplayText.lines("a\tb\r\nc\u{1B}") == "a\tb\\u{0D}\nc\\u{1B}")
        // Visible text, Vietnamese included, is returned as it is.
        #expect(DisplayText.line("Xã Đông Hòa — ✓ đạt") == "Xã Đông Hòa — ✓ đạt")
    }

    /// The byte check that lets most text through undecoded misses no scalar `invisible` reports:
    /// every scalar of the Basic Multilingual Plane, alone and between Vietnamese letters, is shown
    /// escaped exactly when it is invisible.
    @Test func theByteCheckMissesNoInvisibleScalar() {
        var missed: [String] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "Xã Hưng" + String(Character(scalar)) + "Đạo"
            let escaped = DisplayText.line(text) != text
            if escaped != (DisplayText.invisible(scalar) != nil) || (escaped && !DisplayText.mayHoldInvisible(text)) {
                missed.append(DisplayText.codePoint(scalar))
            }
        }
        #expect(missed.isEmpty)
        #expect(!DisplayText.mayHoldInvisible("Xã Hưng Đạo, thôn Bản Phố 3, ấp Tân Lộc"))
    }

    @Test func htmlEscapingAlsoNeutralisesBidiAndZeroWidthCharacters() {
        #expect(XMLText.escape("a\u{202E}b\u{200B}<\u{1B}") == "a\\u{202E}b\\u{200B}&lt;\u{FFFD}")
    }

    @Test func markdownShowsControlCharactersEscaped() {
        let markdown = MarkdownRenderer(language: .vi).escape("Xã\u{1B}[31m A\rB")
        #expect(markdown.contains("\\\\u{1B}\\[31m") && markdown.contains("\\\\u{0D}"))
        #expect(!markdown.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\r" })
    }

    // MARK: - Snippets (finding 14)

    static func diagnostic(at column: Int, line: Int = 1, file: String = "f.json", id: DiagnosticID = "json.syntax") -> Diagnostic {
        Diagnostic(id, .error, "problem", at: SourceRange(file: file, line: line, column: column))
    }

    @Test func aSnippetOfAMegabyteLineIsAShortWindowAroundTheColumn() {
        let line = String(repeating: "a", count: 600_000) + "X" + String(repeating: "b", count: 600_000)
        let renderer = DiagnosticRenderer(line: { _, _ in line })
        let text = renderer.text([Self.diagnostic(at: 600_001)])
        #expect(text.count < 1_000)
        let rows = text.split(separator: "\n")
        #expect(rows.count == 3)
        // `…` on both cut sides, and the caret under the X.
        #expect(rows[1].hasPrefix("    1 | …") && rows[1].hasSuffix("…"))
        let x = rows[1].firstIndex(of: "X").map { rows[1].distance(from: rows[1].startIndex, to: $0) }
        let caret = rows[2].firstIndex(of: "^").map { rows[2].distance(from: rows[2].startIndex, to: $0) }
        #expect(x != nil && x == caret)
        // At the very start or end of the line, only the other side is cut.
        let start = renderer.text([Self.diagnostic(at: 1)]).split(separator: "\n")[1]
        #expect(start.hasPrefix("    1 | aaa") && start.hasSuffix("…"))
        let end = renderer.text([Self.diagnostic(at: 1_200_002)]).split(separator: "\n")
        #expect(end[1].hasPrefix("    1 | …") && end[1].hasSuffix("bbb"))
        #expect(end[2].hasSuffix("^") && end[2].count == end[1].count + 1)
    }

    @Test func aControlCharacterInASnippetIsEscapedAndTheCaretStillPointsAtTheColumn() {
        // The refusal of a control character must not print it (the report's `source.control-character` case).
        let renderer = DiagnosticRenderer(line: { _, _ in "name: \"X\u{1B}[2Jy\"" })
        let text = renderer.text([Self.diagnostic(at: 9, id: "source.control-character")])
        #expect(!text.contains("\u{1B}"))
        let rows = text.split(separator: "\n")
        #expect(rows[1] == "    1 | name: \"X\\u{1B}[2Jy\"")
        #expect(rows[2] == "      | " + String(repeating: " ", count: 8) + "^~~~~~")
    }

    @Test func aLineIsShownOncePerDiagnostic() {
        var d = Self.diagnostic(at: 3, file: "r.yaml", id: "rules.duplicate")
        d.notes = [DiagnosticNote("first here", at: SourceRange(file: "r.yaml", line: 1, column: 9))]
        let text = DiagnosticRenderer(line: { _, _ in "a: 1; a: 2" }).text([d])
        #expect(text.components(separatedBy: "a: 1; a: 2").count == 2)
    }

    @Test func repeatedDiagnosticsOfOneKindAreFolded() {
        let anchors = (1...81).map { Self.diagnostic(at: $0, file: "laughs.yaml", id: "yaml.anchor") }
        let other = Self.diagnostic(at: 90, file: "laughs.yaml", id: "yaml.alias")
        let vi = DiagnosticRenderer(line: { _, _ in "x" }).text(anchors + [other])
        #expect(vi.components(separatedBy: ": lỗi: problem [yaml.anchor]\n").count - 1 == DiagnosticRenderer.defaultFoldAfter)
        #expect(vi.hasSuffix("… và 76 lỗi khác cùng loại [yaml.anchor]\n"))
        #expect(vi.contains("[yaml.alias]\n    1 | x"))
        let en = DiagnosticRenderer(language: .en).text(anchors)
        #expect(en.hasSuffix("… and 76 more errors of the same kind [yaml.anchor]\n"))
        // Notes are all shown.
        let notes = (1...8).map { Diagnostic("rules.provisional", .note, "provisional", at: SourceRange(file: "r.yaml", line: $0, column: 1)) }
        #expect(!DiagnosticRenderer().text(notes).contains("…"))
    }

    /// Finding 14: the tree reader behind a JSON error (a 7 MB minified file took 226 s, then 520 s on a
    /// busy machine) copied a list at every item; a list of 100 000 items now reads in one pass.
    @Test func aLongJSONListIsReadWithoutCopyingItAtEveryItem() throws {
        let items = (0..<100_000).map { #"{"id":"c\#($0)"}"# }.joined(separator: ",")
        let root = try JSONReader.read(SourceFile(path: "m.json", text: #"{"list":["# + items + "]}"), maxNesting: 32)
        guard case .mapping(let pairs) = root.kind, case .sequence(let list)? = pairs.first?.value.kind else {
            Issue.record("expected an object holding a list")
            return
        }
        #expect(list.count == 100_000)
    }

    // MARK: - Ids (finding 16)

    @Test(arguments: ["15100\\u200B", "1510\\u202E0", "15100\\u0000", "151\\u001B[1A00", "15100\\t"])
    func anIdWithAnInvisibleCharacterIsRefusedInYAMLAndJSON(id: String) throws {
        let yaml = "dataset: 1\nprovince: { id: \"38\", name: Tỉnh, communes: [ { id: \"15100\", name: Xã A }, { id: \"\(id)\", name: Xã A } ] }\n"
        let list = Load.diagnostics { try Load.yaml(yaml) }
        let found = expectDiagnostic(list, "data.invisible-character", at: 2, 82, hint: "delete the invisible character")
        #expect(found?.message.hasPrefix("'id' holds a") == true)
        #expect(found.map { !$0.message.unicodeScalars.contains { DisplayText.invisible($0) != nil } } == true)
        #expect(!list.contains { $0.id == "data.duplicate-id" })
        // The JSON file reader (its fast path gives way to the decoder, which reports it).
        let json = #"{"dataset": 1, "province": {"id": "38", "name": "T", "communes": [{"id": "\#(id)", "name": "Xã"}]}}"#
        let path = NSTemporaryDirectory() + "criteria-id-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        let fromFile = Load.diagnostics { try DatasetReader.read(path: path, inputs: DataDictionary.inputs) }
        #expect(fromFile.map(\.id) == ["data.invisible-character"])
    }

    @Test func anIdOrParentIdWithAnInvisibleCharacterIsRefusedInCSV() {
        let tables: [Level: String] = [
            .district: "id,name,year\n380,Huyện,\n",
            .commune: "id,name,district_id,year\n15100,Xã A,380,2024\n15100\u{200B},Xã A,380,2024\n15101,Xã \u{1B}[31mB,38\u{1B}0,2024\n15102\t,Xã C,380,2024\n",
        ]
        let list = Load.diagnostics { try Load.csv(tables) }
        expectDiagnostic(list, "data.invisible-character", at: 3, 1, file: "communes.csv", message: "a zero-width character (U+200B) at character 6")
        expectDiagnostic(list, "data.invisible-character", at: 4, 17, file: "communes.csv", message: "'district_id' holds a control character (U+001B)")
        // A tab around an id is still the whitespace mistake; a control character in a name is read
        // (and shown escaped), not refused.
        expectDiagnostic(list, "csv.whitespace", at: 5, 1, file: "communes.csv", message: "with a tab around the value")
        #expect(list.count == 3)
    }

    // MARK: - Reads that stay bounded (finding 17)

    @Test func aTableReadInPiecesStopsAtTheSizeLimitWhateverItsSizeWasAtOpen() throws {
        let path = NSTemporaryDirectory() + "criteria-grow-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try String(repeating: "15100,Xã A,380,2024\n", count: 1_000).write(toFile: path, atomically: true, encoding: .utf8)
        // As if the file had 100 bytes when it was looked at, and grew since.
        let chunks = CSVFileChunks(path: path, pieceSize: 64, size: 100, maxBytes: 1_000)
        var handed = 0
        #expect(chunks.forEachPiece { handed += $0.count } == .unreadable)
        #expect(handed <= 1_000)
        #expect(CSVFileChunks(path: path, pieceSize: 64, size: 100).forEachPiece { _ in } == .done)
    }

    @Test func aTableThatIsALinkToDevZeroIsRefusedNotReadForever() throws {
        let folder = NSTemporaryDirectory() + "criteria-zero-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "id,name,year\n380,Huyện,\n".write(toFile: folder + "/districts.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/communes.csv", withDestinationPath: "/dev/zero")
        #expect(throws: EnvironmentError.wrongKind(path: folder + "/communes.csv", expected: .vi("một tệp thường (đây là FIFO, thiết bị hoặc socket)", en: "a regular file (this is a FIFO, a device or a socket)"))) {
            try DatasetReader.read(path: folder, inputs: DataDictionary.inputs)
        }
    }

    // MARK: - Snapshot names (finding 20)

    @Test func twoTestNamesWithTheSameSlugDoNotShareASnapshot() throws {
        let file = """
            criteria: 1
            tests:
              - name: Trùng tên ảnh chụp
                as_of: 2024-12-31
                data: { commune: { id: X1, name: Xã Một, facts: { 2024: { cases: 5 } } } }
                expect:
                  - { criterion: t, entity: X1, outcome: fail, snapshot: true }
              - name: trung ten anh chup
                as_of: 2024-12-31
                data: { commune: { id: X1, name: Xã Một, facts: { 2024: { cases: 1 } } } }
                expect:
                  - { criterion: t, entity: X1, outcome: pass, snapshot: true }
            """
        let fixture = try RuleSetFixture(["t.yaml": RuleTestRunnerTests.rule, "tests/t.yaml": file])
        let graph = try fixture.graph()
        let cases = try RuleTestLoader.load(files: try RuleTestLoader.testFiles(at: fixture.folder), graph: graph)
        let report = RuleTestRunner(graph: graph).run(cases, snapshot: { _ in nil }, updateSnapshots: true)
        #expect(report.snapshotWrites.count == 1)
        #expect(report.passed == 1 && report.failed == 1)
        guard case .sharedSnapshot(let path, let other, _)? = report.results.last?.checks.first?.mismatches.first else {
            Issue.record("expected a shared snapshot")
            return
        }
        #expect(other == "Trùng tên ảnh chụp" && report.snapshotWrites[path] != nil)
        #expect(TestReport.text(report, coverage: false, color: false, language: .en).contains("is also the snapshot of the test 'Trùng tên ảnh chụp'"))
        #expect(TestReport.text(report, coverage: false, color: false).contains("cũng là ảnh chụp của phép kiểm thử 'Trùng tên ảnh chụp'"))
    }

    // MARK: - File names (finding 21)

    @Test func aFileNameThatIsNotUTF8SaysSo() throws {
        let folder = NSTemporaryDirectory() + "criteria-names-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // p\xFE\xFF.yaml, made with the raw bytes; Swift sees the name with U+FFFD for each bad byte.
        let bytes = Array(folder.utf8) + Array("/p".utf8) + [0xFE, 0xFF] + Array(".yaml".utf8) + [0]
        let descriptor = bytes.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        #expect(descriptor >= 0)
        close(descriptor)
        let seen = folder + "/p\u{FFFD}\u{FFFD}.yaml"
        for read in [{ _ = try DatasetReader.read(path: seen, inputs: DataDictionary.inputs) }, { _ = try SourceReader.read(path: seen, maxBytes: 100) }] {
            do {
                try read()
                Issue.record("read a file that cannot be named")
            } catch let error as EnvironmentError {
                #expect(error.description.contains("the name is not valid UTF-8"))
                #expect(!error.description.contains("no such file"))
                #expect(error.text.vi.contains("tên không phải UTF-8 hợp lệ"))
            }
        }
        // A path that simply does not exist still says so.
        #expect(SourceReader.missingReason(folder + "/nothing.yaml", .same("no such file")) == .same("no such file"))
    }
}
