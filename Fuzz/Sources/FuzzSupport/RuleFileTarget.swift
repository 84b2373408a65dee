@_spi(Fuzz) import CriteriaEngine

/// Bytes → rule file: `SourceReader.decode` (UTF-8, byte-order marks), `RuleFileParser.parse` (the
/// pre-scan, Yams, the tree walk, the schema, the expressions), then, when the file parses, the rule
/// checker with the repository's `Rules/` as context (names, types, versions, cycles).
enum RuleFileTarget {
    static let path = "fuzz.yaml"

    static func run(_ bytes: [UInt8]) {
        let file: SourceFile
        do {
            file = try SourceReader.decode(bytes, path: path)
        } catch {
            FuzzProperty.expectLocated(error.diagnostics, in: nil, input: bytes)
            return
        }
        let (parsed, diagnostics) = RuleFileParser.parse(file)
        FuzzProperty.expectLocated(diagnostics, in: file, input: bytes)
        guard let parsed, !diagnostics.contains(where: { $0.severity == .error }) else { return }
        do {
            _ = try RuleSetLoader.check(FuzzContext.shared.files(standingIn: parsed))
        } catch {
            FuzzProperty.expectLocated(error.diagnostics.filter { $0.range?.file == path }, in: file, input: bytes)
            FuzzProperty.expectLocated(error.diagnostics.filter { $0.range?.file != path }, in: nil, input: bytes)
        }
    }
}
