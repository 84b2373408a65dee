import Foundation

/// Evaluates one criterion for one entity into a verdict with its explanation tree.
struct CriterionEvaluation {
    let graph: RuleGraph
    let dataset: Dataset
    let asOf: LocalDate
    var expressions: ExpressionEvaluator
    let sentences: Sentences
    private var groupSentences: [GroupSentenceKey: LocalizedText] = [:]
    private var checkSentences: [CheckSentenceKey: LocalizedText] = [:]

    init(
        graph: RuleGraph, dataset: Dataset, asOf: LocalDate, outcomes: OutcomeColumns, maxSteps: Int,
        cancellation: CancellationToken? = nil
    ) {
        self.graph = graph
        self.dataset = dataset
        self.asOf = asOf
        self.expressions = ExpressionEvaluator(
            graph: graph, dataset: dataset, asOf: asOf, outcomes: outcomes, maxSteps: maxSteps, cancellation: cancellation)
        self.sentences = Sentences(graph: graph, dataset: dataset)
    }

    mutating func verdict(criterion id: String, entity: Int) -> Verdict {
        guard let version = graph.version(of: id, on: asOf) else {
            return notApplicable(id: id, entity: entity)
        }
        expressions.steps = 0
        expressions.checkpoint.reset()
        expressions.exhaustedAt = nil
        expressions.period = version.period
        var root = explain(version.root, entity: entity, year: asOf.year)
        root.kind = .criterion
        root.mattered = true
        let sentence = sentences.criterion(root, templates: version.root.explain)
        root.sentence = sentence
        return Verdict(
            entity: entity, criterion: id, outcome: root.outcome, explanation: root,
            stepBudgetExhaustedAt: expressions.exhaustedAt)
    }

    private func notApplicable(id: String, entity: Int) -> Verdict {
        let versions = graph.criteria[id] ?? []
        let first = versions.first
        let title = first?.title ?? LocalizedText(vi: id)
        let explanation = Explanation(
            id: id, kind: .criterion, combinator: nil, outcome: .notApplicable, title: title, source: first?.source,
            expression: nil, values: [], requirement: nil, sentence: Sentences.notInForce(on: asOf, versions: versions),
            missing: [], mattered: true, children: [])
        return Verdict(entity: entity, criterion: id, outcome: .notApplicable, explanation: explanation)
    }

    /// Explains a condition and everything in it, depth first, with an explicit stack of the groups
    /// being explained: nesting costs no thread stack.
    private mutating func explain(_ root: ConditionNode, entity: Int, year: Int) -> Explanation {
        guard case .group(_, let rootChildren) = root.body else { return explainCheck(root, entity: entity, year: year) }
        var stack: [(node: ConditionNode, children: [ConditionNode], explained: [Explanation])] = [(root, rootChildren, [])]
        while let last = stack.indices.last {
            let index = stack[last].explained.count
            if index < stack[last].children.count {
                let child = stack[last].children[index]
                if case .group(_, let grandchildren) = child.body {
                    stack.append((child, grandchildren, []))
                } else {
                    let explained = explainCheck(child, entity: entity, year: year)
                    stack[last].explained.append(explained)
                }
                continue
            }
            // Taken off the stack first, so that the children's nodes are this group's alone and
            // marking which mattered changes them in place (a shared node would be copied).
            var (node, _, children) = stack.removeLast()
            let explained = combine(node, &children)
            guard let parent = stack.indices.last else { return explained }
            stack[parent].explained.append(explained)
        }
        var none: [Explanation] = []
        return combine(root, &none)
    }

    private mutating func explainCheck(_ node: ConditionNode, entity: Int, year: Int) -> Explanation {
        guard case .check(let expression, let source) = node.body else {
            var none: [Explanation] = []
            return combine(node, &none)
        }
        expressions.source = source
        expressions.trace = []
        expressions.comparedOperands = nil
        expressions.foldSizes.removeAll(keepingCapacity: true)
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
        let requirement = outcome == .unknown ? nil : self.requirement(for: expression)
        var result = Explanation(
            id: node.path, kind: .check, combinator: nil, outcome: outcome, title: node.title, source: node.source,
            expression: source.text, values: values, requirement: requirement, sentence: LocalizedText(vi: ""),
            missing: sentences.missing(reasons), mattered: false, children: [])
        // A check that passed or failed has no missing items: its sentence depends only on the check,
        // the outcome, the requirement and the facts found false, so it is made once per chunk of
        // entities for each of them (made anew, two sentences a check took a fifth of the time).
        if outcome == .pass || outcome == .fail {
            let falses = values.compactMap { $0.value == "false" && $0.entityID != nil ? $0.label : nil }
            let key = CheckSentenceKey(path: node.path, outcome: outcome, requirement: requirement, falses: falses)
            if let known = checkSentences[key] {
                result.sentence = known
            } else {
                result.sentence = sentences.check(result, templates: node.explain)
                if checkSentences.count < Self.maxCachedSentences { checkSentences[key] = result.sentence }
            }
        } else {
            result.sentence = sentences.check(result, templates: node.explain)
        }
        return result
    }

    /// A group's explanation from its conditions' explanations, which it marks as mattering or not.
    private func combine(_ node: ConditionNode, _ explained: inout [Explanation]) -> Explanation {
        let kind: GroupKind
        if case .group(let k, _) = node.body { kind = k } else { kind = .all }
        let outcome = GroupTally(explained.map(\.outcome)).outcome(of: kind)
        for index in explained.indices {
            explained[index].mattered = Self.matters(explained[index].outcome, group: kind, outcome: outcome)
        }
        return group(node, kind, outcome: outcome, children: explained)
    }

    /// A group's node, from its outcome and its children's nodes (all of them, or only those that
    /// mattered: the missing items and the sentence read only those).
    private func group(
        _ node: ConditionNode, _ kind: GroupKind, outcome: Outcome, children explained: [Explanation],
        sentence known: LocalizedText? = nil
    ) -> Explanation {
        var missing: [MissingItem] = []
        if outcome == .unknown {
            for index in explained.indices where explained[index].outcome == .unknown {
                for item in explained[index].missing where !missing.contains(item) { missing.append(item) }
            }
        }
        let draft = Explanation(
            id: node.path, kind: .group, combinator: kind, outcome: outcome, title: node.title,
            source: node.source, expression: nil, values: [], requirement: nil, sentence: LocalizedText(vi: ""),
            missing: missing, mattered: false, children: explained)
        let sentence = known ?? sentences.group(draft, templates: node.explain)
        var result = consume draft
        result.sentence = sentence
        return result
    }

    /// What the sentence of a check that passed or failed depends on (with the check's title and
    /// templates, which its path names).
    struct CheckSentenceKey: Hashable {
        var path: String
        var outcome: Outcome
        var requirement: Requirement?
        var falses: [LocalizedText]

        /// A cheap hash of what usually differs (equality still compares everything): hashing every
        /// text of the key cost about as much as the sentences it saves.
        func hash(into hasher: inout Hasher) {
            hasher.combine(path.utf8.count)
            hasher.combine(outcome)
            hasher.combine(requirement?.actual)
            hasher.combine(falses.count)
        }
    }

    /// How many check sentences a `CriterionEvaluation` keeps (most checks see a handful of
    /// different values; a bound keeps memory flat whatever the data).
    static let maxCachedSentences = 1024

    // MARK: Short explanations

    /// A group's sentence when it passes or fails depends only on the group and how many of its
    /// children failed or passed; it is made once per chunk of entities and shared.
    struct GroupSentenceKey: Hashable {
        var tree: ObjectIdentifier
        var outcome: Outcome
        var failed: Int
        var passed: Int
    }

    /// The verdict with its short explanation (`Explanation.short` of the full one), built from the
    /// outcome of every node of the condition tree (depth-first, as `VerdictEvaluator.outcomes` gives
    /// them): only the nodes that mattered are explained.
    mutating func shortVerdict(id: String, tree: ExplainTree, entity: Int, outcomes: [Outcome]) -> Verdict {
        expressions.steps = 0
        expressions.checkpoint.reset()
        expressions.exhaustedAt = nil
        expressions.period = tree.period
        var root = short(tree, entity: entity, year: asOf.year, outcomes: outcomes, at: 0)
        root.kind = .criterion
        root.mattered = true
        // The root's sentence is the criterion's (`Sentences.criterion`), which for a group is the
        // sentence `short` already gave it (the kind does not enter it).
        if case .check = tree.node.body {
            let sentence = sentences.criterion(root, templates: tree.node.explain)
            root.sentence = sentence
        }
        return Verdict(entity: entity, criterion: id, outcome: root.outcome, explanation: root)
    }

    /// The verdict with its short explanation when the criterion is not in force on the date.
    /// The verdict of a unit of a kind the criterion does not apply to: not applicable, saying why.
    func notOfKind(id: String, entity: Int, kinds: [String]) -> Verdict {
        var verdict = notApplicable(id: id, entity: entity)
        verdict.explanation.sentence = Sentences.notOfKind(dataset.records[entity], kinds: kinds)
        return verdict
    }

    func shortNotApplicable(id: String, entity: Int) -> Verdict {
        var verdict = notApplicable(id: id, entity: entity)
        verdict.explanation = verdict.explanation.short
        return verdict
    }

    /// `tree`'s node, whose outcome is `outcomes[index]`, with the children that mattered.
    private mutating func short(_ tree: ExplainTree, entity: Int, year: Int, outcomes: [Outcome], at index: Int) -> Explanation {
        var result: Explanation
        switch tree.node.body {
        case .check:
            result = explainCheck(tree.node, entity: entity, year: year)
        case .group(let kind, _):
            let outcome = outcomes[index]
            var explained: [Explanation] = []
            var child = index + 1
            for subtree in tree.children {
                if Self.matters(outcomes[child], group: kind, outcome: outcome) {
                    var node = short(subtree, entity: entity, year: year, outcomes: outcomes, at: child)
                    node.mattered = true
                    explained.append(consume node)
                }
                child += subtree.size
            }
            var sentence: LocalizedText?
            var key: GroupSentenceKey?
            if outcome == .pass || outcome == .fail {
                var failed = 0
                var passed = 0
                for k in explained.indices {
                    if explained[k].outcome == .fail { failed += 1 }
                    if explained[k].outcome == .pass { passed += 1 }
                }
                key = GroupSentenceKey(tree: ObjectIdentifier(tree), outcome: outcome, failed: failed, passed: passed)
                sentence = groupSentences[key!]
            }
            result = group(tree.node, kind, outcome: outcome, children: consume explained, sentence: sentence)
            if let key, sentence == nil { groupSentences[key] = result.sentence }
        }
        result.provisionalBelow = tree.provisional
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

    /// For a check that compares two numbers, what was required and what was found: from the
    /// operands as the check evaluated them (`ExpressionEvaluator.comparedOperands`), so stating it
    /// takes no evaluation step.
    private func requirement(for expression: CompiledExpression) -> Requirement? {
        guard case .binary(let op, let l, let r) = expression.kind, let comparison = Comparison(rawValue: op.rawValue),
            l.type.isNumber, r.type.isNumber, case .known(let actual)? = expressions.comparedOperands?.left,
            case .known(let threshold)? = expressions.comparedOperands?.right
        else { return nil }
        let percent = l.type == .number(percent: true) || r.type == .number(percent: true)
        let position = ExpressionEvaluator.compare(actual, threshold) ?? 0
        return Requirement(
            comparison: comparison, threshold: ValueFormatter.format(threshold, percent: percent),
            actual: ValueFormatter.format(actual, percent: percent), unit: percent ? nil : unit(of: l),
            position: position, gap: gap(op, l, actual, threshold, position: position))
    }

    /// How far a failed comparison is from passing: for `share(list, …) >= t` (or `>`), how many more
    /// elements meeting the condition would pass it; for a number `<= t` how much it is over, `>= t`
    /// how much short. `nil` when the comparison holds or the gap cannot be said simply.
    private func gap(
        _ op: BinaryOperator, _ l: CompiledExpression, _ actual: Value, _ threshold: Value, position: Int
    ) -> RequirementGap? {
        guard case .number(let a) = actual, case .number(let t) = threshold else { return nil }
        switch op {
        case .greaterOrEqual, .greater:
            guard op == .greaterOrEqual ? position < 0 : position <= 0 else { return nil }
            if case .quantifier(.share, let list, _, _) = l.kind, case .list(.entity(let level)) = list.type {
                // The share's elements, as many as its fold counted.
                guard let count = expressions.foldSizes.last(where: { $0.offset == l.offset })?.count, count > 0
                else { return nil }
                let n = Decimal(count)
                let meeting = (a * n).rounded(0)
                // The fewest elements meeting the condition that reach the threshold: ⌈t·n⌉ for `>=`,
                // ⌊t·n⌋ + 1 for `>`.
                var target = t * n
                var whole = Decimal()
                NSDecimalRound(&whole, &target, 0, op == .greaterOrEqual ? .up : .down)
                if op == .greater { whole += 1 }
                let more = whole - meeting
                guard more > 0, more <= n - meeting else { return nil }
                return RequirementGap(
                    kind: .moreNeeded, amount: ValueFormatter.numberText(more),
                    noun: LocalizedText(vi: level.vietnamese, en: more == 1 ? level.name : level.pluralName))
            }
            guard op == .greaterOrEqual, l.type == .number(percent: false) else { return nil }
            return RequirementGap(kind: .short, amount: ValueFormatter.numberText(t - a), noun: unit(of: l))
        case .lessOrEqual:
            guard position > 0, l.type == .number(percent: false) else { return nil }
            return RequirementGap(kind: .over, amount: ValueFormatter.numberText(a - t), noun: unit(of: l))
        default:
            return nil
        }
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

/// A criterion's condition tree prepared once for short explanations: each node with its subtree's
/// size (to skip it in the depth-first outcomes) and whether it involves a provisional source. Nodes are
/// objects, so walking the tree for each entity does not copy the conditions.
final class ExplainTree: Sendable {
    let node: ConditionNode
    let children: [ExplainTree]
    /// The number of nodes of the subtree, this one included.
    let size: Int
    /// Whether the node or one below it cites a provisional source (as the full explanation's
    /// `involvesProvisional`, which does not depend on the data).
    let provisional: Bool
    /// The criterion's assessment year (set on the root; the calendar year below it).
    let period: AssessmentPeriod

    /// The tree of a criterion version's conditions.
    convenience init(_ version: CriterionVersion) {
        self.init(version.root, period: version.period)
    }

    init(_ node: ConditionNode, period: AssessmentPeriod = .calendar) {
        self.node = node
        self.period = period
        if case .group(_, let list) = node.body {
            children = list.map { ExplainTree($0) }
        } else {
            children = []
        }
        size = children.reduce(1) { $0 + $1.size }
        provisional = node.source?.status == .provisional || children.contains { $0.provisional }
    }
}
