/// The checks of clauses' own `in_force` windows in one criterion version: each window lies inside
/// the window of the clause that holds it (the version's `in_force` for a clause of the criterion's
/// own group), and every group keeps a clause in force (`at_least: n`, n clauses) on every day it is
/// itself in force.
///
/// A window without `until` lasts as long as the window that holds it.
enum ClauseWindows {
    /// The errors of a criterion's clause windows: `rules.clause-period` at a window that starts
    /// before, or ends after, the one that holds it; `rules.group-empty-on-date` at a group left with
    /// too few clauses in force on some day.
    static func check(_ criterion: CriterionSyntax) -> [Diagnostic] {
        var found: [Diagnostic] = []
        // Each group with the window it is in force in (its own clipped to what holds it), and the
        // words that name what holds its clauses.
        var stack: [(node: ConditionSyntax, window: Period, holder: LocalizedText, isRoot: Bool)] = [
            (criterion.root, criterion.inForce, .vi("phiên bản tiêu chí '\(criterion.id)'", en: "the version of '\(criterion.id)'"), true)
        ]
        while let (node, window, holder, isRoot) = stack.popLast() {
            guard case .group(let kind, let children) = node.body else { continue }
            var inside: [Period?] = []
            for child in children {
                guard let own = child.inForce else {
                    inside.append(nil)
                    if case .group = child.body {
                        stack.append((child, window, .vi("điều kiện '\(child.id)'", en: "the condition '\(child.id)'"), false))
                    }
                    continue
                }
                let startsInside = own.from >= window.from && (window.until.map { own.from <= $0 } ?? true)
                let endsInside = own.until.map { until in window.until.map { until <= $0 } ?? true } ?? true
                if !startsInside || !endsInside {
                    found.append(outside(child, own: own, window: window, holder: holder))
                    inside.append(nil)
                    continue
                }
                let clipped = Period(from: own.from, until: own.until ?? window.until)
                inside.append(clipped)
                if case .group = child.body {
                    stack.append((child, clipped, .vi("điều kiện '\(child.id)'", en: "the condition '\(child.id)'"), false))
                }
            }
            // A group none of whose clauses has a window keeps them all: its count is the parser's
            // business (`rules.at-least-range`).
            guard children.contains(where: { $0.inForce != nil }) else { continue }
            let needed: Int
            if case .atLeast(let n) = kind { needed = n } else { needed = 1 }
            // The count changes only where a window opens or closes: look at those days.
            var days = [window.from]
            for case let period? in inside {
                days.append(period.from)
                if let until = period.until { days.append(until.adding(days: 1, years: 0)) }
            }
            for day in Array(Set(days)).sorted() where window.contains(day) {
                let count = inside.filter { $0?.contains(day) ?? true }.count
                guard count < needed else { continue }
                found.append(thin(node, kind: kind, day: day, count: count, needed: needed, isRoot: isRoot))
                break
            }
        }
        return found
    }

    private static func outside(_ clause: ConditionSyntax, own: Period, window: Period, holder: LocalizedText) -> Diagnostic {
        let from = max(own.from, window.from)
        var suggestion = "in_force: { from: \(from)" + (window.until.map { ", until: \($0)" } ?? "") + " }"
        if let until = own.until, let end = window.until, until > end, own.from >= window.from, own.from <= end {
            suggestion = "in_force: { from: \(own.from), until: \(end) }"
        }
        return Diagnostic(
            "rules.clause-period", .error,
            .vi(
                "điều kiện '\(clause.id)' có hiệu lực \(own.text(in: .vi)), vượt ra ngoài thời hạn hiệu lực của \(holder.vi) (\(window.text(in: .vi)))",
                en: "the condition '\(clause.id)' is in force \(own.text(in: .en)), outside the period of \(holder.english) (\(window.text(in: .en)))"),
            at: clause.inForceRange ?? clause.range,
            hint: .vi(
                "một điều kiện chỉ có hiệu lực trong thời hạn của nơi chứa nó; hãy viết ví dụ '\(suggestion)', hoặc tách thành một phiên bản mới của tiêu chí",
                en: "a condition is in force only inside the period of what holds it; write e.g. '\(suggestion)', or make a new version of the criterion"))
    }

    private static func thin(
        _ group: ConditionSyntax, kind: GroupKind, day: LocalDate, count: Int, needed: Int, isRoot: Bool
    ) -> Diagnostic {
        let name = isRoot ? LocalizedText.vi("tiêu chí '\(group.id)'", en: "the criterion '\(group.id)'")
            : .vi("nhóm '\(kind.keyword)' của điều kiện '\(group.id)'", en: "the '\(kind.keyword)' group of '\(group.id)'")
        let message: LocalizedText = needed == 1
            ? .vi("vào ngày \(day.vietnamese), \(name.vi) không còn điều kiện nào có hiệu lực", en: "on \(day), \(name.english) has no condition in force")
            : .vi(
                "vào ngày \(day.vietnamese), \(name.vi) chỉ còn \(count) điều kiện có hiệu lực, ít hơn \(needed) mà at_least đòi",
                en: "on \(day), \(name.english) has \(count) condition\(count == 1 ? "" : "s") in force, fewer than the \(needed) at_least asks for")
        return Diagnostic(
            "rules.group-empty-on-date", .error, message, at: group.idRange,
            hint: .vi(
                "mỗi ngày trong thời hạn hiệu lực, một nhóm phải còn đủ điều kiện có hiệu lực: hãy cho các khoảng 'in_force' của điều kiện nối liền nhau, hoặc thêm một điều kiện không có 'in_force' riêng",
                en: "on every day of its period a group must keep enough conditions in force: make the conditions' 'in_force' windows meet, or add a condition without an 'in_force' of its own"))
    }
}
