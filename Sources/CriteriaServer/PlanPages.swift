import CriteriaEngine
import Foundation
import Hummingbird

/// A plan file of the served rules folder (`Rules/plans/*.yaml`), read against a rule graph: the plan,
/// or the diagnostics that kept it from being read.
struct ServedPlan: Sendable {
    /// The file, relative to the rules folder (`plans/thanh-hoa-2022-2025.yaml`).
    var file: String
    /// The plan, when it reads and checks.
    var plan: Plan?
    /// Its problems, when it does not.
    var diagnostics: [Diagnostic]
}

extension CriteriaService {
    /// The plan files under a rules folder's `plans/`, sorted by name (none when there is no such folder).
    static func planPaths(in rules: String) -> [String] {
        let folder = (rules as NSString).appendingPathComponent("plans")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    /// Every plan file read and checked against a graph (`PlanParser`, bounded like a rule file).
    static func readPlans(_ paths: [String], graph: RuleGraph, folder: String, limits: Limits) -> [ServedPlan] {
        paths.map { path in
            let file = RuleSetHash.relative(path, to: folder)
            do {
                return ServedPlan(file: file, plan: try PlanParser.load(path: path, graph: graph, limits: limits), diagnostics: [])
            } catch let error as DiagnosticsError {
                return ServedPlan(file: file, plan: nil, diagnostics: error.diagnostics)
            } catch {
                return ServedPlan(
                    file: file, plan: nil,
                    diagnostics: [Diagnostic("plan.unreadable", .error, .vi("không đọc được tệp kế hoạch: \(error)", en: "the plan file cannot be read: \(error)"), at: nil)])
            }
        }
    }

    /// The served plans, read against the served rules when they were loaded.
    func servedPlans() async -> [ServedPlan] { await rules.current.plans }

    /// A plan measured on a decision record's dataset as of its date: the record's kept input read
    /// with the record's own rule files, the plan (from the served `plans/` folder) checked against
    /// those rules, and its targets evaluated, in a slot of the bounded pool under the deadline.
    ///
    /// - Returns: the record without its units (its header and summary) and the report.
    func planReport(_ id: String, plan planID: String) async throws -> (DecisionRecordV1, PlanReport) {
        let decisions = self.decisions
        let limits = options.limits
        let paths = Self.planPaths(in: options.rules)
        let folder = options.rules
        return try await BlockingWork.run(gate: gate, deadline: options.wallClock) { token in
            guard let record = try decisions.record(id: id, entities: []) else { throw Self.unknownDecision(id) }
            let (input, graph, date) = try Self.reproduction(
                of: record, decisions: decisions, limits: limits,
                so: .vi("nên không tính được kế hoạch", en: "so its plan cannot be measured"),
                hint: .vi("hãy đánh giá lại dữ liệu để có phiếu mới lưu đủ", en: "evaluate the dataset again to make a record that keeps them"))
            let plans = Self.readPlans(paths, graph: graph, folder: folder, limits: limits)
            guard let plan = plans.compactMap(\.plan).first(where: { $0.id == planID }) else {
                throw Self.unknownPlan(planID, among: plans)
            }
            try token.check()
            let dataset = try input.read(inputs: graph.inputs, limits: limits, cancellation: token)
            try token.check()
            var report = PlanEvaluator(graph: graph, limits: limits, cancellation: token).evaluate(plan, dataset: dataset, asOf: date)
            try token.check()
            report.dataset = record.inputName
            return (record, report)
        }
    }

    /// What a record keeps to be evaluated again — its input, the graph of its rule files, its date —
    /// or 422 `request.not-reproducible` saying what cannot be done without them (`so`).
    static func reproduction(
        of record: DecisionRecordV1, decisions: DecisionStore, limits: Limits, so consequence: LocalizedText, hint: LocalizedText
    ) throws -> (input: DatasetInput, graph: RuleGraph, date: LocalDate) {
        let (kept, files) = try decisions.reproduction(id: record.id)
        guard let kept, let input = DatasetInput(stored: kept), let files, let date = LocalDate(iso: record.asOf) else {
            throw RequestError(
                .unprocessableContent, "request.not-reproducible",
                .vi(
                    "phiếu kết quả \(record.id) không lưu dữ liệu và bộ quy tắc, \(consequence.vi)",
                    en: "record \(record.id) does not keep its input and rule files, \(consequence.text(in: .en))"),
                hint: hint)
        }
        return (input, try recordedRules(files, limits: limits), date)
    }

    /// The rule graph of a record's kept rule files (relative path → text).
    static func recordedRules(_ files: [String: String], limits: Limits) throws -> RuleGraph {
        let sources = files.sorted { $0.key < $1.key }.map { SourceFile(path: "recorded-rules/" + $0.key, text: $0.value) }
        return try RuleSetLoader.load(sources: sources, context: nil, limits: limits)
    }

    /// 404 for a plan id that no plan file has (with a did-you-mean), or 422 with the diagnostics of
    /// the plan files that do not check against the record's rules, when some do not.
    static func unknownPlan(_ id: String, among plans: [ServedPlan]) -> RequestError {
        let ids = plans.compactMap(\.plan?.id)
        let broken = plans.filter { $0.plan == nil }
        if !broken.isEmpty && !ids.contains(id) && Suggestion.hint(for: id, among: ids) == nil {
            var error = RequestError(.unprocessableContent, broken.flatMap(\.diagnostics))
            error.localized = LocalizedText(
                vi: "Không có kế hoạch '\(DisplayText.line(id))' đọc được với bộ quy tắc của phiếu kết quả này; tệp kế hoạch có lỗi:\n"
                    + broken.flatMap(\.diagnostics).map { "\($0.range.map { "\($0.file):\($0.start.line): " } ?? "")\($0.message(in: .vi))" }.joined(separator: "\n"),
                en: "No plan '\(DisplayText.line(id))' reads with this decision's rules; a plan file has problems:\n"
                    + broken.flatMap(\.diagnostics).map { "\($0.range.map { "\($0.file):\($0.start.line): " } ?? "")\($0.message)" }.joined(separator: "\n"))
            return error
        }
        let list = ids.isEmpty ? "máy chủ chưa có tệp kế hoạch nào (Rules/plans/)" : "các kế hoạch hiện có: " + ids.joined(separator: ", ")
        let listEn = ids.isEmpty ? "the server has no plan files (Rules/plans/)" : "the plans are " + ids.joined(separator: ", ")
        var error = RequestError(
            .notFound, "request.unknown-plan", .vi("không có kế hoạch '\(DisplayText.line(id))'", en: "there is no plan '\(DisplayText.line(id))'"),
            hint: Suggestion.hint(for: id, among: ids) ?? .vi(list, en: listEn))
        error.localized = LocalizedText(
            vi: "Không có kế hoạch '\(DisplayText.line(id))'.\nGợi ý: " + (Suggestion.closest(to: id, among: ids).map { "có phải '\($0)'?" } ?? list),
            en: "There is no plan '\(DisplayText.line(id))'.\nHint: " + (Suggestion.closest(to: id, among: ids).map { "did you mean '\($0)'?" } ?? listEn))
        return error
    }

    /// The plan routes: the list of plans, and a plan measured on a decision's dataset.
    func addPlanRoutes(to router: Router<ServerContext>) {
        router.get("/plans") { request, _ in
            let pages = Pages(language: request.language)
            return Reply.html(
                pages.plans(
                    await self.servedPlans(), recent: (try? self.decisions.recent(limit: 10)) ?? [], samples: self.samples,
                    date: await self.suggestedDate()))
        }
        router.get("/decisions/{id}/plans/{plan}") { request, context in
            let (record, report) = try await self.planReport(
                try context.parameters.decoded("id"), plan: try context.parameters.decoded("plan"))
            return Reply.html(Pages(language: request.language).plan(report, record: record))
        }
    }
}

extension Pages {
    private func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }
    private func e(_ text: String) -> String { HTMLRenderer.escape(text) }

    /// The address of a plan measured on a record.
    func planHref(record: String, plan: String) -> String {
        href("/decisions/" + Self.component(record) + "/plans/" + Self.component(plan))
    }

    /// The plan page: a plan's targets measured on a recorded dataset, with charts, tables and the
    /// units holding each target back, each linked to its explanation in the record.
    func plan(_ report: PlanReport, record: DecisionRecordV1) -> String {
        let l = language
        let base = "/decisions/" + Self.component(record.id)
        var body = "<header>\n<p class=\"no-print\"><a href=\"\(e(href(base)))\">← \(e(t("Phiếu kết quả", "Decision"))) \(e(record.id))</a></p>\n"
        body += "<h1>\(e(report.plan.title.text(in: l)))</h1>\n<dl class=\"record\">\n"
        var rows: [(String, String)] = [(t("Kế hoạch", "Plan"), report.plan.id)]
        if let source = report.plan.source { rows.append((t("Căn cứ", "Source"), source.reference)) }
        if let by = report.plan.by { rows.append((t("Thời hạn", "Deadline"), l == .vi ? by.vietnamese : "\(by)")) }
        rows += [
            (t("Dữ liệu", "Dataset"), datasetLabel(record.inputName) + (report.synthetic ? " (\(t("dữ liệu giả lập", "synthetic data")))" : "")),
            (t("Ngày đánh giá", "As of"), ValueFormatter.shown(record.asOf, in: language)),
            (t("Phiếu kết quả", "Decision"), record.id),
        ]
        for (label, value) in rows { body += "<dt>\(e(label))</dt><dd>\(e(value))</dd>\n" }
        body += "</dl>\n"
        body += "<p class=\"meta\">\(e(t("Tính từ dữ liệu và bộ quy tắc đã lưu của phiếu kết quả này; bấm tên một đơn vị để xem giải thích.", "Measured on the data and rules this decision keeps; click a unit's name for its explanation.")))</p>\n"
        for note in report.notes { body += "<p class=\"note\" role=\"note\">\(e(note.text(in: l)))</p>\n" }
        body += "</header>\n<main>\n"
        body += HTMLRenderer(language: l).reportSections(report) { holdout, result in
            let anchor = result.target.criterion.map { "#" + Self.component("verdict-" + $0) } ?? ""
            return self.href(base + "/entities/" + Self.component(holdout.entityID)) + anchor
        }
        let words = report.counts
        let totals = Outcome.allCases.map { outcome -> String in
            let word: String
            switch outcome {
            case .pass: word = t("đạt", "met")
            case .fail: word = t("chưa đạt", "not met")
            default: word = outcome.text(in: l)
            }
            return "\(words[outcome] ?? 0) \(word)"
        }
        body += "<p class=\"totals\">\(e(t("Mục tiêu", "Targets"))): \(e(totals.joined(separator: " · ")))</p>\n</main>\n"
        return layout(
            title: report.plan.title.text(in: l), section: .plans,
            path: base + "/plans/" + Self.component(report.plan.id), body: body)
    }

    /// The plans page: each served plan with its targets, a form that evaluates a sample and opens
    /// the plan on it, and the plan on each recent decision.
    func plans(_ plans: [ServedPlan], recent: [DecisionSummaryV1], samples: [SampleDataset], date: LocalDate?) -> String {
        let l = language
        var body = "<header>\n<h1>\(e(t("Kế hoạch và tiến độ", "Plans and progress")))</h1>\n"
        body += "<p class=\"meta\">\(e(t("Mỗi kế hoạch (tệp trong Rules/plans/) đặt mục tiêu cho cả tỉnh. Chọn một phiếu kết quả đã ghi, hoặc đánh giá dữ liệu mẫu, để xem tiến độ từng mục tiêu với biểu đồ.", "Each plan (a file in Rules/plans/) sets targets for a whole province. Choose a recorded decision, or evaluate a sample, to see each target's progress with charts.")))</p>\n"
        body += "</header>\n<main>\n"
        if plans.isEmpty {
            body += "<p>\(e(t("Máy chủ chưa có tệp kế hoạch nào (Rules/plans/).", "The server has no plan files (Rules/plans/).")))</p>\n"
        }
        for served in plans {
            guard let plan = served.plan else {
                body += "<section class=\"card\">\n<h2><code>\(e(served.file))</code></h2>\n"
                body += "<div class=\"warning-box\" role=\"alert\"><p>\(e(t("Tệp kế hoạch này có lỗi nên chưa dùng được:", "This plan file has problems, so it cannot be used:")))</p>\n"
                body += diagnostics(served.diagnostics) + "</div>\n</section>\n"
                continue
            }
            body += "<section class=\"card\" id=\"\(e("plan-" + plan.id))\">\n<h2>\(e(plan.title.text(in: l)))</h2>\n"
            var meta = "<code>\(e(plan.id))</code> · <code>\(e(served.file))</code>"
            if let source = plan.source { meta += " · \(e(source.reference))" }
            if let by = plan.by { meta += " · \(e(t("thời hạn", "deadline"))) \(e(l == .vi ? by.vietnamese : "\(by)"))" }
            body += "<p class=\"meta\">\(meta)</p>\n<ul>\n"
            for target in plan.targets { body += "<li><code>\(e(target.id))</code> \(e(target.title.text(in: l)))</li>\n" }
            body += "</ul>\n"
            if !samples.isEmpty {
                let field = "plan-date-" + plan.id
                body += "<form class=\"toolbar\" method=\"post\" action=\"\(e(href("/inspect")))\" enctype=\"multipart/form-data\">"
                body += "<input type=\"hidden\" name=\"plan\" value=\"\(e(plan.id))\"/>"
                if l != .vi { body += "<input type=\"hidden\" name=\"lang\" value=\"en\"/>" }
                body += "<label>\(e(t("Dữ liệu mẫu", "Sample data"))): <select name=\"sample\">"
                for sample in samples { body += "<option value=\"\(e(sample.id))\">\(e(sample.id))</option>" }
                body += "</select></label>"
                body += "<label for=\"\(e(field))\">\(e(t("Ngày đánh giá", "Evaluation date")))</label>"
                body += "<input type=\"date\" name=\"as_of\" id=\"\(e(field))\" required=\"required\" value=\"\(e(plan.by.map { "\($0)" } ?? date.map { "\($0)" } ?? ""))\"/>"
                body += "<button type=\"submit\">\(e(t("Đánh giá và xem tiến độ", "Evaluate and see progress")))</button></form>\n"
            }
            if !recent.isEmpty {
                body += "<details><summary>\(e(t("Xem trên một phiếu kết quả gần đây", "See it on a recent decision")))</summary>\n<ul>\n"
                for item in recent {
                    body += "<li><a href=\"\(e(planHref(record: item.id, plan: plan.id)))\"><code>\(e(item.id))</code></a> — \(e(datasetLabel(item.inputName))), \(e(t("ngày", "as of"))) \(e(ValueFormatter.shown(item.asOf, in: language)))</li>\n"
                }
                body += "</ul>\n</details>\n"
            }
            body += "</section>\n"
        }
        body += "</main>\n"
        return layout(title: t("Kế hoạch", "Plans"), section: .plans, path: "/plans", body: body)
    }

    /// The links from a record page to its plan pages (nothing when there is no plan).
    func planLinks(record: String, plans: [ServedPlan]) -> String {
        let readable = plans.compactMap(\.plan)
        guard !readable.isEmpty else { return "" }
        var out = "<p class=\"toolbar no-print\" id=\"plan-links\">\(e(t("Tiến độ kế hoạch", "Plan progress"))): "
        out += readable.map { "<a href=\"\(e(planHref(record: record, plan: $0.id)))\">\(e($0.title.text(in: language)))</a>" }.joined(separator: " · ")
        return out + "</p>\n"
    }

    /// The plan files on the status page: each with whether it checks against the served rules
    /// (`nil`: they could not be read now, every slot of the pool being taken).
    func planStatus(_ plans: [ServedPlan]) -> String {
        var out = "<h2>\(e(t("Kế hoạch", "Plans")))</h2>\n"
        guard !plans.isEmpty else { return out + "<p>\(e(t("Không có tệp kế hoạch (Rules/plans/).", "No plan files (Rules/plans/).")))</p>\n" }
        out += "<ul>\n"
        for served in plans {
            if let plan = served.plan {
                out += "<li><code>\(e(served.file))</code>: <a href=\"\(e(href("/plans")))#\(e(Self.component("plan-" + plan.id)))\">\(e(plan.title.text(in: language)))</a> (\(plan.targets.count) \(e(t("mục tiêu", plan.targets.count == 1 ? "target" : "targets"))))</li>\n"
            } else {
                out += "<li><code>\(e(served.file))</code>: <strong class=\"fail\">\(e(t("có lỗi", "has problems")))</strong>\(diagnostics(served.diagnostics))</li>\n"
            }
        }
        return out + "</ul>\n"
    }
}
