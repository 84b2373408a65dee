import CriteriaEngine
import Dispatch
import Foundation

/// The practical limit: the same five criteria written by hand in plain Swift — plain structs, integer
/// arithmetic, no rule engine. It reads nothing but the facts the criteria need, so it shows how fast
/// this workload can go; the engine is measured against it.
///
/// It follows the rules in `Rules/` as of the benchmark's date (thresholds 70%, 50% and 5%, all five
/// criteria in force), with the same three-valued logic: a missing fact is unknown, `fail` beats
/// `unknown` in an `all`, a sum over a list with an unknown member is unknown, a share with unknown
/// members is decided when it meets (or misses) the threshold whatever they turn out to be, and an
/// empty list is unknown.
enum HandWritten {
    /// One commune's facts for one year; `nil` is unknown.
    struct YearFacts: Sendable {
        var resolution: Bool?
        var plan: Bool?
        var prohibited: Int?
        var complaints: Int?
        var serious: Int?
        var crimes: Int?
        var models: Int?
        var camera: Bool?
        var police: Int?
        var rating: Rating?
    }

    enum Rating: UInt8, Sendable { case xuatSac, kha, trungBinh, yeu }

    struct Commune: Sendable {
        var entity: Int
        /// The evaluated year, the year before, and 2019.
        var now: YearFacts
        var last: YearFacts
        var base: YearFacts
        /// `safe_antt` of each hamlet in the evaluated year.
        var hamlets: [Bool?]
    }

    struct District: Sendable {
        var entity: Int
        var resolution: Bool?
        var plan: Bool?
        var complaints: Int?
        var hotspots: Int?
        var armedForces: Bool?
        /// Indices into the communes array.
        var communes: Range<Int>
    }

    /// The province in plain structs, built (untimed) from a dataset read by the engine.
    struct Province: Sendable {
        var communes: [Commune] = []
        var districts: [District] = []
    }

    static func province(from dataset: Dataset, year: Int) -> Province {
        func facts(_ entity: Entity, _ year: Int) -> YearFacts {
            func bool(_ name: String) -> Bool? {
                if case .bool(let b)? = entity.fact(name, year: year)?.value { return b }
                return nil
            }
            func int(_ name: String) -> Int? {
                if case .number(let n)? = entity.fact(name, year: year)?.value { return NSDecimalNumber(decimal: n).intValue }
                return nil
            }
            var rating: Rating?
            if case .text(let t)? = entity.fact("movement_rating", year: year)?.value {
                rating = ["xuat_sac": .xuatSac, "kha": .kha, "trung_binh": .trungBinh, "yeu": .yeu][t]
            }
            return YearFacts(
                resolution: bool("antt_party_resolution"), plan: bool("antt_plan"),
                prohibited: int("prohibited_activity_events"), complaints: int("prolonged_mass_complaints"),
                serious: int("serious_crimes"), crimes: int("social_order_crimes"), models: int("active_security_models"),
                camera: bool("security_camera_model"), police: int("commune_police_disciplined"), rating: rating)
        }
        var result = Province()
        for index in dataset.entities.indices where dataset.entities[index].level == .district {
            let d = dataset.entities[index]
            func bool(_ name: String) -> Bool? {
                if case .bool(let b)? = d.fact(name, year: year)?.value { return b }
                return nil
            }
            func int(_ name: String) -> Int? {
                if case .number(let n)? = d.fact(name, year: year)?.value { return NSDecimalNumber(decimal: n).intValue }
                return nil
            }
            let start = result.communes.count
            for c in d.children where dataset.entities[c].level == .commune {
                let commune = dataset.entities[c]
                let hamlets = commune.children.filter { dataset.entities[$0].level == .hamlet }.map { h -> Bool? in
                    if case .bool(let b)? = dataset.entities[h].fact("safe_antt", year: year)?.value { return b }
                    return nil
                }
                result.communes.append(
                    Commune(
                        entity: c, now: facts(commune, year), last: facts(commune, year - 1), base: facts(commune, 2019),
                        hamlets: hamlets))
            }
            result.districts.append(
                District(
                    entity: index, resolution: bool("district_antt_resolution"), plan: bool("district_antt_plan"),
                    complaints: int("district_mass_complaints"), hotspots: int("social_order_hotspots"),
                    armedForces: bool("armed_forces_tasks_completed"), communes: start..<result.communes.count))
        }
        return result
    }

    // MARK: Three-valued helpers

    @inline(__always) static func truth(_ b: Bool?) -> Outcome { b.map { $0 ? .pass : .fail } ?? .unknown }
    @inline(__always) static func zero(_ n: Int?) -> Outcome { n.map { $0 == 0 ? .pass : .fail } ?? .unknown }
    @inline(__always) static func and(_ a: Bool?, _ b: Bool?) -> Outcome {
        if a == false || b == false { return .fail }
        if a == nil || b == nil { return .unknown }
        return .pass
    }
    @inline(__always) static func meets(_ o: Outcome) -> Outcome {
        o == .pass ? .pass : o == .fail ? .fail : .unknown
    }

    /// Kleene `all` over condition outcomes: fail beats unknown beats pass.
    @inline(__always) static func all(_ outcomes: Outcome...) -> Outcome {
        var unknown = false
        for o in outcomes {
            if o == .fail { return .fail }
            if o == .unknown { unknown = true }
        }
        return unknown ? .unknown : .pass
    }

    // MARK: Verdicts

    static func conditions192(_ c: Commune) -> [Outcome] {
        let n = c.now
        var crimes = Outcome.unknown
        if let now = n.crimes, let last = c.last.crimes { crimes = now <= last ? .pass : .fail }
        let models = n.models.map { $0 >= 1 ? Outcome.pass : .fail } ?? .unknown
        return [
            and(n.resolution, n.plan), zero(n.prohibited), zero(n.complaints), zero(n.serious), crimes, models,
            zero(n.police), shareSafe(c.hamlets),
        ]
    }

    /// `share(hamlets, h, h.safe_antt) >= 70%`. With unknown hamlets the share lies between the
    /// known-safe share and that share with every unknown hamlet safe; when both ends give the same
    /// answer, the unknown hamlets cannot change it (the rule of Docs/expressions.md).
    @inline(__always) static func shareSafe(_ hamlets: [Bool?]) -> Outcome {
        if hamlets.isEmpty { return .unknown }
        var safe = 0
        var open = 0
        for h in hamlets {
            if h == true { safe += 1 } else if h == nil { open += 1 }
        }
        if safe * 10 >= hamlets.count * 7 { return .pass }
        if (safe + open) * 10 < hamlets.count * 7 { return .fail }
        return .unknown
    }

    /// `hamlets.all(h, h.safe_antt)`.
    @inline(__always) static func allSafe(_ hamlets: [Bool?]) -> Outcome {
        if hamlets.isEmpty { return .unknown }
        var unknown = false
        for h in hamlets {
            if h == false { return .fail }
            if h == nil { unknown = true }
        }
        return unknown ? .unknown : .pass
    }

    @inline(__always) static func verdicts(_ c: Commune) -> (Outcome, Outcome, Outcome) {
        let n = c.now
        var crimes = Outcome.unknown
        if let now = n.crimes, let last = c.last.crimes { crimes = now <= last ? .pass : .fail }
        let ntm = all(
            and(n.resolution, n.plan), zero(n.prohibited), zero(n.complaints), zero(n.serious), crimes,
            n.models.map { $0 >= 1 ? Outcome.pass : .fail } ?? .unknown, zero(n.police), shareSafe(c.hamlets))
        let rating = n.rating.map { $0 == .xuatSac || $0 == .kha ? Outcome.pass : .fail } ?? .unknown
        let advanced = all(meets(ntm), truth(n.camera), rating)
        var reduced = Outcome.unknown
        if let now = n.crimes, let base = c.base.crimes { reduced = now * 100 <= base * 95 ? .pass : .fail }
        let excellent = n.rating.map { $0 == .xuatSac ? Outcome.pass : .fail } ?? .unknown
        let model = all(meets(advanced), allSafe(c.hamlets), excellent, reduced)
        return (ntm, advanced, model)
    }

    /// The district criteria 9.4 and advanced 9.1, given the communes' outcomes.
    static func districtVerdicts(_ d: District, province: Province, ntm: [Outcome], advanced: [Outcome]) -> (Outcome, Outcome) {
        var sumNow = 0
        var sumLast = 0
        var sumKnown = !d.communes.isEmpty
        var everyCommune = Outcome.pass
        var advancedPass = 0
        var advancedOpen = 0
        var sawUnknown = false
        for k in d.communes {
            let c = province.communes[k]
            if let now = c.now.crimes, let last = c.last.crimes {
                sumNow += now
                sumLast += last
            } else {
                sumKnown = false
            }
            switch ntm[k] {
            case .fail: everyCommune = .fail
            case .pass: break
            default: sawUnknown = true
            }
            switch advanced[k] {
            case .pass: advancedPass += 1
            case .fail: break
            default: advancedOpen += 1
            }
        }
        if d.communes.isEmpty { everyCommune = .unknown } else if everyCommune != .fail && sawUnknown { everyCommune = .unknown }
        let crimes: Outcome = sumKnown ? (sumNow <= sumLast ? .pass : .fail) : .unknown
        let ninePointFour = all(
            and(d.resolution, d.plan), zero(d.complaints), zero(d.hotspots), crimes, truth(d.armedForces), everyCommune)
        // `share(communes, c, meets(c, advanced)) >= 50%`, decided by its bounds as above.
        let n = d.communes.count
        let share: Outcome =
            n == 0 ? .unknown : advancedPass * 2 >= n ? .pass : (advancedPass + advancedOpen) * 2 < n ? .fail : .unknown
        let nineOne = all(meets(ninePointFour), share)
        return (ninePointFour, nineOne)
    }

    /// Every verdict of the province: the commune outcomes by commune, the district outcomes by district.
    struct Result: Sendable {
        var ntm: [Outcome]
        var advanced: [Outcome]
        var model: [Outcome]
        var district94: [Outcome]
        var district91: [Outcome]
    }

    static func evaluate(_ p: Province, parallel: Bool) -> Result {
        let n = p.communes.count
        var ntm = [Outcome](repeating: .unknown, count: n)
        var advanced = ntm
        var model = ntm
        ntm.withUnsafeMutableBufferPointer { a in
            advanced.withUnsafeMutableBufferPointer { b in
                model.withUnsafeMutableBufferPointer { m in
                    let (pa, pb, pm) = (Slots(a), Slots(b), Slots(m))
                    chunked(n, parallel: parallel) { range in
                        for k in range {
                            let (x, y, z) = verdicts(p.communes[k])
                            pa[k] = x
                            pb[k] = y
                            pm[k] = z
                        }
                    }
                }
            }
        }
        var d94: [Outcome] = []
        var d91: [Outcome] = []
        d94.reserveCapacity(p.districts.count)
        d91.reserveCapacity(p.districts.count)
        for d in p.districts {
            let (a, b) = districtVerdicts(d, province: p, ntm: ntm, advanced: advanced)
            d94.append(a)
            d91.append(b)
        }
        return Result(ntm: ntm, advanced: advanced, model: model, district94: d94, district91: d91)
    }

    // MARK: With an explanation tree

    /// A node of the hand-written explanation: the short form (the root, and below it only the
    /// conditions that decided the outcome), with a sentence in Vietnamese and English and the values read.
    struct Node: Sendable {
        var id: String
        var outcome: Outcome
        var vi: String
        var en: String
        var values: [String]
        var children: [Node]
    }

    static let titles192: [(id: String, vi: String, en: String)] = [
        ("nghi-quyet-ke-hoach", "Đảng ủy xã có nghị quyết, UBND xã có kế hoạch về công tác bảo đảm ANTT", "Party resolution and People's Committee plan on security and order adopted"),
        ("khong-hoat-dong-chong-pha", "Không để xảy ra các hoạt động tại điểm a–e khoản 3 Điều 4 Thông tư 124", "None of the activities of TT 124 Art. 4(3) a–e occurred"),
        ("khong-khieu-kien-dong-nguoi", "Không có khiếu kiện đông người kéo dài trái pháp luật", "No prolonged unlawful mass complaints"),
        ("khong-trong-an", "Không để xảy ra trọng án", "No serious crime"),
        ("kiem-che-toi-pham", "Tội phạm về trật tự xã hội được kiềm chế, không tăng so với năm trước", "Social-order crime curbed, not above last year"),
        ("mo-hinh-hieu-qua", "Có ít nhất 01 mô hình phong trào “Toàn dân bảo vệ ANTQ” hoạt động hiệu quả", "At least one effective security model"),
        ("khong-ky-luat-cong-an", "Không có cán bộ Công an xã bị xử lý kỷ luật", "No commune police officer disciplined"),
        ("thon-an-toan", "Tỷ lệ thôn được công nhận “An toàn về ANTT” đạt mức quy định", "Share of hamlets recognised safe reaches the threshold"),
    ]

    static func text(_ o: Outcome, vi: Bool) -> String {
        switch o {
        case .pass: vi ? "đạt" : "met"
        case .fail: vi ? "không đạt" : "not met"
        case .unknown: vi ? "chưa xác định" : "cannot be decided"
        case .notApplicable: vi ? "không áp dụng" : "not applicable"
        }
    }

    /// The values a condition of 19.2 read, as shown.
    static func values192(_ k: Int, _ c: Commune) -> [String] {
        func s(_ x: Int?) -> String { x.map { String($0) } ?? "?" }
        func s(_ x: Bool?) -> String { x.map { $0 ? "true" : "false" } ?? "?" }
        switch k {
        case 0: return [s(c.now.resolution), s(c.now.plan)]
        case 1: return [s(c.now.prohibited)]
        case 2: return [s(c.now.complaints)]
        case 3: return [s(c.now.serious)]
        case 4: return [s(c.now.crimes), s(c.last.crimes)]
        case 5: return [s(c.now.models)]
        case 6: return [s(c.now.police)]
        default:
            let safe = c.hamlets.filter { $0 == true }.count
            return ["\(safe)/\(c.hamlets.count)", "70%"]
        }
    }

    static func explain192(_ c: Commune, _ outcome: Outcome) -> Node {
        var children: [Node] = []
        if outcome != .pass {
            for (k, o) in conditions192(c).enumerated() where o == outcome {
                let t = titles192[k]
                let values = values192(k, c)
                children.append(
                    Node(
                        id: "xa-ntm.19.2/" + t.id, outcome: o,
                        vi: "\(t.vi): \(text(o, vi: true)) — \(values.joined(separator: ", ")).",
                        en: "\(t.en): \(text(o, vi: false)) — \(values.joined(separator: ", ")).", values: values, children: []))
            }
        }
        return root("xa-ntm.19.2", "Xã đạt chuẩn an toàn về an ninh, trật tự xã hội và đảm bảo bình yên",
            "The commune meets the security, social-order and peace standard", outcome, children)
    }

    static func root(_ id: String, _ vi: String, _ en: String, _ o: Outcome, _ children: [Node]) -> Node {
        let count = children.count
        let suffixVI = o == .fail ? " (\(count) điều kiện không đạt)" : ""
        let suffixEN = o == .fail ? " (\(count) condition\(count == 1 ? "" : "s") not met)" : ""
        return Node(id: id, outcome: o, vi: "\(vi): \(text(o, vi: true))\(suffixVI).", en: "\(en): \(text(o, vi: false))\(suffixEN).",
            values: [], children: children)
    }

    static func leaf(_ id: String, _ vi: String, _ en: String, _ o: Outcome, _ values: [String]) -> Node {
        Node(id: id, outcome: o, vi: "\(vi): \(text(o, vi: true)) — \(values.joined(separator: ", ")).",
            en: "\(en): \(text(o, vi: false)) — \(values.joined(separator: ", ")).", values: values, children: [])
    }

    /// The short explanations of one commune's three verdicts.
    static func explain(_ c: Commune) -> (Node, Node, Node) {
        let (ntm, advanced, model) = verdicts(c)
        let a = explain192(c, ntm)
        var bChildren: [Node] = []
        if advanced != .pass {
            let rating = c.now.rating.map { $0 == .xuatSac || $0 == .kha ? Outcome.pass : .fail } ?? .unknown
            if meets(ntm) == advanced {
                bChildren.append(leaf("xa-ntm-nang-cao.19.2/dat-chuan-19-2", "Xã đạt chỉ tiêu 19.2 của Bộ tiêu chí xã NTM", "The commune meets indicator 19.2 of the standard set", advanced, [text(ntm, vi: false)]))
            }
            if truth(c.now.camera) == advanced {
                bChildren.append(leaf("xa-ntm-nang-cao.19.2/mo-hinh-camera", "Có mô hình camera an ninh hoặc tổ tự quản hoạt động thường xuyên", "A security-camera or self-managed model works regularly", advanced, [c.now.camera.map { $0 ? "true" : "false" } ?? "?"]))
            }
            if rating == advanced {
                bChildren.append(leaf("xa-ntm-nang-cao.19.2/xep-loai-phong-trao", "Phong trào “Toàn dân bảo vệ ANTQ” xếp loại khá trở lên", "Movement rated “khá” (good) or better", advanced, [c.now.rating.map { "\($0)" } ?? "?"]))
            }
        }
        let b = root("xa-ntm-nang-cao.19.2", "Xã NTM nâng cao đạt chỉ tiêu 19.2 về an ninh, trật tự", "Advanced NTM commune meets indicator 19.2 on security and order", advanced, bChildren)
        var cChildren: [Node] = []
        if model != .pass {
            if meets(advanced) == model {
                cChildren.append(leaf("xa-ntm-kieu-mau.antt/dat-nang-cao", "Xã đạt chỉ tiêu 19.2 xã NTM nâng cao", "The commune meets advanced 19.2", model, [text(advanced, vi: false)]))
            }
            if allSafe(c.hamlets) == model {
                let safe = c.hamlets.filter { $0 == true }.count
                cChildren.append(leaf("xa-ntm-kieu-mau.antt/tat-ca-thon-an-toan", "100% thôn được công nhận “An toàn về ANTT”", "Every hamlet recognised safe", model, ["\(safe)/\(c.hamlets.count)"]))
            }
            let excellent = c.now.rating.map { $0 == .xuatSac ? Outcome.pass : .fail } ?? .unknown
            if excellent == model {
                cChildren.append(leaf("xa-ntm-kieu-mau.antt/phong-trao-xuat-sac", "Phong trào “Toàn dân bảo vệ ANTQ” xếp loại xuất sắc", "Movement rated “xuất sắc” (excellent)", model, [c.now.rating.map { "\($0)" } ?? "?"]))
            }
            var reduced = Outcome.unknown
            if let now = c.now.crimes, let base = c.base.crimes { reduced = now * 100 <= base * 95 ? .pass : .fail }
            if reduced == model {
                let values = [c.now.crimes.map { String($0) } ?? "?", c.base.crimes.map { String($0) } ?? "?"]
                cChildren.append(leaf("xa-ntm-kieu-mau.antt/giam-toi-pham-so-voi-2019", "Tội phạm về trật tự xã hội giảm ít nhất 5% so với năm 2019", "Social-order crime at least 5% below 2019", model, values))
            }
        }
        let m = root("xa-ntm-kieu-mau.antt", "Xã NTM kiểu mẫu về an ninh, trật tự", "Model NTM commune for security and order", model, cChildren)
        return (a, b, m)
    }

    /// Evaluates and explains every verdict of the province (the short form), and returns how many
    /// explanation nodes were built, so that the work cannot be optimised away.
    static func evaluateExplained(_ p: Province, parallel: Bool) -> Int {
        let n = p.communes.count
        var ntm = [Outcome](repeating: .unknown, count: n)
        var advanced = ntm
        let counts = Counter()
        ntm.withUnsafeMutableBufferPointer { a in
            advanced.withUnsafeMutableBufferPointer { b in
                let (pa, pb) = (Slots(a), Slots(b))
                chunked(n, parallel: parallel) { range in
                    var nodes = 0
                    for k in range {
                        let (x, y, z) = explain(p.communes[k])
                        pa[k] = x.outcome
                        pb[k] = y.outcome
                        nodes += 3 + x.children.count + y.children.count + z.children.count
                    }
                    counts.add(nodes)
                }
            }
        }
        var nodes = 0
        for d in p.districts {
            let (a, b) = districtVerdicts(d, province: p, ntm: ntm, advanced: advanced)
            let x = root("huyen-ntm.9.4", "Huyện đảm bảo an ninh, trật tự (chỉ tiêu 9.4)", "The district ensures security and order (indicator 9.4)", a, [])
            let y = root("huyen-ntm-nang-cao.9.1", "Huyện NTM nâng cao đạt chỉ tiêu 9.1 về an ninh, trật tự", "Advanced NTM district meets indicator 9.1 on security and order", b, [])
            nodes += x.children.count + y.children.count + 2
        }
        counts.add(nodes)
        return counts.total
    }
}

/// Writes from parallel chunks into disjoint slots of a buffer.
struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T>
    init(_ base: UnsafeMutableBufferPointer<T>) { self.base = base }
    subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// A total counted from parallel chunks.
final class Counter: @unchecked Sendable {
    private var sum = 0
    private let lock = NSLock()
    func add(_ n: Int) {
        lock.lock()
        sum += n
        lock.unlock()
    }
    var total: Int {
        lock.lock()
        defer { lock.unlock() }
        return sum
    }
}

/// Runs `body` over 0..<count in contiguous chunks, on every core when `parallel`.
func chunked(_ count: Int, parallel: Bool, _ body: @Sendable (Range<Int>) -> Void) {
    guard parallel, count > 1024 else {
        body(0..<count)
        return
    }
    let chunks = min(count / 256, ProcessInfo.processInfo.activeProcessorCount * 8)
    DispatchQueue.concurrentPerform(iterations: chunks) { k in
        body((count * k / chunks)..<(count * (k + 1) / chunks))
    }
}
