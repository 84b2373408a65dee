import CriteriaEngine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's basics, with the server's body limit.
public struct ServerContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage

    /// Creates the context for a request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The largest body Hummingbird's own decoders accept; the server's routes read bodies with
    /// `ServerOptions.maxBodyBytes` themselves.
    public var maxUploadSize: Int { 8 << 20 }
}

/// A request the server refuses, with the diagnostics that say why.
struct RequestError: Error {
    /// The status to answer with (always 4xx or 503).
    var status: HTTPResponse.Status
    /// What went wrong.
    var diagnostics: [Diagnostic]
    /// Seconds after which a retry may succeed (for 503).
    var retryAfter: Int?
    /// The refusal in both languages, for a page, when there is more to say than the diagnostics.
    var localized: LocalizedText?

    init(_ status: HTTPResponse.Status, _ diagnostics: [Diagnostic], retryAfter: Int? = nil) {
        self.status = status
        self.diagnostics = diagnostics
        self.retryAfter = retryAfter
    }

    /// One diagnostic without a place.
    init(_ status: HTTPResponse.Status, _ id: DiagnosticID, _ message: String, hint: String? = nil, retryAfter: Int? = nil) {
        self.init(status, [Diagnostic(id, .error, message, at: nil, hint: hint)], retryAfter: retryAfter)
    }

    /// Maps any error of a route to the answer: diagnostics in the data are 422, a refused request
    /// keeps its status, saturation and timeouts are 503, and only a bug in the server is 500.
    static func from(_ error: any Error, maxBodyBytes: Int) -> RequestError {
        switch error {
        case let error as RequestError:
            return error
        case let error as DiagnosticsError:
            return RequestError(.unprocessableContent, error.diagnostics)
        case let error as EnvironmentError:
            return RequestError(.badRequest, "request.unreadable", error.description)
        case WorkRefusal.busy:
            return RequestError(
                .serviceUnavailable, "request.busy", "every evaluation slot is taken; try again in a moment",
                hint: "the server runs at most one evaluation per processor at a time", retryAfter: 1)
        case WorkRefusal.timedOut(let limit):
            return RequestError(
                .serviceUnavailable, "request.timeout",
                "the request took longer than the limit of \(limit.components.seconds) seconds",
                hint: "send a smaller dataset, or run `criteria check` on the command line", retryAfter: 5)
        case let error as HTTPError:
            let message = error.body ?? (error.status == .notFound ? "there is no such page or resource" : error.status.reasonPhrase)
            return RequestError(error.status, error.status == .notFound ? "request.not-found" : "request.refused", message)
        case is BodyTooLarge:
            return tooLarge(maxBodyBytes)
        default:
            return RequestError(.internalServerError, "server.internal", "the server could not answer: \(error)")
        }
    }

    /// The headers the answer carries: Retry-After for 503, Connection: close for 413.
    var headers: HTTPFields {
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        if status == .contentTooLarge { headers[.connection] = "close" }
        return headers
    }

    /// 413 for a body above the limit.
    static func tooLarge(_ limit: Int) -> RequestError {
        RequestError(
            .contentTooLarge, "request.too-large", "the request body is larger than the limit of \(limit) bytes (\(limit >> 20) MiB)",
            hint: "split the dataset, or run `criteria check` on the command line, which reads larger files")
    }
}

/// The body went past the limit while it was read.
struct BodyTooLarge: Error {}

extension Request {
    /// The whole body, refused with 413 as soon as it is known to exceed `limit` bytes (from its
    /// Content-Length, or while it streams in).
    ///
    /// Before refusing, the rest of the body is read and dropped, up to `limit` more bytes, so that
    /// a client that sends the whole body before it reads the answer gets the 413 rather than a
    /// stalled upload; the answer then closes the connection.
    func bytes(limit: Int) async throws -> [UInt8] {
        var seen = 0
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            // A client that waits for "100 Continue" has sent nothing yet: refuse at once.
            if headers[.expect]?.lowercased() == "100-continue" { throw BodyTooLarge() }
            for try await chunk in body {
                seen += chunk.readableBytes
                if seen > 2 * limit { break }
            }
            throw BodyTooLarge()
        }
        var bytes: [UInt8] = []
        var tooLarge = false
        for try await chunk in body {
            seen += chunk.readableBytes
            if tooLarge || seen > limit {
                tooLarge = true
                bytes = []
                if seen > 2 * limit { break }
                continue
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        if tooLarge { throw BodyTooLarge() }
        return bytes
    }

    /// A query parameter.
    func query(_ name: String) -> String? { uri.queryParameters.get(name) }

    /// The page language: `?lang=en` for English, Vietnamese otherwise.
    var language: Language { query("lang") == "en" ? .en : .vi }
}

/// Building responses.
enum Reply {
    /// JSON of the versioned models, keys sorted.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An HTML page.
    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Plain text of some content type.
    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A redirect after a form post.
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// The diagnostics model for a refused API request.
    static func error(_ error: RequestError) -> Response {
        json(DiagnosticsOutputV1(error.diagnostics), status: error.status, headers: error.headers)
    }
}

/// Turns errors that escape a route (an unknown path, a wrong method) into the diagnostics model for
/// `/v1/` and an HTML page elsewhere, so no request is answered with a bare error.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let refused = RequestError.from(error, maxBodyBytes: maxBodyBytes)
            if request.uri.path.hasPrefix("/v1/") { return Reply.error(refused) }
            return Reply.html(Pages(language: request.language).errorPage(refused), status: refused.status, headers: refused.headers)
        }
    }
}
