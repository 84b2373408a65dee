import Foundation
import Testing

@testable import CriteriaEngine

/// The single diagnostic `SourceReader.decode` throws for `bytes`, or `nil` if they decode.
private func decodeError(_ bytes: [UInt8]) -> Diagnostic? {
    do {
        _ = try SourceReader.decode(bytes, path: "b.yaml")
        return nil
    } catch {
        #expect(error.diagnostics.count == 1)
        return error.diagnostics.first
    }
}

private func place(_ d: Diagnostic?) -> String? {
    d?.range.map { "\($0.start.line):\($0.start.column)" }
}

/// A temporary file with `bytes`, removed after `body`.
private func withTemporaryFile<T>(_ bytes: Data, _ body: (String) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("criteria-\(UUID().uuidString).yaml")
    try bytes.write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

@Suite("Source reader")
struct SourceReaderTests {
    @Test(
        "invalid UTF-8 is reported at its line, column and byte",
        arguments: [
            ("a: \u{FF}\u{FE}", [0x61, 0x3A, 0x20, 0xFF, 0xFE], "1:4", 3),
            ("overlong /", [0x61, 0x3A, 0x20, 0xC0, 0xAF], "1:4", 3),
            ("truncated € at the end", [0x61, 0x0A, 0x62, 0xE2, 0x82], "2:2", 3),
            ("truncated € mid-line", [0x61, 0xE2, 0x82, 0x62], "1:2", 1),
            ("lone continuation byte", [0x80], "1:1", 0),
            ("encoded surrogate", [0x61, 0xED, 0xA0, 0x80], "1:2", 1),
            ("beyond U+10FFFF", [0xF4, 0x90, 0x80, 0x80], "1:1", 0),
            ("after Vietnamese text", Array("tên: Hà Nội\nmã: ".utf8) + [0xFF], "2:5", 21),
            ("after CRLF", Array("a: 1\r\nb: ".utf8) + [0xC3], "2:4", 9),
        ] as [(String, [UInt8], String, Int)])
    func invalidUTF8(_ name: String, _ bytes: [UInt8], _ expected: String, _ byte: Int) {
        let d = decodeError(bytes)
        #expect(d?.id == "source.invalid-utf8")
        #expect(place(d) == expected)
        #expect(d?.message.hasPrefix("invalid UTF-8 at byte \(byte) ") == true)
    }

    @Test(
        "a file read from disk gives the text or the diagnostic that decoding its bytes gives",
        arguments: [
            Array("tên: Hà Nội\nmã: 01\n".utf8),
            Array("a: \u{FFFD} is a real character here\n".utf8),
            Array("a: 1\r\nb: ".utf8) + [0xC3],
            [0x61, 0x3A, 0x20, 0xFF, 0xFE],
            [0xEF, 0xBB, 0xBF] + Array("x: 1\n".utf8),
            [],
        ] as [[UInt8]])
    func readMatchesDecode(_ bytes: [UInt8]) throws {
        let fromDisk = try withTemporaryFile(Data(bytes)) { path in
            Result { try SourceReader.read(path: path, maxBytes: 1 << 20) }
        }
        switch (fromDisk, Result { try SourceReader.decode(bytes, path: "b.yaml") }) {
        case (.success(let file), .success(let decoded)):
            #expect(file.text == decoded.text)
        case (.failure(let error as DiagnosticsError), .failure(let decoded as DiagnosticsError)):
            #expect(error.diagnostics.map(\.message) == decoded.diagnostics.map(\.message))
            #expect(place(error.diagnostics.first) == place(decoded.diagnostics.first))
        default:
            Issue.record("reading and decoding disagree: \(fromDisk)")
        }
    }

    @Test("the column of a bad byte does not count a leading byte-order mark")
    func invalidByteAfterBOM() {
        let d = decodeError([0xEF, 0xBB, 0xBF, 0x61, 0x62, 0xFF])
        #expect(place(d) == "1:3")
        #expect(d?.message.hasPrefix("invalid UTF-8 at byte 5 ") == true)
    }

    @Test("a byte-order mark is dropped at the start and refused anywhere else")
    func byteOrderMarks() throws {
        let file = try SourceReader.decode(Array("\u{FEFF}a: 1\n".utf8), path: "b.yaml")
        #expect(file.text == "a: 1\n")
        #expect(file.lines.first == "a: 1")

        #expect(decodeError(Array("ab\u{FEFF}c".utf8)).map(\.id) == "source.bom")
        #expect(place(decodeError(Array("ab\u{FEFF}c".utf8))) == "1:3")
        #expect(place(decodeError(Array("a: 1\n\u{FEFF}b: 2\n".utf8))) == "2:1")
        #expect(place(decodeError(Array("\u{FEFF}a\n b\u{FEFF}".utf8))) == "2:3")
        #expect(place(decodeError(Array("\u{FEFF}\u{FEFF}a".utf8))) == "1:1")
    }

    @Test("NUL and control bytes are valid UTF-8; the YAML reader refuses them at their place")
    func controlBytes() throws {
        for (bytes, expected) in [
            ([0x61, 0x3A, 0x20, 0x78, 0x00, 0x79, 0x0A] as [UInt8], "1:5"),
            ([0x61, 0x3A, 0x20, 0x31, 0x0A, 0x07, 0x62, 0x3A, 0x20, 0x32], "2:1"),
            ([0x61, 0x3A, 0x20, 0x31, 0x0D, 0x0A, 0x62, 0x3A, 0x20, 0x1B], "2:4"),
        ] {
            let file = try SourceReader.decode(bytes, path: "b.yaml")
            #expect(throws: DiagnosticsError.self) { try YAMLReader.read(file, maxNesting: 64) }
            do {
                _ = try YAMLReader.read(file, maxNesting: 64)
            } catch {
                #expect(error.diagnostics.map(\.id) == ["source.control-character"])
                #expect(place(error.diagnostics.first) == expected)
            }
        }
    }

    @Test("a 2 MiB file is refused with limits.file-size when the limit is 1 MiB")
    func fileSizeLimit() throws {
        let data = Data(repeating: 0x61, count: 2 << 20)
        try withTemporaryFile(data) { path throws in
            do {
                _ = try SourceReader.read(path: path, maxBytes: 1 << 20)
                Issue.record("a 2 MiB file was read")
            } catch let error as DiagnosticsError {
                #expect(error.diagnostics.map(\.id) == ["limits.file-size"])
                #expect(error.diagnostics.first?.message == "the file has 2097152 bytes, more than the limit of 1048576")
            }
        }
    }

    @Test("a file exactly at the limit is read; extreme limits do not trap")
    func limitBoundaries() throws {
        try withTemporaryFile(Data("a: 1\n".utf8)) { path throws in
            #expect(try SourceReader.read(path: path, maxBytes: 5).text == "a: 1\n")
            #expect(throws: DiagnosticsError.self) { try SourceReader.read(path: path, maxBytes: 4) }
            #expect(try SourceReader.read(path: path, maxBytes: Int.max).text == "a: 1\n")
            #expect(throws: DiagnosticsError.self) { try SourceReader.read(path: path, maxBytes: -1) }
        }
    }

    @Test("missing files and folders are environment errors, not diagnostics")
    func environmentErrors() {
        #expect(throws: EnvironmentError.unreadable(path: "/nonexistent/criteria.yaml", reason: .vi("không có tệp này", en: "no such file"))) {
            try SourceReader.read(path: "/nonexistent/criteria.yaml", maxBytes: 100)
        }
        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: EnvironmentError.wrongKind(path: folder, expected: .vi("một tệp", en: "a file"))) {
            try SourceReader.read(path: folder, maxBytes: 100)
        }
    }

    @Test("lines are split on LF, CRLF and CR")
    func lineEnds() throws {
        let file = try SourceReader.decode(Array("a\r\nb\rc\nd".utf8), path: "b")
        #expect(file.lines == ["a", "b", "c", "d"])
        #expect(file.location(ofScalarOffset: 3) == SourceLocation(line: 2, column: 1))
        #expect(file.location(ofScalarOffset: 5) == SourceLocation(line: 3, column: 1))
        // A combining mark after a line end starts the next line.
        let marks = try SourceReader.decode(Array("a\n\u{301}b\r\n\u{301}\r".utf8), path: "b")
        #expect(marks.lines.map { Array($0.unicodeScalars) } == [["a"], ["\u{301}", "b"], ["\u{301}"], []])
    }
}
