import Foundation

/// The default sentences of explanations, in Vietnamese and English, and rule-given overrides.
///
/// A rule may override the sentence for an outcome with a template; `{title}`, `{actual}`,
/// `{threshold}`, `{requirement}` and `{missing}` are replaced by the node's values.
struct Sentences {
    let graph: RuleGraph
    let dataset: Dataset

    func check(_ node: Explanation, templates: ExplainTemplates) -> LocalizedText {
        if let custom = template(for: node.outcome, in: templates) { return fill(custom, node) }
        let vi: String
        let en: String
        let title = node.title
        switch node.outcome {
        case .pass:
            vi = "\(title.vi): đạt" + (node.requirement.map { " (\($0.text(in: .vi)))" } ?? "") + "."
            en = "\(title.text(in: .en)): met" + (node.requirement.map { " (\($0.text(in: .en)))" } ?? "") + "."
        case .fail:
            vi = "\(title.vi): không đạt" + (node.requirement.map { " — \($0.text(in: .vi))" } ?? falseFacts(node, .vi)) + "."
            en = "\(title.text(in: .en)): not met" + (node.requirement.map { " — \($0.text(in: .en))" } ?? falseFacts(node, .en)) + "."
        case .unknown:
            vi = "\(title.vi): chưa xác định — thiếu \(missingList(node, .vi))."
            en = "\(title.text(in: .en)): cannot be decided — missing \(missingList(node, .en))."
        case .notApplicable:
            vi = "\(title.vi): không áp dụng."
            en = "\(title.text(in: .en)): not applicable."
        }
        return LocalizedText(vi: vi, en: en)
    }

    func group(_ node: Explanation, templates: ExplainTemplates) -> LocalizedText {
        if let custom = template(for: node.outcome, in: templates) { return fill(custom, node) }
        let title = node.title
        let failed = node.children.filter { $0.mattered && $0.outcome == .fail }.count
        let passedBad = node.children.filter { $0.mattered && $0.outcome == .pass }.count
        switch node.outcome {
        case .pass:
            return LocalizedText(vi: "\(title.vi): đạt.", en: "\(title.text(in: .en)): met.")
        case .fail:
            let count = node.combinator == "none" ? passedBad : failed
            return LocalizedText(
                vi: "\(title.vi): không đạt (\(count) điều kiện không đạt).",
                en: "\(title.text(in: .en)): not met (\(count) condition\(count == 1 ? "" : "s") not met).")
        case .unknown:
            return LocalizedText(
                vi: "\(title.vi): chưa xác định — thiếu \(missingList(node, .vi)).",
                en: "\(title.text(in: .en)): cannot be decided — missing \(missingList(node, .en)).")
        case .notApplicable:
            return LocalizedText(vi: "\(title.vi): không áp dụng.", en: "\(title.text(in: .en)): not applicable.")
        }
    }

    func criterion(_ node: Explanation, templates: ExplainTemplates) -> LocalizedText {
        group(node, templates: templates)
    }

    private func template(for outcome: Outcome, in templates: ExplainTemplates) -> LocalizedText? {
        switch outcome {
        case .pass: templates.pass
        case .fail: templates.fail
        case .unknown: templates.unknown
        case .notApplicable: nil
        }
    }

    private func fill(_ template: LocalizedText, _ node: Explanation) -> LocalizedText {
        func apply(_ text: String, _ language: Language) -> String {
            var result = text
            let replacements: [(String, String)] = [
                ("{title}", node.title.text(in: language)),
                ("{actual}", node.requirement?.actual ?? ""),
                ("{threshold}", node.requirement?.threshold ?? ""),
                ("{requirement}", node.requirement?.text(in: language) ?? ""),
                ("{missing}", missingList(node, language)),
            ]
            for (key, value) in replacements { result = result.replacingOccurrences(of: key, with: value) }
            return result
        }
        return LocalizedText(vi: apply(template.vi, .vi), en: template.en.map { apply($0, .en) } ?? apply(template.vi, .en))
    }

    /// For a failed check without a numeric threshold: the facts that were false.
    private func falseFacts(_ node: Explanation, _ language: Language) -> String {
        let falses = node.values.filter { $0.value == "false" && $0.entityID != nil }.map { $0.label.text(in: language) }
        guard !falses.isEmpty else { return "" }
        return language == .vi ? " — không có: " + falses.joined(separator: "; ") : " — false: " + falses.joined(separator: "; ")
    }

    private func missingList(_ node: Explanation, _ language: Language) -> String {
        let items = node.missing.prefix(5).map { $0.message.text(in: language) }
        let more = node.missing.count > 5 ? (language == .vi ? " và \(node.missing.count - 5) mục khác" : " and \(node.missing.count - 5) more") : ""
        return items.isEmpty ? (language == .vi ? "dữ liệu" : "data") : items.joined(separator: "; ") + more
    }

    /// Turns unknown reasons into items an inspector can act on, without repeats.
    func missing(_ reasons: [UnknownReason]) -> [MissingItem] {
        var items: [MissingItem] = []
        for reason in reasons {
            let item = describe(reason)
            if !items.contains(item) { items.append(item) }
        }
        return items
    }

    private func entityName(_ index: Int) -> String {
        let e = dataset.entities[index]
        return "\(e.name) (\(e.id))"
    }

    private func describe(_ reason: UnknownReason) -> MissingItem {
        switch reason {
        case .missingFact(let entity, let name, let year):
            let label = graph.inputs[name]?.label ?? LocalizedText(vi: name)
            return MissingItem(
                name: name, entityID: dataset.entities[entity].id, year: year,
                message: LocalizedText(
                    vi: "\(label.vi) (\(name)) năm \(year) của \(entityName(entity))",
                    en: "\(label.text(in: .en)) (\(name)) for \(year) of \(entityName(entity))"))
        case .noEntities(let entity, let level):
            return MissingItem(
                name: level.pluralName, entityID: dataset.entities[entity].id, year: nil,
                message: LocalizedText(
                    vi: "danh sách \(level.vietnamese) của \(entityName(entity))",
                    en: "the list of \(level.pluralName) of \(entityName(entity))"))
        case .criterion(let entity, let id, let outcome):
            return MissingItem(
                name: id, entityID: dataset.entities[entity].id, year: nil,
                message: LocalizedText(
                    vi: "kết quả \(id) của \(entityName(entity)) (\(outcome.text(in: .vi)))",
                    en: "the verdict on \(id) of \(entityName(entity)) (\(outcome.text(in: .en)))"))
        case .parameter(let name, let date):
            return MissingItem(
                name: name, entityID: nil, year: nil,
                message: LocalizedText(
                    vi: "giá trị của tham số \(name) vào ngày \(date.vietnamese)", en: "a value of parameter \(name) on \(date)"))
        case .evaluationError(let message, let range):
            let place = range.map { " (\($0.file):\($0.start.line):\($0.start.column))" } ?? ""
            return MissingItem(
                name: nil, entityID: nil, year: nil,
                message: LocalizedText(vi: "một phép tính hợp lệ: \(message)\(place)", en: "a valid computation: \(message)\(place)"))
        case .stepBudgetExhausted(let limit, let range):
            let place = range.map { " (\($0.file):\($0.start.line):\($0.start.column))" } ?? ""
            return MissingItem(
                name: "limits.evaluation-steps", entityID: nil, year: nil,
                message: LocalizedText(
                    vi: "đủ bước tính: cần hơn \(limit) bước, vượt giới hạn limits.evaluation-steps\(place); tăng giới hạn bằng --max-steps",
                    en: "a computation within the step budget: it needs more than \(limit) steps, the limit limits.evaluation-steps\(place); raise it with --max-steps"))
        case .missingAttribute(let entity, let name):
            return MissingItem(
                name: name, entityID: dataset.entities[entity].id, year: nil,
                message: LocalizedText(vi: "\(name) của \(entityName(entity))", en: "the \(name) of \(entityName(entity))"))
        }
    }
}

