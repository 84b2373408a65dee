import CriteriaCLI
import Foundation
import Testing

/// `criteria graph`: valid Mermaid and DOT, criteria joined by their `meets` edges.
@Suite("criteria graph")
struct GraphCommandTests {
    /// The node keys declared in a Mermaid flowchart (with their lines) and its edges (from, label, to).
    func mermaidStructure(_ text: String) -> (nodes: [String: String], edges: [(String, String?, String)]) {
        var nodes: [String: String] = [:]
        var edges: [(String, String?, String)] = []
        let edge = /^(\w+) (?:-->|-\.->|==>(?:\|"([^"]*)"\|)?) (\w+)$/
        let node = /^(\w+)[\[\(\{]/
        for line in text.split(separator: "\n").dropFirst().map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("classDef ") || line.hasPrefix("class ") { continue }
            if let match = line.wholeMatch(of: edge) {
                edges.append((String(match.1), match.2.map(String.init), String(match.3)))
            } else if let match = line.prefixMatch(of: node) {
                nodes[String(match.1)] = line
            } else {
                Issue.record("a line that is neither a node, an edge nor a class: \(line)")
            }
        }
        return (nodes, edges)
    }

    @Test("Mermaid: a flowchart whose edges join declared nodes; 9.4 reads 19.2 of every commune")
    func mermaid() {
        let out = criteria("graph", "--rules", Paths.rules, "--criterion", "huyen-ntm-nang-cao.9.1")
        #expect(out.exitCode == 0)
        #expect(out.stdout.hasPrefix("flowchart TD\n"))
        let (nodes, edges) = mermaidStructure(out.stdout)
        for (from, _, to) in edges {
            #expect(nodes[from] != nil, "edge from undeclared node \(from)")
            #expect(nodes[to] != nil, "edge to undeclared node \(to)")
        }
        for (key, line) in nodes {
            #expect(key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            #expect(line.filter { $0 == "\"" }.count == 2, "a label must be one quoted string: \(line)")
        }
        func key(_ id: String) -> String? { nodes.first { $0.value.contains("\"\(id)<br/>") }?.key }
        let meets = edges.filter { $0.1 != nil }.map { "\($0.0) \($0.1 ?? "") \($0.2)" }
        #expect(meets.contains("\(key("huyen-ntm.9.4") ?? "?") mọi xã \(key("xa-ntm.19.2") ?? "?")"))
        #expect(meets.contains("\(key("huyen-ntm-nang-cao.9.1") ?? "?") tỷ lệ xã \(key("xa-ntm-nang-cao.19.2") ?? "?")"))
        #expect(meets.contains("\(key("huyen-ntm-nang-cao.9.1") ?? "?") cùng huyện \(key("huyen-ntm.9.4") ?? "?")"))
        #expect(meets.contains("\(key("xa-ntm-nang-cao.19.2") ?? "?") cùng xã \(key("xa-ntm.19.2") ?? "?")"))
        #expect(key("xa-ntm-kieu-mau.antt") == nil, "a criterion 9.1 does not depend on is drawn")
        #expect(out.stdout.contains("#quot;xa-ntm.19.2#quot;"))
    }

    @Test("--inputs draws the inputs and parameters read")
    func inputs() {
        let out = criteria("graph", "--rules", Paths.rules, "--criterion", "xa-ntm.19.2", "--inputs", "--lang", "en")
        let (nodes, edges) = mermaidStructure(out.stdout)
        #expect(nodes["i_antt_recognised"]?.contains("Recognised “Safe for security and order”") == true)
        #expect(nodes["p_safe_unit_share"]?.contains("70% from 2022-02-10") == true)
        #expect(edges.contains { $0.2 == "i_antt_recognised" })
        #expect(edges.filter { $0.2 == "i_social_order_crimes" }.count == 1)
    }

    @Test("DOT: balanced, every node declared once, accepted by Graphviz when it is installed")
    func dot() throws {
        let out = criteria("graph", "--rules", Paths.rules, "--format", "dot", "--inputs")
        #expect(out.exitCode == 0)
        let text = out.stdout
        #expect(text.hasPrefix("digraph criteria {\n"))
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("-> c0 [label=\"mọi xã\", style=bold"))
        var quoted = false
        var escaped = false
        var depth = 0
        for character in text {
            if escaped { escaped = false; continue }
            if quoted && character == "\\" { escaped = true; continue }
            if character == "\"" { quoted.toggle(); continue }
            if !quoted && character == "{" { depth += 1 }
            if !quoted && character == "}" { depth -= 1 }
        }
        #expect(!quoted && depth == 0)
        let dot = "/usr/bin/dot"
        guard FileManager.default.isExecutableFile(atPath: dot) else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg", "-o", "/dev/null"]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "dot: \(message)")
        #expect(message.isEmpty, "dot warned: \(message)")
    }
}
