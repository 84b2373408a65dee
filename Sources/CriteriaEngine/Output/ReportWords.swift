import Foundation

/// The phrases of a plan report in one language, shared by the text, Markdown and HTML renderers.
struct ReportWords {
    let language: Language
    private var vi: Bool { language == .vi }

    var plan: String { vi ? "Kế hoạch" : "Plan" }
    var deadline: String { vi ? "Thời hạn" : "Deadline" }
    var target: String { vi ? "Mục tiêu" : "Target" }
    var measured: String { vi ? "Đo được" : "Measured" }
    var required: String { vi ? "Yêu cầu" : "Required" }
    var result: String { vi ? "Kết quả" : "Result" }
    var limit: String { vi ? "Tối đa" : "Most allowed" }

    func date(_ date: LocalDate) -> String { Words.date(date, language) }
    func figuresOf(_ year: Int) -> String { vi ? "số liệu năm \(year)" : "figures of \(year)" }

    /// A target's outcome in words.
    func outcome(_ outcome: Outcome) -> String {
        switch (outcome, language) {
        case (.pass, .vi): "đạt"
        case (.fail, .vi): "chưa đạt"
        case (.pass, .en): "met"
        case (.fail, .en): "not met"
        default: outcome.text(in: language)
        }
    }

    /// Entities of a level in words, for counts (`xã`, `communes`).
    func plural(_ level: Level, _ count: Int) -> String {
        vi ? level.vietnamese : (count == 1 ? level.name : level.pluralName)
    }

    private func percent(_ value: Decimal?) -> String { value.map { Words.shown(ValueFormatter.percentText($0), language) } ?? "–" }

    /// The measured value in a short cell: `88.64% (39/44 xã)`, a range when unknowns could change it.
    func measured(_ result: PlanTargetResult) -> String {
        if let s = result.share {
            let unit = plural(s.level, s.total)
            if s.unknown > 0 {
                return "\(percent(s.share))–\(percent(s.upperShare)) (\(s.passed)–\(s.passed + s.unknown)/\(s.total) \(unit))"
            }
            return "\(percent(s.share)) (\(s.passed)/\(s.total) \(unit))"
        }
        if !result.units.isEmpty {
            let met = result.units.filter { $0.outcome == .pass }.count
            return vi ? "\(met)/\(result.units.count) đơn vị đạt" : "\(met) of \(result.units.count) units meet it"
        }
        return "–"
    }

    /// The requirement in a short cell: `≥ 99% (44/44 xã)` or `≤ 95% của năm 2019`.
    func required(_ result: PlanTargetResult) -> String {
        switch result.target.measure {
        case .share(let level, _, let atLeast):
            guard let s = result.share else { return "≥ \(percent(atLeast))" }
            return "≥ \(percent(atLeast)) (\(s.needed)/\(s.total) \(plural(level, s.total)))"
        case .reduction(_, let year, let atMost, _):
            return vi ? "≤ \(percent(atMost)) của năm \(year)" : "≤ \(percent(atMost)) of \(year)"
        }
    }

    /// The heading of the baseline column of a reduction target.
    func baseline(_ result: PlanTargetResult) -> String {
        if case .reduction(_, let year, _, _) = result.target.measure { return vi ? "năm \(year)" : "\(year)" }
        return ""
    }

    /// One sentence saying what was measured against what, and the outcome.
    func summary(_ result: PlanTargetResult, year: Int) -> String {
        if result.outcome == .notApplicable, let note = result.note { return note.text(in: language) }
        switch result.target.measure {
        case .share(let level, let criterion, let atLeast):
            guard let s = result.share else { return "" }
            let unit = plural(level, s.total)
            var text = vi
                ? "\(s.passed) trên \(s.total) \(unit) đạt \(criterion) (\(percent(s.share)))"
                : "\(s.passed) of \(s.total) \(unit) meet \(criterion) (\(percent(s.share)))"
            if s.unknown > 0 {
                text += vi
                    ? ", \(s.unknown) \(unit) chưa xác định, nên tỷ lệ nằm trong khoảng \(percent(s.share))–\(percent(s.upperShare))"
                    : ", \(s.unknown) undecided, so the share lies between \(percent(s.share)) and \(percent(s.upperShare))"
            }
            text += vi
                ? "; cần ít nhất \(percent(atLeast)), tức \(s.needed) \(unit): \(outcome(result.outcome))"
                : "; at least \(percent(atLeast)) is needed, that is \(s.needed) \(plural(level, s.needed)): \(outcome(result.outcome))"
            let short = s.needed - s.passed
            if result.outcome == .fail { text += vi ? ", còn thiếu \(short) \(unit)" : ", \(short) short" }
            if result.outcome == .unknown {
                text += vi
                    ? " — cần thêm \(short) trong số \(s.unknown) \(unit) chưa xác định đạt"
                    : " — \(short) of the \(s.unknown) undecided must pass"
            }
            return text + "."
        case .reduction(let input, let baseline, let atMost, let levels):
            let who = levels.map { vi ? $0.vietnamese : $0.name }.joined(separator: vi ? ", " : ", ")
            let met = result.units.filter { $0.outcome == .pass }.count
            return vi
                ? "Mỗi đơn vị (\(who)): tổng \(input) của các xã năm \(year) không quá \(percent(atMost)) của năm \(baseline); \(met)/\(result.units.count) đơn vị đạt: \(outcome(result.outcome))."
                : "Each unit (\(who)): the sum of its communes' \(input) in \(year) is at most \(percent(atMost)) of \(baseline); \(met) of \(result.units.count) units meet it: \(outcome(result.outcome))."
        }
    }

    /// The figures of one unit of a reduction target: this year, the baseline, the limit.
    func unitFigures(_ unit: UnitMeasurement) -> (current: String, baseline: String, limit: String) {
        let n = { (value: Decimal) in Words.shown(ValueFormatter.numberText(value), language) }
        func figure(_ value: Decimal, missing: Int) -> String {
            guard missing > 0 else { return n(value) }
            return vi ? "≥ \(n(value)) (thiếu \(missing) xã)" : "≥ \(n(value)) (\(missing) missing)"
        }
        let limit = unit.baselineMissing > 0 ? "≥ " + n(unit.limit) : n(unit.limit)
        return (figure(unit.current, missing: unit.currentMissing), figure(unit.baseline, missing: unit.baselineMissing), limit)
    }

    /// The heading over the units that hold a target back.
    func holdoutsHeading(_ result: PlanTargetResult) -> String {
        let count = result.holdouts.count
        if case .share(let level, _, _) = result.target.measure {
            return vi ? "Các \(level.vietnamese) chưa đạt (\(count))" : "\(plural(level, count).capitalizedFirst) holding it back (\(count))"
        }
        return vi ? "Đơn vị chưa đạt (\(count))" : "Units holding it back (\(count))"
    }

    /// "Mục tiêu: 1 đạt · 4 chưa đạt · …".
    func totals(_ counts: [Outcome: Int]) -> String {
        (vi ? "Mục tiêu: " : "Targets: ") + Outcome.allCases.map { "\(counts[$0] ?? 0) \(outcome($0))" }.joined(separator: " · ")
    }
}
