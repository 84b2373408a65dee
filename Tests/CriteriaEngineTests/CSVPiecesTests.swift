@testable import CriteriaEngine
import Foundation
import Testing

/// A CSV table read from its file in pieces gives exactly what the whole table in memory gives:
/// the same entities, facts and places, the same diagnostics; a table that is not plain (a quote,
/// bad UTF-8) is read whole instead.
@Suite struct CSVPiecesTests {
    static let sizes = [16, 37, 100, 4 << 20]

    /// The folder read in pieces of `size` bytes, and read from its tables loaded whole.
    static func bothWays(_ folder: String, size: Int) -> (pieces: Result<Dataset, any Error>, whole: Result<Dataset, any Error>) {
        let pieces = Result { try CSVDatasetReader.read(folder: folder, inputs: DataDictionary.inputs, limits: .default, pieceSize: size) }
        let whole = Result { () throws -> Dataset in
            var tables: [Level: SourceFile] = [:]
            for level in LevelMap.standard.levels {
                let name = CSVDatasetReader.tableName(level)
                guard FileManager.default.fileExists(atPath: folder + "/" + name) else { continue }
                tables[level] = try SourceReader.read(path: folder + "/" + name, maxBytes: 1 << 30)
            }
            return try CSVDatasetReader.read(tables: tables, source: folder, inputs: DataDictionary.inputs)
        }
        return (pieces, whole)
    }

    static func expectSame(_ folder: String, size: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        switch bothWays(folder, size: size) {
        case (.success(let a), .success(let b)):
            #expect(Array(a.entities) == Array(b.entities), "pieces of \(size)", sourceLocation: sourceLocation)
        case (.failure(let a as DiagnosticsError), .failure(let b as DiagnosticsError)):
            #expect(a.diagnostics == b.diagnostics, "pieces of \(size)", sourceLocation: sourceLocation)
        case let (a, b):
            Issue.record("pieces of \(size): \(a) but whole: \(b)", sourceLocation: sourceLocation)
        }
    }

    /// A folder with `districts.csv` and the given `communes.csv` bytes.
    static func folder(communes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("criteria-pieces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data("id,name,year\n380,Huyện Đông Sơn,\n".utf8).write(to: url.appendingPathComponent("districts.csv"))
        try Data(communes).write(to: url.appendingPathComponent("communes.csv"))
        return url.path
    }

    /// Forty communes with a count each year; `row` can change one line.
    static func communes(lineEnd: String = "\n", change: (Int, String) -> String = { $1 }) -> String {
        var text = "id,name,district_id,year,serious_crimes" + lineEnd
        for k in 0..<40 {
            text += change(k, "159\(k + 10),Xã Số \(k) — Đông Sơn,380,2024,\(k % 3)") + lineEnd
            if k % 7 == 0 { text += lineEnd }
        }
        return text
    }

    @Test(arguments: sizes) func theSampleProvince(size: Int) {
        Self.expectSame(repositoryRoot() + "/Examples/thanh-hoa/csv", size: size)
    }

    @Test(arguments: sizes) func plainTablesWithMistakesLateInTheFile(size: Int) throws {
        let texts = [
            Self.communes(),
            "\u{FEFF}" + Self.communes(lineEnd: "\r\n"),
            Self.communes { k, line in k == 33 ? line.replacingOccurrences(of: ",2024,0", with: ",2024,x") : line },
            Self.communes { k, line in k == 25 ? line + ",9" : line },
            String(Self.communes().dropLast()),
        ]
        for text in texts {
            let folder = try Self.folder(communes: Array(text.utf8))
            defer { try? FileManager.default.removeItem(atPath: folder) }
            Self.expectSame(folder, size: size)
        }
    }

    @Test(arguments: sizes) func aQuoteLateInTheTableIsReadWhole(size: Int) throws {
        let text = Self.communes { k, line in k == 38 ? line.replacingOccurrences(of: "Xã Số 38 — Đông Sơn", with: "\"Xã Số 38, mới\"") : line }
        let folder = try Self.folder(communes: Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        Self.expectSame(folder, size: size)
        let data = try CSVDatasetReader.read(folder: folder, inputs: DataDictionary.inputs, limits: .default, pieceSize: size)
        #expect(data.entities.contains { $0.name == "Xã Số 38, mới" })
    }

    @Test(arguments: sizes) func badUTF8LateInTheTableIsReportedAtItsPlace(size: Int) throws {
        var bytes = Array(Self.communes().utf8)
        let line30 = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }[29] + 1
        bytes.insert(0xFF, at: line30 + 3)
        let folder = try Self.folder(communes: bytes)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let list = Load.diagnostics { try CSVDatasetReader.read(folder: folder, inputs: DataDictionary.inputs, limits: .default, pieceSize: size) }
        let lineNumber = bytes[..<line30].filter { $0 == UInt8(ascii: "\n") }.count + 1
        expectDiagnostic(list, "source.invalid-utf8", at: lineNumber, 4)
    }

    @Test func piecesAreWholeLinesAndMakeTheFile() throws {
        let text = "\u{FEFF}" + Self.communes(lineEnd: "\r\n") + "no line end"
        let folder = try Self.folder(communes: Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for size in Self.sizes {
            var pieces: [[UInt8]] = []
            let ending = CSVFileChunks(path: folder + "/communes.csv", pieceSize: size).forEachPiece { pieces.append(Array($0)) }
            #expect(ending == .done)
            #expect(pieces.flatMap { $0 } == Array(text.utf8.dropFirst(3)))
            #expect(pieces.dropLast().allSatisfy { $0.last == UInt8(ascii: "\n") })
        }
        #expect(CSVFileChunks(path: folder + "/nothing.csv").forEachPiece { _ in } == .unreadable)
    }
}
