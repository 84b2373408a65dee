import Foundation

/// The four operations on `Decimal` as the rule language defines them: a sum, difference or product is
/// exact or it is an error; nothing traps, nothing is NaN.
///
/// `Foundation.Decimal` on its own does not give that: `+`, `-` and `*` round silently to about 38
/// digits (`99999999999999999999999999999999999999 * 99999999999999999999999999999999999999` comes back
/// as a rounded 76-digit number), a result beyond its exponent range is NaN, division by zero is NaN,
/// and a product below its smallest exponent (`0.000…01 * 0.000…01`, about 10⁻²⁰²) **traps** in
/// swift-foundation's `Decimal._multiply`, killing the process. So the evaluator calls these functions
/// instead of the operators.
///
/// - A sum, difference or product is computed exactly; if it needs more than
///   `DecimalText.maxSignificantDigits` (38) significant digits, it is `.inexact`.
/// - A quotient is rounded to 38 significant digits when it does not terminate (1/3), as `Decimal`
///   does; division by zero is `.divisionByZero`.
/// - A result whose magnitude `Decimal` cannot hold (beyond about 10¹⁶⁵, or a non-zero value below
///   10⁻¹²⁸) is `.outOfRange`.
enum ExactArithmetic {
    /// Why an operation has no exact result.
    enum Failure: Error, Sendable, Hashable {
        /// The divisor is zero.
        case divisionByZero
        /// The exact result needs more than 38 significant digits.
        case inexact
        /// The result is too large, or too small but not zero, for a `Decimal`.
        case outOfRange
    }

    /// The smallest and largest exponents of a `Decimal`.
    static let exponentRange = -128...127

    /// `x + y`, exactly.
    static func add(_ x: Decimal, _ y: Decimal) -> Result<Decimal, Failure> {
        guard !x.isNaN, !y.isNaN else { return .failure(.outOfRange) }
        if isSmall(x, below: 18), isSmall(y, below: 18), abs(x.exponent - y.exponent) <= 19 {
            // Aligned, both significands stay below 10^37: Foundation adds them without rounding.
            return checked(x + y, nonZeroExpected: false)
        }
        return DecimalDigits(x).adding(DecimalDigits(y)).decimal()
    }

    /// `x - y`, exactly.
    static func subtract(_ x: Decimal, _ y: Decimal) -> Result<Decimal, Failure> {
        add(x, -y)
    }

    /// `x * y`, exactly.
    static func multiply(_ x: Decimal, _ y: Decimal) -> Result<Decimal, Failure> {
        guard !x.isNaN, !y.isNaN else { return .failure(.outOfRange) }
        if x.isZero || y.isZero { return .success(0) }
        let exponent = x.exponent + y.exponent
        if isSmall(x, below: 19), isSmall(y, below: 19), exponentRange.contains(exponent) {
            // The product of the significands stays below 10^38 and its exponent in range: exact, and
            // clear of the exponent underflow that traps.
            return checked(x * y, nonZeroExpected: true)
        }
        return DecimalDigits(x).multiplied(by: DecimalDigits(y)).decimal()
    }

    /// `x / y`, rounded to 38 significant digits when the quotient does not terminate.
    static func divide(_ x: Decimal, _ y: Decimal) -> Result<Decimal, Failure> {
        guard !x.isNaN, !y.isNaN else { return .failure(.outOfRange) }
        if y.isZero { return .failure(.divisionByZero) }
        if x.isZero { return .success(0) }
        // An exponent difference this large would put the quotient out of range anyway; refusing it
        // early keeps Foundation's division away from the edges of its exponent range.
        guard abs(x.exponent - y.exponent) <= 200 else { return .failure(.outOfRange) }
        return checked(x / y, nonZeroExpected: true)
    }

    /// Whether the significand of `value` is below `10^digits`.
    private static func isSmall(_ value: Decimal, below digits: Int) -> Bool {
        value.significand < DecimalDigits.powerOfTen(digits)
    }

    /// A Foundation result, refused when it is NaN or (for a non-zero product or quotient) zero.
    private static func checked(_ value: Decimal, nonZeroExpected: Bool) -> Result<Decimal, Failure> {
        if value.isNaN || (nonZeroExpected && value.isZero) { return .failure(.outOfRange) }
        return .success(value)
    }
}

/// A decimal as its digits: `digits × 10^exponent`, with a sign. The slow, exact path of
/// `ExactArithmetic`, for operands with long significands or far-apart exponents.
struct DecimalDigits: Sendable, Hashable {
    /// Whether the value is below zero.
    var negative: Bool
    /// The digits of the significand, most significant first, without leading zeros; empty for zero.
    var digits: [UInt8]
    /// The power of ten of the last digit.
    var exponent: Int

    /// The digits of a finite `Decimal`.
    init(_ value: Decimal) {
        var digits: [UInt8] = []
        for byte in value.significand.description.utf8 where byte >= 0x30 && byte <= 0x39 {
            if digits.isEmpty && byte == 0x30 { continue }
            digits.append(byte - 0x30)
        }
        self.digits = digits
        self.negative = value.sign == .minus && !digits.isEmpty
        self.exponent = value.exponent
    }

    init(negative: Bool, digits: [UInt8], exponent: Int) {
        self.negative = negative
        self.digits = digits
        self.exponent = exponent
    }

    /// `10^n` as a `Decimal` (n from 0 to 38).
    static func powerOfTen(_ n: Int) -> Decimal {
        Decimal(sign: .plus, exponent: n, significand: 1)
    }

    /// The sum, exactly.
    func adding(_ other: DecimalDigits) -> DecimalDigits {
        if digits.isEmpty { return other }
        if other.digits.isEmpty { return self }
        let low = min(exponent, other.exponent)
        let a = digits + [UInt8](repeating: 0, count: exponent - low)
        let b = other.digits + [UInt8](repeating: 0, count: other.exponent - low)
        if negative == other.negative {
            return DecimalDigits(negative: negative, digits: Self.add(a, b), exponent: low)
        }
        switch Self.compare(a, b) {
        case 0: return DecimalDigits(negative: false, digits: [], exponent: 0)
        case 1: return DecimalDigits(negative: negative, digits: Self.subtract(a, b), exponent: low)
        default: return DecimalDigits(negative: other.negative, digits: Self.subtract(b, a), exponent: low)
        }
    }

    /// The product, exactly.
    func multiplied(by other: DecimalDigits) -> DecimalDigits {
        guard !digits.isEmpty, !other.digits.isEmpty else { return DecimalDigits(negative: false, digits: [], exponent: 0) }
        var result = [Int](repeating: 0, count: digits.count + other.digits.count)
        for (i, a) in digits.reversed().enumerated() {
            var carry = 0
            for (j, b) in other.digits.reversed().enumerated() {
                let total = result[i + j] + Int(a) * Int(b) + carry
                result[i + j] = total % 10
                carry = total / 10
            }
            var k = i + other.digits.count
            while carry > 0 {
                let total = result[k] + carry
                result[k] = total % 10
                carry = total / 10
                k += 1
            }
        }
        return DecimalDigits(
            negative: negative != other.negative, digits: result.reversed().map { UInt8($0) },
            exponent: exponent + other.exponent)
    }

    /// The value as a `Decimal`, or why it cannot be one exactly.
    func decimal() -> Result<Decimal, ExactArithmetic.Failure> {
        var digits = Array(self.digits.drop { $0 == 0 })
        var exponent = self.exponent
        if digits.isEmpty { return .success(0) }
        while digits.last == 0 {
            digits.removeLast()
            exponent += 1
        }
        guard digits.count <= DecimalText.maxSignificantDigits else { return .failure(.inexact) }
        // A large exponent can give way to trailing zeros while the significand has room.
        while exponent > ExactArithmetic.exponentRange.upperBound && digits.count < DecimalText.maxSignificantDigits {
            digits.append(0)
            exponent -= 1
        }
        guard ExactArithmetic.exponentRange.contains(exponent) else { return .failure(.outOfRange) }
        let text = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
        guard let significand = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            return .failure(.outOfRange)
        }
        let value = Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: significand)
        guard !value.isNaN, !value.isZero else { return .failure(.outOfRange) }
        return .success(value)
    }

    /// The sum of two digit strings of any lengths, aligned at their last digits.
    private static func add(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(max(a.count, b.count) + 1)
        var i = a.count - 1
        var j = b.count - 1
        var carry: UInt8 = 0
        while i >= 0 || j >= 0 || carry > 0 {
            let total = (i >= 0 ? a[i] : 0) + (j >= 0 ? b[j] : 0) + carry
            result.append(total % 10)
            carry = total / 10
            i -= 1
            j -= 1
        }
        return result.reversed()
    }

    /// `a - b` for digit strings with `a >= b`, aligned at their last digits.
    private static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(a.count)
        var i = a.count - 1
        var j = b.count - 1
        var borrow: UInt8 = 0
        while i >= 0 {
            let subtrahend = (j >= 0 ? b[j] : 0) + borrow
            if a[i] >= subtrahend {
                result.append(a[i] - subtrahend)
                borrow = 0
            } else {
                result.append(a[i] + 10 - subtrahend)
                borrow = 1
            }
            i -= 1
            j -= 1
        }
        return Array(result.reversed().drop { $0 == 0 })
    }

    /// -1, 0 or 1 comparing two digit strings aligned at their last digits.
    private static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let a = Array(a.drop { $0 == 0 })
        let b = Array(b.drop { $0 == 0 })
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return 0
    }
}
