import ArgumentParser
import CriteriaEngine

/// The options that raise or lower the fields of `Limits` (`Docs/limits.md`), shared by lint, check,
/// explain, test, report, diff and changes. An option not given keeps the default.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-file-size"), help: ArgumentHelp("Largest rule, rule test or plan file (bytes; K, M or G for KiB, MiB, GiB). Default 1M.", valueName: "size"))
    var maxFileSize: ByteCount?

    @Option(name: .customLong("max-yaml-data-size"), help: ArgumentHelp("Largest YAML dataset. Default 16M.", valueName: "size"))
    var maxYAMLDataSize: ByteCount?

    @Option(name: .customLong("max-data-size"), help: ArgumentHelp("Largest JSON dataset, CSV table or .xlsx workbook. Default 256M.", valueName: "size"))
    var maxDataSize: ByteCount?

    @Option(name: .customLong("max-nesting"), help: ArgumentHelp("Deepest nesting of YAML collections in a rule file (1 to 999). Default 64.", valueName: "n"))
    var maxNesting: Int?

    @Option(name: .customLong("max-data-nesting"), help: ArgumentHelp("Deepest nesting of YAML or JSON collections in a dataset (1 to 999). Default 32.", valueName: "n"))
    var maxDataNesting: Int?

    @Option(name: .customLong("max-value-length"), help: ArgumentHelp("Longest value, in characters. Default 65536.", valueName: "n"))
    var maxValueLength: Int?

    @Option(name: .customLong("max-key-length"), help: ArgumentHelp("Longest mapping key, in characters. Default 256.", valueName: "n"))
    var maxKeyLength: Int?

    @Option(name: .customLong("max-expression-length"), help: ArgumentHelp("Longest expression, in characters. Default 4096.", valueName: "n"))
    var maxExpressionLength: Int?

    @Option(name: .customLong("max-expression-depth"), help: ArgumentHelp("Deepest expression (1 to 128). Default 64.", valueName: "n"))
    var maxExpressionDepth: Int?

    @Option(name: .customLong("max-expression-nodes"), help: ArgumentHelp("Most parts in one expression. Default 10000.", valueName: "n"))
    var maxExpressionNodes: Int?

    @Option(name: .customLong("max-steps"), help: ArgumentHelp("Most evaluation steps for one criterion and entity. Default 1000000.", valueName: "n"))
    var maxSteps: Int?

    @Option(name: .customLong("max-graph-depth"), help: ArgumentHelp("Longest chain of criteria reading criteria. Default 64.", valueName: "n"))
    var maxGraphDepth: Int?

    @Option(name: .customLong("max-diagnostics"), help: ArgumentHelp("Most problems reported in one run. Default 100.", valueName: "n"))
    var maxDiagnostics: Int?

    /// The largest nesting that may be asked for: libyaml stops at 1000 levels on its own.
    static let nestingCeiling = 999
    /// The deepest expression that may be asked for: the checker and the evaluator recurse once per
    /// level, and 128 levels fit a 512 KiB thread stack with room to spare (Docs/limits.md).
    static let expressionDepthCeiling = 128

    /// Refuses values out of range (exit code 64).
    func validate() throws {
        let counts: [(String, Int?, ClosedRange<Int>)] = [
            ("--max-nesting", maxNesting, 1...Self.nestingCeiling),
            ("--max-data-nesting", maxDataNesting, 1...Self.nestingCeiling),
            ("--max-value-length", maxValueLength, 1...Int.max),
            ("--max-key-length", maxKeyLength, 1...Int.max),
            ("--max-expression-length", maxExpressionLength, 1...Int.max),
            ("--max-expression-depth", maxExpressionDepth, 1...Self.expressionDepthCeiling),
            ("--max-expression-nodes", maxExpressionNodes, 1...Int.max),
            ("--max-steps", maxSteps, 1...Int.max),
            ("--max-graph-depth", maxGraphDepth, 1...Int.max),
            ("--max-diagnostics", maxDiagnostics, 1...Int.max),
        ]
        for (flag, value, range) in counts {
            guard let value, !range.contains(value) else { continue }
            let upper = range.upperBound == Int.max ? "" : " to \(range.upperBound)"
            throw ValidationError("\(flag) must be \(range.lowerBound)\(upper), not \(value)")
        }
    }

    /// The default limits with the options given applied.
    var limits: Limits {
        var limits = Limits.default
        if let maxFileSize { limits.maxRuleFileBytes = maxFileSize.bytes }
        if let maxYAMLDataSize { limits.maxYAMLDataBytes = maxYAMLDataSize.bytes }
        if let maxDataSize { limits.maxDataBytes = maxDataSize.bytes }
        if let maxNesting { limits.maxRuleNesting = maxNesting }
        if let maxDataNesting { limits.maxDataNesting = maxDataNesting }
        if let maxValueLength { limits.maxScalarLength = maxValueLength }
        if let maxKeyLength { limits.maxKeyLength = maxKeyLength }
        if let maxExpressionLength { limits.maxExpressionLength = maxExpressionLength }
        if let maxExpressionDepth { limits.maxExpressionDepth = maxExpressionDepth }
        if let maxExpressionNodes { limits.maxExpressionNodes = maxExpressionNodes }
        if let maxSteps { limits.maxEvaluationSteps = maxSteps }
        if let maxGraphDepth { limits.maxGraphDepth = maxGraphDepth }
        if let maxDiagnostics { limits.maxDiagnostics = maxDiagnostics }
        return limits
    }
}

/// A number of bytes written as digits, optionally followed by K, M or G (binary: KiB, MiB, GiB).
struct ByteCount: ExpressibleByArgument, Sendable, Equatable {
    /// The number of bytes.
    var bytes: Int

    /// Reads `1048576`, `512K`, `16M`, `16MiB`, `1G`; refuses anything else, zero, and sizes that do
    /// not fit in an `Int`.
    init?(argument: String) {
        var text = Substring(argument.uppercased())
        if text.hasSuffix("IB") { text = text.dropLast(2) } else if text.hasSuffix("B") { text = text.dropLast() }
        var multiplier = 1
        switch text.last {
        case "K": multiplier = 1 << 10
        case "M": multiplier = 1 << 20
        case "G": multiplier = 1 << 30
        default: break
        }
        if multiplier > 1 { text = text.dropLast() }
        guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let value = Int(text), value > 0
        else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        self.bytes = bytes
    }

    /// Shown in help for the default.
    var defaultValueDescription: String { "\(bytes)" }
}
