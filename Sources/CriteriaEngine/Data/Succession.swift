import Foundation

/// A dated change of the administrative map, stated in a dataset: communes merged, a unit renamed or
/// re-coded, a unit split, a district abolished with its communes moved under another parent.
///
/// The units a succession names as former (`from`) are taken out of the map: they are never
/// evaluated, and nothing counts them. Their facts are read through their successors: a rule that
/// reads a year up to the succession's year for a successor (`last_year(…)`, `in_year(2019, …)`)
/// reads its former units' facts, combined as each input declares (`MergeRule`), unless the
/// successor states that fact itself.
package struct Succession: Sendable, Hashable {
    /// What happened.
    package enum Change: String, Sendable, Hashable, CaseIterable {
        /// Several units became one (`from` → the one `into`).
        case merged
        /// A unit got a new code or name (`from` → `into`, one each).
        case renamed
        /// One unit became several (`from` → each of `into`, with `shares` where known).
        case split
        /// A unit ceased to exist; its children moved under `into` (the one new parent).
        case abolished
    }

    /// What happened.
    package var change: Change
    /// The day the change took effect.
    package var date: LocalDate
    /// The ids of the former units.
    package var from: [String]
    /// The ids of the successors (for `abolished`, of the new parent of the former unit's children).
    package var into: [String]
    /// For a split, each successor's share of the former unit's additive facts, when known.
    package var shares: [Decimal]?
    /// Where the succession is stated.
    package var range: SourceRange?
    /// Where each id of `from` and of `into` is written.
    package var fromRanges: [SourceRange] = []
    package var intoRanges: [SourceRange] = []

    /// How a split part's share is typed: a percentage.
    static let shareInput = InputDeclaration(
        name: "share", type: .percent, level: .commune, label: LocalizedText(vi: "tỷ lệ", en: "share"))

    /// Creates a succession.
    package init(
        change: Change, date: LocalDate, from: [String], into: [String], shares: [Decimal]? = nil,
        range: SourceRange? = nil
    ) {
        self.change = change
        self.date = date
        self.from = from
        self.into = into
        self.shares = shares
        self.range = range
    }
}

/// Applies a dataset's successions: checks them, takes the former units out of the map, moves an
/// abolished unit's children, and gives each successor the facts of its former units for the years
/// up to the succession (`Succession`), remembering how each was made (`Dataset.derivations`).
enum SuccessionApplier {
    /// The dataset with its successions applied, or `nil` with the problems in `diagnostics`.
    static func apply(
        _ successions: [Succession], to dataset: Dataset, inputs: InputCatalog, diagnostics: inout DiagnosticCollector
    ) -> Dataset? {
        guard !successions.isEmpty else { return dataset }
        let records = dataset.entities
        let before = diagnostics.diagnostics.count
        func error(_ message: LocalizedText, at range: SourceRange?, hint: LocalizedText?, notes: [DiagnosticNote] = []) {
            diagnostics.emit(Diagnostic("data.succession", .error, message, at: range, notes: notes, hint: hint))
        }
        let allIDs = records.map(\.id)
        func index(_ id: String, at range: SourceRange?) -> Int? {
            if let index = dataset.index(of: id) { return index }
            error(
                .vi("lần sắp xếp nêu \(QuotedInput.quote(id)), nhưng đó không phải là đơn vị có trong bộ dữ liệu", en: "the succession names \(QuotedInput.quote(id)), which is not an entity of the dataset"), at: range,
                hint: Suggestion.hint(for: id, among: allIDs) ?? .vi("hãy liệt kê đơn vị đó trong bộ dữ liệu, kèm dữ kiện, hoặc sửa lại mã", en: "list the unit in the dataset, with its facts, or correct the id"))
            return nil
        }
        let years = Set(records.flatMap { $0.facts.keys })
        var formerAt: [Int: SourceRange?] = [:]
        var resolved: [(succession: Succession, from: [Int], into: [Int])] = []
        for succession in successions {
            let change = succession.change
            let shape: (from: ClosedRange<Int>, into: ClosedRange<Int>) =
                switch change {
                case .merged: (2...Int.max, 1...1)
                case .split: (1...1, 2...Int.max)
                case .renamed, .abolished: (1...1, 1...1)
                }
            guard shape.from.contains(succession.from.count), shape.into.contains(succession.into.count) else {
                let words: LocalizedText =
                    switch change {
                    case .merged: .vi("hai đơn vị cũ trở lên và một đơn vị kế thừa", en: "two or more former units and one successor")
                    case .split: .vi("một đơn vị cũ và hai phần trở lên", en: "one former unit and two or more parts")
                    case .renamed: .vi("một đơn vị cũ và một đơn vị kế thừa", en: "one former unit and one successor")
                    case .abolished: .vi("một đơn vị cũ và một đơn vị cấp trên mới cho các đơn vị trực thuộc", en: "one former unit and one new parent for its children")
                    }
                error(
                    .vi("lần sắp xếp kiểu '\(change.rawValue)' gồm \(words.vi); lần này có \(succession.from.count) và \(succession.into.count)", en: "a '\(change.rawValue)' succession has \(words.english); this one has \(succession.from.count) and \(succession.into.count)"),
                    at: succession.range, hint: .vi("hãy liệt kê mọi đơn vị cũ của một lần sáp nhập với cùng ngày và cùng đơn vị kế thừa, mọi phần của một lần chia tách với cùng ngày và cùng đơn vị cũ", en: "list every former unit of a merger with the same date and successor, every part of a split with the same date and former unit"))
                continue
            }
            if let shares = succession.shares, shares.count != succession.into.count {
                error(
                    .vi("trong lần chia tách, có phần ghi tỷ lệ và có phần không ghi", en: "some parts of the split have a share and some do not"), at: succession.range,
                    hint: .vi("hãy ghi tỷ lệ cho mọi phần, hoặc không ghi cho phần nào", en: "give every part its share, or none"))
                continue
            }
            let from = zip(succession.from, padded(succession.fromRanges, succession.from.count, succession.range))
                .compactMap { index($0, at: $1) }
            let into = zip(succession.into, padded(succession.intoRanges, succession.into.count, succession.range))
                .compactMap { index($0, at: $1) }
            guard from.count == succession.from.count, into.count == succession.into.count else { continue }
            for (k, f) in from.enumerated() {
                let at = padded(succession.fromRanges, from.count, succession.range)[k]
                if let first = formerAt[f] {
                    error(
                        .vi("\(QuotedInput.quote(records[f].id)) là đơn vị cũ của hai lần sắp xếp", en: "\(QuotedInput.quote(records[f].id)) is a former unit of two successions"), at: at,
                        hint: .vi("mỗi đơn vị chỉ kết thúc một lần: hãy ghi một lần sắp xếp cho nó (lần chia tách liệt kê mọi phần)", en: "a unit ends once: state one succession for it (a split lists all its parts)"),
                        notes: [DiagnosticNote(.vi("nêu lần đầu ở đây", en: "first named here"), at: first)])
                } else {
                    formerAt[f] = at
                }
            }
            // Levels: a successor is of its former units' level; an abolished unit's children must fit under the new parent.
            if succession.change == .abolished {
                if let parent = into.first, let f = from.first {
                    for child in records[f].children where !records[child].level.parents.contains(records[parent].level) {
                        error(
                            .vi("\(records[child].name) (\(records[child].id)) là \(records[child].level.vietnamese), không chuyển về trực thuộc \(records[parent].name) là \(records[parent].level.vietnamese) được", en: "\(records[child].name) (\(records[child].id)), a \(records[child].level.name), cannot move under \(records[parent].name), a \(records[parent].level.name)"),
                            at: padded(succession.intoRanges, 1, succession.range)[0],
                            hint: .vi("hãy ghi một \(records[child].level.parents.map(\.vietnamese).joined(separator: " hoặc ")) ở 'children_to'", en: "name a \(records[child].level.parents.map(\.name).joined(separator: " or ")) in 'children_to'"))
                        break
                    }
                }
            } else if let level = from.first.map({ records[$0].level }) {
                for (k, e) in (from + into).enumerated() where records[e].level != level {
                    let ranges = padded(succession.fromRanges, from.count, succession.range)
                        + padded(succession.intoRanges, into.count, succession.range)
                    error(
                        .vi("\(records[e].name) (\(records[e].id)) là \(records[e].level.vietnamese), nhưng lần sắp xếp này là giữa các \(level.vietnamese)", en: "\(records[e].name) (\(records[e].id)) is a \(records[e].level.name), but the succession is between \(level.name)s"),
                        at: ranges[k], hint: .vi("đơn vị kế thừa của lần '\(succession.change.rawValue)' cùng cấp với đơn vị cũ", en: "a \(succession.change.rawValue) unit's successors are of its own level"))
                }
            }
            if let shares = succession.shares, shares.reduce(0, +) != 1 {
                error(
                    .vi("tỷ lệ các phần của lần chia tách cộng lại là \(ValueFormatter.format(.number(shares.reduce(0, +)), percent: true)), không phải 100%", en: "the shares of the split add up to \(ValueFormatter.format(.number(shares.reduce(0, +)), percent: true)), not 100%"),
                    at: succession.range, hint: .vi("hãy ghi tỷ lệ mỗi phần nhận từ đơn vị cũ, cộng lại đủ 100%", en: "give each part its share of the former unit, adding up to 100%"))
            }
            if let first = years.min(), let last = years.max(),
                succession.date.year < first || succession.date.year > last + 1
            {
                error(
                    .vi("ngày \(succession.date.vietnamese) của lần sắp xếp nằm ngoài các năm có số liệu (\(first)–\(last))", en: "the succession's date \(succession.date) is outside the data's years (\(first)–\(last))"),
                    at: succession.range, hint: .vi("hãy kiểm tra ngày: số liệu của các đơn vị cũ phải thuộc các năm trước ngày đó", en: "check the date: facts of the former units must be in years before it"))
            }
            resolved.append((succession, from, into))
        }
        // A unit that, through successions, succeeds itself.
        var next: [Int: [Int]] = [:]
        for r in resolved where r.succession.change != .abolished {
            for f in r.from { next[f, default: []].append(contentsOf: r.into) }
        }
        for start in next.keys.sorted() {
            var seen: Set<Int> = []
            var stack = next[start] ?? []
            while let e = stack.popLast() {
                if e == start {
                    error(
                        .vi("các lần sắp xếp của \(QuotedInput.quote(records[start].id)) lại quay về chính nó", en: "the successions of \(QuotedInput.quote(records[start].id)) lead back to it"),
                        at: formerAt[start] ?? nil, hint: .vi("một đơn vị không thể kế thừa chính nó: hãy kiểm tra mã trong các lần sắp xếp", en: "a unit cannot succeed itself: check the ids of the successions"))
                    break
                }
                if seen.insert(e).inserted { stack.append(contentsOf: next[e] ?? []) }
            }
        }
        guard diagnostics.diagnostics.count == before else { return nil }

        // The facts of every entity, former ones included, and the successors' derived facts.
        var facts = records.map(\.facts)
        var derivations: [Dataset.DerivationKey: LocalizedText] = dataset.derivations
        for r in resolved.sorted(by: { $0.succession.date < $1.succession.date }) where r.succession.change != .abolished {
            for (k, successor) in r.into.enumerated() {
                let share = r.succession.shares.map { $0[k] }
                derive(
                    r.succession, into: successor, from: r.from, share: share, records: records, inputs: inputs,
                    facts: &facts, derivations: &derivations)
            }
        }

        // The map without the former units; an abolished unit's children under their new parent.
        var movedTo: [Int: Int] = [:]
        for r in resolved where r.succession.change == .abolished {
            if let f = r.from.first, let parent = r.into.first { movedTo[f] = parent }
        }
        var extraChildren: [Int: [Int]] = [:]
        for (abolished, parent) in movedTo {
            extraChildren[parent, default: []].append(contentsOf: records[abolished].children.filter { formerAt[$0] == nil })
        }
        var entities: [Entity] = []
        var newIndex: [Int: Int] = [:]
        func add(_ old: Int, parent: Int?) {
            var entity = records[old]
            entity.facts = facts[old]
            entity.parent = parent
            entity.children = []
            let me = entities.count
            newIndex[old] = me
            entities.append(entity)
            if let parent { entities[parent].children.append(me) }
            for child in records[old].children where formerAt[child] == nil { add(child, parent: me) }
            for child in extraChildren[old] ?? [] { add(child, parent: me) }
        }
        for root in records.indices where records[root].parent == nil && formerAt[root] == nil { add(root, parent: nil) }
        var result = Dataset(entities: entities, map: dataset.map, source: dataset.source, synthetic: dataset.synthetic)
        result.derivations = derivations
        return result
    }

    /// `ranges` padded with `fallback` to `count` places.
    private static func padded(_ ranges: [SourceRange], _ count: Int, _ fallback: SourceRange?) -> [SourceRange?] {
        (0..<count).map { $0 < ranges.count ? ranges[$0] : fallback }
    }

    /// Gives `successor` the facts of its former units for the years up to the succession's, where it
    /// has none of its own.
    private static func derive(
        _ succession: Succession, into successor: Int, from former: [Int], share: Decimal?, records: Dataset.Entities,
        inputs: InputCatalog, facts: inout [[Int: [String: Fact]]], derivations: inout [Dataset.DerivationKey: LocalizedText]
    ) {
        let level = records[successor].level
        let years = Set(former.flatMap { facts[$0].keys }).filter { $0 <= succession.date.year }
        let change = Self.change(succession)
        for year in years.sorted() {
            for name in inputs.names(at: level) where facts[successor][year]?[name] == nil {
                guard let input = inputs[name] else { continue }
                let values = former.map { facts[$0][year]?[name]?.value }
                guard values.contains(where: { $0 != nil }) else { continue }
                let parts = { (l: Language) in
                    zip(former, values).map { f, v in
                        "\(records[f].name) (\(records[f].id)): " + (v.map { Words.shown($0, input: input, l) } ?? "?")
                    }.joined(separator: "; ")
                }
                let key = Dataset.DerivationKey(entity: records[successor].id, name: name, year: year)
                let rule = input.merge
                let (value, why) = combine(
                    values, rule: rule, renamed: succession.change == .renamed, split: succession.change == .split, share: share,
                    whole: input.type == .count)
                if let value {
                    facts[successor][year, default: [:]][name] = Fact(value, at: succession.range)
                    let how = words(rule, renamed: succession.change == .renamed, share: share)
                    derivations[key] = LocalizedText(
                        vi: "\(how.vi) \(parts(.vi)) — trước khi \(change.vi) ngày \(succession.date.vietnamese)",
                        en: "\(how.text(in: .en)) \(parts(.en)), before they \(change.text(in: .en)) on \(succession.date)")
                } else {
                    derivations[key] = LocalizedText(
                        vi: "không suy ra được từ đơn vị cũ (\(parts(.vi))) — \(why.vi); \(change.vi) ngày \(succession.date.vietnamese)",
                        en: "not derived from the former units (\(parts(.en))): \(why.text(in: .en)); \(change.text(in: .en)) on \(succession.date)")
                }
            }
        }
    }

    /// The combined value of the former units' values, or the reason there is none.
    private static func combine(
        _ values: [Value?], rule: MergeRule, renamed: Bool, split: Bool, share: Decimal?, whole: Bool
    ) -> (Value?, LocalizedText) {
        let missing = LocalizedText(vi: "thiếu số liệu của một đơn vị cũ", en: "a former unit's figure is missing")
        if renamed {
            return (values.first ?? nil, missing)
        }
        switch rule {
        case .sum:
            var total: Decimal = 0
            for value in values {
                guard case .number(let n)? = value else { return (nil, missing) }
                total += n
            }
            if split {
                guard let share else {
                    return (nil, LocalizedText(vi: "chia tách không có tỷ lệ nên không chia được số liệu", en: "the split gives no shares to divide the figure by"))
                }
                total *= share
                // A count is a whole number: a part's share of it that is not one is not a count.
                if whole, total != total.rounded(0) {
                    let shown = ValueFormatter.format(.number(total))
                    return (nil, LocalizedText(
                        vi: "phần được chia (\(shown)) không phải số nguyên nên không là số đếm được",
                        en: "the part's share (\(shown)) is not a whole number, so it is no count"))
                }
            }
            return (.number(total), missing)
        case .all, .any:
            let decisive = rule == .any
            var unknown = false
            for value in values {
                guard case .bool(let b)? = value else {
                    unknown = true
                    continue
                }
                if b == decisive { return (.bool(decisive), missing) }
            }
            return unknown ? (nil, missing) : (.bool(!decisive), missing)
        case .none:
            return (nil, LocalizedText(vi: "đầu vào này không cộng gộp được (merge: none)", en: "this input is not combined (merge: none)"))
        }
    }

    private static func words(_ rule: MergeRule, renamed: Bool, share: Decimal?) -> LocalizedText {
        if renamed { return LocalizedText(vi: "số liệu của", en: "the figure of") }
        switch rule {
        case .sum:
            if let share {
                let p = ValueFormatter.format(.number(share), percent: true)
                return LocalizedText(vi: "\(p) số liệu của", en: "\(p) of")
            }
            return LocalizedText(vi: "tổng của", en: "the sum of")
        case .all: return LocalizedText(vi: "đúng với mọi đơn vị cũ:", en: "true of every former unit:")
        case .any: return LocalizedText(vi: "đúng với ít nhất một đơn vị cũ:", en: "true of at least one former unit:")
        case .none: return LocalizedText(vi: "", en: "")
        }
    }

    private static func change(_ succession: Succession) -> LocalizedText {
        switch succession.change {
        case .merged: LocalizedText(vi: "sáp nhập", en: "merged")
        case .renamed: LocalizedText(vi: "đổi tên, mã", en: "were renamed")
        case .split: LocalizedText(vi: "chia tách", en: "were split")
        case .abolished: LocalizedText(vi: "giải thể", en: "were abolished")
        }
    }
}
