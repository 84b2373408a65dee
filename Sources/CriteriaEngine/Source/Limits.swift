/// Every bound the engine puts on its input, in one value.
///
/// The defaults follow `Docs/limits.md`. The CLI can override them; a server may only lower them.
/// Each breach is reported as a diagnostic that names the limit, the value seen and the place.
public struct Limits: Sendable, Hashable, Codable {
    /// Largest rule, test or plan file, in bytes.
    public var maxRuleFileBytes: Int
    /// Largest YAML dataset, in bytes.
    public var maxYAMLDataBytes: Int
    /// Largest JSON or CSV dataset file, in bytes.
    public var maxDataBytes: Int
    /// Deepest nesting of YAML collections in a rule file.
    public var maxRuleNesting: Int
    /// Deepest nesting of YAML or JSON collections in a dataset.
    public var maxDataNesting: Int
    /// Longest scalar, in Unicode scalars.
    public var maxScalarLength: Int
    /// Longest mapping key, in Unicode scalars.
    public var maxKeyLength: Int
    /// Longest expression, in Unicode scalars.
    public var maxExpressionLength: Int
    /// Deepest expression syntax tree.
    public var maxExpressionDepth: Int
    /// Most nodes in one expression's syntax tree.
    public var maxExpressionNodes: Int
    /// Most evaluation steps for one criterion's verdict on one entity.
    public var maxEvaluationSteps: Int
    /// Longest chain of criteria depending on criteria.
    public var maxGraphDepth: Int
    /// Most diagnostics reported in one run; the rest are counted.
    public var maxDiagnostics: Int

    /// The defaults documented in `Docs/limits.md`.
    public static let `default` = Limits(
        maxRuleFileBytes: 1 << 20,
        maxYAMLDataBytes: 16 << 20,
        maxDataBytes: 256 << 20,
        maxRuleNesting: 64,
        maxDataNesting: 32,
        maxScalarLength: 64 << 10,
        maxKeyLength: 256,
        maxExpressionLength: 4096,
        maxExpressionDepth: 64,
        maxExpressionNodes: 10_000,
        maxEvaluationSteps: 1_000_000,
        maxGraphDepth: 64,
        maxDiagnostics: 100
    )
}
