/// Checks the levels a rules folder declares (`levels.yaml`) and makes its `LevelMap`.
///
/// Every mistake is a located diagnostic with a fix, like any rule file: a level declared twice, two
/// levels with one collection, a parent that is not declared (with *did you mean*), a level that is
/// its own ancestor, a kind or group listed twice. The map is still made from what could be read, so
/// that the rest of the rules are checked in the same run.
enum LevelMapChecker {
    /// The words an expression reads on an entity: a collection may not be named like one.
    static let reservedNames: Set<String> = ["id", "name", "group", "kind"]

    /// The map of the levels declared in `files` (the standard map when none declares any), with
    /// every problem found.
    static func map(of files: [RuleFile], diagnostics: inout DiagnosticCollector) -> LevelMap {
        let declaring = files.filter { !$0.levels.isEmpty }
        guard let first = declaring.first else { return .standard }
        for other in declaring.dropFirst() {
            diagnostics.emit(
                Diagnostic(
                    "rules.duplicate-id", .error, .vi("các cấp đã được khai báo trong \(first.path)", en: "the levels are already declared in \(first.path)"),
                    at: other.levels.first?.range ?? SourceRange(file: other.path, line: 1, column: 1),
                    notes: [DiagnosticNote(.vi("khai báo lần đầu ở đây", en: "first declared here"), at: first.levels.first?.range)],
                    hint: .vi("hãy khai báo mọi cấp trong một tệp levels.yaml", en: "declare every level in one levels.yaml file")))
        }
        return map(of: first.levels, diagnostics: &diagnostics)
    }

    /// The map of one file's declarations, with every problem found.
    static func map(of declarations: [LevelDeclaration], diagnostics: inout DiagnosticCollector) -> LevelMap {
        var kept: [LevelDeclaration] = []
        var byName: [String: SourceRange?] = [:]
        var byCollection: [String: (level: String, range: SourceRange?)] = [:]
        for declaration in declarations {
            if let first = byName[declaration.name] {
                diagnostics.emit(RuleSetLoader.duplicate(.vi("cấp", en: "level"), declaration.name, at: declaration.range, first: first ?? nil))
                continue
            }
            if let other = byCollection[declaration.collection] {
                diagnostics.emit(
                    Diagnostic(
                        "rules.duplicate-id", .error,
                        .vi("danh sách '\(declaration.collection)' đã là của cấp '\(other.level)'", en: "the collection '\(declaration.collection)' is already the level '\(other.level)''s"),
                        at: declaration.range, notes: [DiagnosticNote(.vi("cấp kia", en: "the other level"), at: other.range)],
                        hint: .vi("hãy đặt 'collection:' khác cho cấp '\(declaration.name)'", en: "give the level '\(declaration.name)' another 'collection:'")))
                continue
            }
            if reservedNames.contains(declaration.collection) {
                diagnostics.emit(
                    Diagnostic(
                        "rules.duplicate-id", .error,
                        .vi("'\(declaration.collection)' là tên dành riêng (\(reservedNames.sorted().joined(separator: ", "))), không dùng làm tên danh sách được", en: "'\(declaration.collection)' is a reserved word (\(reservedNames.sorted().joined(separator: ", "))) and cannot name a collection"),
                        at: declaration.range, hint: .vi("hãy đặt 'collection:' khác", en: "choose another 'collection:'")))
                continue
            }
            byName[declaration.name] = declaration.range
            byCollection[declaration.collection] = (declaration.name, declaration.range)
            kept.append(declaration)
        }
        let names = kept.map(\.name)
        for (index, declaration) in kept.enumerated() {
            var parents: [String] = []
            for (position, parent) in declaration.parents.enumerated() {
                let place = position < declaration.parentRanges.count ? declaration.parentRanges[position] : declaration.range
                if parent == declaration.name {
                    diagnostics.emit(
                        Diagnostic(
                            "rules.level-cycle", .error, .vi("cấp '\(parent)' không thể là cấp trên của chính nó", en: "the level '\(parent)' cannot be its own parent"),
                            at: place, hint: .vi("hãy bỏ '\(parent)' khỏi 'parents'", en: "remove '\(parent)' from 'parents'")))
                } else if byName[parent] == nil {
                    diagnostics.emit(
                        Diagnostic(
                            "rules.unknown-level", .error, .vi("cấp trên '\(parent)' của '\(declaration.name)' chưa được khai báo", en: "the parent '\(parent)' of '\(declaration.name)' is not declared"),
                            at: place,
                            hint: Suggestion.hint(for: parent, among: names)
                                ?? .vi("hãy khai báo cấp '\(parent)', hoặc chọn một trong: \(names.joined(separator: ", "))", en: "declare the level '\(parent)', or choose one of: \(names.joined(separator: ", "))")))
                } else if !parents.contains(parent) {
                    parents.append(parent)
                }
            }
            kept[index].parents = parents
            emitDuplicates(declaration.kinds.map(\.value), what: .vi("loại", en: "kind"), in: declaration, diagnostics: &diagnostics)
            kept[index].kinds = declaration.kinds.reduce(into: []) { list, kind in
                if !list.contains(where: { $0.value == kind.value }) { list.append(kind) }
            }
            emitDuplicates(declaration.groups.map(String.init), what: .vi("nhóm", en: "group"), in: declaration, diagnostics: &diagnostics)
            kept[index].groups = declaration.groups.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        }
        // A cycle: a level that reaches itself through its parents. Each cycle is reported once, at
        // the first of its levels in the file; its levels lose their parents in the map.
        let indexByName = Dictionary(kept.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var reported = Set<Int>()
        for start in kept.indices where !reported.contains(start) {
            var frontier = kept[start].parents.compactMap { indexByName[$0] }.map { [start, $0] }
            var cycle: [Int]?
            var seen = Set<Int>()
            while let next = frontier.popLast(), cycle == nil {
                guard let last = next.last else { continue }
                if last == start { cycle = next; break }
                guard seen.insert(last).inserted else { continue }
                frontier += kept[last].parents.compactMap { indexByName[$0] }.map { next + [$0] }
            }
            guard let path = cycle else { continue }
            let chain = path.map { kept[$0].name }.joined(separator: " → ")
            diagnostics.emit(
                Diagnostic(
                    "rules.level-cycle", .error, .vi("các cấp tạo thành vòng: \(chain)", en: "the levels form a cycle: \(chain)"),
                    at: kept[start].range, hint: .vi("một cấp không thể nằm dưới chính nó; hãy bỏ một cấp trên trong vòng", en: "a level cannot sit below itself; remove one parent of the cycle")))
            for member in path {
                reported.insert(member)
                kept[member].parents = []
            }
        }
        return LevelMap(kept)
    }

    private static func emitDuplicates(
        _ values: [String], what: LocalizedText, in declaration: LevelDeclaration, diagnostics: inout DiagnosticCollector
    ) {
        var seen = Set<String>()
        for value in values where !seen.insert(value).inserted {
            diagnostics.emit(
                Diagnostic(
                    "rules.duplicate-id", .error, .vi("\(what.vi) '\(value)' của cấp '\(declaration.name)' được liệt kê hai lần", en: "the \(what.english) '\(value)' of the level '\(declaration.name)' is listed twice"),
                    at: declaration.range, hint: .vi("hãy bỏ một", en: "remove one")))
        }
    }

    /// Reports collections named like an input or a parameter: an expression could not tell them apart.
    static func checkNames(
        _ map: LevelMap, inputs: [InputDeclaration], parameters: [String], diagnostics: inout DiagnosticCollector
    ) {
        for declaration in map.declarations {
            if let input = inputs.first(where: { $0.name == declaration.collection }) {
                diagnostics.emit(
                    Diagnostic(
                        "rules.duplicate-id", .error,
                        .vi("danh sách '\(declaration.collection)' của cấp '\(declaration.name)' trùng tên một đầu vào", en: "the collection '\(declaration.collection)' of the level '\(declaration.name)' has the name of an input"),
                        at: declaration.range, notes: [DiagnosticNote(.vi("đầu vào khai báo ở đây", en: "the input is declared here"), at: input.range)],
                        hint: .vi("hãy đổi tên đầu vào, hoặc đặt 'collection:' khác cho cấp", en: "rename the input, or give the level another 'collection:'")))
            } else if parameters.contains(declaration.collection) {
                diagnostics.emit(
                    Diagnostic(
                        "rules.duplicate-id", .error,
                        .vi("danh sách '\(declaration.collection)' của cấp '\(declaration.name)' trùng tên một tham số", en: "the collection '\(declaration.collection)' of the level '\(declaration.name)' has the name of a parameter"),
                        at: declaration.range, hint: .vi("hãy đổi tên tham số, hoặc đặt 'collection:' khác cho cấp", en: "rename the parameter, or give the level another 'collection:'")))
            }
        }
    }
}
