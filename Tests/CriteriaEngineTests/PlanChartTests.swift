import CriteriaEngine
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The plan charts (`PlanChart`): bars in proportion to the counts, the requirement drawn and named,
/// outcomes told apart by pattern and word, an accessible name, and well-formed markup.
@Suite("Plan charts")
struct PlanChartTests {
    typealias Commune = (a: Bool?, now: Int?, base: Int?)
    static let yes: Commune = (true, 1, 1)
    static let no: Commune = (false, 1, 1)
    static let open: Commune = (nil, 1, 1)

    /// A province whose districts hold the given communes (`a` and `cases` as in `PlanTests.province`).
    static func province(_ districts: [[Commune]]) -> String {
        var text = "dataset: 1\nprovince:\n  id: P\n  name: Tỉnh\n  districts:\n"
        var n = 0
        for (d, communes) in districts.enumerated() {
            text += "    - id: D\(d)\n      name: Huyện \(d)\n      communes:\n"
            for commune in communes {
                var now: [String] = []
                if let a = commune.a { now.append("a: \(a)") }
                if let cases = commune.now { now.append("cases: \(cases)") }
                text += "        - id: C\(n)\n          name: Xã \(n)\n          facts:\n"
                text += "            2024: { \(now.joined(separator: ", ")) }\n"
                text += "            2019: { \(commune.base.map { "cases: \($0)" } ?? "") }\n"
                n += 1
            }
        }
        return text
    }

    static func measure(_ targets: String, _ districts: [[Commune]]) throws -> PlanReport {
        let graph = try PlanTests.graph()
        let plan = try PlanParser.parse(SourceFile(path: "plan.yaml", text: PlanTests.header + targets), graph: graph)
        let data = try RuleSetFixture.dataset(province(districts), graph: graph)
        return PlanEvaluator(graph: graph).evaluate(plan, dataset: data, asOf: LocalDate(iso: "2024-12-31")!)
    }

    static func wellFormed(_ xml: String) -> Bool {
        XMLParser(data: Data(xml.utf8)).parse()
    }

    /// The `<rect>` elements of a chart filled with a pattern, as (pattern kind, width).
    static func bars(_ svg: String, id: String) throws -> [(String, String)] {
        let pattern = try Regex(#"<rect x="[0-9.]+" y="[0-9]+" width="([0-9.]+)" height="18" fill="url\(#"# + id + #"-([a-z]+)\)""#)
        return svg.matches(of: pattern).map { (String($0.output[2].substring ?? ""), String($0.output[1].substring ?? "")) }
    }

    @Test("a share target's counted communes are grouped by district, in data order")
    func groups() throws {
        let report = try Self.measure(PlanTests.share, [[Self.yes, Self.no], [Self.yes, Self.open, Self.yes]])
        let groups = report.targets[0].groups
        #expect(groups.map(\.entityID) == ["D0", "D1"])
        #expect(groups.map(\.name) == ["Huyện 0", "Huyện 1"])
        #expect(groups.map(\.passed) == [1, 2])
        #expect(groups.map(\.unknown) == [0, 1])
        #expect(groups.map(\.failed) == [1, 0])
        #expect(groups.map(\.total) == [2, 3])
        let json = PlanReportOutputV1(report).targets[0].groups
        #expect(json?.map(\.passed) == [1, 2])
        #expect(json?.map(\.total) == [2, 3])
    }

    @Test("3 of 5 at 60%: a solid bar of 3/5 and a cross-hatched one of 2/5, the requirement dashed at 60% and named")
    func shareBars() throws {
        let report = try Self.measure(PlanTests.share, [[Self.yes, Self.yes, Self.yes, Self.no, Self.no]])
        let svg = try #require(PlanChart(language: .vi).chart(report.targets[0], year: 2024, id: "c"))
        #expect(Self.wellFormed(svg))
        // The bar is 360 wide: 3/5 is 216, 2/5 is 144; no unknown segment. One district: one row.
        #expect(try Self.bars(svg, id: "c").map(\.0) == ["pass", "fail"])
        #expect(try Self.bars(svg, id: "c").map(\.1) == ["216", "144"])
        #expect(svg.contains("<line x1=\"426\" y1=\"22\" x2=\"426\""))
        #expect(svg.contains("stroke-dasharray=\"6 3\""))
        #expect(svg.contains(">cần ≥ 60% (3/5)</text>"))
        #expect(svg.contains(">3/5 (60%)</text>"))
        // Named and described for a screen reader; the legend gives each pattern its word.
        #expect(svg.contains("role=\"img\" aria-labelledby=\"c-title c-desc\""))
        #expect(svg.contains("<title id=\"c-title\">Tỷ lệ xã đạt t</title>"))
        #expect(svg.contains("<desc id=\"c-desc\">3 trên 5 xã đạt t (60%); cần ít nhất 60%, tức 3 xã: đạt.</desc>"))
        for word in ["đạt", "chưa xác định", "không đạt", "mức yêu cầu"] { #expect(svg.contains(">\(word)</text>")) }
        #expect(svg.contains("<pattern id=\"c-unknown\"") && svg.contains("patternTransform=\"rotate(45)\""))
    }

    @Test("unknown verdicts are a hatched segment between passing and failing, and the figures say how many")
    func unknownSegment() throws {
        let report = try Self.measure(PlanTests.share, [[Self.yes, Self.open, Self.no, Self.no, Self.no]])
        let svg = try #require(PlanChart(language: .en).chart(report.targets[0], year: 2024, id: "u"))
        #expect(try Self.bars(svg, id: "u").map(\.0) == ["pass", "unknown", "fail"])
        #expect(try Self.bars(svg, id: "u").map(\.1) == ["72", "72", "216"])
        #expect(svg.contains(">1/5 (20%) · 1 unknown</text>"))
        #expect(svg.contains(">required ≥ 60% (3/5)</text>"))
    }

    @Test("several districts: the whole first, then one bar per district with its own share")
    func perDistrict() throws {
        let report = try Self.measure(PlanTests.share, [[Self.yes, Self.no], [Self.yes, Self.yes]])
        let svg = try #require(PlanChart(language: .vi).chart(report.targets[0], year: 2024, id: "d"))
        #expect(Self.wellFormed(svg))
        #expect(svg.contains(">Tổng cộng</text>") && svg.contains(">Huyện 0</text>") && svg.contains(">Huyện 1</text>"))
        #expect(try Self.bars(svg, id: "d").map(\.1) == ["270", "90", "180", "180", "360"])
        #expect(svg.contains(">1/2 (50%)</text>") && svg.contains(">2/2 (100%)</text>"))
    }

    @Test("a share with decimals is written with a decimal comma in Vietnamese, a point in English")
    func decimalComma() throws {
        let report = try Self.measure(PlanTests.share, [[Self.yes, Self.yes, Self.no]])
        let vi = try #require(PlanChart(language: .vi).chart(report.targets[0], year: 2024, id: "v"))
        #expect(vi.contains(">2/3 (66,67%)</text>"), "\(vi)")
        #expect(!vi.contains("66.67"))
        let en = try #require(PlanChart(language: .en).chart(report.targets[0], year: 2024, id: "e"))
        #expect(en.contains(">2/3 (66.67%)</text>"))
    }

    @Test("a reduction target: each unit's figure as a bar against a solid mark at its limit, with the words")
    func reduction() throws {
        let target = "  - { id: r, title: { vi: Giảm }, crime_vs: 2019, input: cases, at_most: 50%, for: [district] }\n"
        // District 0: 2 cases against 4 in 2019 (limit 2, met); district 1: 4 against 4 (limit 2, not met).
        let report = try Self.measure(target, [[(true, 1, 2), (true, 1, 2)], [(true, 2, 2), (true, 2, 2)]])
        let svg = try #require(PlanChart(language: .vi).chart(report.targets[0], year: 2024, id: "r"))
        #expect(Self.wellFormed(svg))
        #expect(try Self.bars(svg, id: "r").map(\.0) == ["pass", "fail"])
        #expect(try Self.bars(svg, id: "r").map(\.1) == ["180", "360"])
        // The limit, 2 of a scale of 4, is at the middle of both bars.
        #expect(svg.components(separatedBy: "<line x1=\"390\"").count - 1 == 2)
        #expect(svg.contains(">2 / tối đa 2 — đạt</text>"))
        #expect(svg.contains(">4 / tối đa 2 — chưa đạt</text>"))
        #expect(svg.contains(">mức tối đa</text>"))
    }

    @Test("nothing to draw for a target that does not apply")
    func notApplicable() throws {
        let graph = try PlanTests.graph()
        let plan = try PlanParser.parse(SourceFile(path: "plan.yaml", text: PlanTests.header + PlanTests.share), graph: graph)
        let data = try RuleSetFixture.dataset(Self.province([[Self.yes]]), graph: graph)
        let report = PlanEvaluator(graph: graph).evaluate(plan, dataset: data, asOf: LocalDate(iso: "2021-06-30")!)
        #expect(PlanChart().chart(report.targets[0], year: 2021, id: "n") == nil)
    }

    @Test("names from the data are escaped in the chart and its table")
    func hostileNames() throws {
        let hostile = "<script>x</script> & \"q\""
        let graph = try PlanTests.graph()
        let plan = try PlanParser.parse(SourceFile(path: "plan.yaml", text: PlanTests.header + PlanTests.share), graph: graph)
        let text = Self.province([[Self.yes], [Self.no]]).replacingOccurrences(of: "name: Huyện 0", with: "name: '\(hostile)'")
        let data = try RuleSetFixture.dataset(text, graph: graph)
        let report = PlanEvaluator(graph: graph).evaluate(plan, dataset: data, asOf: LocalDate(iso: "2024-12-31")!)
        let page = HTMLRenderer(language: .vi).report(report)
        #expect(!page.contains("<script>"))
        #expect(page.contains("&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;"))
        #expect(Self.wellFormed(page))
    }
}
