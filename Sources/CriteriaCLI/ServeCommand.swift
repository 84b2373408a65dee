import ArgumentParser
import CriteriaEngine
import CriteriaServer
import Foundation

/// `criteria serve`: the web pages and the JSON API over the rules of a folder (Docs/server.md).
public struct ServeCommand: AsyncParsableCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the inspector, criteria and playground pages and the JSON API (/v1/) over the rules of a folder.",
        discussion: """
            Binds 127.0.0.1 by default: put it behind a reverse proxy to reach it from elsewhere (Docs/server.md). \
            The rules are reloaded when their files change; a change that does not check is not used, and the status \
            page says why. Every evaluation is recorded in the SQLite file given by --database. Stops on Ctrl-C. \
            Exit 1 when the rules do not check at start-up or the address cannot be bound.
            """)

    /// The rules served.
    @Option(help: "The rules folder to serve.")
    var rules: String = "Rules"

    /// The address to bind.
    @Option(help: "The address to bind (127.0.0.1: this machine only).")
    var host: String = "127.0.0.1"

    /// The port.
    @Option(help: "The port to listen on.")
    var port: Int = 8080

    /// The decision records.
    @Option(help: "The SQLite file of decision records (default: criteria-decisions.sqlite beside the rules folder).")
    var database: String?

    /// The sample datasets offered.
    @Option(help: "A folder of sample datasets (each sub-folder with a province.yaml) offered on the inspector page (default: Examples beside the rules folder).")
    var examples: String?

    /// Evaluations at once.
    @Option(name: .customLong("max-concurrent"), help: "Evaluations at once (default and maximum: the number of processors).")
    var maxConcurrent: Int?

    /// The idle (and header) timeout.
    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a connection may send nothing (between requests, or before a request's head is complete) before it is closed; 0: never (default 30).")
    var idleTimeout: Int = 30

    /// The body timeout.
    @Option(
        name: .customLong("body-timeout"),
        help: "Seconds a request's body may take to arrive, after its head; then 408 and the connection is closed; 0: no bound (default 60).")
    var bodyTimeout: Int = 60

    /// The connection cap.
    @Option(
        name: .customLong("max-connections"),
        help: "Connections open at once; more wait until one closes (default 256, and never more than the open-file limit allows).")
    var maxConnections: Int = 256

    /// The bytes of request bodies held at once.
    @Option(
        name: .customLong("max-held-body-size"),
        help: ArgumentHelp(
            "Bytes of request bodies the server holds at once, all requests together (512M, 64M…); a body past it gets 503 with Retry-After. At least the body limit, 8M. Default 64M.",
            valueName: "size"))
    var maxHeldBodySize: ByteCount?

    /// The host names answered.
    @Option(
        name: .customLong("allowed-host"),
        help: "A host name the server answers for (repeat for several); requests for any other Host get 421. Default: any.")
    var allowedHosts: [String] = []

    /// Archive and remove the records made before this day, instead of serving.
    @Option(
        name: .customLong("archive-before"),
        help: "Instead of serving: write every decision record made before this day (YYYY-MM-DD, UTC) to --archive-to, then remove them from the database; the archive itself is recorded.")
    var archiveBefore: String?

    /// The archive file.
    @Option(name: .customLong("archive-to"), help: "The new JSON Lines file for --archive-before (default: beside the database, named by the date).")
    var archiveTo: String?

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Refuses a number of evaluations at once outside 1 to the number of processors (it was lowered
    /// or raised silently).
    public func validate() throws {
        let processors = ProcessInfo.processInfo.activeProcessorCount
        if let maxConcurrent, !(1...processors).contains(maxConcurrent) {
            throw ValidationError(
                "--max-concurrent phải từ 1 đến \(processors) (số bộ xử lý), không phải \(maxConcurrent) "
                    + "(--max-concurrent must be 1 to \(processors), the number of processors, not \(maxConcurrent))")
        }
    }

    /// What is wrong with the serving options, in Vietnamese with the English in brackets, or `nil`.
    package static func problem(
        port: Int, idleTimeout: Int, bodyTimeout: Int, maxConnections: Int, maxHeldBodySize: Int?, allowedHosts: [String]
    ) -> String? {
        if !(1...65535).contains(port) {
            return "--port phải từ 1 đến 65535, không phải \(port) (--port must be between 1 and 65535)"
        }
        if !(0...86_400).contains(idleTimeout) {
            return "--idle-timeout phải từ 0 đến 86400 giây, không phải \(idleTimeout) (--idle-timeout must be between 0 and 86400 seconds)"
        }
        if !(0...86_400).contains(bodyTimeout) {
            return "--body-timeout phải từ 0 đến 86400 giây, không phải \(bodyTimeout) (--body-timeout must be between 0 and 86400 seconds)"
        }
        if maxConnections < 1 {
            return "--max-connections phải ít nhất là 1, không phải \(maxConnections) (--max-connections must be at least 1)"
        }
        if let maxHeldBodySize, maxHeldBodySize < 8 << 20 {
            return "--max-held-body-size phải ít nhất bằng giới hạn một nội dung yêu cầu, 8M (8388608 byte), không phải \(maxHeldBodySize) byte "
                + "(--max-held-body-size must be at least the body limit, 8M, 8388608 bytes)"
        }
        if let bad = allowedHosts.first(where: { $0.isEmpty || $0.contains(where: { $0 == "/" || $0 == " " || $0 == "," }) }) {
            return "--allowed-host nhận một tên máy, ví dụ criteria.example.gov.vn hoặc 127.0.0.1, không phải '\(bad)' "
                + "(--allowed-host takes one host name, such as criteria.example.gov.vn or 127.0.0.1)"
        }
        return nil
    }

    /// Archives the records made before `--archive-before` and says what it did.
    func archive(_ text: String) throws {
        guard let date = LocalDate(iso: text) else {
            throw ValidationError(
                "--archive-before cần một ngày dạng YYYY-MM-DD, ví dụ 2026-01-01; nhận được '\(text)' "
                    + "(--archive-before takes a date YYYY-MM-DD, e.g. 2026-01-01)")
        }
        let database = database ?? ServerOptions.defaultDatabase(rules: rules)
        let file =
            archiveTo
            ?? ((database as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
                "criteria-decisions-before-\(date).jsonl")
        let archive = try DecisionStore(path: database).archive(before: date, to: file)
        let ids = archive.firstID.map { first in " (\(first) … \(archive.lastID ?? first))" } ?? ""
        FileHandle.standardError.write(
            Data(
                """
                criteria: đã lưu \(archive.records) phiếu kết quả ghi trước \(date)\(ids) vào \(file) (SHA-256 \(archive.fileHash)), \
                rồi xoá khỏi \(database); lần lưu trữ này được ghi lại trong cơ sở dữ liệu.

                """.utf8))
    }

    /// Loads the rules, opens the database and serves until interrupted.
    public func run() async throws {
        if let archiveBefore {
            do {
                try archive(archiveBefore)
            } catch let error as ValidationError {
                throw error
            } catch {
                try Failure.output(for: error, color: Terminal.stderrIsTerminal).emit()
            }
            return
        }
        let processors = ProcessInfo.processInfo.activeProcessorCount
        if let problem = Self.problem(
            port: port, idleTimeout: idleTimeout, bodyTimeout: bodyTimeout, maxConnections: maxConnections,
            maxHeldBodySize: maxHeldBodySize?.bytes, allowedHosts: allowedHosts)
        {
            throw ValidationError(problem)
        }
        let connections = min(maxConnections, Self.connectionsTheFileLimitAllows())
        if connections < maxConnections {
            FileHandle.standardError.write(
                Data(
                    "criteria: nhận tối đa \(connections) kết nối cùng lúc (giới hạn số tệp mở, ulimit -n, không cho phép hơn)\n".utf8))
        }
        var options = ServerOptions(
            rules: rules, database: database, examples: examples.map { Optional($0) }, host: host, port: port,
            maxConcurrentEvaluations: min(processors, maxConcurrent ?? processors),
            idleTimeout: idleTimeout > 0 ? .seconds(idleTimeout) : nil, bodyTimeout: bodyTimeout > 0 ? .seconds(bodyTimeout) : nil,
            maxConnections: connections, allowedHosts: allowedHosts)
        if let maxHeldBodySize { options.maxHeldBodyBytes = maxHeldBodySize.bytes }
        let service: CriteriaService
        do {
            service = try CriteriaService(options: options)
        } catch {
            try Failure.output(for: error, color: Terminal.stderrIsTerminal).emit()
            return
        }
        FileHandle.standardError.write(
            Data("criteria: đang phục vụ \(rules) tại http://\(host):\(port)/ (phiếu kết quả lưu trong \(options.database))\n".utf8))
        do {
            try await service.run()
        } catch {
            try CommandOutput(stderr: "lỗi: máy chủ đã dừng: \(DisplayText.lines(error.localizedDescription))\n", exitCode: 1).emit()
        }
    }

    /// The connections the soft open-file limit leaves room for, keeping 64 descriptors for the
    /// database, the rule files and the listener: past the limit, accepting fails and spins.
    static func connectionsTheFileLimitAllows() -> Int {
        var limit = rlimit()
        #if os(Linux)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur != rlim_t.max else { return Int.max }
        return max(1, Int(clamping: limit.rlim_cur) - 64)
    }
}
