import Foundation

extension Expression: CustomStringConvertible {
    /// The expression in canonical rule-language text.
    ///
    /// Operators are separated by single spaces, parentheses appear only where precedence needs them,
    /// strings use double quotes, a percent literal prints as written (`70%`), and numbers print
    /// exactly. Parsing the result gives back the same tree, apart from offsets and lengths.
    public var description: String {
        var output = ""
        ExpressionPrinter.write(self, to: &output)
        return output
    }
}

/// Writes expressions as canonical text.
enum ExpressionPrinter {
    /// Precedence levels for printing: `?:` 0, binary operators 1–5 (`BinaryOperator.precedence`),
    /// prefix operators 6, postfix forms and literals 7.
    static let unaryPrecedence = 6
    /// The level of calls, member access and literals.
    static let postfixPrecedence = 7

    /// How tightly an expression binds, to decide where parentheses are needed.
    static func precedence(of expression: Expression) -> Int {
        switch expression.kind {
        case .conditional: 0
        case .binary(let op, _, _): op.precedence
        case .unary: unaryPrecedence
        case .number(let value, _): value < 0 ? unaryPrecedence : postfixPrecedence
        case .string, .bool, .list, .identifier, .member, .call: postfixPrecedence
        }
    }

    /// Appends `expression` to `output`.
    static func write(_ expression: Expression, to output: inout String) {
        switch expression.kind {
        case .number(let value, let isPercent):
            if isPercent {
                output += (value * 100).description
                output += "%"
            } else {
                output += value.description
            }
        case .string(let value):
            writeString(value, to: &output)
        case .bool(let value):
            output += value ? "true" : "false"
        case .list(let elements):
            output += "["
            writeList(elements, to: &output)
            output += "]"
        case .identifier(let name):
            output += name
        case .member(let receiver, let name):
            write(receiver, parenthesizedBelow: postfixPrecedence, to: &output)
            output += "."
            output += name
        case .call(let name, let receiver, let arguments):
            if let receiver {
                write(receiver, parenthesizedBelow: postfixPrecedence, to: &output)
                output += "."
            }
            output += name
            output += "("
            writeList(arguments, to: &output)
            output += ")"
        case .unary(let op, let operand):
            output += op.rawValue
            write(operand, parenthesizedBelow: unaryPrecedence, to: &output)
        case .binary(let op, let left, let right):
            let level = op.precedence
            // Left-associative: the right operand needs brackets at the same level. Relations do
            // not associate, so both of their operands need brackets at the same level.
            let isRelation = level == BinaryOperator.equal.precedence
            write(left, parenthesizedBelow: isRelation ? level + 1 : level, to: &output)
            output += " "
            output += op.rawValue
            output += " "
            write(right, parenthesizedBelow: level + 1, to: &output)
        case .conditional(let condition, let whenTrue, let whenFalse):
            write(condition, parenthesizedBelow: 1, to: &output)
            output += " ? "
            write(whenTrue, to: &output)
            output += " : "
            write(whenFalse, to: &output)
        }
    }

    /// Appends `expression`, in parentheses when it binds less tightly than `level`.
    static func write(_ expression: Expression, parenthesizedBelow level: Int, to output: inout String) {
        if precedence(of: expression) < level {
            output += "("
            write(expression, to: &output)
            output += ")"
        } else {
            write(expression, to: &output)
        }
    }

    static func writeList(_ elements: [Expression], to output: inout String) {
        for (index, element) in elements.enumerated() {
            if index > 0 { output += ", " }
            write(element, to: &output)
        }
    }

    static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\"": output += "\\\""
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
