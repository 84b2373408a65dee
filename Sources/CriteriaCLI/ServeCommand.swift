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

    /// Creates the command (ArgumentParser calls this).
    public init() {}

    /// Refuses a number of evaluations at once outside 1 to the number of processors (it was lowered
    /// or raised silently).
    public func validate() throws {
        let processors = ProcessInfo.processInfo.activeProcessorCount
        if let maxConcurrent, !(1...processors).contains(maxConcurrent) {
            throw ValidationError("--max-concurrent must be 1 to \(processors) (the number of processors), not \(maxConcurrent)")
        }
    }

    /// Loads the rules, opens the database and serves until interrupted.
    public func run() async throws {
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
