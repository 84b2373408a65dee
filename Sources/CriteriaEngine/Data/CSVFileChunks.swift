import Foundation

/// A CSV table read from its file in pieces of whole lines, so that a table of 140 MB is never in
/// memory at once (`Docs/performance.md`).
///
/// Only a plain table is read this way: valid UTF-8 with no quote (so that a record is a line) and
/// no byte-order mark after the start. Each piece is checked before it is handed on; at the first
/// that is not plain, reading stops with `.notPlain`, and the caller reads the dataset again with the
/// whole table in memory, the way that reads quoted fields and reports every problem.
struct CSVFileChunks {
    /// How reading ended.
    enum Ending: Equatable {
        /// Every piece was handed on.
        case done
        /// The file could not be opened or read, or it held more than `maxBytes` (it grew while it was
        /// read, or it never ends); the caller reads it again the careful way, which reports it.
        case unreadable
        /// A piece held a quote, invalid UTF-8 or a byte-order mark; it was not handed on.
        case notPlain
    }

    /// The file's path, as the user named it.
    let path: String
    /// How many bytes are read at a time.
    var pieceSize = 4 << 20
    /// The file's size when it was looked at, to foresee how many entities it holds.
    var size = 0
    /// The most bytes read before giving up (`Limits.maxDataBytes`): the size at open is no bound on a
    /// file that grows while it is read.
    var maxBytes = Int.max

    /// Reads the file and hands each piece to `body`: whole lines (the last piece may lack its line
    /// end), the leading byte-order mark dropped.
    func forEachPiece(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Ending {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .unreadable }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        var started = false
        var total = 0
        while true {
            let data: Data
            do {
                // `nil` at the end of the file.
                data = try handle.read(upToCount: max(pieceSize, 16)) ?? Data()
            } catch {
                return .unreadable
            }
            total += data.count
            if total > maxBytes { return .unreadable }
            buffer.append(contentsOf: data)
            if !started && (buffer.count >= 3 || data.isEmpty) {
                if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
                started = true
            }
            if data.isEmpty {
                guard !buffer.isEmpty else { return .done }
                return buffer.withUnsafeBufferPointer { Self.isPlain($0) ? (body($0), .done).1 : .notPlain }
            }
            // Up to the last line feed; the rest waits for the next read.
            guard started, let end = buffer.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            let plain = buffer.withUnsafeBufferPointer { bytes in
                let piece = UnsafeBufferPointer(rebasing: bytes[...end])
                guard Self.isPlain(piece) else { return false }
                body(piece)
                return true
            }
            guard plain else { return .notPlain }
            buffer.removeSubrange(...end)
        }
    }

    /// Valid UTF-8 without a quote or U+FEFF. A piece ends at a line end, so it never splits a character.
    private static func isPlain(_ piece: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = piece.baseAddress else { return true }
        return memchr(base, Int32(UInt8(ascii: "\"")), piece.count) == nil
            && !SourceReader.contains(0xEF, 0xBB, 0xBF, in: piece)
            && String(validating: piece, as: UTF8.self) != nil
    }
}
