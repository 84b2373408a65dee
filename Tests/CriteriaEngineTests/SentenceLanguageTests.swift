@testable import CriteriaEngine
import Foundation
import Testing

/// Every sentence template, rendered in both languages: the Vietnamese holds no English word and the
/// English no Vietnamese one (issue #18 item 6). The rules and data here are written in both languages
/// with ASCII names, so any word of the wrong language comes from a template: the evaluation
/// sentences (every outcome of a check and a group, every requirement and gap, every missing reason),
/// the report words and the words of the text and HTML pages.
@Suite struct SentenceLanguageTests {
    /// English words that give away an untranslated template in Vietnamese output.
    static let englishWords: Set<String> = [
        "met", "not", "needs", "need", "has", "have", "missing", "cannot", "decided", "applicable", "the", "of", "and",
        "more", "over", "short", "at", "least", "most", "condition", "conditions", "source", "check", "false", "true",
        "yes", "no", "list", "verdict", "verdicts", "value", "values", "parameter", "since", "in", "on", "for", "dataset",
        "as", "reasons", "criteria", "criterion", "provisional", "case", "cases", "units", "unit", "meeting", "would",
        "pass", "fail", "unknown", "computation", "valid", "step", "steps", "limit", "raise", "with", "than", "other",
        "exactly", "less", "explanation", "level", "name", "id", "synthetic", "data", "note", "see", "some", "rest",
        "sources", "hamlet", "hamlets", "commune", "communes", "plan", "target", "targets", "deadline", "measured",
        "required", "result", "allowed", "figures", "details", "technical", "undecided", "share", "each", "that",
        "is", "to", "by", "from", "until", "force", "one", "per", "group", "this", "it", "its", "be",
    ]

    /// The words of a text, without code: tokens holding `.`, `_`, `-`, `/`, `#`, `(`, `[`, `=`, `<`, `>`
    /// or a digit are names, expressions, ids, numbers or dates, which no language changes.
    static func words(_ text: String) -> [String] {
        // Backquoted spans are code: a command (`criteria explain`), a name.
        var text = text
        while let open = text.firstIndex(of: "`"), let close = text[text.index(after: open)...].firstIndex(of: "`") {
            text.replaceSubrange(open...close, with: " ")
        }
        return text.split(whereSeparator: { $0.isWhitespace || "—–·:;,!?“”\"'`«»|*".contains($0) }).compactMap { token in
            let trimmed = token.trimmingCharacters(in: CharacterSet(charactersIn: "()[]{}…%"))
            guard !trimmed.isEmpty, !trimmed.contains(where: { "._-/#([=<>≤≥≠+$&".contains($0) || $0.isNumber }) else { return nil }
            return trimmed.lowercased()
        }
    }

    /// Whether a word is written with a letter only Vietnamese uses here (đ, ơ, ư, ă, â, ê, ô, or a tone mark).
    static func isVietnamese(_ word: String) -> Bool {
        word.unicodeScalars.contains { scalar in
            (0x00C0...0x1EF9).contains(scalar.value) && scalar.properties.isAlphabetic
        }
    }

    /// The English words left in a Vietnamese text, and the Vietnamese words in an English one.
    static func problems(_ text: String, _ l: Language) -> [String] {
        let found = words(text).filter { l == .vi ? englishWords.contains($0) : isVietnamese($0) }
        return Array(Set(found)).sorted()
    }

    /// The text shown in an HTML page: its tags taken away, its entities read, what is inside `<code>`
    /// (an expression) and `<style>`/`<script>` left out.
    static func visibleText(_ html: String) -> String {
        var text = html
        for element in ["style", "script", "code"] {
            while let open = text.range(of: "<\(element)"), let close = text.range(of: "</\(element)>", range: open.upperBound..<text.endIndex) {
                text.replaceSubrange(open.lowerBound..<close.upperBound, with: " ")
            }
        }
        var out = ""
        var inTag = false
        for c in text {
            if c == "<" { inTag = true } else if c == ">" { inTag = false; out.append(" ") } else if !inTag { out.append(c) }
        }
        return out.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
    }

    static let inputs = """
        criteria: 1
        inputs:
          - { name: a, type: bool, level: commune, label: { vi: Có mô hình A, en: Model A works } }
          - { name: b, type: bool, level: commune, label: { vi: Có mô hình B, en: Model B works } }
          - { name: so_vu, type: count, level: commune, label: { vi: Số vụ, en: Recorded crimes }, unit: { vi: vụ, en: cases } }
          - { name: he_so, type: number, level: commune, label: { vi: Hệ số, en: Ratio } }
          - name: xep_loai
            type: enum
            level: commune
            label: { vi: Xếp loại, en: Rating }
            values:
              - { value: xuat_sac, label: { vi: Xuất sắc, en: Excellent } }
              - { value: kha, label: { vi: Khá, en: Good } }
          - { name: an_toan, type: bool, level: hamlet, label: { vi: Thôn an toàn, en: Safe hamlet } }
        """

    static let parameters = """
        criteria: 1
        parameters:
          - name: share_needed
            title: { vi: Tỷ lệ tối thiểu, en: Least share }
            type: percent
            values:
              2022-02-10: 70%
          - name: muc_sau
            title: { vi: Mức sau này, en: A later value }
            type: count
            values:
              2030-01-01: 3
        """

    /// A criterion with one condition (or a group of them, `body` indented as list items under `kind`).
    static func criterion(_ id: String, _ body: String, kind: String = "all", until: String? = nil) -> String {
        """
        criteria: 1
        id: \(id)
        title: { vi: Tiêu chí \(id), en: Criterion \(id) }
        level: commune
        in_force: { from: 2022-01-01\(until.map { ", until: \($0)" } ?? "") }
        source: { act: ND 1, status: confirmed }
        \(kind):
        \(body)
        """
    }

    static func condition(_ id: String, _ check: String, explain: String? = nil) -> String {
        "  - id: \(id)\n    title: { vi: Điều kiện \(id), en: Condition \(id) }\n    check: '\(check.replacingOccurrences(of: "'", with: "''"))'"
            + (explain.map { "\n    explain: \($0)" } ?? "")
    }

    /// Rules that between them give every template: each outcome of a check and of each kind of
    /// group, each requirement gap, each reason for an unknown, a rule's own sentence, a criterion
    /// not in force.
    static let rules: [String: String] = [
        "inputs.yaml": inputs,
        "parameters.yaml": parameters,
        "t01.yaml": criterion("t01", condition("s", "share(hamlets, h, h.an_toan) >= share_needed")),
        "t02.yaml": criterion("t02", condition("o", "so_vu <= 2")),
        "t03.yaml": criterion("t03", condition("s", "so_vu >= 10")),
        "t04.yaml": criterion("t04", condition("r", "he_so >= 2.5") + "\n" + condition("q", "he_so != 1.25")),
        "t05.yaml": criterion("t05", condition("p", "so_vu >= 1") + "\n" + condition("q", "a || b")),
        "t06.yaml": criterion("t06", condition("t", "a") + "\n" + condition("u", "b")),
        "t07.yaml": criterion("t07", condition("x", "a") + "\n" + condition("y", "so_vu <= 2"), kind: "any"),
        "t08.yaml": criterion("t08", condition("x", "so_vu >= 1") + "\n" + condition("y", "!a"), kind: "none"),
        "t09.yaml": criterion("t09", "  count: 2\n  of:\n" + [condition("x", "a"), condition("y", "b"), condition("z", "so_vu <= 2")].map { "  " + $0.replacingOccurrences(of: "\n", with: "\n  ") }.joined(separator: "\n"), kind: "at_least"),
        "t10.yaml": criterion("t10", condition("r", #"xep_loai == "xuat_sac""#)),
        "t11.yaml": criterion("t11", condition("h", "hamlets.all(h, h.an_toan)") + "\n" + condition("c", "count(hamlets, h, h.an_toan) >= 3")),
        "t12.yaml": criterion("t12", condition("l", "so_vu <= muc_sau")),
        "t13.yaml": criterion("t13", condition("m", #"meets("t12")"#)),
        "t14.yaml": criterion("t14", condition("o", "so_vu <= 2", explain: "{ fail: { vi: \"Có {actual}, được tối đa {threshold}\", en: \"Has {actual}, {threshold} at most\" } }")),
        "t15.yaml": criterion("t15", condition("o", "a"), until: "2023-12-31"),
        "t16.yaml": criterion("t16", condition("o", "so_vu <= 2")).replacingOccurrences(
            of: "source: { act: ND 1, status: confirmed }",
            with: #"source: { act: ND 1, status: provisional, note: { vi: "Ngưỡng chưa được xác nhận", en: "The threshold is not confirmed" } }"#),
    ]

    /// Two communes: one with hamlets and every fact, one with no hamlets listed and facts missing.
    static let data = """
        dataset: 1
        district:
          id: D1
          name: Dai Lam
          communes:
            - id: C1
              name: Nam Son
              facts: { 2024: { a: false, b: true, so_vu: 5, he_so: 1.25, xep_loai: kha } }
              hamlets:
                - { id: H1, name: Thon Mot, facts: { 2024: { an_toan: true } } }
                - { id: H2, name: Thon Hai, facts: { 2024: { an_toan: true } } }
                - { id: H3, name: Thon Ba, facts: { 2024: { an_toan: false } } }
            - { id: C2, name: Bac Son, facts: { 2024: { b: true } } }
        """

    static func evaluated() throws -> EvaluationResult {
        let graph = try RuleSetFixture(rules, withInputs: false).graph()
        let dataset = try RuleSetFixture.dataset(data, graph: graph)
        return Evaluator(graph: graph).evaluate(dataset, asOf: LocalDate(iso: "2024-12-31")!, detail: .full)
    }

    /// Every sentence of a tree, with its requirement and missing items, in one language.
    static func sentences(_ node: Explanation, _ l: Language) -> [String] {
        [node.sentence.text(in: l)] + (node.requirement.map { [$0.text(in: l)] } ?? []) + node.missing.map { $0.message.text(in: l) }
            + node.values.map { Words.value($0, l).rest } + node.children.flatMap { sentences($0, l) }
    }

    @Test func theWordCheckFindsEachLanguage() {
        #expect(Self.problems("X: not met — needs at most 2", .vi) == ["at", "met", "most", "needs", "not"])
        #expect(Self.problems("X: không đạt — cần ≤ 2 vụ; share(hamlets, h, h.safe) = 66,67%; xem `criteria explain`", .vi).isEmpty)
        #expect(Self.problems("X: không đạt", .en) == ["không", "đạt"])
        #expect(Self.problems("X: not met — needs at most 2 cases", .en).isEmpty)
        #expect(Self.visibleText("<p title=\"x\">a &amp; b<code>share(hamlets)</code></p>").contains("a & b"))
        #expect(!Self.visibleText("<p>a<code>the hamlets</code></p>").contains("hamlets"))
    }

    @Test func theRulesGiveEveryTemplate() throws {
        let result = try Self.evaluated()
        let all = result.verdicts.flatMap { v -> [Explanation] in
            func walk(_ n: Explanation) -> [Explanation] { [n] + n.children.flatMap(walk) }
            return walk(v.explanation)
        }
        for outcome in Outcome.allCases {
            #expect(all.contains { $0.kind == .check && $0.outcome == outcome } || outcome == .notApplicable, "no check \(outcome)")
            #expect(all.contains { $0.kind == .criterion && $0.outcome == outcome }, "no criterion \(outcome)")
        }
        for kind in [RequirementGap.Kind.moreNeeded, .over, .short] {
            #expect(all.contains { $0.requirement?.gap?.kind == kind }, "no gap \(kind)")
        }
        for comparison in [Comparison.lessOrEqual, .greaterOrEqual, .notEqual] { #expect(all.contains { $0.requirement?.comparison == comparison }, "no \(comparison)") }
        let missing = Set(all.flatMap(\.missing).compactMap(\.name))
        for name in ["a", "hamlets", "muc_sau", "so_vu"] { #expect(missing.contains(name), "no missing \(name): \(missing)") }
        #expect(all.contains { $0.values.contains { $0.valueLabel != nil } }, "no labelled enum value")
        #expect(all.contains { $0.values.contains { $0.since != nil } }, "no parameter")
    }

    @Test(arguments: Language.allCases)
    func evaluationSentencesSpeakOneLanguage(_ l: Language) throws {
        let result = try Self.evaluated()
        var problems: [String] = []
        for verdict in result.verdicts {
            for sentence in Self.sentences(verdict.explanation, l) {
                let found = Self.problems(sentence, l)
                if !found.isEmpty { problems.append("\(verdict.criterion): \(found) in “\(sentence)”") }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test(arguments: Language.allCases)
    func textAndHTMLPagesSpeakOneLanguage(_ l: Language) throws {
        let result = try Self.evaluated()
        var problems: [String] = []
        for entity in result.dataset.records.indices {
            let text = ExplanationTextRenderer(language: l).document(result, entity: entity, full: true)
            let html = Self.visibleText(HTMLRenderer(language: l).explain(result, entity: entity, full: true))
            let markdown = MarkdownRenderer(language: l).explain(result, entity: entity, full: true)
            for (format, page) in [("text", text), ("html", html), ("markdown", markdown)] {
                // An expression line is code, as a whole (`biểu thức: a || b`).
                for line in page.split(separator: "\n") where !line.contains(Words.expression(l) + ":") {
                    let found = Self.problems(String(line), l)
                    if !found.isEmpty { problems.append("\(format): \(found) in “\(line.trimmingCharacters(in: .whitespaces))”") }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test(arguments: Language.allCases)
    func reportWordsSpeakOneLanguage(_ l: Language) {
        let words = ReportWords(language: l)
        var texts = [
            words.plan, words.deadline, words.target, words.measured, words.required, words.result, words.limit,
            words.figuresOf(2024), words.date(LocalDate(iso: "2024-12-31")!),
            words.totals([.pass: 1, .fail: 2, .unknown: 3, .notApplicable: 4]),
            Words.dataset(l), Words.asOf(l), Words.synthetic(l), Words.source(l), Words.expression(l), Words.missing(l),
            Words.missingValue(l), Words.toPass(l), Words.id(l), Words.name(l), Words.criteria(l), Words.reasons(l),
            Words.level(l), Words.checkTitle(l), Words.explainTitle(l), Words.reportTitle(l), Words.provisional(l),
            Words.totals([.pass: 1, .fail: 2, .unknown: 3, .notApplicable: 4], l), Words.provisionalRemark(l, mark: "*"),
            Words.shown(.bool(true), input: nil, l), Words.shown(.bool(false), input: nil, l), ExplanationTextRenderer.provisionalMark(l),
        ]
        texts += Outcome.allCases.map { words.outcome($0) } + Outcome.allCases.map { $0.text(in: l) }
        let problems = texts.compactMap { text in Self.problems(text, l).isEmpty ? nil : "\(Self.problems(text, l)) in “\(text)”" }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
