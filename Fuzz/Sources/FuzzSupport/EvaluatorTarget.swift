@_spi(Fuzz) import CriteriaEngine
import Foundation

/// A rule set plus random facts → evaluator, with small limits.
///
/// The input's first line, when it is an expression that compiles, becomes one more criterion (at a
/// level the next byte picks); the rest of the bytes choose a date, the shape of a province (districts,
/// communes, hamlets) and every fact of every declared input for several years, from values at the
/// edges (0, 38-digit numbers, 10⁻¹⁰¹, negative counts, wrong types, missing). The whole of `Rules/`
/// is evaluated on it with a step budget of `limits.maxEvaluationSteps`, or, when the input's last
/// byte is odd, a tiny one (`budget(for:)`), so that running out of steps at any point of any
/// criterion is searched too: both evaluators must then run out at the same step.
enum EvaluatorTarget {
    /// Small limits, so that no input can run long.
    static let limits: Limits = {
        var limits = Limits.default
        limits.maxEvaluationSteps = 20_000
        return limits
    }()

    /// The limits for an input: `limits`, or with a budget of 1 to 5,081 steps (by 40) when its last
    /// byte is odd. The byte is not taken from the stream, so the data an input makes is the same.
    static func limits(for bytes: [UInt8]) -> Limits {
        guard let last = bytes.last, last & 1 == 1 else { return limits }
        var tiny = limits
        tiny.maxEvaluationSteps = 1 + Int(last >> 1) * 40
        return tiny
    }

    static func run(_ bytes: [UInt8]) {
        let newline = bytes.firstIndex(of: 0x0A) ?? bytes.count
        var stream = ByteStream(bytes[min(newline + 1, bytes.count)...])
        let level = LevelMap.standard.levels[Int(stream.next() % 4)]
        var graph = FuzzContext.shared.graph
        if let text = String(validating: bytes[..<newline], as: UTF8.self), !text.isEmpty {
            let source = ExpressionSource(
                text: text, range: SourceRange(file: ExpressionTarget.path, line: 1, column: 1), columnShift: 0)
            if let expression = try? ExpressionParser.parse(source),
                let compiled = ExpressionTarget.compile(expression, source: source, level: level, input: bytes)
            {
                graph = compiled
            }
        }
        let asOf = DataGenerator.dates[Int(stream.next()) % DataGenerator.dates.count]
        let dataset = DataGenerator.dataset(graph: graph, stream: &stream)
        let evaluator = Evaluator(graph: graph, limits: limits(for: bytes))
        let result = evaluator.evaluate(dataset, asOf: asOf, parallel: false)
        expectLocatedReasons(result)
        expectSameOutcomes(evaluator, dataset, asOf: asOf, reference: result)
    }

    /// The verdict evaluator (behind `outcomes`, `criteria check` and short explanations) gives every
    /// verdict the outcome the reference evaluator (behind full explanations) gives it: the
    /// differential property of issue #15, so the unsafe fast path runs under the sanitizer and is
    /// compared on every input.
    static func expectSameOutcomes(
        _ evaluator: Evaluator, _ dataset: Dataset, asOf: LocalDate, criteria: Set<String>? = nil, reference: EvaluationResult
    ) {
        let table = evaluator.outcomes(dataset, asOf: asOf, criteria: criteria, parallel: false)
        let short = evaluator.evaluate(dataset, asOf: asOf, criteria: criteria, parallel: false, detail: .short)
        if table.limitDiagnostics.map(\.message) != reference.limitDiagnostics.map(\.message) {
            FuzzProperty.violation(
                "the step-budget warnings differ: verdict evaluator \(table.limitDiagnostics.map(\.message)), "
                    + "reference \(reference.limitDiagnostics.map(\.message))")
        }
        if short.verdicts.count != reference.verdicts.count {
            FuzzProperty.violation("short explanations gave \(short.verdicts.count) verdicts, full ones \(reference.verdicts.count)")
        }
        for (full, brief) in zip(reference.verdicts, short.verdicts) {
            let fast = table.outcome(entity: full.entity, criterion: full.criterion)
            if fast != full.outcome || brief.outcome != full.outcome || brief.entity != full.entity || brief.criterion != full.criterion {
                FuzzProperty.violation(
                    "\(full.criterion) of entity \(full.entity): reference \(full.outcome), verdict evaluator "
                        + "\(fast.map { "\($0)" } ?? "none"), short explanation \(brief.outcome) (\(brief.criterion), \(brief.entity))")
            }
        }
    }

    /// Every reason of the form "a valid computation: …" (division by zero, overflow, a value of the
    /// wrong type) and every step-budget reason names its place in a rule file.
    static func expectLocatedReasons(_ result: EvaluationResult) {
        for verdict in result.verdicts {
            var stack = [verdict.explanation]
            while let node = stack.popLast() {
                stack.append(contentsOf: node.children)
                for item in node.missing {
                    let message = item.message.text(in: .en)
                    let isComputation = message.hasPrefix("a valid computation") || item.name == "limits.evaluation-steps"
                    if isComputation && !message.contains(".yaml:") {
                        FuzzProperty.violation("an evaluation error without a place: \(message)")
                    }
                }
            }
        }
    }
}

/// Reads bytes one at a time; past the end, zeros.
struct ByteStream {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    mutating func next() -> UInt8 { bytes.popFirst() ?? 0 }
}

/// Datasets shaped by bytes, with facts at the edges of every type.
enum DataGenerator {
    /// A date written in the source, known to be valid.
    static func date(_ iso: String) -> LocalDate {
        guard let date = LocalDate(iso: iso) else { fatalError("not a date: \(iso)") }
        return date
    }

    /// When the fuzzed criterion comes into force.
    static let epoch = date("2000-01-01")
    /// The evaluation dates, including the first and the last day a `LocalDate` can hold.
    static let dates = ["2019-12-31", "2022-03-08", "2024-12-31", "2025-06-30", "2026-02-15", "0001-01-01", "9999-12-31"]
        .map(date)
    static let fixedDate = date("2024-12-31")
    static let years = [2018, 2019, 2023, 2024, 2025]

    static let nines = "99999999999999999999999999999999999999"
    static let tiny = "0." + String(repeating: "0", count: 100) + "1"
    /// Written values of numbers, read by `DecimalText` as data is.
    static let numbers: [Decimal] = [
        "0", "1", "2", "3", "7", "38", "41", "100", "2019", "0.5", "0.7", "0.75", "1.5", "-1", "-3.25",
        nines, "-" + nines, tiny, "10000000000000000000000000000000000000", "0.33333333333333333333333333333333333333",
    ].compactMap { try? DecimalText.parse($0).get() }
    static let percents: [Decimal] = ["0", "0.5", "0.7", "0.75", "0.8", "1", "0.33333333333333333333333333333333333333"]
        .compactMap { try? DecimalText.parse($0).get() }

    /// A fixed dataset: one commune with hamlets and every fact set, for the expression target.
    static let fixedDataset: Dataset = {
        var stream = ByteStream([0, 1, 2, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13][...])
        return dataset(graph: FuzzContext.shared.graph, stream: &stream)
    }()

    /// A province with 1–2 districts, 0–3 communes each and 0–4 hamlets each.
    static func dataset(graph: RuleGraph, stream: inout ByteStream) -> Dataset {
        var entities: [Entity] = []
        func add(_ level: Level, parent: Int?, stream: inout ByteStream) -> Int {
            let index = entities.count
            let id = "\(level.name.prefix(1))\(index)"
            var entity = Entity(id: id, name: "\(level.vietnamese) \(index)", level: level, parent: parent)
            if level == .commune {
                let group = Int(stream.next() % 4)
                entity.group = group == 0 ? nil : group
            }
            entity.facts = facts(for: level, inputs: graph.inputs, stream: &stream)
            entities.append(entity)
            if let parent { entities[parent].children.append(index) }
            return index
        }
        let province = add(.province, parent: nil, stream: &stream)
        for _ in 0...(stream.next() % 2) {
            let district = add(.district, parent: province, stream: &stream)
            for _ in 0..<(stream.next() % 4) {
                let commune = add(.commune, parent: district, stream: &stream)
                for _ in 0..<(stream.next() % 5) { _ = add(.hamlet, parent: commune, stream: &stream) }
            }
        }
        return Dataset(entities: entities, source: "fuzz-data", synthetic: true)
    }

    /// The facts of one entity: for each year a byte says whether it has facts; for each input a byte
    /// picks a value of its type, a wrong type (rarely), or none.
    static func facts(for level: Level, inputs: InputCatalog, stream: inout ByteStream) -> [Int: [String: Fact]] {
        var result: [Int: [String: Fact]] = [:]
        let mask = stream.next()
        for (bit, year) in years.enumerated() where mask & (1 << bit) != 0 {
            for input in inputs.declarations where input.level == level {
                let choice = stream.next()
                if choice % 8 == 0 { continue }  // missing
                result[year, default: [:]][input.name] = Fact(value(for: input.type, choice: choice))
            }
        }
        return result
    }

    static func value(for type: InputType, choice: UInt8) -> Value {
        let pick = Int(choice / 8)
        if choice % 61 == 1 { return .text("sai kiểu") }  // a value of the wrong type
        switch type {
        case .bool: return .bool(pick % 2 == 0)
        case .count: return .number(numbers[pick % numbers.count].magnitude)
        case .number: return .number(numbers[pick % numbers.count])
        case .percent: return .number(percents[pick % percents.count])
        case .text: return .text(["", "kha", "01234", "\u{202E}"][pick % 4])
        case .enumeration(let values): return .text(values.isEmpty ? "" : values[pick % values.count])
        }
    }
}
