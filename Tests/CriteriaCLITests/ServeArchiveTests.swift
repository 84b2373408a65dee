import CriteriaCLI
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
        let port = try run(["serve", "--rules", Paths.rules, "--database", database, "--port", "0"])
        #expect(port.code == 64)
        #expect(port.stderr.contains("--port phải từ 1 đến 65535, không phải 0"), "\(port.stderr)")
        let concurrent = try run(["serve", "--rules", Paths.rules, "--database", database, "--max-concurrent", "9999"])
        #expect(concurrent.code == 64)
        #expect(concurrent.stderr.contains("--max-concurrent phải từ 1 đến"), "\(concurrent.stderr)")
        #expect(concurrent.stderr.contains("không phải 9999"), "\(concurrent.stderr)")
    }
}

/// Each serving option out of its range is refused before anything starts, in Vietnamese first with
/// the English in brackets, naming the option and the value given.
struct ServeOptionTests {
    static let good = (port: 8080, idle: 60, body: 30, connections: 512, held: Optional(64 << 20), hosts: ["127.0.0.1"])

    @Test(arguments: [
        ("port", "--port phải từ 1 đến 65535, không phải 70000", "(--port must be between 1 and 65535)"),
        ("idle", "--idle-timeout phải từ 0 đến 86400 giây, không phải -1", "(--idle-timeout must be"),
        ("body", "--body-timeout phải từ 0 đến 86400 giây, không phải 90000", "(--body-timeout must be"),
        ("connections", "--max-connections phải ít nhất là 1, không phải 0", "(--max-connections must be at least 1)"),
        ("held", "--max-held-body-size phải ít nhất bằng giới hạn một nội dung yêu cầu", "(--max-held-body-size must be"),
        ("hosts", "--allowed-host nhận một tên máy, ví dụ criteria.example.gov.vn hoặc 127.0.0.1, không phải 'a b'", "(--allowed-host takes"),
    ])
    func aBadOptionIsRefused(option: String, vietnamese: String, english: String) {
        let g = Self.good
        let problem = ServeCommand.problem(
            port: option == "port" ? 70000 : g.port, idleTimeout: option == "idle" ? -1 : g.idle,
            bodyTimeout: option == "body" ? 90000 : g.body, maxConnections: option == "connections" ? 0 : g.connections,
            maxHeldBodySize: option == "held" ? 1024 : g.held, allowedHosts: option == "hosts" ? ["a b"] : g.hosts)
        #expect(problem?.hasPrefix(vietnamese) == true, "\(problem ?? "nil")")
        #expect(problem?.contains(english) == true, "\(problem ?? "nil")")
    }

    @Test func goodOptionsPass() {
        let g = Self.good
        #expect(
            ServeCommand.problem(
                port: g.port, idleTimeout: g.idle, bodyTimeout: g.body, maxConnections: g.connections,
                maxHeldBodySize: g.held, allowedHosts: g.hosts) == nil)
        #expect(
            ServeCommand.problem(port: 1, idleTimeout: 0, bodyTimeout: 86_400, maxConnections: 1, maxHeldBodySize: nil, allowedHosts: [])
                == nil)
    }
}
