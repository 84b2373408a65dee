import CriteriaEngine
import Foundation
import HTTPTypes

/// What the server does, apart from HTTP: evaluations recorded as decisions, rule checks, rule tests
/// and verdict diffs for the playground, and the criteria served. Routes call these.
public final class CriteriaService: Sendable {
    /// The options it was started with.
    public let options: ServerOptions
    /// The served rules.
    public let rules: RuleSetStore
    /// The decision records.
    public let decisions: DecisionStore
    /// The bound on evaluations at once.
    public let gate: EvaluationGate
    /// The bound on request bodies held at once.
    public let bodies: BodyBudget
    /// The bundled sample datasets.
    public let samples: [SampleDataset]
    /// The last day of the latest year the first sample has figures for, to suggest as the date.
    let sampleDate: LocalDate?

    /// Loads the rules and opens the database.
    ///
    /// - Throws: the rules' `DiagnosticsError` when they do not check (there is no earlier set to
    ///   serve), `EnvironmentError` when they cannot be read, or the database's error.
    public init(options: ServerOptions) throws {
        self.options = options
        let rules = try RuleSetStore(folder: options.rules, limits: options.limits)
        let samples = SampleDataset.find(in: options.examples)
        self.rules = rules
        self.samples = samples
        decisions = try DecisionStore(path: options.database)
        gate = EvaluationGate(capacity: options.maxConcurrentEvaluations)
        bodies = BodyBudget(capacity: options.maxHeldBodyBytes)
        // The latest year any sample has figures for.
        sampleDate = samples.compactMap { sample -> LocalDate? in
            let graph = rules.initialGraph
            guard let dataset = try? sample.input().read(inputs: graph.inputs, limits: options.limits) else { return nil }
            let year = dataset.entities.flatMap(\.facts.keys).max()
            return year.flatMap { LocalDate(year: $0, month: 12, day: 31) }
        }.max()
    }

    // MARK: Evaluations

    /// Evaluates a dataset as of a date, records the decision and returns the record.
    ///
    /// The work runs in a slot of the bounded pool; when the deadline passes first it is cancelled
    /// and records nothing (`BlockingWork`). A record larger than `ServerOptions.maxRecordBytes` is
    /// refused before it is written, and so is a dataset with so many verdicts that its record could
    /// not fit, before it is evaluated.
    func evaluate(_ input: DatasetInput, asOf text: String?, criteria: [String]) async throws -> DecisionRecordV1 {
        let served = await rules.current
        let date = try Self.date(text)
        let selected = try Self.check(criteria: criteria, in: served.graph)
        try Self.checkInForce(served.graph, on: date, selected: selected)
        let limits = options.limits
        let decisions = self.decisions
        let maxRecordBytes = options.maxRecordBytes
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) { token in
            let dataset = try input.read(inputs: served.graph.inputs, limits: limits, cancellation: token)
            try token.check()
            let kept = try input.stored()
            try Self.checkRecordFits(dataset, graph: served.graph, selected: selected, kept: kept.count, limit: maxRecordBytes)
            let result = Evaluator(graph: served.graph, limits: limits, cancellation: token).evaluate(
                dataset, asOf: date, criteria: selected.isEmpty ? nil : Set(selected), detail: .short)
            try token.check()
            var output = EvaluationOutputV1(result, full: false)
            for e in output.entities.indices {
                for v in output.entities[e].verdicts.indices {
                    output.entities[e].verdicts[v].explanation = output.entities[e].verdicts[v].explanation.brief
                }
            }
            let ruleFiles = try decisions.hasRuleSet(served.hash) ? nil : Self.ruleFiles(of: served)
            do {
                return try decisions.record(
                    evaluation: output, criteria: selected, rulesHash: served.hash, inputHash: input.hash, inputName: input.name,
                    input: kept, ruleFiles: ruleFiles, maxBytes: maxRecordBytes,
                    beforeWriting: { guard token.commit() else { throw CancellationToken.Cancelled() } })
            } catch let error as DecisionStore.TooLarge {
                throw Self.recordTooLarge(bytes: error.bytes, limit: error.limit)
            }
        }
    }

    /// The fewest bytes one verdict takes in a record (its criterion, outcome and a one-line
    /// explanation), to refuse a dataset whose record cannot fit before evaluating it.
    static let minimumVerdictBytes = 256

    /// Refuses a dataset whose verdicts alone would pass the record cap.
    static func checkRecordFits(_ dataset: Dataset, graph: RuleGraph, selected: [String], kept: Int, limit: Int) throws {
        let counted = selected.isEmpty ? graph.order : selected
        var verdicts = 0
        for level in dataset.map.levels {
            let criteria = counted.filter { graph.level(of: $0) == level }.count
            if criteria > 0 { verdicts += criteria * dataset.indices(at: level).count }
        }
        let least = kept + verdicts * minimumVerdictBytes
        if least > limit { throw recordTooLarge(bytes: least, limit: limit, estimated: true) }
    }

    /// 413 for a record above the cap, in both languages.
    static func recordTooLarge(bytes: Int, limit: Int, estimated: Bool = false) -> RequestError {
        let size = estimated ? "at least \(bytes)" : "\(bytes)"  // the English words
        var error = RequestError(
            .contentTooLarge, "request.record-too-large",
            .vi("phiếu kết quả sẽ chiếm \(estimated ? "ít nhất " : "")\(bytes) byte, vượt giới hạn \(limit) byte; chưa ghi gì", en: "the decision record would take \(size) bytes, more than the limit of \(limit) bytes; nothing was recorded"),
            hint: .vi("hãy đánh giá ít đơn vị hoặc ít tiêu chí hơn mỗi lần (criteria=…), hoặc dùng lệnh `criteria check`", en: "evaluate fewer units or criteria at a time (criteria=…), or run `criteria check` on the command line"))
        error.localized = LocalizedText(
            vi: "Phiếu kết quả sẽ chiếm \(estimated ? "ít nhất " : "")\(bytes) byte, vượt giới hạn \(limit) byte; chưa ghi gì.\n"
                + "Hãy đánh giá ít đơn vị hoặc ít tiêu chí hơn mỗi lần, hoặc dùng lệnh `criteria check`.",
            en: "The decision record would take \(size) bytes, more than the limit of \(limit) bytes; nothing was recorded.\n"
                + "Evaluate fewer units or criteria at a time, or run `criteria check` on the command line.")
        return error
    }

    /// The rule files of a served set (relative path → text), when they still hash to the set's hash
    /// (`nil` when a file changed since the set was loaded: the next evaluation keeps them).
    static func ruleFiles(of served: ServedRules) -> [String: String]? {
        var files: [String: String] = [:]
        for path in served.files {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            files[RuleSetHash.relative(path, to: served.folder)] = text
        }
        guard (try? RuleSetHash.hash(files: served.files, folder: served.folder)) == served.hash else { return nil }
        return files
    }

    /// A record by id, read in a slot of the bounded pool, or a 404.
    func record(_ id: String) async throws -> DecisionRecordV1 {
        let decisions = self.decisions
        let found = try await BlockingWork.run(gate: gate, deadline: options.wallClock) { _ in try decisions.record(id: id) }
        guard let found else { throw Self.unknownDecision(id) }
        return found
    }

    /// A record with one unit (and its parent, for the page's link), read in a slot of the bounded
    /// pool without decoding the others, and the unit's explanations: for a version-2 record, its
    /// short trees (or with `full` its full trees) rebuilt now from the record's rules and input; for
    /// a version-1 record, the full trees it stored.
    func entity(_ id: String, unit: String, full: Bool) async throws -> (DecisionRecordV1, DecisionEntityV1) {
        let decisions = self.decisions
        let limits = options.limits
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) { token in
            guard let first = try decisions.record(id: id, entities: [unit]) else { throw Self.unknownDecision(id) }
            guard let entity = first.evaluation.entities.first else {
                throw RequestError(.notFound, "request.unknown-entity", .vi("phiếu kết quả \(first.id) không có đơn vị '\(unit)'", en: "decision \(first.id) has no unit '\(unit)'"))
            }
            var record = first
            if let parent = entity.parent, let withParent = try decisions.record(id: id, entities: [unit, parent]) {
                record = withParent
            }
            var answer = DecisionEntityV1(
                version: record.version, decision: record.id, asOf: record.asOf, explanations: record.explanations, rebuilt: false,
                entity: entity)
            if record.explanations == "brief" {
                do {
                    answer.entity = try Self.rebuild(
                        record, entity: entity, full: full, decisions: decisions, limits: limits, token: token)
                    answer.explanations = full ? "full" : "short"
                    answer.rebuilt = true
                } catch {
                    // Asked for the short trees, the record's brief explanations stand instead.
                    if full { throw error }
                }
            }
            if let index = record.evaluation.entities.firstIndex(where: { $0.id == entity.id }) {
                record.evaluation.entities[index] = answer.entity
            }
            return (record, answer)
        }
    }

    /// A unit's verdicts with their short (or `full`) trees, evaluated again from the record's rules
    /// and input; refused when the record keeps neither, or when the outcomes differ from the
    /// recorded ones.
    static func rebuild(
        _ record: DecisionRecordV1, entity: EvaluationOutputV1.EntityVerdictsV1, full: Bool, decisions: DecisionStore, limits: Limits,
        token: CancellationToken
    ) throws -> EvaluationOutputV1.EntityVerdictsV1 {
        let (input, graph, date) = try reproduction(
            of: record, decisions: decisions, limits: limits,
            so: .vi("nên không dựng lại được cây giải thích", en: "so its explanation trees cannot be rebuilt"),
            hint: .vi("những giải thích tóm tắt ghi trên phiếu là kết quả đã được xác định", en: "the brief explanations on the record are what was decided"))
        let dataset = try input.read(inputs: graph.inputs, limits: limits, cancellation: token)
        try token.check()
        guard let index = dataset.index(of: entity.id) else {
            throw RequestError(.unprocessableContent, "request.not-reproducible", .vi("dữ liệu đầu vào lưu kèm \(record.id) không có đơn vị '\(entity.id)'", en: "the kept input of \(record.id) has no unit '\(entity.id)'"))
        }
        let criteria = entity.verdicts.map(\.criterion)
        let verdicts = Evaluator(graph: graph, limits: limits, cancellation: token)
            .explain(entity: index, in: dataset, asOf: date, criteria: criteria, detail: full ? .full : .short).verdicts
        try token.check()
        let rebuilt = EvaluationOutputV1.EntityVerdictsV1(index, of: dataset, verdicts: verdicts, full: full)
        guard rebuilt.verdicts.map(\.outcome) == entity.verdicts.map(\.outcome) else {
            throw RequestError(
                .unprocessableContent, "request.not-reproducible",
                .vi("khi đánh giá lại, phiếu kết quả \(record.id) cho kết quả khác đối với '\(entity.id)' (phiếu do phiên bản \(record.engineVersion) lập)", en: "evaluated again, decision \(record.id) gives other outcomes for '\(entity.id)' (engine \(record.engineVersion) made it)"),
                hint: .vi("những giải thích tóm tắt ghi trên phiếu là kết quả đã được xác định", en: "the brief explanations on the record are what was decided"))
        }
        return rebuilt
    }

    /// 404 for an unknown decision id.
    static func unknownDecision(_ id: String) -> RequestError {
        RequestError(
            .notFound, "request.unknown-decision", .vi("không có phiếu kết quả '\(id)'", en: "there is no decision record '\(id)'"),
            hint: DecisionStore.isWellFormed(id) ? nil : .vi("mã phiếu kết quả có dạng KQ-2026-000123-7KQ2XM", en: "a decision id looks like KQ-2026-000123-7KQ2XM"))
    }

    static func date(_ text: String?) throws -> LocalDate {
        guard let text, !text.isEmpty else {
            throw RequestError(.badRequest, "request.missing-date", .vi("thiếu ngày đánh giá", en: "the evaluation date is missing"), hint: .vi("hãy thêm as_of=YYYY-MM-DD, ví dụ as_of=2024-12-31", en: "add as_of=YYYY-MM-DD, e.g. as_of=2024-12-31"))
        }
        guard let date = LocalDate(iso: text) else {
            throw RequestError(.badRequest, "request.bad-date", .vi("'\(text)' không phải là một ngày", en: "'\(text)' is not a date"), hint: .vi("hãy viết theo dạng YYYY-MM-DD, ví dụ 2024-12-31", en: "write it as YYYY-MM-DD, e.g. 2024-12-31"))
        }
        return date
    }

    /// The chosen criteria, each checked to exist (with a did-you-mean).
    static func check(criteria: [String], in graph: RuleGraph) throws -> [String] {
        let ids = criteria.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var seen = Set<String>()
        for id in ids where graph.criteria[id] == nil {
            throw RequestError(
                .badRequest, "request.unknown-criterion", .vi("không có tiêu chí '\(id)'", en: "there is no criterion '\(id)'"),
                hint: Suggestion.hint(for: id, among: graph.order) ?? .vi("các tiêu chí là " + graph.order.joined(separator: ", "), en: "the criteria are " + graph.order.joined(separator: ", ")))
        }
        return ids.filter { seen.insert($0).inserted }
    }

    static func checkInForce(_ graph: RuleGraph, on date: LocalDate, selected: [String]) throws {
        guard let nothing = InForce.nothing(on: date, in: graph, selected: selected) else { return }
        var error = RequestError(
            .unprocessableContent, "request.nothing-in-force", nothing.message,
            hint: nothing.suggestion.map { .vi("hãy chọn một ngày trong các khoảng thời gian đó, ví dụ \($0)", en: "choose a date in one of those periods, e.g. \($0)") })
        error.localized = nothing.message
        throw error
    }

    /// A date that suits the served rules (today when a criterion is in force today, else the last day
    /// any criterion is in force) and, when a sample is offered, its figures (no later than the end of
    /// the sample's latest year).
    func suggestedDate() async -> LocalDate? {
        let graph = await rules.current.graph
        let today = InForce.today()
        let inForce = { (date: LocalDate) in graph.order.contains { graph.version(of: $0, on: date) != nil } }
        var date = today.flatMap { inForce($0) ? $0 : nil } ?? graph.criteria.values.flatMap { $0 }.compactMap(\.inForce.until).max()
        if let sampleDate, let current = date, sampleDate < current, inForce(sampleDate) { date = sampleDate }
        return date
    }

    // MARK: Playground

    /// The most files one playground request may change.
    static let maxChangeSetFiles = 64

    /// The full path of an edited file, refusing paths outside the rules folder.
    func editedPath(_ edit: RuleEditV1) throws -> String {
        let file = edit.file?.trimmingCharacters(in: .whitespaces) ?? ""
        return try path(of: file.isEmpty ? "playground.yaml" : file, at: "file")
    }

    /// The full path of a file named in a playground request at `place` (`file`, `files[2].file`):
    /// a relative path inside the rules folder, of letters, digits, `-`, `_`, `.` and `/`, ending in
    /// `.yaml` or `.yml`, without `.` or `..` parts.
    func path(of relative: String, at place: String) throws -> String {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = relative.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./".unicodeScalars.contains($0)) }
        guard !relative.isEmpty, relative.utf8.count <= 255, allowed, !relative.hasPrefix("/"), !parts.contains(".."), !parts.contains("."),
            !parts.contains(""), relative.hasSuffix(".yaml") || relative.hasSuffix(".yml")
        else {
            throw RequestError(
                .badRequest, "request.bad-file",
                .vi("\(place): '\(DisplayText.line(relative))' không phải là đường dẫn tệp quy tắc trong thư mục quy tắc", en: "\(place): '\(DisplayText.line(relative))' is not a rule file path under the rules folder"),
                hint: .vi("hãy ghi đường dẫn tương đối gồm chữ không dấu, số, '-', '_', '.' và '/', kết thúc bằng .yaml, ví dụ xa-ntm/19.2.yaml", en: "give a relative path of ASCII letters, digits, '-', '_', '.' and '/', ending in .yaml, such as xa-ntm/19.2.yaml"))
        }
        return (options.rules as NSString).appendingPathComponent(relative)
    }

    /// The text of a served rule file, if `path` is one.
    func servedText(_ path: String) async -> String? {
        let served = await rules.current
        guard served.files.contains(where: { ($0 as NSString).standardizingPath == (path as NSString).standardizingPath }) else { return nil }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// The served rule test files, as standardized paths: listed once per request, not per file.
    func servedTestPaths() async -> Set<String> {
        let folder = await rules.current.folder
        return Set(((try? RuleTestLoader.testFiles(at: folder)) ?? []).map { ($0 as NSString).standardizingPath })
    }

    /// The text of a served rule file or rule test file (one of `tests`), if `path` is one.
    func servedRuleOrTestText(_ path: String, tests: Set<String>) async -> String? {
        if let text = await servedText(path) { return text }
        guard tests.contains((path as NSString).standardizingPath) else { return nil }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// A served rule or rule test file for the playground to open, or a 404.
    func ruleFile(_ relative: String?) async throws -> RuleFileV1 {
        let file = relative?.trimmingCharacters(in: .whitespaces) ?? ""
        let path = try path(of: file, at: "file")
        guard let text = await servedRuleOrTestText(path, tests: await servedTestPaths()) else {
            throw RequestError(
                .notFound, "request.unknown-file", .vi("file: máy chủ không có tệp quy tắc '\(file)'", en: "file: the server has no rule file '\(file)'"),
                hint: .vi("các tệp được liệt kê trong /v1/status (ruleFiles) và các tệp kiểm thử trong thư mục tests/", en: "the rule files are listed by /v1/status (ruleFiles); rule tests are the files in tests/ folders"))
        }
        return RuleFileV1(file: file, text: text)
    }

    /// The files of a playground request, checked: each path under the rules folder, no path twice,
    /// at most `maxChangeSetFiles`, each text within the rule file limit, a removed file one that is
    /// served, and a new file with its text. A file without text is the served one (the one-file form).
    func changeSet(_ edit: RuleEditV1) async throws -> ChangeSet {
        var named: [(place: String, file: EditedFileV1)] = (edit.files ?? []).enumerated().map { ("files[\($0.offset)]", $0.element) }
        if edit.file != nil || edit.text != nil || named.isEmpty {
            let file = edit.file?.trimmingCharacters(in: .whitespaces) ?? ""
            named.insert(("file", EditedFileV1(file: file.isEmpty ? "playground.yaml" : file, text: edit.text)), at: 0)
        }
        guard named.count <= Self.maxChangeSetFiles else {
            throw RequestError(
                .badRequest, "request.too-many-files",
                .vi("files: yêu cầu thay đổi \(named.count) tệp, quá giới hạn \(Self.maxChangeSetFiles) tệp", en: "files: the request changes \(named.count) files, more than the limit of \(Self.maxChangeSetFiles)"),
                hint: .vi("hãy chia thay đổi thành nhiều phần, mỗi phần tối đa \(Self.maxChangeSetFiles) tệp", en: "split the change into parts of at most \(Self.maxChangeSetFiles) files"))
        }
        let maxBytes = options.limits.maxRuleFileBytes
        let tests = await servedTestPaths()
        var set = ChangeSet()
        var seen: [String: String] = [:]
        for (place, file) in named {
            let relative = file.file.trimmingCharacters(in: .whitespaces)
            let path = try path(of: relative, at: place + (place == "file" ? "" : ".file"))
            let key = (path as NSString).standardizingPath
            if let first = seen[key] {
                throw RequestError(
                    .badRequest, "request.duplicate-file",
                    .vi("\(place): tệp '\(relative)' đã có ở \(first)", en: "\(place): the file '\(relative)' is already given at \(first)"),
                    hint: .vi("mỗi tệp chỉ ghi một lần trong một thay đổi", en: "give each file once in a change"))
            }
            seen[key] = place
            let components = relative.split(separator: "/")
            let isTest = components.count >= 2 && components[components.count - 2] == "tests"
            guard isTest || !components.dropLast().contains(where: { RuleSetLoader.excludedFolders.contains(String($0)) }) else {
                throw RequestError(
                    .badRequest, "request.bad-file",
                    .vi("\(place): '\(relative)' không phải là tệp quy tắc hay tệp kiểm thử quy tắc", en: "\(place): '\(relative)' is neither a rule file nor a rule test file"),
                    hint: .vi("tệp kiểm thử nằm ngay trong một thư mục tests/, ví dụ xa-ntm/tests/19.2.yaml; kế hoạch (plans/) không soạn thử ở đây", en: "a rule test file sits right in a tests/ folder, such as xa-ntm/tests/19.2.yaml; plans (plans/) are not edited here"))
            }
            let served = await servedRuleOrTestText(path, tests: tests)
            let text: String?
            if file.removed == true {
                guard file.text == nil else {
                    throw RequestError(
                        .badRequest, "request.bad-change", .vi("\(place): tệp '\(relative)' vừa bị bỏ vừa có nội dung", en: "\(place): the file '\(relative)' is both removed and given a text"),
                        hint: .vi("hãy bỏ \"text\" hoặc bỏ \"removed\": true", en: "drop either \"text\" or \"removed\": true"))
                }
                guard served != nil else {
                    throw RequestError(
                        .badRequest, "request.unknown-file", .vi("\(place): không bỏ được '\(relative)' vì máy chủ không có tệp này", en: "\(place): '\(relative)' cannot be removed: the server has no such file"),
                        hint: .vi("chỉ bỏ được tệp quy tắc hoặc tệp kiểm thử đang được phục vụ", en: "only a served rule or rule test file can be removed"))
                }
                text = nil
            } else if let given = file.text {
                guard given.utf8.count <= maxBytes else {
                    throw RequestError(
                        .contentTooLarge, "request.file-too-large",
                        .vi("\(place): tệp '\(relative)' có \(given.utf8.count) byte, vượt giới hạn \(maxBytes) byte", en: "\(place): the file '\(relative)' has \(given.utf8.count) bytes, more than the limit of \(maxBytes)"),
                        hint: .vi("hãy tách tệp", en: "split the file"))
                }
                text = given
            } else if let served {
                text = served
            } else {
                throw RequestError(
                    .badRequest, "request.missing-text", .vi("\(place): thiếu nội dung của tệp mới '\(relative)'", en: "\(place): the text of the new file '\(relative)' is missing"),
                    hint: .vi("hãy gửi {\"file\": …, \"text\": …}", en: "send {\"file\": …, \"text\": …}"))
            }
            set.files.append(ChangeSet.File(relative: relative, path: path, isTest: isTest, served: served, text: text))
        }
        return set
    }

    /// Checks a change set against the served rules, without changing them: its rule files stand in
    /// for the served files of the same paths (a removed file is left out), and its rule test files
    /// are read against the rules so changed.
    ///
    /// - Returns: the graph and the diagnostics to show (those of the changed files; errors anywhere).
    func check(_ edit: RuleEditV1) async throws -> (RuleGraph, [Diagnostic]) {
        let set = try await changeSet(edit)
        return try await check(set)
    }

    func check(_ set: ChangeSet) async throws -> (RuleGraph, [Diagnostic]) {
        let folder = options.rules
        let limits = options.limits
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) { _ in
            let edited = set.paths
            do {
                let graph = try RuleSetLoader.load(sources: set.ruleSources, removed: set.removedRules, context: folder, limits: limits)
                var diagnostics = graph.diagnostics.filter { $0.range.map { edited.contains($0.file) } ?? false }
                var errors: [Diagnostic] = []
                for source in set.testSources {
                    do {
                        _ = try RuleTestParser.parse(source, graph: graph, limits: limits)
                    } catch let error as DiagnosticsError {
                        errors += error.diagnostics
                    }
                }
                if errors.contains(where: { $0.severity == .error }) { throw DiagnosticsError(diagnostics + errors) }
                diagnostics += errors
                return (graph, diagnostics)
            } catch let error as DiagnosticsError {
                // Errors anywhere matter (an edit can break another file); notes elsewhere do not.
                throw DiagnosticsError(error.diagnostics.filter { $0.severity == .error || ($0.range.map { edited.contains($0.file) } ?? false) })
            }
        }
    }

    /// Runs the rule tests against the served rules with the change set standing in: the served
    /// test files, with the set's test files in place of (or beside) them.
    func runTests(_ edit: RuleEditV1) async throws -> TestReportV1 {
        let set = try await changeSet(edit)
        let (graph, _) = try await check(set)
        let folder = options.rules
        let limits = options.limits
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) { token in
            let given = Set(set.files.filter(\.isTest).map { ($0.path as NSString).standardizingPath })
            var sources = set.testSources
            for file in try RuleTestLoader.testFiles(at: folder) where !given.contains((file as NSString).standardizingPath) {
                sources.append(try SourceReader.read(path: file, maxBytes: limits.maxRuleFileBytes))
            }
            let cases = try RuleTestLoader.load(sources: sources.sorted { $0.path < $1.path }, graph: graph, limits: limits)
            try token.check()
            let report = RuleTestRunner(graph: graph, limits: limits, cancellation: token).run(
                cases, snapshot: { try? String(contentsOfFile: $0, encoding: .utf8) })
            try token.check()
            return TestReportV1(report)
        }
    }

    /// The verdicts the change set would change on a sample dataset or an uploaded one, against the
    /// served rules.
    func diff(_ edit: RuleEditV1) async throws -> VerdictDiffV1 {
        let date = try Self.date(edit.asOf)
        let input = try uploadedOrSample(edit)
        let (edited, _) = try await check(edit)
        let served = await rules.current
        let limits = options.limits
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) { token in
            let dataset = try input.read(inputs: edited.inputs, limits: limits, cancellation: token)
            try token.check()
            let before = Evaluator(graph: served.graph, limits: limits, cancellation: token).evaluate(dataset, asOf: date)
            try token.check()
            let after = Evaluator(graph: edited, limits: limits, cancellation: token).evaluate(dataset, asOf: date)
            try token.check()
            let diff = VerdictDiff(old: before, new: after, changes: RuleChanges.compare(old: served.graph, new: edited), graph: edited)
            return VerdictDiffV1(diff)
        }
    }

    /// The dataset of a verdict diff: the uploaded document when there is one, else the sample named.
    func uploadedOrSample(_ edit: RuleEditV1) throws -> DatasetInput {
        if let upload = edit.upload {
            guard let format = DatasetInput.format(filename: upload.name) else {
                throw RequestError(
                    .badRequest, "request.bad-upload",
                    .vi("upload.name: không biết đọc '\(DisplayText.line(upload.name))' theo định dạng nào", en: "upload.name: '\(DisplayText.line(upload.name))' names no format this route reads"),
                    hint: .vi("hãy gửi bộ dữ liệu YAML hoặc JSON, tên tệp kết thúc bằng .yaml hoặc .json; bảng CSV và tệp Excel thì đánh giá ở trang Đánh giá", en: "send a YAML or JSON dataset, its name ending in .yaml or .json; CSV tables and Excel workbooks are evaluated on the Inspect page"))
            }
            let bytes = Array(upload.text.utf8)
            return DatasetInput(name: DatasetInput.safeName(upload.name), hash: RuleSetHash.sha256(bytes), content: .document(bytes, format))
        }
        guard let id = edit.dataset, let sample = samples.first(where: { $0.id == id }) else {
            throw RequestError(
                .badRequest, "request.unknown-sample", .vi("hãy chọn một bộ dữ liệu mẫu để so sánh", en: "choose a sample dataset for the diff"),
                hint: samples.isEmpty
                    ? .vi("máy chủ này không có bộ dữ liệu mẫu nào; hãy gửi bộ dữ liệu của mình trong \"upload\"", en: "this server offers no samples; send a dataset of your own in \"upload\"")
                    : .vi("các bộ dữ liệu mẫu là " + samples.map(\.id).joined(separator: ", ") + "; hoặc gửi bộ dữ liệu của mình trong \"upload\"", en: "the samples are " + samples.map(\.id).joined(separator: ", ") + "; or send a dataset of your own in \"upload\""))
        }
        return try sample.input()
    }

    /// The change set as a zip: its edited and new files under the rules folder's name, and a patch
    /// (`RuleChangeSet`) described by the `criteria changes` text of the change. A change that does
    /// not check is refused with its diagnostics (422).
    func changeArchive(_ edit: RuleEditV1, language: Language) async throws -> Data {
        let set = try await changeSet(edit)
        let (edited, _) = try await check(set)
        let served = await rules.current
        let root = ((served.folder as NSString).standardizingPath as NSString).lastPathComponent
        let changes = RuleChanges.compare(old: served.graph, new: edited)
        let vi = language == .vi
        let description =
            (vi ? "Đề xuất thay đổi quy tắc (criteria changes)" : "Proposed change of the rules (criteria changes)") + "\n\n"
            + RuleChanges.text(changes, language: language) + "\n"
            + (vi ? "Áp dụng ở thư mục chứa \(root)/ (gốc kho mã): git apply \(RuleChangeSet.patchName)" : "Apply at the folder that holds \(root)/ (the repository root): git apply \(RuleChangeSet.patchName)")
            + "\n"
        let change = RuleChangeSet(files: set.files.map { RuleChangeSet.File(path: $0.relative, old: $0.served, new: $0.text) })
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) { _ in
            try change.archive(root: root, description: DisplayText.lines(description))
        }
    }

    // MARK: Criteria

    /// The criteria served.
    func criteriaList() async -> CriteriaListV1 {
        let served = await rules.current
        let graph = served.graph
        return CriteriaListV1(
            rulesHash: served.hash,
            criteria: graph.order.compactMap { id in
                guard let versions = graph.criteria[id], let last = versions.last else { return nil }
                return CriterionSummaryV1(
                    id: id, title: last.title, level: last.level, inForce: versions.map(\.inForce), source: last.source,
                    provisional: versions.contains { $0.root.allNodes.contains { $0.source?.status == .provisional } },
                    tests: served.tests.filter { $0.expectations.contains { $0.criterion == id } }.count)
            })
    }

    /// One criterion in full, or a 404 with a did-you-mean.
    func criterion(_ id: String) async throws -> CriterionDetailV1 {
        let served = await rules.current
        let graph = served.graph
        guard let versions = graph.criteria[id], let last = versions.last else {
            throw RequestError(
                .notFound, "request.unknown-criterion", .vi("không có tiêu chí '\(id)'", en: "there is no criterion '\(id)'"),
                hint: Suggestion.hint(for: id, among: graph.order) ?? .vi("các tiêu chí là " + graph.order.joined(separator: ", "), en: "the criteria are " + graph.order.joined(separator: ", ")))
        }
        let page = CriterionPage(graph: graph, tests: served.tests, rulesFolder: served.folder)
        let relative = { (path: String) in RuleSetHash.relative(path, to: served.folder) }
        return CriterionDetailV1(
            id: id, title: last.title, level: last.level, description: last.description,
            versions: versions.map { version in
                CriterionDetailV1.VersionV1(
                    inForce: version.inForce, source: version.source, file: relative(version.file),
                    clauses: version.root.allNodes.dropFirst().map { node in
                        switch node.body {
                        case .check(_, let source):
                            return .init(path: node.path, title: node.title, check: source.text, group: nil, source: node.source, inForce: node.inForce)
                        case .group(let kind, _):
                            return .init(path: node.path, title: node.title, check: nil, group: Self.groupName(kind), source: node.source, inForce: node.inForce)
                        }
                    })
            },
            parameters: page.parametersRead(by: id).compactMap { name in
                graph.parameters[name].map { p in
                    .init(name: name, title: p.title, values: p.values.map { .init(from: "\($0.from)", value: $0.shown(in: .vi)) }, source: p.source)
                }
            },
            inputs: page.inputsRead(by: id).map(\.name),
            dependencies: Array(Set(versions.flatMap(\.dependencies))).sorted(),
            usedBy: graph.order.filter { other in (graph.criteria[other] ?? []).contains { $0.dependencies.contains(id) } },
            tests: served.tests.flatMap { testCase in
                testCase.expectations.filter { $0.criterion == id }.map {
                    .init(
                        name: testCase.name, file: relative(testCase.file), asOf: "\(testCase.asOf)", entity: $0.entity, outcome: $0.outcome,
                        reasons: $0.reasons)
                }
            },
            markdown: page.page(for: id))
    }

    static func groupName(_ kind: GroupKind) -> String {
        switch kind {
        case .all: "all"
        case .any: "any"
        case .none: "none"
        case .atLeast(let n): "at_least \(n)"
        }
    }

    // MARK: Status

    /// The server's state.
    func status() async -> StatusV1 {
        let served = await rules.current
        let failure = await rules.lastFailure
        return StatusV1(
            engineVersion: EngineVersion.current, rules: served.folder, rulesHash: served.hash,
            loadedAt: DecisionStore.timestamp(served.loadedAt), criteria: served.graph.order,
            ruleFiles: served.files.map { RuleSetHash.relative($0, to: served.folder) }, tests: served.tests.count,
            reloadFailure: failure.map { ReloadFailureV1(at: DecisionStore.timestamp($0.at), diagnostics: $0.diagnostics) },
            limits: ServerLimitsV1(
                maxBodyBytes: options.maxBodyBytes, wallClockSeconds: Int(options.wallClock.components.seconds),
                maxConcurrentEvaluations: options.maxConcurrentEvaluations, maxRecordBytes: options.maxRecordBytes,
                engine: options.limits))
    }
}
