import Foundation

/// The result of an expression for the verdict evaluator: a value, or unknown. An unknown keeps what
/// the reference's list of reasons decides: how many reasons it has (a fold keeps at most about 50),
/// whether they are all missing facts (which `has` turns into `false`), and whether one is a failed
/// computation (which stops a `share` or `count` from being decided by its bounds).
enum FastResult: Sendable {
    case known(FastValue)
    case unknown(reasons: Int, onlyMissing: Bool, error: Bool)

    /// A failed computation (the reference's `evaluationError`).
    static let failure = FastResult.unknown(reasons: 1, onlyMissing: false, error: true)
    /// A missing fact.
    static let missing = FastResult.unknown(reasons: 1, onlyMissing: true, error: false)
    /// Any other reason: no entities, another criterion's verdict, a parameter, an attribute.
    static let other = FastResult.unknown(reasons: 1, onlyMissing: false, error: false)

    @inline(__always) var reasonCount: Int {
        if case .unknown(let n, _, _) = self { return n }
        return 0
    }

    @inline(__always) var onlyMissing: Bool {
        if case .unknown(_, let m, _) = self { return m }
        return true
    }

    @inline(__always) var hasError: Bool {
        if case .unknown(_, _, let e) = self { return e }
        return false
    }

    /// The unknown made of the reasons of two results, as the reference concatenates them.
    @inline(__always) static func merged(_ a: FastResult, _ b: FastResult) -> FastResult {
        .unknown(
            reasons: a.reasonCount + b.reasonCount, onlyMissing: a.onlyMissing && b.onlyMissing, error: a.hasError || b.hasError)
    }

    /// The unknown made of the reasons of three results.
    @inline(__always) static func merged(_ a: FastResult, _ b: FastResult, _ c: FastResult) -> FastResult {
        .unknown(
            reasons: a.reasonCount + b.reasonCount + c.reasonCount, onlyMissing: a.onlyMissing && b.onlyMissing && c.onlyMissing,
            error: a.hasError || b.hasError || c.hasError)
    }
}
