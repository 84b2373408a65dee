import CriteriaEngine
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTPTypes

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
    /// The methods the address answers, for 405 (the `Allow` header).
    var allow: [HTTPRequest.Method]?
    /// Whether the connection is closed after the answer (a body refused part way is not read to its end).
    var closesConnection = false

    init(_ status: HTTPResponse.Status, _ diagnostics: [Diagnostic], retryAfter: Int? = nil) {
        self.status = status
        self.diagnostics = diagnostics
        self.retryAfter = retryAfter
    }

    /// One diagnostic without a place.
    init(_ status: HTTPResponse.Status, _ id: DiagnosticID, _ message: LocalizedText, hint: LocalizedText? = nil, retryAfter: Int? = nil) {
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
            return RequestError(.badRequest, "request.unreadable", error.text)
        case WorkRefusal.busy:
            return RequestError(
                .serviceUnavailable, "request.busy", .vi("mọi lượt đánh giá đều đang bận; hãy thử lại sau giây lát", en: "every evaluation slot is taken; try again in a moment"),
                hint: .vi("máy chủ chạy mỗi bộ xử lý nhiều nhất một lượt đánh giá cùng lúc", en: "the server runs at most one evaluation per processor at a time"), retryAfter: 1)
        case WorkRefusal.timedOut(let limit):
            return RequestError(
                .serviceUnavailable, "request.timeout",
                .vi("yêu cầu chạy quá giới hạn \(limit.components.seconds) giây", en: "the request took longer than the limit of \(limit.components.seconds) seconds"),
                hint: .vi("hãy gửi bộ dữ liệu nhỏ hơn, hoặc dùng lệnh `criteria check`", en: "send a smaller dataset, or run `criteria check` on the command line"), retryAfter: 5)
        case let error as HTTPError:
            let message =
                error.body.map { LocalizedText.same($0) }
                ?? (error.status == .notFound
                    ? .vi("không có trang hoặc tài nguyên này", en: "there is no such page or resource") : .same(error.status.reasonPhrase))
            return RequestError(error.status, error.status == .notFound ? "request.not-found" : "request.refused", message)
        case is BodyTooLarge:
            return tooLarge(maxBodyBytes)
        case let error as BodyBudget.Exhausted:
            var refused = RequestError(
                .serviceUnavailable, "request.bodies-busy",
                .vi("máy chủ đang giữ nhiều dữ liệu tải lên nhất mà nó được giữ cùng lúc (\(error.capacity >> 20) MiB); hãy thử lại sau giây lát", en: "the server holds as many uploaded bytes as it may at once (\(error.capacity >> 20) MiB); try again in a moment"),
                hint: .vi("các yêu cầu đang tải lên khác sẽ sớm xong; người vận hành có thể nâng giới hạn bằng --max-held-body-size", en: "the other uploads in progress will end soon; the operator can raise the bound with --max-held-body-size"),
                retryAfter: 2)
            refused.closesConnection = true
            return refused
        default:
            // The error's text may hold SQL, paths or other internals: it goes to the server's log
            // under a reference, and the answer carries only the reference (and, for the decision
            // records, which part failed: the store logged the database's own words already).
            let reference = String(UUID().uuidString.prefix(8))
            FileHandle.standardError.write(Data("criteria: internal error \(reference): \(error)\n".utf8))
            let what: LocalizedText = error is DecisionStore.Unavailable ? .vi("hiện không đọc hoặc ghi được các phiếu kết quả", en: "the decision records cannot be read or written now") : .vi("máy chủ không trả lời được", en: "the server could not answer")
            return RequestError(
                .internalServerError, "server.internal", .vi("\(what.vi) (mã tham chiếu \(reference))", en: "\(what.english) (reference \(reference))"),
                hint: .vi("đây là lỗi của máy chủ, không phải của yêu cầu; nhật ký máy chủ có chi tiết theo mã tham chiếu", en: "this is a fault of the server, not of the request; its log has the details under the reference"))
        }
    }

    /// The headers the answer carries: Retry-After for 503, Connection: close for 413 and a body
    /// refused for the server's memory budget.
    var headers: HTTPFields {
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        if status == .contentTooLarge || closesConnection { headers[.connection] = "close" }
        if let allow { headers[.allow] = allow.map(\.rawValue).joined(separator: ", ") }
        return headers
    }

    /// 413 for a body above the limit.
    static func tooLarge(_ limit: Int) -> RequestError {
        RequestError(
            .contentTooLarge, "request.too-large", .vi("phần thân yêu cầu vượt giới hạn \(limit) byte (\(limit >> 20) MiB)", en: "the request body is larger than the limit of \(limit) bytes (\(limit >> 20) MiB)"),
            hint: .vi("hãy tách bộ dữ liệu, hoặc dùng lệnh `criteria check`, lệnh này đọc được tệp lớn hơn", en: "split the dataset, or run `criteria check` on the command line, which reads larger files"))
    }
}

extension RequestError {
    /// 405 for a method the address does not answer, with the methods it does.
    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> RequestError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        var error = RequestError(
            .methodNotAllowed, "request.method-not-allowed",
            .vi("địa chỉ này chỉ nhận \(list), không nhận \(DisplayText.line(method.rawValue))", en: "this address answers \(list), not \(DisplayText.line(method.rawValue))"),
            hint: .vi("hãy dùng \(list)", en: "use \(list)"))
        error.localized = LocalizedText(
            vi: "Địa chỉ này chỉ nhận phương thức \(list), không nhận \(DisplayText.line(method.rawValue)).",
            en: "This address answers \(list) only, not \(DisplayText.line(method.rawValue)).")
        error.allow = allowed
        return error
    }
}

/// The methods of the router's routes by path template, to answer 405 rather than 404 for a
/// method an existing address does not answer.
struct RouteMethods: Sendable {
    /// Each route: its path's segments (`{name}` matches any one segment) and its method.
    let routes: [(segments: [Substring], method: HTTPRequest.Method)]

    init(_ routes: [(path: String, method: HTTPRequest.Method)]) {
        self.routes = routes.map { (Self.segments($0.path), $0.method) }
    }

    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false)
    }

    /// The methods of the routes whose template matches `path`, in the order the routes were added.
    func methods(at path: String) -> [HTTPRequest.Method] {
        let segments = Self.segments(path)
        var methods: [HTTPRequest.Method] = []
        for route in routes where route.segments.count == segments.count && !methods.contains(route.method) {
            let matches = zip(route.segments, segments).allSatisfy { template, segment in
                template.hasPrefix("{") && template.hasSuffix("}") ? !segment.isEmpty : template == segment
            }
            if matches { methods.append(route.method) }
        }
        return methods
    }
}

/// The body went past the limit while it was read.
struct BodyTooLarge: Error {}

/// The bytes of request bodies the server holds at once, across every request: each body is
/// bounded by `ServerOptions.maxBodyBytes`, and this bounds their sum, so many uploads at the limit
/// at once cannot take connections × body limit of memory (`ServerOptions.maxHeldBodyBytes`).
///
/// A body is charged as it arrives (all of it at once when its Content-Length is known) and given
/// back when its request ends, whether it was answered, refused or cancelled
/// (`Request.withBody(limit:budget:_:)`); a body that does not fit is refused with 503.
public final class BodyBudget: @unchecked Sendable {
    // `@unchecked Sendable`: `held` is read and written only while holding `lock`.
    private let lock = NSLock()
    private var held = 0
    /// The most bytes held at once.
    public let capacity: Int

    /// Thrown when a body does not fit in what is left of the budget (503 `request.bodies-busy`).
    struct Exhausted: Error {
        /// The budget's capacity, to say it.
        let capacity: Int
    }

    /// Creates a budget of `capacity` bytes.
    public init(capacity: Int) { self.capacity = max(0, capacity) }

    /// Takes `bytes` from the budget if they fit.
    func reserve(_ bytes: Int) -> Bool {
        lock.withLock {
            guard bytes <= capacity - held else { return false }
            held += bytes
            return true
        }
    }

    /// Gives `bytes` back.
    func release(_ bytes: Int) {
        lock.withLock { held = max(0, held - bytes) }
    }

    /// The bytes held now.
    public var inUse: Int { lock.withLock { held } }
}

extension Request {
    /// Runs `work` with the whole body (`bytes(limit:budget:held:)`), charged to `budget` until
    /// `work` ends, however it ends.
    func withBody<T>(limit: Int, budget: BodyBudget, _ work: ([UInt8]) async throws -> T) async throws -> T {
        var held = 0
        defer { budget.release(held) }
        let bytes = try await bytes(limit: limit, budget: budget, held: &held)
        return try await work(bytes)
    }

    /// The whole body, refused with 413 as soon as it is known to exceed `limit` bytes (from its
    /// Content-Length, or while it streams in), and with 503 (`BodyBudget.Exhausted`) as soon as it
    /// does not fit in `budget`; `held` counts what it took from the budget, for the caller to give
    /// back.
    ///
    /// Before refusing, the rest of the body is read and dropped, up to `limit` more bytes, so that
    /// a client that sends the whole body before it reads the answer gets the refusal rather than a
    /// stalled upload; the answer then closes the connection.
    func bytes(limit: Int, budget: BodyBudget? = nil, held: inout Int) async throws -> [UInt8] {
        var seen = 0
        let declared = headers[.contentLength].flatMap({ Int($0) })
        var refusal: (any Error)? = nil
        if let declared, declared > limit {
            refusal = BodyTooLarge()
        } else if let declared, let budget {
            if budget.reserve(declared) { held = declared } else { refusal = BodyBudget.Exhausted(capacity: budget.capacity) }
        }
        if let refusal {
            // A client that waits for "100 Continue" has sent nothing yet: refuse at once.
            if headers[.expect]?.lowercased() == "100-continue" { throw refusal }
            for try await chunk in body {
                seen += chunk.readableBytes
                if seen > 2 * limit { break }
            }
            throw refusal
        }
        var bytes: [UInt8] = []
        for try await chunk in body {
            seen += chunk.readableBytes
            if refusal == nil && seen > limit { refusal = BodyTooLarge() }
            if refusal == nil, let budget, seen > held {
                if budget.reserve(seen - held) {
                    held = seen
                } else {
                    refusal = BodyBudget.Exhausted(capacity: budget.capacity)
                }
            }
            if refusal != nil {
                bytes = []
                if let budget { budget.release(held) }
                held = 0
                if seen > 2 * limit { break }
                continue
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        if let refusal { throw refusal }
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
///
/// A method the router has no route for, at an address that has routes for other methods, is 405
/// `request.method-not-allowed` with an `Allow` header (RFC 9110 §15.5.6), not 404.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let maxBodyBytes: Int
    /// The router's routes, to tell 405 from 404.
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var refused = RequestError.from(error, maxBodyBytes: maxBodyBytes)
            if let notFound = error as? HTTPError, notFound.status == .notFound, notFound.body == nil {
                let allowed = routes.methods(at: request.uri.path)
                if !allowed.isEmpty, !allowed.contains(request.method) {
                    refused = RequestError.methodNotAllowed(request.method, allowed: allowed)
                }
            }
            if request.uri.path.hasPrefix("/v1/") { return Reply.error(refused) }
            return Reply.html(Pages(language: request.language).errorPage(refused), status: refused.status, headers: refused.headers)
        }
    }
}

// MARK: Security headers

/// The headers every answer carries (Docs/server.md, "Security"): a Content-Security-Policy that
/// allows no inline script (the playground's script is served from `/assets/playground.js`; the one
/// inline style element is allowed by its hash), no framing, no MIME sniffing and no referrer to
/// other sites.
enum SecurityHeaders {
    /// `'sha256-…'` of the pages' one `<style>` element, as CSP wants it.
    static let styleHash: String = {
        let digest = SHA256.hash(data: Data(Pages.styleElementText.utf8))
        return "'sha256-" + Data(digest).base64EncodedString() + "'"
    }()

    /// The Content-Security-Policy: nothing by default; scripts only from this server, styles only
    /// the pages' own style element; fetches only to this server; forms post only here; never framed.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src \(styleHash); img-src data:; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// The fields added to every answer.
    static let fields: [(HTTPField.Name, String)] = {
        var fields: [(HTTPField.Name, String)] = [
            (.contentSecurityPolicy, contentSecurityPolicy), (.xContentTypeOptions, "nosniff"), (.xFrameOptions, "DENY"),
        ]
        for (name, value) in [
            ("Referrer-Policy", "same-origin"), ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
        ] {
            if let name = HTTPField.Name(name) { fields.append((name, value)) }
        }
        return fields
    }()
}

extension HTTPField.Name {
    /// `X-Frame-Options`.
    static var xFrameOptions: Self { Self("X-Frame-Options") ?? .contentType }
    /// `Sec-Fetch-Site`, which browsers send with every request.
    static var secFetchSite: Self { Self("Sec-Fetch-Site") ?? .origin }
}

/// Adds `SecurityHeaders` to every answer, refusals included (it is the outermost middleware).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in SecurityHeaders.fields { response.headers[name] = value }
        return response
    }
}

// MARK: Host and origin

/// Refuses requests for another host name (with `--allowed-host`, against DNS rebinding) and
/// cross-site requests that would change state (against CSRF): Docs/server.md, "Security".
///
/// A state-changing request (any method but GET, HEAD and OPTIONS) is refused when the browser says
/// it comes from another site: `Sec-Fetch-Site` other than `same-origin` or `none`, or, from a
/// browser that does not send `Sec-Fetch-Site`, an `Origin` whose host differs from the `Host`
/// header (and from every allowed host). A request with neither header is not from a browser (curl,
/// scripts) and is served: it carries no cookies or credentials a page could borrow.
struct OriginGuardMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    /// The host names answered (`--allowed-host`); empty: any.
    let allowedHosts: [String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try Self.checkHost(request.head.authority, allowedHosts: allowedHosts)
        if ![.get, .head, .options].contains(request.method) {
            try Self.checkSameOrigin(
                secFetchSite: request.headers[.secFetchSite], origin: request.headers[.origin], authority: request.head.authority,
                allowedHosts: allowedHosts)
        }
        return try await next(request, context)
    }

    /// The host name of a `Host` value, lower-cased, without its port or a trailing dot
    /// (`[::1]:8080` → `::1`).
    static func hostName(_ authority: String) -> String {
        var host = Substring(authority.lowercased())
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        return String(host)
    }

    /// Refuses a `Host` that is not in the allow-list (when there is one): 421, or 400 without one.
    static func checkHost(_ authority: String?, allowedHosts: [String]) throws {
        guard !allowedHosts.isEmpty else { return }
        let allowed = allowedHosts.map { hostName($0) }.joined(separator: ", ")
        guard let authority, !authority.isEmpty else {
            var error = RequestError(
                .badRequest, "request.missing-host", .vi("yêu cầu thiếu tiêu đề Host", en: "the request has no Host header"),
                hint: .vi("máy chủ này chỉ trả lời cho: \(allowed)", en: "this server answers only for: \(allowed)"))
            error.localized = LocalizedText(
                vi: "Yêu cầu thiếu tiêu đề Host. Máy chủ này chỉ trả lời cho: \(allowed).",
                en: "The request has no Host header. This server answers only for: \(allowed).")
            throw error
        }
        let host = hostName(authority)
        guard !allowedHosts.contains(where: { hostName($0) == host }) else { return }
        var error = RequestError(
            .misdirectedRequest, "request.unknown-host", .vi("máy chủ này không phục vụ tên miền '\(host)'", en: "this server does not answer for the host '\(host)'"),
            hint: .vi("máy chủ chỉ phục vụ: \(allowed) (--allowed-host)", en: "it answers only for: \(allowed) (--allowed-host)"))
        error.localized = LocalizedText(
            vi: "Máy chủ này không phục vụ tên miền '\(host)'; chỉ phục vụ: \(allowed).",
            en: "This server does not answer for the host '\(host)'; it answers only for: \(allowed).")
        throw error
    }

    /// Refuses a state-changing request that a browser says comes from another site: 403.
    static func checkSameOrigin(secFetchSite: String?, origin: String?, authority: String?, allowedHosts: [String]) throws {
        let from: String
        if let site = secFetchSite?.trimmingCharacters(in: .whitespaces).lowercased() {
            if site == "same-origin" || site == "none" { return }
            from = "Sec-Fetch-Site: \(site)"
        } else if let origin = origin?.trimmingCharacters(in: .whitespaces) {
            if let components = URLComponents(string: origin), let host = components.host?.lowercased(), !host.isEmpty,
                components.scheme == "http" || components.scheme == "https"
            {
                let originAuthority = (host.contains(":") ? "[\(host)]" : host) + (components.port.map { ":\($0)" } ?? "")
                if let authority, originAuthority == authority.lowercased() { return }
                if allowedHosts.contains(where: { hostName($0) == hostName(originAuthority) }) { return }
            }
            from = "Origin: \(origin.prefix(200))"
        } else {
            return
        }
        var error = RequestError(
            .forbidden, "request.cross-site",
            .vi("yêu cầu làm thay đổi dữ liệu phải đến từ chính các trang của máy chủ này (\(from))", en: "a request that changes something must come from this server's own pages (\(from))"),
            hint: .vi("hãy dùng biểu mẫu trên trang kiểm tra của máy chủ này, hoặc gửi yêu cầu từ một chương trình (curl) thay vì từ một trang web khác", en: "use the form on this server's inspector page, or send the request from a program (curl) rather than another web page"))
        error.localized = LocalizedText(
            vi: "Yêu cầu này đến từ một trang web khác nên bị từ chối (\(from)).\nHãy dùng biểu mẫu trên trang của chính máy chủ này.",
            en: "This request comes from another web site, so it is refused (\(from)).\nUse the form on this server's own pages.")
        throw error
    }
}

// MARK: Request bodies

extension Request {
    /// Refuses a body that is not JSON with 415, for the routes that read only JSON (a cross-site
    /// form can send `text/plain` without the browser asking first; `application/json` it cannot).
    func requireJSON() throws {
        let type = (headers[.contentType] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        guard type != "application/json", !(type.hasPrefix("application/") && type.hasSuffix("+json")) else { return }
        let shown = type.isEmpty ? "no content type" : "'\(type.prefix(100))'"
        throw RequestError(
            .unsupportedMediaType, "request.unsupported-media-type", .vi("đường dẫn này chỉ đọc JSON, không đọc \(type.isEmpty ? "yêu cầu không có Content-Type" : shown)", en: "this route reads JSON only, not \(shown)"),
            hint: .vi("hãy gửi phần thân với Content-Type: application/json", en: "send the body with Content-Type: application/json"))
    }
}

extension Parameters {
    /// A path parameter, percent-decoded (`15100%20A` → `15100 A`); as sent when it does not decode.
    func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        // An id pasted with a space or a line break around it (from a document or a chat) is the id.
        return (raw.removingPercentEncoding ?? raw).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

// MARK: Connections

/// Answers 408 and closes the connection when a request's body has not fully arrived `timeout`
/// after its head (a body sent a byte at a time keeps Hummingbird's idle timeout from firing, so
/// this bounds it). Added to every HTTP/1 channel (`CriteriaService.application()`).
final class BodyTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    /// A response's head has gone out and its end not yet: nothing can be put in between.
    private var midResponse = false

    /// A handler bounding each request body to `timeout`.
    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            timer?.cancel()
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
                self.timer = nil
                self.expire(context: context)
            }
        case .body:
            break
        case .end:
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head: midResponse = true
        case .end: midResponse = false
        case .body: break
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    private func expire(context: ChannelHandlerContext) {
        if !midResponse {
            let seconds = timeout.nanoseconds / 1_000_000_000
            let text = "Phần thân của yêu cầu không đến đủ trong \(seconds) giây; kết nối được đóng.\n"
                + "The request body did not arrive within \(seconds) seconds; the connection is closed.\n"
            var head = HTTPResponse(status: .requestTimeout)
            head.headerFields[.contentType] = "text/plain; charset=utf-8"
            head.headerFields[.contentLength] = "\(text.utf8.count)"
            head.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(ByteBuffer(string: text))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.close(promise: nil)
    }
}

/// Bounds the stop: from the first SIGTERM or SIGINT on, the process exits after `limit` whatever
/// still runs (Hummingbird's graceful shutdown waits for every request in flight, and work past its
/// deadline, or a reload blocked in the file system, could hold it for good).
///
/// The signal is watched on a queue of its own, at a higher QoS than any work, and the wait runs on a
/// thread of its own: the shared dispatch pool may be full of the very work that holds the stop.
final class StopWatchdog {
    private let sources: [any DispatchSourceSignal]

    /// Arms the watchdog: `limit` after the first of `signals`, it says so on standard error and
    /// calls `expire` (which ends the process).
    init(
        after limit: Duration, signals: [Int32] = [SIGTERM, SIGINT],
        expire: @escaping @Sendable () -> Void = { exit(0) }
    ) {
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        // The highest QoS: its threads are not the ones the evaluations (`.userInitiated`) fill.
        let queue = DispatchQueue(label: "criteria.stop-watchdog", qos: .userInteractive)
        sources = signals.map { number in
            #if canImport(Darwin)
                // Dispatch's kqueue sees the signal only if its default action is off (Linux's
                // Dispatch installs its own handler); ServiceLifecycle does the same.
                signal(number, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                Thread.detachNewThread {
                    Thread.sleep(forTimeInterval: seconds)
                    FileHandle.standardError.write(
                        Data("criteria: work still running \(seconds) s after the stop signal; exiting now\n".utf8))
                    expire()
                }
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
