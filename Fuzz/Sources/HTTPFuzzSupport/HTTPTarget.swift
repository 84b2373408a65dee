import CriteriaServer
import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOEmbedded

/// Bytes → one HTTP request → the server's router, in process (no socket): the bytes are read as
/// an HTTP/1.1 request (`METHOD TARGET VERSION`, header lines, a blank line, the body), leniently —
/// a method that is not a token becomes GET, a header whose name is not a token is dropped, the
/// body's length is what follows the blank line — so that every input reaches the router.
///
/// The service serves the repository's `Rules/` and `Examples/` with its records in memory, one
/// evaluation at a time, a 2 s wall clock and a 256 KiB record cap (so that a run's records stay
/// small).
///
/// Properties: no error escapes the router (the server would answer a bare 500); no answer is a 500
/// (a request's own fault is a 4xx or 503, and this database cannot fail); every answer carries the
/// security headers (`Content-Security-Policy`, `X-Content-Type-Options`); and every refusal under
/// `/v1/` is the diagnostics model, with at least one diagnostic that has an id and a message.
enum HTTPTarget {
    /// The router's responder and the service behind it, built once.
    struct Served: Sendable {
        let responder: RouterResponder<ServerContext>
        let logger: Logger
    }

    static let served: Served = {
        let rules = ProcessInfo.processInfo.environment["CRITERIA_FUZZ_RULES"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Rules")
            .standardizedFileURL.path
        let examples = URL(fileURLWithPath: rules).deletingLastPathComponent().appendingPathComponent("Examples").path
        var options = ServerOptions(
            rules: rules, database: ":memory:", examples: .some(examples), wallClock: .seconds(2), maxConcurrentEvaluations: 1)
        options.maxRecordBytes = 256 << 10
        do {
            let service = try CriteriaService(options: options)
            var logger = Logger(label: "criteria-fuzz")
            logger.logLevel = .critical
            return Served(responder: service.router().buildResponder(), logger: logger)
        } catch {
            fatalError("cannot serve the rules in \(rules) (set CRITERIA_FUZZ_RULES): \(error)")
        }
    }()

    /// A request read from the bytes.
    struct ParsedRequest {
        var head: HTTPRequest
        var body: [UInt8]
    }

    static func parse(_ bytes: [UInt8]) -> ParsedRequest {
        var headEnd = bytes.count
        var bodyStart = bytes.count
        for index in bytes.indices where bytes[index] == 10 {
            if index + 1 < bytes.count, bytes[index + 1] == 10 { headEnd = index; bodyStart = index + 2; break }
            if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 { headEnd = index; bodyStart = index + 3; break }
        }
        let head = String(decoding: bytes[..<headEnd], as: UTF8.self)
        // "\r\n" is one Character: split on it and on a bare "\n".
        var lines = head.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\r\n" || $0 == "\n" })
        let requestLine = lines.isEmpty ? "" : lines.removeFirst()
        let words = requestLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        let method = words.first.flatMap { HTTPRequest.Method(String($0)) } ?? .get
        var target = words.count > 1 ? String(words[1]) : "/"
        if !target.hasPrefix("/") { target = "/" + target }
        var fields = HTTPFields()
        // As NIO does, the Host header becomes the request's authority.
        var authority = "127.0.0.1:8080"
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            guard let name = HTTPField.Name(String(line[..<colon])) else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name.canonicalName == "host" { authority = value } else { fields.append(HTTPField(name: name, value: value)) }
        }
        let body = Array(bytes[bodyStart...])
        fields[.contentLength] = String(body.count)
        return ParsedRequest(
            head: HTTPRequest(method: method, scheme: "http", authority: authority, path: target, headerFields: fields), body: body)
    }

    /// What the router answered.
    final class Answer: @unchecked Sendable {
        var response: HTTPResponse?
        var body: [UInt8] = []
        var escaped: String?
    }

    /// Collects a response's body.
    struct Collector: ResponseBodyWriter {
        let answer: Answer
        mutating func write(_ buffer: ByteBuffer) async throws { answer.body += Array(buffer: buffer) }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    static func run(_ bytes: [UInt8]) {
        let request = parse(bytes)
        let served = Self.served
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        Task {
            defer { done.signal() }
            let context = ServerContext(source: .init(channel: NIOAsyncTestingChannel(), logger: served.logger))
            do {
                let response = try await served.responder.respond(
                    to: Request(head: request.head, body: RequestBody(buffer: ByteBuffer(bytes: request.body))), context: context)
                answer.response = response.head
                try await response.body.write(Collector(answer: answer))
            } catch {
                answer.escaped = "\(type(of: error))"
            }
        }
        done.wait()
        check(answer, path: request.head.path ?? "/")
    }

    /// `CRITERIA_FUZZ_VERBOSE=1` prints each answer's status and path (to see what seeds reach).
    static let verbose = ProcessInfo.processInfo.environment["CRITERIA_FUZZ_VERBOSE"] == "1"

    static func check(_ answer: Answer, path: String) {
        if verbose { print("\(answer.response?.status.code ?? 0) \(path) \(answer.body.count) bytes") }
        if let escaped = answer.escaped { HTTPFuzzProperty.violation("an error escaped the router: \(escaped) for \(path)") }
        guard let response = answer.response else { HTTPFuzzProperty.violation("no answer for \(path)") }
        if response.status.code == 500 {
            HTTPFuzzProperty.violation("500 for \(path): \(String(decoding: answer.body.prefix(500), as: UTF8.self))")
        }
        guard response.headerFields[.contentSecurityPolicy] != nil, response.headerFields[.xContentTypeOptions] == "nosniff" else {
            HTTPFuzzProperty.violation("\(response.status.code) for \(path) without the security headers")
        }
        guard path.hasPrefix("/v1/"), response.status.code >= 400, response.status.code != 408 else { return }
        guard let model = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any],
            let diagnostics = model["diagnostics"] as? [[String: Any]], let first = diagnostics.first,
            first["id"] is String, first["message"] is String
        else {
            HTTPFuzzProperty.violation(
                "\(response.status.code) for \(path) is not the diagnostics model: \(String(decoding: answer.body.prefix(500), as: UTF8.self))")
        }
    }
}
