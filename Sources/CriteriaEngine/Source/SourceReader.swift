import Foundation

/// Problems with the environment rather than the user's text: a file that cannot be read at all.
public enum EnvironmentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file does not exist or cannot be opened, and why, in both languages.
    case unreadable(path: String, reason: LocalizedText)
    /// The path names a folder where a file was expected, or the other way round: what was expected,
    /// in both languages.
    case wrongKind(path: String, expected: LocalizedText)

    /// One sentence for the user, in both languages (the command line and the web service show the
    /// one asked for, Vietnamese by default).
    public var text: LocalizedText {
        switch self {
        case .unreadable(let path, let reason):
            .vi("không đọc được '\(path)': \(reason.vi)", en: "cannot read '\(path)': \(reason.english)")
        case .wrongKind(let path, let expected):
            .vi("'\(path)' không phải là \(expected.vi)", en: "'\(path)' is not \(expected.english)")
        }
    }

    /// The sentence in English, for logs.
    public var description: String { text.english }
}

/// Reads input files as bytes and turns them into validated `SourceFile`s.
public enum SourceReader {
    /// Reads a file of at most `maxBytes` bytes and validates it as UTF-8.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - maxBytes: the size limit.
    ///   - option: the command-line option that raises this limit, named in the hint when the file is
    ///     too large (`--max-file-size` for rule, test and plan files).
    /// - Throws: `EnvironmentError` when the file cannot be read; `DiagnosticsError` when it is too
    ///   large or is not valid UTF-8 (with the line and column of the first bad byte).
    public static func read(path: String, maxBytes: Int, option: String = "--max-file-size") throws -> SourceFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EnvironmentError.unreadable(path: path, reason: missingReason(path, .vi("không có tệp này", en: "no such file")))
        }
        if isDirectory.boolValue { throw EnvironmentError.wrongKind(path: path, expected: .vi("một tệp", en: "a file")) }
        // A FIFO or a device would block or never end: only regular files are opened.
        guard FileFinder.kind(of: path, following: true) == .regular else {
            throw EnvironmentError.wrongKind(path: path, expected: .vi("một tệp thường (đây là FIFO, thiết bị hoặc socket)", en: "a regular file (this is a FIFO, a device or a socket)"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw EnvironmentError.unreadable(path: path, reason: .vi("không có quyền đọc", en: "permission denied"))
        }
        defer { try? handle.close() }
        let limit = max(0, maxBytes)
        if let size = fileSize(path), size <= limit, let text = readValidText(handle, size: size) {
            let file = SourceFile(path: path, text: text)
            try rejectInnerBOM(file)
            return file
        }
        // Anything unusual (a file that changed size, a read error, bytes that are not UTF-8 or a
        // U+FFFD in the text) is read again the careful way, which reports it.
        do { try handle.seek(toOffset: 0) } catch { throw EnvironmentError.unreadable(path: path, reason: .vi("đọc không thành công", en: "read failed")) }
        let data: Data
        do {
            // One byte more than allowed tells "too large" from "exactly at the limit".
            data = try handle.read(upToCount: limit == Int.max ? limit : limit + 1) ?? Data()
        } catch {
            throw EnvironmentError.unreadable(path: path, reason: .vi("đọc không thành công", en: "read failed"))
        }
        if data.count > limit {
            let message =
                fileSize(path).flatMap { size -> LocalizedText? in
                    size > limit ? .vi("tệp có \(size) byte, vượt giới hạn \(limit)", en: "the file has \(size) bytes, more than the limit of \(limit)") : nil
                }
                ?? .vi("tệp lớn hơn giới hạn \(limit) byte", en: "the file is larger than the limit of \(limit) bytes")
            throw DiagnosticsError(
                Diagnostic(
                    "limits.file-size", .error, message,
                    at: SourceRange(file: path, line: 1, column: 1),
                    hint: .vi(
                        "hãy tách tệp, dùng CSV cho bộ dữ liệu lớn, hoặc nâng giới hạn bằng \(option)",
                        en: "split the file, use CSV for large datasets, or raise the limit with \(option)")))
        }
        // Valid UTF-8 (the common case) becomes text without an intermediate copy of the bytes.
        if let text = data.withUnsafeBytes({ String(validating: $0.bindMemory(to: UInt8.self), as: UTF8.self) }) {
            let file = SourceFile(path: path, text: text)
            try rejectInnerBOM(file)
            return file
        }
        return try decode(Array(data), path: path)
    }

    /// Reads a file of `size` bytes straight into a string's storage, for a large data file read
    /// without a second copy of its bytes. `nil` when the file does not have exactly `size` bytes, a
    /// read fails, or the text has a U+FFFD: the string repairs bad UTF-8 with that character, so
    /// text without one was valid as read (a file that really holds U+FFFD takes the careful path).
    private static func readValidText(_ handle: FileHandle, size: Int) -> String? {
        let descriptor = handle.fileDescriptor
        var complete = true
        // One byte more than expected tells a file that grew since its size was read.
        let text = String(unsafeUninitializedCapacity: size + 1) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var count = 0
            while count < buffer.count {
                let n = systemRead(descriptor, base + count, buffer.count - count)
                if n == 0 { break }
                if n < 0 {
                    if errno == EINTR { continue }
                    complete = false
                    break
                }
                count += n
            }
            if count != size { complete = false }
            return complete ? count : 0
        }
        guard complete else { return nil }
        // U+FFFD is EF BF BD in UTF-8.
        return contains(0xEF, 0xBF, 0xBD, in: text) ? nil : text
    }

    /// Why a path that does not exist cannot be read: `fallback` ("no such file"), or, when the path
    /// holds U+FFFD, that its name is not UTF-8. A name with bytes that are not UTF-8 reaches Swift with
    /// each bad byte replaced by U+FFFD, so the file exists under a name that cannot be spelt here.
    package static func missingReason(_ path: String, _ fallback: LocalizedText) -> LocalizedText {
        guard path.unicodeScalars.contains("\u{FFFD}") else { return fallback }
        return .vi(
            "tên không phải UTF-8 hợp lệ (mỗi byte sai hiện thành \u{FFFD}) nên không mở được tệp hay thư mục theo tên đó; hãy đổi sang tên UTF-8",
            en: "the name is not valid UTF-8 (each byte that is not shows as \u{FFFD}), so the file or folder cannot be opened by it; rename it with a UTF-8 name")
    }

    /// Whether the path is a regular file (through links): the only kind of file Criteria opens.
    package static func isRegularFile(_ path: String) -> Bool {
        FileFinder.kind(of: path, following: true) == .regular
    }

    /// The size of a regular file, when the file system tells it.
    static func fileSize(_ path: String) -> Int? {
        guard let value = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] else { return nil }
        if let number = value as? NSNumber { return number.intValue }
        if let number = value as? UInt64 { return Int(exactly: number) }
        return value as? Int
    }

    /// Validates bytes as UTF-8 and wraps them as a source file.
    ///
    /// A byte-order mark is accepted at the start only. An invalid byte is reported at its line and
    /// column (in the text without the leading byte-order mark) with its 0-based byte offset; the text
    /// is never repaired with replacement characters.
    public static func decode(_ bytes: [UInt8], path: String) throws(DiagnosticsError) -> SourceFile {
        if let text = String(validating: bytes, as: UTF8.self) {
            let file = SourceFile(path: path, text: text)
            try rejectInnerBOM(file)
            return file
        }
        let offset = firstInvalidByte(bytes)
        let prefix = String(validating: bytes[..<offset], as: UTF8.self) ?? ""
        let before = SourceFile(path: path, text: prefix)
        let location = before.location(ofScalarOffset: before.text.unicodeScalars.count)
        throw DiagnosticsError(
            Diagnostic(
                "source.invalid-utf8", .error,
                .vi(
                    "byte thứ \(offset) (0x\(String(bytes[offset], radix: 16, uppercase: true))) không phải UTF-8 hợp lệ",
                    en: "invalid UTF-8 at byte \(offset) (0x\(String(bytes[offset], radix: 16, uppercase: true)))"),
                at: SourceRange(file: path, start: location),
                hint: .vi(
                    "hãy lưu tệp theo bảng mã UTF-8; các chương trình bảng tính gọi là 'CSV UTF-8'",
                    en: "save the file as UTF-8; spreadsheet programs call it 'CSV UTF-8'")))
    }

    /// Refuses a byte-order mark anywhere but at the very start (which `SourceFile` has dropped).
    private static func rejectInnerBOM(_ file: SourceFile) throws(DiagnosticsError) {
        // U+FEFF is EF BB BF in UTF-8: the scalars are walked only when the sequence is there.
        guard contains(0xEF, 0xBB, 0xBF, in: file.text) else { return }
        var offset = 0
        for scalar in file.text.unicodeScalars {
            if scalar == "\u{FEFF}" {
                throw DiagnosticsError(
                    Diagnostic(
                        "source.bom", .error,
                        .vi("dấu thứ tự byte (U+FEFF) chỉ được đặt ở ngay đầu tệp", en: "a byte-order mark (U+FEFF) is allowed only at the very start of a file"),
                        at: SourceRange(file: file.path, start: file.location(ofScalarOffset: offset)),
                        hint: .vi(
                            "hãy xoá ký tự vô hình này; nó thường xuất hiện khi dán nối hai tệp với nhau",
                            en: "delete the invisible character; it often comes from pasting two files together")))
            }
            offset += 1
        }
    }

    /// Whether the UTF-8 of `text` holds the three bytes `a b c`.
    private static func contains(_ a: UInt8, _ b: UInt8, _ c: UInt8, in text: String) -> Bool {
        var text = text
        return text.withUTF8 { contains(a, b, c, in: $0) }
    }

    /// Whether `bytes` holds the three bytes `a b c`, found with `memchr` (a data file of 100 MB is
    /// searched in milliseconds).
    static func contains(_ a: UInt8, _ b: UInt8, _ c: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var i = 0
        while i + 2 < bytes.count {
            guard let hit = memchr(base + i, Int32(a), bytes.count - i) else { return false }
            i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if i + 2 < bytes.count && bytes[i + 1] == b && bytes[i + 2] == c { return true }
            i += 1
        }
        return false
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence.
    static func firstInvalidByte(_ bytes: [UInt8]) -> Int {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            if index + length > bytes.count { return index }
            let sequence = bytes[index..<(index + length)]
            if String(validating: sequence, as: UTF8.self) == nil { return index }
            index += length
        }
        return max(0, bytes.count - 1)
    }
}

/// The system's `read(2)`, under a name that `SourceReader.read` does not hide.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
