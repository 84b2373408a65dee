import CriteriaEngine
import Foundation
import HTTPTypes

/// The server's web pages: HTML with its CSS inline (one `<style>` element, allowed by its hash in
/// the Content-Security-Policy) and no inline script (the playground's script is served from
/// `/assets/playground.js`); nothing from elsewhere. Vietnamese by default and English with
/// `?lang=en`, readable on a phone and printable. Verdict tables and explanation trees come from the engine's `HTMLRenderer`.
struct Pages: Sendable {
    /// The language of the page's own words and of the explanations.
    var language: Language

    private var vi: Bool { language == .vi }
    private func t(_ vi: String, _ en: String) -> String { self.vi ? vi : en }
    private func e(_ text: String) -> String { HTMLRenderer.escape(text) }
    private var renderer: HTMLRenderer { HTMLRenderer(language: language) }

    /// `?lang=en` to carry in links, or nothing for Vietnamese.
    var langQuery: String { vi ? "" : "lang=en" }

    /// An address with the page language added.
    func href(_ path: String, _ query: [String] = []) -> String {
        let all = query + (vi ? [] : ["lang=en"])
        return all.isEmpty ? path : path + "?" + all.joined(separator: "&")
    }

    /// A path component or query value, percent-encoded: everything but ASCII letters, digits and
    /// `-._~` (so `Đông-Hòa` and `15100/B` each stay one component; routes decode it back).
    static func component(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The text of the pages' one `<style>` element, whose hash the Content-Security-Policy allows.
    static let styleElementText = "\n" + HTMLRenderer.stylesheet + "\n" + css + "\n"

    /// Where the playground's script is served (never inline: the Content-Security-Policy allows
    /// scripts from this server only).
    static let playgroundScriptPath = "/assets/playground.js"

    // MARK: Layout

    /// Which navigation item is current.
    enum Section { case inspector, plans, criteria, playground, status, none }

    /// The page around a body: header with navigation and language switch, the engine's styles plus
    /// the server's, and the body.
    func layout(title: String, section: Section, path: String, query: String = "", body: String, scriptPath: String? = nil) -> String {
        let items: [(Section, String, String)] = [
            (.inspector, "/", t("Đánh giá", "Inspect")),
            (.plans, "/plans", t("Kế hoạch", "Plans")),
            (.criteria, "/criteria", t("Tiêu chí", "Criteria")),
            (.playground, "/playground", t("Soạn thử quy tắc", "Rule playground")),
            (.status, "/status", t("Trạng thái", "Status")),
        ]
        let nav = items.map { item in
            "<a href=\"\(e(href(item.1)))\"\(item.0 == section ? " aria-current=\"page\"" : "")>\(e(item.2))</a>"
        }.joined(separator: " ")
        let kept = query.split(separator: "&").filter { !$0.hasPrefix("lang=") }.map(String.init)
        let other = vi ? kept + ["lang=en"] : kept
        let switchHref = path + (other.isEmpty ? "" : "?" + other.joined(separator: "&"))
        let switchLink = "<a class=\"lang\" href=\"\(e(switchHref))\" hreflang=\"\(vi ? "en" : "vi")\" lang=\"\(vi ? "en" : "vi")\">\(vi ? "English" : "Tiếng Việt")</a>"
        return """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <meta name="generator" content="Criteria"/>
            <link rel="icon" href="data:,"/>
            <title>\(e(title)) — Criteria</title>
            <style>\(Self.styleElementText)</style>
            </head>
            <body>
            <nav class="site"><strong class="brand">Criteria</strong> \(nav) \(switchLink)</nav>
            \(body)
            \(scriptPath.map { "<script src=\"\(e($0))\"></script>\n" } ?? "")</body>
            </html>

            """
    }

    /// The server's own styles, added after the engine's.
    static let css = """
        nav.site{display:flex;flex-wrap:wrap;gap:.25rem .9rem;align-items:baseline;border-bottom:2px solid var(--line);padding:.25rem 0 .5rem;margin-bottom:.75rem}
        nav.site a{text-decoration:none;color:#0550ae}nav.site a[aria-current=page]{font-weight:700;color:#1f2328;border-bottom:2px solid #1f2328}
        nav.site .lang{margin-left:auto}
        .brand{margin-right:.5rem}
        form.card,section.card{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}
        fieldset{border:0;padding:0;margin:.5rem 0}legend{font-weight:600;padding:0}
        label{display:inline-block;margin:.2rem .8rem .2rem 0}
        input[type=date],select,input[type=file]{font:inherit;padding:.25rem;max-width:100%}
        button,.button{font:inherit;padding:.4rem 1rem;border-radius:6px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
        button.secondary{background:#fff;color:#1f6feb}
        .decision-id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:1.3rem;font-weight:700;background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.1rem .5rem;user-select:all}
        dl.record{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}dl.record dt{color:var(--muted)}dl.record dd{margin:0;word-break:break-all}
        .diagnostics{padding-left:1.2rem}.diag{margin:.3rem 0}.diag.error strong{color:var(--fail)}.diag.warning strong{color:var(--unknown)}.diag .hint{color:var(--muted)}.diag .id{color:var(--muted);font-size:.85em}
        .diag[tabindex]{cursor:pointer}
        .warning-box{border:2px solid var(--fail);border-left-width:6px;background:#ffebe9;padding:.5rem .75rem;margin:.5rem 0;font-weight:600;color:#1f2328}
        .warning-box .hint,.warning-box .id,.warning-box code{font-weight:400}
        :focus-visible{outline:3px solid #0550ae;outline-offset:2px}
        .editor:focus-within{outline:3px solid #0550ae;outline-offset:2px}
        .ok-box{border-left:4px solid var(--pass);background:#dafbe1;padding:.5rem .75rem;margin:.5rem 0}
        .toolbar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
        .editor{position:relative;display:flex;border:1px solid var(--line);border-radius:6px;overflow:hidden;height:60vh;min-height:18rem;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","Noto Sans Mono",monospace;font-size:14px;line-height:20px}
        .editor .gutter{margin:0;padding:.5rem .4rem;background:#f6f8fa;color:var(--muted);text-align:right;overflow:hidden;user-select:none;min-width:3rem;font:inherit;line-height:inherit}
        .editor .gutter span{display:block}.editor .gutter span.bad{background:var(--fail);color:#fff;border-radius:3px}
        .editor .area{position:relative;flex:1;overflow:hidden}
        .editor pre.backdrop,.editor textarea{position:absolute;inset:0;margin:0;padding:.5rem;border:0;font:inherit;line-height:inherit;white-space:pre;overflow:auto;tab-size:2}
        .editor pre.backdrop{color:transparent;pointer-events:none}.editor pre.backdrop div{min-height:20px}.editor pre.backdrop div.bad{background:#ffd7d5}
        .editor textarea{background:transparent;resize:none;color:#1f2328}
        .editor textarea:focus-visible{outline:none}
        .state{font-weight:600}.state.pass{color:var(--pass)}.state.fail{color:var(--fail)}
        .entity-links a{margin-right:.75rem}
        ul.file-list{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.4rem .9rem}
        ul.file-list button{padding:.15rem .6rem}ul.file-list button.file-open{background:#fff;color:#0550ae}
        ul.file-list button.file-open[aria-current=true],ul.file-list span.file-open{background:#1f6feb;color:#fff;font-weight:700;border-radius:6px;padding:.15rem .6rem}
        ul.file-list .file-state.fail{color:var(--fail);font-weight:600}
        input[type=text]{font:inherit;padding:.25rem;max-width:100%}
        blockquote{margin:.5rem 0;padding:.25rem .75rem;border-left:4px solid var(--unknown);background:#fff8e1}
        @media print{nav.site,form.card,.toolbar,.no-print{display:none}}
        """

    // MARK: Diagnostics

    /// A list of diagnostics as HTML.
    func diagnostics(_ list: [Diagnostic]) -> String {
        guard !list.isEmpty else { return "" }
        var out = "<ul class=\"diagnostics\">\n"
        for d in list {
            let place = d.range.map { "<code>\(e($0.place))</code> " } ?? ""
            out += "<li class=\"diag \(d.severity.rawValue)\">\(place)<strong>\(e(severity(d.severity)))</strong>: \(e(d.message(in: language)))"
            out += " <span class=\"id\">[\(e(d.id.rawValue))]</span>"
            if let hint = d.hint(in: language) { out += "<div class=\"hint\">\(e(t("Gợi ý", "Hint"))): \(e(hint))</div>" }
            for note in d.notes {
                let at = note.range.map { " (\(e($0.place)))" } ?? ""
                out += "<div class=\"hint\">\(e(note.text.text(in: language)))\(at)</div>"
            }
            out += "</li>\n"
        }
        return out + "</ul>\n"
    }

    private func severity(_ s: Severity) -> String {
        switch s {
        case .error: t("lỗi", "error")
        case .warning: t("cảnh báo", "warning")
        case .note: t("ghi chú", "note")
        }
    }

    /// The page for a refused request.
    func errorPage(_ error: RequestError, back: String = "/") -> String {
        let heading: String
        switch error.status.code {
        case 404: heading = t("Không tìm thấy", "Not found")
        case 413: heading = t("Tệp quá lớn", "The upload is too large")
        case 503: heading = t("Máy chủ đang bận", "The server is busy")
        case 422 where error.diagnostics.first?.id == "request.nothing-in-force":
            heading = t("Không có tiêu chí nào có hiệu lực vào ngày đã chọn", "No criterion is in force on the chosen date")
        case 422: heading = t("Dữ liệu có lỗi", "The data has problems")
        default: heading = t("Yêu cầu không hợp lệ", "The request cannot be used")
        }
        var body = "<header>\n<h1>\(e(heading))</h1>\n<p class=\"meta\">HTTP \(error.status.code)</p>\n</header>\n<main>\n"
        if let localized = error.localized {
            let lines = t(localized.vi, localized.text(in: .en)).split(separator: "\n").map { "<p>\(e(String($0)))</p>" }
            body += "<div class=\"warning-box\" role=\"alert\">\n" + lines.joined(separator: "\n") + "\n</div>\n"
        } else {
            body += "<div class=\"warning-box\" role=\"alert\">\n" + diagnostics(error.diagnostics) + "</div>\n"
        }
        body += "<p><a href=\"\(e(href(back)))\">\(e(t("← Quay lại", "← Back")))</a></p>\n</main>\n"
        return layout(title: heading, section: .none, path: back, body: body)
    }

    // MARK: Inspector

    /// The inspector's home page: the form (upload or sample, date, criteria) and recent decisions.
    func inspector(
        map: LevelMap, samples: [SampleDataset], criteria: CriteriaListV1, date: LocalDate?, recent: [DecisionSummaryV1], reloadFailure: Bool
    ) -> String {
        var body = "<header>\n<h1>\(e(t("Đánh giá tiêu chí an ninh, trật tự", "Evaluate the security-and-order criteria")))</h1>\n"
        body += "<p class=\"meta\">\(e(t("Tải lên dữ liệu của xã, huyện hoặc cả tỉnh (YAML, JSON hoặc các bảng CSV), chọn ngày đánh giá và tiêu chí, rồi xem kết quả và lý do.", "Upload the data of a commune, a district or a whole province (YAML, JSON or CSV tables), pick the date and the criteria, and see the verdicts and the reasons.")))</p>\n"
        if reloadFailure {
            body += "<p class=\"warning-box\" role=\"alert\">\(e(t("Bản sửa quy tắc gần nhất có lỗi; máy chủ vẫn dùng bộ quy tắc trước.", "The latest edit of the rules has errors; the server still uses the previous rules."))) <a href=\"\(e(href("/status")))\">\(e(t("Xem chi tiết", "Details")))</a></p>\n"
        }
        body += "</header>\n<main>\n"
        body += "<form class=\"card\" id=\"inspect\" method=\"post\" action=\"\(e(href("/inspect")))\" enctype=\"multipart/form-data\">\n"
        if !vi { body += "<input type=\"hidden\" name=\"lang\" value=\"en\"/>\n" }
        body += "<fieldset><legend>1. \(e(t("Dữ liệu", "Data")))</legend>\n"
        if !samples.isEmpty {
            body += "<label>\(e(t("Dữ liệu mẫu", "Sample data"))): <select name=\"sample\" id=\"sample\">"
            body += "<option value=\"\">—</option>"
            for (index, sample) in samples.enumerated() {
                body += "<option value=\"\(e(sample.id))\"\(index == 0 ? " selected=\"selected\"" : "")>\(e(sample.id)) (\(e(t("giả lập", "synthetic"))))</option>"
            }
            body += "</select></label>\n"
            body += "<p class=\"meta\">\(e(t("hoặc tải lên tệp của bạn (tệp được ưu tiên hơn dữ liệu mẫu):", "or upload your own file (a file takes precedence over the sample):")))</p>\n"
        }
        body += "<label>\(e(t("Tệp YAML, JSON hoặc Excel (.xlsx)", "YAML, JSON or Excel (.xlsx) file"))): <input type=\"file\" name=\"file\" id=\"file\" accept=\".yaml,.yml,.json,.xlsx\"/></label>\n"
        body += "<details><summary>\(e(t("Hoặc các bảng CSV", "Or CSV tables")))</summary>\n"
        for (field, file) in DatasetInput.tableFields(map) {
            body += "<label>\(e(file)): <input type=\"file\" name=\"\(e(field))\" accept=\".csv\"/></label>\n"
        }
        body += "</details>\n</fieldset>\n"
        body += "<fieldset><legend>2. \(e(t("Ngày đánh giá", "Evaluation date")))</legend>\n"
        body += dateField(date)
        body += "</fieldset>\n"
        body += "<fieldset><legend>3. \(e(t("Tiêu chí (bỏ trống: tất cả)", "Criteria (none ticked: all)")))</legend>\n"
        for criterion in criteria.criteria {
            body += "<label><input type=\"checkbox\" name=\"criteria\" value=\"\(e(criterion.id))\"/> <code>\(e(criterion.id))</code> \(e(criterion.title.text(in: language)))</label><br/>\n"
        }
        body += "</fieldset>\n<button type=\"submit\" id=\"evaluate\">\(e(t("Đánh giá", "Evaluate")))</button>\n</form>\n"
        body += "<section class=\"card\">\n<h2>\(e(t("Mở lại một phiếu kết quả", "Reopen a decision")))</h2>\n"
        body += "<form method=\"get\" action=\"/decisions\" class=\"toolbar\">"
        if !vi { body += "<input type=\"hidden\" name=\"lang\" value=\"en\"/>" }
        body += "<label>\(e(t("Mã phiếu kết quả", "Decision id"))): <input type=\"text\" name=\"id\" id=\"reopen-id\" placeholder=\"KQ-2026-000001\" size=\"16\"/></label>"
        body += "<button type=\"submit\" class=\"secondary\">\(e(t("Mở", "Open")))</button></form>\n"
        if !recent.isEmpty {
            body += "<h3>\(e(t("Gần đây", "Recent")))</h3>\n<ul>\n"
            for item in recent {
                body += "<li><a href=\"\(e(href("/decisions/" + Self.component(item.id))))\"><code>\(e(item.id))</code></a> — \(e(datasetLabel(item.inputName))), \(e(t("ngày", "as of"))) \(e(ValueFormatter.shown(item.asOf, in: language))) · \(e(totals(item.summary)))</li>\n"
            }
            body += "</ul>\n"
        }
        body += "</section>\n</main>\n"
        return layout(title: t("Đánh giá", "Inspect"), section: .inspector, path: "/", body: body)
    }

    /// How a record's input is named on the pages: a bundled sample by its path, anything else as the
    /// user's upload. Only a sample's name holds a `/` (`Examples/thanh-hoa/province.yaml`): an
    /// upload's name is cut to its last path component (`DatasetInput.safeName`), so an upload
    /// cannot pass for the sample, whatever its name.
    func datasetLabel(_ inputName: String) -> String {
        if inputName.hasPrefix("Examples/") && inputName.hasSuffix("/province.yaml") {
            return inputName + " (" + t("dữ liệu mẫu của máy chủ", "the server's sample") + ")"
        }
        return t("tệp tải lên", "uploaded file") + ": " + inputName
    }

    private func totals(_ summary: [String: Int]) -> String {
        Outcome.allCases.compactMap { outcome in
            guard let count = summary[outcome.rawValue], count > 0 else { return nil }
            return "\(count) \(outcome.text(in: language))"
        }.joined(separator: ", ")
    }

    // MARK: Decision record

    /// The record page: the id to cite, what it rests on, and the verdict tables with a link to each
    /// entity's explanation. Drawn from the stored JSON only.
    func record(_ record: DecisionRecordV1, problemsOnly: Bool, plans: [ServedPlan] = []) -> String {
        var output = record.evaluation
        if problemsOnly {
            output.entities = output.entities.filter { $0.verdicts.contains { $0.outcome == .fail || $0.outcome == .unknown } }
        }
        let base = "/decisions/" + Self.component(record.id)
        var body = "<header>\n<h1>\(e(t("Phiếu kết quả", "Decision"))) <span class=\"decision-id\" id=\"decision-id\">\(e(record.id))</span></h1>\n"
        body += "<p class=\"meta\">\(e(t("Trích dẫn mã này để mở lại đúng kết quả và giải thích dưới đây.", "Cite this id to reopen exactly these verdicts and explanations.")))</p>\n"
        body += "<dl class=\"record\">\n"
        let rows: [(String, String)] = [
            (t("Ngày đánh giá", "As of"), ValueFormatter.shown(record.asOf, in: language)),
            (t("Dữ liệu", "Dataset"), datasetLabel(record.inputName) + (record.evaluation.synthetic ? " (\(t("dữ liệu giả lập", "synthetic data")))" : "")),
            (t("Tiêu chí", "Criteria"), record.criteria.isEmpty ? t("tất cả", "all") : record.criteria.joined(separator: ", ")),
            (t("Ghi lúc", "Recorded"), ValueFormatter.timestamp(record.recordedAt, in: language)),
            (t("Mã băm bộ quy tắc", "Rule set hash"), record.rulesHash),
            (t("Mã băm dữ liệu", "Input hash"), record.inputHash),
            (t("Phiên bản phần mềm", "Engine version"), record.engineVersion),
        ]
        for (label, value) in rows { body += "<dt>\(e(label))</dt><dd>\(e(value))</dd>\n" }
        body += "</dl>\n"
        body += datasetNotes(record.evaluation.notes ?? [])
        body += "<p class=\"toolbar no-print\">"
        body += problemsOnly
            ? "<a href=\"\(e(href(base)))\">\(e(t("Hiện tất cả đơn vị", "Show every unit")))</a>"
            : "<a id=\"problems-only\" href=\"\(e(href(base, ["show=problems"])))\">\(e(t("Chỉ hiện đơn vị không đạt hoặc chưa xác định", "Show only units that fail or are unknown")))</a>"
        body += " · <a href=\"\(e("/v1/decisions/" + Self.component(record.id)))\">JSON</a>"
        body += " · <a id=\"download-xlsx\" href=\"\(e(href(base + "/export.xlsx")))\" download>\(e(t("Tải về .xlsx", "Download .xlsx")))</a></p>\n"
        body += planLinks(record: record.id, plans: plans)
        body += "<p class=\"meta\">\(e(t("Bấm mã đơn vị để xem giải thích.", "Click a unit's id for its explanation.")))</p>\n"
        body += "</header>\n<main>\n"
        if let summary = VerdictSummary(output) {
            body += renderer.checkSections(summary) { row in
                self.href(base + "/entities/" + Self.component(row.id))
            }
            body += "<p class=\"totals\">\(e(totals(record.evaluation.summary)))</p>\n"
        }
        body += "</main>\n"
        return layout(
            title: "\(record.id)", section: .inspector, path: base, query: problemsOnly ? "show=problems" : "", body: body)
    }

    /// What reading the dataset converted (a CSV table read as Windows-1258), as notes above the
    /// verdicts: the message and its hint, as the reader wrote them.
    private func datasetNotes(_ notes: [Diagnostic]) -> String {
        notes.map { note in
            let place = note.range.map { " (\(e(URL(fileURLWithPath: $0.file).lastPathComponent)))" } ?? ""
            let hint = note.hint.map { "<br/><span class=\"hint\">\(e(t("Gợi ý", "Hint"))): \(e($0))</span>" } ?? ""
            return "<p class=\"note dataset-note\" role=\"note\">\(e(note.message))\(place)\(hint)</p>\n"
        }.joined()
    }

    /// One entity's explanations from a stored record: the reasons that mattered, or the full trees.
    func entity(_ record: DecisionRecordV1, entity: EvaluationOutputV1.EntityVerdictsV1, full: Bool) -> String {
        let base = "/decisions/" + Self.component(record.id)
        let path = base + "/entities/" + Self.component(entity.id)
        let parent = entity.parent.flatMap { id in record.evaluation.entities.first { $0.id == id } }
        var body = "<header>\n<p class=\"no-print\"><a href=\"\(e(href(base)))\">← \(e(t("Phiếu kết quả", "Decision"))) \(e(record.id))</a></p>\n"
        body += "<h1>\(e(entity.name)) (\(e(entity.id)))</h1>\n"
        body += "<p class=\"meta\">\(e(t("Cấp", "Level"))): \(e(vi ? entity.level.vietnamese : entity.level.name))"
        if let parent { body += " · \(e(t("thuộc", "in"))) \(e(parent.name))" }
        body += " · \(e(t("Ngày đánh giá", "As of"))): <time datetime=\"\(e(record.asOf))\">\(e(ValueFormatter.shown(record.asOf, in: language)))</time>"
        body += " · \(e(t("Phiếu kết quả", "Decision"))) <span class=\"decision-id\">\(e(record.id))</span></p>\n"
        body += "<p class=\"toolbar no-print\">"
        body += full
            ? "<a id=\"short-tree\" href=\"\(e(href(path)))\">\(e(t("Chỉ hiện lý do quyết định", "Show only the reasons that mattered")))</a>"
            : "<a id=\"full-tree\" href=\"\(e(href(path, ["full=1"])))\">\(e(t("Hiện toàn bộ cây điều kiện", "Show the full tree of conditions")))</a>"
        body += "</p>\n"
        body += "<p class=\"meta\">\(e(full ? t("Toàn bộ điều kiện của mỗi tiêu chí.", "Every condition of each criterion.") : t("Chỉ những điều kiện quyết định kết quả; điều kiện không đạt ghi rõ cần gì để đạt.", "Only the conditions that decided the outcome; a failed condition says what it would take to pass.")))</p>\n"
        body += "</header>\n<main>\n"
        for verdict in entity.verdicts {
            body += "<section class=\"verdict\" id=\"\(e("verdict-" + verdict.criterion))\">\n"
            body += renderer.explanationTree(full ? verdict.explanation : verdict.explanation.short)
            body += "<p class=\"entity-links no-print\"><a href=\"\(e(href("/criteria/" + Self.component(verdict.criterion))))\">\(e(t("Văn bản và điều khoản của tiêu chí", "The criterion's legal text and clauses"))) <code>\(e(verdict.criterion))</code></a></p>\n"
            body += "</section>\n"
        }
        if entity.verdicts.contains(where: \.provisional) {
            body += "<p class=\"remark\">\(e(t("[tạm thời]: căn cứ chưa được đối chiếu với văn bản chính thức; di chuột (hoặc chạm) vào nhãn để xem điều chưa chắc chắn.", "[provisional]: the source was not checked against the official text; hover over (or tap) the badge to see what is uncertain.")))</p>\n"
        }
        body += "</main>\n"
        return layout(title: "\(entity.name) — \(record.id)", section: .inspector, path: path, query: full ? "full=1" : "", body: body)
    }

    // MARK: Criteria

    private var markdown: MarkdownHTML {
        let lang = langQuery
        return MarkdownHTML { target in
            if target == CriterionPage.indexFileName { return lang.isEmpty ? "/criteria" : "/criteria?" + lang }
            if target.hasSuffix(".md") {
                let id = String(target.dropLast(3))
                return "/criteria/" + Pages.component(id) + (lang.isEmpty ? "" : "?" + lang)
            }
            return target
        }
    }

    /// The index of criteria: the generated index page as HTML.
    func criteriaIndex(_ markdownText: String, rulesHash: String) -> String {
        var body = "<main>\n" + markdown.render(markdownText)
        body += "<p class=\"meta\">\(e(t("Mã băm bộ quy tắc", "Rule set hash"))): <code>\(e(rulesHash))</code></p>\n</main>\n"
        return layout(title: t("Tiêu chí", "Criteria"), section: .criteria, path: "/criteria", body: body)
    }

    /// A criterion's page: the generated page as HTML, with a link to edit its rule file.
    func criterion(_ detail: CriterionDetailV1) -> String {
        var body = "<main>\n"
        body += markdown.render(detail.markdown)
        if let file = detail.versions.last?.file {
            body += "<p class=\"toolbar no-print\"><a class=\"button\" href=\"\(e(href("/playground", ["file=" + Self.component(file)])))\">\(e(t("Soạn thử tệp quy tắc này", "Try edits to this rule file")))</a> <a href=\"\(e("/v1/criteria/" + Self.component(detail.id)))\">JSON</a></p>\n"
        }
        body += "</main>\n"
        return layout(title: detail.id, section: .criteria, path: "/criteria/" + Self.component(detail.id), body: body)
    }

    // MARK: Playground

    /// The rule playground: an editor over a change set (several rule files, `inputs.yaml`,
    /// `parameters.yaml`, rule tests, new files), diagnostics as you type, per file, rule tests with
    /// their coverage, a verdict diff on a sample or an uploaded dataset, and the change set to
    /// download; all against the served rules, which it never changes.
    func playground(
        files: [String], file: String, path: String, text: String, isNew: Bool, samples: [SampleDataset], date: LocalDate?
    ) -> String {
        var body = "<header>\n<h1>\(e(t("Soạn thử quy tắc", "Rule playground")))</h1>\n"
        body += "<p class=\"meta\">\(e(t("Bản sửa ở đây chỉ dùng để thử: mỗi tệp đã mở thay cho tệp cùng tên khi kiểm tra, chạy kiểm thử và so sánh kết quả, nhưng không thay đổi quy tắc máy chủ đang dùng. Có thể mở nhiều tệp (tiêu chí, inputs.yaml, parameters.yaml, tệp kiểm thử) rồi tải cả bản thay đổi về.", "Edits here are only tried: each open file stands in for the served file of the same name when checking, running the tests and comparing verdicts, but the served rules never change. Open several files (criteria, inputs.yaml, parameters.yaml, rule tests) and download the whole change.")))</p>\n"
        body += "</header>\n<main>\n"
        body += "<form class=\"toolbar\" method=\"get\" action=\"/playground\" id=\"open-form\">"
        if !vi { body += "<input type=\"hidden\" name=\"lang\" value=\"en\"/>" }
        body += "<label>\(e(t("Tệp quy tắc", "Rule file"))): <select name=\"file\" id=\"file-choice\">"
        for candidate in files {
            body += "<option value=\"\(e(candidate))\"\(candidate == file ? " selected=\"selected\"" : "")>\(e(candidate))</option>"
        }
        if !files.contains(file) { body += "<option value=\"\(e(file))\" selected=\"selected\">\(e(file))</option>" }
        body += "</select></label><button type=\"submit\" class=\"secondary\" id=\"open-file\">\(e(t("Mở thêm tệp này", "Open this file too")))</button></form>\n"
        body += "<form class=\"toolbar\" id=\"new-file-form\"><label>\(e(t("Tệp mới", "New file"))): <input type=\"text\" id=\"new-file-name\" spellcheck=\"false\" autocapitalize=\"off\" placeholder=\"xa-ntm/tests/moi.yaml\"/></label>"
        body += "<button type=\"submit\" class=\"secondary\" id=\"new-file\">\(e(t("Thêm tệp mới", "Add a new file")))</button></form>\n"
        body += "<h2 id=\"files-heading\">\(e(t("Các tệp của bản thay đổi", "Files of the change")))</h2>\n"
        body += "<ul class=\"file-list\" id=\"file-list\" aria-labelledby=\"files-heading\"><li><span class=\"file-open\" aria-current=\"true\">\(e(file))</span></li></ul>\n"
        body += "<p><span id=\"check-state\" class=\"state\" role=\"status\" aria-live=\"polite\"></span></p>\n"
        body += "<div class=\"editor\"><pre class=\"gutter\" id=\"gutter\" aria-hidden=\"true\"></pre><div class=\"area\">"
        body += "<pre class=\"backdrop\" id=\"backdrop\" aria-hidden=\"true\"></pre>"
        body += "<textarea id=\"rule-text\" spellcheck=\"false\" autocapitalize=\"off\" autocomplete=\"off\" wrap=\"off\" aria-label=\"\(e(t("Nội dung tệp", "Text of file") + " " + file))\" aria-describedby=\"editor-keys\" data-file=\"\(e(file))\" data-path=\"\(e(path))\" data-new=\"\(e(isNew ? "1" : "0"))\">\(e(text))</textarea>"
        body += "</div></div>\n"
        body += editorKeys()
        body += "<h2>\(e(t("Chẩn đoán", "Diagnostics")))</h2>\n<p id=\"error-alert\" class=\"warning-box\" role=\"alert\" hidden=\"hidden\"></p>\n<ul class=\"diagnostics\" id=\"diagnostics\"></ul>\n"
        body += "<h2>\(e(t("Kiểm thử và so sánh", "Tests and comparison")))</h2>\n<div class=\"toolbar\">"
        body += "<button type=\"button\" id=\"run-tests\">\(e(t("Chạy kiểm thử quy tắc", "Run the rule tests")))</button></div>\n<div class=\"toolbar\">"
        if !samples.isEmpty {
            body += "<label>\(e(t("Dữ liệu mẫu", "Sample dataset"))): <select id=\"diff-dataset\">"
            for sample in samples { body += "<option value=\"\(e(sample.id))\">\(e(sample.id))</option>" }
            body += "</select></label>"
        }
        body += "<label>\(e(t(samples.isEmpty ? "Bộ dữ liệu của bạn (YAML, JSON)" : "hoặc bộ dữ liệu của bạn (YAML, JSON)", samples.isEmpty ? "Your dataset (YAML, JSON)" : "or your own dataset (YAML, JSON)"))): <input type=\"file\" id=\"diff-upload\" accept=\".yaml,.yml,.json\"/></label>"
        body += "<label>\(e(t("Ngày", "As of"))): <input type=\"date\" id=\"diff-date\" value=\"\(date.map { "\($0)" } ?? "")\"/></label>"
        body += "<button type=\"button\" id=\"run-diff\" class=\"secondary\">\(e(t("So sánh kết quả với quy tắc hiện hành", "Compare verdicts with the served rules")))</button>"
        body += "</div>\n<div id=\"results\" role=\"region\" aria-label=\"\(e(t("Kết quả kiểm thử và so sánh", "Test and comparison results")))\" aria-live=\"polite\"></div>\n"
        body += "<h2>\(e(t("Tải bản thay đổi", "Download the change")))</h2>\n"
        body += "<p class=\"meta\">\(e(t("Tệp .zip gồm các tệp đã sửa (đúng đường dẫn trong kho) và bản vá thay-doi.patch; ở thư mục gốc của kho, lệnh git apply thay-doi.patch áp dụng thay đổi. Phần mô tả của bản vá là kết quả của criteria changes.", "The .zip holds the edited files (at their paths in the repository) and the patch thay-doi.patch; at the repository root, git apply thay-doi.patch applies the change. The patch is described by the criteria changes text.")))</p>\n"
        body += "<div class=\"toolbar\"><button type=\"button\" id=\"download-changes\">\(e(t("Tải bản thay đổi (.zip)", "Download the change (.zip)")))</button> <span id=\"download-state\" role=\"status\" aria-live=\"polite\"></span></div>\n</main>\n"
        body += "<script type=\"application/json\" id=\"words\">\(wordsJSON())</script>\n"
        return layout(
            title: t("Soạn thử quy tắc", "Rule playground"), section: .playground, path: "/playground",
            query: "file=" + Self.component(file), body: body, scriptPath: Self.playgroundScriptPath)
    }

    private func wordsJSON() -> String {
        let words: [String: String] = [
            "checking": t("Đang kiểm tra…", "Checking…"),
            "clean": t("Không có lỗi", "No errors"),
            "errors": t("%d lỗi", "%d errors"),
            "failed": t("Không kiểm tra được (mất kết nối?)", "Could not check (connection lost?)"),
            "line": t("dòng", "line"),
            "column": t("cột", "column"),
            "hint": t("Gợi ý", "Hint"),
            "error": t("lỗi", "error"),
            "warning": t("cảnh báo", "warning"),
            "note": t("ghi chú", "note"),
            "running": t("Đang chạy…", "Running…"),
            "testsSummary": t("%p đúng, %f sai; độ phủ %c", "%p passed, %f failed; coverage %c"),
            "test": t("Kiểm thử", "Test"),
            "result": t("Kết quả", "Result"),
            "passed": t("đạt", "passed"),
            "failedTest": t("không đạt", "failed"),
            "changes": t("Thay đổi của quy tắc", "Rule changes"),
            "none": t("(không có)", "(none)"),
            "flips": t("%d kết quả thay đổi", "%d verdicts change"),
            "unit": t("Đơn vị", "Unit"),
            "criterion": t("Tiêu chí", "Criterion"),
            "before": t("Trước", "Before"),
            "after": t("Sau", "After"),
            "conditions": t("Điều kiện thay đổi", "Changed conditions"),
            "fileText": t("Nội dung tệp", "Text of file"),
            "edited": t("đã sửa", "edited"),
            "newFile": t("tệp mới", "new file"),
            "close": t("Đóng", "Close"),
            "closeFile": t("Đóng tệp", "Close file"),
            "fileErrors": t("%d lỗi", "%d errors"),
            "coverage": t("Độ phủ", "Coverage"),
            "uncovered": t("Chưa được kiểm thử", "Not tested yet"),
            "firstDay": t("chưa có kiểm thử vào ngày đầu hiệu lực %s", "no test on its first day %s"),
            "boundary": t("chưa thử ở sát ngưỡng (dưới, tại, trên)", "not tried at the threshold (below, at, above)"),
            "allCovered": t("Mọi giá trị theo ngày và mọi phiên bản đều đã được kiểm thử.", "Every dated value and every version is tested."),
            "version": t("phiên bản %s", "version %s"),
            "downloading": t("Đang tạo tệp…", "Making the file…"),
            "downloaded": t("Đã tải thay-doi-quy-tac.zip (%d tệp thay đổi)", "Downloaded thay-doi-quy-tac.zip (%d files changed)"),
            "unchanged": t("Chưa có tệp nào được sửa.", "No file is edited yet."),
            "pass": Outcome.pass.text(in: language),
            "fail": Outcome.fail.text(in: language),
            "unknown": Outcome.unknown.text(in: language),
            "not_applicable": Outcome.notApplicable.text(in: language),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // `<` cannot occur in these words, so the JSON cannot close the script element.
        return String(decoding: (try? encoder.encode(words)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The playground's script, served at `playgroundScriptPath`: the change set's open files, debounced
    /// checks of the whole set while typing, diagnostics per file with line highlights, tests with
    /// what they leave uncovered, the diff on a sample or an uploaded dataset, and the download.
    static let playgroundScript = """
        (function () {
          "use strict";
          var ta = document.getElementById("rule-text"), gutter = document.getElementById("gutter"),
              backdrop = document.getElementById("backdrop"), list = document.getElementById("diagnostics"),
              state = document.getElementById("check-state"), results = document.getElementById("results"),
              fileList = document.getElementById("file-list");
          var W = JSON.parse(document.getElementById("words").textContent);
          var vi = document.documentElement.lang === "vi";
          var query = vi ? "" : "?lang=en";
          function says(d) { return vi && d.vi ? d.vi.message : d.message; }
          function hints(d) { return vi && d.vi && d.vi.hint ? d.vi.hint : d.hint; }
          // The change set: every open file with its served text (null for a new file) and its text now.
          var first = ta.getAttribute("data-file"), firstPath = ta.getAttribute("data-path");
          var root = firstPath.slice(0, firstPath.length - first.length);
          var files = [{file: first, served: ta.getAttribute("data-new") === "1" ? null : ta.value, text: ta.value}];
          var current = 0, timer = null, seq = 0, bad = {}, shown = [];
          function relative(p) { return p && p.indexOf(root) === 0 ? p.slice(root.length) : p; }
          function indexOf(name) { for (var i = 0; i < files.length; i++) if (files[i].file === name) return i; return -1; }
          function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; }); }
          function paint() {
            var lines = ta.value.split("\\n"), g = "", b = "";
            for (var i = 1; i <= lines.length; i++) {
              g += "<span" + (bad[i] ? " class='bad'" : "") + ">" + i + "</span>";
              b += "<div" + (bad[i] ? " class='bad'" : "") + ">" + (esc(lines[i - 1]) || " ") + "</div>";
            }
            gutter.innerHTML = g; backdrop.innerHTML = b; sync();
          }
          function sync() { gutter.scrollTop = ta.scrollTop; backdrop.scrollTop = ta.scrollTop; backdrop.scrollLeft = ta.scrollLeft; }
          function go(line, column) {
            var lines = ta.value.split("\\n"), pos = 0;
            for (var i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
            ta.focus();
            ta.setSelectionRange(pos + Math.max(0, (column || 1) - 1), pos + (lines[line - 1] || "").length);
            ta.scrollTop = Math.max(0, (line - 4) * 20); sync();
          }
          function drawFiles(errorsByFile) {
            fileList.innerHTML = "";
            files.forEach(function (f, i) {
              var li = document.createElement("li"), open = document.createElement("button");
              open.type = "button"; open.className = "file-open"; open.textContent = f.file;
              if (i === current) open.setAttribute("aria-current", "true");
              open.addEventListener("click", function () { show(i); ta.focus(); });
              li.appendChild(open);
              var notes = [];
              if (f.served === null) notes.push(W.newFile); else if ((i === current ? ta.value : f.text) !== f.served) notes.push(W.edited);
              if (errorsByFile[f.file]) notes.push(W.fileErrors.replace("%d", errorsByFile[f.file]));
              if (notes.length) {
                var note = document.createElement("span");
                note.className = "file-state" + (errorsByFile[f.file] ? " fail" : "");
                note.textContent = " (" + notes.join(", ") + ")";
                li.appendChild(note);
              }
              if (files.length > 1) {
                var close = document.createElement("button");
                close.type = "button"; close.className = "secondary file-close"; close.textContent = W.close;
                close.setAttribute("aria-label", W.closeFile + " " + f.file);
                close.addEventListener("click", function () { closeFile(i); });
                li.appendChild(document.createTextNode(" "));
                li.appendChild(close);
              }
              fileList.appendChild(li);
            });
          }
          function render(ds) {
            shown = ds; bad = {}; list.innerHTML = "";
            var here = files[current].file, errors = 0, byFile = {};
            var mine = ds.filter(function (d) { return d.range && relative(d.range.file) === here; });
            var others = ds.filter(function (d) { return !(d.range && relative(d.range.file) === here); });
            mine.concat(others).forEach(function (d) {
              var li = document.createElement("li"), r = d.range, name = r ? relative(r.file) : null, isHere = name === here, at = name === null ? -1 : indexOf(name);
              li.className = "diag " + d.severity;
              if (d.severity === "error") { errors++; if (name !== null) byFile[name] = (byFile[name] || 0) + 1; }
              if (isHere && d.severity === "error") bad[r.start.line] = true;
              var place = r ? (isHere ? W.line + " " + r.start.line + ", " + W.column + " " + r.start.column : name + ":" + r.start.line + ":" + r.start.column) : "";
              li.innerHTML = (place ? "<code>" + esc(place) + "</code> " : "") + "<strong>" + esc(W[d.severity] || d.severity) + "</strong>: " +
                esc(says(d)) + " <span class='id'>[" + esc(d.id) + "]</span>" + (d.hint ? "<div class='hint'>" + esc(W.hint) + ": " + esc(hints(d)) + "</div>" : "");
              if (at >= 0 && r) {
                var jump = function () { if (at !== current) show(at); go(r.start.line, r.start.column); };
                li.tabIndex = 0; li.addEventListener("click", jump);
                li.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); jump(); } });
              }
              list.appendChild(li);
            });
            state.textContent = errors ? W.errors.replace("%d", errors) : W.clean;
            var firstError = mine.concat(others).filter(function (d) { return d.severity === "error"; })[0];
            var alertBox = document.getElementById("error-alert");
            if (firstError) {
              var fr = firstError.range, where = fr ? (relative(fr.file) === here ? W.line + " " + fr.start.line + ": " : relative(fr.file) + ":" + fr.start.line + ": ") : "";
              alertBox.textContent = W.errors.replace("%d", errors) + " — " + where + says(firstError);
              alertBox.hidden = false;
            } else { alertBox.textContent = ""; alertBox.hidden = true; }
            state.className = "state " + (errors ? "fail" : "pass");
            drawFiles(byFile);
            paint();
          }
          function show(i) {
            files[current].text = ta.value;
            current = i;
            ta.value = files[i].text;
            ta.setAttribute("aria-label", W.fileText + " " + files[i].file);
            ta.scrollTop = 0;
            render(shown);
          }
          function closeFile(i) {
            files[current].text = ta.value;
            files.splice(i, 1);
            current = Math.min(current > i ? current - 1 : current, files.length - 1);
            ta.value = files[current].text;
            ta.setAttribute("aria-label", W.fileText + " " + files[current].file);
            render(shown); check();
          }
          function changeSet(extra) {
            files[current].text = ta.value;
            var body = {files: files.map(function (f) { return {file: f.file, text: f.text}; })};
            for (var k in extra) body[k] = extra[k];
            return JSON.stringify(body);
          }
          function post(url, extra) {
            return fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: changeSet(extra)})
              .then(function (r) { return r.json().then(function (j) { return {status: r.status, json: j}; }); });
          }
          function check() {
            var mine = ++seq;
            state.textContent = W.checking; state.className = "state";
            post("/v1/check", {}).then(function (r) { if (mine === seq) render(r.json.diagnostics || []); })
              .catch(function () { if (mine === seq) { state.textContent = W.failed; state.className = "state fail"; } });
          }
          function problems(r, box) {
            if (r.json && r.json.diagnostics) {
              render(r.json.diagnostics);
              box.innerHTML = "<p class='warning-box' role='alert'>" + esc(r.json.diagnostics.map(function (d) {
                return (d.range ? relative(d.range.file) + ":" + d.range.start.line + ": " : "") + says(d) + (d.hint ? " (" + W.hint + ": " + hints(d) + ")" : "");
              }).join("; ")) + "</p>";
              return true;
            }
            return false;
          }
          function addFile(name, text, isNew) {
            var at = indexOf(name);
            if (at < 0) { files.push({file: name, served: isNew ? null : text, text: text}); at = files.length - 1; }
            show(at); check(); ta.focus();
          }
          ta.addEventListener("input", function () { paint(); clearTimeout(timer); timer = setTimeout(check, 400); });
          ta.addEventListener("scroll", sync);
          // Tab indents; Shift+Tab always leaves the editor, and so does Tab after Esc (no keyboard trap).
          var tabLeaves = false;
          ta.addEventListener("focus", function () { tabLeaves = false; });
          ta.addEventListener("keydown", function (ev) {
            if (ev.key === "Escape") { tabLeaves = true; return; }
            if (ev.key === "Tab" && !ev.shiftKey && !ev.ctrlKey && !ev.altKey && !ev.metaKey && !tabLeaves) {
              ev.preventDefault(); var s = ta.selectionStart; ta.setRangeText("  ", s, ta.selectionEnd, "end"); ta.dispatchEvent(new Event("input"));
            } else if (ev.key !== "Tab" && ev.key !== "Shift") { tabLeaves = false; }
          });
          document.getElementById("open-form").addEventListener("submit", function (ev) {
            ev.preventDefault();
            var name = document.getElementById("file-choice").value;
            if (indexOf(name) >= 0) { show(indexOf(name)); ta.focus(); return; }
            fetch("/v1/rule-file?file=" + encodeURIComponent(name)).then(function (r) { return r.json().then(function (j) { return {status: r.status, json: j}; }); })
              .then(function (r) { if (!problems(r, results)) addFile(r.json.file, r.json.text, false); })
              .catch(function () { results.innerHTML = "<p class='warning-box' role='alert'>" + esc(W.failed) + "</p>"; });
          });
          document.getElementById("new-file-form").addEventListener("submit", function (ev) {
            ev.preventDefault();
            var input = document.getElementById("new-file-name"), name = input.value.trim();
            if (!name) { input.focus(); return; }
            input.value = "";
            addFile(name, "criteria: 1\\n", true);
          });
          function coverageHTML(c) {
            var missing = [];
            (c.values || []).forEach(function (v) {
              var why = [];
              if (!v.firstDay) why.push(W.firstDay.replace("%s", v.from));
              if (v.isThreshold && (v.positions || []).length < 3) why.push(W.boundary);
              if (why.length) missing.push("<code>" + esc(v.parameter + " = " + v.value) + "</code> " + esc(why.join("; ")));
            });
            (c.criteria || []).forEach(function (k) {
              (k.windows || []).forEach(function (w) {
                if (!w.firstDay) missing.push("<code>" + esc(k.id) + "</code> " + esc(W.version.replace("%s", w.period) + ": " + W.firstDay.replace("%s", w.from)));
              });
            });
            if (!missing.length) return "<p id='coverage-missing' class='ok-box'>" + esc(W.allCovered) + "</p>";
            return "<h3>" + esc(W.uncovered) + "</h3><ul id='coverage-missing'>" + missing.map(function (m) { return "<li>" + m + "</li>"; }).join("") + "</ul>";
          }
          document.getElementById("run-tests").addEventListener("click", function () {
            results.innerHTML = "<p>" + esc(W.running) + "</p>";
            post("/v1/tests", {}).then(function (r) {
              if (problems(r, results)) return;
              var j = r.json, h = "<p class='state " + (j.failed ? "fail" : "pass") + "' id='tests-summary'>" +
                esc(W.testsSummary.replace("%p", j.passed).replace("%f", j.failed).replace("%c", Math.round(j.coveragePercent * 10) / 10 + "%")) + "</p>";
              h += coverageHTML(j.coverage || {});
              h += "<div class='table-wrap'><table id='test-results'><thead><tr><th>" + esc(W.test) + "</th><th>" + esc(W.result) + "</th></tr></thead><tbody>";
              j.cases.forEach(function (c) {
                h += "<tr><td>" + esc(c.name) + " <span class='meta'>(" + esc(relative(c.file)) + ":" + c.line + ")</span></td><td class='" + (c.passed ? "pass" : "fail") + "'>" +
                  esc(c.passed ? W.passed : W.failedTest) + (c.failures.length ? "<ul>" + c.failures.map(function (f) { return "<li>" + esc(f) + "</li>"; }).join("") + "</ul>" : "") + "</td></tr>";
              });
              results.innerHTML = h + "</tbody></table></div>";
            }).catch(function () { results.innerHTML = "<p class='warning-box' role='alert'>" + esc(W.failed) + "</p>"; });
          });
          function diff(upload) {
            var sample = document.getElementById("diff-dataset");
            var extra = {asOf: document.getElementById("diff-date").value};
            if (upload) extra.upload = upload; else if (sample) extra.dataset = sample.value;
            post("/v1/diff", extra).then(function (r) {
              if (problems(r, results)) return;
              var j = r.json, h = "<h3>" + esc(W.changes) + "</h3><ul id='diff-changes'>";
              h += j.changes.length ? j.changes.map(function (c) { return "<li>" + esc(!vi && c.text.en ? c.text.en : c.text.vi) + "</li>"; }).join("") : "<li>" + esc(W.none) + "</li>";
              h += "</ul><p class='state' id='diff-summary'>" + esc(W.flips.replace("%d", j.flips.length)) + "</p>";
              if (j.flips.length) {
                h += "<div class='table-wrap'><table id='diff-flips'><thead><tr><th>" + esc(W.unit) + "</th><th>" + esc(W.criterion) + "</th><th>" + esc(W.before) + "</th><th>" + esc(W.after) + "</th><th>" + esc(W.conditions) + "</th></tr></thead><tbody>";
                j.flips.forEach(function (f) {
                  h += "<tr><td>" + esc(f.entity + " " + f.name) + "</td><td><code>" + esc(f.criterion) + "</code></td><td class='" + esc(f.before) + "'>" + esc(W[f.before]) + "</td><td class='" + esc(f.after) + "'>" + esc(W[f.after]) + "</td><td>" + esc(f.changedConditions.join(", ")) + "</td></tr>";
                });
                h += "</tbody></table></div>";
              }
              results.innerHTML = h;
            }).catch(function () { results.innerHTML = "<p class='warning-box' role='alert'>" + esc(W.failed) + "</p>"; });
          }
          document.getElementById("run-diff").addEventListener("click", function () {
            results.innerHTML = "<p>" + esc(W.running) + "</p>";
            var chosen = document.getElementById("diff-upload").files[0];
            if (!chosen) { diff(null); return; }
            var reader = new FileReader();
            reader.onload = function () { diff({name: chosen.name, text: String(reader.result)}); };
            reader.onerror = function () { results.innerHTML = "<p class='warning-box' role='alert'>" + esc(W.failed) + "</p>"; };
            reader.readAsText(chosen);
          });
          document.getElementById("download-changes").addEventListener("click", function () {
            var status = document.getElementById("download-state");
            status.textContent = W.downloading;
            files[current].text = ta.value;
            var changed = files.filter(function (f) { return f.text !== f.served; }).length;
            fetch("/v1/changes.zip" + query, {method: "POST", headers: {"Content-Type": "application/json"}, body: changeSet({})}).then(function (r) {
              if (!r.ok) return r.json().then(function (j) { status.textContent = ""; problems({status: r.status, json: j}, results); });
              return r.blob().then(function (blob) {
                var a = document.createElement("a");
                a.href = URL.createObjectURL(blob); a.download = "thay-doi-quy-tac.zip"; a.hidden = true;
                document.body.appendChild(a); a.click();
                setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
                status.textContent = changed ? W.downloaded.replace("%d", changed) : W.unchanged;
              });
            }).catch(function () { status.textContent = W.failed; });
          });
          drawFiles({});
          paint();
          check();
        })();
        """

    /// The evaluation date field with its own label (a legend does not name a field).
    private func dateField(_ date: LocalDate?) -> String {
        "<label for=\"as_of\">\(e(t("Ngày đánh giá", "Evaluation date")))</label> "
            + "<input type=\"date\" name=\"as_of\" id=\"as_of\" required=\"required\" value=\"\(date.map { "\($0)" } ?? "")\"/>\n"
    }

    /// How the keyboard leaves the playground's editor, under it and named by it (`aria-describedby`).
    private func editorKeys() -> String {
        "<p class=\"meta\" id=\"editor-keys\">\(e(t("Trong ô soạn thảo, phím Tab chèn hai dấu cách; nhấn Esc rồi Tab (hoặc Shift+Tab) để rời ô.", "In the editor, Tab inserts two spaces; press Esc then Tab (or Shift+Tab) to leave it.")))</p>\n"
    }

    // MARK: Status

    /// The status page: the rule set served and, when the latest edit did not check, its diagnostics.
    func status(_ status: StatusV1, plans: [ServedPlan] = []) -> String {
        var body = "<header>\n<h1>\(e(t("Trạng thái máy chủ", "Server status")))</h1>\n</header>\n<main>\n"
        if let failure = status.reloadFailure {
            body += "<div class=\"warning-box\" role=\"alert\" id=\"reload-failure\"><p><strong>\(e(t("Bản sửa quy tắc lúc \(ValueFormatter.timestamp(failure.at, in: language)) có lỗi nên chưa được dùng; máy chủ vẫn phục vụ bộ quy tắc trước (tải lúc \(ValueFormatter.timestamp(status.loadedAt, in: language))).", "The edit of the rules seen at \(ValueFormatter.timestamp(failure.at, in: language)) does not check, so it is not used; the server still serves the previous rules (loaded at \(ValueFormatter.timestamp(status.loadedAt, in: language))).")))</strong></p>\n"
            body += diagnostics(failure.diagnostics) + "</div>\n"
        } else {
            body += "<p class=\"ok-box\" id=\"rules-ok\">\(e(t("Quy tắc hợp lệ và đang được phục vụ.", "The rules check and are being served.")))</p>\n"
        }
        body += "<dl class=\"record\">\n"
        let rows: [(String, String)] = [
            (t("Thư mục quy tắc", "Rules folder"), status.rules),
            (t("Mã băm bộ quy tắc", "Rule set hash"), status.rulesHash),
            (t("Tải lúc", "Loaded"), ValueFormatter.timestamp(status.loadedAt, in: language)),
            (t("Tiêu chí", "Criteria"), status.criteria.joined(separator: ", ")),
            (t("Số tệp quy tắc", "Rule files"), "\(status.ruleFiles.count)"),
            (t("Số kiểm thử", "Rule tests"), "\(status.tests)"),
            (t("Phiên bản phần mềm", "Engine version"), status.engineVersion),
            (t("Giới hạn tải lên", "Upload limit"), "\(status.limits.maxBodyBytes >> 20) MiB"),
            (t("Thời gian tối đa mỗi yêu cầu", "Time limit per request"), "\(status.limits.wallClockSeconds) s"),
            (t("Số đánh giá đồng thời", "Evaluations at once"), "\(status.limits.maxConcurrentEvaluations)"),
        ]
        for (label, value) in rows { body += "<dt>\(e(label))</dt><dd>\(e(value))</dd>\n" }
        body += "</dl>\n" + planStatus(plans)
        body += "<p><a href=\"/v1/status\">JSON</a> · <a href=\"/v1/openapi.yaml\">OpenAPI</a></p>\n</main>\n"
        return layout(title: t("Trạng thái", "Status"), section: .status, path: "/status", body: body)
    }
}
