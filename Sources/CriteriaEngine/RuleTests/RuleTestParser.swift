import Foundation

/// Reads rule test files (`Rules/**/tests/*.yaml`) into test cases, checked against the rule graph.
///
/// ```yaml
/// criteria: 1
/// fixtures:
///   - name: commune-ok
///     data: { commune: { id: "1", name: Xã A, facts: { 2024: { … } }, hamlets: [ … ] } }
/// base: commune-ok                         # optional: the fixture a case without `data` starts from
/// tests:
///   - name: crime above last year fails
///     as_of: 2024-12-31
///     data: commune-ok                      # a fixture's name, or an inline dataset root
///     carry: { from: 2024, to: 2025 }       # optional: the same facts in another year
///     set: { "1": { 2024: { social_order_crimes: 39 } } }
///     unset: { "1": { 2024: [antt_plan] } }
///     expect:
///       - { criterion: xa-ntm.19.2, entity: "1", outcome: fail, reasons: [kiem-che-toi-pham] }
/// ```
/// Base cases shared by several test files live in a fixtures file (`criteria: 1` and `fixtures:`
/// only) in a folder below a `tests/` folder, such as `Rules/tests/goc/xa.yaml`; a test file names
/// it with `include: ../../tests/goc/xa.yaml` (a path from the test file's folder, or a list of
/// them), and its fixtures are then the test file's own. An entity of any data may start from a
/// fixture's entity of its level with `like: xa-dat-19-2`: it gets that entity's facts, each year,
/// unless it gives the fact itself (its units and other children are its own). `like: { fixture:
/// xa-dat-19-2, year: 2022 }` moves the facts so that the base's last year is 2022. So adding an input
/// means adding its fact to the base case once.
///
/// Every mistake (an unknown criterion, a missing outcome, a date in the wrong format) is a located
/// diagnostic, never a silent pass.
package struct RuleTestParser {
    private var reader = SchemaReader(area: "tests")
    private let graph: RuleGraph
    private let limits: Limits
    private var fixtures: [String: Dataset] = [:]
    /// The base case every case starts from when it gives no `data` (`base:` at the top).
    private var base: Dataset?
    /// Whether the file names a base case (even one that could not be read, already reported).
    private var namesBase = false

    /// The file being read, whose folder `include:` paths start from.
    private var path = ""

    private init(graph: RuleGraph, limits: Limits) {
        self.graph = graph
        self.limits = limits
        self.reader = SchemaReader(area: "tests", limits: limits)
    }

    /// The keys of a test file.
    package static let fileKeys = ["criteria", "include", "fixtures", "base", "tests"]
    /// The keys of a shared fixtures file (named by `include:`).
    package static let fixturesFileKeys = ["criteria", "fixtures"]

    /// The keys of a test case.
    package static let caseKeys = ["name", "as_of", "data", "carry", "set", "unset", "expect"]
    /// The keys of an expectation.
    package static let expectationKeys = ["criterion", "entity", "outcome", "reasons", "snapshot"]

    /// Reads one test file.
    package static func parse(_ file: SourceFile, graph: RuleGraph, limits: Limits = .default) throws(DiagnosticsError) -> [RuleTestCase] {
        let root = try YAMLReader.read(file, maxNesting: limits.maxRuleNesting, limits: limits)
        var parser = RuleTestParser(graph: graph, limits: limits)
        parser.path = file.path
        let cases = parser.parseRoot(root)
        try parser.reader.diagnostics.throwIfErrors()
        return cases
    }

    private mutating func parseRoot(_ root: DocumentNode) -> [RuleTestCase] {
        guard let f = reader.fields(root, what: .vi("tệp kiểm thử", en: "the test file"), allowed: Self.fileKeys, required: ["criteria", "tests"]) else { return [] }
        readVersion(f)
        if let node = f["include"] { include(node) }
        readFixtures(f)
        if let node = f["base"] {
            namesBase = true
            if let name = reader.text(node, what: .vi("trường hợp gốc (base)", en: "the base case")) { base = fixture(named: name, at: node.range) }
        }
        guard let list = f["tests"].flatMap({ reader.sequence($0, what: .vi("danh sách kiểm thử (tests)", en: "tests")) }) else { return [] }
        var names: [String: SourceRange] = [:]
        var cases: [RuleTestCase] = []
        for item in list {
            guard let c = parseCase(item) else { continue }
            if let first = names[c.name] {
                reader.error("duplicate-name", .vi("có hai phép kiểm thử cùng tên '\(c.name)'", en: "two tests are named '\(c.name)'"), at: c.range, notes: [DiagnosticNote(.vi("lần đặt tên đầu tiên", en: "the first"), at: first)])
            }
            names[c.name] = c.range
            cases.append(c)
        }
        return cases
    }

    /// `criteria: 1`, the format version.
    private mutating func readVersion(_ f: SchemaReader.Fields) {
        if let version = f["criteria"], let v = reader.integer(version, what: .vi("phiên bản định dạng 'criteria'", en: "the format version 'criteria'"), in: 1...Int.max), v != 1 {
            reader.error("unsupported-version", .vi("phiên bản định dạng \(v) chưa được hỗ trợ", en: "format version \(v) is not supported"), at: version.range, hint: .vi("hãy viết 'criteria: 1'", en: "write 'criteria: 1'"))
        }
    }

    /// The `fixtures:` list, each added to the fixtures known (a name defined twice is an error).
    private mutating func readFixtures(_ f: SchemaReader.Fields) {
        guard let list = f["fixtures"].flatMap({ reader.sequence($0, what: .vi("danh sách dữ liệu mẫu (fixtures)", en: "fixtures")) }) else { return }
        for item in list {
            guard let g = reader.fields(item, what: .vi("bộ dữ liệu mẫu (fixture)", en: "the fixture"), allowed: ["name", "data"], required: ["name", "data"]),
                let name = g["name"].flatMap({ reader.text($0, what: .vi("tên bộ dữ liệu mẫu", en: "the fixture name")) }), let data = g["data"]
            else { continue }
            if fixtures[name] != nil {
                reader.error("duplicate-name", .vi("bộ dữ liệu mẫu '\(name)' được định nghĩa hai lần", en: "the fixture '\(name)' is defined twice"), at: g["name"]?.range,
                    hint: .vi("hãy đổi tên một trong hai (các bộ dữ liệu mẫu của tệp được gộp bằng 'include' cũng tính)", en: "rename one of the two (the fixtures of a file named by 'include' count too)"))
            }
            if let dataset = decodeData(data) { fixtures[name] = dataset }
        }
    }

    /// `include: PATH` (or a list): reads each shared fixtures file and makes its fixtures this file's.
    /// A path is relative to the test file's folder, ends in `.yaml` and leads into a folder below a
    /// `tests/` folder (`Rules/tests/goc/xa.yaml`), so that it is never read as a rule or test file.
    private mutating func include(_ node: DocumentNode) {
        let items: [DocumentNode]
        if case .sequence(let list) = node.kind { items = list } else { items = [node] }
        let folder = (path as NSString).deletingLastPathComponent
        for item in items {
            guard let relative = reader.text(item, what: .vi("tệp dữ liệu mẫu dùng chung (include)", en: "the shared fixtures file (include)")) else { continue }
            let target = ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(relative)
            let folders = Self.normalized(target).dropLast()
            let underTests = folders.contains("tests") && folders.last != "tests"
            guard !relative.hasPrefix("/"), relative.hasSuffix(".yaml") || relative.hasSuffix(".yml"), underTests else {
                reader.error(
                    "invalid-include",
                    .vi("'include' phải chỉ tới một tệp .yaml trong một thư mục con của thư mục 'tests/', nhưng ở đây là '\(relative)'", en: "'include' must name a .yaml file in a folder below a 'tests/' folder, but this is '\(relative)'"),
                    at: item.range,
                    hint: .vi("hãy viết đường dẫn từ thư mục của tệp kiểm thử, ví dụ 'include: ../../tests/goc/xa.yaml'", en: "write the path from the test file's folder, e.g. 'include: ../../tests/goc/xa.yaml'"))
                continue
            }
            let file: SourceFile
            do {
                file = try SourceReader.read(path: target, maxBytes: limits.maxRuleFileBytes)
            } catch let error as DiagnosticsError {
                reader.diagnostics.emit(contentsOf: error.diagnostics)
                continue
            } catch {
                reader.error(
                    "include-not-found", .vi("không đọc được tệp dữ liệu mẫu dùng chung '\(relative)' (\(target))", en: "the shared fixtures file '\(relative)' (\(target)) cannot be read"),
                    at: item.range, hint: .vi("hãy kiểm tra đường dẫn: nó tính từ thư mục của tệp kiểm thử", en: "check the path: it starts from the test file's folder"))
                continue
            }
            let root: DocumentNode
            do {
                root = try YAMLReader.read(file, maxNesting: limits.maxRuleNesting, limits: limits)
            } catch {
                reader.diagnostics.emit(contentsOf: error.diagnostics)
                continue
            }
            var shared = RuleTestParser(graph: graph, limits: limits)
            shared.path = target
            if let g = shared.reader.fields(root, what: .vi("tệp dữ liệu mẫu dùng chung", en: "the shared fixtures file"), allowed: Self.fixturesFileKeys, required: ["criteria", "fixtures"]) {
                shared.readVersion(g)
                shared.readFixtures(g)
            }
            reader.diagnostics.emit(contentsOf: shared.reader.diagnostics.diagnostics)
            for (name, dataset) in shared.fixtures.sorted(by: { $0.key < $1.key }) {
                if fixtures[name] != nil {
                    reader.error("duplicate-name", .vi("bộ dữ liệu mẫu '\(name)' được định nghĩa hai lần", en: "the fixture '\(name)' is defined twice"), at: item.range)
                }
                fixtures[name] = dataset
            }
        }
    }

    /// A path's components with `.` dropped and each `..` taking out the folder before it (kept when
    /// there is none, at the start of a relative path).
    static func normalized(_ path: String) -> [String] {
        var parts: [String] = []
        for part in path.split(separator: "/").map(String.init) where part != "." {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts
    }

    /// An entity that starts from a fixture's entity (`like:`), found while its data is read.
    private struct Likeness {
        var entity: String
        var fixture: String
        var year: Int?
        var range: SourceRange
    }

    /// The data node without its `like:` keys, and what they said. Entities are the mappings with an
    /// `id`; `facts` are not looked into.
    private mutating func takeLikes(_ node: DocumentNode, into found: inout [Likeness]) -> DocumentNode {
        switch node.kind {
        case .mapping(let pairs):
            let id = pairs.first { $0.key.scalarText == "id" }?.value.scalarText
            var kept: [DocumentNode.Pair] = []
            for pair in pairs {
                if pair.key.scalarText == "like", let id {
                    if let likeness = readLike(pair.value, entity: id) { found.append(likeness) }
                    continue
                }
                if pair.key.scalarText == "facts" {
                    kept.append(pair)
                    continue
                }
                kept.append(DocumentNode.Pair(key: pair.key, value: takeLikes(pair.value, into: &found)))
            }
            return DocumentNode(.mapping(kept), at: node.range)
        case .sequence(let items):
            return DocumentNode(.sequence(items.map { takeLikes($0, into: &found) }), at: node.range)
        default:
            return node
        }
    }

    /// `like: NAME` or `like: { fixture: NAME, year: 2022 }`.
    private mutating func readLike(_ node: DocumentNode, entity: String) -> Likeness? {
        if let name = node.scalarText { return Likeness(entity: entity, fixture: name, year: nil, range: node.range) }
        guard let g = reader.fields(node, what: .vi("trường hợp gốc của đơn vị (like)", en: "the entity's base (like)"), allowed: ["fixture", "year"], required: ["fixture"],
            example: "'like: { fixture: xa-dat-19-2, year: 2022 }'"),
            let name = g["fixture"].flatMap({ reader.text($0, what: .vi("tên bộ dữ liệu mẫu", en: "the fixture name")) })
        else { return nil }
        let year = g["year"].flatMap { reader.integer($0, what: .vi("năm (year)", en: "the year"), in: 1900...2100) }
        if g["year"] != nil && year == nil { return nil }
        return Likeness(entity: entity, fixture: name, year: year, range: node.range)
    }

    /// Gives an entity the facts of its base's entity of the same level, year by year (moved so that
    /// the base's last year is `year`, when given), except those it gives itself.
    private mutating func applyLike(_ likeness: Likeness, to dataset: inout Dataset) {
        guard let base = fixture(named: likeness.fixture, at: likeness.range), let index = dataset.index(of: likeness.entity) else { return }
        let level = dataset.entities[index].level
        let candidates = base.entities.filter { $0.level == level }
        guard candidates.count == 1, let model = candidates.first else {
            reader.error(
                "invalid-value",
                .vi("bộ dữ liệu mẫu '\(likeness.fixture)' có \(candidates.count) đơn vị cấp \(level.vietnamese), nên 'like' không biết lấy dữ kiện của đơn vị nào", en: "the fixture '\(likeness.fixture)' has \(candidates.count) entities at the \(level.name) level, so 'like' cannot tell whose facts to take"),
                at: likeness.range, hint: .vi("hãy dùng một bộ dữ liệu mẫu có đúng một đơn vị cấp \(level.vietnamese)", en: "name a fixture with exactly one \(level.name)"))
            return
        }
        let facts = model.facts
        let shift = likeness.year.map { year in year - (facts.keys.max() ?? year) } ?? 0
        let own = dataset.entities[index].facts
        for (year, named) in facts.sorted(by: { $0.key < $1.key }) {
            for (name, fact) in named.sorted(by: { $0.key < $1.key }) where own[year + shift]?[name] == nil {
                dataset.setFact(fact, name: name, year: year + shift, entity: index)
            }
        }
    }

    private mutating func decodeData(_ node: DocumentNode) -> Dataset? {
        var likes: [Likeness] = []
        let stripped = takeLikes(node, into: &likes)
        guard var dataset = decodeDataset(stripped) else { return nil }
        for likeness in likes { applyLike(likeness, to: &dataset) }
        return dataset
    }

    private mutating func decodeDataset(_ node: DocumentNode) -> Dataset? {
        guard case .mapping(let pairs) = node.kind else {
            reader.error("wrong-type", .vi("'data' phải ghi tên một bộ dữ liệu mẫu hoặc cho một xã, huyện hay tỉnh", en: "'data' must name a fixture or give a commune, district or province"), at: node.range,
                hint: .vi("hãy viết 'data: { commune: { id: …, name: …, facts: … } }' hoặc tên một bộ dữ liệu mẫu", en: "write 'data: { commune: { id: …, name: …, facts: … } }' or the name of a fixture"))
            return nil
        }
        let version = DocumentNode.Pair(
            key: DocumentNode(.scalar("dataset", .plain), at: node.range), value: DocumentNode(.scalar("1", .plain), at: node.range))
        do {
            return try DatasetDecoder.decode(DocumentNode(.mapping([version] + pairs), at: node.range), inputs: graph.inputs, limits: limits)
        } catch {
            reader.diagnostics.emit(contentsOf: error.diagnostics)
            return nil
        }
    }

    private mutating func parseCase(_ node: DocumentNode) -> RuleTestCase? {
        guard let f = reader.fields(node, what: .vi("phép kiểm thử", en: "the test"), allowed: Self.caseKeys, required: ["name", "as_of", "expect"]) else { return nil }
        let name = f["name"].flatMap { reader.text($0, what: .vi("tên phép kiểm thử", en: "the test name")) }
        let asOf = f["as_of"].flatMap { reader.date($0, what: .vi("ngày đánh giá (as_of)", en: "as_of")) }
        var dataset: Dataset? = nil
        var start: RuleTestCase.Start = .inline
        if let data = f["data"] {
            if let fixture = data.scalarText {
                start = .fixture(fixture)
                dataset = self.fixture(named: fixture, at: data.range)
            } else {
                dataset = decodeData(data)
            }
        } else if namesBase {
            dataset = base
            start = .base
        } else if f.misspelt["data"] == nil {
            reader.error(
                "missing-key", .vi("phép kiểm thử thiếu khoá bắt buộc 'data'", en: "the test is missing the required key 'data'"), at: node.range,
                hint: .vi("hãy thêm 'data:' (tên một bộ dữ liệu mẫu hoặc một bộ dữ liệu), hoặc ghi trường hợp gốc cho mọi phép kiểm thử ở đầu tệp ('base: …')", en: "add 'data:' (a fixture's name or a dataset), or name the base case of every test at the top of the file ('base: …')"))
        }
        if var data = dataset {
            if let carry = f["carry"] { applyCarry(carry, to: &data) }
            if let set = f["set"] { applySet(set, to: &data) }
            if let unset = f["unset"] { applyUnset(unset, to: &data) }
            dataset = data
        }
        var expectations: [RuleTestExpectation] = []
        if let list = f["expect"].flatMap({ reader.sequence($0, what: .vi("kết quả mong đợi (expect)", en: "expect")) }) {
            if list.isEmpty { reader.error("empty-expect", .vi("phép kiểm thử không có kết quả mong đợi nào", en: "the test expects nothing"), at: f["expect"]?.range, hint: .vi("hãy thêm ít nhất một dòng '- criterion: …, outcome: …'", en: "add at least one '- criterion: …, outcome: …'")) }
            for item in list { if let e = parseExpectation(item, dataset: dataset) { expectations.append(e) } }
        }
        guard let name, let asOf, let dataset else { return nil }
        return RuleTestCase(
            name: name, asOf: asOf, dataset: dataset, expectations: expectations, file: node.range.file, range: node.range,
            start: start, changed: f["carry"] != nil || f["set"] != nil || f["unset"] != nil)
    }

    /// The fixture of a name, or `nil` after reporting `tests.unknown-fixture` with a did-you-mean.
    private mutating func fixture(named name: String, at range: SourceRange) -> Dataset? {
        if let dataset = fixtures[name] { return dataset }
        let hint = Suggestion.hint(for: name, among: fixtures.keys.sorted())
        reader.error("unknown-fixture", .vi("không có bộ dữ liệu mẫu nào tên là '\(name)'", en: "there is no fixture named '\(name)'").appending(hint, separator: "; "), at: range,
            hint: hint == nil ? .vi("hãy định nghĩa nó dưới 'fixtures:' ở đầu tệp", en: "define it under 'fixtures:' at the top of the file") : nil)
        return nil
    }

    /// `carry: { from: 2024, to: 2025 }` (or `to: [2025, 2026]`): every fact every entity has in
    /// `from` is copied into each `to` year ("the same facts in 2025"), replacing a value given there;
    /// facts only the `to` year has are kept. Applied before `set` and `unset`.
    private mutating func applyCarry(_ node: DocumentNode, to dataset: inout Dataset) {
        guard let g = reader.fields(node, what: .vi("phần chép dữ kiện (carry)", en: "carry"), allowed: ["from", "to"], required: ["from", "to"],
            example: "'carry: { from: 2024, to: 2025 }'")
        else { return }
        let from = g["from"].flatMap { reader.integer($0, what: .vi("năm lấy dữ kiện (from)", en: "the year to carry from"), in: 1900...2100) }
        var targets: [Int] = []
        if let to = g["to"] {
            if case .sequence(let items) = to.kind {
                targets = items.compactMap { reader.integer($0, what: .vi("năm nhận dữ kiện (to)", en: "a year to carry to"), in: 1900...2100) }
            } else if let year = reader.integer(to, what: .vi("năm nhận dữ kiện (to)", en: "the year to carry to"), in: 1900...2100) {
                targets = [year]
            }
            if let from, targets.contains(from) {
                reader.error("invalid-value", .vi("'carry' chép dữ kiện năm \(from) sang chính năm đó", en: "'carry' copies the facts of \(from) onto the same year"), at: to.range,
                    hint: .vi("hãy ghi một năm khác ở 'to', ví dụ \(from + 1)", en: "give another year in 'to', such as \(from + 1)"))
                return
            }
        }
        // Each year once, so that a long list of the same year cannot multiply the work.
        targets = Array(Set(targets)).sorted()
        guard let from, !targets.isEmpty else { return }
        var carried = false
        for index in 0..<dataset.entities.count {
            guard let facts = dataset.entities[index].facts[from], !facts.isEmpty else { continue }
            carried = true
            for (name, fact) in facts.sorted(by: { $0.key < $1.key }) {
                for year in targets { dataset.setFact(fact, name: name, year: year, entity: index) }
            }
        }
        if !carried {
            reader.error("invalid-value", .vi("dữ liệu không có dữ kiện năm \(from) của đơn vị nào, nên không có gì để chép", en: "no entity of the data has facts for \(from), so there is nothing to carry"), at: g["from"]?.range,
                hint: .vi("hãy chép từ một năm mà dữ liệu có dữ kiện", en: "carry from a year the data gives facts for"))
        }
    }

    /// Walks `entity id → year → …` mappings, checking the entity exists.
    private mutating func eachEntityYear(
        _ node: DocumentNode, what: String, in dataset: Dataset, _ body: (inout Self, Int, Int, DocumentNode) -> Void
    ) {
        guard case .mapping(let entities) = node.kind else {
            reader.error("wrong-type", .vi("'\(what)' ghi mã đơn vị, rồi năm, rồi các dữ kiện", en: "'\(what)' maps entity ids to years to facts"), at: node.range, hint: .vi("hãy viết '\(what): { \"15970\": { 2024: … } }'", en: "write '\(what): { \"15970\": { 2024: … } }'"))
            return
        }
        for entityPair in entities {
            guard let id = entityPair.key.scalarText else { continue }
            guard let index = dataset.index(of: id) else {
                let hint = Suggestion.hint(for: id, among: dataset.entities.map(\.id))
                reader.error("unknown-entity", .vi("dữ liệu không có đơn vị '\(id)'", en: "the data has no entity '\(id)'").appending(hint, separator: "; "), at: entityPair.key.range)
                continue
            }
            guard case .mapping(let years) = entityPair.value.kind else {
                reader.error("wrong-type", .vi("'\(what)' ghi, cho mỗi đơn vị, các năm kèm dữ kiện", en: "'\(what)' gives, for each entity, years mapped to facts"), at: entityPair.value.range)
                continue
            }
            for yearPair in years {
                guard let year = reader.integer(yearPair.key, what: .vi("năm", en: "a year"), in: 1900...2100) else { continue }
                body(&self, index, year, yearPair.value)
            }
        }
    }

    private mutating func applySet(_ node: DocumentNode, to dataset: inout Dataset) {
        var changes: [(Int, Int, String, Fact?)] = []
        eachEntityYear(node, what: "set", in: dataset) { parser, entity, year, facts in
            guard case .mapping(let pairs) = facts.kind else {
                parser.reader.error("wrong-type", .vi("'set' ghi dữ kiện thành các dòng 'tên: giá trị'", en: "'set' gives facts as 'name: value' lines"), at: facts.range)
                return
            }
            for pair in pairs {
                let level = dataset.entities[entity].level
                guard let name = pair.key.scalarText, let input = parser.checkInput(name, at: pair.key.range, level: level) else { continue }
                if case .null = pair.value.kind {
                    changes.append((entity, year, name, nil))
                    continue
                }
                guard case .scalar(let text, let style) = pair.value.kind else {
                    parser.reader.error("wrong-type", .vi("'\(name)' cần một giá trị đơn", en: "'\(name)' expects a single value"), at: pair.value.range)
                    continue
                }
                switch FactTyping.value(text, written: .document(style), for: input) {
                case .success(let value): changes.append((entity, year, name, Fact(value, at: pair.value.range)))
                case .failure(let problem): parser.reader.error("wrong-type", problem.message, at: pair.value.range, hint: problem.hint)
                }
            }
        }
        for (entity, year, name, fact) in changes { dataset.setFact(fact, name: name, year: year, entity: entity) }
    }

    private mutating func applyUnset(_ node: DocumentNode, to dataset: inout Dataset) {
        var removals: [(Int, Int, String)] = []
        eachEntityYear(node, what: "unset", in: dataset) { parser, entity, year, list in
            guard let names = parser.reader.sequence(list, what: .vi("các dữ kiện cần bỏ (unset)", en: "the facts to unset")) else { return }
            for nameNode in names {
                let level = dataset.entities[entity].level
                guard let name = nameNode.scalarText, parser.checkInput(name, at: nameNode.range, level: level) != nil else { continue }
                removals.append((entity, year, name))
            }
        }
        for (entity, year, name) in removals { dataset.setFact(nil, name: name, year: year, entity: entity) }
    }

    /// The declaration of a fact a test sets or unsets for an entity at `level`: an undeclared name is
    /// `tests.unknown-fact`, a fact of another level `tests.wrong-level` (the data reader's messages and
    /// hints, `FactTyping.declaration`), so a test cannot pass by setting a fact no rule reads there.
    private mutating func checkInput(_ name: String, at range: SourceRange, level: Level) -> InputDeclaration? {
        var found = DiagnosticCollector(limit: limits.maxDiagnostics)
        let input = FactTyping.declaration(of: name, at: range, level: level, inputs: graph.inputs, diagnostics: &found)
        for diagnostic in found.diagnostics {
            let kind = diagnostic.id.rawValue.split(separator: ".").last.map(String.init) ?? "unknown-fact"
            reader.error(kind, diagnostic.text, at: diagnostic.range, hint: diagnostic.hintText)
        }
        return input
    }

    private mutating func parseExpectation(_ node: DocumentNode, dataset: Dataset?) -> RuleTestExpectation? {
        guard let f = reader.fields(node, what: .vi("kết quả mong đợi", en: "the expectation"), allowed: Self.expectationKeys, required: ["criterion", "outcome"]) else { return nil }
        var criterion: String? = nil
        if let c = f["criterion"], let id = reader.text(c, what: .vi("tiêu chí", en: "the criterion")) {
            if graph.criteria[id] == nil {
                let hint = Suggestion.hint(for: id, among: graph.order)
                reader.error("unknown-criterion", .vi("không có tiêu chí '\(id)'", en: "there is no criterion '\(id)'").appending(hint, separator: "; "), at: c.range,
                    hint: hint == nil ? .vi("các tiêu chí là \(graph.order.joined(separator: ", "))", en: "the criteria are \(graph.order.joined(separator: ", "))") : nil)
            } else {
                criterion = id
            }
        }
        let outcome = f["outcome"].flatMap { reader.choice($0, what: .vi("kết quả (outcome)", en: "outcome"), among: Outcome.allCases.map(\.rawValue)) }.flatMap(Outcome.init(rawValue:))
        var entity: String? = nil
        if let e = f["entity"] {
            entity = reader.text(e, what: .vi("đơn vị", en: "the entity"))
            if let id = entity, let dataset, dataset.index(of: id) == nil {
                let hint = Suggestion.hint(for: id, among: dataset.entities.map(\.id))
                reader.error("unknown-entity", .vi("dữ liệu không có đơn vị '\(id)'", en: "the data has no entity '\(id)'").appending(hint, separator: "; "), at: e.range)
                entity = nil
            }
        } else if let criterion, let dataset, let level = graph.level(of: criterion) {
            let candidates = dataset.indices(at: level)
            if candidates.count == 1 {
                entity = dataset.entities[candidates[0]].id
            } else {
                reader.error("missing-key", .vi("dữ liệu có \(candidates.count) đơn vị ở cấp \(level.vietnamese); hãy ghi rõ đơn vị nào bằng 'entity:'", en: "the data has \(candidates.count) entities at the \(level.name) level; say which one with 'entity:'"),
                    at: node.range)
            }
        }
        var reasons: [String]? = nil
        if let r = f["reasons"], let list = reader.sequence(r, what: .vi("lý do (reasons)", en: "reasons")) {
            reasons = list.compactMap { reader.text($0, what: .vi("mã điều kiện", en: "a condition id")) }
            if let criterion, let ids = Optional(conditionIDs(of: criterion)) {
                for (item, id) in zip(list, reasons ?? []) where !ids.contains(id) {
                    reader.error("unknown-condition", .vi("tiêu chí '\(criterion)' không có điều kiện '\(id)'", en: "criterion '\(criterion)' has no condition '\(id)'"), at: item.range,
                        hint: Suggestion.hint(for: id, among: ids.sorted()))
                }
            }
        }
        let snapshot = f["snapshot"].flatMap { reader.bool($0, what: .vi("ảnh chụp (snapshot)", en: "snapshot")) } ?? false
        guard let criterion, let outcome, let entity else { return nil }
        return RuleTestExpectation(criterion: criterion, entity: entity, outcome: outcome, reasons: reasons, snapshot: snapshot, range: node.range)
    }

    private func conditionIDs(of criterion: String) -> Set<String> {
        Set((graph.criteria[criterion] ?? []).flatMap { $0.root.allNodes.map(\.id) })
    }
}
