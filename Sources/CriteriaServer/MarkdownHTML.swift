import Foundation
import CriteriaEngine

/// Turns the Markdown that `CriterionPage` writes into HTML, so the server's criteria pages show the
/// same content as the generated `Docs/criteria/*.md` pages from the same code.
///
/// It handles the subset `CriterionPage` uses: headings, paragraphs, pipe tables (with `\|` in
/// cells), `-` lists, `>` quotes, HTML comments (dropped), the technical details (a line
/// `<details class="technical">`, a line `<summary>text</summary>`, a line `</details>`; no other
/// HTML), and inline code, `**strong**`, `*em*` and `[text](link)`. Every text is escaped; `link` rewrites each link's target, and a target whose
/// scheme is not `http`, `https` or `mailto` (`javascript:`, `data:`) is shown as text, not a link.
struct MarkdownHTML {
    /// Rewrites a link target, such as `xa-ntm.19.2.md`, to an address.
    var link: (String) -> String

    /// The HTML of a Markdown text.
    func render(_ markdown: String) -> String {
        var out = ""
        var paragraph: [String] = []
        var list: [String] = []
        var table: [[String]] = []
        func flush() {
            if !paragraph.isEmpty {
                out += "<p>" + inline(paragraph.joined(separator: " ")) + "</p>\n"
                paragraph = []
            }
            if !list.isEmpty {
                out += "<ul>\n" + list.map { "<li>" + inline($0) + "</li>\n" }.joined() + "</ul>\n"
                list = []
            }
            if !table.isEmpty {
                out += renderTable(table)
                table = []
            }
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let trimmed = line.trimmingPrefix(while: { $0 == " " })
            if line.hasPrefix("<!--") {
                flush()
            } else if line == CriterionPage.technicalOpen || line == "</details>" {
                flush()
                out += line + "\n"
            } else if line.hasPrefix("<summary>") && line.hasSuffix("</summary>") {
                flush()
                out += "<summary>" + inline(String(line.dropFirst(9).dropLast(10))) + "</summary>\n"
            } else if trimmed.isEmpty {
                flush()
            } else if let level = headingLevel(line) {
                flush()
                let text = String(line.dropFirst(level + 1))
                out += "<h\(level)>" + inline(text) + "</h\(level)>\n"
            } else if line.hasPrefix("|") {
                if !paragraph.isEmpty || !list.isEmpty {
                    let saved = table
                    table = []
                    flush()
                    table = saved
                }
                table.append(cells(line))
            } else if line.hasPrefix("- ") {
                if !table.isEmpty || !paragraph.isEmpty {
                    let saved = list
                    list = []
                    flush()
                    list = saved
                }
                list.append(String(line.dropFirst(2)))
            } else if line.hasPrefix("> ") {
                flush()
                out += "<blockquote><p>" + inline(String(line.dropFirst(2))) + "</p></blockquote>\n"
            } else {
                if !table.isEmpty || !list.isEmpty { flush() }
                paragraph.append(line)
            }
        }
        flush()
        return out
    }

    private func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    /// The cells of a table row, unescaping `\|`.
    private func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in line.dropFirst() {
            if escaped {
                current.append(character == "|" ? "|" : "\\" + String(character))
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { cells.append(current.trimmingCharacters(in: .whitespaces)) }
        return cells
    }

    private func renderTable(_ rows: [[String]]) -> String {
        let isSeparator = { (row: [String]) in !row.isEmpty && row.allSatisfy { $0.allSatisfy { $0 == "-" || $0 == ":" } && !$0.isEmpty } }
        var head: [String]? = nil
        var body = rows
        if rows.count >= 2, isSeparator(rows[1]) {
            head = rows[0]
            body = Array(rows.dropFirst(2))
        }
        var out = "<div class=\"table-wrap\">\n<table>\n"
        if let head, head.contains(where: { !$0.isEmpty }) {
            out += "<thead>\n<tr>" + head.map { "<th scope=\"col\">" + inline($0) + "</th>" }.joined() + "</tr>\n</thead>\n"
        }
        out += "<tbody>\n"
        for row in body { out += "<tr>" + row.map { "<td>" + inline($0) + "</td>" }.joined() + "</tr>\n" }
        return out + "</tbody>\n</table>\n</div>\n"
    }

    /// Inline markup: links (whose labels may hold code), code spans (literal content), then strong
    /// and emphasis in the rest.
    func inline(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            let tick = rest.firstIndex(of: "`")
            if let open = rest.firstIndex(of: "["), tick.map({ open < $0 }) ?? true,
                let middle = rest[open...].range(of: "]("), let close = rest[middle.upperBound...].firstIndex(of: ")")
            {
                out += emphasis(String(rest[..<open]))
                let label = String(rest[rest.index(after: open)..<middle.lowerBound])
                let target = String(rest[middle.upperBound..<close])
                let address = link(target)
                if Self.isSafeLink(address) {
                    out += "<a href=\"" + HTMLRenderer.escape(address) + "\">" + inline(label) + "</a>"
                } else {
                    // Rule text is not trusted to run anything: the link is shown as text.
                    out += inline(label) + " (<code>" + HTMLRenderer.escape(target) + "</code>)"
                }
                rest = rest[rest.index(after: close)...]
                continue
            }
            guard let tick else { break }
            let afterTick = rest.index(after: tick)
            guard let end = rest[afterTick...].firstIndex(of: "`") else { break }
            out += emphasis(String(rest[..<tick]))
            out += "<code>" + HTMLRenderer.escape(String(rest[afterTick..<end])) + "</code>"
            rest = rest[rest.index(after: end)...]
        }
        return out + emphasis(String(rest))
    }

    /// Whether a link target may be a link: a relative address (`/criteria`, `xa-ntm.19.2.md`,
    /// `#clause`, `?lang=en`) or an absolute one with the scheme `http`, `https` or `mailto`. The
    /// scheme is read as browsers read it (leading spaces and controls skipped, tabs and newlines
    /// inside dropped), so `java\tscript:` and ` javascript:` are refused like `javascript:`.
    static func isSafeLink(_ target: String) -> Bool {
        let scalars = target.unicodeScalars.drop { $0.value <= 0x20 }.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        guard let colon = scalars.firstIndex(of: ":") else { return true }
        let scheme = scalars[..<colon]
        if scheme.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }
        let name = String(String.UnicodeScalarView(scheme)).lowercased()
        return ["http", "https", "mailto"].contains(name)
    }

    private func emphasis(_ text: String) -> String {
        var escaped = HTMLRenderer.escape(text)
        escaped = replacePairs(escaped, marker: "**", open: "<strong>", close: "</strong>")
        escaped = replacePairs(escaped, marker: "*", open: "<em>", close: "</em>")
        return escaped
    }

    private func replacePairs(_ text: String, marker: String, open: String, close: String) -> String {
        var parts = text.components(separatedBy: marker)
        guard parts.count >= 3 else { return text }
        var out = parts.removeFirst()
        var opening = true
        while !parts.isEmpty {
            let part = parts.removeFirst()
            if opening && parts.isEmpty {
                out += marker + part
            } else {
                out += (opening ? open : close) + part
                opening.toggle()
            }
        }
        return out
    }
}
