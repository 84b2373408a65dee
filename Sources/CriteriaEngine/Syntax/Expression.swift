import Foundation

/// A parsed expression of the rule language (a subset of CEL syntax), with positions.
///
/// Positions are offsets into the expression's own text, counted in Unicode scalars from 0;
/// `ExpressionSource` maps them back to the line and column of the YAML file.
public struct Expression: Sendable, Hashable {
    /// What the expression is.
    public var kind: Kind
    /// The offset of its first Unicode scalar in the expression text.
    public var offset: Int
    /// Its length in Unicode scalars.
    public var length: Int

    /// Creates an expression node spanning `length` scalars from `offset`.
    public init(_ kind: Kind, offset: Int, length: Int) {
        self.kind = kind
        self.offset = offset
        self.length = length
    }

    /// The forms of expression.
    public indirect enum Kind: Sendable, Hashable {
        /// A number literal; `isPercent` when written with `%` (`70%` holds 0.70).
        case number(Decimal, isPercent: Bool)
        /// A string literal (`"kha"` or `'kha'`).
        case string(String)
        /// `true` or `false`.
        case bool(Bool)
        /// A list literal `[a, b]`.
        case list([Expression])
        /// A name: an input, a parameter, a collection (`hamlets`), or a macro variable.
        case identifier(String)
        /// Member access `e.name`.
        case member(Expression, String)
        /// A call: `f(args)` when `receiver` is `nil`, or `receiver.f(args)` (CEL's receiver style,
        /// used by the macros `all`, `exists`, `filter`, `size`).
        case call(name: String, receiver: Expression?, arguments: [Expression])
        /// A prefix operator.
        case unary(UnaryOperator, Expression)
        /// An infix operator.
        case binary(BinaryOperator, Expression, Expression)
        /// `condition ? then : else`.
        case conditional(Expression, Expression, Expression)
    }
}

/// Prefix operators.
public enum UnaryOperator: String, Sendable, Hashable {
    /// Logical not, `!`.
    case not = "!"
    /// Arithmetic negation, `-`.
    case negate = "-"
}

/// Infix operators, with CEL's precedence (see `precedence`).
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    /// `||`, Kleene or.
    case or = "||"
    /// `&&`, Kleene and.
    case and = "&&"
    /// `==`.
    case equal = "=="
    /// `!=`.
    case notEqual = "!="
    /// `<`.
    case less = "<"
    /// `<=`.
    case lessOrEqual = "<="
    /// `>`.
    case greater = ">"
    /// `>=`.
    case greaterOrEqual = ">="
    /// `in`, membership in a list.
    case `in` = "in"
    /// `+`.
    case add = "+"
    /// `-`.
    case subtract = "-"
    /// `*`.
    case multiply = "*"
    /// `/`, exact decimal division.
    case divide = "/"

    /// Binding strength: higher binds tighter. `||` 1, `&&` 2, relations 3, `+ -` 4, `* /` 5.
    package var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in: 3
        case .add, .subtract: 4
        case .multiply, .divide: 5
        }
    }

    /// Whether the operator compares two values (and so yields a truth value).
    package var isComparison: Bool { precedence == 3 && self != .in }

    /// Whether an ordering comparison (`<`, `<=`, `>`, `>=`) holds for two values whose order is
    /// `order` (-1, 0 or 1): the one definition both evaluators use.
    @inline(__always) func holds(order: Int) -> Bool {
        switch self {
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        default: order >= 0
        }
    }
}

/// Where an expression's text stands in its YAML file, to map offsets back to lines and columns.
public struct ExpressionSource: Sendable, Hashable {
    /// The expression text as YAML delivered it.
    package var text: String
    /// Where the scalar holding it starts (its opening quote, for a quoted scalar).
    package var range: SourceRange
    /// How far columns are shifted from the scalar's start: 0 for plain, 1 for quoted; `nil` when
    /// offsets cannot be mapped exactly (block or multi-line scalars, escapes), in which case every
    /// position is reported at the scalar's start.
    package var columnShift: Int?

    /// Creates an expression source.
    public init(text: String, range: SourceRange, columnShift: Int?) {
        self.text = text
        self.range = range
        self.columnShift = columnShift
    }

    /// The file range of an offset (0-based, in Unicode scalars) into `text`.
    package func range(ofOffset offset: Int) -> SourceRange {
        guard let shift = columnShift else { return range }
        return SourceRange(
            file: range.file,
            start: SourceLocation(line: range.start.line, column: range.start.column + shift + offset))
    }

    /// The file range of an expression node.
    package func range(of expression: Expression) -> SourceRange {
        var result = range(ofOffset: expression.offset)
        if columnShift != nil {
            result.end = SourceLocation(line: result.start.line, column: result.start.column + expression.length)
        }
        return result
    }
}
