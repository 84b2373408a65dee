import Foundation
import Testing

/// `criteria serve --archive-before`: the operator's way to let old decision records go (Docs/server.md).
@Suite("serve --archive-before", .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary)))
struct ServeArchiveTests {
    /// Runs the built executable; its exit code and standard error.
    func run(_ arguments: [String]) throws -> (code: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Paths.root)
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    @Test("archives (here nothing) to a new file and says so in Vietnamese; a bad date is a usage error; an existing file is refused")
    func archive() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-archive-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = folder + "/decisions.sqlite"
        let file = folder + "/old.jsonl"
        let base = ["serve", "--rules", Paths.rules, "--database", database]
        let done = try run(base + ["--archive-before", "2020-01-01", "--archive-to", file])
        #expect(done.code == 0, "\(done.stderr)")
        #expect(done.stderr.contains("đã lưu 0 phiếu kết quả ghi trước 2020-01-01"))
        #expect(FileManager.default.fileExists(atPath: file))
        let again = try run(base + ["--archive-before", "2020-01-01", "--archive-to", file])
        #expect(again.code == 1)
        #expect(again.stderr.contains("tệp lưu trữ đã có; hãy chọn tên khác"))
        let bad = try run(base + ["--archive-before", "2020-13-01"])
        #expect(bad.code == 64)
        #expect(bad.stderr.contains("--archive-before cần một ngày dạng YYYY-MM-DD"))
        #expect(bad.stderr.contains("--archive-before takes a date"))
    }
}
