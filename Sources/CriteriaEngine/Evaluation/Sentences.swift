import Foundation

/// The words of explanations, in Vietnamese and English, in one place: the default sentences and the
/// rule-given overrides, what is missing, the labels and sentences made while evaluating, and the
/// words of the explanation model's types (`Outcome`, `Requirement`, `RequirementGap`,
/// `EvaluationProblem`). The evaluators and the model hold no words of their own.
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
        let titleEN = title.text(in: .en)
        switch node.outcome {
        case .pass:
            if let requirement = node.requirement {
                vi = concat(title.vi, ": đạt (", requirement.text(in: .vi), ").")
                en = concat(titleEN, ": met (", requirement.text(in: .en), ").")
            } else {
                vi = concat(title.vi, ": đạt.")
                en = concat(titleEN, ": met.")
            }
        case .fail:
            if let requirement = node.requirement {
                vi = concat(title.vi, ": không đạt — ", requirement.text(in: .vi), ".")
                en = concat(titleEN, ": not met — ", requirement.text(in: .en), ".")
            } else {
                vi = concat(title.vi, ": không đạt", falseFacts(node, .vi), ".")
                en = concat(titleEN, ": not met", falseFacts(node, .en), ".")
            }
        case .unknown:
            vi = concat(title.vi, ": chưa xác định — thiếu ", missingList(node, .vi), ".")
            en = concat(titleEN, ": cannot be decided — missing ", missingList(node, .en), ".")
        case .notApplicable:
            vi = concat(title.vi, ": không áp dụng.")
            en = concat(titleEN, ": not applicable.")
        }
        return LocalizedText(vi: vi, en: en)
    }

    func group(_ node: Explanation, templates: ExplainTemplates) -> LocalizedText {
        if let custom = template(for: node.outcome, in: templates) { return fill(custom, node) }
        let title = node.title
        let titleEN = title.text(in: .en)
        var failed = 0
        var passedBad = 0
        for index in node.children.indices where node.children[index].mattered {
            if node.children[index].outcome == .fail { failed += 1 }
            if node.children[index].outcome == .pass { passedBad += 1 }
        }
        switch node.outcome {
        case .pass:
            return LocalizedText(vi: concat(title.vi, ": đạt."), en: concat(titleEN, ": met."))
        case .fail:
            let count = node.combinator == GroupKind.none ? passedBad : failed
            let number = String(count)
            return LocalizedText(
                vi: concat(title.vi, ": không đạt (", number, " điều kiện không đạt)."),
                en: concat(titleEN, ": not met (", number, count == 1 ? " condition not met)." : " conditions not met)."))
        case .unknown:
            return LocalizedText(
                vi: concat(title.vi, ": chưa xác định — thiếu ", missingList(node, .vi), "."),
                en: concat(titleEN, ": cannot be decided — missing ", missingList(node, .en), "."))
        case .notApplicable:
            return LocalizedText(vi: concat(title.vi, ": không áp dụng."), en: concat(titleEN, ": not applicable."))
        }
    }

    /// The texts one after the other, in one allocation (sentences are built for every verdict).
    @inline(__always)
    private func concat(_ a: String, _ b: String, _ c: String = "", _ d: String = "", _ e: String = "") -> String {
        var result = String()
        result.reserveCapacity(a.utf8.count + b.utf8.count + c.utf8.count + d.utf8.count + e.utf8.count)
        result += a
        result += b
        result += c
        result += d
        result += e
        return result
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
                ("{actual}", node.requirement.map { Words.shown($0.actual, language) } ?? ""),
                ("{threshold}", node.requirement.map { Words.shown($0.threshold, language) } ?? ""),
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
        // A truth value carries its words (`valueLabel`); a text that reads "false" does not.
        let falses = node.values.filter { $0.value == "false" && $0.valueLabel != nil && $0.entityID != nil }.map { $0.label.text(in: language) }
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
        let e = dataset.records[index]
        return "\(e.name) (\(e.id))"
    }

    private func describe(_ reason: UnknownReason) -> MissingItem {
        switch reason {
        case .missingFact(let entity, let name, let year):
            let label = graph.inputs[name]?.label ?? LocalizedText(vi: name)
            let derivation = dataset.derivation(entity: entity, name: name, year: year)
            return MissingItem(
                name: name, entityID: dataset.records[entity].id, year: year,
                message: LocalizedText(
                    vi: "\(label.vi) (\(name)) năm \(year) của \(entityName(entity))"
                        + (derivation.map { " — \($0.vi)" } ?? ""),
                    en: "\(label.text(in: .en)) (\(name)) for \(year) of \(entityName(entity))"
                        + (derivation.map { " — \($0.text(in: .en))" } ?? "")))
        case .noEntities(let entity, let level):
            return MissingItem(
                name: level.pluralName, entityID: dataset.records[entity].id, year: nil,
                message: LocalizedText(
                    vi: "danh sách \(level.vietnamese) của \(entityName(entity))",
                    en: "the list of \(level.pluralName) of \(entityName(entity))"))
        case .criterion(let entity, let id, let outcome):
            return MissingItem(
                name: id, entityID: dataset.records[entity].id, year: nil,
                message: LocalizedText(
                    vi: "kết quả \(id) của \(entityName(entity)) (\(outcome.text(in: .vi)))",
                    en: "the verdict on \(id) of \(entityName(entity)) (\(outcome.text(in: .en)))"))
        case .parameter(let name, let date):
            return MissingItem(
                name: name, entityID: nil, year: nil,
                message: LocalizedText(
                    vi: "giá trị của tham số \(name) vào ngày \(date.vietnamese)", en: "a value of parameter \(name) on \(date)"))
        case .evaluationError(let problem, let range):
            let place = range.map { " (\($0.file):\($0.start.line):\($0.start.column))" } ?? ""
            return MissingItem(
                name: nil, entityID: nil, year: nil,
                message: LocalizedText(
                    vi: "một phép tính hợp lệ: \(problem.text(in: .vi))\(place)",
                    en: "a valid computation: \(problem.text(in: .en))\(place)"))
        case .stepBudgetExhausted(let limit, let range):
            let place = range.map { " (\($0.file):\($0.start.line):\($0.start.column))" } ?? ""
            return MissingItem(
                name: "limits.evaluation-steps", entityID: nil, year: nil,
                message: LocalizedText(
                    vi: "đủ bước tính: cần hơn \(limit) bước, vượt giới hạn limits.evaluation-steps\(place); tăng giới hạn bằng --max-steps",
                    en: "a computation within the step budget: it needs more than \(limit) steps, the limit limits.evaluation-steps\(place); raise it with --max-steps"))
        case .missingAttribute(let entity, let name):
            return MissingItem(
                name: name, entityID: dataset.records[entity].id, year: nil,
                message: LocalizedText(
                    vi: "\(Self.attributeVietnamese[name] ?? name) của \(entityName(entity))",
                    en: "the \(name) of \(entityName(entity))"))
        }
    }

    /// The Vietnamese words for an entity's attributes in "missing" sentences.
    static let attributeVietnamese = ["group": "nhóm xã (group)", "kind": "loại đơn vị (kind)"]

    // MARK: Sentences and labels made while evaluating

    /// The sentence of a criterion not in force on a date, with the periods it is in force.
    static func notInForce(on date: LocalDate, versions: [CriterionVersion]) -> LocalizedText {
        let periodsVI = versions.map { $0.inForce.text(in: .vi) }.joined(separator: "; ")
        let periodsEN = versions.map { $0.inForce.text(in: .en) }.joined(separator: "; ")
        return LocalizedText(
            vi: "Không áp dụng vào ngày \(date.vietnamese): tiêu chí có hiệu lực \(periodsVI).",
            en: "Not applicable on \(date): the criterion is in force \(periodsEN).")
    }

    /// The sentence of a unit of a kind the criterion does not apply to.
    static func notOfKind(_ record: Entity, kinds: [String]) -> LocalizedText {
        let declared = record.level.kinds
        func words(_ kind: String, _ language: (LocalizedText) -> String) -> String {
            declared.first { $0.value == kind }.map { "\(kind) (\(language($0.label)))" } ?? kind
        }
        let ownVi = record.kind.map { words($0, \.vi) } ?? "—"
        let ownEn = record.kind.map { words($0, \.english) } ?? "—"
        return LocalizedText(
            vi: "Không áp dụng: tiêu chí chỉ áp dụng cho \(record.level.vietnamese) loại \(kinds.map { words($0, \.vi) }.joined(separator: ", ")); \(record.name) là \(ownVi).",
            en: "Not applicable: the criterion applies only to a \(record.level.english) of kind \(kinds.map { words($0, \.english) }.joined(separator: ", ")); \(record.name) is \(ownEn).")
    }

    /// How a parameter with one value per commune group gave its value: the group's, or (for a unit
    /// without a group) every group's.
    static func groupValue(group: Int?, dated: ParameterSyntax.DatedValue) -> LocalizedText {
        group.map { LocalizedText(vi: "mức của nhóm xã \($0)", en: "the value for commune group \($0)") }
            ?? LocalizedText(vi: "mỗi nhóm xã một mức: \(dated.shown(in: .vi))", en: "one value per commune group: \(dated.shown(in: .en))")
    }

    /// The label of a fold's value among the values a check read.
    static func label(of quantifier: Quantifier) -> LocalizedText {
        switch quantifier {
        case .all: LocalizedText(vi: "tất cả", en: "all")
        case .exists: LocalizedText(vi: "có ít nhất một", en: "at least one")
        case .filter: LocalizedText(vi: "lọc", en: "filter")
        case .share: LocalizedText(vi: "tỷ lệ", en: "share")
        case .count: LocalizedText(vi: "số lượng", en: "count")
        case .sum: LocalizedText(vi: "tổng", en: "sum")
        }
    }

    /// The warning (`limits.evaluation-steps`) for verdicts on a criterion that ran out of steps: for
    /// `first` and `others` more entities.
    static func stepBudgetWarning(criterion id: String, maxSteps: Int, first: String, others count: Int) -> (
        message: LocalizedText, hint: LocalizedText
    ) {
        let others = count > 0 ? " and \(count) other\(count == 1 ? "" : "s")" : ""
        let othersVi = count > 0 ? " và \(count) đơn vị khác" : ""
        return (
            .vi(
                "tiêu chí '\(id)' cần hơn \(maxSteps) bước tính, vượt giới hạn, đối với \(first)\(othersVi); kết quả là chưa xác định",
                en: "criterion '\(id)' needed more than \(maxSteps) evaluation steps, the limit, for \(first)\(others); \(count == 0 ? "its verdict is" : "their verdicts are") unknown"),
            .vi("hãy nâng giới hạn bằng --max-steps, hoặc đơn giản hoá quy tắc", en: "raise the limit with --max-steps, or simplify the rule")
        )
    }
}

extension EvaluationProblem {
    /// The problem in words: "chia cho 0" / "division by zero".
    public func text(in language: Language) -> String {
        let vi = language == .vi
        switch self {
        case .divisionByZero:
            return vi ? "chia cho 0" : "division by zero"
        case .inexact(let operation):
            let digits = DecimalText.maxSignificantDigits
            return vi
                ? "kết quả của '\(operation)' cần hơn \(digits) chữ số có nghĩa nên không tính chính xác được (tràn số)"
                : "the result of '\(operation)' needs more than \(digits) significant digits, so it cannot be computed exactly (overflow)"
        case .outOfRange(let operation):
            return vi
                ? "kết quả của '\(operation)' quá lớn hoặc quá nhỏ để tính chính xác (tràn số)"
                : "the result of '\(operation)' is too large or too small for an exact decimal (overflow)"
        case .shareOfEmptyList:
            return vi ? "'share' của một danh sách rỗng là chia cho 0" : "'share' of an empty list divides by zero"
        case .notAnEntity(.fact(let name)):
            return vi ? "'\(name)' được đọc từ một giá trị không phải đơn vị" : "'\(name)' was read from something that is not an entity"
        case .notAnEntity(.list):
            return vi ? "một danh sách được đọc từ một giá trị không phải đơn vị" : "a list was read from something that is not an entity"
        case .notAnEntity(.attribute):
            return vi
                ? "một thuộc tính được đọc từ một giá trị không phải đơn vị" : "an attribute was read from something that is not an entity"
        case .notAnEntity(.meets):
            return vi ? "'meets' của một giá trị không phải đơn vị" : "'meets' of something that is not an entity"
        case .variableOutsideList:
            return vi ? "một biến được dùng ngoài danh sách của nó" : "a variable is used outside its list"
        case .wrongOperand(let operation):
            return vi ? "'\(operation)' áp dụng cho một giá trị sai kiểu" : "'\(operation)' applied to a value of the wrong type"
        case .wrongOperands(let operation):
            return vi ? "'\(operation)' áp dụng cho các giá trị sai kiểu" : "'\(operation)' applied to values of the wrong types"
        case .unordered:
            return vi ? "các giá trị này không so sánh hơn kém được" : "these values cannot be ordered"
        case .conditionNotTruthValue:
            return vi ? "điều kiện của '? :' không phải giá trị đúng/sai" : "the condition of '? :' is not a truth value"
        case .sizeOfNonList:
            return vi ? "'size' của một giá trị không phải danh sách" : "'size' of something that is not a list"
        case .notAListOfEntities:
            return vi ? "cần một danh sách các đơn vị" : "a list of entities was expected"
        case .quantifierWrongType(let quantifier):
            return vi ? "'\(quantifier)' gặp một giá trị sai kiểu" : "'\(quantifier)' met a value of the wrong type"
        }
    }
}

// MARK: The words of the explanation model

extension Outcome {
    /// The outcome in words.
    public func text(in language: Language) -> String {
        switch (self, language) {
        case (.pass, .vi): "đạt"
        case (.fail, .vi): "không đạt"
        case (.unknown, .vi): "chưa xác định"
        case (.notApplicable, .vi): "không áp dụng"
        case (.pass, .en): "pass"
        case (.fail, .en): "fail"
        case (.unknown, .en): "unknown"
        case (.notApplicable, .en): "not applicable"
        }
    }
}

extension Requirement {
    /// How a requirement names its comparison: a sign in Vietnamese (`≤`), words in English (`at most`).
    static func words(_ comparison: Comparison, _ language: Language) -> String {
        switch (comparison, language) {
        case (.lessOrEqual, .vi): "≤"
        case (.greaterOrEqual, .vi): "≥"
        case (.notEqual, .vi): "≠"
        case (.equal, .vi): "="
        case (.less, .vi), (.greater, .vi): comparison.rawValue
        case (.lessOrEqual, .en): "at most"
        case (.less, .en): "less than"
        case (.greaterOrEqual, .en): "at least"
        case (.greater, .en): "more than"
        case (.equal, .en): "exactly"
        case (.notEqual, .en): "other than"
        }
    }

    /// "cần ≤ 38 vụ, thực tế 41 vụ" / "needs at most 38 cases, has 41".
    public func text(in language: Language) -> String {
        let u = unit.map { " " + $0.text(in: language) } ?? ""
        var result = String()
        switch language {
        case .vi:
            let symbol = Self.words(comparison, .vi)
            // The sentence a person reads: numbers with a decimal comma (`Words.shown`); the
            // `threshold` and `actual` fields stay in machine form.
            let threshold = Words.shown(self.threshold, .vi)
            let actual = Words.shown(self.actual, .vi)
            result.reserveCapacity(30 + symbol.utf8.count + threshold.utf8.count + actual.utf8.count + 2 * u.utf8.count)
            result += "cần "
            result += symbol
            result += " "
            result += threshold
            result += u
            result += ", thực tế "
            result += actual
            result += u
            if let gap { result += " — " + gap.text(in: .vi) }
        case .en:
            let words = Self.words(comparison, .en)
            result.reserveCapacity(20 + words.utf8.count + threshold.utf8.count + actual.utf8.count + u.utf8.count)
            result += "needs "
            result += words
            result += " "
            result += threshold
            result += u
            result += ", has "
            result += actual
            if let gap { result += " — " + gap.text(in: .en) }
        }
        return result
    }
}

extension RequirementGap {
    /// "cần thêm 2 đơn vị đạt điều kiện" / "2 more units meeting it would pass"; "vượt 3 vụ" / "3 cases over".
    public func text(in language: Language) -> String {
        let noun = self.noun.map { " " + $0.text(in: language) } ?? ""
        switch (kind, language) {
        case (.moreNeeded, .vi): return "cần thêm \(Words.shown(amount, .vi))\(noun) đạt điều kiện"
        case (.moreNeeded, .en): return "\(amount) more\(noun) meeting it would pass"
        case (.over, .vi): return "vượt \(Words.shown(amount, .vi))\(noun)"
        case (.over, .en): return "\(amount)\(noun) over"
        case (.short, .vi): return "còn thiếu \(Words.shown(amount, .vi))\(noun)"
        case (.short, .en): return "\(amount)\(noun) short"
        }
    }
}
