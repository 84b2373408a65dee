import CriteriaEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CriteriaServer

/// A clause whose verdict spends the whole step budget: seven `all` nested over the units of a
/// commune (about 8⁷ steps per commune), as in finding 4 of the 2026-12 abuse report.
let exhaustingCheck =
    "units.all(a, units.all(b, units.all(c, units.all(d, units.all(e, units.all(f, units.all(g, has(g.antt_registered) || true)))))))"

/// A step budget without end: with it, a verdict of `exhaustingCheck` runs for many minutes on any
/// machine, so a test of the deadline meets the deadline however fast the machine is, and only
/// cancellation frees its slot.
func endlessSteps(_ options: inout ServerOptions) {
    options.limits.maxEvaluationSteps = 1 << 40
}

/// The bundled xa-ntm.19.2 with its first check replaced by `check`.
func editedRule(_ check: String) throws -> String {
    let text = try String(contentsOfFile: repositoryRoot + "/Rules/xa-ntm/19.2.yaml", encoding: .utf8)
    let original = "check: antt_party_resolution && antt_plan"
    #expect(text.contains(original))
    return text.replacingOccurrences(of: original, with: "check: " + check)
}

/// The decisions recorded by the service, newest first.
func recorded(_ client: any TestClientProtocol) async throws -> [DecisionSummaryV1] {
    try await client.execute(uri: "/v1/decisions?limit=100", method: .get) { response async throws in
        try response.decode(DecisionListV1.self).decisions
    }
}

@Suite("Bounded and cancelled work (abuse report 2026-12, findings 3, 4, 5, 15)")
struct BoundedWorkTests {
    @Test("a token settles the race: after commit a cancel does nothing, after cancel a commit fails")
    func tokenRace() throws {
        let committed = CancellationToken()
        #expect(committed.commit())
        #expect(committed.cancel() == false)
        #expect(!committed.isCancelled)
        let cancelled = CancellationToken()
        #expect(cancelled.cancel())
        #expect(cancelled.commit() == false)
        #expect(throws: CancellationToken.Cancelled.self) { try cancelled.check() }
    }

    @Test("finding 5: an evaluation answered 503 (timed out) records nothing, and its slot comes free at once (finding 4)")
    func timedOutEvaluationRecordsNothing() async throws {
        let rules = try copyOfRules()
        defer { try? FileManager.default.removeItem(atPath: rules) }
        try editedRule(exhaustingCheck).write(toFile: rules + "/xa-ntm/19.2.yaml", atomically: true, encoding: .utf8)
        let service = try makeService(rules: rules) {
            endlessSteps(&$0)
            $0.wallClock = .milliseconds(700)
        }
        let (form, headers) = multipart([("sample", nil, Data("thanh-hoa".utf8))])
        try await withClient(service) { client in
            try await client.execute(
                uri: "/v1/evaluations?as_of=2024-12-31&criteria=xa-ntm.19.2", method: .post, headers: headers, body: form
            ) { response async throws in
                #expect(response.status == .serviceUnavailable, "\(response.text.prefix(300))")
                #expect(response.text.contains("request.timeout"))
            }
            // Cancelled, the work ends within a few thousand steps; left running it would take hours.
            #expect(try await slotsFree(service, within: .seconds(120)))
            #expect(try await recorded(client).isEmpty)
        }
    }

    @Test(
        "finding 4: a cancelled token stops both evaluators within their step loop",
        arguments: ["full", "short", "outcomes"])
    func evaluatorsStop(mode: String) async throws {
        // Ten nested `all` over about eight units and a budget without end: one verdict takes
        // 8¹⁰ ≈ 10⁹ steps (an hour; eight levels took 51-231 s), so only a look at the token inside
        // the step loop (not between verdicts) stops it within the generous bound below.
        let deepest = "units.all(j, has(j.antt_registered) || true)"
        let nested = ["i", "h", "g", "f", "e", "d", "c", "b", "a"].reduce(deepest) { "units.all(\($1), \($0))" }
        let edited = SourceFile(path: repositoryRoot + "/Rules/xa-ntm/19.2.yaml", text: try editedRule(nested))
        let graph = try RuleSetLoader.load(sources: [edited], context: repositoryRoot + "/Rules")
        let dataset = try DatasetReader.read(path: repositoryRoot + "/Examples/thanh-hoa/province.yaml", inputs: graph.inputs)
        let date = try #require(LocalDate(iso: "2024-12-31"))
        let token = CancellationToken()
        var limits = Limits.default
        limits.maxEvaluationSteps = 1 << 40
        let evaluator = Evaluator(graph: graph, limits: limits, cancellation: token)
        // Threads of their own, timed by themselves: the test's tasks may resume late on a busy machine.
        let clock = ContinuousClock()
        let times = LockedTimes()
        let thread = Thread {
            switch mode {
            case "outcomes": _ = evaluator.outcomes(dataset, asOf: date, criteria: ["xa-ntm.19.2"])
            case "short": _ = evaluator.evaluate(dataset, asOf: date, criteria: ["xa-ntm.19.2"], detail: .short)
            default: _ = evaluator.evaluate(dataset, asOf: date, criteria: ["xa-ntm.19.2"])
            }
            times.set("done", clock.now)
        }
        thread.stackSize = 8 << 20
        let canceller = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            times.set("cancelled", clock.now)
            token.cancel()
        }
        thread.start()
        canceller.start()
        while times.get("done") == nil { try await Task.sleep(for: .milliseconds(20)) }
        let cancelled = try #require(times.get("cancelled"))
        let done = try #require(times.get("done"))
        #expect(cancelled < done, "the evaluation should still have been running when cancelled")
        // One verdict runs for an hour; the step loop looks at the token every 4,096 steps
        // (milliseconds). The bound leaves room for a machine loaded by the whole suite.
        #expect(done - cancelled < .seconds(60))
        #expect(throws: CancellationToken.Cancelled.self) { try token.check() }
    }

    @Test("finding 4: a playground diff past the deadline is cancelled: its slot comes free at once")
    func timedOutDiffIsCancelled() async throws {
        let service = try makeService(maxConcurrent: 1) {
            endlessSteps(&$0)
            $0.wallClock = .seconds(2)
        }
        let edit = RuleEditV1(file: "xa-ntm/19.2.yaml", text: try editedRule(exhaustingCheck), dataset: "thanh-hoa", asOf: "2024-12-31")
        try await withClient(service) { client in
            try await client.execute(
                uri: "/v1/diff", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: try JSONEncoder().encode(edit))
            ) { response async throws in
                #expect(response.status == .serviceUnavailable, "\(response.text.prefix(300))")
            }
            // Left running, the two evaluations of the diff would take hours (44 communes, each
            // verdict with a step budget without end).
            #expect(try await slotsFree(service, within: .seconds(120)))
            #expect(await service.gate.tryAcquire())
        }
    }

    @Test("every CPU-heavy route takes a slot of the bounded pool: with none free, a rule check and a record read get 503 busy")
    func heavyRoutesTakeASlot() async throws {
        let service = try makeService(maxConcurrent: 1)
        let (form, headers) = multipart([("sample", nil, Data("thanh-hoa".utf8))])
        try await withClient(service) { client in
            let id = try await client.execute(
                uri: "/v1/evaluations?as_of=2024-12-31&criteria=xa-ntm.19.2", method: .post, headers: headers, body: form
            ) { response async throws in
                #expect(response.status == .created)
                return try response.decode(DecisionRecordV1.self).id
            }
            // The worker gives its slot back as it ends, which may be just after the answer.
            #expect(try await slotsFree(service, within: .seconds(60)))
            #expect(await service.gate.tryAcquire())
            let edit = RuleEditV1(file: "xa-ntm/19.2.yaml", text: try editedRule("antt_plan"))
            try await client.execute(
                uri: "/v1/check", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: try JSONEncoder().encode(edit))
            ) { response async throws in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
            }
            for uri in ["/v1/decisions/\(id)", "/decisions/\(id)", "/decisions/\(id)/entities/15100"] {
                try await client.execute(uri: uri, method: .get) { response async throws in
                    #expect(response.status == .serviceUnavailable, "\(uri)")
                }
            }
            try await client.execute(uri: "/v1/evaluations?as_of=2024-12-31", method: .post, headers: headers, body: form) {
                response async throws in
                #expect(response.status == .serviceUnavailable)
            }
            await service.gate.release()
            try await client.execute(uri: "/v1/decisions/\(id)", method: .get) { response async throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("finding 15: reading long texts costs steps by their length, so comparing them cannot run for minutes")
    func longTextsCostSteps() async throws {
        let rules = try copyOfRules()
        defer { try? FileManager.default.removeItem(atPath: rules) }
        try FileManager.default.createDirectory(atPath: rules + "/xa-test", withIntermediateDirectories: true)
        try """
        criteria: 1
        id: xa-test.names
        title: { vi: Tên thôn khác nhau, en: Unit names differ }
        level: commune
        in_force: { from: 2020-01-01 }
        source: { act: test, part: test, status: confirmed }
        all:
          - id: ten-khac-nhau
            title: { vi: Tên thôn khác nhau, en: Unit names differ }
            check: units.all(a, units.all(b, a.name != b.name || a.id == b.id))
        """.write(toFile: rules + "/xa-test/names.yaml", atomically: true, encoding: .utf8)
        let service = try makeService(rules: rules)
        @Sendable func dataset(nameLength: Int) throws -> Data {
            let units: [[String: String]] = (0..<40).map { k in
                ["id": "u\(k)", "name": String(repeating: "x", count: nameLength) + "\(k)", "kind": "khu_dan_cu"]
            }
            let body: [String: Any] = [
                "dataset": 1, "district": ["id": "1", "name": "H", "communes": [["id": "100", "name": "Xã A", "units": units]]],
            ]
            return try JSONSerialization.data(withJSONObject: body)
        }
        try await withClient(service) { client in
            func outcome(nameLength: Int) async throws -> Outcome? {
                try await client.execute(
                    uri: "/v1/evaluations?as_of=2024-12-31&criteria=xa-test.names", method: .post,
                    headers: [.contentType: "application/json"], body: ByteBuffer(bytes: try dataset(nameLength: nameLength))
                ) { response async throws in
                    #expect(response.status == .created, "\(response.text.prefix(400))")
                    return try response.decode(DecisionRecordV1.self).evaluation.entities.first { $0.id == "100" }?.verdicts.first?.outcome
                }
            }
            // Short names: a few thousand steps, the names differ.
            let short = try await outcome(nameLength: 10)
            #expect(short == .pass)
            // 60,000-character names: 40 × 40 pairs, each reading two names of about 940 steps each,
            // is past the budget of 1,000,000 steps: unknown, not minutes of comparing.
            let long = try await outcome(nameLength: 60_000)
            #expect(long == .unknown)
        }
    }

    @Test("finding 3: a boundary longer than RFC 2046 allows is refused at once, and the search is linear")
    func multipartBoundary() async throws {
        let boundary = String(repeating: "-", count: 1000) + "x"
        let body = ByteBuffer(bytes: [UInt8](repeating: UInt8(ascii: "-"), count: 1 << 20))
        try await withClient(try makeService()) { client in
            try await client.execute(
                uri: "/v1/evaluations?as_of=2024-12-31", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body
            ) { response async throws in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("request.bad-form"))
                // Refused for its length, not after searching 1 MiB for it (tens of seconds before).
                #expect(response.text.contains("more than the 70 that RFC 2046 allows"))
            }
        }
        // Knuth–Morris–Pratt finds overlapping and repeated prefixes.
        #expect(MultipartForm.find(Array("aab".utf8), in: Array("aaab".utf8), from: 0) == 1)
        #expect(MultipartForm.find(Array("abab".utf8), in: Array("abaabab".utf8), from: 0) == 3)
        #expect(MultipartForm.find(Array("--b".utf8), in: Array("x--b--b".utf8), from: 2) == 4)
        #expect(MultipartForm.find(Array("zz".utf8), in: Array("z".utf8), from: 0) == nil)
        // The worst case of a naive search: a body of '-' and a boundary of '-'s ending in 'x', where it
        // compares the whole boundary at every byte. Knuth–Morris–Pratt makes at most two comparisons per
        // byte whatever the boundary, so a 70-character boundary costs about what a 2-character one does
        // (a naive search: 35 times as much). Times are compared with each other, not with a bound.
        let long = [UInt8](repeating: UInt8(ascii: "-"), count: 1 << 20)
        func time(_ needle: [UInt8]) -> Duration {
            let clock = ContinuousClock()
            let start = clock.now
            #expect(MultipartForm.find(needle, in: long, from: 0) == nil)
            return clock.now - start
        }
        let wide = Array((String(repeating: "-", count: 69) + "x").utf8)
        let narrow = Array("-x".utf8)
        var wideTime = Duration.zero
        var narrowTime = Duration.zero
        for _ in 0..<3 {
            wideTime += time(wide)
            narrowTime += time(narrow)
        }
        #expect(wideTime < narrowTime * 4, "70-character boundary: \(wideTime), 2-character: \(narrowTime)")
    }
}

/// Instants noted from other threads.
final class LockedTimes: @unchecked Sendable {
    // `@unchecked Sendable`: `times` is only touched while holding `lock`.
    private let lock = NSLock()
    private var times: [String: ContinuousClock.Instant] = [:]
    func set(_ name: String, _ instant: ContinuousClock.Instant) { lock.withLock { times[name] = instant } }
    func get(_ name: String) -> ContinuousClock.Instant? { lock.withLock { times[name] } }
}
