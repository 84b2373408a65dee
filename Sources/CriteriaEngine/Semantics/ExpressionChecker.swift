import Foundation

/// Resolves names and checks types in one expression, producing a `CompiledExpression`.
///
/// Every problem is a diagnostic at the exact place in the YAML file. The checker also records which
/// other criteria the expression depends on (through `meets`), for cycle detection and ordering.
struct ExpressionChecker {
    let names: NameTable
    let source: ExpressionSource
    let level: Level
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var dependencies: [(id: String, range: SourceRange)] = []
    private(set) var slotCount = 0
    private var scopes: [(name: String, slot: Int, level: Level)] = []

    /// The functions of the language, for messages and did-you-mean.
    static let functions = [
        "all", "exists", "filter", "size", "share", "count", "sum", "last_year", "in_year", "meets", "date", "has",
    ]

    /// Words people write for truth values, and the literal to write instead.
    static let booleanLookalikes: [String: String] = [
        "yes": "true", "Yes": "true", "YES": "true", "on": "true", "True": "true", "TRUE": "true",
        "no": "false", "No": "false", "NO": "false", "off": "false", "False": "false", "FALSE": "false",
    ]

    init(names: NameTable, source: ExpressionSource, level: Level) {
        self.names = names
        self.source = source
        self.level = level
    }

    private mutating func error(_ id: DiagnosticID, _ message: LocalizedText, at e: Expression, hint: LocalizedText? = nil) {
        diagnostics.append(Diagnostic(id, .error, message, at: source.range(of: e), hint: hint))
    }

    private func make(_ kind: CompiledExpression.Kind, _ type: ValueType, _ e: Expression) -> CompiledExpression {
        CompiledExpression(kind, type: type, offset: e.offset, length: e.length)
    }

    /// Checks an expression that must be a truth value (a condition's `check`).
    mutating func checkCondition(_ e: Expression) -> CompiledExpression? {
        guard let compiled = check(e) else { return nil }
        if compiled.type != .bool {
            error(
                "rules.not-boolean", .vi("biểu thức kiểm tra phải cho giá trị đúng/sai, nhưng biểu thức này là \(compiled.type.vietnamese)", en: "a check must be true or false, but this expression is \(compiled.type)"), at: e,
                hint: compiled.type.isNumber ? .vi("hãy so sánh với một ngưỡng, ví dụ '… >= 1'", en: "compare it with a threshold, e.g. '… >= 1'") : .vi("hãy so sánh với một giá trị", en: "compare it with a value"))
            return nil
        }
        return compiled
    }

    /// Checks an expression and compiles it.
    ///
    /// This function and the one it calls for each kind of node are on the stack once per level of
    /// the expression tree, so they are kept small: a node's children are checked first, then a
    /// separate function (which does not recurse) types the node and reports its problems.
    mutating func check(_ e: Expression) -> CompiledExpression? {
        switch e.kind {
        case .number(let value, let isPercent):
            return make(.constant(.number(value)), .number(percent: isPercent), e)
        case .string(let text):
            return make(.constant(.text(text)), .text, e)
        case .bool(let value):
            return make(.constant(.bool(value)), .bool, e)
        case .identifier(let name):
            return resolve(name: name, subject: nil, subjectLevel: level, at: e)
        case .list: return checkList(e)
        case .member: return checkMember(e)
        case .unary: return checkUnary(e)
        case .binary: return checkBinary(e)
        case .conditional: return checkConditional(e)
        case .call: return checkCall(e)
        }
    }

    private mutating func checkList(_ e: Expression) -> CompiledExpression? {
        guard case .list(let items) = e.kind else { return nil }
        let compiled = items.compactMap { check($0) }
        guard compiled.count == items.count else { return nil }
        return typeList(items, compiled, e)
    }

    private mutating func typeList(_ items: [Expression], _ compiled: [CompiledExpression], _ e: Expression) -> CompiledExpression? {
        let elementType = compiled.first?.type ?? .text
        for (item, c) in zip(items, compiled) where !c.type.isComparable(with: elementType) {
            error("rules.type-mismatch", .vi("danh sách phải gồm các giá trị cùng một kiểu, nhưng giá trị này là \(c.type.vietnamese)", en: "a list must hold values of one type, but this is \(c.type)"), at: item)
            return nil
        }
        return make(.list(compiled), .list(elementType), e)
    }

    private mutating func checkMember(_ e: Expression) -> CompiledExpression? {
        guard case .member(let base, _) = e.kind, let subject = check(base) else { return nil }
        return resolveMember(subject, e)
    }

    private mutating func resolveMember(_ subject: CompiledExpression, _ e: Expression) -> CompiledExpression? {
        guard case .member(_, let name) = e.kind else { return nil }
        guard case .entity(let subjectLevel) = subject.type else {
            error(
                "rules.type-mismatch", .vi("'.\(name)' đọc một dữ kiện của một đơn vị, nhưng đây là \(subject.type.vietnamese)", en: "'.\(name)' reads a fact of an entity, but this is \(subject.type)"), at: e)
            return nil
        }
        return resolve(name: name, subject: subject, subjectLevel: subjectLevel, at: e)
    }

    private mutating func checkUnary(_ e: Expression) -> CompiledExpression? {
        guard case .unary(_, let operand) = e.kind, let c = check(operand) else { return nil }
        return typeUnary(c, e)
    }

    private mutating func typeUnary(_ c: CompiledExpression, _ e: Expression) -> CompiledExpression? {
        guard case .unary(let op, let operand) = e.kind else { return nil }
        switch op {
        case .not:
            guard c.type == .bool else {
                error("rules.type-mismatch", .vi("'!' áp dụng cho giá trị đúng/sai, nhưng đây là \(c.type.vietnamese)", en: "'!' applies to a truth value, but this is \(c.type)"), at: operand)
                return nil
            }
            return make(.unary(op, c), .bool, e)
        case .negate:
            guard c.type.isNumber else {
                error("rules.type-mismatch", .vi("'-' áp dụng cho một số, nhưng đây là \(c.type.vietnamese)", en: "'-' applies to a number, but this is \(c.type)"), at: operand)
                return nil
            }
            return make(.unary(op, c), c.type, e)
        }
    }

    private mutating func checkConditional(_ e: Expression) -> CompiledExpression? {
        guard case .conditional(let c, let a, let b) = e.kind else { return nil }
        guard let cc = check(c), let ca = check(a), let cb = check(b) else { return nil }
        return typeConditional(cc, ca, cb, e)
    }

    private mutating func typeConditional(
        _ cc: CompiledExpression, _ ca: CompiledExpression, _ cb: CompiledExpression, _ e: Expression
    ) -> CompiledExpression? {
        guard case .conditional(let c, _, _) = e.kind else { return nil }
        guard cc.type == .bool else {
            error("rules.type-mismatch", .vi("điều kiện trước '?' phải là giá trị đúng/sai, nhưng đây là \(cc.type.vietnamese)", en: "the condition before '?' must be a truth value, but it is \(cc.type)"), at: c)
            return nil
        }
        guard ca.type.isComparable(with: cb.type) else {
            error(
                "rules.type-mismatch", .vi("hai nhánh của '? :' phải cùng một kiểu, nhưng lại là \(ca.type.vietnamese) và \(cb.type.vietnamese)", en: "both branches of '? :' must have one type, but they are \(ca.type) and \(cb.type)"),
                at: e)
            return nil
        }
        return make(.conditional(cc, ca, cb), ca.type, e)
    }

    // MARK: Names

    private mutating func resolve(name: String, subject: CompiledExpression?, subjectLevel: Level, at e: Expression)
        -> CompiledExpression?
    {
        if subject == nil, let variable = scopes.last(where: { $0.name == name }) {
            return make(.variable(variable.slot), .entity(variable.level), e)
        }
        if let input = names.inputs[name] {
            if input.level == subjectLevel {
                return make(.fact(subject: subject, name: name), type(of: input.type), e)
            }
            error(
                "rules.wrong-level",
                .vi("'\(name)' là dữ kiện của từng \(input.level.vietnamese), không phải của \(subjectLevel.vietnamese)", en: "'\(name)' is a fact of each \(input.level.name), not of the \(subjectLevel.name)"), at: e,
                hint: wrongLevelHint(input, from: subjectLevel, hasSubject: subject != nil))
            return nil
        }
        if let collection = names.inputs.map.level(collection: name) {
            guard subjectLevel.isAbove(collection) else {
                error("rules.wrong-level", .vi("\(subjectLevel.vietnamese) không có '\(name)'", en: "a \(subjectLevel.name) has no \(name)"), at: e)
                return nil
            }
            return make(.collection(subject: subject, level: collection), .list(.entity(collection)), e)
        }
        if let attribute = EntityAttribute(rawValue: name) {
            switch attribute {
            case .group where subjectLevel.groups.isEmpty, .kind where subjectLevel.kinds.isEmpty:
                let carriers = names.inputs.map.levels.filter { attribute == .group ? !$0.groups.isEmpty : !$0.kinds.isEmpty }
                guard let owner = carriers.first else {
                    error(
                        "rules.wrong-level", .vi("không cấp nào khai báo '\(name)'", en: "no level declares '\(name)'"), at: e,
                        hint: .vi("hãy khai báo '\(attribute == .group ? "groups" : "kinds")' cho một cấp trong levels.yaml", en: "declare '\(attribute == .group ? "groups" : "kinds")' for a level in levels.yaml"))
                    return nil
                }
                error(
                    "rules.wrong-level", .vi("'\(name)' thuộc về từng \(owner.vietnamese), không thuộc về \(subjectLevel.vietnamese)", en: "'\(name)' belongs to each \(owner.name), not to a \(subjectLevel.name)"), at: e,
                    hint: .vi("hãy đọc qua danh sách \(owner.pluralName), ví dụ \(owner.pluralName).all(x, x.\(name) == …)", en: "read it through the \(owner.pluralName), e.g. \(owner.pluralName).all(x, x.\(name) == …)"))
                return nil
            case .group: return make(.attribute(subject: subject, attribute), .number(percent: false), e)
            case .kind: return make(.attribute(subject: subject, attribute), .enumeration(subjectLevel.kinds.map(\.value)), e)
            case .id, .name: return make(.attribute(subject: subject, attribute), .text, e)
            }
        }
        if subject == nil, let parameter = names.parameters[name] {
            return make(.parameter(name), .number(percent: parameter.type == .percent), e)
        }
        if subject == nil, let truth = Self.booleanLookalikes[name] {
            error(
                "rules.unknown-input", .vi("'\(name)' không phải là giá trị trong ngôn ngữ quy tắc", en: "'\(name)' is not a value in the rule language"), at: e,
                hint: .vi("hãy viết \(truth) (chữ thường, không có dấu nháy)", en: "write \(truth) (lower case, without quotes)"))
            return nil
        }
        var candidates = names.inputs.names(at: subjectLevel) + names.inputs.map.levels.filter { subjectLevel.isAbove($0) }.map(\.pluralName)
        if subject == nil { candidates += names.parameters.keys.sorted() + scopes.map(\.name) }
        let hint = Suggestion.hint(for: name, among: candidates)
        if subject == nil {
            error(
                "rules.unknown-input", .vi("không có đầu vào '\(name)'", en: "unknown input '\(name)'").appending(hint, separator: "; "), at: e,
                hint: hint == nil ? .vi("hãy khai báo trong Rules/inputs.yaml, hoặc kiểm tra lại chính tả", en: "declare it in Rules/inputs.yaml, or check the spelling") : nil)
        } else {
            error(
                "rules.unknown-member", .vi("\(subjectLevel.vietnamese) không có dữ kiện '\(name)'", en: "a \(subjectLevel.name) has no fact '\(name)'").appending(hint, separator: "; "),
                at: e)
        }
        return nil
    }

    /// How to reach a fact of another level: through a variable in scope, or an aggregate that fits its type.
    private func wrongLevelHint(_ input: InputDeclaration, from level: Level, hasSubject: Bool) -> LocalizedText {
        if !hasSubject, let variable = scopes.last(where: { $0.level == input.level }) {
            return .vi("hãy viết \(variable.name).\(input.name) để đọc dữ kiện của từng phần tử", en: "write \(variable.name).\(input.name) to read it for each element")
        }
        guard input.level > level else { return .vi("quy tắc cấp \(level.vietnamese) không đọc được dữ kiện của cấp trên", en: "a \(level.name) rule cannot read a fact of a higher level") }
        let list = input.level.pluralName
        switch input.type {
        case .bool: return .vi("hãy đọc qua danh sách \(list), ví dụ share(\(list), x, x.\(input.name)) hoặc \(list).all(x, x.\(input.name))", en: "read it through the \(list), e.g. share(\(list), x, x.\(input.name)) or \(list).all(x, x.\(input.name))")
        case .count, .number: return .vi("hãy đọc qua danh sách \(list), ví dụ sum(\(list), x, x.\(input.name))", en: "read it through the \(list), e.g. sum(\(list), x, x.\(input.name))")
        default: return .vi("hãy đọc qua danh sách \(list), ví dụ \(list).all(x, x.\(input.name) == …)", en: "read it through the \(list), e.g. \(list).all(x, x.\(input.name) == …)")
        }
    }

    private func type(of input: InputType) -> ValueType {
        switch input {
        case .bool: .bool
        case .count, .number: .number(percent: false)
        case .percent: .number(percent: true)
        case .text: .text
        case .enumeration(let values): .enumeration(values)
        }
    }

    // MARK: Operators

    private mutating func checkBinary(_ e: Expression) -> CompiledExpression? {
        guard case .binary(_, let l, let r) = e.kind, let cl = check(l), let cr = check(r) else { return nil }
        return typeBinary(cl, cr, e)
    }

    private mutating func typeBinary(_ cl: CompiledExpression, _ cr: CompiledExpression, _ e: Expression) -> CompiledExpression? {
        guard case .binary(let op, let l, let r) = e.kind else { return nil }
        switch op {
        case .and, .or:
            for (side, c) in [(l, cl), (r, cr)] where c.type != .bool {
                error(
                    "rules.type-mismatch", .vi("'\(op.rawValue)' nối các giá trị đúng/sai, nhưng đây là \(c.type.vietnamese)", en: "'\(op.rawValue)' joins truth values, but this is \(c.type)"), at: side,
                    hint: c.type.isNumber ? .vi("hãy so sánh trước, ví dụ '… == 0'", en: "compare it first, e.g. '… == 0'") : nil)
                return nil
            }
            return make(.binary(op, cl, cr), .bool, e)
        case .add, .subtract, .multiply, .divide:
            for (side, c) in [(l, cl), (r, cr)] where !c.type.isNumber {
                let other = side == l ? cr : cl
                error(
                    "rules.type-mismatch",
                    .vi("'\(op.rawValue)' dùng cho số, nhưng đây là \(c.type.vietnamese) (vế kia là \(other.type.vietnamese))", en: "'\(op.rawValue)' works on numbers, but this is \(c.type) (the other side is \(other.type))"), at: side)
                return nil
            }
            let bothPercent = cl.type == .number(percent: true) && cr.type == .number(percent: true)
            let percent = (op == .add || op == .subtract) && bothPercent
            return make(.binary(op, cl, cr), .number(percent: percent), e)
        case .equal, .notEqual:
            guard cl.type.isComparable(with: cr.type) else {
                error("rules.type-mismatch", .vi("không so sánh được \(cl.type.vietnamese) với \(cr.type.vietnamese)", en: "cannot compare \(cl.type) with \(cr.type)"), at: e)
                return nil
            }
            checkEnumLiteral(cl, cr, r)
            checkEnumLiteral(cr, cl, l)
            return make(.binary(op, cl, cr), .bool, e)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            checkPercentScale(cl, cr, r)
            checkPercentScale(cr, cl, l)
            let ordered = (cl.type.isNumber && cr.type.isNumber) || (cl.type == .date && cr.type == .date)
            guard ordered else {
                error(
                    "rules.type-mismatch", .vi("'\(op.rawValue)' so sánh thứ tự số hoặc ngày, nhưng ở đây so sánh \(cl.type.vietnamese) với \(cr.type.vietnamese)", en: "'\(op.rawValue)' orders numbers or dates, but this compares \(cl.type) with \(cr.type)"),
                    at: e)
                return nil
            }
            return make(.binary(op, cl, cr), .bool, e)
        case .in:
            guard case .list(let element) = cr.type else {
                error("rules.type-mismatch", .vi("'in' cần một danh sách ở vế phải, nhưng đây là \(cr.type.vietnamese)", en: "'in' needs a list on its right, but this is \(cr.type)"), at: r)
                return nil
            }
            guard cl.type.isComparable(with: element) || (cr.kind == .list([])) else {
                error("rules.type-mismatch", .vi("không tìm được \(cl.type.vietnamese) trong \(cr.type.vietnamese)", en: "cannot look for \(cl.type) in \(cr.type)"), at: e)
                return nil
            }
            if case .enumeration(let values) = cl.type, case .list(let items) = cr.kind {
                for item in items {
                    if case .constant(.text(let word)) = item.kind, !values.contains(word) {
                        diagnostics.append(
                            Diagnostic(
                                "rules.unknown-enum-value", .error, .vi("'\(word)' không thuộc các giá trị \(values.joined(separator: ", "))", en: "'\(word)' is not one of \(values.joined(separator: ", "))"),
                                at: source.range(ofOffset: item.offset), hint: Suggestion.hint(for: word, among: values)))
                    }
                }
            }
            return make(.binary(op, cl, cr), .bool, e)
        }
    }

    /// Warns when a percentage is compared with a plain number above 1 (`share >= 70` meant `70%`).
    private mutating func checkPercentScale(_ a: CompiledExpression, _ b: CompiledExpression, _ bExpr: Expression) {
        guard a.type == .number(percent: true), case .constant(.number(let n)) = b.kind, b.type == .number(percent: false),
            n > 1
        else { return }
        diagnostics.append(
            Diagnostic(
                "rules.percent-scale", .warning,
                .vi("tỷ lệ phần trăm đang được so với \(n), tức là \(n * 100)%; tỷ lệ phần trăm nằm trong khoảng 0% đến 100%", en: "a percentage is compared with \(n), which is \(n * 100)%; percentages run from 0% to 100%"),
                at: source.range(of: bExpr), hint: .vi("hãy viết \(n)% nếu đó là ý muốn", en: "write \(n)% if that is what is meant")))
    }

    private mutating func checkEnumLiteral(_ a: CompiledExpression, _ b: CompiledExpression, _ bExpr: Expression) {
        if case .enumeration(let values) = a.type, case .constant(.text(let word)) = b.kind, !values.contains(word) {
            error(
                "rules.unknown-enum-value", .vi("'\(word)' không thuộc các giá trị \(values.joined(separator: ", "))", en: "'\(word)' is not one of \(values.joined(separator: ", "))"), at: bExpr,
                hint: Suggestion.hint(for: word, among: values))
        }
    }

    // MARK: Functions

    /// A call: each function has its own checker, so that only a small one is on the stack while an
    /// argument is checked.
    private mutating func checkCall(_ e: Expression) -> CompiledExpression? {
        guard case .call(let name, _, _) = e.kind else { return nil }
        switch name {
        case "all", "exists", "filter": return checkReceiverQuantifier(e)
        case "share", "count", "sum": return checkAggregate(e)
        case "size": return checkSize(e)
        case "last_year", "in_year": return checkYear(e)
        case "meets": return checkMeets(e)
        case "date": return checkDate(e)
        case "has": return checkHas(e)
        default: return unknownFunction(e)
        }
    }

    /// Whether a call has `expected` arguments; reports it otherwise, with how to write it.
    private mutating func arity(_ expected: Int, _ usage: String, _ e: Expression) -> Bool {
        guard case .call(let name, _, let arguments) = e.kind else { return false }
        if arguments.count != expected {
            error(
                "rules.wrong-arity", .vi("'\(name)' nhận \(expected) đối số, nhưng có \(arguments.count) đối số", en: "'\(name)' takes \(expected) argument\(expected == 1 ? "" : "s"), but \(arguments.count) \(arguments.count == 1 ? "is" : "are") given"),
                at: e, hint: .vi("hãy viết \(usage)", en: "write \(usage)"))
            return false
        }
        return true
    }

    /// `list.all(x, cond)`, `list.exists(x, cond)`, `list.filter(x, cond)`.
    private mutating func checkReceiverQuantifier(_ e: Expression) -> CompiledExpression? {
        guard case .call(let name, let receiver, let arguments) = e.kind else { return nil }
        guard let receiver else {
            error("rules.wrong-arity", .vi("'\(name)' được gọi trên một danh sách", en: "'\(name)' is called on a list"), at: e, hint: .vi("hãy viết hamlets.\(name)(h, h.safe_antt)", en: "write hamlets.\(name)(h, h.safe_antt)"))
            return nil
        }
        guard arity(2, "list.\(name)(x, condition)", e) else { return nil }
        return checkQuantifier(Quantifier(rawValue: name) ?? .all, list: receiver, variable: arguments[0], body: arguments[1], e)
    }

    /// `share(list, x, cond)`, `count(list, x, cond)`, `sum(list, x, number)`.
    private mutating func checkAggregate(_ e: Expression) -> CompiledExpression? {
        guard case .call(let name, let receiver, let arguments) = e.kind else { return nil }
        guard receiver == nil else {
            error("rules.wrong-arity", .vi("'\(name)' nhận danh sách làm đối số đầu tiên", en: "'\(name)' takes the list as its first argument"), at: e,
                hint: .vi("hãy viết \(name)(hamlets, h, h.safe_antt)", en: "write \(name)(hamlets, h, h.safe_antt)"))
            return nil
        }
        guard arity(3, "\(name)(list, x, \(name == "sum" ? "number" : "condition"))", e) else { return nil }
        return checkQuantifier(Quantifier(rawValue: name) ?? .count, list: arguments[0], variable: arguments[1], body: arguments[2], e)
    }

    /// `list.size()`, `size(list)`.
    private mutating func checkSize(_ e: Expression) -> CompiledExpression? {
        guard case .call(_, let receiver, let arguments) = e.kind else { return nil }
        let listExpression: Expression
        if let receiver {
            guard arity(0, "list.size()", e) else { return nil }
            listExpression = receiver
        } else {
            guard arity(1, "size(list)", e) else { return nil }
            listExpression = arguments[0]
        }
        guard let list = check(listExpression) else { return nil }
        guard case .list = list.type else {
            error("rules.type-mismatch", .vi("'size' đếm số phần tử của một danh sách, nhưng đây là \(list.type.vietnamese)", en: "'size' counts the elements of a list, but this is \(list.type)"), at: listExpression)
            return nil
        }
        return make(.size(list), .number(percent: false), e)
    }

    /// `last_year(e)`, `in_year(2019, e)`.
    private mutating func checkYear(_ e: Expression) -> CompiledExpression? {
        guard case .call(let name, let receiver, let arguments) = e.kind, noReceiver(receiver, name, e) else { return nil }
        let selector: YearSelector
        if name == "last_year" {
            guard arity(1, "last_year(social_order_crimes)", e) else { return nil }
            selector = .previous
        } else {
            guard arity(2, "in_year(2019, social_order_crimes)", e), let year = fixedYear(arguments[0]) else { return nil }
            selector = .fixed(year)
        }
        guard let inner = check(arguments[arguments.count - 1]) else { return nil }
        return make(.year(selector, inner), inner.type, e)
    }

    /// The year of `in_year`: a whole number literal from 1900 to 2100, or `nil` after reporting it.
    private mutating func fixedYear(_ argument: Expression) -> Int? {
        guard case .number(let value, false) = argument.kind, let year = Int("\(value)"), (1900...2100).contains(year) else {
            error("rules.wrong-type", .vi("đối số đầu tiên của 'in_year' phải là một năm, ví dụ 2019", en: "the first argument of 'in_year' must be a year such as 2019"), at: argument)
            return nil
        }
        return year
    }

    /// `meets("id")`, `meets(x, "id")`.
    private mutating func checkMeets(_ e: Expression) -> CompiledExpression? {
        guard case .call(let name, let receiver, let arguments) = e.kind, noReceiver(receiver, name, e) else { return nil }
        guard arguments.count == 1 || arguments.count == 2 else {
            _ = arity(1, "meets(\"xa-ntm.19.2\") or meets(c, \"xa-ntm.19.2\")", e)
            return nil
        }
        var subject: CompiledExpression? = nil
        if arguments.count == 2 {
            guard let s = check(arguments[0]) else { return nil }
            subject = s
        }
        return resolveMeets(subject, e)
    }

    /// The criterion of `meets` and its level, once its subject (if any) is checked.
    private mutating func resolveMeets(_ subject: CompiledExpression?, _ e: Expression) -> CompiledExpression? {
        guard case .call(_, _, let arguments) = e.kind else { return nil }
        var subjectLevel = level
        if let subject {
            guard case .entity(let l) = subject.type else {
                error("rules.type-mismatch", .vi("đối số đầu tiên của 'meets' phải là một đơn vị, nhưng đây là \(subject.type.vietnamese)", en: "the first argument of 'meets' must be an entity, but this is \(subject.type)"), at: arguments[0])
                return nil
            }
            subjectLevel = l
        }
        let idExpression = arguments[arguments.count - 1]
        guard case .string(let id) = idExpression.kind else {
            error("rules.wrong-type", .vi("'meets' gọi tiêu chí bằng mã của nó đặt trong dấu nháy", en: "'meets' names a criterion by its id in quotes"), at: idExpression,
                hint: .vi("hãy viết meets(\"xa-ntm.19.2\")", en: "write meets(\"xa-ntm.19.2\")"))
            return nil
        }
        guard let criterionLevel = names.criterionLevels[id] else {
            let hint = Suggestion.hint(for: id, among: names.criterionLevels.keys.sorted())
            error("rules.unknown-criterion", .vi("không có tiêu chí '\(id)'", en: "unknown criterion '\(id)'").appending(hint, separator: "; "), at: idExpression)
            return nil
        }
        guard criterionLevel == subjectLevel else {
            error(
                "rules.wrong-level", .vi("tiêu chí '\(id)' áp dụng cho từng \(criterionLevel.vietnamese), không áp dụng cho \(subjectLevel.vietnamese)", en: "criterion '\(id)' applies to each \(criterionLevel.name), not to a \(subjectLevel.name)"),
                at: idExpression,
                hint: criterionLevel > subjectLevel ? .vi("hãy áp dụng cho từng phần tử của \(criterionLevel.pluralName), ví dụ \(criterionLevel.pluralName).all(c, meets(c, \"\(id)\"))", en: "apply it to each of the \(criterionLevel.pluralName), e.g. \(criterionLevel.pluralName).all(c, meets(c, \"\(id)\"))") : nil)
            return nil
        }
        dependencies.append((id, source.range(of: idExpression)))
        return make(.meets(subject: subject, criterion: id), .bool, e)
    }

    /// `date("YYYY-MM-DD")`.
    private mutating func checkDate(_ e: Expression) -> CompiledExpression? {
        guard case .call(let name, let receiver, let arguments) = e.kind, noReceiver(receiver, name, e),
            arity(1, "date(\"2022-03-08\")", e)
        else { return nil }
        guard case .string(let text) = arguments[0].kind, let date = LocalDate(iso: text) else {
            error("rules.invalid-date", .vi("'date' nhận một ngày đặt trong dấu nháy, viết theo dạng YYYY-MM-DD", en: "'date' takes a date in quotes written YYYY-MM-DD"), at: arguments[0],
                hint: .vi("hãy viết date(\"2022-03-08\")", en: "write date(\"2022-03-08\")"))
            return nil
        }
        return make(.constant(.date(date)), .date, e)
    }

    /// `has(fact)`.
    private mutating func checkHas(_ e: Expression) -> CompiledExpression? {
        guard case .call(let name, let receiver, let arguments) = e.kind, noReceiver(receiver, name, e),
            arity(1, "has(antt_plan)", e), let inner = check(arguments[0])
        else { return nil }
        guard case .fact = inner.kind else {
            error("rules.wrong-type", .vi("'has' kiểm tra một dữ kiện đã có hay chưa; hãy truyền cho nó tên một dữ kiện", en: "'has' tests whether a fact is known; give it a fact name"), at: arguments[0])
            return nil
        }
        return make(.has(inner), .bool, e)
    }

    private mutating func unknownFunction(_ e: Expression) -> CompiledExpression? {
        guard case .call(let name, _, _) = e.kind else { return nil }
        let hint = Suggestion.hint(for: name, among: Self.functions)
        error(
            "rules.unknown-function", .vi("không có hàm '\(name)'", en: "unknown function '\(name)'").appending(hint, separator: "; "), at: e,
            hint: hint == nil ? .vi("các hàm là \(Self.functions.joined(separator: ", "))", en: "the functions are \(Self.functions.joined(separator: ", "))") : nil)
        return nil
    }

    private mutating func noReceiver(_ receiver: Expression?, _ name: String, _ e: Expression) -> Bool {
        if receiver != nil {
            error("rules.wrong-arity", .vi("'\(name)' không được gọi trên một giá trị; hãy viết \(name)(…)", en: "'\(name)' is not called on a value; write \(name)(…)"), at: e)
            return false
        }
        return true
    }

    private mutating func checkQuantifier(
        _ quantifier: Quantifier, list: Expression, variable: Expression, body: Expression, _ e: Expression
    ) -> CompiledExpression? {
        guard let compiledList = check(list), let (name, elementLevel) = quantifierVariable(quantifier, compiledList, list, variable)
        else { return nil }
        let slot = slotCount
        slotCount += 1
        scopes.append((name, slot, elementLevel))
        let compiledBody = check(body)
        scopes.removeLast()
        guard let compiledBody else { return nil }
        return typeQuantifier(quantifier, compiledList, slot, compiledBody, body, e)
    }

    /// The variable of a fold and the level of its elements, or `nil` after reporting why there is none.
    private mutating func quantifierVariable(
        _ quantifier: Quantifier, _ compiledList: CompiledExpression, _ list: Expression, _ variable: Expression
    ) -> (String, Level)? {
        guard case .list(let element) = compiledList.type, case .entity(let elementLevel) = element else {
            error(
                "rules.type-mismatch", .vi("'\(quantifier.rawValue)' duyệt một danh sách đơn vị như hamlets, nhưng đây là \(compiledList.type.vietnamese)", en: "'\(quantifier.rawValue)' goes over a list of entities such as hamlets, but this is \(compiledList.type)"),
                at: list)
            return nil
        }
        guard case .identifier(let variableName) = variable.kind else {
            error(
                "rules.wrong-type", .vi("đối số thứ hai đặt tên biến cho từng phần tử", en: "the second argument names the variable for each element"), at: variable,
                hint: .vi("hãy viết một tên ngắn, ví dụ h: share(hamlets, h, h.safe_antt)", en: "write a short name such as h: share(hamlets, h, h.safe_antt)"))
            return nil
        }
        if names.inputs[variableName] != nil || names.parameters[variableName] != nil {
            error("rules.shadowing", .vi("'\(variableName)' đã là tên của một đầu vào hoặc tham số", en: "'\(variableName)' is already the name of an input or parameter"), at: variable,
                hint: .vi("hãy chọn tên biến khác, ví dụ x", en: "choose another variable name, such as x"))
            return nil
        }
        return (variableName, elementLevel)
    }

    private mutating func typeQuantifier(
        _ quantifier: Quantifier, _ compiledList: CompiledExpression, _ slot: Int, _ compiledBody: CompiledExpression,
        _ body: Expression, _ e: Expression
    ) -> CompiledExpression? {
        switch quantifier {
        case .sum:
            guard compiledBody.type.isNumber else {
                error("rules.type-mismatch", .vi("'sum' cộng các số, nhưng đây là \(compiledBody.type.vietnamese)", en: "'sum' adds numbers, but this is \(compiledBody.type)"), at: body)
                return nil
            }
        default:
            guard compiledBody.type == .bool else {
                error(
                    "rules.type-mismatch", .vi("'\(quantifier.rawValue)' cần một điều kiện, nhưng đây là \(compiledBody.type.vietnamese)", en: "'\(quantifier.rawValue)' needs a condition, but this is \(compiledBody.type)"), at: body,
                    hint: compiledBody.type.isNumber ? .vi("hãy so sánh, ví dụ x.social_order_crimes == 0", en: "compare it, e.g. x.social_order_crimes == 0") : nil)
                return nil
            }
        }
        let type: ValueType
        switch quantifier {
        case .all, .exists: type = .bool
        case .filter: type = compiledList.type
        case .share: type = .number(percent: true)
        case .count: type = .number(percent: false)
        case .sum: type = compiledBody.type
        }
        return make(.quantifier(quantifier, list: compiledList, slot: slot, body: compiledBody), type, e)
    }
}
