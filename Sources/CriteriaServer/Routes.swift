import CriteriaEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

extension CriteriaService {
    /// The router with every route: the JSON API under `/v1/` (described by `/v1/openapi.yaml`) and
    /// the web pages.
    public func router() -> Router<ServerContext> {
        // The routes once more on a router of their own, for the 405 of ErrorMiddleware.
        let table = Router(context: ServerContext.self)
        addRoutes(to: table)
        let routes = RouteMethods(table.routes.map { ($0.path.description, $0.method) })
        let router = Router(context: ServerContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(maxBodyBytes: options.maxBodyBytes, routes: routes))
        router.add(middleware: OriginGuardMiddleware(allowedHosts: options.allowedHosts))
        addRoutes(to: router)
        return router
    }

    /// Every route, once: the same list serves requests and tells the 405 which methods an address
    /// answers (a route added to one and not the other answered TRACE /plans with 404).
    private func addRoutes(to router: Router<ServerContext>) {
        addAPIRoutes(to: router)
        addPageRoutes(to: router)
        addPlanRoutes(to: router)
    }

    // MARK: API

    private func addAPIRoutes(to router: Router<ServerContext>) {
        router.get("/v1/openapi.yaml") { _, _ in
            Reply.text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
        }
        router.get("/v1/status") { _, _ in Reply.json(await self.status()) }
        router.get("/v1/samples") { _, _ in
            Reply.json(SamplesV1(samples: self.samples.map { .init(id: $0.id, file: "Examples/\($0.id)/province.yaml") }))
        }
        router.get("/v1/criteria") { _, _ in Reply.json(await self.criteriaList()) }
        router.get("/v1/criteria/{id}") { _, context in
            Reply.json(try await self.criterion(try context.parameters.decoded("id")))
        }
        router.post("/v1/evaluations") { request, context in
            try await request.withBody(limit: self.options.maxBodyBytes, budget: self.bodies) { bytes in
                let (input, fields) = try await self.datasetInput(request: request, bytes: bytes)
                let asOf = request.query("as_of") ?? fields?.values("as_of").first
                let criteria = request.uri.queryParameters.getAll("criteria") + (fields?.values("criteria") ?? [])
                let record = try await self.evaluate(input, asOf: asOf, criteria: criteria)
                return Reply.json(record, status: .created, headers: [.location: "/v1/decisions/\(record.id)"])
            }
        }
        router.get("/v1/decisions") { request, _ in
            let limit = try Self.limit(request.query("limit"))
            return Reply.json(DecisionListV1(decisions: try self.decisions.recent(limit: limit)))
        }
        router.get("/v1/decisions/{id}") { _, context in
            Reply.json(try await self.record(try context.parameters.decoded("id")))
        }
        router.get("/v1/decisions/{id}/entities/{entity}") { request, context in
            let (_, entity) = try await self.entity(
                try context.parameters.decoded("id"), unit: try context.parameters.decoded("entity"), full: request.query("full") == "1")
            return Reply.json(entity)
        }
        router.post("/v1/check") { request, _ in
            let edit = try await self.edit(request)
            let (_, diagnostics) = try await self.check(edit)
            return Reply.json(DiagnosticsOutputV1(diagnostics))
        }
        router.post("/v1/tests") { request, _ in
            Reply.json(try await self.runTests(try await self.edit(request)))
        }
        router.post("/v1/diff") { request, _ in
            Reply.json(try await self.diff(try await self.edit(request)))
        }
        router.post("/v1/changes.zip") { request, _ in
            let data = try await self.changeArchive(try await self.edit(request), language: request.language)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/zip", .contentDisposition: "attachment; filename=\"thay-doi-quy-tac.zip\"", .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("/v1/rule-file") { request, _ in
            Reply.json(try await self.ruleFile(request.query("file")))
        }
    }

    /// A playground request's body.
    private func edit(_ request: Request) async throws -> RuleEditV1 {
        try request.requireJSON()
        return try await request.withBody(limit: options.maxBodyBytes, budget: bodies) { bytes in
            do {
                return try JSONDecoder().decode(RuleEditV1.self, from: Data(bytes))
            } catch {
                throw RequestError(
                    .badRequest, "request.bad-json", .vi("phần thân không phải là JSON mà đường dẫn này đọc", en: "the body is not the JSON this route reads"),
                    hint: .vi("hãy gửi {\"file\": \"xa-ntm/19.2.yaml\", \"text\": \"…\"} hoặc {\"files\": [{\"file\": …, \"text\": …}, …]} với Content-Type: application/json", en: "send {\"file\": \"xa-ntm/19.2.yaml\", \"text\": \"…\"} or {\"files\": [{\"file\": …, \"text\": …}, …]} with Content-Type: application/json"))
            }
        }
    }

    /// The dataset of an evaluation request, by its content type; the form too, for a multipart body.
    ///
    /// The form is parsed and the input hashed off the event loops (an upload may be 8 MiB).
    func datasetInput(request: Request, bytes: [UInt8]) async throws -> (DatasetInput, MultipartForm?) {
        let contentType = request.headers[.contentType] ?? ""
        let name = request.query("name")
        let map = await rules.current.graph.inputs.map
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) { _ in
            try self.datasetInput(contentType: contentType, name: name, bytes: bytes, map: map)
        }
    }

    private func datasetInput(contentType: String, name: String?, bytes: [UInt8], map: LevelMap) throws -> (DatasetInput, MultipartForm?) {
        guard !bytes.isEmpty else {
            throw RequestError(
                .badRequest, "request.empty", .vi("yêu cầu không có bộ dữ liệu", en: "the request has no dataset"),
                hint: .vi("hãy gửi bộ dữ liệu YAML hoặc JSON làm phần thân, hoặc các bảng CSV dưới dạng biểu mẫu multipart", en: "send a YAML or JSON dataset as the body, or CSV tables as a multipart form"))
        }
        if let boundary = MultipartForm.boundary(contentType: contentType) {
            let form: MultipartForm
            do {
                form = try MultipartForm(body: bytes, boundary: boundary)
            } catch let error as MultipartForm.Malformed {
                throw RequestError(.badRequest, "request.bad-form", .vi("không đọc được biểu mẫu: \(error.reason)", en: "the form cannot be read: \(error.reason)"))
            }
            guard let input = try DatasetInput.from(form: form, samples: samples, map: map) else {
                throw RequestError(
                    .badRequest, "request.empty", .vi("biểu mẫu không có bộ dữ liệu", en: "the form holds no dataset"),
                    hint: .vi("hãy thêm trường file (YAML hoặc JSON), các bảng CSV trong các trường province, districts, communes, hamlets, units (và successions), hoặc trường sample", en: "add a file field (YAML or JSON), CSV tables in fields province, districts, communes, hamlets, units (and successions), or a sample field"))
            }
            return (input, form)
        }
        if let format = DatasetInput.format(contentType: contentType) {
            let name = name.map(DatasetInput.safeName) ?? "upload.\(format.rawValue)"
            return (DatasetInput(name: name, hash: RuleSetHash.sha256(bytes), content: .document(bytes, format)), nil)
        }
        if DatasetInput.isWorkbook(filename: name ?? "", contentType: contentType) {
            let name = name.map(DatasetInput.safeName) ?? "upload.xlsx"
            return (DatasetInput(name: name, hash: RuleSetHash.sha256(bytes), content: .workbook(bytes)), nil)
        }
        let type = contentType.isEmpty ? "no content type" : "'\(contentType)'"
        let hint: LocalizedText =
            contentType.lowercased().hasPrefix("text/csv")
            ? .vi("bộ dữ liệu CSV gồm nhiều bảng: hãy gửi chúng dưới dạng các trường multipart/form-data province, districts, communes, hamlets và units", en: "a CSV dataset is a set of tables: send them as multipart/form-data fields province, districts, communes, hamlets and units")
            : .vi("hãy dùng Content-Type application/yaml, application/json hoặc \(DatasetInput.workbookType) (.xlsx), hoặc multipart/form-data cho các bảng CSV", en: "use Content-Type application/yaml, application/json or \(DatasetInput.workbookType) (.xlsx), or multipart/form-data for CSV tables")
        throw RequestError(.unsupportedMediaType, "request.unsupported-media-type", .vi("không đọc được bộ dữ liệu từ \(contentType.isEmpty ? "một yêu cầu không có Content-Type" : type)", en: "a dataset cannot be read from \(type)"), hint: hint)
    }

    // MARK: Pages

    private func addPageRoutes(to router: Router<ServerContext>) {
        router.get("/") { request, _ in
            let pages = Pages(language: request.language)
            return Reply.html(
                pages.inspector(
                    map: await self.rules.current.graph.inputs.map, samples: self.samples, criteria: await self.criteriaList(), date: await self.suggestedDate(),
                    recent: (try? self.decisions.recent(limit: 10)) ?? [], reloadFailure: await self.rules.lastFailure != nil))
        }
        router.post("/inspect") { request, _ in
            var pages = Pages(language: request.language)
            do {
                return try await request.withBody(limit: self.options.maxBodyBytes, budget: self.bodies) { bytes in
                    let (input, form) = try await self.datasetInput(request: request, bytes: bytes)
                    if form?.values("lang").first == "en" { pages.language = .en }
                    let record = try await self.evaluate(
                        input, asOf: form?.values("as_of").first, criteria: form?.values("criteria") ?? [])
                    if let plan = form?.values("plan").first, !plan.isEmpty {
                        return Reply.seeOther(pages.planHref(record: record.id, plan: plan))
                    }
                    return Reply.seeOther(pages.href("/decisions/" + Pages.component(record.id)))
                }
            } catch {
                let refused = RequestError.from(error, maxBodyBytes: self.options.maxBodyBytes)
                return Reply.html(pages.errorPage(refused, back: "/"), status: refused.status, headers: refused.headers)
            }
        }
        router.get("/decisions") { request, _ in
            let id = (request.query("id") ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            return Reply.seeOther(Pages(language: request.language).href("/decisions/" + Pages.component(id)))
        }
        router.get("/decisions/{id}") { request, context in
            let record = try await self.record(try context.parameters.decoded("id"))
            let plans = await self.servedPlans()
            return Reply.html(
                Pages(language: request.language).record(record, problemsOnly: request.query("show") == "problems", plans: plans))
        }
        router.get("/decisions/{id}/export.xlsx") { request, context in
            try await self.workbook(try context.parameters.decoded("id"), language: request.language)
        }
        router.get("/decisions/{id}/entities/{entity}") { request, context in
            let full = request.query("full") == "1"
            let (record, answer) = try await self.entity(
                try context.parameters.decoded("id"), unit: try context.parameters.decoded("entity"), full: full)
            return Reply.html(Pages(language: request.language).entity(record, entity: answer.entity, full: full))
        }
        router.get("/criteria") { request, _ in
            let served = await self.rules.current
            let page = CriterionPage(graph: served.graph, tests: served.tests, rulesFolder: served.folder)
            return Reply.html(Pages(language: request.language).criteriaIndex(page.index(), rulesHash: served.hash))
        }
        router.get("/criteria/{id}") { request, context in
            Reply.html(Pages(language: request.language).criterion(try await self.criterion(try context.parameters.decoded("id"))))
        }
        router.get("/playground") { request, _ in
            let served = await self.rules.current
            let testFiles = (try? RuleTestLoader.testFiles(at: served.folder)) ?? []
            let tests = testFiles.map { RuleSetHash.relative($0, to: served.folder) }
            let files = served.files.map { RuleSetHash.relative($0, to: served.folder) } + tests.sorted()
            let wanted = request.query("file") ?? request.query("criterion").flatMap { id in
                served.graph.criteria[id]?.last.map { RuleSetHash.relative($0.file, to: served.folder) }
            }
            let file = wanted ?? served.graph.order.first.flatMap { served.graph.criteria[$0]?.last }.map {
                RuleSetHash.relative($0.file, to: served.folder)
            } ?? files.first ?? "playground.yaml"
            let path = try self.editedPath(RuleEditV1(file: file))
            let text = await self.servedRuleOrTestText(path, tests: Set(testFiles.map { ($0 as NSString).standardizingPath }))
            return Reply.html(
                Pages(language: request.language).playground(
                    files: files, file: file, path: path, text: text ?? "criteria: 1\n", isNew: text == nil, samples: self.samples,
                    date: await self.suggestedDate()))
        }
        router.get(RouterPath(Pages.playgroundScriptPath)) { _, _ in
            var response = Reply.text(Pages.playgroundScript, contentType: "text/javascript; charset=utf-8")
            response.headers[.cacheControl] = "no-cache"
            return response
        }
        router.get("/status") { request, _ in
            Reply.html(Pages(language: request.language).status(await self.status(), plans: await self.servedPlans()))
        }
    }

    // MARK: Running

    /// The application serving the router on the configured address, with the connection bounds of
    /// `ServerOptions`: Hummingbird's idle timeout (which is also the header timeout: NIO hands a
    /// request on only once its head is complete), `BodyTimeoutHandler` for the body, and
    /// Hummingbird's `MaximumAvailableConnections` for the connection cap.
    public func application() -> some ApplicationProtocol {
        let bodyTimeout = options.bodyTimeout
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: bodyTimeout.map { [BodyTimeoutHandler(timeout: TimeAmount($0))] } ?? [],
            idleTimeout: options.idleTimeout.map { TimeAmount($0) })
        return Application(
            router: router(), server: .http1(configuration: http1),
            configuration: .init(
                address: .hostname(options.host, port: options.port), serverName: "criteria",
                availableConnectionsDelegate: MaximumAvailableConnections(options.maxConnections)))
    }

    /// Serves until the process is interrupted (SIGINT or SIGTERM), reloading the rules when their
    /// files change. On the signal the server stops taking connections and lets the requests in
    /// flight finish; whatever still runs `options.stopTimeout` later (an evaluation past its
    /// deadline, a slow reload) does not hold the process: it exits.
    public func run() async throws {
        let app = application()
        let watchdog = StopWatchdog(after: options.stopTimeout)
        // Not awaited: a reload blocked in the file system must not keep the process alive.
        let watcher = Task { await self.rules.watch(every: self.options.pollInterval) }
        defer { watcher.cancel() }
        try await app.runService()
        withExtendedLifetime(watchdog) {}
    }
}

extension CriteriaService {
    /// The `limit` of a list: 20 when absent, a whole number brought into 1…100; anything else
    /// (`abc`, `1.5`, `-3`) is a 400 rather than silently the default.
    static func limit(_ text: String?) throws -> Int {
        guard let text else { return 20 }
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= 1 else {
            var error = RequestError(
                .badRequest, "request.bad-query", .vi("'limit' phải là số nguyên từ 1 đến 100, không phải '\(DisplayText.line(text))'", en: "'limit' must be a whole number from 1 to 100, not '\(DisplayText.line(text))'"),
                hint: .vi("ví dụ ?limit=20", en: "for example ?limit=20"))
            error.localized = LocalizedText(
                vi: "Tham số limit phải là số nguyên từ 1 đến 100, không phải '\(DisplayText.line(text))'.",
                en: "The limit must be a whole number from 1 to 100, not '\(DisplayText.line(text))'.")
            throw error
        }
        return min(n, 100)
    }

    /// A record as an Excel workbook (`VerdictWorkbook`): a sheet per level, the sources, the totals;
    /// the criteria's titles and sources from the rules served now. Made in a slot of the bounded pool.
    func workbook(_ id: String, language: Language) async throws -> Response {
        let record = try await self.record(id)
        let graph = await rules.current.graph
        let data = try await BlockingWork.run(gate: gate, deadline: options.wallClock) { _ in
            try VerdictWorkbook(language: language).data(record.evaluation, graph: graph)
        }
        let name = "ket-qua-" + record.id.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } + ".xlsx"
        return Response(
            status: .ok,
            headers: [
                .contentType: DatasetInput.workbookType, .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
