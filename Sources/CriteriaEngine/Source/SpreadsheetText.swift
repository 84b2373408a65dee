import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The text of a table that a spreadsheet program saved: UTF-8, or, from Excel's plain "CSV" on a
/// Vietnamese Windows, Windows-1258.
///
/// Windows-1258 is decoded by the C library's `iconv` (glibc's CP1258 module composes a base letter and
/// its combining tone mark into one character) and then put in Unicode's composed form (NFC), so that
/// `Xa\u{0300}` and `Xà` read as the same name. TCVN3 (the "ABC" font encoding of older Vietnamese
/// documents) has no decoder here: glibc's TCVN5712-1 is a different table. A table that decodes as
/// Windows-1258 into letters glued to symbols such as `¸`, `µ`, `®` or `§` — which TCVN3 uses for á, à,
/// đ, Đ — is refused with a sentence naming TCVN3, never read as gibberish.
package enum SpreadsheetText {
    /// Reads a data table: as `SourceReader.read` does, and when the bytes are not UTF-8, as Windows-1258.
    ///
    /// - Returns: the file and, when it was converted, a warning that says so (`data.converted-encoding`).
    /// - Throws: what `SourceReader.read` throws; `data.unknown-encoding` when the bytes are neither UTF-8
    ///   nor Windows-1258, or look like TCVN3.
    package static func read(path: String, maxBytes: Int, option: String) throws -> (SourceFile, Diagnostic?) {
        do {
            return (try SourceReader.read(path: path, maxBytes: maxBytes, option: option), nil)
        } catch let error as DiagnosticsError where error.diagnostics.first?.id == "source.invalid-utf8" {
            // The file is within the limit (the size was checked before the encoding).
            guard let handle = FileHandle(forReadingAtPath: path) else { throw error }
            defer { try? handle.close() }
            let data = (try? handle.read(upToCount: max(0, maxBytes))) ?? Data()
            return try decode(Array(data), path: path, utf8Error: error)
        }
    }

    /// Decodes the bytes of an uploaded table: UTF-8, or Windows-1258 with the warning that says so.
    package static func decode(_ bytes: [UInt8], path: String) throws -> (SourceFile, Diagnostic?) {
        do {
            return (try SourceReader.decode(bytes, path: path), nil)
        } catch where error.diagnostics.first?.id == "source.invalid-utf8" {
            return try decode(bytes, path: path, utf8Error: error)
        }
    }

    /// Decodes bytes that are not UTF-8 as Windows-1258, or throws the reason they cannot be read.
    private static func decode(_ bytes: [UInt8], path: String, utf8Error: DiagnosticsError) throws -> (SourceFile, Diagnostic?) {
        // A UTF-8 file with a bad byte (a cut or a paste gone wrong) is reported at that byte: read as
        // Windows-1258, its Vietnamese letters would become look-alike garbage.
        guard !holdsUTF8Letters(bytes) else { throw utf8Error }
        let at = SourceRange(file: path, line: 1, column: 1)
        guard let text = windows1258(bytes) else {
            throw DiagnosticsError(
                [
                    Diagnostic(
                        "data.unknown-encoding", .error,
                        .vi(
                            "tệp không phải UTF-8 cũng không phải Windows-1258 (CP1258); Criteria không đọc được bảng mã của nó",
                            en: "the file is neither UTF-8 nor Windows-1258 (CP1258); Criteria cannot read its encoding"),
                        at: utf8Error.diagnostics.first?.range ?? at,
                        hint: .vi(
                            "trong Excel chọn Lưu thành › 'CSV UTF-8 (Comma delimited)'; với LibreOffice chọn bộ ký tự Unicode (UTF-8)",
                            en: "in Excel choose Save As › 'CSV UTF-8 (Comma delimited)'; in LibreOffice choose the character set Unicode (UTF-8)"))
                ])
        }
        if looksLikeTCVN3(text) {
            throw DiagnosticsError(
                [
                    Diagnostic(
                        "data.unknown-encoding", .error,
                        .vi(
                            "tệp có vẻ được gõ bằng bảng mã TCVN3 (ABC, phông .VnTime): Criteria không chuyển được bảng mã này",
                            en: "the file seems typed in the TCVN3 encoding (ABC, .VnTime fonts): Criteria cannot convert it"),
                        at: at,
                        hint: .vi(
                            "chuyển sang Unicode trước (ví dụ bằng công cụ chuyển mã của Unikey), rồi lưu thành 'CSV UTF-8'",
                            en: "convert it to Unicode first (for example with Unikey's converter), then save it as 'CSV UTF-8'"))
                ])
        }
        let file = SourceFile(path: path, text: text)
        let note = Diagnostic(
            "data.converted-encoding", .warning,
            .vi(
                "tệp không phải UTF-8: đã đọc theo bảng mã Windows-1258 (CP1258, kiểu \"CSV\" của Excel trên Windows tiếng Việt) và chuyển sang Unicode",
                en: "the file is not UTF-8: it was read as Windows-1258 (CP1258, the \"CSV\" of Excel on a Vietnamese Windows) and converted to Unicode"),
            at: at,
            hint: .vi(
                "kiểm tra lại tên đơn vị; để khỏi chuyển mã, lưu tệp thành 'CSV UTF-8 (Comma delimited)'",
                en: "check the names of the units; to avoid the conversion, save the file as 'CSV UTF-8 (Comma delimited)'"))
        return (file, note)
    }

    /// The conversion notes of a dataset's tables as one (a workbook saved as CSV converts every table).
    package static func combined(_ notes: [Diagnostic]) -> [Diagnostic] {
        guard notes.count > 1, var first = notes.first else { return notes }
        let names = notes.compactMap { $0.range.map { URL(fileURLWithPath: $0.file).lastPathComponent } }
        first.text = .vi(
            "các tệp \(names.joined(separator: ", ")) không phải UTF-8: đã đọc theo bảng mã Windows-1258 (CP1258, kiểu \"CSV\" của Excel trên Windows tiếng Việt) và chuyển sang Unicode",
            en: "the files \(names.joined(separator: ", ")) are not UTF-8: they were read as Windows-1258 (CP1258, the \"CSV\" of Excel on a Vietnamese Windows) and converted to Unicode")
        return [first]
    }

    /// Whether the bytes hold a valid multi-byte UTF-8 sequence (a letter beyond ASCII written in UTF-8).
    /// Vietnamese text in Windows-1258 practically never does: its lead bytes (Ă, Đ, Â…) are followed by
    /// letters, not by the continuation bytes 0x80–0xBF, which are symbols there.
    static func holdsUTF8Letters(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            let length: Int
            switch bytes[i] {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default:
                i += 1
                continue
            }
            if i + length <= bytes.count, String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil { return true }
            i += 1
        }
        return false
    }

    /// Windows-1258 bytes as composed (NFC) text, or `nil` when a byte has no character in the code page
    /// or the C library has no CP1258 converter.
    static func windows1258(_ bytes: [UInt8]) -> String? {
        let converter = iconv_open("UTF-8", "CP1258")
        guard let converter, converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        // A byte becomes at most one character of at most 3 UTF-8 bytes (the C library composes a letter
        // and its tone mark into one).
        var output = [UInt8](repeating: 0, count: bytes.count * 3 + 16)
        var input = bytes.map { CChar(bitPattern: $0) }
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var outLeft = outBuffer.count
                guard inPointer != nil, outPointer != nil else { return 0 }
                // Converts, then flushes a letter held back in case a tone mark follows.
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0,
                    iconv(converter, nil, nil, &outPointer, &outLeft) != -1
                else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let produced, let text = String(validating: output[..<produced], as: UTF8.self) else { return nil }
        return text.precomposedStringWithCanonicalMapping
    }

    /// Whether text decoded as Windows-1258 reads like TCVN3: a letter next to one of the Latin-1 symbols
    /// (U+00A1–U+00BF) that TCVN3 puts where Vietnamese letters are; real Vietnamese text in Windows-1258
    /// has none of them inside a word.
    static func looksLikeTCVN3(_ text: String) -> Bool {
        var previousIsLetter = false
        var previousIsSymbol = false
        for scalar in text.unicodeScalars {
            let isSymbol = (0xA1...0xBF).contains(scalar.value)
            let isLetter = scalar.properties.isAlphabetic
            if (isSymbol && previousIsLetter) || (isLetter && previousIsSymbol) { return true }
            previousIsLetter = isLetter
            previousIsSymbol = isSymbol
        }
        return false
    }
}
