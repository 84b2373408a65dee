import Foundation

/// Measures a plan's targets against a dataset as of a date. A pure function of (graph, plan, data, date).
///
/// Every comparison is exact: a share target compares whole numbers (`passed ≥ ⌈required × total⌉`),
/// a reduction target compares exact decimals (`57 ≤ 60 × 95%` holds). Unknown verdicts and missing
/// figures are counted both ways; a target is `unknown` only when they could decide it.
package struct PlanEvaluator: Sendable {
    /// The rules.
    package let graph: RuleGraph
    /// The evaluation limits.
    package let limits: Limits
    /// Checked by the evaluation of the counted criteria (the server's deadline); `nil` for none.
    package let cancellation: CancellationToken?

    /// Creates an evaluator.
    package init(graph: RuleGraph, limits: Limits = .default, cancellation: CancellationToken? = nil) {
        self.graph = graph
        self.limits = limits
        self.cancellation = cancellation
    }

    /// Measures every target of the plan.
    ///
    /// - Parameter progress: passed to `Evaluator.evaluate` for the criteria the targets count.
    package func evaluate(
        _ plan: Plan, dataset: Dataset, asOf: LocalDate, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) -> PlanReport {
        let counted = Set(plan.targets.compactMap(\.criterion)).filter { graph.version(of: $0, on: asOf) != nil }
        let result = counted.isEmpty
            ? EvaluationResult(asOf: asOf, dataset: dataset, verdicts: [])
            : Evaluator(graph: graph, limits: limits, cancellation: cancellation).evaluate(
                dataset, asOf: asOf, criteria: counted, progress: progress)
        var byCriterion: [String: [Verdict]] = [:]
        for verdict in result.verdicts { byCriterion[verdict.criterion, default: []].append(verdict) }
        let targets = plan.targets.map { target -> PlanTargetResult in
            switch target.measure {
            case .share(let level, let criterion, let required):
                return share(target, level: level, criterion: criterion, required: required, verdicts: byCriterion[criterion] ?? [], dataset: dataset, asOf: asOf)
            case .reduction(let input, let baselineYear, let atMost, let units):
                return reduction(target, input: input, baselineYear: baselineYear, atMost: atMost, units: units, dataset: dataset, year: asOf.year)
            }
        }
        var notes: [LocalizedText] = []
        if let by = plan.by, asOf > by {
            notes.append(
                LocalizedText(
                    vi: "Ngày đánh giá \(asOf.vietnamese) đã qua hạn của kế hoạch (\(by.vietnamese)).",
                    en: "The evaluation date \(asOf) is after the plan's deadline (\(by))."))
        }
        return PlanReport(plan: plan, asOf: asOf, dataset: dataset.source, synthetic: dataset.synthetic, targets: targets, notes: notes)
    }

    // MARK: Share targets

    private func share(
        _ target: PlanTarget, level: Level, criterion: String, required: Decimal, verdicts: [Verdict], dataset: Dataset, asOf: LocalDate
    ) -> PlanTargetResult {
        let versions = graph.criteria[criterion] ?? []
        let title = versions.first?.title ?? LocalizedText(vi: criterion)
        let provisionalNodes = versions.flatMap { $0.root.allNodes.filter { $0.source?.status == .provisional } }
        let provisional = !provisionalNodes.isEmpty
        let note = provisionalNodes.first?.source?.noteText
        guard graph.version(of: criterion, on: asOf) != nil else {
            let vi = versions.map { $0.inForce.text(in: .vi) }.joined(separator: "; ")
            let en = versions.map { $0.inForce.text(in: .en) }.joined(separator: "; ")
            return PlanTargetResult(
                target: target, outcome: .notApplicable, share: nil, units: [], holdouts: [],
                note: LocalizedText(
                    vi: "Không áp dụng vào ngày \(asOf.vietnamese): \(criterion) có hiệu lực \(vi).",
                    en: "Not applicable on \(asOf): \(criterion) is in force \(en)."),
                provisional: provisional, provisionalNote: note)
        }
        let counted = verdicts.filter { $0.outcome != .notApplicable }
        let passed = counted.filter { $0.outcome == .pass }.count
        let unknown = counted.filter { $0.outcome == .unknown }.count
        let needed = Self.ceiling(required * Decimal(counted.count))
        let measurement = ShareMeasurement(
            level: level, criterion: criterion, criterionTitle: title, passed: passed, unknown: unknown, total: counted.count,
            required: required, needed: needed)
        let outcome: Outcome
        if counted.isEmpty { outcome = .unknown } else if passed >= needed { outcome = .pass } else if passed + unknown < needed { outcome = .fail } else { outcome = .unknown }
        let vi = ExplanationTextRenderer(language: .vi)
        let en = ExplanationTextRenderer(language: .en)
        let holdouts = counted.filter { $0.outcome != .pass }.map { verdict in
            let entity = dataset.entities[verdict.entity]
            return Holdout(
                entityID: entity.id, name: entity.name, level: entity.level, parentName: entity.parent.map { dataset.entities[$0].name },
                outcome: verdict.outcome, reason: LocalizedText(vi: vi.reason(verdict.explanation), en: en.reason(verdict.explanation)))
        }
        return PlanTargetResult(
            target: target, outcome: outcome, share: measurement, units: [], holdouts: holdouts, note: nil, provisional: provisional,
            provisionalNote: note, groups: Self.groups(counted, in: dataset))
    }

    /// The counted verdicts grouped by their entity's parent, in the order the parents first occur.
    static func groups(_ verdicts: [Verdict], in dataset: Dataset) -> [ShareGroup] {
        var order: [Int?] = []
        var byParent: [Int?: ShareGroup] = [:]
        for verdict in verdicts {
            let parent = dataset.entities[verdict.entity].parent
            if byParent[parent] == nil {
                order.append(parent)
                let entity = parent.map { dataset.entities[$0] }
                byParent[parent] = ShareGroup(
                    entityID: entity?.id, name: entity?.name ?? "", level: entity?.level, passed: 0, unknown: 0, total: 0)
            }
            byParent[parent]?.total += 1
            if verdict.outcome == .pass { byParent[parent]?.passed += 1 }
            if verdict.outcome == .unknown { byParent[parent]?.unknown += 1 }
        }
        return order.compactMap { byParent[$0] }
    }

    /// The least whole number not below a non-negative decimal.
    static func ceiling(_ value: Decimal) -> Int {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .up)
        return NSDecimalNumber(decimal: rounded).intValue
    }

    // MARK: Reduction targets

    private func reduction(
        _ target: PlanTarget, input: String, baselineYear: Int, atMost: Decimal, units levels: [Level], dataset: Dataset, year: Int
    ) -> PlanTargetResult {
        let unit = graph.inputs[input]?.unit ?? LocalizedText(vi: "", en: "")
        var units: [UnitMeasurement] = []
        var holdouts: [Holdout] = []
        for level in levels {
            for index in dataset.indices(at: level) {
                let entity = dataset.entities[index]
                let communes = Self.descendants(of: index, at: .commune, in: dataset)
                let now = Self.sum(input, year: year, over: communes, in: dataset)
                let before = Self.sum(input, year: baselineYear, over: communes, in: dataset)
                let limit = before.known * atMost
                let outcome: Outcome
                if communes.isEmpty {
                    outcome = .unknown
                } else if now.missing == 0 && now.known <= limit {
                    outcome = .pass
                } else if before.missing == 0 && now.known > limit {
                    outcome = .fail
                } else {
                    outcome = .unknown
                }
                let measurement = UnitMeasurement(
                    entityID: entity.id, name: entity.name, level: entity.level, communes: communes.count, current: now.known,
                    currentMissing: now.missing, baseline: before.known, baselineMissing: before.missing, limit: limit, outcome: outcome)
                units.append(measurement)
                if outcome != .pass {
                    holdouts.append(
                        Holdout(
                            entityID: entity.id, name: entity.name, level: entity.level,
                            parentName: entity.parent.map { dataset.entities[$0].name }, outcome: outcome,
                            reason: Self.reason(measurement, input: input, year: year, baselineYear: baselineYear, atMost: atMost, unit: unit)))
                }
            }
        }
        let outcome = units.isEmpty ? .unknown : Outcome.all(units.map(\.outcome))
        return PlanTargetResult(target: target, outcome: outcome, share: nil, units: units, holdouts: holdouts, note: nil, provisional: false)
    }

    /// The sentence under a unit that holds a reduction target back.
    static func reason(
        _ m: UnitMeasurement, input: String, year: Int, baselineYear: Int, atMost: Decimal, unit: LocalizedText
    ) -> LocalizedText {
        let n = ValueFormatter.numberText
        let p = ValueFormatter.percentText(atMost)
        let uvi = unit.vi.isEmpty ? "" : " " + unit.vi
        let uen = unit.text(in: .en).isEmpty ? "" : " " + unit.text(in: .en)
        if m.communes == 0 {
            return LocalizedText(vi: "không có xã nào trong dữ liệu.", en: "no commune in the data.")
        }
        if m.outcome == .fail {
            return LocalizedText(
                vi: "năm \(year): \(n(m.current))\(uvi), vượt mức tối đa \(n(m.limit))\(uvi) (\(p) của \(n(m.baseline))\(uvi) năm \(baselineYear)).",
                en: "\(year): \(n(m.current))\(uen), above the most allowed, \(n(m.limit))\(uen) (\(p) of \(n(m.baseline))\(uen) in \(baselineYear)).")
        }
        var vi: [String] = []
        var en: [String] = []
        if m.currentMissing > 0 {
            vi.append("\(m.currentMissing) xã thiếu \(input) năm \(year)")
            en.append("\(m.currentMissing) commune\(m.currentMissing == 1 ? "" : "s") lack \(input) for \(year)")
        }
        if m.baselineMissing > 0 {
            vi.append("\(m.baselineMissing) xã thiếu \(input) năm \(baselineYear)")
            en.append("\(m.baselineMissing) commune\(m.baselineMissing == 1 ? "" : "s") lack \(input) for \(baselineYear)")
        }
        return LocalizedText(
            vi: "chưa xác định: \(vi.joined(separator: "; ")) (đã biết: \(n(m.current))\(uvi) năm \(year), \(n(m.baseline))\(uvi) năm \(baselineYear)).",
            en: "cannot be decided: \(en.joined(separator: "; ")) (known: \(n(m.current))\(uen) in \(year), \(n(m.baseline))\(uen) in \(baselineYear)).")
    }

    /// The known sum of a numeric input over entities in a year, and how many lack it.
    static func sum(_ input: String, year: Int, over entities: [Int], in dataset: Dataset) -> (known: Decimal, missing: Int) {
        var total = Decimal(0)
        var missing = 0
        for index in entities {
            if case .number(let value)? = dataset.entities[index].fact(input, year: year)?.value {
                total += value
            } else {
                missing += 1
            }
        }
        return (total, missing)
    }

    /// An entity's descendants at a level (the entity itself when it is of that level), in data order.
    static func descendants(of index: Int, at level: Level, in dataset: Dataset) -> [Int] {
        var frontier = [index]
        while let first = frontier.first, dataset.entities[first].level < level {
            frontier = frontier.flatMap { dataset.entities[$0].children }
        }
        return frontier.filter { dataset.entities[$0].level == level }
    }
}
