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

    /// Archives the records made before `--archive-before` and says what it did.
    func archive(_ text: String) throws {
        guard let date = LocalDate(iso: text) else {
            throw ValidationError("--archive-before takes a date YYYY-MM-DD, e.g. 2026-01-01; got '\(text)'")
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
                criteria: đã lưu \(archive.records) quyết định ghi trước \(date)\(ids) vào \(file) (SHA-256 \(archive.fileHash)), \
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
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        let options = ServerOptions(
            rules: rules, database: database, examples: examples.map { Optional($0) }, host: host, port: port,
            maxConcurrentEvaluations: min(processors, maxConcurrent ?? processors))
        let service: CriteriaService
        do {
            service = try CriteriaService(options: options)
        } catch {
            try Failure.output(for: error, color: Terminal.stderrIsTerminal).emit()
            return
        }
        FileHandle.standardError.write(
            Data("criteria: serving \(rules) on http://\(host):\(port)/ (decisions in \(options.database))\n".utf8))
        do {
            try await service.run()
        } catch {
            try CommandOutput(stderr: "error: the server stopped: \(error)\n", exitCode: 1).emit()
        }
    }
}
