/// The evaluation graph as a diagram: criteria, their conditions, the `meets` dependencies between
/// criteria (labelled with how the other criterion is read: "mọi xã", "tỷ lệ xã", "cùng xã"), and
/// optionally the inputs and parameters each check reads. Rendered as Mermaid or Graphviz DOT.
///
/// Each criterion is drawn from its latest version.
package struct RuleGraphDiagram: Sendable {
    /// What a node stands for.
    package enum NodeKind: String, Sendable, Hashable {
        /// A criterion.
        case criterion
        /// A group of conditions (`all`, `any`, `none`, `at_least`) below the criterion.
        case group
        /// A leaf check.
        case check
        /// A declared input read by a check.
        case input
        /// A named parameter read by a check.
        case parameter
    }

    /// What an edge stands for.
    package enum EdgeKind: String, Sendable, Hashable {
        /// From a criterion or group to one of its conditions.
        case condition
        /// From a criterion to a criterion it reads with `meets`.
        case meets
        /// From a check to an input or parameter it reads.
        case reads
    }

    /// A node: a key unique in the diagram (`c0`, `k3`, `i_safe_antt`) and its label lines.
    package struct Node: Sendable, Hashable {
        /// The key, made of ASCII letters, digits and `_`.
        package var key: String
        /// What it stands for.
        package var kind: NodeKind
        /// The label, one line per element.
        package var lines: [String]
        /// Whether it rests on a provisional clause of its own.
        package var provisional: Bool
    }

    /// An edge between two nodes.
    package struct Edge: Sendable, Hashable {
        /// The key of the node it starts from.
        package var from: String
        /// The key of the node it points to.
        package var to: String
        /// What it stands for.
        package var kind: EdgeKind
        /// Its label, if any.
        package var label: String?
    }

    /// The nodes, criteria first in evaluation order, each followed by its conditions.
    package private(set) var nodes: [Node] = []
    /// The edges.
    package private(set) var edges: [Edge] = []

    /// Builds the diagram of the given criteria and everything they depend on (every criterion when
    /// `criteria` is empty). Ids must exist in the graph; unknown ones are skipped.
    package init(graph: RuleGraph, criteria roots: [String] = [], inputs: Bool = false, language: Language = .vi) {
        var selected = Set<String>()
        var stack = roots.isEmpty ? graph.order : roots
        while let id = stack.popLast() {
            guard selected.insert(id).inserted else { continue }
            for version in graph.criteria[id] ?? [] { stack.append(contentsOf: version.dependencies) }
        }
        let ids = graph.order.filter(selected.contains)
        var criterionKeys: [String: String] = [:]
        for (index, id) in ids.enumerated() { criterionKeys[id] = "c\(index)" }
        var builder = Builder(graph: graph, language: language, criterionKeys: criterionKeys, inputs: inputs)
        for id in ids {
            guard let version = graph.criteria[id]?.last, let key = criterionKeys[id] else { continue }
            builder.criterion(version, key: key)
        }
        nodes = builder.nodes + builder.readNodes
        edges = builder.edges
    }

    // MARK: Mermaid

    /// The diagram as a Mermaid flowchart (`flowchart TD`).
    package func mermaid() -> String {
        var out = "flowchart TD\n"
        for node in nodes {
            let label = "\"" + node.lines.map(Self.mermaidText).joined(separator: "<br/>") + "\""
            let shape: String
            switch node.kind {
            case .criterion: shape = "[\(label)]"
            case .group: shape = "{{\(label)}}"
            case .check: shape = "(\(label))"
            case .input: shape = "[/\(label)/]"
            case .parameter: shape = "[(\(label))]"
            }
            out += "    \(node.key)\(shape)\n"
        }
        for edge in edges {
            let label = edge.label.map { "|\"\(Self.mermaidText($0))\"|" } ?? ""
            switch edge.kind {
            case .condition: out += "    \(edge.from) --> \(edge.to)\n"
            case .meets: out += "    \(edge.from) ==>\(label) \(edge.to)\n"
            case .reads: out += "    \(edge.from) -.-> \(edge.to)\n"
            }
        }
        out += "    classDef criterion fill:#e8f0fe,stroke:#1a56db,stroke-width:2px\n"
        out += "    classDef provisional stroke:#b7791f,stroke-width:2px,stroke-dasharray:5 3\n"
        out += "    classDef input fill:#f6f8fa,stroke:#8c959f\n"
        for (kind, style) in [(NodeKind.criterion, "criterion"), (.input, "input"), (.parameter, "input")] {
            let keys = nodes.filter { $0.kind == kind }.map(\.key)
            if !keys.isEmpty { out += "    class \(keys.joined(separator: ",")) \(style)\n" }
        }
        let provisional = nodes.filter { $0.provisional && $0.kind != .criterion }.map(\.key)
        if !provisional.isEmpty { out += "    class \(provisional.joined(separator: ",")) provisional\n" }
        return out
    }

    /// Text inside a quoted Mermaid label: quotes and markup characters become entity codes.
    static func mermaidText(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            case "#": out += "#35;"
            case "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    // MARK: DOT

    /// The diagram as a Graphviz DOT digraph.
    package func dot() -> String {
        var out = "digraph criteria {\n"
        out += "    graph [rankdir=TB, fontname=\"Helvetica\"];\n"
        out += "    node [fontname=\"Helvetica\", fontsize=10];\n"
        out += "    edge [fontname=\"Helvetica\", fontsize=9];\n"
        for node in nodes {
            var attributes = ["label=" + Self.dotString(node.lines.joined(separator: "\n"))]
            switch node.kind {
            case .criterion: attributes += ["shape=box", "style=\"filled,bold\"", "fillcolor=\"#e8f0fe\"", "color=\"#1a56db\""]
            case .group: attributes += ["shape=hexagon"]
            case .check: attributes += ["shape=box", "style=rounded"]
            case .input: attributes += ["shape=parallelogram", "style=filled", "fillcolor=\"#f6f8fa\""]
            case .parameter: attributes += ["shape=cylinder", "style=filled", "fillcolor=\"#f6f8fa\""]
            }
            if node.provisional && node.kind != .criterion {
                attributes += ["color=\"#b7791f\"", node.kind == .check ? "style=\"rounded,dashed\"" : "penwidth=2"]
            }
            out += "    \(node.key) [\(attributes.joined(separator: ", "))];\n"
        }
        for edge in edges {
            var attributes: [String] = []
            if let label = edge.label { attributes.append("label=" + Self.dotString(label)) }
            switch edge.kind {
            case .condition: break
            case .meets: attributes += ["style=bold", "color=\"#1a56db\""]
            case .reads: attributes += ["style=dashed", "color=\"#8c959f\"", "arrowhead=open"]
            }
            out += "    \(edge.from) -> \(edge.to)" + (attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]") + ";\n"
        }
        return out + "}\n"
    }

    /// A DOT quoted string: backslashes and quotes escaped, newlines as `\n`.
    static func dotString(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": break
            default: out.append(character)
            }
        }
        return out + "\""
    }

    // MARK: Building

    private struct Builder {
        let graph: RuleGraph
        let language: Language
        let criterionKeys: [String: String]
        let inputs: Bool
        var nodes: [Node] = []
        var readNodes: [Node] = []
        var edges: [Edge] = []
        var conditionCount = 0
        var readKeys = Set<String>()

        init(graph: RuleGraph, language: Language, criterionKeys: [String: String], inputs: Bool) {
            self.graph = graph
            self.language = language
            self.criterionKeys = criterionKeys
            self.inputs = inputs
        }

        mutating func criterion(_ version: CriterionVersion, key: String) {
            let vi = language == .vi
            var facts = [vi ? version.level.vietnamese : version.level.name, version.inForce.text(in: language)]
            if case .group(let kind, _) = version.root.body { facts.append(Self.combinator(kind, language)) }
            if version.source.status == .provisional { facts.append(vi ? "tạm thời" : "provisional") }
            nodes.append(
                Node(
                    key: key, kind: .criterion, lines: [version.id, version.title.text(in: language), facts.joined(separator: " · ")],
                    provisional: version.source.status == .provisional))
            var meets: [(String, String)] = []
            if case .group(_, let children) = version.root.body {
                for child in children { condition(child, parent: key, criterion: version, meets: &meets) }
            }
            var seen = Set<String>()
            for (target, label) in meets where seen.insert(target + "\u{0}" + label).inserted {
                guard let to = criterionKeys[target] else { continue }
                edges.append(Edge(from: key, to: to, kind: .meets, label: label))
            }
        }

        mutating func condition(_ node: ConditionNode, parent: String, criterion: CriterionVersion, meets: inout [(String, String)]) {
            let key = "k\(conditionCount)"
            conditionCount += 1
            let provisional = node.source?.status == .provisional && node.source != criterion.source
            edges.append(Edge(from: parent, to: key, kind: .condition, label: nil))
            switch node.body {
            case .group(let kind, let children):
                nodes.append(
                    Node(
                        key: key, kind: .group, lines: [node.id, node.title.text(in: language), Self.combinator(kind, language)],
                        provisional: provisional))
                for child in children { condition(child, parent: key, criterion: criterion, meets: &meets) }
            case .check(let expression, let source):
                nodes.append(Node(key: key, kind: .check, lines: [node.id, node.title.text(in: language), source.text], provisional: provisional))
                var reads: [(kind: NodeKind, name: String)] = []
                Self.walk(expression, binders: [:], level: criterion.level, language: language, meets: &meets, reads: &reads)
                guard inputs else { return }
                var seen = Set<String>()
                for read in reads where seen.insert(read.name).inserted {
                    let readKey = (read.kind == .input ? "i_" : "p_") + read.name
                    if readKeys.insert(readKey).inserted { readNodes.append(readNode(read.kind, read.name, key: readKey)) }
                    edges.append(Edge(from: key, to: readKey, kind: .reads, label: nil))
                }
            }
        }

        func readNode(_ kind: NodeKind, _ name: String, key: String) -> Node {
            if kind == .input, let input = graph.inputs[name] {
                let level = language == .vi ? input.level.vietnamese : input.level.name
                return Node(key: key, kind: .input, lines: [name, input.label.text(in: language), level], provisional: false)
            }
            let parameter = graph.parameters[name]
            var lines = [name]
            if let title = parameter?.title { lines.append(title.text(in: language)) }
            if let parameter, let last = parameter.values.last {
                let value = last.groups == nil ? ValueFormatter.format(last.value, percent: parameter.type == .percent) : last.shown(in: language)
                lines.append(language == .vi ? "\(value) từ \(last.from.vietnamese)" : "\(value) from \(last.from)")
            }
            return Node(key: key, kind: .parameter, lines: lines, provisional: parameter?.source?.status == .provisional)
        }

        static func combinator(_ kind: GroupKind, _ language: Language) -> String {
            let vi = language == .vi
            switch kind {
            case .all: return vi ? "tất cả điều kiện (all)" : "every condition (all)"
            case .any: return vi ? "ít nhất một điều kiện (any)" : "at least one condition (any)"
            case .none: return vi ? "không điều kiện nào (none)" : "no condition (none)"
            case .atLeast(let n): return vi ? "ít nhất \(n) điều kiện (at_least)" : "at least \(n) conditions (at_least)"
            }
        }

        /// Collects the criteria read with `meets` (with how they are read) and the inputs and
        /// parameters read. Recursion follows the expression tree, whose depth the parser bounds.
        static func walk(
            _ e: CompiledExpression, binders: [Int: (Quantifier, Level?)], level: Level, language: Language,
            meets: inout [(String, String)], reads: inout [(kind: NodeKind, name: String)]
        ) {
            func go(_ child: CompiledExpression, _ b: [Int: (Quantifier, Level?)] = binders) {
                walk(child, binders: b, level: level, language: language, meets: &meets, reads: &reads)
            }
            switch e.kind {
            case .constant, .variable: break
            case .fact(let subject, let name):
                if let subject { go(subject) }
                reads.append((.input, name))
            case .parameter(let name): reads.append((.parameter, name))
            case .collection(let subject, _), .attribute(let subject, _):
                if let subject { go(subject) }
            case .unary(_, let a), .size(let a), .year(_, let a), .has(let a): go(a)
            case .binary(_, let a, let b):
                go(a)
                go(b)
            case .conditional(let a, let b, let c):
                go(a)
                go(b)
                go(c)
            case .list(let items): for item in items { go(item) }
            case .quantifier(let q, let list, let slot, let body):
                go(list)
                var inner = binders
                if case .collection(_, let collected) = list.kind { inner[slot] = (q, collected) } else { inner[slot] = (q, nil) }
                go(body, inner)
            case .meets(let subject, let criterion):
                var label = "?"
                if let subject, case .variable(let slot) = subject.kind, let (q, collected) = binders[slot] {
                    label = meetsLabel(q, collected ?? level, language)
                } else if let subject {
                    go(subject)
                } else {
                    label = language == .vi ? "cùng \(level.vietnamese)" : "same \(level.name)"
                }
                meets.append((criterion, label))
            }
        }

        static func meetsLabel(_ q: Quantifier, _ level: Level, _ language: Language) -> String {
            let word = language == .vi ? level.vietnamese : level.name
            let plural = language == .vi ? level.vietnamese : level.pluralName
            switch (q, language) {
            case (.all, .vi): return "mọi \(word)"
            case (.all, .en): return "every \(word)"
            case (.share, .vi): return "tỷ lệ \(word)"
            case (.share, .en): return "share of \(plural)"
            case (.count, .vi): return "số \(word)"
            case (.count, .en): return "number of \(plural)"
            case (.exists, .vi): return "ít nhất một \(word)"
            case (.exists, .en): return "some \(word)"
            case (.filter, .vi), (.sum, .vi): return "các \(word)"
            case (.filter, .en), (.sum, .en): return plural
            }
        }
    }
}
