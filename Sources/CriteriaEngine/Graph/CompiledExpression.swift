/// The type of an expression's value, as the checker infers it.
package indirect enum ValueType: Sendable, Hashable, CustomStringConvertible {
    /// A truth value.
    case bool
    /// A number; `percent` when it is best shown as a percentage (shares, percent parameters, `70%`).
    case number(percent: Bool)
    /// Text.
    case text
    /// A value of an enumeration (compared with text literals, which must name one of its values).
    case enumeration([String])
    /// A calendar date.
    case date
    /// A list of values of one type.
    case list(ValueType)
    /// An entity of a level.
    case entity(Level)

    /// Whether two types can be compared with `==`.
    func isComparable(with other: ValueType) -> Bool {
        switch (self, other) {
        case (.bool, .bool), (.number, .number), (.text, .text), (.date, .date), (.enumeration, .text),
            (.text, .enumeration), (.enumeration, .enumeration):
            true
        case (.entity(let a), .entity(let b)): a == b
        default: false
        }
    }

    /// Whether the type is a number of any kind.
    var isNumber: Bool {
        if case .number = self { return true }
        return false
    }

    /// The type in words, for messages ("a number", "a truth value").
    package var description: String {
        switch self {
        case .bool: "a truth value"
        case .number(let percent): percent ? "a percentage" : "a number"
        case .text: "text"
        case .enumeration(let values): "one of \(values.joined(separator: ", "))"
        case .date: "a date"
        case .list(let element): "a list of \(element)"
        case .entity(let level): "a \(level.name)"
        }
    }

    /// The type in Vietnamese words, for messages ("một số", "một giá trị đúng/sai").
    package var vietnamese: String {
        switch self {
        case .bool: "một giá trị đúng/sai"
        case .number(let percent): percent ? "một tỷ lệ phần trăm" : "một số"
        case .text: "văn bản"
        case .enumeration(let values): "một trong các giá trị \(values.joined(separator: ", "))"
        case .date: "một ngày"
        case .list(let element): "danh sách gồm \(element.vietnamese)"
        case .entity(let level): "một \(level.vietnamese)"
        }
    }
}

/// Which year an expression reads its facts from, relative to the evaluation.
package enum YearSelector: Sendable, Hashable {
    /// The year before the one being evaluated (`last_year(e)`).
    case previous
    /// A given year (`in_year(2019, e)`).
    case fixed(Int)
}

/// A fold over a list with a bound variable.
package enum Quantifier: String, Sendable, Hashable {
    /// True when the predicate holds for every element (Kleene).
    case all
    /// True when it holds for at least one element (Kleene).
    case exists
    /// The elements for which it holds.
    case filter
    /// The fraction of elements for which it holds (0 to 1).
    case share
    /// The number of elements for which it holds.
    case count
    /// The sum of a number over the elements.
    case sum
}

/// An attribute every entity has besides its facts.
package enum EntityAttribute: String, Sendable, Hashable {
    /// Its identifier.
    case id
    /// Its name.
    case name
    /// Its commune group (1, 2 or 3).
    case group
    /// A unit's kind (`UnitKind`: `khu_dan_cu`, `co_quan`, `doanh_nghiep`, `co_so_giao_duc`).
    case kind
}

/// A checked expression with every name resolved, ready to evaluate.
package struct CompiledExpression: Sendable, Hashable {
    /// What the expression computes.
    package indirect enum Kind: Sendable, Hashable {
        /// A literal value.
        case constant(Value)
        /// A fact of the current entity (`subject` nil) or of an entity-valued expression.
        case fact(subject: CompiledExpression?, name: String)
        /// A named parameter's value in force on the evaluation date.
        case parameter(String)
        /// A variable bound by a quantifier, by slot.
        case variable(Int)
        /// The descendants at a level of the current entity or of an entity-valued expression.
        case collection(subject: CompiledExpression?, level: Level)
        /// An entity's id, name or group.
        case attribute(subject: CompiledExpression?, EntityAttribute)
        /// A prefix operator.
        case unary(UnaryOperator, CompiledExpression)
        /// An infix operator.
        case binary(BinaryOperator, CompiledExpression, CompiledExpression)
        /// `c ? a : b`.
        case conditional(CompiledExpression, CompiledExpression, CompiledExpression)
        /// A list literal.
        case list([CompiledExpression])
        /// A quantifier over a list, binding `slot` to each element.
        case quantifier(Quantifier, list: CompiledExpression, slot: Int, body: CompiledExpression)
        /// The number of elements of a list.
        case size(CompiledExpression)
        /// An expression evaluated for another year.
        case year(YearSelector, CompiledExpression)
        /// Whether an entity passes a criterion (current entity when `subject` is nil).
        case meets(subject: CompiledExpression?, criterion: String)
        /// Whether a fact is known.
        case has(CompiledExpression)
    }

    /// What it computes.
    package var kind: Kind
    /// Its type.
    package var type: ValueType
    /// Where it stands in the expression text (offset and length in Unicode scalars).
    package var offset: Int
    /// Its length in Unicode scalars.
    package var length: Int

    /// Creates a compiled expression.
    package init(_ kind: Kind, type: ValueType, offset: Int, length: Int) {
        self.kind = kind
        self.type = type
        self.offset = offset
        self.length = length
    }
}

extension CompiledExpression {
    /// The expressions directly inside this one.
    package var subexpressions: [CompiledExpression] {
        switch kind {
        case .constant, .variable, .parameter: []
        case .fact(let s, _), .collection(let s, _), .attribute(let s, _), .meets(let s, _): s.map { [$0] } ?? []
        case .unary(_, let a), .size(let a), .year(_, let a), .has(let a): [a]
        case .binary(_, let a, let b): [a, b]
        case .conditional(let a, let b, let c): [a, b, c]
        case .list(let items): items
        case .quantifier(_, let list, _, let body): [list, body]
        }
    }

    /// Every expression of the tree, this one included, walked without recursion.
    package var allExpressions: [CompiledExpression] {
        var result: [CompiledExpression] = []
        var stack = [self]
        while let node = stack.popLast() {
            result.append(node)
            stack.append(contentsOf: node.subexpressions)
        }
        return result
    }
}
