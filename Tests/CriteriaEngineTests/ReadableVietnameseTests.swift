@testable import CriteriaEngine
import Foundation
import Testing

/// Vietnamese that reads as Vietnamese (issue #18 item 6): the sentences made during evaluation write
/// numbers with a decimal comma and dates as dd/MM/yyyy, enum values by the labels `inputs.yaml`
/// declares, truth values as có/không; the machine fields of the explanation keep their machine form.
@Suite struct ReadableVietnameseTests {
    /// The first verdict on `t` of one commune as of 2024-12-31, with the given inputs file (the
    /// shared one unless given).
    private func verdict(_ check: String, facts: String, hamlets: [Bool?] = [true], inputs: String? = nil) throws -> Verdict {
        var files = ["t.yaml": RuleSetFixture.criterion(check)]
        if let inputs { files["inputs.yaml"] = inputs }
        let graph = try RuleSetFixture(files, withInputs: inputs == nil).graph()
        let data = try RuleSetFixture.dataset(RuleSetFixture.commune(facts, hamlets: hamlets), graph: graph)
        let result = Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2024-12-31")!)
        return try #require(result.verdicts.first { $0.criterion == "t" })
    }

    /// Every sentence of an explanation tree, in one language.
    private func sentences(_ node: Explanation, _ l: Language) -> [String] {
        [node.sentence.text(in: l)] + node.children.flatMap { sentences($0, l) }
    }

    @Test func aShareSentenceHasADecimalCommaInVietnamese() throws {
        let v = try verdict("share(hamlets, h, h.safe) >= 70%", facts: "a: true", hamlets: [true, true, false])
        let check = try #require(v.explanation.children.first)
        let requirement = try #require(check.requirement)
        // The machine fields keep the point.
        #expect(requirement.actual == "66.67%")
        #expect(requirement.threshold == "70%")
        #expect(check.sentence.vi.contains("thực tế 66,67%"), "\(check.sentence.vi)")
        #expect(!check.sentence.vi.contains("66.67"))
        #expect(check.sentence.text(in: .en).contains("has 66.67%"), "\(check.sentence.text(in: .en))")
        #expect(requirement.text(in: .vi).hasPrefix("cần ≥ 70%, thực tế 66,67% — cần thêm 1 thôn"))
    }

    @Test func aDecimalThresholdAndItsGapHaveADecimalComma() throws {
        let v = try verdict("cases <= 23.75", facts: "cases: 24")
        let check = try #require(v.explanation.children.first)
        #expect(check.sentence.vi.contains("cần ≤ 23,75 vụ, thực tế 24 vụ — vượt 0,25 vụ"), "\(check.sentence.vi)")
        #expect(check.sentence.text(in: .en).contains("at most 23.75 cases, has 24 — 0.25 cases over"), "\(check.sentence.text(in: .en))")
        #expect(check.requirement?.threshold == "23.75")
        #expect(check.requirement?.gap?.amount == "0.25")
    }

    @Test func aRuleTemplateFillsNumbersInEachLanguagesForm() throws {
        let rule = RuleSetFixture.criterion("share(hamlets, h, h.safe) >= 70%") + """

                explain:
                  fail: { vi: "Tỷ lệ {actual}, cần {threshold}", en: "Share {actual}, needs {threshold}" }
            """
        let graph = try RuleSetFixture(["t.yaml": rule]).graph()
        let data = try RuleSetFixture.dataset(RuleSetFixture.commune("a: true", hamlets: [true, true, false]), graph: graph)
        let v = try #require(Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2024-12-31")!).verdicts.first)
        let check = try #require(v.explanation.children.first)
        #expect(check.sentence.vi == "Tỷ lệ 66,67%, cần 70%")
        #expect(check.sentence.text(in: .en) == "Share 66.67%, needs 70%")
    }

    @Test func shownValuesAreWordedPerLanguage() {
        #expect(Words.shown("2024-12-31", .vi) == "31/12/2024")
        #expect(Words.shown("2024-12-31", .en) == "2024-12-31")
        // Text is not a truth value: a truth value is worded by its label, which knows it is one.
        #expect(Words.shown("true", .vi) == "true")
        #expect(Words.shown("false", .en) == "false")
        #expect(Words.shown(.bool(true), input: nil, .vi) == "có")
        #expect(Words.shown(.bool(false), input: nil, .vi) == "không")
        #expect(Words.shown(.bool(true), input: nil, .en) == "yes")
        #expect(Words.shown(.bool(false), input: nil, .en) == "no")
        #expect(Words.shown(.text("true"), input: nil, .vi) == "true")
        #expect(Words.shown(.number(Decimal(string: "0.5714")!), input: InputDeclaration(name: "p", type: .percent, level: .commune, label: LocalizedText(vi: "p")), .vi) == "57,14%")
        // Not a date: left as written.
        for text in ["2024-13-45", "2024-1-5", "99201-01"] { #expect(Words.shown(text, .vi) == text) }
        #expect(Words.date(LocalDate(iso: "2022-02-10")!, .vi) == "10/02/2022")
    }

    @Test func aMomentIsShownInVietnamTime() {
        #expect(ValueFormatter.timestamp("2026-12-07T14:37:13Z", in: .vi) == "07/12/2026 21:37 (giờ Việt Nam, UTC+7)")
        #expect(ValueFormatter.timestamp("2026-12-07T14:37:13Z", in: .en) == "07/12/2026 21:37 (Vietnam time, UTC+7)")
        // Past midnight in Vietnam: the next day, the next year.
        #expect(ValueFormatter.timestamp("2026-12-31T20:05:00Z", in: .vi) == "01/01/2027 03:05 (giờ Việt Nam, UTC+7)")
        // Not a moment: left as it is.
        #expect(ValueFormatter.timestamp("yesterday", in: .vi) == "yesterday")
    }

    @Test func aParameterDateReadsDayFirstInVietnamese() {
        let value = ObservedValue(name: "p", label: LocalizedText(vi: "Tỷ lệ", en: "Share"), value: "70%", since: "2022-02-10")
        #expect(Words.value(value, .vi).rest == ": 70% (từ 10/02/2022)")
        #expect(Words.value(value, .en).rest == ": 70% (since 2022-02-10)")
    }

    @Test func aFalseFoldReadsKhong() throws {
        let v = try verdict("hamlets.all(h, h.safe)", facts: "a: true", hamlets: [true, false])
        let check = try #require(v.explanation.children.first)
        let fold = try #require(check.values.first)
        #expect(fold.value == "false")
        #expect(Words.value(fold, .vi).rest.hasPrefix(" năm 2024: không ("), "\(Words.value(fold, .vi).rest)")
        #expect(Words.value(fold, .en).rest.hasPrefix(" in 2024: no ("), "\(Words.value(fold, .en).rest)")
    }

    @Test func aTextFactThatReadsTrueIsNotShownAsCo() throws {
        let inputs = """
            criteria: 1
            inputs:
              - { name: a, type: bool, level: commune, label: { vi: A } }
              - { name: safe, type: bool, level: hamlet, label: { vi: Thôn an toàn } }
              - { name: remark, type: text, level: commune, label: { vi: Nhận xét, en: Remark } }
            """
        let v = try verdict(#"a && remark == "x""#, facts: "remark: true, a: true", inputs: inputs)
        let check = try #require(v.explanation.children.first)
        let remark = try #require(check.values.first { $0.name == "remark" })
        #expect(remark.value == "true")
        #expect(remark.valueLabel == nil)
        #expect(Words.value(remark, .vi).rest == " năm 2024: true")
        #expect(Words.value(remark, .en).rest == " in 2024: true")
        // The bool beside it is a truth value: có / yes, also in the JSON beside the machine value.
        let a = try #require(check.values.first { $0.name == "a" })
        #expect(a.value == "true")
        #expect(Words.value(a, .vi).rest == " năm 2024: có")
        #expect(Words.value(a, .en).rest == " in 2024: yes")
        let json = try String(decoding: JSONEncoder().encode(a), as: UTF8.self)
        #expect(json.contains(#""value":"true""#) && json.contains(#""valueLabel":{"#), "\(json)")
    }

    @Test func aTextFactThatReadsFalseIsNotListedAsAFalseFact() throws {
        let inputs = """
            criteria: 1
            inputs:
              - { name: a, type: bool, level: commune, label: { vi: A } }
              - { name: safe, type: bool, level: hamlet, label: { vi: Thôn an toàn } }
              - { name: remark, type: text, level: commune, label: { vi: Nhận xét, en: Remark } }
            """
        let v = try verdict(#"a || remark == "x""#, facts: "remark: false, a: false", inputs: inputs)
        let check = try #require(v.explanation.children.first)
        #expect(check.values.contains { $0.name == "remark" && $0.value == "false" })
        // The truth value that was false is named; the text that reads "false" is not a truth value.
        #expect(check.sentence.text(in: .vi).contains("không có: A"), "\(check.sentence.text(in: .vi))")
        #expect(!check.sentence.text(in: .vi).contains("Nhận xét"), "\(check.sentence.text(in: .vi))")
        #expect(!check.sentence.text(in: .en).contains("Remark"), "\(check.sentence.text(in: .en))")
    }

    // MARK: Truth-value labels

    static let truthInputs = """
        criteria: 1
        inputs:
          - name: a
            type: bool
            level: commune
            label: { vi: Có kế hoạch, en: Plan adopted }
            values:
              - { value: true, label: { vi: "đã ban hành", en: "adopted" } }
              - { value: false, label: { vi: "chưa ban hành", en: "not adopted" } }
          - name: safe
            type: bool
            level: hamlet
            label: { vi: Thôn an toàn }
            values:
              - { value: false, label: { vi: "chưa an toàn", en: "not safe" } }
        """

    @Test func aBoolIsShownByTheLabelsItsInputDeclares() throws {
        let v = try verdict("a", facts: "a: false", inputs: Self.truthInputs)
        #expect(v.outcome == .fail)
        let value = try #require(v.explanation.children.first?.values.first { $0.name == "a" })
        #expect(value.value == "false")
        #expect(Words.value(value, .vi).rest == " năm 2024: chưa ban hành")
        #expect(Words.value(value, .en).rest == " in 2024: not adopted")
        // One label declared: the other value keeps the default.
        let graph = try RuleSetFixture(["inputs.yaml": Self.truthInputs, "t.yaml": RuleSetFixture.criterion("a")], withInputs: false).graph()
        let safe = try #require(graph.inputs["safe"])
        #expect(Words.shown(.bool(false), input: safe, .vi) == "chưa an toàn")
        #expect(Words.shown(.bool(true), input: safe, .vi) == "có")
    }

    @Test func theBundledRecognitionReadsChuaDuocCongNhan() throws {
        let graph = try RuleSetLoader.load(path: repositoryRoot + "/Rules")
        let recognised = try #require(graph.inputs["antt_recognised"])
        #expect(Words.shown(.bool(false), input: recognised, .vi) == "chưa được công nhận")
        #expect(Words.shown(.bool(true), input: recognised, .en) == "recognised")
    }

    /// A bad label of a truth value: each is a located error, in Vietnamese and in English.
    @Test(arguments: [
        ("- true", "rules.wrong-type", "true"),
        (#"- { value: yes, label: { vi: "Có" } }"#, "rules.invalid-value", "yes"),
        (#"- { value: true }"#, "rules.missing-key", "label"),
        (#"- { value: true, label: { vi: "Rồi" } }"#, "rules.duplicate-value", "true"),
    ])
    func aBadTruthLabelIsALocatedError(_ line: String, _ id: String, _ word: String) throws {
        let inputs = """
            criteria: 1
            inputs:
              - name: a
                type: bool
                level: commune
                label: { vi: A }
                values:
                  - { value: true, label: { vi: "Có", en: "Yes" } }
                  \(line)
            """
        try Self.expectLabelRefused(inputs: inputs, line: line, id: id, word: word)
    }

    /// Loading `inputs` (whose ninth line, `line`, is a bad label) fails with the diagnostic `id` at
    /// that line of `inputs.yaml`, in readable Vietnamese and English, naming `word`.
    static func expectLabelRefused(inputs: String, line: String, id: String, word: String) throws {
        let fixture = try RuleSetFixture(["inputs.yaml": inputs, "t.yaml": RuleSetFixture.criterion("true")], withInputs: false)
        do {
            _ = try fixture.graph()
            Issue.record("the bad label was accepted: \(line)")
        } catch let error as DiagnosticsError {
            let d = try #require(error.diagnostics.first { $0.id.rawValue == id }, "\(error.diagnostics.map(\.id))")
            #expect(d.range?.file.hasSuffix("inputs.yaml") == true)
            #expect(d.range?.start.line == 9, "\(String(describing: d.range))")
            #expect(d.text.vi != d.text.en && d.text.en != nil)
            #expect(d.text.vi.contains(word) || d.hintText?.vi.contains(word) == true, "\(d.text.vi)")
            #expect(VietnameseDiagnosticsTests.problems(d).isEmpty, "\(VietnameseDiagnosticsTests.problems(d))")
        }
    }

    // MARK: Enum labels

    static let labelledInputs = """
        criteria: 1
        inputs:
          - { name: a, type: bool, level: commune, label: { vi: A } }
          - { name: safe, type: bool, level: hamlet, label: { vi: Thôn an toàn } }
          - name: rating
            type: enum
            level: commune
            label: { vi: Xếp loại, en: Rating }
            values:
              - { value: xuat_sac, label: { vi: "Xuất sắc", en: "Excellent" } }
              - { value: kha, label: { vi: "Khá", en: "Good" } }
              - trung_binh
        """

    @Test func anEnumValueIsShownByItsLabel() throws {
        let v = try verdict(#"rating == "xuat_sac""#, facts: "rating: kha", inputs: Self.labelledInputs)
        #expect(v.outcome == .fail)
        let check = try #require(v.explanation.children.first)
        let value = try #require(check.values.first { $0.name == "rating" })
        #expect(value.value == "kha")
        #expect(value.valueLabel == LocalizedText(vi: "Khá", en: "Good"))
        #expect(Words.value(value, .vi).rest == " năm 2024: Khá")
        #expect(Words.value(value, .en).rest == " in 2024: Good")
        // The JSON keeps the code and carries the label beside it.
        let json = try String(decoding: JSONEncoder().encode(value), as: UTF8.self)
        #expect(json.contains(#""value":"kha""#))
        #expect(try JSONDecoder().decode(ObservedValue.self, from: Data(json.utf8)) == value)
    }

    @Test func aPlainEnumValueKeepsItsWord() throws {
        let v = try verdict(#"rating == "xuat_sac""#, facts: "rating: trung_binh", inputs: Self.labelledInputs)
        let value = try #require(v.explanation.children.first?.values.first { $0.name == "rating" })
        #expect(value.valueLabel == nil)
        #expect(Words.value(value, .vi).rest == " năm 2024: trung_binh")
    }

    @Test func theTemplateNoteNamesEachCodeWithItsLabel() throws {
        let labelled = try RuleSetFixture(["inputs.yaml": Self.labelledInputs, "t.yaml": RuleSetFixture.criterion("a")], withInputs: false).graph()
        let rating = try #require(labelled.inputs["rating"])
        #expect(DatasetTemplate.note(rating).contains("một trong: xuat_sac (Xuất sắc), kha (Khá), trung_binh;"), "\(DatasetTemplate.note(rating))")
    }

    @Test func theBundledEnumDeclaresLabels() throws {
        let graph = try RuleSetLoader.load(path: repositoryRoot + "/Rules")
        let rating = try #require(graph.inputs["movement_rating"])
        guard case .enumeration(let values) = rating.type else {
            Issue.record("movement_rating is not an enum")
            return
        }
        for value in values {
            let label = rating.valueLabels[value]
            #expect(label != nil, "no label for \(value)")
            #expect(label?.en != nil && label?.en != label?.vi, "no English label for \(value)")
        }
    }

    /// A bad labelled value: each is a located error, in Vietnamese and in English.
    @Test(arguments: [
        ("- { value: kha }", "rules.missing-key", "label"),
        (#"- { value: kha, label: { vi: "Khá" }, colour: red }"#, "rules.unknown-key", "colour"),
        (#"- { value: "khá", label: { vi: "Khá" } }"#, "rules.invalid-name", "khá"),
        (#"- { value: kha, label: [Khá] }"#, "rules.wrong-type", "kha"),
        (#"- kha"#, "rules.duplicate-value", "kha"),
    ])
    func aBadLabelIsALocatedError(_ line: String, _ id: String, _ word: String) throws {
        let inputs = """
            criteria: 1
            inputs:
              - name: rating
                type: enum
                level: commune
                label: { vi: Xếp loại }
                values:
                  - { value: kha, label: { vi: "Khá", en: "Good" } }
                  \(line)
            """
        try Self.expectLabelRefused(inputs: inputs, line: line, id: id, word: word)
    }

    // MARK: Notes in both languages

    static func provisional(_ note: String) -> String {
        RuleSetFixture.criterion("cases <= 2").replacingOccurrences(
            of: "source: { act: Thử, status: confirmed }", with: "source: { act: Thử, status: provisional, note: \(note) }")
    }

    @Test func aNoteInBothLanguagesIsShownInTheReadersLanguage() throws {
        let rule = Self.provisional(#"{ vi: "Ngưỡng chưa được xác nhận", en: "The threshold is not confirmed" }"#)
        let graph = try RuleSetFixture(["t.yaml": rule]).graph()
        let data = try RuleSetFixture.dataset(RuleSetFixture.commune("cases: 5"), graph: graph)
        let result = Evaluator(graph: graph).evaluate(data, asOf: LocalDate(iso: "2024-12-31")!, detail: .full)
        let vi = ExplanationTextRenderer(language: .vi).document(result, entity: 0, full: true)
        let en = ExplanationTextRenderer(language: .en).document(result, entity: 0, full: true)
        #expect(vi.contains("[tạm thời] — Ngưỡng chưa được xác nhận"), "\(vi)")
        #expect(!vi.contains("The threshold"))
        #expect(en.contains("[provisional] — The threshold is not confirmed"), "\(en)")
        #expect(!en.contains("Ngưỡng"))
        let html = HTMLRenderer(language: .vi).explain(result, entity: 0, full: true)
        #expect(html.contains("title=\"Ngưỡng chưa được xác nhận\""))
        // JSON: `note` stays one text (the English), `noteText` carries both; it reads back the same.
        let source = try #require(result.verdicts.first?.explanation.source)
        let json = try String(decoding: JSONEncoder().encode(source), as: UTF8.self)
        #expect(json.contains(#""note":"The threshold is not confirmed""#))
        #expect(json.contains(#""noteText":{"#))
        #expect(try JSONDecoder().decode(Citation.self, from: Data(json.utf8)) == source)
    }

    /// Every note of the bundled rules (criteria, their clauses, parameters) is written in both
    /// languages, so a Vietnamese page never shows an English note: a Vietnamese text with no English
    /// word in it, and an English one.
    @Test func everyBundledNoteHasItsVietnamese() throws {
        let graph = try RuleSetLoader.load(path: repositoryRoot + "/Rules")
        var notes: [LocalizedText] = []
        for versions in graph.criteria.values {
            for version in versions {
                notes += ([version.source] + version.root.allNodes.compactMap(\.source)).compactMap(\.noteText)
            }
        }
        notes += graph.parameters.values.compactMap { $0.source?.noteText }
        #expect(notes.count >= 28)
        for note in Set(notes) {
            #expect(note.en != nil && note.en != note.vi, "no English beside “\(note.vi)”")
            // A source quoted verbatim (“a, b, c, d, and e” from an English rendering) is left as written.
            let own = note.vi.replacingOccurrences(of: "“[^”]*”", with: "“”", options: .regularExpression)
            #expect(SentenceLanguageTests.problems(own, .vi).isEmpty, "\(SentenceLanguageTests.problems(own, .vi)) in “\(note.vi)”")
        }
    }

    @Test func aPlainNoteIsShownAsWrittenAndItsJSONIsUnchanged() throws {
        let graph = try RuleSetFixture(["t.yaml": Self.provisional(#""Chưa đối chiếu""#)]).graph()
        let source = try #require(graph.criteria["t"]?.first?.source)
        #expect(source.note(in: .vi) == "Chưa đối chiếu")
        #expect(source.note(in: .en) == "Chưa đối chiếu")
        let json = try String(decoding: JSONEncoder().encode(source), as: UTF8.self)
        #expect(json.contains(#""note":"Chưa đối chiếu""#))
        #expect(!json.contains("noteText"))
        #expect(try JSONDecoder().decode(Citation.self, from: Data(json.utf8)) == source)
    }

    @Test(arguments: [
        (#"{ vi: "Chưa rõ", fr: "Pas clair" }"#, "rules.unknown-key", "fr"),
        (#"{ en: "Not clear" }"#, "rules.missing-vi-title", "ghi chú"),
        (#"[Chưa rõ]"#, "rules.wrong-type", "ghi chú"),
    ])
    func aBadNoteIsALocatedError(_ note: String, _ id: String, _ word: String) throws {
        let fixture = try RuleSetFixture(["t.yaml": Self.provisional(note)])
        do {
            _ = try fixture.graph()
            Issue.record("the bad note was accepted: \(note)")
        } catch let error as DiagnosticsError {
            let d = try #require(error.diagnostics.first { $0.id.rawValue == id }, "\(error.diagnostics.map(\.id))")
            #expect(d.range?.file.hasSuffix("t.yaml") == true)
            #expect(d.range?.start.line == 6, "\(String(describing: d.range))")
            #expect(d.text.vi != d.text.en && d.text.en != nil)
            #expect(d.text.vi.contains(word), "\(d.text.vi)")
            #expect(VietnameseDiagnosticsTests.problems(d).isEmpty, "\(VietnameseDiagnosticsTests.problems(d))")
        }
    }
}
