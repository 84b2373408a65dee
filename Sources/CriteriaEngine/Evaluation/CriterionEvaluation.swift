/// Evaluates one criterion for one entity into a verdict with its explanation tree.
struct CriterionEvaluation {
    let graph: RuleGraph
    let dataset: Dataset
    let asOf: LocalDate
    var expressions: ExpressionEvaluator

    init(graph: RuleGraph, dataset: Dataset, asOf: LocalDate, outcomes: [String: [Int: Outcome]], maxSteps: Int) {
        self.graph = graph
        self.dataset = dataset
        self.asOf = asOf
        self.expressions = ExpressionEvaluator(graph: graph, dataset: dataset, asOf: asOf, outcomes: outcomes, maxSteps: maxSteps)
    }

    mutating func verdict(criterion id: String, entity: Int) -> Verdict {
        guard let version = graph.version(of: id, on: asOf) else {
            return notApplicable(id: id, entity: entity)
        }
        expressions.steps = 0
        expressions.exhaustedAt = nil
        var root = explain(version.root, entity: entity, year: asOf.year)
        root.kind = .criterion
        root.mattered = true
        let sentences = Sentences(graph: graph, dataset: dataset)
        root.sentence = sentences.criterion(root, templates: version.root.explain)
        return Verdict(
            entity: entity, criterion: id, outcome: root.outcome, explanation: root,
            stepBudgetExhaustedAt: expressions.exhaustedAt)
    }

    private func notApplicable(id: String, entity: Int) -> Verdict {
        let versions = graph.criteria[id] ?? []
        let first = versions.first
        let periodsVI = versions.map { $0.inForce.text(in: .vi) }.joined(separator: "; ")
        let periodsEN = versions.map { $0.inForce.text(in: .en) }.joined(separator: "; ")
        let title = first?.title ?? LocalizedText(vi: id)
        let explanation = Explanation(
            id: id, kind: .criterion, combinator: nil, outcome: .notApplicable, title: title, source: first?.source,
            expression: nil, values: [], requirement: nil,
            sentence: LocalizedText(
                vi: "Không áp dụng vào ngày \(asOf.vietnamese): tiêu chí có hiệu lực \(periodsVI).",
                en: "Not applicable on \(asOf): the criterion is in force \(periodsEN)."),
            missing: [], mattered: true, children: [])
        return Verdict(entity: entity, criterion: id, outcome: .notApplicable, explanation: explanation)
    }

    /// Explains a condition and everything in it, depth first, with an explicit stack of the groups
    /// being explained: nesting costs no thread stack.
    private mutating func explain(_ root: ConditionNode, entity: Int, year: Int) -> Explanation {
        guard case .group(_, let rootChildren) = root.body else { return explainCheck(root, entity: entity, year: year) }
        var stack: [(node: ConditionNode, children: [ConditionNode], explained: [Explanation])] = [(root, rootChildren, [])]
        while let top = stack.last {
            let index = top.explained.count
            if index < top.children.count {
                let child = top.children[index]
                if case .group(_, let grandchildren) = child.body {
                    stack.append((child, grandchildren, []))
                } else {
                    let explained = explainCheck(child, entity: entity, year: year)
                    stack[stack.count - 1].explained.append(explained)
                }
                continue
            }
            stack.removeLast()
            let explained = combine(top.node, top.explained)
            guard !stack.isEmpty else { return explained }
            stack[stack.count - 1].explained.append(explained)
        }
        return combine(root, [])
    }

    private mutating func explainCheck(_ node: ConditionNode, entity: Int, year: Int) -> Explanation {
        guard case .check(let expression, let source) = node.body else { return combine(node, []) }
        let sentences = Sentences(graph: graph, dataset: dataset)
        expressions.source = source
        expressions.trace = []
        let value = expressions.evaluate(expression, entity: entity, year: year)
        let values = expressions.trace ?? []
        expressions.trace = nil
        let outcome: Outcome
        var reasons: [UnknownReason] = []
        switch value {
        case .known(.bool(true)): outcome = .pass
        case .known(.bool(false)): outcome = .fail
        case .known: outcome = .unknown
        case .unknown(let r):
            outcome = .unknown
            reasons = r
        }
        let requirement = outcome == .unknown ? nil : self.requirement(for: expression, entity: entity, year: year)
        var result = Explanation(
            id: node.path, kind: .check, combinator: nil, outcome: outcome, title: node.title, source: node.source,
            expression: source.text, values: values, requirement: requirement, sentence: LocalizedText(vi: ""),
            missing: sentences.missing(reasons), mattered: false, children: [])
        result.sentence = sentences.check(result, templates: node.explain)
        return result
    }

    /// A group's explanation from its conditions' explanations.
    private func combine(_ node: ConditionNode, _ children: [Explanation]) -> Explanation {
        let kind: GroupKind
        if case .group(let k, _) = node.body { kind = k } else { kind = .all }
        var explained = children
        let outcomes = explained.map(\.outcome)
        let outcome: Outcome
        switch kind {
        case .all: outcome = Outcome.all(outcomes)
        case .any: outcome = Outcome.any(outcomes)
        case .none: outcome = Outcome.any(outcomes).negated
        case .atLeast(let n): outcome = Outcome.atLeast(n, outcomes)
        }
        for index in explained.indices {
            explained[index].mattered = Self.matters(explained[index].outcome, group: kind, outcome: outcome)
        }
        let combinator: String
        if case .atLeast(let n) = kind { combinator = "at_least \(n)" } else { combinator = kind.keyword }
        var missing: [MissingItem] = []
        if outcome == .unknown {
            for child in explained where child.outcome == .unknown {
                for item in child.missing where !missing.contains(item) { missing.append(item) }
            }
        }
        var result = Explanation(
            id: node.path, kind: .group, combinator: combinator, outcome: outcome, title: node.title,
            source: node.source, expression: nil, values: [], requirement: nil, sentence: LocalizedText(vi: ""),
            missing: missing, mattered: false, children: explained)
        result.sentence = Sentences(graph: graph, dataset: dataset).group(result, templates: node.explain)
        return result
    }

    /// Whether a child's outcome is one of the reasons for its group's outcome.
    static func matters(_ child: Outcome, group: GroupKind, outcome: Outcome) -> Bool {
        switch (group, outcome) {
        case (_, .unknown): return child == .unknown
        case (.all, .fail): return child == .fail
        case (.any, .pass): return child == .pass
        case (.none, .fail): return child == .pass
        case (.atLeast, .pass): return child == .pass
        case (.atLeast, .fail): return child == .fail
        default: return false
        }
    }

    /// For a check that compares two numbers, what was required and what was found.
    private mutating func requirement(for expression: CompiledExpression, entity: Int, year: Int) -> Requirement? {
        guard case .binary(let op, let l, let r) = expression.kind, op.isComparison, l.type.isNumber, r.type.isNumber else {
            return nil
        }
        let savedTrace = expressions.trace
        defer { expressions.trace = savedTrace }
        expressions.trace = nil
        guard case .known(let actual) = expressions.evaluate(l, entity: entity, year: year),
            case .known(let threshold) = expressions.evaluate(r, entity: entity, year: year)
        else { return nil }
        let percent = l.type == .number(percent: true) || r.type == .number(percent: true)
        return Requirement(
            comparison: op.rawValue, threshold: ValueFormatter.format(threshold, percent: percent),
            actual: ValueFormatter.format(actual, percent: percent), unit: percent ? nil : unit(of: l),
            position: ExpressionEvaluator.compare(actual, threshold) ?? 0)
    }

    private func unit(of e: CompiledExpression) -> LocalizedText? {
        switch e.kind {
        case .fact(_, let name): graph.inputs[name]?.unit
        case .year(_, let inner): unit(of: inner)
        case .quantifier(.sum, _, _, let body): unit(of: body)
        case .binary(_, let a, let b): unit(of: a) ?? unit(of: b)
        default: nil
        }
    }
}
