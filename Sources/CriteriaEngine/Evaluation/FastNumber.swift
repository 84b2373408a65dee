import Foundation

/// An exact number for the verdict evaluator, with the same meaning as the `Decimal` the reference
/// evaluator computes, but without `Decimal` arithmetic where it is not needed (a `Decimal` comparison
/// costs about 150 ns on Linux, a division about 400 ns; an integer comparison well under 1 ns).
///
/// - `integer`: a whole number.
/// - `fixed(m, s)`: m × 10⁻ˢ with 1 ≤ s ≤ 18 (literals and parameters such as 0.7 or 95%).
/// - `ratio(p, q)`: the `Decimal` quotient p / q of two integers (q > 0), as the reference computes
///   it (`Decimal(p) / Decimal(q)`, 38 significant digits). It is only compared, exactly, with an
///   `integer` or `fixed` number when |p| < 10¹²; anything else turns it into that `Decimal` first. The
///   comparison is exact because a short decimal D/10ᵏ (k ≤ 18) that differs from p/q differs by at
///   least 1/(q·10ᵏ), far more than the quotient's rounding error (|p/q|·10⁻³⁷, since |p|·10ᵏ < 10³⁰);
///   and when p/q equals it, the quotient is exact (a terminating decimal of at most 38 digits).
/// - `decimal(i)`: anything else, the `Decimal` number `i` of a `DecimalArena`, computed as the
///   reference does.
///
/// Every operation either stays in integers without overflow (then its result is the exact value the
/// `Decimal` operation would give, as `Decimal`s are normalised) or falls back to `Decimal`. The type
/// is plain data, so values are copied without reference counting.
enum FastNumber: Sendable {
    case integer(Int64)
    case fixed(Int64, scale: Int)
    case ratio(Int64, Int64)
    case decimal(Int32)

    static let powers: [Int64] = (0...18).map { k in (0..<k).reduce(Int64(1)) { p, _ in p * 10 } }

    /// The number for a decimal when it is an integer or a fixed-point number exactly, else `nil`.
    static func exact(_ d: Decimal) -> FastNumber? {
        if let i = FactStore.integer(exactly: d) { return .integer(i) }
        if !d.isNaN, d.exponent < 0, d.exponent >= -18 {
            let scale = -d.exponent
            let scaled = d * Decimal(powers[scale])
            if let m = FactStore.integer(exactly: scaled), Decimal(m) / Decimal(powers[scale]) == d {
                return .fixed(m, scale: scale)
            }
        }
        return nil
    }

    /// The mantissa and scale of an integer or fixed-point number.
    @inline(__always) var scaled: (Int64, Int)? {
        switch self {
        case .integer(let i): (i, 0)
        case .fixed(let m, let s): (m, s)
        default: nil
        }
    }

    /// Both numbers over one scale, or `nil` on overflow.
    @inline(__always) static func aligned(_ a: (Int64, Int), _ b: (Int64, Int)) -> (Int64, Int64, Int)? {
        if a.1 == b.1 { return (a.0, b.0, a.1) }
        if a.1 < b.1 {
            let (x, o) = a.0.multipliedReportingOverflow(by: powers[b.1 - a.1])
            return o ? nil : (x, b.0, b.1)
        }
        let (y, o) = b.0.multipliedReportingOverflow(by: powers[a.1 - b.1])
        return o ? nil : (a.0, y, a.1)
    }

    /// p/q against m·10⁻ˢ, exactly; `nil` outside the range where that equals the `Decimal` comparison.
    @inline(__always) static func compareRatio(_ p: Int64, _ q: Int64, _ b: (Int64, Int)) -> Int? {
        guard p.magnitude < 1_000_000_000_000 else { return nil }
        let left = Int128(p) * Int128(powers[b.1])
        let right = Int128(b.0) * Int128(q)
        return left < right ? -1 : left == right ? 0 : 1
    }
}

/// The `Decimal`s of one evaluation: those of the program (constants, parameters, stored facts that
/// are not whole numbers), then those computed on the way, dropped by `reset`. With it, `FastNumber`
/// computes exactly what the reference's `Decimal`s would.
struct DecimalArena: Sendable {
    private(set) var values: [Decimal]
    private let fixedCount: Int

    init(_ values: [Decimal]) {
        self.values = values
        fixedCount = values.count
    }

    /// Forgets the decimals computed since the start.
    mutating func reset() {
        if values.count > fixedCount { values.removeLast(values.count - fixedCount) }
    }

    /// The number for a decimal: an integer or fixed-point number when it is one exactly.
    mutating func number(_ d: Decimal) -> FastNumber {
        if let exact = FastNumber.exact(d) { return exact }
        values.append(d)
        return .decimal(Int32(values.count - 1))
    }

    /// The `Decimal` the reference evaluator would hold.
    func decimal(_ n: FastNumber) -> Decimal {
        switch n {
        case .integer(let i): Decimal(i)
        case .fixed(let m, let s): Decimal(m) / Decimal(FastNumber.powers[s])
        case .ratio(let p, let q): Decimal(p) / Decimal(q)
        case .decimal(let i): values[Int(i)]
        }
    }

    /// A computed `Decimal` kept as it is (NaN included: the reference's overflow).
    private mutating func keep(_ d: Decimal) -> FastNumber {
        values.append(d)
        return .decimal(Int32(values.count - 1))
    }

    /// The result of an `ExactArithmetic` operation; a failure (the reference's evaluation error) is
    /// kept as NaN, which `isNaN` reports.
    private mutating func keep(_ result: Result<Decimal, ExactArithmetic.Failure>) -> FastNumber {
        switch result {
        case .success(let d): keep(d)
        case .failure: keep(Decimal.nan)
        }
    }

    /// -1, 0 or 1 (NaN compares as the reference's `x < y ? -1 : x == y ? 0 : 1` does).
    func compare(_ a: FastNumber, _ b: FastNumber) -> Int {
        if case .integer(let x) = a, case .integer(let y) = b { return x < y ? -1 : x == y ? 0 : 1 }
        if let sa = a.scaled, let sb = b.scaled, let (x, y, _) = FastNumber.aligned(sa, sb) { return x < y ? -1 : x == y ? 0 : 1 }
        if case .ratio(let p, let q) = a, let sb = b.scaled, let c = FastNumber.compareRatio(p, q, sb) { return c }
        if case .ratio(let p, let q) = b, let sa = a.scaled, let c = FastNumber.compareRatio(p, q, sa) { return -c }
        let x = decimal(a)
        let y = decimal(b)
        return x < y ? -1 : x == y ? 0 : 1
    }

    /// The sum, exactly as `ExactArithmetic.add` would give it (NaN when that fails).
    mutating func add(_ a: FastNumber, _ b: FastNumber) -> FastNumber {
        if let sa = a.scaled, let sb = b.scaled, let (x, y, s) = FastNumber.aligned(sa, sb) {
            let (r, o) = x.addingReportingOverflow(y)
            if !o { return s == 0 ? .integer(r) : .fixed(r, scale: s) }
        }
        return keep(ExactArithmetic.add(decimal(a), decimal(b)))
    }

    mutating func subtract(_ a: FastNumber, _ b: FastNumber) -> FastNumber {
        if let sa = a.scaled, let sb = b.scaled, let (x, y, s) = FastNumber.aligned(sa, sb) {
            let (r, o) = x.subtractingReportingOverflow(y)
            if !o { return s == 0 ? .integer(r) : .fixed(r, scale: s) }
        }
        return keep(ExactArithmetic.subtract(decimal(a), decimal(b)))
    }

    mutating func multiply(_ a: FastNumber, _ b: FastNumber) -> FastNumber {
        if let (x, sx) = a.scaled, let (y, sy) = b.scaled, sx + sy <= 18 {
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if !o { return sx + sy == 0 ? .integer(r) : .fixed(r, scale: sx + sy) }
        }
        return keep(ExactArithmetic.multiply(decimal(a), decimal(b)))
    }

    /// The quotient; the divisor is not zero.
    mutating func divide(_ a: FastNumber, _ b: FastNumber) -> FastNumber {
        if case .integer(let p) = a, case .integer(let q) = b, q != Int64.min, p != Int64.min {
            return q > 0 ? .ratio(p, q) : .ratio(-p, -q)
        }
        return keep(ExactArithmetic.divide(decimal(a), decimal(b)))
    }

    mutating func negate(_ a: FastNumber) -> FastNumber {
        switch a {
        case .integer(let i) where i != Int64.min: .integer(-i)
        case .fixed(let m, let s) where m != Int64.min: .fixed(-m, scale: s)
        default: keep(-decimal(a))
        }
    }

    /// The share of `trues` among `count` elements (count > 0), as the reference divides them.
    func share(_ trues: Int, of count: Int) -> FastNumber {
        .ratio(Int64(trues), Int64(count))
    }

    func isZero(_ n: FastNumber) -> Bool {
        switch n {
        case .integer(let i): i == 0
        case .fixed(let m, _): m == 0
        case .ratio(let p, _): p == 0
        case .decimal(let i): values[Int(i)] == 0
        }
    }

    /// Whether an operation failed (the reference's evaluation error: inexact, out of range).
    func isNaN(_ n: FastNumber) -> Bool {
        if case .decimal(let i) = n { return values[Int(i)].isNaN }
        return false
    }
}
