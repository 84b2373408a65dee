import CriteriaCLI
import CriteriaEngine
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An HTML page parsed as XML: every element with its attributes, its ancestors and its text.
final class HTMLPage: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var ancestors: [String]
        var text = ""
        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private(set) var error: String?

    /// Parses the page; `error` says why when it is not well-formed.
    init(_ html: String) {
        super.init()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = self
        if !parser.parse() {
            error = parser.parserError.map { "\($0)" } ?? "not well-formed"
        }
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        elements.append(Element(name: name, attributes: attributes, ancestors: open.map { elements[$0].name }))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        _ = open.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for index in open { elements[index].text += string }
    }

    /// The elements with a name and, optionally, a class.
    func all(_ name: String, class wanted: String? = nil) -> [Element] {
        elements.filter { element in element.name == name && (wanted.map { element.classes.contains($0) } ?? true) }
    }
}

@Suite("HTML pages")
struct HTMLStructureTests {
    /// What every page must be: well-formed, self-contained, printable, readable on a phone.
    func expectSelfContained(_ page: HTMLPage, lang: String = "vi", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(page.error == nil, "not well-formed: \(page.error ?? "")", sourceLocation: sourceLocation)
        #expect(page.all("html").first?.attributes["lang"] == lang, sourceLocation: sourceLocation)
        #expect(page.all("meta").contains { $0.attributes["charset"]?.lowercased() == "utf-8" }, sourceLocation: sourceLocation)
        #expect(page.all("meta").contains { $0.attributes["name"] == "viewport" }, sourceLocation: sourceLocation)
        let css = page.all("style").map(\.text).joined()
        #expect(css.contains("@media print"), sourceLocation: sourceLocation)
        #expect(css.contains("@media (max-width"), sourceLocation: sourceLocation)
        #expect(page.all("script").isEmpty, sourceLocation: sourceLocation)
        #expect(page.all("link").isEmpty, sourceLocation: sourceLocation)
        #expect(!css.contains("@import") && !css.contains("url("), sourceLocation: sourceLocation)
        for element in page.elements {
            #expect(element.attributes["src"] == nil, "external resource in <\(element.name)>", sourceLocation: sourceLocation)
            if let href = element.attributes["href"] {
                #expect(href.hasPrefix("#"), "external link \(href)", sourceLocation: sourceLocation)
            }
            #expect(!element.attributes.keys.contains { $0.lowercased().hasPrefix("on") }, sourceLocation: sourceLocation)
        }
    }

    /// The provisional badges: visible text, the note as title.
    func expectBadges(_ page: HTMLPage, word: String = "tạm thời", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let badges = page.all("span", class: "badge")
        #expect(!badges.isEmpty, sourceLocation: sourceLocation)
        for badge in badges {
            #expect(badge.text == word, sourceLocation: sourceLocation)
            #expect(!(badge.attributes["title"] ?? "").isEmpty, sourceLocation: sourceLocation)
        }
    }

    /// A printed report's heading (NĐ 30/2020/NĐ-CP): the bodies left blank on the left, the national
    /// title and motto on the right, above the page's title; the page prints on A4.
    func expectOfficialHeading(_ page: HTMLPage, title: String, motto: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let heading = page.all("div", class: "official")
        #expect(heading.count == 1 && heading.first?.ancestors.last == "header", sourceLocation: sourceLocation)
        let issuer = page.all("div", class: "issuer").first?.text ?? ""
        #expect(issuer.contains("……………") && !issuer.contains(title), "\(issuer)", sourceLocation: sourceLocation)
        let nation = page.all("div", class: "nation").first?.text ?? ""
        let (t, m) = (nation.range(of: title), nation.range(of: motto))
        #expect(t.flatMap { t in m.map { t.upperBound <= $0.lowerBound } } == true, "\(nation)", sourceLocation: sourceLocation)
        let h1 = page.elements.firstIndex { $0.name == "h1" } ?? -1
        let official = page.elements.firstIndex { $0.classes.contains("official") } ?? Int.max
        #expect(official < h1, "the heading is not above the title", sourceLocation: sourceLocation)
        #expect(page.all("style").first?.text.contains("@page{size:A4") == true, sourceLocation: sourceLocation)
    }

    @Test("check: one verdict table per level, a row per entity, a cell per criterion")
    func check() {
        let out = criteria("check", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--format", "html")
        let page = HTMLPage(out.stdout)
        expectSelfContained(page)
        expectBadges(page)
        let tables = page.all("table", class: "verdicts")
        #expect(tables.count == 2)
        let rows = page.all("tr").filter { $0.ancestors.contains("tbody") && !$0.classes.contains("reasons") }
        #expect(rows.count == 3 + 5)
        let cells = page.all("td").filter { $0.classes.isDisjoint(with: ["pass", "fail", "unknown", "not_applicable"]) == false }
        #expect(cells.count == 3 * 2 + 5 * 3)
        expectOfficialHeading(page, title: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto: "Độc lập - Tự do - Hạnh phúc")
        #expect(page.all("td", class: "pass").count == 3)
        #expect(page.all("td", class: "unknown").count == 4)
        #expect(page.all("th").contains { $0.text == "xa-ntm.19.2" })
    }

    @Test("explain: one <details> per verdict, conditions nested inside")
    func explain() {
        let out = criteria(
            "explain", Paths.dataset, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--entity", "99202", "--full", "--format", "html")
        let page = HTMLPage(out.stdout)
        expectSelfContained(page)
        expectBadges(page)
        let explanations = page.all("details", class: "explanation")
        #expect(explanations.count == 3)
        #expect(explanations.allSatisfy { !$0.ancestors.contains("details") })
        #expect(explanations.allSatisfy { $0.attributes["open"] != nil })
        let nodes = page.all("details", class: "node")
        #expect(nodes.count == 8 + 3 + 4)
        #expect(nodes.allSatisfy { $0.ancestors.contains("details") })
        // Expressions and the names values were read under are behind "Chi tiết kỹ thuật", closed.
        let technical = page.all("details", class: "technical")
        #expect(technical.count >= 8)
        #expect(technical.allSatisfy { $0.attributes["open"] == nil && $0.text.hasPrefix("Chi tiết kỹ thuật") })
        #expect(page.all("summary").count == explanations.count + nodes.count + technical.count)
        let expressions = page.all("code").filter { $0.text.contains("(") || $0.text.contains("=") }
        #expect(expressions.contains { $0.text == "share(hamlets, h, h.safe_antt) >= safe_hamlet_share" })
        #expect(expressions.allSatisfy { $0.ancestors.suffix(4) == ["li", "details", "ul", "li"] })
        let failing = nodes.first { $0.text.contains("thon-an-toan") }
        #expect(failing?.classes.contains("fail") == true)
        #expect(failing?.text.contains("cần ≥ 70%, thực tế 66,67%") == true)
    }

    @Test("report: a table of targets, one section per target, the holdouts")
    func report() {
        let out = criteria(
            "report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", Paths.plan, "--as-of", "2024-12-31", "--format", "html",
            "--lang", "en")
        let page = HTMLPage(out.stdout)
        expectSelfContained(page, lang: "en")
        expectBadges(page, word: "provisional")
        let targets = page.all("table", class: "targets")
        #expect(targets.count == 1)
        let rows = page.all("tr").filter { $0.ancestors.contains("tbody") && $0.text.contains("xa-") || $0.text.contains("huyen-") || $0.text.contains("giam-") }
        #expect(rows.count >= 6)
        let sections = page.all("section", class: "target")
        #expect(sections.count == 6)
        for link in page.all("a") {
            let id = String((link.attributes["href"] ?? "").dropFirst())
            #expect(page.elements.contains { $0.attributes["id"] == id }, "broken anchor \(id)")
        }
        #expect(page.all("details", class: "holdouts").count == 6)
        expectOfficialHeading(page, title: "SOCIALIST REPUBLIC OF VIETNAM", motto: "Independence - Freedom - Happiness")
        #expect(page.all("section", class: "pass").count == 1)
        #expect(page.all("section", class: "unknown").count == 1)
    }

    @Test("report: a chart per target, an image named and described, with its figures as a table")
    func reportCharts() {
        for (lang, word) in [("vi", "cần ≥ 99% (5/5)"), ("en", "required ≥ 99% (5/5)")] {
            let out = criteria(
                "report", Paths.dataset, "--rules", Paths.fixedRules, "--plan", Paths.plan, "--as-of", "2024-12-31", "--format", "html",
                "--lang", lang)
            let page = HTMLPage(out.stdout)
            expectSelfContained(page, lang: lang)
            let charts = page.all("svg")
            #expect(charts.count == 6)
            #expect(page.all("figure", class: "chart").count == 6)
            for chart in charts {
                #expect(chart.attributes["role"] == "img")
                #expect(chart.ancestors.contains("figure"))
                let named = (chart.attributes["aria-labelledby"] ?? "").split(separator: " ").map(String.init)
                #expect(named.count == 2)
                for id in named {
                    let element = page.elements.first { $0.attributes["id"] == id }
                    #expect(["title", "desc"].contains(element?.name ?? ""), "\(id)")
                    #expect((element?.text ?? "").isEmpty == false, "\(id)")
                }
            }
            #expect(page.all("text").contains { $0.text == word })
            // Each share target's figures as a table with a total row; reduction targets have their units table.
            let shares = page.all("table", class: "groups")
            #expect(shares.count == 5)
            #expect(page.all("th").filter { $0.attributes["scope"] == "row" }.count == 5)
            #expect(page.all("table", class: "units").count == 1)
        }
    }

    @Test("names from the data are escaped, never markup")
    func hostileNames() throws {
        let hostile = #"<script>alert("x")</script> & <b onmouseover='y'>"#
        let data = try String(contentsOfFile: Paths.dataset, encoding: .utf8)
            .replacingOccurrences(of: "\"Xã Dương\"", with: "'" + hostile.replacingOccurrences(of: "'", with: "''") + "'")
        let path = try temporaryFile("hostile.yaml", data)
        for command in [["check"], ["explain", "--entity", "99202"]] {
            let out = CriteriaCommand.output(
                arguments: [command[0], path, "--rules", Paths.fixedRules, "--as-of", "2024-12-31", "--format", "html"] + command.dropFirst())
            #expect(out.exitCode == 0)
            let page = HTMLPage(out.stdout)
            expectSelfContained(page)
            #expect(page.all("b").isEmpty)
            #expect(page.elements.contains { $0.text.contains(hostile) })
        }
        #expect(HTMLRenderer.escape(hostile) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b onmouseover=&apos;y&apos;&gt;")
    }
}
