import Foundation

/// Reads a folder (or list) of rule files, checks them as a whole, and builds the `RuleGraph`.
///
/// Every problem in every file is collected before anything is thrown: unknown names, type errors,
/// duplicate ids, overlapping versions, cycles between criteria.
public enum RuleSetLoader {
    /// Folders under the rules folder that hold other kinds of file (rule tests, province plans).
    package static let excludedFolders: Set<String> = ["tests", "plans"]

    /// The rule files under a path: the file itself, or every `.yaml`/`.yml` below a folder except
    /// those in `tests/` and `plans/`, sorted by path.
    public static func ruleFiles(at path: String) throws -> [String] {
        try FileFinder.yamlFiles(at: path) { components in
            !components.dropLast().contains { excludedFolders.contains($0) }
        }
    }

    /// Every `.yaml`/`.yml` file under a rules folder (rules, tests and plans), as the one walker finds
    /// them (`FileFinder`): links inside the folder followed, anything unsafe an error.
    package static func allFiles(at path: String) throws -> [String] {
        try FileFinder.yamlFiles(at: path) { _ in true }
    }

    /// Loads and checks every rule file under `path`.
    ///
    /// - Returns: the graph, whose `diagnostics` hold the warnings and notes.
    /// - Throws: `EnvironmentError` when a file cannot be read; `DiagnosticsError` with every problem.
    public static func load(path: String, limits: Limits = .default) throws -> RuleGraph {
        try load(files: [], context: path, limits: limits)
    }

    /// Loads rule files checked against a context rule folder.
    ///
    /// The given files stand in for the context's files that define the same criteria (or the inputs),
    /// so an edited copy of a rule can be checked against the rest of the rule set.
    ///
    /// - Parameters:
    ///   - files: rule files to check, each reported on.
    ///   - context: the rules folder that supplies inputs, parameters and other criteria, if any.
    public static func load(files: [String], context: String?, limits: Limits = .default) throws -> RuleGraph {
        var diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
        var given: [SourceFile] = []
        for file in files { if let source = try read(file, limits: limits, into: &diagnostics) { given.append(source) } }
        return try load(given: given, paths: files, context: context, diagnostics: diagnostics, limits: limits)
    }

    /// Loads rule files held in memory (such as a rule edited in a browser) checked against a context
    /// rule folder, like `load(files:context:limits:)`.
    ///
    /// A source whose `path` names a file of the context stands in for that file; a source that
    /// defines a criterion (or declares inputs) stands in for the context file that defines it.
    ///
    /// - Parameters:
    ///   - sources: the rule texts, each reported on under its `path`.
    ///   - removed: paths of the context's files to leave out (files a change set removes).
    ///   - context: the rules folder that supplies inputs, parameters and other criteria, if any.
    package static func load(sources: [SourceFile], removed: [String] = [], context: String?, limits: Limits = .default) throws -> RuleGraph {
        var diagnostics = DiagnosticCollector(limit: limits.maxDiagnostics)
        var given: [SourceFile] = []
        for source in sources {
            if source.text.utf8.count > limits.maxRuleFileBytes {
                diagnostics.emit(
                    Diagnostic(
                        "limits.file-size", .error,
                        .vi("tệp có \(source.text.utf8.count) byte, vượt giới hạn \(limits.maxRuleFileBytes)", en: "the file has \(source.text.utf8.count) bytes, more than the limit of \(limits.maxRuleFileBytes)"),
                        at: SourceRange(file: source.path, line: 1, column: 1), hint: .vi("hãy tách tệp", en: "split the file")))
                continue
            }
            given.append(source)
        }
        return try load(given: given, paths: sources.map(\.path) + removed, context: context, diagnostics: diagnostics, limits: limits)
    }

    /// Parses rule sources, given and from the context folder. The file that declares the levels
    /// (`levels.yaml`) is read first (a given one stands in for the context's), and the others'
    /// `level:` names are read against its map (the standard map when no file declares levels).
    /// When the levels file has errors, nothing else is parsed (`map` is `nil`): every other file's
    /// levels depend on it, and their errors would only repeat its mistakes.
    private static func parse(
        given: [SourceFile], context: [SourceFile], limits: Limits, into diagnostics: inout DiagnosticCollector
    ) -> (given: [RuleFile], context: [RuleFile], map: LevelMap?) {
        func documents(_ sources: [SourceFile]) -> [(source: SourceFile, root: DocumentNode)] {
            sources.compactMap { source in
                switch RuleFileParser.document(source, limits: limits) {
                case .success(let root): return (source, root)
                case .failure(let error):
                    diagnostics.emit(contentsOf: error.diagnostics)
                    return nil
                }
            }
        }
        let givenDocuments = documents(given)
        let contextDocuments = documents(context)
        let givenLevels = givenDocuments.filter { RuleFileParser.declaresLevels($0.root) }
        let levelDocuments = givenLevels.isEmpty ? contextDocuments.filter { RuleFileParser.declaresLevels($0.root) } : givenLevels
        var levelFiles: [RuleFile] = []
        var mapDiagnostics = DiagnosticCollector(limit: diagnostics.limit)
        defer { diagnostics.emit(contentsOf: mapDiagnostics.diagnostics) }
        for (source, root) in levelDocuments {
            let (parsed, found) = RuleFileParser.parse(root, of: source, limits: limits)
            mapDiagnostics.emit(contentsOf: found)
            if let parsed { levelFiles.append(parsed) }
        }
        let map = levelDocuments.isEmpty ? LevelMap.standard : LevelMapChecker.map(of: levelFiles, diagnostics: &mapDiagnostics)
        if mapDiagnostics.hasErrors {
            mapDiagnostics.emit(
                Diagnostic(
                    "rules.names-not-checked", .note,
                    .vi("các tệp quy tắc khác chưa được kiểm tra vì tệp các cấp có lỗi; hãy sửa tệp đó trước", en: "the other rule files were not checked, because the levels file has errors; fix it first"),
                    at: levelDocuments.first.map { SourceRange(file: $0.source.path, line: 1, column: 1) }))
            return ([], [], nil)
        }
        func files(_ documents: [(source: SourceFile, root: DocumentNode)]) -> [RuleFile] {
            documents.compactMap { source, root in
                guard !RuleFileParser.declaresLevels(root) else { return nil }
                let (parsed, found) = RuleFileParser.parse(root, of: source, map: map, limits: limits)
                diagnostics.emit(contentsOf: found)
                return parsed
            }
        }
        return (files(givenDocuments), files(contextDocuments), map)
    }

    private static func load(
        given sources: [SourceFile], paths files: [String], context: String?, diagnostics initial: DiagnosticCollector, limits: Limits
    ) throws -> RuleGraph {
        var diagnostics = initial
        var contextSources: [SourceFile] = []
        var contextPaths = Set<String>()
        if let context {
            let paths = try ruleFiles(at: context)
            contextPaths = Set(paths.map { ($0 as NSString).standardizingPath })
            let standardizedGiven = Set(files.map { ($0 as NSString).standardizingPath })
            if paths.isEmpty {
                diagnostics.emit(
                    Diagnostic(
                        "rules.no-files", .error, .vi("không tìm thấy tệp quy tắc (.yaml) nào", en: "no rule files (.yaml) found"), at: SourceRange(file: context, line: 1, column: 1),
                        hint: .vi("hãy trỏ --rules vào thư mục chứa inputs.yaml và các tệp tiêu chí", en: "point --rules at the folder that holds inputs.yaml and the criterion files")))
            }
            for path in paths where !standardizedGiven.contains((path as NSString).standardizingPath) {
                if let source = try read(path, limits: limits, into: &diagnostics) { contextSources.append(source) }
            }
        }
        let parsed = parse(given: sources, context: contextSources, limits: limits, into: &diagnostics)
        guard let map = parsed.map else { throw DiagnosticsError(diagnostics.sorted) }
        let given = parsed.given
        // A new file stands in for the context's files that define its criterion (or, when it declares
        // inputs, for the context's input files); an edited copy of a context file (same path) stands
        // in for that file alone (`inputs.yaml` beside `inputs-unit.yaml`).
        let new = given.filter { !contextPaths.contains(($0.path as NSString).standardizingPath) }
        let givenIDs = Set(new.compactMap { $0.criterion?.id })
        let givenDeclaresInputs = new.contains { !$0.inputs.isEmpty }
        let contextFiles = parsed.context.compactMap { file -> RuleFile? in
            if let id = file.criterion?.id, givenIDs.contains(id) { return nil }
            if givenDeclaresInputs && !file.inputs.isEmpty { return nil }
            return file
        }
        let unreadable = diagnostics.diagnostics.filter { $0.severity == .error && Self.isFatalToFile($0.id) }
            .compactMap { $0.range?.file }
        do {
            return try check(contextFiles + given, map: map, diagnostics: diagnostics, limits: limits)
        } catch {
            guard let first = unreadable.first else { throw error }
            // A file that could not be read at all declares nothing, so names it declares look unknown
            // elsewhere: leave those consequential errors out and say why.
            var kept = error.diagnostics.filter { !Self.cascadingNameErrors.contains($0.id) }
            kept.append(
                Diagnostic(
                    "rules.names-not-checked", .note,
                    .vi("chưa kiểm tra các tên được khai báo trong những tệp không đọc được (\(Set(unreadable).sorted().joined(separator: ", "))); hãy sửa các tệp đó trước", en: "names declared in files that could not be read (\(Set(unreadable).sorted().joined(separator: ", "))) were not checked; fix those files first"),
                    at: SourceRange(file: first, line: 1, column: 1)))
            throw DiagnosticsError(kept)
        }
    }

    /// Name-resolution errors that a file failing to parse would cause in other files.
    static let cascadingNameErrors: Set<DiagnosticID> = ["rules.unknown-input", "rules.unknown-criterion", "rules.unknown-parameter", "rules.unknown-member"]

    /// Whether a diagnostic means its whole file could not be read (so it declares nothing).
    static func isFatalToFile(_ id: DiagnosticID) -> Bool {
        ["yaml.", "source.", "limits.file-size", "limits.nesting", "limits.key-length", "limits.scalar-length"].contains {
            id.rawValue.hasPrefix($0)
        }
    }

    /// A rule file's text, or `nil` after reporting why it cannot be read.
    private static func read(_ path: String, limits: Limits, into diagnostics: inout DiagnosticCollector) throws -> SourceFile? {
        do {
            return try SourceReader.read(path: path, maxBytes: limits.maxRuleFileBytes)
        } catch let error as DiagnosticsError {
            diagnostics.emit(contentsOf: error.diagnostics)
            return nil
        }
    }

    /// Checks parsed rule files as one rule set and builds the graph.
    ///
    /// - Parameters:
    ///   - files: the parsed rule files.
    ///   - initial: diagnostics already found (while parsing); a new collector that keeps
    ///     `limits.maxDiagnostics` when `nil`.
    ///   - map: the levels the files were parsed against; made from the files' level declarations
    ///     (the standard map when none declares any) when `nil`.
    ///   - limits: the graph depth and diagnostic limits.
    public static func check(
        _ files: [RuleFile], map known: LevelMap? = nil, diagnostics initial: DiagnosticCollector? = nil, limits: Limits = .default
    ) throws(DiagnosticsError) -> RuleGraph {
        var diagnostics = initial ?? DiagnosticCollector(limit: limits.maxDiagnostics)
        let map = known ?? LevelMapChecker.map(of: files, diagnostics: &diagnostics)
        // Inputs.
        var inputs: [InputDeclaration] = []
        var seenInputs: [String: SourceRange?] = [:]
        for declaration in files.flatMap(\.inputs) {
            if let first = seenInputs[declaration.name] {
                diagnostics.emit(duplicate(.vi("đầu vào", en: "input"), declaration.name, at: declaration.range, first: first ?? nil))
            } else {
                seenInputs[declaration.name] = declaration.range
                inputs.append(declaration)
            }
        }
        // Parameters.
        var parameters: [String: Parameter] = [:]
        for p in files.flatMap(\.parameters) {
            if let first = parameters[p.name] {
                diagnostics.emit(duplicate(.vi("tham số", en: "parameter"), p.name, at: p.nameRange, first: first.range))
                continue
            }
            if inputs.contains(where: { $0.name == p.name }) {
                diagnostics.emit(
                    Diagnostic("rules.duplicate-id", .error, .vi("'\(p.name)' đã là tên của một đầu vào", en: "'\(p.name)' is already the name of an input"), at: p.nameRange,
                        hint: .vi("hãy đặt tên khác cho tham số", en: "give the parameter another name")))
            }
            parameters[p.name] = Parameter(name: p.name, title: p.title, type: p.type, source: p.source, values: p.values, range: p.nameRange)
        }
        // Criteria: levels first, so expressions can refer to any criterion.
        let syntaxes = files.compactMap(\.criterion)
        var levels: [String: Level] = [:]
        for c in syntaxes {
            if let level = levels[c.id], level != c.level {
                diagnostics.emit(
                    Diagnostic("rules.level-mismatch", .error, .vi("các phiên bản của '\(c.id)' áp dụng cho các cấp khác nhau (\(level.vietnamese) và \(c.level.vietnamese))", en: "versions of '\(c.id)' apply to different levels (\(level.name) and \(c.level.name))"),
                        at: c.idRange))
            } else {
                levels[c.id] = c.level
            }
        }
        LevelMapChecker.checkNames(map, inputs: inputs, parameters: Array(parameters.keys), diagnostics: &diagnostics)
        let names = NameTable(inputs: InputCatalog(inputs, map: map), parameters: files.flatMap(\.parameters).reduce(into: [:]) { $0[$1.name] = $0[$1.name] ?? $1 }, criterionLevels: levels)
        var criteria: [String: [CriterionVersion]] = [:]
        var callSites: [String: [(id: String, range: SourceRange)]] = [:]
        for c in syntaxes {
            var compiler = ConditionCompiler(names: names, level: c.level, criterionID: c.id)
            let root = compiler.compile(c.root, parentPath: nil, inheritedSource: c.source)
            diagnostics.emit(contentsOf: compiler.diagnostics)
            diagnostics.emit(contentsOf: ClauseWindows.check(c))
            guard let root, let source = c.source, let title = c.title else { continue }
            var version = CriterionVersion(
                id: c.id, title: title, level: c.level, inForce: c.inForce, period: c.period ?? .calendar, kinds: c.kinds,
                source: source, description: c.description, root: root, file: c.idRange.file,
                dependencies: Array(Set(compiler.dependencies.map(\.id))).sorted())
            version.resolveClauseWindows()
            for earlier in criteria[c.id] ?? [] where earlier.inForce.overlaps(c.inForce) {
                diagnostics.emit(
                    Diagnostic(
                        "rules.overlapping-periods", .error,
                        .vi("hai phiên bản của '\(c.id)' cùng có hiệu lực trong những ngày trùng nhau (\(earlier.inForce.text(in: .vi)) và \(c.inForce.text(in: .vi)))", en: "two versions of '\(c.id)' are in force on the same days (\(earlier.inForce.text(in: .en)) and \(c.inForce.text(in: .en)))"),
                        at: c.inForceRange, notes: [DiagnosticNote(.vi("phiên bản kia", en: "the other version"), at: SourceRange(file: earlier.file, line: 1, column: 1))],
                        hint: .vi("hãy cho phiên bản cũ hết hiệu lực vào ngày trước khi phiên bản mới bắt đầu ('until:')", en: "end the older version the day before the newer one starts ('until:')")))
            }
            criteria[c.id, default: []].append(version)
            callSites[c.id, default: []].append(contentsOf: compiler.dependencies)
        }
        for id in criteria.keys { criteria[id]?.sort { $0.inForce.from < $1.inForce.from } }
        let order = DependencyOrder.resolve(callSites: callSites, ids: criteria.keys.sorted(), limits: limits, diagnostics: &diagnostics)
        // Provisional clauses are notes: shown by `lint --strict`, never a failure.
        for versions in criteria.values {
            for version in versions {
                for node in version.root.allNodes where node.source?.status == .provisional {
                    let own = node.path == version.id || node.source != version.source
                    guard own else { continue }
                    diagnostics.emit(
                        Diagnostic(
                            "rules.provisional", .note,
                            .vi("điều khoản '\(node.path)' là tạm thời: \(node.source?.note(in: .vi) ?? "câu chữ chưa được xác nhận")", en: "clause '\(node.path)' is provisional: \(node.source?.note(in: .en) ?? "its wording is not confirmed")"),
                            at: node.source?.range ?? node.range))
                }
            }
        }
        for parameter in parameters.values.sorted(by: { $0.name < $1.name }) where parameter.source?.status == .provisional {
            diagnostics.emit(
                Diagnostic(
                    "rules.provisional", .note,
                    .vi("tham số '\(parameter.name)' là tạm thời: \(parameter.source?.note(in: .vi) ?? "giá trị chưa được xác nhận")", en: "parameter '\(parameter.name)' is provisional: \(parameter.source?.note(in: .en) ?? "its value is not confirmed")"),
                    at: parameter.source?.range ?? parameter.range))
        }
        try diagnostics.throwIfErrors()
        return RuleGraph(
            inputs: InputCatalog(inputs, map: map), parameters: parameters, criteria: criteria, order: order,
            diagnostics: diagnostics.sorted)
    }

    static func duplicate(_ what: LocalizedText, _ name: String, at range: SourceRange?, first: SourceRange?) -> Diagnostic {
        Diagnostic(
            "rules.duplicate-id", .error, .vi("\(what.vi) '\(name)' được khai báo hai lần", en: "the \(what.english) '\(name)' is declared twice"), at: range,
            notes: [DiagnosticNote(.vi("khai báo lần đầu ở đây", en: "first declared here"), at: first)], hint: .vi("hãy bỏ một, hoặc đặt tên khác", en: "remove one, or give it another name"))
    }
}

/// Compiles the conditions of one criterion, checking ids, titles and expressions.
struct ConditionCompiler {
    let names: NameTable
    let level: Level
    let criterionID: String
    var diagnostics: [Diagnostic] = []
    var dependencies: [(id: String, range: SourceRange)] = []
    private var seenIDs: [String: SourceRange] = [:]

    init(names: NameTable, level: Level, criterionID: String) {
        self.names = names
        self.level = level
        self.criterionID = criterionID
    }

    /// A group being compiled: its condition, path and inherited source, and its conditions so far.
    private struct OpenGroup {
        var syntax: ConditionSyntax
        var path: String
        var source: Citation?
        var kind: GroupKind
        var children: [ConditionSyntax]
        var next = 0
        var compiled: [ConditionNode] = []
    }

    /// Compiles a condition and, for a group, every condition in it, depth first in document order,
    /// with an explicit stack of open groups (nesting costs no thread stack). A group compiles only
    /// when all its conditions do; every condition is checked either way.
    mutating func compile(_ root: ConditionSyntax, parentPath: String?, inheritedSource: Citation?) -> ConditionNode? {
        var stack: [OpenGroup] = []
        var done = open(root, parentPath: parentPath, inheritedSource: inheritedSource, onto: &stack)
        while true {
            if let node = done {
                guard !stack.isEmpty else { return node }
                if let node { stack[stack.count - 1].compiled.append(node) }
                done = nil
            }
            guard let top = stack.last else { return nil }
            if top.next < top.children.count {
                stack[stack.count - 1].next += 1
                done = open(top.children[top.next], parentPath: top.path, inheritedSource: top.source, onto: &stack)
            } else {
                stack.removeLast()
                let body: ConditionNode.Body? = top.compiled.count == top.children.count ? .group(top.kind, top.compiled) : nil
                done = .some(finish(top.syntax, path: top.path, source: top.source, body: body))
            }
        }
    }

    /// A leaf condition compiled (`.some(nil)` when it has errors), or a group pushed on `stack` (`nil`).
    private mutating func open(
        _ syntax: ConditionSyntax, parentPath: String?, inheritedSource: Citation?, onto stack: inout [OpenGroup]
    ) -> ConditionNode?? {
        let path = register(syntax, parentPath: parentPath)
        let source = syntax.source ?? inheritedSource
        guard case .group(let kind, let children) = syntax.body else {
            return .some(finish(syntax, path: path, source: source, body: compileCheck(syntax)))
        }
        stack.append(OpenGroup(syntax: syntax, path: path, source: source, kind: kind, children: children))
        return nil
    }

    private func finish(_ syntax: ConditionSyntax, path: String, source: Citation?, body: ConditionNode.Body?) -> ConditionNode? {
        guard let body, let title = syntax.title else { return nil }
        return ConditionNode(
            id: syntax.id, path: path, title: title, source: source, body: body, explain: syntax.explain, range: syntax.range,
            inForce: syntax.inForce)
    }

    /// The condition's full path; reports an id used twice in the criterion.
    private mutating func register(_ syntax: ConditionSyntax, parentPath: String?) -> String {
        let path = parentPath.map { "\($0)/\(syntax.id)" } ?? syntax.id
        if parentPath != nil {
            if let first = seenIDs[syntax.id] {
                diagnostics.append(
                    Diagnostic("rules.duplicate-id", .error, .vi("mã điều kiện '\(syntax.id)' bị dùng hai lần trong '\(criterionID)'", en: "the condition id '\(syntax.id)' is used twice in '\(criterionID)'"),
                        at: syntax.idRange, notes: [DiagnosticNote(.vi("dùng lần đầu ở đây", en: "first used here"), at: first)],
                        hint: .vi("hãy đặt cho mỗi điều kiện một mã riêng", en: "give each condition its own id")))
            } else {
                seenIDs[syntax.id] = syntax.idRange
            }
        }
        return path
    }

    /// A leaf condition's expression, checked and compiled.
    private mutating func compileCheck(_ syntax: ConditionSyntax) -> ConditionNode.Body? {
        guard case .check(let expressionSource, let expression) = syntax.body else { return nil }
        var checker = ExpressionChecker(names: names, source: expressionSource, level: level)
        let compiled = checker.checkCondition(expression)
        diagnostics.append(contentsOf: checker.diagnostics)
        dependencies.append(contentsOf: checker.dependencies)
        return compiled.map { .check($0, expressionSource) }
    }
}
