import CriteriaEngine
import Foundation
import Testing

/// Every diagnostic speaks Vietnamese: each one the broken-rule fixtures, the hostile-data fixtures and
/// the served rules produce has a Vietnamese message (and hint, and notes) that is not the English one
/// and holds none of the common English words; the English text stays in `message` and `hint`.
@Suite struct VietnameseDiagnosticsTests {
    /// English words that give away an untranslated sentence. Quoted input (`'…'`, `"…"`, `` `…` ``)
    /// is left out before looking, since it quotes the rule or data file as written.
    static let englishWords = [
        "expected", "expects", "must", "line", "the", "is not", "found", "write", "cannot", "missing",
        "unknown", "should", "did you mean", "has no", "error", "warning", "hint", "allowed", "remove",
    ]

    /// The English words left in a Vietnamese text, outside quotes.
    static func englishLeft(in text: String) -> [String] {
        var outside = ""
        var quote: Character? = nil
        for c in text {
            if let open = quote {
                if c == open { quote = nil }
            } else if c == "'" || c == "\"" || c == "`" {
                quote = c
            } else {
                outside.append(c)
            }
        }
        let lower = " " + outside.lowercased().map { $0.isLetter ? String($0) : " " }.joined() + " "
        return englishWords.filter { lower.contains(" \($0) ") }
    }

    /// The problems of one diagnostic's Vietnamese words, each a sentence naming the diagnostic.
    static func problems(_ d: Diagnostic) -> [String] {
        var found: [String] = []
        let texts = [("message", d.text)] + (d.hintText.map { [("hint", $0)] } ?? []) + d.notes.map { ("note", $0.text) }
        for (part, text) in texts {
            if text.vi == text.en && !englishLeft(in: text.vi).isEmpty || text.vi.isEmpty {
                found.append("[\(d.id)] the \(part) has no Vietnamese: \(text.vi)")
            }
            if text.vi.contains("LocalizedText(") || text.english.contains("LocalizedText(") {
                found.append("[\(d.id)] the \(part) prints a LocalizedText value: \(text.english)")
            }
            let left = englishLeft(in: text.vi)
            if !left.isEmpty { found.append("[\(d.id)] the Vietnamese \(part) holds \(left): \(text.vi)") }
        }
        return found
    }

    @Test func theWordCheckFindsEnglish() {
        #expect(Self.englishLeft(in: "expected a number, found 'x'") == ["expected", "found"])
        #expect(Self.englishLeft(in: "the line is missing") == ["line", "the", "missing"])
        #expect(Self.englishLeft(in: "cần một số, nhưng gặp 'the line'").isEmpty)
        let untranslated = Diagnostic("rules.x", .error, .vi("unknown key 'a'", en: "unknown key 'a'"), at: nil)
        #expect(!Self.problems(untranslated).isEmpty)
    }

    @Test(arguments: RuleFixtureTests.names)
    func ruleFixture(_ name: String) throws {
        let fixture = try LoadedRuleFixture(name: name, folder: RuleFixtureTests.folder)
        #expect(!fixture.found.isEmpty || name.hasPrefix("loads"), "the fixture \(name) produced nothing")
        for (_, diagnostic) in fixture.found {
            for problem in Self.problems(diagnostic) { Issue.record(Comment(rawValue: "\(name): \(problem)")) }
        }
    }

    @Test(arguments: ["data/csv:csv:communes.csv", "data/json:json:data.json", "data/yaml:yaml:data.yaml"])
    func dataFixtures(_ kind: String) throws {
        let parts = kind.split(separator: ":").map(String.init)
        let fixtures = try MarkedFixture.load(folder: parts[0], extension: parts[1], headersAreComments: parts[1] == "yaml")
        #expect(fixtures.count >= 5)
        var ids: Set<DiagnosticID> = []
        for fixture in fixtures {
            for diagnostic in try DatasetHostileInputTests.read(fixture, as: parts[2]).1 {
                ids.insert(diagnostic.id)
                for problem in Self.problems(diagnostic) { Issue.record(Comment(rawValue: "\(fixture.name): \(problem)")) }
            }
        }
        #expect(ids.count >= 5, "\(parts[0]) fixtures produced only \(ids.sorted { $0.rawValue < $1.rawValue })")
    }

    /// The notes `lint --strict` shows on the served rules (provisional clauses) are Vietnamese too,
    /// but for the rule file's own `note:` they quote, which is still one text in the file's language
    /// (a `note: {vi, en}` is not read yet): the words around it are checked.
    @Test func servedRulesNotes() throws {
        let graph = try RuleSetLoader.load(path: repositoryRoot() + "/Rules")
        #expect(!graph.diagnostics.isEmpty)
        for var diagnostic in graph.diagnostics {
            if diagnostic.id == "rules.provisional", let colon = diagnostic.text.vi.firstIndex(of: ":") {
                diagnostic.text = .same(String(diagnostic.text.vi[..<colon]))
                #expect(diagnostic.text.vi.contains("là tạm thời"))
            }
            for problem in Self.problems(diagnostic) { Issue.record(Comment(rawValue: problem)) }
        }
    }

    /// The text renderer writes Vietnamese words by default and English ones with `.en`; the JSON
    /// model keeps `message` and `hint` in English and adds `vi`.
    @Test func renderedInEitherLanguageAndJSON() throws {
        let d = Diagnostic(
            "rules.unknown-input", .error, .vi("không có đầu vào 'x'", en: "unknown input 'x'"),
            at: SourceRange(file: "a.yaml", line: 3, column: 5),
            notes: [DiagnosticNote(.vi("khai báo lần đầu ở đây", en: "first declared here"), at: nil)],
            hint: .vi("hãy khai báo trong Rules/inputs.yaml", en: "declare it in Rules/inputs.yaml"))
        let vi = DiagnosticRenderer(language: .vi).text([d]) + DiagnosticRenderer.summary([d], language: .vi)
        #expect(vi == "a.yaml:3:5: lỗi: không có đầu vào 'x' [rules.unknown-input]\n      = gợi ý: hãy khai báo trong Rules/inputs.yaml\nghi chú: khai báo lần đầu ở đây\n1 lỗi\n")
        let en = DiagnosticRenderer(language: .en).text([d, d]) + DiagnosticRenderer.summary([d, d], language: .en)
        #expect(en.hasPrefix("a.yaml:3:5: error: unknown input 'x' [rules.unknown-input]\n      = hint: declare it in Rules/inputs.yaml\nnote: first declared here\n"))
        #expect(en.hasSuffix("2 errors\n"))
        let json = String(decoding: try JSONEncoder().encode(d), as: UTF8.self)
        #expect(json.contains(#""message":"unknown input 'x'""#))
        #expect(json.contains(#""hint":"declare it in Rules\/inputs.yaml""#))
        #expect(json.contains(#""vi":{"#) && json.contains("không có đầu vào 'x'"))
        let back = try JSONDecoder().decode(Diagnostic.self, from: Data(json.utf8))
        #expect(back == d)
        // A diagnostic written before the Vietnamese field reads its English text for both.
        let old = try JSONDecoder().decode(Diagnostic.self, from: Data(#"{"id":"a.b","severity":"error","message":"m","notes":[]}"#.utf8))
        #expect(old.message(in: .vi) == "m" && old.hint == nil)
    }

    /// No diagnostic of the engine is made from an English string alone: the one-language initialiser
    /// is internal and used by no source file.
    @Test func noSourceMakesAnEnglishOnlyDiagnostic() throws {
        let root = repositoryRoot() + "/Sources"
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 30)
        let pattern = try Regex(#"Diagnostic\(\s*"[a-z]+\.[a-z-]+",\s*\.[a-z]+,\s*""#)
        let note = try Regex(#"DiagnosticNote\(\s*""#)
        for file in files {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            #expect(text.firstMatch(of: pattern) == nil, "\(file) makes a diagnostic from an English string")
            #expect(text.firstMatch(of: note) == nil, "\(file) makes a note from an English string")
        }
    }
}
