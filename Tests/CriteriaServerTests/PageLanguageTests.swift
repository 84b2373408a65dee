import CriteriaEngine
import CriteriaServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The server's own page words speak one language (issue #18 item 6): each page an inspector opens, in
/// Vietnamese, holds no English word, and in English no Vietnamese one. The rules and data are written in
/// both languages with ASCII names, so a word of the wrong language comes from the page, not the data.
/// (The word lists are those of the engine's `SentenceLanguageTests`, which check the sentences and
/// the CLI's renderers.)
@Suite("Page words in one language")
struct PageLanguageTests {
    static let englishWords: Set<String> = [
        "met", "not", "needs", "has", "missing", "cannot", "decided", "applicable", "the", "of", "and", "more", "over",
        "short", "at", "least", "most", "condition", "conditions", "source", "check", "false", "true", "yes", "no",
        "verdict", "verdicts", "value", "parameter", "since", "in", "on", "for", "dataset", "as", "reasons", "criteria",
        "criterion", "provisional", "case", "cases", "units", "unit", "pass", "fail", "unknown", "with", "explanation",
        "level", "name", "synthetic", "data", "note", "see", "sources", "commune", "communes", "plan", "target",
        "result", "details", "technical", "share", "each", "is", "to", "by", "from", "recorded", "loaded", "download",
        "rules", "hash", "version", "show", "all", "only", "problems", "decision", "record", "open", "back", "time",
    ]

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace || "—–·:;,!?“”\"'`«»|*".contains($0) }).compactMap { token in
            let trimmed = token.trimmingCharacters(in: CharacterSet(charactersIn: "()[]{}…%"))
            guard !trimmed.isEmpty, !trimmed.contains(where: { "._-/#([=<>≤≥≠+$&@".contains($0) || $0.isNumber }) else { return nil }
            return trimmed.lowercased()
        }
    }

    static func isVietnamese(_ word: String) -> Bool {
        word.unicodeScalars.contains { (0x00C0...0x1EF9).contains($0.value) && $0.properties.isAlphabetic }
    }

    /// The lines of a page's visible text (tags, `<code>`, `<style>`, `<script>`, `<pre>`, `<textarea>` and
    /// `<option>` left out: code, names and the choices of a list; the product's name and a link marked
    /// `lang` as in another language too).
    static func visibleLines(_ html: String) -> [String] {
        // The product's name, and a link marked as written in the other language (the language switch).
        var text = html.replacingOccurrences(of: "<strong class=\"brand\">Criteria</strong>", with: " ")
            .replacingOccurrences(of: " — Criteria</title>", with: "</title>")
        while let link = text.range(of: #"<a [^>]*\blang="[a-z]+"[^>]*>[^<]*</a>"#, options: .regularExpression) {
            text.replaceSubrange(link, with: " ")
        }
        for element in ["style", "script", "code", "pre", "textarea", "option"] {
            while let open = text.range(of: "<\(element)"), let close = text.range(of: "</\(element)>", range: open.upperBound..<text.endIndex) {
                text.replaceSubrange(open.lowerBound..<close.upperBound, with: " ")
            }
        }
        var out = ""
        var inTag = false
        for c in text {
            if c == "<" { inTag = true } else if c == ">" { inTag = false; out.append(" ") } else if !inTag { out.append(c) }
        }
        out = out.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
        return out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func problems(_ html: String, _ l: Language) -> [String] {
        visibleLines(html).compactMap { line in
            let found = Set(words(line).filter { l == .vi ? englishWords.contains($0) : isVietnamese($0) })
            return found.isEmpty ? nil : "\(found.sorted()) in “\(line)”"
        }
    }

    static let files = [
        "inputs.yaml": """
            criteria: 1
            inputs:
              - { name: a, type: bool, level: commune, label: { vi: Có mô hình A, en: Model A works } }
              - { name: so_vu, type: count, level: commune, label: { vi: Số vụ, en: Recorded crimes }, unit: { vi: vụ, en: cases } }
              - name: xep_loai
                type: enum
                level: commune
                label: { vi: Xếp loại, en: Rating }
                values:
                  - { value: xuat_sac, label: { vi: Xuất sắc, en: Excellent } }
                  - { value: kha, label: { vi: Khá, en: Good } }
              - { name: an_toan, type: bool, level: hamlet, label: { vi: Thôn an toàn, en: Safe hamlet } }
            """,
        "t1.yaml": """
            criteria: 1
            id: t1
            title: { vi: Tiêu chí một, en: Criterion one }
            level: commune
            in_force: { from: 2022-01-01 }
            source: { act: ND 1, status: provisional, note: { vi: Ngưỡng chưa được xác nhận, en: The threshold is not confirmed } }
            all:
              - { id: s, title: { vi: Thôn an toàn, en: Safe hamlets }, check: 'share(hamlets, h, h.an_toan) >= 70%' }
              - { id: v, title: { vi: Ít vụ, en: Few crimes }, check: 'so_vu <= 2.5' }
              - { id: x, title: { vi: Xếp loại cao, en: Rated high }, check: 'xep_loai == "xuat_sac"' }
              - { id: m, title: { vi: Có mô hình, en: A model }, check: 'a' }
            """,
    ]

    static let data = """
        dataset: 1
        commune:
          id: C1
          name: Nam Son
          facts: { 2024: { a: false, so_vu: 5, xep_loai: kha } }
          hamlets:
            - { id: H1, name: Thon Mot, facts: { 2024: { an_toan: true } } }
            - { id: H2, name: Thon Hai, facts: { 2024: { an_toan: false } } }
        """

    @Test("the record, unit, status and form pages speak the language asked for", arguments: Language.allCases)
    func pagesSpeakOneLanguage(_ l: Language) async throws {
        let folder = NSTemporaryDirectory() + "criteria-page-language-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in Self.files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        let lang = l == .en ? "?lang=en" : ""
        try await withClient(try makeService(rules: folder)) { client in
            let (form, headers) = multipart([("as_of", nil, Data("2024-12-31".utf8)), ("file", "data.yaml", Data(Self.data.utf8))])
            let location = try await client.execute(uri: "/inspect", method: .post, headers: headers, body: form) { response async throws in
                #expect(response.status == .seeOther, "\(response.text.prefix(800))")
                return response.headers[.location] ?? ""
            }
            #expect(location.hasPrefix("/decisions/KQ-"))
            var problems: [String] = []
            for uri in ["/" + lang, location + lang, location + "/entities/C1" + (l == .en ? "?lang=en&full=1" : "?full=1"), "/status" + lang] {
                try await client.execute(uri: uri, method: .get) { response async throws in
                    #expect(response.status == .ok, "\(uri)")
                    problems += Self.problems(response.text, l).map { "\(uri): \($0)" }
                }
            }
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }
}
