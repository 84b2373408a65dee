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
    func evaluate(_ input: DatasetInput, asOf text: String?, criteria: [String]) async throws -> DecisionRecordV1 {
        let served = await rules.current
        let date = try Self.date(text)
        let selected = try Self.check(criteria: criteria, in: served.graph)
        try Self.checkInForce(served.graph, on: date, selected: selected)
        let limits = options.limits
        let decisions = self.decisions
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) {
            let dataset = try input.read(inputs: served.graph.inputs, limits: limits)
            let result = Evaluator(graph: served.graph, limits: limits).evaluate(
                dataset, asOf: date, criteria: selected.isEmpty ? nil : Set(selected))
            let output = EvaluationOutputV1(result, full: true)
            return try decisions.record(
                evaluation: output, criteria: selected, rulesHash: served.hash, inputHash: input.hash, inputName: input.name)
        }
    }

    /// A record by id, or a 404.
    func record(_ id: String) throws -> DecisionRecordV1 {
        guard let record = try decisions.record(id: id) else {
            throw RequestError(
                .notFound, "request.unknown-decision", "there is no decision record '\(id)'",
                hint: DecisionStore.isWellFormed(id) ? nil : "a decision id looks like QD-2026-000123")
        }
        return record
    }

    static func date(_ text: String?) throws -> LocalDate {
        guard let text, !text.isEmpty else {
            throw RequestError(.badRequest, "request.missing-date", "the evaluation date is missing", hint: "add as_of=YYYY-MM-DD, e.g. as_of=2024-12-31")
        }
        guard let date = LocalDate(iso: text) else {
            throw RequestError(.badRequest, "request.bad-date", "'\(text)' is not a date", hint: "write it as YYYY-MM-DD, e.g. 2024-12-31")
        }
        return date
    }

    /// The chosen criteria, each checked to exist (with a did-you-mean).
    static func check(criteria: [String], in graph: RuleGraph) throws -> [String] {
        let ids = criteria.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var seen = Set<String>()
        for id in ids where graph.criteria[id] == nil {
            throw RequestError(
                .badRequest, "request.unknown-criterion", "there is no criterion '\(id)'",
                hint: Suggestion.hint(for: id, among: graph.order) ?? "the criteria are " + graph.order.joined(separator: ", "))
        }
        return ids.filter { seen.insert($0).inserted }
    }

    static func checkInForce(_ graph: RuleGraph, on date: LocalDate, selected: [String]) throws {
        guard let nothing = InForce.nothing(on: date, in: graph, selected: selected) else { return }
        var error = RequestError(
            .unprocessableContent, "request.nothing-in-force", nothing.message.text(in: .en),
            hint: nothing.suggestion.map { "choose a date in one of those periods, e.g. \($0)" })
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

    /// The full path of an edited file, refusing paths outside the rules folder.
    func editedPath(_ edit: RuleEditV1) throws -> String {
        let file = edit.file?.trimmingCharacters(in: .whitespaces) ?? ""
        let relative = file.isEmpty ? "playground.yaml" : file
        let parts = relative.split(separator: "/")
        guard !relative.hasPrefix("/"), !parts.contains(".."), !parts.contains("."),
            relative.hasSuffix(".yaml") || relative.hasSuffix(".yml")
        else {
            throw RequestError(
                .badRequest, "request.bad-file", "'\(relative)' is not a rule file path under the rules folder",
                hint: "give a relative path ending in .yaml, such as xa-ntm/19.2.yaml")
        }
        return (options.rules as NSString).appendingPathComponent(relative)
    }

    /// The text of a served rule file, if `path` is one.
    func servedText(_ path: String) async -> String? {
        let served = await rules.current
        guard served.files.contains(where: { ($0 as NSString).standardizingPath == (path as NSString).standardizingPath }) else { return nil }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// Checks an edited rule file against the served rules, without changing them.
    ///
    /// - Returns: the graph and the diagnostics to show (those of the edited file; errors anywhere).
    func check(_ edit: RuleEditV1) async throws -> (RuleGraph, [Diagnostic]) {
        let path = try editedPath(edit)
        let text: String
        if let given = edit.text {
            text = given
        } else if let served = await servedText(path) {
            text = served
        } else {
            throw RequestError(.badRequest, "request.missing-text", "the rule text is missing", hint: "send {\"file\": …, \"text\": …}")
        }
        let folder = options.rules
        let limits = options.limits
        return try await BlockingWork.run(gate: nil, deadline: options.wallClock) {
            let source = SourceFile(path: path, text: text)
            do {
                let graph = try RuleSetLoader.load(sources: [source], context: folder, limits: limits)
                return (graph, graph.diagnostics.filter { $0.range?.file == path })
            } catch let error as DiagnosticsError {
                // Errors anywhere matter (an edit can break another file); notes elsewhere do not.
                throw DiagnosticsError(error.diagnostics.filter { $0.severity == .error || $0.range?.file == path })
            }
        }
    }

    /// Runs the rule tests against the served rules with the edited file standing in.
    func runTests(_ edit: RuleEditV1) async throws -> TestReportV1 {
        let (graph, _) = try await check(edit)
        let folder = options.rules
        let limits = options.limits
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) {
            let cases = try RuleTestLoader.load(files: try RuleTestLoader.testFiles(at: folder), graph: graph, limits: limits)
            let report = RuleTestRunner(graph: graph).run(cases, snapshot: { try? String(contentsOfFile: $0, encoding: .utf8) })
            return TestReportV1(report)
        }
    }

    /// The verdicts the edit would change on a sample dataset, against the served rules.
    func diff(_ edit: RuleEditV1) async throws -> VerdictDiffV1 {
        let date = try Self.date(edit.asOf)
        guard let id = edit.dataset, let sample = samples.first(where: { $0.id == id }) else {
            throw RequestError(
                .badRequest, "request.unknown-sample", "choose a sample dataset for the diff",
                hint: samples.isEmpty ? "this server offers no samples" : "the samples are " + samples.map(\.id).joined(separator: ", "))
        }
        let (edited, _) = try await check(edit)
        let served = await rules.current
        let input = try sample.input()
        let limits = options.limits
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) {
            let dataset = try input.read(inputs: edited.inputs, limits: limits)
            let before = Evaluator(graph: served.graph, limits: limits).evaluate(dataset, asOf: date)
            let after = Evaluator(graph: edited, limits: limits).evaluate(dataset, asOf: date)
            let diff = VerdictDiff(old: before, new: after, changes: RuleChanges.compare(old: served.graph, new: edited), graph: edited)
            return VerdictDiffV1(diff)
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
                .notFound, "request.unknown-criterion", "there is no criterion '\(id)'",
                hint: Suggestion.hint(for: id, among: graph.order) ?? "the criteria are " + graph.order.joined(separator: ", "))
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
                            return .init(path: node.path, title: node.title, check: source.text, group: nil, source: node.source)
                        case .group(let kind, _):
                            return .init(path: node.path, title: node.title, check: nil, group: Self.groupName(kind), source: node.source)
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
                maxConcurrentEvaluations: options.maxConcurrentEvaluations, engine: options.limits))
    }
}
