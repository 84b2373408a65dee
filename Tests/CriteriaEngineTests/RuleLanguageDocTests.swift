import CriteriaEngine
import Foundation
import Testing

/// Loads every worked example of `Docs/rule-language.md`, so the specification's examples stay true.
///
/// A block fenced ```` ```yaml example=NAME ```` must load without errors; a block fenced
/// ```` ```yaml invalid=ID ```` must give errors of exactly that id. Each is written to a temporary
/// file named after its criterion id and loaded with `Rules/` as its context.
@Suite struct RuleLanguageDocTests {
    /// One fenced example of the document.
    struct Block: Sendable, CustomTestStringConvertible {
        /// `example` or `invalid`.
        var kind: String
        /// The example's name, or the expected diagnostic id.
        var label: String
        /// The YAML text.
        var text: String
        /// The line of the opening fence, for messages.
        var line: Int

        var testDescription: String { "\(kind)=\(label) (line \(line))" }

        /// The file name: the criterion id with dots as dashes (`vd.sai-ten` → `vd-sai-ten.yaml`).
        var fileName: String {
            let id = text.split(separator: "\n").first { $0.hasPrefix("id: ") }.map { $0.dropFirst(4).trimmingCharacters(in: .whitespaces) }
            return (id ?? "example-\(line)").replacingOccurrences(of: ".", with: "-") + ".yaml"
        }
    }

    static let document = repositoryRoot + "/Docs/rule-language.md"

    /// The fenced examples of the document, in order.
    static let blocks: [Block] = {
        guard let text = try? String(contentsOfFile: document, encoding: .utf8) else { return [] }
        var result: [Block] = []
        var current: Block? = nil
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if var block = current {
                if line.hasPrefix("```") {
                    result.append(block)
                    current = nil
                } else {
                    block.text += line + "\n"
                    current = block
                }
                continue
            }
            for kind in ["example", "invalid"] where line.hasPrefix("```yaml \(kind)=") {
                let label = line.dropFirst("```yaml \(kind)=".count).trimmingCharacters(in: .whitespaces)
                current = Block(kind: kind, label: label, text: "", line: index + 1)
            }
        }
        return result
    }()

    @Test func theDocumentHasEnoughExamples() {
        #expect(Self.blocks.filter { $0.kind == "example" }.count >= 4)
        #expect(Self.blocks.filter { $0.kind == "invalid" }.count >= 3)
        let names = Self.blocks.map(\.fileName)
        #expect(Set(names).count == names.count, "two examples define the same criterion id")
    }

    @Test(arguments: blocks)
    func example(_ block: Block) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("RuleLanguageDoc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/" + block.fileName
        try block.text.write(toFile: path, atomically: true, encoding: .utf8)
        var errors: [Diagnostic] = []
        do {
            let graph = try RuleSetLoader.load(files: [path], context: repositoryRoot + "/Rules")
            errors = graph.diagnostics.filter { $0.severity == .error }
        } catch let error as DiagnosticsError {
            errors = error.diagnostics.filter { $0.severity == .error }
        }
        let shown = errors.map { "\($0.range.map { "\($0.start.line):\($0.start.column)" } ?? "-") \($0.id) \($0.message)" }
        switch block.kind {
        case "example":
            #expect(errors.isEmpty, "Docs/rule-language.md line \(block.line): \(shown.joined(separator: "; "))")
        default:
            #expect(!errors.isEmpty && errors.allSatisfy { $0.id.rawValue == block.label },
                "Docs/rule-language.md line \(block.line): expected only \(block.label), found \(shown.joined(separator: "; "))")
        }
    }
}
