import CriteriaEngine
import Foundation
import Testing

/// `RuleChanges.compare`, behind `criteria changes` and `criteria diff`: new and removed inputs with
/// what every dataset must do, parameter values with their unit, and what a criterion, condition or
/// parameter says besides its checks (issue #17, item 7).
@Suite struct RuleChangesTests {
    static let inputs = """
        criteria: 1
        inputs:
          - { name: cases, type: count, level: commune, label: { vi: Số vụ, en: Cases }, unit: { vi: vụ, en: cases } }
          - { name: old_fact, type: bool, level: commune, label: { vi: Dữ kiện cũ, en: Old fact } }
        """

    static let parameters = """
        criteria: 1
        parameters:
          - name: share_needed
            title: { vi: Tỷ lệ tối thiểu }
            type: percent
            values:
              2022-01-01: 70%

        """

    /// The changes from the rules `old` to `new` (file name → text; `inputs.yaml` defaults to `inputs`).
    static func changes(old: [String: String], new: [String: String]) throws -> [RuleChange] {
        let a = try RuleSetFixture(["inputs.yaml": inputs].merging(old) { _, b in b }, withInputs: false).graph()
        let b = try RuleSetFixture(["inputs.yaml": inputs].merging(new) { _, b in b }, withInputs: false).graph()
        return RuleChanges.compare(old: a, new: b)
    }

    static let rule = RuleSetFixture.criterion("cases <= 3")

    @Test func aNewInputSaysEveryDatasetMustAddItsColumn() throws {
        let newInputs = Self.inputs + """

              - { name: drug_hotspots, type: count, level: commune, label: { vi: Số tụ điểm ma túy, en: Drug hotspots } }
            """
        let found = try Self.changes(
            old: ["t.yaml": Self.rule],
            new: ["t.yaml": RuleSetFixture.criterion("cases <= 3 && drug_hotspots == 0"), "inputs.yaml": newInputs])
        let added = try #require(found.first { $0.kind == .inputAdded })
        #expect(added.subject == "drug_hotspots")
        #expect(added.affects == ["t/c"])
        #expect(added.text.vi == "đầu vào mới `drug_hotspots` (Số tụ điểm ma túy; cấp xã, kiểu số đếm): mọi bộ dữ liệu cần thêm cột `drug_hotspots` (được đọc ở `t/c`)")
        #expect(added.text.en == "new input `drug_hotspots` (Drug hotspots; commune level, type count): every dataset must add the column `drug_hotspots` (read by `t/c`)")
    }

    @Test func aRemovedInputSaysEveryDatasetMustDropIt() throws {
        let fewer = "criteria: 1\ninputs:\n  - { name: cases, type: count, level: commune, label: { vi: Số vụ, en: Cases }, unit: { vi: vụ, en: cases } }\n"
        let found = try Self.changes(old: ["t.yaml": Self.rule], new: ["t.yaml": Self.rule, "inputs.yaml": fewer])
        #expect(found.map(\.kind) == [.inputRemoved])
        #expect(found.first?.text.vi == "đầu vào `old_fact` (Dữ kiện cũ) bị bỏ: mọi bộ dữ liệu cần bỏ cột `old_fact` (một dữ kiện không được khai báo là lỗi)")
        #expect(found.first?.text.en.map { $0.hasPrefix("input `old_fact` (Old fact) removed: every dataset must drop the column `old_fact`") } == true)
    }

    @Test func aRedeclaredInputSaysWhatChanged() throws {
        let changed = Self.inputs.replacingOccurrences(of: "name: old_fact, type: bool, level: commune", with: "name: old_fact, type: bool, level: hamlet")
        let found = try Self.changes(old: ["t.yaml": Self.rule], new: ["t.yaml": Self.rule, "inputs.yaml": changed])
        #expect(found.map(\.kind) == [.inputChanged])
        #expect(found.first?.text.vi == "đầu vào `old_fact`: cấp xã → thôn — mọi bộ dữ liệu cần sửa cột `old_fact` cho khớp")
    }

    @Test func parameterValuesAreShownWithTheirUnit() throws {
        let raised = Self.parameters + "      2025-01-01: 75%\n"
        let rule = RuleSetFixture.criterion("cases <= 3 && share(hamlets, h, true) >= share_needed")
        let found = try Self.changes(
            old: ["t.yaml": rule, "parameters.yaml": Self.parameters], new: ["t.yaml": rule, "parameters.yaml": raised])
        #expect(found.map(\.text.vi) == ["ngưỡng của `t/c` (tham số `share_needed`) 70% → 75% từ ngày 01/01/2025"])
        #expect(found.map { $0.text.en ?? "" } == ["threshold of `t/c` (parameter `share_needed`) 70% → 75% from 2025-01-01"])
    }

    @Test func anAddedParameterShowsItsValues() throws {
        let found = try Self.changes(old: ["t.yaml": Self.rule], new: ["t.yaml": Self.rule, "parameters.yaml": Self.parameters])
        #expect(found.map(\.text.vi) == ["tham số `share_needed` được thêm: 70% từ ngày 01/01/2022"])
        #expect(found.map { $0.text.en ?? "" } == ["parameter `share_needed` added: 70% from 2022-01-01"])
    }

    /// A criterion whose title, source and assessment year are given.
    static func criterion(title: String = "Thử t", part: String = "Điều 4", note: String? = nil, quote: String? = nil, period: String = "") -> String {
        var source = "{ act: TT 124/2021/TT-BCA, part: \"\(part)\", status: confirmed"
        if let note { source += ", note: \"\(note)\"" }
        if let quote { source += ", quote: \"\(quote)\"" }
        source += " }"
        return """
            criteria: 1
            id: t
            title: { vi: \(title) }
            level: commune
            in_force: { from: 2022-01-01 }
            \(period)
            source: \(source)
            all:
              - id: c
                title: { vi: Điều kiện }
                check: cases <= 3
            """
    }

    @Test func titleSourceAndAssessmentYearChangesAreNamed() throws {
        let found = try Self.changes(
            old: ["t.yaml": Self.criterion()],
            new: ["t.yaml": Self.criterion(title: "Xã an toàn", part: "Điều 5", note: "Đọc từ bản chính thức", quote: "Không để xảy ra", period: "assessment_period: { from: \"16/11\", until: \"15/11\" }")])
        #expect(found.map(\.text.vi) == [
            "tên tiêu chí `t`: “Thử t” → “Xã an toàn”",
            "căn cứ của `t`: TT 124/2021/TT-BCA, Điều 4 → TT 124/2021/TT-BCA, Điều 5",
            "ghi chú về căn cứ của `t` được sửa: “Đọc từ bản chính thức”",
            "trích dẫn nguyên văn của `t` được thêm: “Không để xảy ra”",
            "năm đánh giá của `t`: năm dương lịch → từ 16/11 năm trước đến 15/11",
        ])
        #expect(found.map(\.kind) == [.titleChanged, .sourceChanged, .sourceChanged, .sourceChanged, .assessmentPeriodChanged])
    }

    @Test func aConditionsOwnSourceAndTitleAreCompared() throws {
        let old = Self.criterion()
        let new = old.replacingOccurrences(of: "title: { vi: Điều kiện }", with: "title: { vi: Số vụ không quá 3 }\n    source: { act: TT 124/2021/TT-BCA, part: \"Điều 4 khoản 4\", status: provisional, note: \"Chưa rõ\" }")
        let found = try Self.changes(old: ["t.yaml": old], new: ["t.yaml": new])
        #expect(found.map(\.text.vi) == [
            "tên điều kiện `t/c`: “Điều kiện” → “Số vụ không quá 3”",
            "căn cứ riêng của `t/c` được thêm: TT 124/2021/TT-BCA, Điều 4 khoản 4 (provisional)",
        ])
    }

    /// A flip is never blamed on a title or a citation, even when that change is listed first.
    @Test func aVerdictFlipIsCausedByTheThresholdNotTheTitle() throws {
        let oldGraph = try RuleSetFixture(["inputs.yaml": Self.inputs, "t.yaml": Self.criterion()], withInputs: false).graph()
        let changedRule = Self.criterion(title: "Xã an toàn").replacingOccurrences(of: "cases <= 3", with: "cases <= 1")
        let newGraph = try RuleSetFixture(["inputs.yaml": Self.inputs, "t.yaml": changedRule], withInputs: false).graph()
        let data = try RuleSetFixture.dataset(
            "dataset: 1\ncommune: { id: C1, name: Xã Một, facts: { 2024: { cases: 2 } } }\n", graph: newGraph)
        let asOf = try #require(LocalDate(iso: "2024-12-31"))
        let changes = RuleChanges.compare(old: oldGraph, new: newGraph)
        #expect(changes.first?.kind == .titleChanged)
        let diff = VerdictDiff(
            old: Evaluator(graph: oldGraph).evaluate(data, asOf: asOf), new: Evaluator(graph: newGraph).evaluate(data, asOf: asOf),
            changes: changes, graph: newGraph)
        #expect(diff.flips.count == 1)
        #expect(diff.groups.first?.change?.kind == .checkChanged)
    }
}
